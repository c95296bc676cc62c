"""The data dir: archived originals (content-addressed) and one JSON record per document.

Layout (everything the service owns lives under ``--data``)::

    originals/ab/<sha256><suffix>   the file as received, deduplicated by hash
    records/ab/<id>.json            extracted text, metadata, sections, citations
    index/CURRENT                   name of the live Whoosh generation (see index.py)
    index/gen-000001/               a Whoosh index
    jobs/<job_id>.json              bulk jobs (see jobs.py)

Records are the source of truth next to the originals: the index can always be rebuilt
from them (Whoosh never fsyncs). Every write is to a temp file then ``os.replace``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
from pathlib import Path

from indexer.errors import DamagedRecord, NotFound, QueryError

_ID = re.compile(r"^[0-9a-f]{16}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def doc_id(sha: str) -> str:
    """Stable, URL-safe id: the same bytes always give the same id."""
    return sha[:16]


def valid_id(value: str) -> bool:
    return bool(_ID.match(value or ""))


def read_record(path: Path, id_: str) -> dict:
    """The record of document `id_` in the file `path`: NotFound when there is none, DamagedRecord
    when the file cannot be read as one (truncated by a full disk, overwritten)."""
    try:
        record = json.loads(Path(path).read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise NotFound(f"No document with id {id_!r} in the archive.") from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise damaged(path, id_, f"{exc.__class__.__name__}: {exc}") from exc
    if not isinstance(record, dict) or record.get("id") != id_ or not isinstance(record.get("text"), str):
        raise damaged(path, id_, "not a record of this document")
    return record


def damaged(path: Path, id_: str, why: str) -> DamagedRecord:
    where = "/".join(Path(path).parts[-3:])  # records/ab/<id>.json: not the server's folders
    error = DamagedRecord(
        f"Bản ghi của văn bản {id_} bị hỏng ({where}), không đọc được: chạy `vanthu reindex` để đọc lại văn bản "
        f"từ bản gốc đã lưu trữ (hoặc thêm lại tệp nếu bản gốc cũng mất). (The record of document {id_} is "
        f"damaged: run `vanthu reindex` to read it again from its archived original.)")
    error.why = why
    return error


def _temp_file(folder: Path) -> tuple[int, str]:
    """A new temp file in `folder`, open for writing, made with mode 0666 & ~umask as any file
    is: mkstemp's 0600 would hide the archive from a service running as another user."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = str(Path(folder) / f".tmp-{secrets.token_hex(8)}")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_file(path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


MANAGED = ("originals", "records", "index", "cache", "jobs")  # what vanthu keeps in a data dir


def check_index_path(path: Path, data: Path) -> None:
    """Refuse to index the data dir itself or what vanthu keeps in it (`MANAGED`): its originals/
    would come back as new documents (old versions among them). A data dir inside `path` is fine,
    and so is a folder of documents the admin keeps beside those, inside the data dir
    (`make run`'s var/demo-archive)."""
    p, d = Path(path).resolve(), Path(data).resolve()
    if p == d or any(p == d / m or d / m in p.parents for m in MANAGED):
        raise QueryError(
            f"Không lập chỉ mục {path}: đây là thư mục dữ liệu {data} của vanthu (hoặc nằm trong nó), nơi giữ "
            f"bản gốc đã lưu trữ; lập chỉ mục nó sẽ đưa lại các bản cũ thành văn bản mới. Hãy chỉ thư mục "
            f"chứa văn bản của bạn. (Refusing to index {path}: it is the data dir {data} or inside it; "
            f"give the folder of your documents.)"
        )


class Archive:
    """Originals and records under one data dir."""

    def __init__(self, data: Path):
        self.data = Path(data)
        self.originals = self.data / "originals"
        self.records = self.data / "records"

    # originals -------------------------------------------------------------
    def original_path(self, sha: str, suffix: str) -> Path:
        if not _SHA.match(sha) or not _SUFFIX.match(suffix):
            raise NotFound("No archived original with that id.")
        return self.originals / sha[:2] / f"{sha}{suffix}"

    def find_original(self, id_: str, suffix: str | None = None) -> Path | None:
        """The archived original of document `id_` (its sha starts with the id), by preference
        the one with `suffix`; None when there is none. For a record that cannot be read."""
        if not valid_id(id_):
            return None
        folder = self.originals / id_[:2]
        found = sorted(p for p in folder.glob(f"{id_}*") if _SHA.match(p.stem) and _SUFFIX.match(p.suffix)) \
            if folder.is_dir() else []
        return next((p for p in found if p.suffix == suffix), found[0] if found else None)

    def put_original(self, src: Path, sha: str, suffix: str) -> Path:
        """Copy `src` into the archive unless the same bytes are already there (a copy that went
        missing, or whose size is not the file's — truncated, damaged — is copied again)."""
        dest = self.original_path(sha, suffix.lower())
        if not dest.exists() or dest.stat().st_size != Path(src).stat().st_size:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = _temp_file(dest.parent)
            os.close(fd)
            try:
                shutil.copyfile(src, tmp)
                os.replace(tmp, dest)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return dest

    # records ---------------------------------------------------------------
    def record_path(self, id_: str) -> Path:
        if not valid_id(id_):
            raise NotFound(f"No document with id {id_!r}: ids are 16 hexadecimal characters.")
        return self.records / id_[:2] / f"{id_}.json"

    def save_record(self, record: dict) -> None:
        data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        atomic_write(self.record_path(record["id"]), data)

    def load_record(self, id_: str) -> dict:
        return read_record(self.record_path(id_), id_)

    def has_record(self, id_: str) -> bool:
        return valid_id(id_) and self.record_path(id_).exists()

    def delete_record(self, id_: str) -> None:
        self.record_path(id_).unlink(missing_ok=True)

    def iter_records(self):
        """Every record, in a stable order (DamagedRecord for one that cannot be read)."""
        if not self.records.is_dir():
            return
        for sub in sorted(self.records.iterdir()):
            for p in sorted(sub.glob("*.json")):
                yield read_record(p, p.stem)
