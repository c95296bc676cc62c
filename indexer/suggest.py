"""Spelling suggestion ("Có phải bạn muốn tìm …") from the index's own vocabulary.

Vietnamese is written syllable by syllable, so a typo is a wrong syllable: each query
syllable the archive does not know (in the accented syllable field, or in the folded one
for a query typed without diacritics) is replaced by the known syllable within edit
distance 1 (2 for long ones) that most documents use. The suggestion is offered only when
the corrected query finds documents; field filters and quoted phrases are kept as typed.
"""

from __future__ import annotations

import re

from whoosh.searching import Searcher

from indexer.normalize import fold, normalize_query

MAX_SYLLABLE = 8  # letters: the longest Vietnamese syllable ("nghiêng") has 7
MAX_TRIES = 8  # unknown syllables looked up per query (each look-up walks the vocabulary)
_TOKEN = re.compile(r'"[^"]*"|\S+:"[^"]*"|\S+:\S+|-\S+|[^\W_]+|\S', re.UNICODE)


def _known(reader, field: str, syl: str) -> bool:
    return reader.doc_frequency(field, syl) > 0


def _best(reader, field: str, syl: str) -> str | None:
    maxdist = 1 if len(syl) <= 5 else 2
    cands = []
    for term in reader.terms_within(field, syl, maxdist):
        term = term.decode("utf-8") if isinstance(term, bytes) else term
        if term != syl:
            cands.append((reader.doc_frequency(field, term), term))
    return max(cands)[1] if cands else None


def suggest(searcher: Searcher, query: str) -> str | None:
    """The query with its unknown syllables corrected, or None when nothing needs fixing."""
    q = normalize_query(query)
    reader = searcher.reader()
    out, changed, tries = [], False, 0
    for tok in _TOKEN.findall(q):
        if not re.fullmatch(r"[^\W_]+", tok) or tok.isdigit() or tok.upper() == "OR":
            out.append(tok)  # phrases, filters, numbers, operators: as typed
            continue
        low = tok.lower()
        folded = fold(low) == low
        field = "body_fold" if folded else "body_syl"
        if _known(reader, field, low) or _known(reader, "title_fold" if folded else "title_syl", low):
            out.append(tok)
            continue
        if len(low) > MAX_SYLLABLE or tries >= MAX_TRIES:
            out.append(tok)  # not a Vietnamese syllable (at most 7 letters), or enough already tried
            continue
        tries += 1
        better = _best(reader, field, low)
        if better is None:
            out.append(tok)
            continue
        out.append(better)
        changed = True
    return " ".join(out) if changed else None
