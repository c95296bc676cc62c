"""The straight path from a file to the index.

    file ─extract→ RawText ─(normalized)→ text ─metadata/citations/sections→ record
         ─segment→ fields ─→ Whoosh

`read_document` and `analyze` are pure per file and run in worker processes;
`index_path` owns the one Whoosh writer and the data dir.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from indexer.analysis import ANALYZER_VERSION, counts
from indexer.citations import citation_key, find_citations
from indexer.definitions import defined_terms
from indexer.errors import Conflict, EmptyFile, ExtractionError, NotFound, VanthuError, WouldRemoveAll
from indexer.extract import NO_TEXT, SUPPORTED_SUFFIXES, Limits, extract
from indexer.index import is_live, open_index, writing
from indexer.metadata import parse_metadata
from indexer.models import Citation
from indexer.normalize import fold, normalize_text
from indexer.numbers import loose_key, unpadded
from indexer.sections import split_sections
from indexer.schema import keyword, text_families
from indexer.segment import segmented
from indexer.store import Archive, check_index_path, doc_id, file_sha256

Progress = Callable[[int, int, str], None]

# Bump when extraction changes what a record holds: `vanthu reindex` then re-extracts from
# the archived originals; otherwise it re-segments the record text (or reuses the cache).
EXTRACTOR_VERSION = "extract-6"  # 3: Ð→Đ and Unicode hyphens; number keys without leading zeros; cited years
# 4: a law number whose legislature is printed apart (28/2004/QH 11), "Bộ luật số:", "ngày03 tháng"
# 5: law names keyed by the i/y spelling key ("Luật Quản lí thuế" cites "Luật Quản lý thuế")
# 6: a PDF page with a signature or stamp annotation read by pdftotext (its stamped number and day);
#    citations whose issuer is written in capitals ("CỦA SỞ NỘI VỤ"); an issuer not in capitals
#    ("Bộ Tài chính", "Ủy ban nhân dân tỉnh …": legacy fonts have no accented capitals); misplaced
#    tones moved to their vowel ("qủa" → "quả", "tòan" → "toàn", "ngừơi" → "người"); Windows-1258 .txt,
#    legacy-font HTML and DOCX runs, mixed UTF-8/8-bit .txt read right (legacy.py)

DISPLAY_FIELDS = ("number", "type", "issuer", "date", "title")


@dataclass
class IndexReport:
    """What one `vanthu index` run did."""

    root: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    moved: int = 0  # the same bytes under a new name: the document follows its file
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, same-as id)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (source, warning)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "root": self.root,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "moved": self.moved,
            "duplicates": [{"source": s, "same_as": i} for s, i in self.duplicates],
            "skipped": [{"source": s, "reason": r} for s, r in self.skipped],
            "warnings": [{"source": s, "warning": w} for s, w in self.warnings],
            "seconds": round(self.seconds, 2),
        }


def derived(text: str, source: str) -> dict:
    """What a record reads from its text: metadata, keys, sections, citations (no segmentation)."""
    meta = parse_metadata(text, source=source)
    return {
        **{k: getattr(meta, k) for k in ("number", "type", "issuer", "date", "title", "signer")},
        "parent_issuer": meta.parent_issuer,
        "number_key": loose_key(meta.number) if meta.number else None,
        "name_key": name_key(meta.type, meta.title),
        "sections": split_sections(text),
        "citations": [c.to_dict() | {"key": citation_key(c)} for c in find_citations(text)],
    }


def rederived(record: dict) -> dict:
    """An older extractor's record brought to this version without reading its original again
    (its pages were read by OCR, or the original is gone or now unreadable): its text repaired
    as text is now (`normalize_text`: look-alike letters, hyphens) and the rest read again."""
    text = normalize_text(record.get("text") or "")
    return {**record, "text": text, **derived(text, record["source"]), "extractor": EXTRACTOR_VERSION}


def read_document(path: Path, *, source: str, root: str, sha: str, limits: Limits) -> dict:
    """Extract and parse one file into a record (no segmentation)."""
    raw = extract(path, limits=limits)
    text = raw.text
    fields = derived(text, source)
    return {
        "id": doc_id(sha),
        "sha": sha,
        "source": source,
        "root": root,
        "filename": readable_name(path.name),
        "suffix": path.suffix.lower(),
        "size": path.stat().st_size,
        "format": raw.format,
        **{k: fields[k] for k in ("number", "type", "issuer", "date", "title", "signer", "parent_issuer",
                                  "number_key", "name_key")},
        "text": text,
        "sections": fields["sections"],
        "citations": fields["citations"],
        "extraction": {
            "pages": raw.pages,
            "tables": raw.tables,
            "ocr": raw.ocr,
            "ocr_pages": raw.ocr_pages,
            "encoding": raw.encoding,
            "legacy": raw.legacy,
            "rejoined": raw.rejoined,
        },
        "warnings": list(raw.warnings),
        "extractor": EXTRACTOR_VERSION,
        "indexed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def name_key(type_: str | None, title: str | None) -> str | None:
    """The key a law is cited by when cited by name ("Luật Thi đua, khen thưởng")."""
    if type_ not in ("Luật", "Bộ luật", "Hiến pháp") or not title:
        return None
    name = title if fold(title).startswith(fold(type_)) else f"{type_} {title}"
    return citation_key(Citation(start=0, end=len(name), surface=name, type=type_, name=name))


def analyze(record: dict) -> dict:
    """The segmented forms of a record's text fields (the expensive step)."""
    return {
        "analyzer": ANALYZER_VERSION,
        "title": segmented(record.get("title") or ""),
        "body": segmented(record["text"]),
    }


def number_tokens(number: str | None, year: int | None) -> str:
    """The parts of a number as the loose look-up asks them: "06/KH-UBND" → "6 kh ubnd"."""
    parts = re.findall(r"[^\W_]+", fold(number)) if number else []
    if parts:
        parts[0] = unpadded(parts[0])
    return " ".join(parts)


def index_fields(record: dict, seg: dict) -> dict:
    """The Whoosh document for a record and its segmented text."""
    date = record.get("date")
    year = int(date[:4]) if date else None
    fields = {
        "id": record["id"],
        "source": record["source"],
        "root": record["root"],
        "sha": record["sha"],
        "format": record["format"],
        "meta": {k: record.get(k) for k in ("source", *DISPLAY_FIELDS)},
        "numtok": number_tokens(record.get("number"), year),
        "title": seg["title"],
        "title_syl": record.get("title") or "",
        "title_fold": record.get("title") or "",
        "body": seg["body"],
        "body_syl": record["text"],
        "body_fold": record["text"],
        "title_bi": record.get("title") or "",
        "body_bi": record["text"],
        "cites": ",".join(sorted({keyword(c["key"]) for c in record["citations"] if c.get("key")})),
    }
    defined = defined_terms(record["text"])
    if defined:
        fields["defines"] = ",".join(defined)
    keys = [k for k in (record.get("number_key"), record.get("name_key")) if k]
    if keys:
        fields["keys"] = ",".join(keyword(k) for k in keys)
    for name in ("type", "issuer", "date"):
        if record.get(name):
            fields[name] = record[name]
    if year:
        fields["year"] = year
    for name, family in _text_families().items():  # counted here, in the worker, not in the writer
        fields[name] = counts(family, fields[name])
    return fields


@functools.lru_cache(maxsize=1)
def _text_families() -> dict:
    return text_families()


# --- bulk --------------------------------------------------------------------------


def iter_files(root: Path, skip: Path | None = None, skipped: list | None = None) -> Iterator[Path]:
    """Supported files under `root` (a folder, or one file), hidden ones and the folder `skip`
    (vanthu's data dir, when it lives inside the archive folder) left out, and any other vanthu
    data dir (a backup copy: its originals would come back as new documents). A folder that
    cannot be read, or another data dir, is added to `skipped` as (its path under root with a
    final "/", the reason)."""
    if root.is_file():
        yield root
        return
    skip = skip.resolve() if skip is not None else None

    def under(d: Path) -> str:
        return readable_name(d.relative_to(root).as_posix()) + "/"

    def unreadable(exc: OSError) -> None:
        if skipped is not None and exc.filename:
            skipped.append((under(Path(exc.filename)), "không đọc được thư mục; văn bản đã lưu từ đó được giữ nguyên "
                            f"(cannot read the folder: {exc.strerror or exc}; its archived documents are kept)"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        kept = []
        for d in sorted(dirnames):
            path = Path(dirpath) / d
            if d.startswith(".") or (skip is not None and path.resolve() == skip):
                continue
            if is_data_dir(path):
                if skipped is not None:
                    skipped.append((under(path), "thư mục dữ liệu của vanthu (một bản sao lưu?), không lập chỉ mục "
                                    "(a vanthu data directory, perhaps a backup: not indexed)"))
                continue
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith(".") or name.startswith("~$"):
                continue
            p = Path(dirpath) / name
            if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file():
                yield p


def is_data_dir(path: Path) -> bool:
    """`path` is a vanthu data dir (its index's CURRENT file, or originals/ beside records/)."""
    try:
        return (path / "index" / "CURRENT").is_file() or ((path / "originals").is_dir() and (path / "records").is_dir())
    except OSError:
        return False


def readable_name(name: str) -> str:
    """A file name as text: NFC (a Mac copy writes names decomposed), and a byte that is not
    UTF-8 (an old TCVN3 zip's names reach Python as lone surrogates, which no JSON or index can
    hold) shown as U+FFFD."""
    return unicodedata.normalize("NFC", name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


def _source_of(path: Path, root: Path) -> str:
    """The file's path under the indexed folder, in NFC (a Mac copy writes names decomposed)."""
    return readable_name(path.name if root.is_file() else path.relative_to(root).as_posix())


_CACHES: dict = {}


def worker_cache(data: str | None):
    """This process's segmentation cache for `data` (None: no cache)."""
    if data is None:
        return None
    cache = _CACHES.get(data)
    if cache is None:
        from indexer.cache import SegmentCache

        cache = _CACHES[data] = SegmentCache(Path(data))
    return cache


def flush_caches() -> None:
    for cache in _CACHES.values():
        cache.flush()


def analyze_cached(record: dict, data: str | None) -> dict:
    cache = worker_cache(data)
    return cache.analyze(record) if cache is not None else analyze(record)


def _work(task: tuple) -> tuple:
    """Worker: one file → archived original + record, and ("ok", summary, Whoosh fields);
    or ("error", source, reason). The worker writes the archive files itself (in parallel),
    so the writer process only feeds Whoosh."""
    path, source, root, sha, limits, data = task
    try:
        record = read_document(Path(path), source=source, root=root, sha=sha, limits=limits)
        fields = index_fields(record, analyze_cached(record, data))
        archive = Archive(Path(data))
        archive.put_original(Path(path), sha, record["suffix"])
        archive.save_record(record)
        summary = {k: record[k] for k in ("id", "source", "sha", "warnings")}
        return ("ok", summary, fields)
    except ExtractionError as exc:
        return ("error", source, exc.explained)
    except VanthuError as exc:
        return ("error", source, str(exc))
    except Exception as exc:  # a bug or a library failure on one file must not stop the run
        return ("error", source, f"unexpected {exc.__class__.__name__}: {exc}")


def _warm() -> None:
    import atexit
    import signal

    from indexer.segment import segment

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the main process's to handle: no worker tracebacks
    segment("khởi động")
    atexit.register(flush_caches)


def run_tasks(tasks: Iterable[tuple], workers: int, fn: Callable = None, *, in_flight: int = 0) -> Iterator:
    """Results of `fn` (default `_work`) over tasks, in a spawn process pool when workers > 1.

    At most `in_flight` tasks (default 16 per worker) are handed to the pool at once, so
    memory stays bounded however long `tasks` is (Pool.imap alone reads its input eagerly).
    """
    fn = fn or _work
    if workers <= 1:
        try:
            for t in tasks:
                yield fn(t)
        finally:
            flush_caches()
        return
    slots = threading.BoundedSemaphore(in_flight or 16 * workers)
    stop = threading.Event()

    def feed():
        for t in tasks:
            while not slots.acquire(timeout=0.5):
                if stop.is_set():
                    return
            if stop.is_set():
                return
            yield t

    ctx = get_context("spawn")  # no fork of a process holding locks/threads (uvicorn, whoosh)
    # maxtasksperchild recycles a worker now and then: bounded memory, cache flushed at exit
    pool = ctx.Pool(processes=workers, initializer=_warm, maxtasksperchild=2000)
    try:
        for result in pool.imap_unordered(fn, feed(), chunksize=1):
            slots.release()
            yield result
        pool.close()
        pool.join()
    finally:
        stop.set()
        pool.terminate()


def indexable_path(path: Path, data: Path) -> Path:
    """`path`, which must exist and not be vanthu's own data dir or inside it (a data dir inside
    `path` is fine: it is walked around)."""
    path = Path(path)
    if not path.exists():
        raise NotFound(f"Không có {path}: hãy chỉ một thư mục hoặc một tệp để lập chỉ mục. "
                       f"({path} does not exist: give a folder or a file to index.)")
    check_index_path(path, data)
    return path


def index_path(
    path: Path,
    data: Path,
    *,
    workers: int = 1,
    limits: Limits | None = None,
    progress: Progress | None = None,
    allow_remove_all: bool = False,
) -> IndexReport:
    """Add new and changed files under `path`, drop files gone from it; skip unchanged ones.
    A run that would remove every document archived from `path` (two or more) is refused
    (`WouldRemoveAll`: an unmounted share, an emptied folder) unless `allow_remove_all`."""
    path = indexable_path(path, data)
    from indexer.jobs import lock_held  # jobs imports this module

    if lock_held(data):  # its new generation would not hold what we add now
        raise Conflict("Kho đang được tái lập chỉ mục (vanthu jobs để theo dõi): chạy lại vanthu index khi xong. "
                       "(A re-index of this archive is running; run index again when it has finished.)")
    limits = limits or Limits()
    root = path.resolve()
    report = IndexReport(root=str(root))
    started = time.monotonic()
    archive = Archive(data)
    ix = open_index(data, create=True)

    with ix.searcher() as s:
        existing = {f["source"]: f for f in s.documents(root=str(root))}
        known_ids = {f["id"] for f in s.all_stored_fields()}

    found = []  # (path, source, sha) of every readable file
    folders: list[tuple[str, str]] = []  # folders not read: their documents stay
    for p in iter_files(root if root.is_dir() else path, skip=Path(data), skipped=folders):
        source = _source_of(p, root)
        try:
            if p.stat().st_size == 0:
                report.skipped.append((source, "tệp rỗng, không có nội dung (the file is empty)"))
                continue
            found.append((p, source, file_sha256(p)))
        except OSError as exc:
            report.skipped.append((source, f"không đọc được tệp (cannot read the file: {exc.strerror or exc})"))
    report.skipped.extend(folders)
    seen = {source for _, source, _ in found} | {source for source, _ in report.skipped}
    seen |= {source for source in existing if any(source.startswith(folder) for folder, _ in folders)}
    # a document whose file is gone but whose bytes are here under another name was moved or
    # renamed (or was one of two copies): it stays, under the new name
    movable = {f["id"]: f for source, f in existing.items() if source not in seen}

    tasks, batch_ids, moved = [], set(), set()
    for p, source, sha in found:
        old = existing.get(source)
        if old is not None and old["sha"] == sha:
            report.unchanged += 1
            archive.put_original(p, sha, p.suffix)  # back, if the archived copy went missing
            continue
        id_ = doc_id(sha)
        if id_ in batch_ids or (id_ in known_ids and (old is None or old["id"] != id_) and id_ not in movable):
            report.duplicates.append((source, id_))
            continue
        if id_ in movable:
            moved.add(source)
            movable.pop(id_)
        batch_ids.add(id_)
        tasks.append((str(p), source, str(root), sha, limits, str(data)))

    gone = [f for s, f in existing.items() if s not in seen and f["id"] in movable]
    if len(existing) > 1 and len(gone) == len(existing) and not allow_remove_all:
        raise WouldRemoveAll(
            f"{path} không còn tệp nào của {len(existing)} văn bản đã lưu từ đó; chưa xoá gì. Nếu đây là ổ mạng "
            f"hoặc thư mục chưa được gắn lại, hãy gắn rồi chạy lại; nếu thật sự muốn xoá chúng khỏi kho, chạy lại với "
            f"--allow-remove-all. (None of the {len(existing)} documents archived from {path} is there any more; "
            f"nothing was removed. Remount the folder, or run again with --allow-remove-all to remove them.)")
    total = len(tasks)
    done = 0
    with writing(ix) as w:
        if not is_live(ix, data):  # a re-index ended and switched while we were looking
            raise Conflict("Chỉ mục vừa được tái lập xong trong lúc chuẩn bị; hãy chạy lại vanthu index. "
                           "(A re-index switched the index meanwhile; run vanthu index again.)")
        for f in gone:
            w.delete_by_term("id", f["id"])
            archive.delete_record(f["id"])
            report.removed += 1
        # no pool for nothing to do (an unchanged archive): starting workers costs ~1 s
        for result in run_tasks(tasks, min(workers, len(tasks))):
            done += 1
            if result[0] == "error":
                _, source, reason = result
                report.skipped.append((source, reason))
                if progress:
                    progress(done, total, source)
                continue
            _, record, fields = result
            source = record["source"]
            old = existing.get(source)
            if old is not None and old["id"] != record["id"]:
                w.delete_by_term("id", old["id"])
                archive.delete_record(old["id"])
                report.updated += 1
            elif source in moved:  # the same document under its new name (update_document replaces it)
                report.moved += 1
            else:
                report.added += 1
            w.update_document(**fields)
            w.checkpoint_if_full()
            report.warnings.extend((source, warning) for warning in record["warnings"])
            if progress:
                progress(done, total, source)
    report.seconds = time.monotonic() - started
    return report


def _free_name(searcher, name: str) -> str:
    """`name`, or `name (2).ext`, `name (3).ext`… when another upload already has it: each
    uploaded document keeps its own source, as files in a folder do."""
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, n = name, 1
    while searcher.document_number(source=f"uploads/{candidate}") is not None:
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    return candidate


LARGE_UPLOAD = 2 << 20  # bytes: an upload at least this big is prepared in a worker process


def _prepare_upload(path: str, source: str, filename: str, sha: str, limits: Limits) -> tuple:
    """The CPU work of an upload (extraction, normalization, segmentation, term counts):
    ("ok", record, Whoosh fields) or ("error", error class, reason). Errors travel as a tuple,
    so they cross a process boundary whatever their constructor."""
    try:
        record = read_document(Path(path), source=source, root="upload", sha=sha, limits=limits)
    except ExtractionError as exc:
        return ("error", type(exc), exc.reason)
    if record["warnings"] == [NO_TEXT]:  # only blanks: refused, as a 0-byte upload is (nothing to find it by)
        return ("error", EmptyFile, NO_TEXT)
    record["filename"] = filename
    record["suffix"] = Path(filename).suffix.lower() or Path(path).suffix.lower()
    return ("ok", record, index_fields(record, analyze(record)))


class UploadWorker:
    """A spawn process that prepares large uploads (`_prepare_upload`), so the service's own
    threads are not held up: in-process, a 14 MB text held Python's GIL for seconds at a
    time, and searches waited."""

    def __init__(self, threshold: int = LARGE_UPLOAD):
        self.threshold = threshold
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def takes(self, path: Path) -> bool:
        return path.stat().st_size >= self.threshold

    @property
    def started(self) -> bool:
        return self._pool is not None

    def run(self, *args) -> tuple:
        with self._lock:
            if self._pool is None:
                # a fresh process per upload (under a second to start): the memory a large file
                # needed goes back with it
                self._pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"), initializer=_warm,
                                                 max_tasks_per_child=1)
            pool = self._pool
        try:
            return pool.submit(_prepare_upload, *args).result()
        except BrokenProcessPool:  # the worker died (memory): the next upload gets a new one
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            raise VanthuError("Không xử lý được tệp: tiến trình xử lý bị dừng (thiếu bộ nhớ?) — hãy thử lại hoặc "
                              "chia nhỏ tệp. (The worker process preparing the upload stopped.)") from None

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None


def add_file(path: Path, data: Path, *, filename: str, limits: Limits | None = None,
             worker: UploadWorker | None = None) -> tuple[str, bool]:
    """Archive and index one uploaded file; returns (id, was_already_archived).

    The same bytes twice are one document. Nothing is written unless extraction succeeded.
    A file that `worker` takes (a large one) is prepared in its process.
    """
    limits = limits or Limits()
    sha = file_sha256(path)
    id_ = doc_id(sha)
    archive = Archive(data)
    ix = open_index(data, create=True)
    with ix.searcher() as s:
        if s.document_number(id=id_) is not None:
            return id_, True
    safe = unicodedata.normalize("NFC", re.sub(r"[\\/\x00-\x1f]", "_", filename)).strip(" .") or f"{id_}"
    args = (str(path), f"uploads/{safe}", safe, sha, limits)
    outcome = worker.run(*args) if worker is not None and worker.takes(path) else _prepare_upload(*args)
    if outcome[0] == "error":  # name the file as uploaded, not our temp copy
        _, error, reason = outcome
        raise error(safe, reason)
    _, record, fields = outcome
    while True:  # again only when a re-index switched generations meanwhile (once per re-index)
        try:
            with writing(ix) as w:
                if not is_live(ix, data):  # a re-index switched while we waited for the lock
                    raise _Switched
                # the name is chosen holding the writer's lock: two uploads of "Tờ trình.txt" at
                # once become "Tờ trình.txt" and "Tờ trình (2).txt"
                with ix.searcher() as s:
                    if s.document_number(id=id_) is not None:  # the same bytes, sent at the same moment, got here first
                        return id_, True
                    source = f"uploads/{_free_name(s, safe)}"
                record["source"] = fields["source"] = fields["meta"]["source"] = source
                archive.put_original(path, sha, record["suffix"])
                archive.save_record(record)
                w.update_document(**fields)
            return id_, False
        except _Switched:
            ix = open_index(data)


class _Switched(Exception):
    pass
