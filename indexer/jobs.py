"""Bulk re-index jobs: rebuild a fresh index generation from the archive, then switch.

    records/ + originals/ ─(pool: re-extract if the extractor changed, else re-segment
    or reuse the cache)→ fields ─(one writer, batches)→ index/gen-N+1 ─switch_to→ live

Searches keep using the live generation until the atomic switch. Job state lives in
``data/jobs/<id>.json`` (atomic writes). Only one re-index runs at a time: the holder keeps
``data/jobs/reindex.lock`` under ``flock``, which the kernel releases when the process dies
(kill -9, power loss), so a stale lock never blocks the next run. A killed job leaves its
half-built generation behind; the next run resumes it (documents already committed are
skipped) or, with ``restart``, removes it. The live generation is never touched.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import logging
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from indexer.errors import Conflict, NotFound, QueryError, data_dir_error
from indexer.store import Archive, atomic_write, read_record, valid_id

log = logging.getLogger("vanthu.jobs")

STATES = ("queued", "running", "done", "failed", "cancelled")
FINAL = ("done", "failed", "cancelled")
# documents per checkpoint commit of the new generation (a resume point). Each checkpoint is a
# new segment and is never merged into the others while the job runs: Whoosh merges in pure
# Python, and merging growing segments at every checkpoint stalled a 100 000-document
# re-index for minutes at a time. 10 000 documents ≈ 2 minutes of work on 2 cores; the
# search engine (indexer/engine.py) works per segment, so ten of them cost little.
COMMIT_EVERY = 10_000


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def jobs_dir(data: Path) -> Path:
    return Path(data) / "jobs"


def _job_path(data: Path, job_id: str) -> Path:
    if not (job_id and len(job_id) <= 40 and all(c.isalnum() or c == "-" for c in job_id)):
        raise NotFound(f"Không có job {job_id!r}. (No job {job_id!r}.)")
    return jobs_dir(data) / f"{job_id}.json"


def new_job_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


def save_job(data: Path, job: dict) -> None:
    atomic_write(_job_path(data, job["id"]), json.dumps(job, ensure_ascii=False, indent=1).encode())


def load_job(data: Path, job_id: str) -> dict:
    try:
        job = json.loads(_job_path(data, job_id).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        raise NotFound(f"Không có job {job_id!r}: xem danh sách ở GET /api/admin/jobs hoặc `vanthu jobs`. "
                       f"(No job {job_id!r}: list jobs with GET /api/admin/jobs.)") from None
    if job.get("state") in ("queued", "running") and not lock_held(data):
        # its process is gone (killed, power loss): say so instead of "running" forever
        job["state"], job["eta"] = "failed", None
        job["error"] = ("bị ngắt (tiến trình đã dừng); chạy lại `vanthu reindex` để làm tiếp "
                        "(interrupted: the process died; run `vanthu reindex` again to resume)")
    return job


def list_jobs(data: Path, limit: int = 20) -> list[dict]:
    folder = jobs_dir(data)
    if not folder.is_dir():
        return []
    names = sorted((p.stem for p in folder.glob("*.json")), reverse=True)[:limit]
    out = []
    for n in names:
        try:
            out.append(load_job(data, n))
        except NotFound:
            continue
    return out


def new_job(data: Path, *, kind: str = "reindex", by: str = "cli") -> dict:
    job = {
        "id": new_job_id(), "kind": kind, "state": "queued", "by": by,
        "done": 0, "total": 0, "failed": [], "rate": None, "eta": None,
        "created": _now(), "started": None, "finished": None,
        "generation": None, "resumed": 0, "error": None, "pid": os.getpid(),
    }
    save_job(data, job)
    return job


# --- the one-at-a-time lock ----------------------------------------------------------


class JobLock:
    """An exclusive flock on data/jobs/reindex.lock; released by the kernel if we die."""

    def __init__(self, data: Path):
        self.path = jobs_dir(data) / "reindex.lock"
        self.fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise Conflict("Một lần tái lập chỉ mục khác đang chạy. (Another re-index is running; wait for it or cancel it.)") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


def lock_held(data: Path) -> bool:
    path = jobs_dir(data) / "reindex.lock"
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


# --- the work -------------------------------------------------------------------------


def iter_record_paths(data: Path) -> Iterator[Path]:
    """Record files in a stable order, one directory at a time (never all in memory)."""
    root = Path(data) / "records"
    if not root.is_dir():
        return
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        yield from sorted(sub.glob("*.json"))


def count_records(data: Path) -> int:
    root = Path(data) / "records"
    if not root.is_dir():
        return 0
    return sum(1 for sub in root.iterdir() if sub.is_dir() for n in os.listdir(sub) if n.endswith(".json"))


def _re_extracted(record: dict, data: Path, re_extract: bool) -> tuple[dict | None, str | None]:
    """The record extracted again from its archived original, when `re_extract` asks for it or
    another extractor version made it: (fresh record, None). (None, None) when the old record
    stands; (record or None, reason) when re-extraction could not give a better one and the old
    text is kept. Pages read by OCR are not read again on a version change (slow, and what changed is
    the reading of text layers); `re_extract` reads them again with OCR. A record whose old
    text is kept on a version change still has what is read from that text (metadata, number
    keys, citations) read again by this version (`rederived`)."""
    from indexer.errors import ExtractionError
    from indexer.extract import Limits
    from indexer.pipeline import EXTRACTOR_VERSION, read_document, rederived

    if not re_extract and record.get("extractor", EXTRACTOR_VERSION) == EXTRACTOR_VERSION:
        return None, None
    stale = record.get("extractor", EXTRACTOR_VERSION) != EXTRACTOR_VERSION
    kept_as = lambda: rederived(record) if stale else None  # noqa: E731
    had_ocr = bool((record.get("extraction") or {}).get("ocr"))
    if had_ocr and not re_extract:
        return kept_as(), None
    original = Archive(Path(data)).original_path(record["sha"], record["suffix"])
    if not original.exists():
        return kept_as(), "thiếu bản gốc đã lưu, giữ văn bản cũ (the archived original is missing; the old text was kept)"
    try:
        fresh = read_document(original, source=record["source"], root=record["root"],
                              sha=record["sha"], limits=Limits(ocr=had_ocr))
    except ExtractionError as exc:
        return kept_as(), f"đọc lại bản gốc không được, giữ văn bản cũ: {exc.reason} (re-extraction failed; the old text was kept)"
    if not fresh["text"].strip() and (record.get("text") or "").strip():
        return kept_as(), "đọc lại bản gốc không thấy chữ nào, giữ văn bản cũ (re-extraction found no text; the old text was kept)"
    fresh["filename"] = record.get("filename", fresh["filename"])
    fresh["indexed_at"] = record.get("indexed_at", fresh["indexed_at"])
    return fresh, None


def _indexed_as(data: Path, id_: str) -> dict:
    """What the live index stored of document `id_` (source, root, …); {} when it cannot say."""
    from indexer.index import open_index

    try:
        ix = open_index(data, check_version=False)
        with ix.searcher() as s:
            return dict(s.document(id=id_) or {})
    except Exception:  # no index, or a damaged one: the original alone will do
        return {}


def _recovered(id_: str, data: Path, damage: Exception) -> dict:
    """The record of `id_`, whose file cannot be read, extracted again from its archived original
    (source, root and name as the live index has them); `damage` is raised when there is no original."""
    from indexer.extract import Limits
    from indexer.pipeline import read_document, readable_name

    known = _indexed_as(data, id_)
    source = known.get("source") or ""
    original = Archive(data).find_original(id_, Path(source).suffix.lower() or None)
    if original is None or (known.get("sha") and known["sha"] != original.stem):
        raise damage
    source = source or f"originals/{original.name}"
    record = read_document(original, source=source, root=known.get("root") or "", sha=original.stem,
                           limits=Limits(ocr=True))
    record["filename"] = readable_name(Path(source).name)
    return record


def _rebuild_one(task: tuple) -> tuple:
    """Worker: a record file → ("ok", id, fields, record-or-None, kept-reason-or-None, recovered)
    or ("error", id, source, reason).

    The record is re-extracted from the archived original when it was made by another
    extractor version (or `re_extract`); otherwise its text is re-segmented (cache first).
    The rebuilt record comes back only when it changed, for the parent to save. When
    re-extraction fails, the old record is indexed as it was and the reason comes back. A record
    file that cannot be read is extracted again from the archived original (`recovered`).
    """
    from indexer.errors import DamagedRecord, ExtractionError, VanthuError
    from indexer.pipeline import analyze_cached, index_fields

    path, data, re_extract = task
    id_ = Path(path).stem
    source = id_
    try:
        try:
            record, recovered = read_record(Path(path), id_), False
        except DamagedRecord as exc:
            record, recovered = _recovered(id_, Path(data), exc), True
        source = record.get("source") or id_
        changed, kept = (record, None) if recovered else _re_extracted(record, Path(data), re_extract)
        record = changed or record
        seg = analyze_cached(record, data)
        return ("ok", record["id"], index_fields(record, seg), changed, kept, bool(recovered))
    except ExtractionError as exc:
        return ("error", id_, source, exc.reason)
    except VanthuError as exc:
        return ("error", id_, source, str(exc))
    except Exception as exc:  # one bad record must not stop the run
        return ("error", id_, source, f"unexpected {exc.__class__.__name__}: {exc}")


def _abandoned_generations(data: Path) -> list[str]:
    from indexer.index import _GEN, current_generation, index_root

    root = index_root(data)
    live = current_generation(data)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if _GEN.match(p.name) and p.name != live and (live is None or p.name > live))


def cleanup(data: Path) -> list[str]:
    """Remove half-built generations of dead jobs; the caller holds the job lock."""
    from indexer.index import index_root

    gone = _abandoned_generations(data)
    for name in gone:
        shutil.rmtree(index_root(data) / name, ignore_errors=True)
    return gone


def _resumable(data: Path) -> tuple[str, dict] | None:
    """(generation, job) of the last interrupted re-index whose generation can be reopened."""
    from indexer.index import generation_version, index_root
    from indexer.schema import SCHEMA_VERSION

    abandoned = set(_abandoned_generations(data))
    for job in list_jobs(data, limit=5):
        gen = job.get("generation")
        if job.get("kind") == "reindex" and job.get("state") in ("failed", "running", "queued") and gen in abandoned:
            path = index_root(data) / gen
            if generation_version(path) == SCHEMA_VERSION and (path / "VERSION").exists():
                return gen, job
    return None


def reindex(
    data: Path,
    *,
    workers: int = 1,
    job: dict | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: threading.Event | None = None,
    restart: bool = False,
    re_extract: bool = False,
    commit_every: int = COMMIT_EVERY,
) -> dict:
    """Rebuild the whole index from the archive into a new generation and switch to it.

    Returns the final job dict. Raises Conflict when another re-index holds the lock.
    """
    data = Path(data)
    lock = JobLock(data)
    lock.acquire()
    try:
        job = job or new_job(data)
        return _reindex_locked(data, job, workers=workers, progress=progress, cancel=cancel, restart=restart,
                               re_extract=re_extract, commit_every=commit_every)
    except KeyboardInterrupt:  # Ctrl+C before the build started: cancelled, not "the process died"
        if job is not None and job.get("state") not in FINAL:
            job.update(state="cancelled", finished=_now(), eta=None)
            save_job(data, job)
        raise
    finally:
        lock.release()


def _reindex_locked(data, job, *, workers, progress=None, cancel=None, restart=False, re_extract=False,
                    commit_every=COMMIT_EVERY) -> dict:
    from whoosh import index as windex

    from indexer.index import index_root, live_writes_held, new_generation, new_writer, switch_to
    from indexer.pipeline import run_tasks

    archive = Archive(data)
    job.update(state="running", started=_now(), pid=os.getpid(), error=None)
    started = time.monotonic()
    done_ids: set[str] = set()
    resume = None if restart else _resumable(data)
    if resume is not None:
        name, old_job = resume
        ix = windex.open_dir(str(index_root(data) / name))
        with ix.searcher() as s:
            done_ids = {f["id"] for f in s.all_stored_fields()}
        for other in _abandoned_generations(data):
            if other != name:
                shutil.rmtree(index_root(data) / other, ignore_errors=True)
        job["resumed"] = len(done_ids)
        job["failed"] = list(old_job.get("failed") or [])
        job["kept"] = list(old_job.get("kept") or [])
        job["recovered"] = list(old_job.get("recovered") or [])
        log.info("reindex %s resumes %s (%d documents already built)", job["id"], name, len(done_ids))
    else:
        cleanup(data)
        name, ix = new_generation(data)
    job["generation"] = name
    job.setdefault("kept", [])  # re-extraction failed: indexed with the text it had
    job.setdefault("recovered", [])  # the record could not be read: read again from the original
    job["total"] = count_records(data)
    job["done"] = len(done_ids)
    save_job(data, job)
    if progress:
        progress(job["done"], job["total"], "")

    failed_ids = {f["id"] for f in job["failed"]}
    processed = set(done_ids)

    def tasks(paths):
        for p in paths:
            if p.stem not in processed:
                processed.add(p.stem)
                yield (str(p), str(data), re_extract)

    last_save = 0.0
    writer = new_writer(ix)
    since_commit = 0

    def one_round(n_workers: int) -> bool:
        """Index the records not processed yet; False when there were none."""
        nonlocal writer, since_commit, last_save
        pending = tasks(iter_record_paths(data))
        first = next(pending, None)
        if first is None:
            return False
        stream = run_tasks(itertools.chain([first], pending), n_workers, _rebuild_one)
        for result in stream:
            if cancel is not None and cancel.is_set():
                stream.close()
                raise _Cancelled()
            if result[0] == "error":
                _, id_, source, reason = result
                if id_ not in failed_ids:
                    failed_ids.add(id_)
                    job["failed"].append({"id": id_, "source": source, "reason": reason})
            else:
                _, id_, fields, changed, kept, recovered = result
                if changed is not None:
                    archive.save_record(changed)
                if kept:
                    job["kept"].append({"id": id_, "source": fields["source"], "reason": kept})
                if recovered:
                    job["recovered"].append({"id": id_, "source": fields["source"]})
                writer.add_document(**fields)
                since_commit += 1
            job["done"] += 1
            if since_commit >= commit_every or writer.full:  # a checkpoint a killed job can resume from
                writer.commit(merge=False)
                writer = new_writer(ix)
                since_commit = 0
            now = time.monotonic()
            if progress:
                progress(job["done"], max(job["total"], job["done"]), fields["source"] if result[0] == "ok" else result[2])
            if now - last_save >= 1.0:
                last_save = now
                _progress_fields(job, started)
                save_job(data, job)
                if job.get("cancel_requested") or _cancel_file(data, job["id"]).exists():
                    stream.close()
                    raise _Cancelled()
        job["total"] = max(job["total"], job["done"])
        return True

    try:
        for _round in range(20):  # the archive, then records that appeared meanwhile (uploads), until none did
            if not one_round(workers):
                break
        _progress_fields(job, started)
        save_job(data, job)  # every record so far is in: what remains is the switch
        with live_writes_held(data):
            # uploads wait from here to the switch: the records that came since the last round
            # are added here, and none can land in the generation being replaced
            one_round(1)
            # records deleted while we ran (vanthu index removed them): leave them out
            for id_ in processed:
                if not archive.has_record(id_):
                    writer.delete_by_term("id", id_)
            writer.commit(merge=False)
            writer = None
            switch_to(data, name)
        job.update(state="done", finished=_now())
        _progress_fields(job, started)
        log.info("reindex %s done: %d documents, %d failed, switched to %s", job["id"], job["done"], len(job["failed"]), name)
    except (_Cancelled, KeyboardInterrupt) as exc:  # `vanthu jobs --cancel`, the API, or Ctrl+C
        if writer is not None:
            writer.cancel()
        shutil.rmtree(index_root(data) / name, ignore_errors=True)
        job.update(state="cancelled", finished=_now(), eta=None)
        log.info("reindex %s cancelled at %d/%d", job["id"], job["done"], job["total"])
        if isinstance(exc, KeyboardInterrupt):
            _cancel_file(data, job["id"]).unlink(missing_ok=True)
            save_job(data, job)
            raise
    except BaseException as exc:
        if writer is not None:
            try:
                writer.cancel()
            except Exception:
                pass
        refused = data_dir_error(exc, data)  # the data dir cannot be written: what to do, not the errno
        job.update(state="failed", finished=_now(), error=str(refused) if refused else f"{exc.__class__.__name__}: {exc}")
        log.exception("reindex %s failed", job["id"])
        _progress_fields(job, started)
        save_job(data, job)
        raise
    _cancel_file(data, job["id"]).unlink(missing_ok=True)
    save_job(data, job)
    return job


class _Cancelled(Exception):
    pass


def _progress_fields(job: dict, started: float) -> None:
    elapsed = max(time.monotonic() - started, 1e-6)
    built = job["done"] - job.get("resumed", 0)
    rate = built / elapsed
    job["rate"] = round(rate, 2)
    job["elapsed"] = round(elapsed, 1)
    job["eta"] = round((job["total"] - job["done"]) / rate, 1) if rate > 0 and job["state"] == "running" else None


def _cancel_file(data: Path, job_id: str) -> Path:
    return jobs_dir(data) / f"{job_id}.cancel"


def request_cancel(data: Path, job_id: str) -> dict:
    """Ask a running job to stop (works across processes: a marker file beside the job)."""
    job = load_job(data, job_id)
    if job["state"] in FINAL:
        return job
    _cancel_file(data, job_id).touch()
    job["cancel_requested"] = True
    return job


# --- running in the service -------------------------------------------------------------


class JobRunner:
    """Runs re-index jobs in a background thread of the service; one at a time."""

    def __init__(self, data: Path, workers: int = 1):
        self.data = Path(data)
        self.workers = workers
        self.thread: threading.Thread | None = None
        self.cancel_event = threading.Event()
        self.current: str | None = None
        self._lock = threading.Lock()

    def start(self, *, by: str = "api", restart: bool = False, re_extract: bool = False) -> dict:
        with self._lock:
            if (self.thread is not None and self.thread.is_alive()) or lock_held(self.data):
                running = self.current if self.thread is not None and self.thread.is_alive() else next(
                    (j["id"] for j in list_jobs(self.data) if j.get("state") == "running"), None)
                where = f"/api/admin/jobs/{running}" if running else "/api/admin/jobs"
                raise Conflict(f"Một lần tái lập chỉ mục khác đang chạy (job {running or 'từ dòng lệnh'}); theo dõi ở "
                               f"GET {where} hoặc huỷ nó. (A re-index is already running: follow it at GET {where} "
                               f"or cancel it.)")
            job = new_job(self.data, by=by)
            self.cancel_event = threading.Event()
            self.current = job["id"]
            ready = threading.Event()
            errors: list[BaseException] = []

            def run():
                lock = JobLock(self.data)
                try:
                    lock.acquire()
                except Conflict as exc:
                    errors.append(exc)
                    ready.set()
                    return
                ready.set()
                try:
                    _reindex_locked(self.data, job, workers=self.workers, cancel=self.cancel_event, restart=restart, re_extract=re_extract)
                except Exception:
                    pass  # state and reason are in the job file
                finally:
                    lock.release()

            self.thread = threading.Thread(target=run, name=f"reindex-{job['id']}", daemon=True)
            self.thread.start()
            ready.wait(10)
            if errors:
                job.update(state="failed", error=str(errors[0]), finished=_now())
                save_job(self.data, job)
                raise errors[0]
            return job

    def cancel(self, job_id: str) -> dict:
        job = request_cancel(self.data, job_id)
        if job_id == self.current:
            self.cancel_event.set()
        return job

    def wait(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)


# --- CLI --------------------------------------------------------------------------------


def cmd_reindex(args) -> int:
    from indexer.cli import ProgressBar, _settings
    from indexer.index import current_generation, require_index

    s = _settings(args)
    require_index(s.data, or_archive=True)  # a mistyped --data must not become an empty archive
    job = reindex(s.data, workers=s.worker_count, progress=ProgressBar("reindexing"),
                  restart=args.restart, re_extract=args.re_extract)
    if args.json:
        print(json.dumps(job, ensure_ascii=False, indent=2))
    else:
        resumed = f", làm tiếp sau {job['resumed']}" if job.get("resumed") else ""
        print(f"Lập lại chỉ mục {job['id']}: {job['state']}, {job['done']}/{job['total']} văn bản{resumed}, "
              f"{len(job['failed'])} lỗi, {job.get('elapsed', 0):.1f}s ({job.get('rate') or 0:.1f}/s); thế hệ đang dùng "
              f"{current_generation(s.data)}. (Re-index {job['state']}: {job['done']}/{job['total']} documents, "
              f"{len(job['failed'])} failed.)")
        for f in job["failed"]:
            print(f"  lỗi (failed)  {f['source']}: {f['reason']}")
        for f in job.get("kept") or []:
            print(f"  giữ bản cũ (kept)  {f['source']}: {f['reason']}")
        for f in job.get("recovered") or []:
            print(f"  bản ghi hỏng, đã đọc lại từ bản gốc (damaged record read again from the original)  {f['source']}")
    return 0 if job["state"] == "done" else 1


def cmd_jobs(args) -> int:
    from indexer.cli import _settings

    from indexer.index import require_index

    s = _settings(args)
    require_index(s.data, or_archive=True)
    if args.cancel:
        job = request_cancel(s.data, args.cancel)
        if job["state"] in FINAL:
            raise Conflict(f"Tác vụ {job['id']} đã kết thúc ({job['state']}), không còn gì để huỷ. "
                           f"(Job {job['id']} has already finished ({job['state']}); nothing to cancel.)")
        print(f"Đã yêu cầu huỷ tác vụ {job['id']} ({job['state']}); nó sẽ dừng trong giây lát. "
              f"(Cancel requested for {job['id']}.)")
        return 0
    jobs = list_jobs(s.data)
    if args.json:
        print(json.dumps(jobs, ensure_ascii=False, indent=2))
        return 0
    if not jobs:
        print("Chưa có tác vụ nào. (No jobs yet.)")
    for j in jobs:
        print(f"{j['id']}  {j['kind']:<8} {j['state']:<9} {j['done']}/{j['total']}  failed {len(j['failed'])}  "
              f"{j.get('started') or ''} → {j.get('finished') or ''}")
    return 0


def cmd_watch(args) -> int:
    from indexer.cli import _settings
    from indexer.pipeline import indexable_path
    from indexer.watch import describe_report, watch

    s = _settings(args)
    root = indexable_path(Path(args.path), s.data)
    print(f"Đang theo dõi {root.resolve()} (dữ liệu: {s.data}), quét mỗi {args.interval:g} giây; Ctrl+C để dừng. "
          f"(Watching {root.resolve()}, data dir {s.data}.)", flush=True)

    def on_report(report) -> None:
        for line in describe_report(report):
            print(line, flush=True)

    watch(root, s.data, interval=args.interval, workers=s.worker_count, once=args.once, on_report=on_report)
    return 0


def add_cli(sub, common) -> None:
    """`vanthu reindex`, `vanthu jobs`, `vanthu watch` (called by cli.build_parser)."""
    from indexer.cli import seconds_arg, workers_arg

    sp = sub.add_parser("reindex", parents=[common],
                        help="lập lại chỉ mục từ kho lưu trữ rồi chuyển sang (rebuild the index, then switch)",
                        description="Lập lại chỉ mục từ bản ghi/bản gốc đã lưu trữ bên cạnh chỉ mục đang dùng, rồi "
                                    "chuyển sang một cách nguyên tử; làm tiếp nếu lần trước bị ngắt. (Rebuild the "
                                    "index from the archive, then switch atomically; resumes if interrupted.)")
    sp.add_argument("--workers", type=workers_arg,
                    help="số tiến trình trích xuất/tách từ, 0 = mọi lõi (processes; default: all cores)")
    sp.add_argument("--restart", action="store_true",
                    help="không làm tiếp lần bị ngắt, làm lại từ đầu (do not resume; start over)")
    sp.add_argument("--re-extract", dest="re_extract", action="store_true",
                    help="trích xuất lại mọi bản gốc, kể cả trang OCR (re-extract every original)")
    sp.add_argument("--json", action="store_true", help="in tác vụ dạng JSON (print the job as JSON)")
    sp.set_defaults(func=cmd_reindex)

    sp = sub.add_parser("jobs", parents=[common], help="liệt kê hoặc huỷ tác vụ lập chỉ mục (list or cancel jobs)",
                        description="Liệt kê các tác vụ lập lại chỉ mục, hoặc huỷ một tác vụ đang chạy. "
                                    "(List re-index jobs, or cancel a running one.)")
    sp.add_argument("--cancel", metavar="JOB_ID", help="huỷ tác vụ đang chạy có id này (cancel this job)")
    sp.add_argument("--json", action="store_true", help="in danh sách dạng JSON (print the list as JSON)")
    sp.set_defaults(func=cmd_jobs)

    sp = sub.add_parser("watch", parents=[common],
                        help="theo dõi thư mục tiếp nhận và lập chỉ mục khi có thay đổi (watch a folder)",
                        description="Theo dõi một thư mục tiếp nhận (quét định kỳ) và lập chỉ mục mỗi khi nó thay "
                                    "đổi. (Index an intake folder whenever it changes, by polling.)")
    sp.add_argument("path", help="thư mục cần theo dõi (folder to watch)")
    sp.add_argument("--interval", type=seconds_arg, default=10.0,
                    help="số giây giữa hai lần quét, mặc định 10 (seconds between scans)")
    sp.add_argument("--workers", type=workers_arg,
                    help="số tiến trình trích xuất/tách từ, 0 = mọi lõi (processes; default: all cores)")
    sp.add_argument("--once", action="store_true", help="quét một lần rồi thoát (one scan, then exit)")
    sp.set_defaults(func=cmd_watch)


__all__ = ["reindex", "JobRunner", "load_job", "list_jobs", "request_cancel", "add_cli", "valid_id", "QueryError"]
