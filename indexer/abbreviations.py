"""Initials staff type for a name the archive spells out: `pccc` is "phòng cháy, chữa cháy",
`ccn` "cụm công nghiệp", `thcs` "trung học cơ sở".

Administrative texts define their initials once, in parentheses after the name ("… các cụm công
nghiệp (CCN) trên địa bàn …"), then use them. A query word that cannot be a Vietnamese syllable
is looked up in the documents that contain it; the name whose syllables' initials spell it, as
those documents define it most often, is searched beside it: `pccc 2020` is asked as
`(pccc OR "phòng cháy chữa cháy") 2020`. The archive's own definitions, so no list to keep and
no initials guessed that no document defines. Read from at most DOCS_READ documents, and kept
per archive generation (the engine's LRU).
"""

from __future__ import annotations

import re
from collections import Counter

from whoosh import query as Q

from indexer.engine import SizedLRU, engine
from indexer.normalize import fold, syllable_shaped
from indexer.numbers import find_numbers_in_query

MIN_LETTERS, MAX_LETTERS = 3, 8
DOCS_READ = 8  # documents with the initials read for their definition
MAX_EXPANDED = 3  # initials expanded in one query (each doubles the alternatives; querylang allows 32)
KEPT = 512  # (generation, initials) look-ups kept

_WORD = re.compile(r"[^\W\d_]+")
# a candidate word of the query: letters alone, not in a phrase, filter, exclusion or code ("KH-UBND")
_QUERY_WORD = re.compile(r'(?<![\w"\-:/.])([^\W\d_]{3,8})(?![\w":/\-.])')


def defined_as(text: str, initials: str) -> list[str]:
    """The names `text` defines `initials` for: the words before "(INITIALS)" whose first letters
    (accents and đ folded) spell them ("cụm công nghiệp (CCN)"; "phòng cháy, chữa cháy (PCCC)")."""
    key = fold(initials).lower()
    out = []
    for m in re.finditer(r"\(\s*" + re.escape(initials) + r"\s*\)", text, flags=re.IGNORECASE):
        words = _WORD.findall(text[max(0, m.start() - 120): m.start()].split("\n")[-1])
        name: list[str] = []
        spelled = 0  # letters of the initials spelled so far, from the last
        for w in reversed(words):  # from the parenthesis back, one word a letter; "và" has none
            letter = key[len(key) - spelled - 1]
            if fold(w).lower() == "va" and name and letter != "v":
                name.insert(0, w)  # "phòng cháy và chữa cháy (PCCC)"
                continue
            if fold(w)[0].lower() != letter:
                break
            name.insert(0, w)
            spelled += 1
            if spelled == len(key):
                out.append(" ".join(name).lower())
                break
    return out


_KEPT = SizedLRU(KEPT)  # (generation, initials) → (name or None,)


def expansion(searcher, load_record, initials: str) -> str | None:
    """The name the archive's documents define `initials` for, the most often; None when none does."""
    key = fold(initials).lower()
    generation = tuple(s.segment().segment_id() for s, _ in searcher.leaf_searchers()
                       if callable(getattr(s, "segment", None)) and s.segment() is not None)
    kept = _KEPT.get((generation, key))
    if kept is None:
        eng = engine(searcher)
        names: Counter = Counter()
        for docnum, _ in eng.top(eng.run(Q.Term("body_fold", key)), 0, DOCS_READ):
            record = load_record(searcher.stored_fields(docnum)["id"])
            if record:
                names.update(defined_as(record.get("text") or "", initials))
        kept = (names.most_common(1)[0][0] if names else None,)
        _KEPT.put((generation, key), kept, 1)
    return kept[0]


def expand(searcher, load_record, q: str) -> tuple[str, dict[str, str]]:
    """`q` with each word of initials that a document defines asked with its name too, and what
    was expanded ({"PCCC": "phòng cháy chữa cháy"}); `q` itself when nothing is."""
    numbers = find_numbers_in_query(q)
    out, pos, expanded = [], 0, {}
    for m in _QUERY_WORD.finditer(q):
        word = m.group(1)
        if (len(expanded) >= MAX_EXPANDED or syllable_shaped(word) or word.upper() in ("OR", "AND", "NOT", "HOẶC")
                or q.count('"', 0, m.start()) % 2 or any(n.start <= m.start() < n.end for n in numbers)):
            continue
        name = expansion(searcher, load_record, word)
        if not name:
            continue
        expanded[word.upper()] = name
        out += [q[pos:m.start()], f'({word} OR "{name}")']
        pos = m.end()
    return ("".join(out) + q[pos:], expanded) if expanded else (q, {})
