"""Opening, creating and switching Whoosh index generations; the write context.

``index/CURRENT`` names the live generation (``gen-000001`` …). A re-index builds a new
generation beside it and switches by replacing CURRENT atomically; searches opened before
the switch keep their snapshot. A generation carries ``VERSION`` (schema + analyzer); a
different version is reported as SchemaMismatch, never wiped silently.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import time
from pathlib import Path

from whoosh import index as windex
from whoosh.writing import LockError

from indexer.errors import Conflict, IndexUnavailable, SchemaMismatch
from indexer.schema import SCHEMA_VERSION, build_schema
from indexer.store import atomic_write
from indexer.writer import FastSegmentWriter

_GEN = re.compile(r"^gen-(\d{6})$")
log = logging.getLogger(__name__)


def index_root(data: Path) -> Path:
    return Path(data) / "index"


def current_generation(data: Path) -> str | None:
    pointer = index_root(data) / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):  # NotADirectory: --data names a file
        return None
    return name if _GEN.match(name) else None


def generation_version(path: Path) -> str | None:
    try:
        return (path / "VERSION").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def new_generation(data: Path):
    """Create an empty index generation beside the live one; returns (name, Index)."""
    root = index_root(data)
    root.mkdir(parents=True, exist_ok=True)
    numbers = [int(m.group(1)) for p in root.iterdir() if (m := _GEN.match(p.name))]
    name = f"gen-{(max(numbers) + 1 if numbers else 1):06d}"
    path = root / name
    path.mkdir()
    atomic_write(path / "VERSION", SCHEMA_VERSION.encode())
    return name, windex.create_in(str(path), build_schema())


def switch_to(data: Path, name: str, *, keep: int = 1) -> None:
    """Make generation `name` live (atomic), then remove all but `keep` older ones."""
    root = index_root(data)
    atomic_write(root / "CURRENT", name.encode())
    gens = sorted(p.name for p in root.iterdir() if _GEN.match(p.name))
    older = [g for g in gens if g < name]
    for g in older[: max(0, len(older) - keep)]:
        shutil.rmtree(root / g, ignore_errors=True)
    for g in gens:  # abandoned builds newer than the live one (a killed re-index)
        if g > name:
            shutil.rmtree(root / g, ignore_errors=True)


def no_index(data: Path) -> IndexUnavailable:
    """The error for a data dir without an index (a mistyped --data, or nothing indexed yet)."""
    return IndexUnavailable(
        f"Chưa có chỉ mục trong {data}: hãy chạy `vanthu index THƯ_MỤC --data {data}` trước "
        f"(hoặc kiểm tra lại --data). (No index in {data} yet: run `vanthu index PATH --data {data}` first.)"
    )


def require_index(data: Path, *, or_archive: bool = False) -> None:
    """Raise `no_index` unless `data` has a live index (with `or_archive`: or records/ or jobs/ to
    rebuild or list from). Creates nothing: a read-only command never makes an empty archive."""
    data = Path(data)
    if current_generation(data) is not None:
        return
    if or_archive and ((data / "records").is_dir() or (data / "jobs").is_dir()):
        return
    raise no_index(data)


def open_index(data: Path, *, create: bool = False, check_version: bool = True):
    """The live index. With `create`, an empty one is made when there is none."""
    name = current_generation(data)
    if name is None:
        if not create:
            raise no_index(data)
        name, ix = new_generation(data)
        switch_to(data, name)
        return ix
    path = index_root(data) / name
    if not path.is_dir():
        raise IndexUnavailable(
            f"Chỉ mục đang dùng ({name}, ghi trong {index_root(data) / 'CURRENT'}) không còn trong {index_root(data)}: "
            f"hãy chạy `vanthu reindex --data {data}` để lập lại từ các tệp gốc đã lưu (không mất văn bản nào). "
            f"(The live index {name} is missing; run `vanthu reindex --data {data}` to rebuild it from the archive.)"
        )
    version = generation_version(path)
    if check_version and version != SCHEMA_VERSION:
        raise SchemaMismatch(
            f"Chỉ mục trong {data} do một phiên bản khác lập ({version or 'không rõ'}; bản này cần {SCHEMA_VERSION}): "
            f"hãy chạy `vanthu reindex --data {data}` để lập lại từ các tệp gốc đã lưu (không mất văn bản nào); "
            "tìm kiếm hoạt động lại khi chỉ mục mới sẵn sàng. "
            f"(The index in {data} was built by another version; run `vanthu reindex --data {data}` to rebuild it "
            "from the archived originals — nothing is lost; search answers again once the new index is ready.)"
        )
    try:
        return windex.open_dir(str(path))
    except Exception as exc:  # whoosh raises several unrelated types for a damaged index
        raise IndexUnavailable(
            f"Không mở được chỉ mục {path} ({exc.__class__.__name__}: tệp hỏng?): hãy chạy `vanthu reindex --data {data}` "
            f"để lập lại từ các tệp gốc đã lưu (không mất văn bản nào). "
            f"(The index in {path} cannot be opened: run `vanthu reindex --data {data}` to rebuild it from the archive.)"
        ) from exc


def new_writer(ix, *, timeout: float = 30.0) -> FastSegmentWriter:
    """A writer on `ix` (indexer/writer.py: Whoosh's segment writer with a compact pool)."""
    try:
        return FastSegmentWriter(ix, timeout=timeout)
    except LockError as exc:
        raise Conflict("Another indexing run holds the index lock; wait for it to finish.") from exc


class RunWriter:
    """The writer of one indexing run. `checkpoint_if_full` commits what the pool holds (no
    merge) and goes on with a new writer once it is large, so memory stays bounded on any
    archive; what was committed stays if the run is killed later (the next run skips it)."""

    def __init__(self, ix, timeout: float):
        self.ix, self.timeout = ix, timeout
        self.writer = new_writer(ix, timeout=timeout)

    def __getattr__(self, name):  # add_document, update_document, delete_by_term …
        return getattr(self.writer, name)

    def checkpoint_if_full(self) -> bool:
        if not self.writer.full:
            return False
        self.writer.commit(merge=False)
        self.writer = new_writer(self.ix, timeout=self.timeout)
        return True


@contextlib.contextmanager
def writing(ix, *, timeout: float = 30.0, merge: bool = True):
    """One indexing run's writer: commit on success, cancel and re-raise on failure, always unlock."""
    run = RunWriter(ix, timeout)
    try:
        yield run
    except BaseException:
        run.writer.cancel()
        raise
    else:
        run.writer.commit(merge=merge)


def is_live(ix, data: Path) -> bool:
    """`ix` is the generation CURRENT names (a re-index may have switched since it was opened)."""
    return Path(ix.storage.folder).name == current_generation(data)


@contextlib.contextmanager
def live_writes_held(data: Path):
    """Hold the live generation's writer lock: an upload (or `vanthu index`) waits until the
    block ends. A re-index holds it from its last round of new records to the switch, so no
    document lands in the generation being replaced; waiting writers then see `is_live` false
    and write to the new one."""
    name = current_generation(data)
    if name is None:
        yield
        return
    try:
        lock = windex.open_dir(str(index_root(data) / name)).lock("WRITELOCK")
    except Exception:  # a live generation gone or damaged: nothing can write to it either
        yield
        return
    waited = time.monotonic()
    while not lock.acquire(blocking=False):  # an indexing run in progress: the switch waits for it
        if time.monotonic() - waited > 5:
            log.info("waiting for the writer of %s to finish before switching", name)
            waited = time.monotonic()
        time.sleep(0.05)
    try:
        yield
    finally:
        lock.release()
