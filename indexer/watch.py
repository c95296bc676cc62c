"""Watched intake folder: poll PATH and run the incremental `index_path` when it changed.

Polling (a cheap stat walk every `interval` seconds) works on network shares and needs no
extra dependency. A file still being copied is left for the next scan: a change is only
indexed once its size and mtime were the same on two scans in a row.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import datetime
from collections.abc import Callable
from pathlib import Path

from indexer.errors import Conflict
from indexer.pipeline import IndexReport, index_path, iter_files

log = logging.getLogger("vanthu.watch")


def snapshot(root: Path, skip: Path | None = None) -> dict[str, tuple[int, int]]:
    """{path: (size, mtime_ns)} of the supported files under root (not under `skip`, the data dir)."""
    out = {}
    for p in iter_files(root, skip):
        try:
            st = p.stat()
        except OSError:
            continue
        out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


def describe_report(report: IndexReport) -> list[str]:
    """One line saying what a run did (added/updated/removed…), then one per skipped file."""
    moved = report.moved
    line = (f"[{datetime.now():%H:%M:%S}] {report.root}: thêm {report.added}, cập nhật {report.updated}, "
            f"xoá {report.removed}, {f'chuyển chỗ {moved}, ' if moved else ''}không đổi {report.unchanged}, "
            f"trùng {len(report.duplicates)}, bỏ qua {len(report.skipped)} ({report.added} added, "
            f"{report.updated} updated, {report.removed} removed, {f'{moved} moved, ' if moved else ''}"
            f"{report.unchanged} unchanged, {len(report.duplicates)} duplicates, {len(report.skipped)} skipped)")
    return [line, *(f"  bỏ qua (skipped)  {source}: {reason}" for source, reason in report.skipped),
            *(f"  trùng (duplicate)  {source}: giống hệt văn bản {same} (same bytes as document {same})"
              for source, same in report.duplicates)]


def watch(
    root: Path,
    data: Path,
    *,
    interval: float = 10.0,
    workers: int = 1,
    once: bool = False,
    stop: Callable[[], bool] | None = None,
    on_report: Callable[[IndexReport], None] | None = None,
) -> None:
    """Index `root` now, then again whenever its files settle after a change. A file skipped
    for the same reason as before is not reported again; a folder that is away for a while (a
    network share) is waited for, not given up on."""
    root = Path(root)
    indexed = None
    previous = None
    reported: set[tuple[str, str]] = set()  # skipped files already said
    away = False

    def done() -> bool:
        """Whether to stop; else wait for the next scan."""
        if once or (stop and stop()):
            return True
        time.sleep(interval)
        return False

    while True:
        if not root.exists():
            if not away:
                log.warning("watch %s: thư mục không còn thấy; chờ nó trở lại (the folder is gone; waiting for it)", root)
            away = True
            if done():
                return
            continue
        away = False
        current = snapshot(root, Path(data))
        if current != indexed and (indexed is None or current == previous):
            try:
                report = index_path(root, data, workers=workers)
            except Conflict as exc:  # a re-index is running, or the folder lost every file: try again
                log.warning("watch %s: %s", root, exc)
                previous = current
                if done():
                    return
                continue
            indexed = current
            log.info("watch %s: %d added, %d updated, %d removed, %d skipped", root, report.added,
                     report.updated, report.removed, len(report.skipped))
            new = replace(report, skipped=[s for s in report.skipped if s not in reported])
            reported = set(report.skipped)  # a file fixed and broken again is said again
            if on_report:
                on_report(new)
            else:
                for source, reason in new.skipped:
                    log.warning("watch %s: skipped %s: %s", root, source, reason)
        previous = current
        if done():
            return
