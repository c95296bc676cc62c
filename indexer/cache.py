"""Segmentation cache: segmented text keyed by content hash + analyzer version.

Two levels, one SQLite file per analyzer version under ``data/cache/``:

- ``docs``: (title, body) segmented, keyed by the hash of the record's title and text, so
  an unchanged document is never segmented twice (re-index, re-add, schema-only change).
- ``lines``: one paragraph's words, keyed by the hash of the line. Archives repeat the same
  boilerplate ("Căn cứ Luật Tổ chức chính quyền địa phương …") in thousands of documents;
  a line is written here the second time a worker meets it, so unique lines do not bloat
  the file while repeated ones are shared by every worker and every later run.

Workers open the file read-mostly (WAL, busy timeout) and write in small batches; a lost
write only costs a re-segmentation, never a wrong answer (the key includes the version).
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections import OrderedDict
from pathlib import Path

from indexer.analysis import ANALYZER_VERSION
from indexer.segment import SEGMENTER_VERSION

_MIN_LINE = 24  # shorter lines are cheaper to segment than to look up


def cache_path(data: Path, version: str = SEGMENTER_VERSION) -> Path:
    # keyed by the segmenter alone: an analyzer change that keeps segmentation (new Whoosh
    # fields) re-uses every cached segmentation
    tag = hashlib.sha1(version.encode()).hexdigest()[:12]
    return Path(data) / "cache" / f"seg-{tag}.sqlite"


def _key(*parts: str) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.digest()


def _connect(path: Path, *, patience: float = 60.0) -> sqlite3.Connection:
    """Open (creating if needed) the cache file in WAL mode.

    Workers start together and open a new file at the same moment; switching it to WAL takes
    an exclusive lock for which SQLite does not wait (its busy timeout does not apply), so
    the loser got "database is locked" and its first document failed. The switch is tried
    again until it sticks; WAL is persistent, so later opens only read the mode.
    """
    db = sqlite3.connect(str(path), timeout=patience, isolation_level=None, check_same_thread=False)
    deadline, delay = time.monotonic() + patience, 0.005
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS docs (k BLOB PRIMARY KEY, title TEXT, body TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS lines (k BLOB PRIMARY KEY, words TEXT)")
            return db
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                db.close()
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


class SegmentCache:
    """Persistent segmentation cache for one data dir and the current segmenter version."""

    def __init__(self, data: Path, *, lru_lines: int = 50_000, flush_every: int = 64):
        self.path = cache_path(data)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = _connect(self.path)
        self.seen: OrderedDict[bytes, object] = OrderedDict()  # key → words (str) or None (seen once)
        self.lru_lines = lru_lines
        self.flush_every = flush_every
        self.pending_docs: dict[bytes, tuple] = {}
        self.pending_lines: list[tuple] = []
        self.stats = {"doc_hits": 0, "doc_misses": 0, "line_hits": 0, "line_misses": 0}

    # documents ---------------------------------------------------------------
    def analyze(self, record: dict) -> dict:
        """`pipeline.analyze(record)`, from the cache when the same text was segmented before."""
        title, text = record.get("title") or "", record["text"]
        key = _key(title, text)
        row = self.pending_docs.get(key) or self.db.execute("SELECT title, body FROM docs WHERE k=?", (key,)).fetchone()
        if row is not None:
            self.stats["doc_hits"] += 1
            return {"analyzer": ANALYZER_VERSION, "title": row[0], "body": row[1]}
        self.stats["doc_misses"] += 1
        seg = {"analyzer": ANALYZER_VERSION, "title": self.segmented(title), "body": self.segmented(text)}
        self.pending_docs[key] = (seg["title"], seg["body"])
        if len(self.pending_docs) >= self.flush_every:
            self.flush()
        return seg

    # paragraphs --------------------------------------------------------------
    def segmented(self, text: str) -> str:
        """Same output as `segment.segmented(text)`, paragraph by paragraph through the cache."""
        out = []
        for line in text.split("\n"):
            line = line.strip()
            if line:
                out.append(self._line(line))
        return " ".join(w for w in out if w)

    def _line(self, line: str) -> str:
        from indexer.segment import _segment_line

        if len(line) < _MIN_LINE:
            return " ".join(w.replace(" ", "_") for w in _segment_line(line))
        key = _key(line)
        if key in self.seen:
            words = self.seen[key]
            self.seen.move_to_end(key)
            if words is not None:
                self.stats["line_hits"] += 1
                return words
        else:
            row = self.db.execute("SELECT words FROM lines WHERE k=?", (key,)).fetchone()
            if row is not None:
                self._remember(key, row[0])
                self.stats["line_hits"] += 1
                return row[0]
        self.stats["line_misses"] += 1
        words = " ".join(w.replace(" ", "_") for w in _segment_line(line))
        if key in self.seen:  # second sight: boilerplate, share it with every worker and run
            self.pending_lines.append((key, words))
            self._remember(key, words)
        else:
            self._remember(key, None)
        return words

    def _remember(self, key: bytes, words) -> None:
        self.seen[key] = words
        self.seen.move_to_end(key)
        while len(self.seen) > self.lru_lines:
            self.seen.popitem(last=False)

    # writes ----------------------------------------------------------------------
    def flush(self) -> None:
        if not self.pending_docs and not self.pending_lines:
            return
        try:
            with self.db:
                self.db.execute("BEGIN")
                self.db.executemany("INSERT OR IGNORE INTO docs VALUES (?,?,?)",
                                    [(k, t, b) for k, (t, b) in self.pending_docs.items()])
                self.db.executemany("INSERT OR IGNORE INTO lines VALUES (?,?)", self.pending_lines)
        except sqlite3.OperationalError:
            pass  # busy or read-only: the cache is an optimisation, the run goes on
        self.pending_docs.clear()
        self.pending_lines.clear()

    def close(self) -> None:
        self.flush()
        self.db.close()


def clear_old(data: Path) -> list[Path]:
    """Remove cache files of other analyzer versions; returns what was removed."""
    keep = cache_path(data).name
    gone = []
    folder = Path(data) / "cache"
    if folder.is_dir():
        for p in folder.glob("seg-*.sqlite*"):
            if not p.name.startswith(keep):
                p.unlink(missing_ok=True)
                gone.append(p)
    return gone
