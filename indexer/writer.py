"""Whoosh's segment writer with a posting pool that does not spill: same index files, half the CPU.

Whoosh's `PostingPool` keeps one Python tuple per posting (~200 bytes) and, past `limitmb`,
sorts and pickles runs to disk, then merges them with a heap at commit — at 900 postings a
document that was the largest single cost of indexing (bench/reports/reindex.md). Here the
pool keeps, per term, the document numbers, weights and value bytes in compact arrays (about
20 bytes a posting), never spills, and hands the postings over sorted by (field, term,
document) — the order Whoosh's sort gives. The field writer's look-up of each posting's
document length (a read from the length column per posting) is answered from a per-field
list read once. Everything else — codec, files, segments, TOC — is Whoosh's own
`SegmentWriter`; tests/indexer/test_writer.py compares the postings, lengths and stored
fields of both writers.

One setting differs: posting lists are written in blocks of `BLOCK_POSTINGS` (1024) postings,
not Whoosh's 128. indexer/engine.py decodes a whole posting list per query term, and each
block costs a zlib call and two unpickles in Python, so eight times fewer blocks is the
larger part of a query whose postings are not cached: on 20 000 demo documents p95 of 600
mixed queries with the posting cache emptied 37 → 24 ms, index 69 → 52 MB (4096 gave the
same as 1024). Whoosh's own matchers skip block by block, so they read more per skip; only
wildcards and ranges still use them. Indexes written with 128 stay readable as they are.
"""

from __future__ import annotations

from array import array

from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter


class TermPool:
    """The writer's postings, grouped by (field, term bytes)."""

    def __init__(self):
        self.postings = 0  # how many the pool holds: callers commit before it grows too large
        self.fieldnames: set[str] = set()
        self._terms: dict[tuple[str, bytes], tuple[array, array, list]] = {}
        self._values: dict[bytes, bytes] = {}  # one bytes object per distinct value ("frequency 1" …)
        self._last_doc = -1
        self._in_order = True  # documents came in increasing order (add_document); a merge may not

    def add(self, item) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        key = (fieldname, tbytes)
        postings = self._terms.get(key)
        if postings is None:
            postings = self._terms[key] = (array("I"), array("d"), [])
            self.fieldnames.add(fieldname)
        self.postings += 1
        if docnum < self._last_doc:
            self._in_order = False
        self._last_doc = docnum
        postings[0].append(docnum)
        postings[1].append(weight)
        if vbytes is not None:
            vbytes = self._values.setdefault(vbytes, vbytes)
        postings[2].append(vbytes)

    def iter_postings(self):
        for key in sorted(self._terms):
            fieldname, tbytes = key
            docs, weights, values = self._terms[key]
            order = range(len(docs))
            if not self._in_order and any(docs[k] > docs[k + 1] for k in order[:-1]):  # a merge
                order = sorted(order, key=docs.__getitem__)
            for k in order:
                yield fieldname, tbytes, docs[k], weights[k], values[k]

    def cleanup(self) -> None:
        self.postings = 0
        self._last_doc, self._in_order = -1, True
        self._terms.clear()
        self._values.clear()


class _Lengths:
    """A per-document reader whose `doc_field_length` reads each field's column once."""

    def __init__(self, pdr):
        self._pdr = pdr
        self._by_field: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._by_field.get(fieldname)
        if lengths is None:
            get = self._pdr.doc_field_length
            lengths = self._by_field[fieldname] = [get(d, fieldname) for d in range(self._pdr.doc_count_all())]
        return lengths[docnum]

    def close(self) -> None:
        self._pdr.close()


# A writer holding this many postings commits (a checkpoint) before taking more documents:
# ~25 bytes each in the pool, so a few hundred MB whatever the archive (10 000 demo documents
# are 9 M postings; one long law ~40 000).
MAX_POOL_POSTINGS = 10_000_000
BLOCK_POSTINGS = 1024  # postings per block of a posting list (Whoosh: 128); see the module docstring


class FastSegmentWriter(SegmentWriter):
    """`SegmentWriter` with the `TermPool` and the cached length look-ups."""

    @property
    def full(self) -> bool:
        return self.pool.postings >= MAX_POOL_POSTINGS

    def __init__(self, ix, **kwargs):
        kwargs.pop("limitmb", None)  # the pool never spills; memory is bounded by the caller's commits
        kwargs.setdefault("codec", W3Codec(blocklimit=BLOCK_POSTINGS))
        super().__init__(ix, **kwargs)
        self.pool = TermPool()

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = _Lengths(self.per_document_reader()) if self.codec.length_stats else None
        self.fieldwriter.add_postings(self.schema, pdr, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr:
            pdr.close()
