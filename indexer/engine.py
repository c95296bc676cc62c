"""Evaluates the Whoosh queries that search.py builds, over NumPy arrays of the index's postings.

Whoosh stays the index (segments, lexicon, postings, stored fields, columns) and the query
objects stay Whoosh's; only the evaluation moves. Whoosh's matchers walk every posting of
every term in Python, one document at a time, and collecting facets means visiting every
match: 0.3 s for one common word at 100 000 documents, seconds for a real query
(bench/reports/latency.md). Here each term's posting list is decoded block by block into
arrays once (an LRU shared by all threads: segments never change), and a query is a few
vector operations over one score array per segment.

The scores are Whoosh's own, to float precision: the same BM25F (`searcher.idf`,
`avg_field_length`, byte-encoded field lengths), the same boosts, sums for And/Or/AndMaybe,
and the same quirk that a compound of one subquery drops its own boost.
tests/indexer/test_engine.py checks hits, scores and facets against `Searcher.search`.
Query classes not handled here (a Wildcard, a range…) fall back to Whoosh's matcher for
that node alone (in a filter, where only the documents count, they are expanded to terms).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from dataclasses import field as dc_field

import numpy as np
from whoosh import query as Q
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.util.numeric import byte_to_length

_BYTE_LENGTH = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
CACHE_POSTINGS = 12_000_000  # postings kept decoded across queries (≈ 12 bytes each)


class SizedLRU:
    """A thread-safe LRU of (value, size) bounded by the total size."""

    def __init__(self, capacity: int):
        self.capacity, self.size = capacity, 0
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.items.get(key)
            if entry is None:
                return None
            self.items.move_to_end(key)
            return entry[0]

    def put(self, key, value, size: int) -> None:
        with self.lock:
            if key in self.items:
                return
            self.items[key] = (value, size)
            self.size += size
            while self.size > self.capacity and len(self.items) > 1:
                _, (_, old) = self.items.popitem(last=False)
                self.size -= old

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


# segment id → arrays; segments are immutable once written (deletions are read per searcher)
_POSTINGS = SizedLRU(CACHE_POSTINGS)
_PERDOC = SizedLRU(64 * 1_000_000)  # lengths and columns, in array entries


def clear_caches(*, postings: bool = True, perdoc: bool = True) -> None:
    """Empty the decoded postings and/or the per-document arrays (field lengths, columns)."""
    if postings:
        _POSTINGS.clear()
    if perdoc:
        _PERDOC.clear()


@dataclass
class Matches:
    """The documents a query matched (global document numbers, ascending) and their scores;
    `parts` holds the same per segment: (leaf, local document numbers)."""

    docnums: np.ndarray
    scores: np.ndarray
    parts: list = dc_field(default_factory=list)

    def __len__(self) -> int:
        return len(self.docnums)


class _Leaf:
    """One segment of the searcher: its reader, its first global document number, its deletions."""

    def __init__(self, subsearcher, offset: int):
        self.searcher = subsearcher
        self.reader = subsearcher.reader()
        self.offset = offset
        self.n = self.reader.doc_count_all()
        segment = getattr(self.reader, "segment", None)
        segment = segment() if callable(segment) else None  # None for an empty index
        self.key = segment.segment_id() if segment is not None else f"mem-{id(self.reader)}"
        self.live = np.ones(self.n, dtype=bool)
        if self.reader.has_deletions():
            self.live[:] = False
            self.live[np.fromiter(self.reader.all_doc_ids(), dtype=np.int64)] = True

    # per-document arrays ---------------------------------------------------------
    def lengths(self, field: str) -> np.ndarray:
        key = (self.key, "len", field)
        arr = _PERDOC.get(key)
        if arr is None:
            arr = self._read_lengths(field)
            _PERDOC.put(key, arr, self.n)
        return arr

    def _read_lengths(self, field: str) -> np.ndarray:
        """Whoosh's byte-encoded field lengths (one byte per document), decoded."""
        perdoc = getattr(self.reader, "_perdoc", None)
        reader = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN) if perdoc is not None else None
        if reader is None:
            return np.ones(self.n)
        raw = np.zeros(self.n, dtype=np.uint8)
        try:  # the column is a plain run of bytes: read it at once
            count = min(reader._count, self.n)
            raw[:count] = np.frombuffer(bytes(reader._dbfile.get(reader._basepos, count)), dtype=np.uint8)
        except AttributeError:  # another column layout: one document at a time
            raw[:] = np.fromiter((reader[i] for i in range(self.n)), dtype=np.uint8, count=self.n)
        return _BYTE_LENGTH[raw]

    def column(self, field: str) -> tuple[np.ndarray, list]:
        """(codes per document, values): a sortable field as small integer codes."""
        key = (self.key, "col", field)
        entry = _PERDOC.get(key)
        if entry is None:
            if self.reader.has_column(field):
                values = list(self.reader.column_reader(field, translate=True))
                # a numeric column stores its default (2**32 − 1 for the year) where a document has no value
                missing = getattr(self.reader.schema[field], "default", None)
                if isinstance(missing, (int, float)) and not isinstance(missing, bool):
                    values = [None if v == missing else v for v in values]
            else:
                values = [None] * self.n
            uniq = sorted({v for v in values if v not in (None, "")}, key=lambda v: (str(type(v)), v))
            index = {v: i for i, v in enumerate(uniq)}
            codes = np.array([index.get(v, -1) if v not in (None, "") else -1 for v in values], dtype=np.int32)
            entry = (codes, uniq)
            _PERDOC.put(key, entry, self.n)
        return entry

    # postings ------------------------------------------------------------------
    def postings(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        """(local document numbers, weights) of a term, deleted documents included."""
        btext = self.reader._text_to_bytes(field, text) if hasattr(self.reader, "_text_to_bytes") else text
        key = (self.key, field, btext)
        hit = _POSTINGS.get(key)
        if hit is not None:
            return hit
        if (field, btext) not in self.reader:
            empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
            return empty
        m = self.reader.postings(field, btext)
        m = getattr(m, "child", m)  # FilterMatcher around deletions: the live mask handles them
        ids, weights = _read_w3(m) if isinstance(m, W3LeafMatcher) else _read_any(m)
        _POSTINGS.put(key, (ids, weights), len(ids))
        return ids, weights


def _read_w3(m: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """Decode a Whoosh 3 posting list block by block (each block is a pickled tuple)."""
    id_parts, w_parts = [], []
    while not m._atend:
        if m._data is None:
            m._read_data()
        deltas, weights = m._data[0], m._data[1]
        count = m._blocklength
        if m._byteids:
            id_parts.append(np.asarray(deltas, dtype=np.int64))
        else:
            id_parts.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if weights is None:
            w_parts.append(np.ones(count))
        elif isinstance(weights, float):
            w_parts.append(np.full(count, weights))
        else:
            w_parts.append(np.asarray(weights, dtype=np.float64))
        m._next_block()
    if not id_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(id_parts), np.concatenate(w_parts)


def _read_any(m) -> tuple[np.ndarray, np.ndarray]:
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


class Engine:
    """Query evaluation for one Whoosh searcher (cheap to make; caches are shared)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.weighting = searcher.weighting
        self.leaves = [_Leaf(s, off) for s, off in searcher.leaf_searchers()]
        self._stats: dict = {}

    def warm(self, text_fields, columns) -> None:
        """Load the per-segment arrays a query needs (field lengths, facet/sort columns) now."""
        for leaf in self.leaves:
            for f in text_fields:
                leaf.lengths(f)
            for c in columns:
                leaf.column(c)

    # evaluation --------------------------------------------------------------------
    def run(self, query: Q.Query, filter: Q.Query | None = None) -> Matches:
        docs, scores, parts = [], [], []
        for leaf in self.leaves:
            mask, score = self._eval(query, leaf)
            mask = mask & leaf.live
            if filter is not None:
                mask &= self._eval(filter, leaf, scored=False)[0]
            local = np.flatnonzero(mask)
            docs.append(local + leaf.offset)
            scores.append(score[local])
            parts.append((leaf, local))
        if not docs:
            return Matches(np.zeros(0, dtype=np.int64), np.zeros(0))
        return Matches(np.concatenate(docs), np.concatenate(scores), parts)

    def _eval(self, q, leaf: _Leaf, scored: bool = True) -> tuple[np.ndarray, np.ndarray]:
        n = leaf.n
        if q is Q.NullQuery or isinstance(q, Q.qcore._NullQuery):
            return np.zeros(n, dtype=bool), np.zeros(n)
        if isinstance(q, Q.Term):
            return self._term(q, leaf, scored)
        if isinstance(q, Q.Every) and q.fieldname is None:
            return np.ones(n, dtype=bool), np.full(n, float(q.boost))
        if isinstance(q, (Q.And, Q.Or)) and type(q) in (Q.And, Q.Or):
            subs = q.subqueries
            if not subs:
                return np.zeros(n, dtype=bool), np.zeros(n)
            parts = [self._eval(s, leaf, scored) for s in subs]
            if len(parts) == 1:  # Whoosh: a compound of one subquery is that subquery, boost dropped
                return parts[0]
            mask = parts[0][0].copy()
            for m, _ in parts[1:]:
                if isinstance(q, Q.And):
                    mask &= m
                else:
                    mask |= m
            score = np.zeros(n)
            if scored:
                for m, s in parts:
                    score += s  # zero where a part did not match
                if q.boost != 1.0:
                    score *= q.boost
                score[~mask] = 0.0
            return mask, score
        if isinstance(q, Q.AndMaybe):
            am, as_ = self._eval(q.a, leaf, scored)
            bm, bs = self._eval(q.b, leaf, scored)
            score = np.where(am, as_ + np.where(bm, bs, 0.0), 0.0) if scored else as_
            return am, score
        if isinstance(q, Q.AndNot):
            am, as_ = self._eval(q.a, leaf, scored)
            bm, _ = self._eval(q.b, leaf, False)
            mask = am & ~bm
            return mask, np.where(mask, as_, 0.0) if scored else as_
        if isinstance(q, Q.NumericRange) and leaf.reader.has_column(q.fieldname):
            # from the column (a document without a value never matches); Whoosh's expansion of a
            # range into its tiered terms missed most years here (nam:2016.. found nothing)
            codes, values = leaf.column(q.fieldname)
            ok = np.array([(q.start is None or v >= q.start) and (q.end is None or v <= q.end) for v in values] + [False])
            mask = ok[codes]  # code −1 (no value) picks the trailing False
            return mask, np.where(mask, float(q.boost), 0.0)
        if isinstance(q, Q.ConstantScoreQuery):  # what a numeric range simplifies to
            mask, _ = self._eval(q.child, leaf, False)
            return mask, np.where(mask, float(q.score), 0.0)
        if not scored:  # a filter: ranges and patterns expand to the terms they cover
            simpler = q.simplify(leaf.reader)
            if type(simpler) is not type(q):
                return self._eval(simpler, leaf, scored)
        return self._whoosh(q, leaf)

    def _term(self, q: Q.Term, leaf: _Leaf, scored: bool) -> tuple[np.ndarray, np.ndarray]:
        if scored and not isinstance(self.weighting, scoring.BM25F):
            return self._whoosh(q, leaf)  # another weighting model: Whoosh scores it
        ids, weights = leaf.postings(q.fieldname, q.text)
        mask = np.zeros(leaf.n, dtype=bool)
        mask[ids] = True
        score = np.zeros(leaf.n)
        if scored and len(ids):
            score[ids] = self._term_scores(q, leaf, ids, weights) * q.boost
        return mask, score

    def _term_scores(self, q: Q.Term, leaf: _Leaf, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        field = q.fieldname
        if not self.searcher.schema[field].scorable:
            return weights  # Whoosh's WeightScorer
        key = (field, q.text)
        stats = self._stats.get(key)
        if stats is None:
            stats = self._stats[key] = (self.searcher.idf(field, q.text), self.searcher.avg_field_length(field) or 1)
        idf, avgfl = stats
        b, k1 = self.weighting.B, self.weighting.K1
        b = getattr(self.weighting, "_field_B", {}).get(field, b)
        fl = leaf.lengths(field)[ids]
        return idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * fl / avgfl)))

    def _whoosh(self, q, leaf: _Leaf) -> tuple[np.ndarray, np.ndarray]:
        """Any other query class: Whoosh's own matcher for this node (slow, exact)."""
        mask, score = np.zeros(leaf.n, dtype=bool), np.zeros(leaf.n)
        m = q.matcher(leaf.searcher, leaf.searcher.context(weighting=self.weighting))
        while m.is_active():
            d = m.id()
            mask[d] = True
            score[d] = m.score()
            m.next()
        return mask, score

    def keep(self, matches: Matches, mask: np.ndarray) -> Matches:
        """The matches where `mask` (aligned with matches.docnums) is true."""
        parts, pos = [], 0
        for leaf, local in matches.parts:
            parts.append((leaf, local[mask[pos: pos + len(local)]]))
            pos += len(local)
        return Matches(matches.docnums[mask], matches.scores[mask], parts)

    def best(self, matches: Matches, count: int) -> Matches:
        """The `count` best-scoring matches (ties by document number, as `top` orders them)."""
        if len(matches) <= count:
            return matches
        order = np.lexsort((matches.docnums, -matches.scores))[:count]
        mask = np.zeros(len(matches), dtype=bool)
        mask[order] = True
        return self.keep(matches, mask)

    def in_column(self, matches: Matches, field: str, values) -> np.ndarray:
        """A mask over the matches: those whose column `field` holds one of `values`."""
        mask, pos = np.zeros(len(matches), dtype=bool), 0
        for leaf, local in matches.parts:
            codes, vals = leaf.column(field)
            wanted = [vals.index(v) for v in values if v in vals]
            mask[pos: pos + len(local)] = np.isin(codes[local], wanted)
            pos += len(local)
        return mask

    def newer_first_on_ties(self, matches: Matches) -> Matches:
        """The same matches, a newer document before an older one of the same score (three
        years' plans that share a number; the documents citing it): each score is raised by at
        most 2e-8, by date; an undated document gets nothing."""
        days, pos = np.zeros(len(matches)), 0
        for leaf, local in matches.parts:
            codes, values = leaf.column("date")
            table = np.array([0.0] + [float(str(v).replace("-", "")) for v in values])  # yyyymmdd
            days[pos: pos + len(local)] = table[codes[local] + 1]
            pos += len(local)
        return Matches(matches.docnums, matches.scores + days * 1e-15, matches.parts)

    def first(self, matches: Matches, mask: np.ndarray) -> Matches:
        """The same matches, those in `mask` ranked above all the others (each group in its own
        order): their scores are raised by the spread of all scores, plus one."""
        if 0 < int(mask.sum()) < len(matches):
            scores = matches.scores.copy()
            scores[mask] += float(scores.max() - scores.min()) + 1.0
            matches = Matches(matches.docnums, scores, matches.parts)
        return matches

    # results -----------------------------------------------------------------------
    def page(self, matches: Matches, page: int, pagelen: int, *, sort_field: str | None = None,
             reverse: bool = False) -> list[tuple[int, float | None]]:
        """Page `page` (from 1) of the hits, by score or by `sort_field`; a page past the end is
        empty (a client pages until it gets no hits)."""
        start = (page - 1) * pagelen
        if start >= len(matches):
            return []
        if sort_field is None:
            return self.top(matches, start, pagelen)
        return self.sorted_by(matches, sort_field, start, pagelen, reverse)

    def top(self, matches: Matches, start: int, count: int) -> list[tuple[int, float]]:
        """Hits start … start+count by score (higher first; ties by document number), as Whoosh orders them."""
        need = start + count
        docs, scores = matches.docnums, matches.scores
        if len(docs) > 4 * need:
            cut = np.partition(scores, len(scores) - need)[len(scores) - need]
            keep = scores >= cut
            docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))[start:need]
        return [(int(docs[i]), float(scores[i])) for i in order]

    def sorted_by(self, matches: Matches, field: str, start: int, count: int, reverse: bool) -> list[tuple[int, None]]:
        """Hits ordered by a sortable column, ascending or (`reverse`) descending; documents
        without a value come last either way (an undated letter is not the oldest one)."""
        ranks, docs = [], []
        for leaf, local in matches.parts:
            codes, values = leaf.column(field)
            table = np.array([""] + [str(v) for v in values])
            ranks.append(table[codes[local] + 1])
            docs.append(local + leaf.offset)
        if not docs:
            return []
        vals, docs = np.concatenate(ranks), np.concatenate(docs)
        valued = vals != ""
        order = np.lexsort((docs, vals))  # value, then document number
        if reverse:
            order = order[::-1]
        order = np.concatenate([order[valued[order]], order[~valued[order]]])
        return [(int(docs[i]), None) for i in order[start : start + count]]

    def facets(self, matches: Matches, fields) -> dict[str, dict]:
        """Counts of each value of each field among the matches, most frequent first."""
        out = {}
        for field in fields:
            counts: dict = {}
            for leaf, local in matches.parts:
                codes, values = leaf.column(field)
                c = codes[local]
                bins = np.bincount(c[c >= 0], minlength=len(values))
                for code in np.flatnonzero(bins).tolist():
                    key = str(values[code])
                    counts[key] = counts.get(key, 0) + int(bins[code])
            out[field] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        return out


def engine(searcher) -> Engine:
    """The Engine of a searcher, made once per searcher."""
    eng = getattr(searcher, "_vanthu_engine", None)
    if eng is None:
        eng = Engine(searcher)
        searcher._vanthu_engine = eng
    return eng
