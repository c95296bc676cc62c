"""Spelling suggestion ("Có phải bạn muốn tìm …") from the index's own vocabulary.

Vietnamese is written syllable by syllable, so a typo is a wrong syllable: each query
syllable the archive does not know (in the accented syllable field, or in the folded one
for a query typed without diacritics) is replaced by the closest known syllable (edit
distance 1, 2 for long ones; two swapped letters count as one edit), among equally close ones
the one found beside the query's neighbouring syllables, then the one most documents use. The
suggestion is offered only when the corrected query finds documents; a quoted phrase is
corrected inside its quotes, field filters are kept as typed.

The closest syllables are found by rapidfuzz (edit distance in C) over the syllables of each
index segment, read once per segment and kept (segments never change once written): about
10 ms a look-up on a vocabulary of 40 000 syllables, where Whoosh's `terms_within` (a
Levenshtein automaton walked in Python) took 0.3–0.5 s.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh.searching import Searcher

from indexer.normalize import Y_TO_I, fold, normalize_query, spelling_key, syllable_shaped, written_with_y
from indexer.telex import decode

MAX_SYLLABLE = 8  # letters: the longest Vietnamese syllable ("nghiêng") has 7
MAX_TRIES = 8  # unknown syllables looked up per query
VOCABULARIES = 64  # (segment, field) vocabularies kept
_TOKEN = re.compile(r'"[^"]*"|\S+:"[^"]*"|\S+:\S+|-\S+|[^\W_]+|\S', re.UNICODE)


def _known(reader, field: str, syl: str) -> bool:
    return reader.doc_frequency(field, syl) > 0


class _Vocabularies:
    """(segment id, field) → that segment's syllables of the field up to MAX_SYLLABLE + 2
    letters (longer ones cannot be within 2 edits of a syllable worth correcting); a small LRU."""

    def __init__(self, capacity: int = VOCABULARIES):
        self.capacity = capacity
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, segment_reader, field: str) -> list[str]:
        segment = segment_reader.segment() if callable(getattr(segment_reader, "segment", None)) else None
        if segment is None:  # an in-memory or empty reader: nothing to keep
            return self._read(segment_reader, field)
        key = (segment.segment_id(), field)
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        words = self._read(segment_reader, field)
        with self.lock:
            self.items[key] = words
            while len(self.items) > self.capacity:
                self.items.popitem(last=False)
        return words

    @staticmethod
    def _read(segment_reader, field: str) -> list[str]:
        if field not in segment_reader.indexed_field_names():
            return []
        out = []
        for term in segment_reader.lexicon(field):
            term = term.decode("utf-8") if isinstance(term, bytes) else term
            if len(term) <= MAX_SYLLABLE + 2:
                out.append(term)
        return out


_VOCABULARIES = _Vocabularies()


def near_syllables(reader, field: str, syl: str, maxdist: int) -> set[str]:
    """The syllables of `field` within `maxdist` edits of `syl` (a swap is one edit), `syl` aside."""
    found: set[str] = set()
    for leaf, _ in reader.leaf_readers():
        words = _VOCABULARIES.get(leaf, field)
        for term, _, _ in process.extract(syl, words, scorer=OSA.distance, score_cutoff=maxdist, limit=None):
            if term != syl:
                found.add(term)
    return found


def distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit ("hoahc" → "hoach");
    the same as rapidfuzz's OSA.distance, which `near_syllables` uses (a test holds them equal)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def y_as_typed(typed: str, fixed: str) -> str:
    """`fixed`, a syllable as the index keys it ("lí" for lí and lý), written with y when the
    user typed a y ("quản lýy" → "lý", not "lí")."""
    with_y = written_with_y(fixed)
    return with_y if with_y and any(ch in "yýỳỷỹỵ" for ch in typed) else fixed


def recase(typed: str, fixed: str) -> str:
    """`fixed` written with the letter case of `typed`: UPPER stays UPPER, Title stays Title,
    any other mix letter by letter ("Giangg" → "Giang", "KHÊE" → "KHÊ", "tHI" → "tHI")."""
    letters = [ch for ch in typed if ch.isalpha()]
    if not any(ch.isupper() for ch in letters):
        return fixed
    if all(ch.isupper() for ch in letters):
        return fixed.upper()
    if letters[0].isupper() and not any(ch.isupper() for ch in letters[1:]):
        return fixed[:1].upper() + fixed[1:]
    return "".join(ch.upper() if i < len(typed) and typed[i].isupper() else ch for i, ch in enumerate(fixed))


def _best(reader, field: str, syl: str, before: str | None = None, after: str | None = None) -> tuple[str, int] | None:
    """The known syllable closest to `syl` and its distance; among equally close ones, the one that
    stands next to the query's neighbouring syllables in the archive (`body_bi`: "ke hoahc" →
    "hoach", not the more frequent "hoac"), then the one most documents use."""
    maxdist = 1 if len(syl) <= 5 else 2
    # the index writes ký as kí: a y typed is also measured as an i ("lýy" is one edit from lí)
    spellings = {syl, syl.translate(Y_TO_I)}
    cands = []
    for term in set().union(*(near_syllables(reader, field, s, maxdist) for s in spellings)):
        d = min(distance(s, term) for s in spellings)
        f = fold(term)
        beside = sum(reader.doc_frequency("body_bi", pair) for pair in
                     ([f"{before}_{f}"] if before else []) + ([f"{f}_{after}"] if after else []))
        cands.append((-d, beside, reader.doc_frequency(field, term), term))
    if not cands:
        return None
    best = max(cands)
    return best[3], -best[0]


def _keyed(reader, low: str) -> str | None:
    """The syllable that `low`'s keys spell in Telex or VNI ("thuowngr", "d9ua") that most
    documents have; None when its keys spell none the archive knows."""
    known = [(reader.doc_frequency("body_syl", spelling_key(w)), w) for w in decode(low)]
    best = max((k for k in known if k[0]), default=None)
    return best[1] if best else None


MAX_GLUED = 4  # syllables typed without spaces that are looked for in one token


def _unglued(reader, low: str, field: str) -> str | None:
    """`low` read as two to four syllables typed without the spaces ("thiđua", "khenthuong"): each
    part a known syllable of two letters or more, and most neighbouring parts side by side somewhere
    in the archive (`body_bi`, folded pairs); of such splits, the one with every pair found, then
    the most pairs, the fewest parts, the most documents. None when no split qualifies."""
    if not low.isalpha() or not 4 <= len(low) <= MAX_GLUED * MAX_SYLLABLE:
        return None

    def known(part: str) -> bool:
        return len(part) >= 2 and syllable_shaped(part) and _known(reader, field, part)

    def splits(rest: str, room: int):
        if known(rest):
            yield [rest]
        if room > 1:
            for i in range(2, min(len(rest) - 1, MAX_SYLLABLE + 1)):
                if known(rest[:i]):
                    yield from ([rest[:i], *tail] for tail in splits(rest[i:], room - 1))

    best = None
    for parts in splits(low, MAX_GLUED):
        if len(parts) < 2:
            continue
        together = [reader.doc_frequency("body_bi", f"{fold(a)}_{fold(b)}") for a, b in zip(parts, parts[1:])]
        found = sum(1 for n in together if n)
        if 2 * found < len(together) or not found:
            continue  # most neighbours never side by side in the archive: no reading of these letters
        score = (found == len(together), found, -len(parts), sum(together))
        if best is None or score > best[0]:
            best = (score, parts)
    return " ".join(best[1]) if best else None


OPERATORS = frozenset({"OR", "HOẶC", "NOT", "AND"})  # as querylang reads them (upper case)


def suggest(searcher: Searcher, query: str) -> str | None:
    """The query with its unknown syllables corrected, or None when nothing needs fixing. A
    quoted phrase is corrected inside its quotes; filters, numbers, exclusions and operators
    are kept as typed."""
    fixed, changed, _ = _corrected(searcher.reader(), _TOKEN.findall(normalize_query(query)), 0)
    return " ".join(fixed) if changed else None


def _corrected(reader, toks: list[str], tries: int) -> tuple[list[str], bool, int]:
    """`toks` with each unknown syllable replaced by the best known one; whether any was, and
    the look-ups made so far (at most MAX_TRIES in a query)."""
    out, changed = [], False
    word = re.compile(r"[^\W_]+")
    for i, tok in enumerate(toks):
        if len(tok) > 2 and tok[0] == tok[-1] == '"':  # "khen thuongg": the phrase's own syllables
            inner, fixed, tries = _corrected(reader, _TOKEN.findall(tok[1:-1]), tries)
            out.append(f'"{" ".join(inner)}"' if fixed else tok)
            changed |= fixed
            continue
        if not re.fullmatch(r"[^\W_]+", tok) or tok.isdigit() or tok.upper() == "OR" or tok in OPERATORS:
            out.append(tok)  # filters, numbers, exclusions, operators: as typed
            continue
        low = spelling_key(tok.lower())  # the index writes "ký" as "kí"
        folded = fold(low) == low
        field = "body_fold" if folded else "body_syl"
        if _known(reader, field, low) or _known(reader, "title_fold" if folded else "title_syl", low):
            out.append(tok)
            continue
        keyed = _keyed(reader, low)
        if keyed:  # typed with the keyboard tool off ("thuowngr")
            out.append(recase(tok, keyed))
            changed = True
            continue
        better, edits = None, None
        if len(low) <= MAX_SYLLABLE and tries < MAX_TRIES:  # longer: not one Vietnamese syllable (at most 7 letters)
            tries += 1
            before = fold(spelling_key(out[-1].lower())) if out and word.fullmatch(out[-1]) else None
            after = fold(spelling_key(toks[i + 1].lower())) if i + 1 < len(toks) and word.fullmatch(toks[i + 1]) else None
            found = _best(reader, field, low, before, after)
            if found:
                better, edits = y_as_typed(low, found[0]), found[1]
        if edits != 1:  # one letter wrong is a typo ("doii" is "doi", not "do ii"); else maybe words without the space
            better = _unglued(reader, low, field) or better  # "thiđua", "khenthuong"
        if better is None:
            out.append(tok)
            continue
        out.append(recase(tok, better))  # the index's syllables are lowercase; the user's names are not
        changed = True
    return out, changed, tries
