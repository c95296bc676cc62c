"""Snippets: the best passage of a text for a query, HTML-escaped, matches in <mark>.

Offsets are computed on the NFC text itself (not on underthesea's tokens, which rewrite
some characters), so a <mark> always wraps exactly the characters that matched.

Matches are found by one compiled regex per query term (C speed; `probe_matches`), which finds
the same syllables as reading the text syllable by syllable (`find_matches`) at about a third
of the cost. The work per hit is bounded whatever the document's size: a text longer than
FULL_SCAN characters has every match kept only in its first HEAD_SCAN characters; further on,
up to PROBE, each term keeps its first PER_TERM occurrences, and the snippet's own window is
scanned again so every match inside it is marked. A term found only past PROBE is not shown
in the snippet.
"""

from __future__ import annotations

import bisect
import functools
import html
import re

from indexer.normalize import fold, spelling_key, written_with_y
from indexer.numbers import QueryNumber, number_spans

_SYLLABLE = re.compile(r"[^\W_]+")
_WORD_CHAR = re.compile(r"[^\W_]")
WINDOW = 240
FULL_SCAN = 100_000  # a text up to this long is scanned whole (every ordinary document)
HEAD_SCAN = 50_000  # a longer one: every syllable of its beginning …
PROBE = 1_000_000  # … then each term by regex up to here
PER_TERM = 200  # occurrences of one term kept from the probe


class Terms:
    """Query syllables to mark: accented ones match exactly, unaccented ones match folded; and
    document numbers, each marked whole wherever it is written (`1460/KH-UBND`, `1460/KH- UBND`)."""

    def __init__(self, syllables: list[str], numbers: list[QueryNumber] = (), pairs: set[str] = frozenset()):
        self.exact: set[str] = set()
        self.folded: set[str] = set()
        self.numbers = list(numbers)
        self.pairs = set(pairs)  # the query's folded syllable pairs ("bang_khen"): a window with them side by side is better
        for s in syllables:
            s = _key(s.lower())
            (self.folded if fold(s) == s else self.exact).add(s)

    def __bool__(self) -> bool:
        return bool(self.exact or self.folded or self.numbers)

    def matches(self, token: str) -> str | None:
        low = _key(token.lower())  # "ký" in the text is the query's "kí"
        if low in self.exact:
            return low
        f = _fold(low)
        if f in self.folded:
            return f
        return None


_fold = functools.lru_cache(maxsize=200_000)(fold)  # snippets fold every syllable of every hit
_key = functools.lru_cache(maxsize=200_000)(spelling_key)


def find_matches(text: str, terms: Terms, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, term) of every matching syllable and number in text[start:end]."""
    out = []
    for m in _SYLLABLE.finditer(text, start, len(text) if end is None else end):
        t = terms.matches(m.group())
        if t:
            out.append((m.start(), m.end(), t))
    return _with_numbers(out, number_spans(text, terms.numbers, start, end) if terms.numbers else [])


def _with_numbers(matches: list[tuple[int, int, str]], numbers: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Both, in order; a syllable inside a number is part of the number's mark."""
    if not numbers:
        return matches
    inside = lambda m: any(a <= m[0] and m[1] <= b for a, b, _ in numbers)  # noqa: E731
    return sorted([m for m in matches if not inside(m)] + numbers)


@functools.cache
def _variants() -> tuple[dict[str, str], dict[str, str]]:
    """For each character c: the characters whose lower case is c, and those that fold to c."""
    lower: dict[str, list[str]] = {}
    folded: dict[str, list[str]] = {}
    for cp in range(0x10000):  # the BMP holds every letter of our texts
        ch = chr(cp)
        if not ch.isalnum():
            continue
        low = ch.lower()
        if len(low) == 1:
            lower.setdefault(low, []).append(ch)
        f = fold(ch)
        if len(f) == 1:
            folded.setdefault(f, []).append(ch)
    as_class = lambda d: {k: "[" + "".join(re.escape(c) for c in v) + "]" for k, v in d.items()}  # noqa: E731
    return as_class(lower), as_class(folded)


@functools.lru_cache(maxsize=1024)
def _term_pattern(term: str, folded: bool) -> re.Pattern:
    """Every spelling of a syllable `term` that Terms.matches accepts (upper case, and any
    accents when `folded`), ending at a syllable's end; where it starts is checked by the caller."""
    lower, fold_to = _variants()
    table = fold_to if folded else lower
    classes = [table.get(c, re.escape(c)) for c in term]
    with_y = written_with_y(term)  # a key such as "kí" is also written "ký": its last letter as y too
    if with_y:
        classes[-1] = f"(?:{classes[-1]}|{table[with_y[-1]]})"
    return re.compile("".join(classes) + r"(?![^\W_])")


def _is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and _WORD_CHAR.match(text, i) is not None


def scan_matches(text: str, terms: Terms, start: int, end: int) -> list[tuple[int, int, str]]:
    """find_matches in text[start:end] less a syllable cut by either edge (it is not whole there)."""
    return [m for m in find_matches(text, terms, start, end)
            if not (m[0] == start and _is_word_char(text, start - 1)) and not (m[1] == end and _is_word_char(text, end))]


def probe_matches(text: str, terms: Terms, start: int, end: int,
                  per_term: int | None = PER_TERM) -> list[tuple[int, int, str]]:
    """(start, end, term) of the first `per_term` (None: all) occurrences of each term in
    text[start:end], found by regex: the same syllables find_matches would find, without
    visiting the others."""
    found = []
    for term, folded in [*((t, False) for t in sorted(terms.exact)), *((t, True) for t in sorted(terms.folded))]:
        n = 0
        for m in _term_pattern(term, folded).finditer(text, start, end):
            s, e = m.span()
            if _is_word_char(text, s - 1) or _is_word_char(text, e):
                continue  # inside a longer syllable
            t = terms.matches(text[s:e])
            if t:
                found.append((s, e, t))
                n += 1
                if per_term is not None and n >= per_term:
                    break
    numbers = number_spans(text, terms.numbers, start, end) if terms.numbers else []
    if per_term is not None:
        numbers = numbers[:per_term * len(terms.numbers)]
    return _with_numbers(sorted(set(found)), numbers)


def bounded_matches(text: str, terms: Terms) -> list[tuple[int, int, str]]:
    """Every match of a text up to FULL_SCAN long; of a longer one, every match in its first
    HEAD_SCAN characters, then the first PER_TERM of each term up to PROBE (see the module doc)."""
    if len(text) <= FULL_SCAN:
        return probe_matches(text, terms, 0, len(text), per_term=None)
    head = probe_matches(text, terms, 0, HEAD_SCAN, per_term=None)  # a syllable cut at HEAD_SCAN is left to the probe
    probe = probe_matches(text, terms, HEAD_SCAN - 64, min(len(text), PROBE))
    return head + [m for m in probe if m[1] > HEAD_SCAN]


def best_section(sections: list[dict], matches: list[tuple[int, int, str]],
                 together: list[int] | None = None) -> dict | None:
    """The section with the most distinct matched terms (then the most of the query's pairs side
    by side, `together`, aligned with `matches`; then the most matches; then the first)."""
    if not sections or not matches:
        return None
    together = together or [0] * len(matches)
    starts = [sec["start"] for sec in sections]
    ordered = all(sections[i]["end"] <= starts[i + 1] for i in range(len(sections) - 1)) and starts == sorted(starts)
    if not ordered:  # overlapping sections: each one counts its own matches
        best, best_score = None, (0, 0, 0)
        for sec in sections:
            inside = [(m, t) for m, t in zip(matches, together) if sec["start"] <= m[0] < sec["end"]]
            score = (len({m[2] for m, _ in inside}), sum(t for _, t in inside), len(inside))
            if score > best_score:
                best, best_score = sec, score
        return best
    terms: dict[int, set] = {}
    count: dict[int, int] = {}
    pairs: dict[int, int] = {}
    for m, t in zip(matches, together):  # each match in the one section that holds it
        i = bisect.bisect_right(starts, m[0]) - 1
        if i >= 0 and m[0] < sections[i]["end"]:
            terms.setdefault(i, set()).add(m[2])
            count[i] = count.get(i, 0) + 1
            pairs[i] = pairs.get(i, 0) + t
    best = max(sorted(count), key=lambda i: (len(terms[i]), pairs[i], count[i]), default=None)  # first of equals
    return None if best is None else sections[best]


def _side_by_side(text: str, matches: list[tuple[int, int, str]], terms: Terms) -> list[int]:
    """1 where a match and the next one are a pair of the query written side by side, else 0."""
    if not terms.pairs:
        return [0] * len(matches)
    return [int(not text[a[1]:b[0]].strip() and f"{_fold(a[2])}_{_fold(b[2])}" in terms.pairs)
            for a, b in zip(matches, matches[1:])] + [0]


def _window(matches: list[tuple[int, int, str]], lo: int, hi: int, together: list[int] | None = None) -> tuple[int, int]:
    """The WINDOW-character span in [lo, hi) holding the most distinct terms (then the most of
    the query's pairs side by side, `together`; then the most matches)."""
    best = (lo, min(hi, lo + WINDOW))
    best_score = (-1, -1, -1)
    together = together or [0] * len(matches)
    j = 0
    for i, (s, _, _) in enumerate(matches):
        while j < len(matches) and matches[j][1] <= s + WINDOW:
            j += 1
        window = matches[i:j]
        score = (len({m[2] for m in window}), sum(together[i:j - 1]), len(window))
        if score > best_score:
            best_score = score
            first, last = window[0][0], window[-1][1]
            pad = max(0, (WINDOW - (last - first)) // 3)
            best = (max(lo, first - pad), min(hi, max(last, first - pad + WINDOW)))
    return best


def _trim_to_words(text: str, a: int, b: int) -> tuple[int, int]:
    """text[a:b] without the word cut at either end; an end already between words (a section's
    start, "Điều 1."; a matched word at a section's end) stays where it is."""
    if 0 < a < len(text) and not text[a - 1].isspace() and not text[a].isspace():
        sp = text.find(" ", a, min(len(text), a + 20))
        if sp != -1:
            a = sp + 1
    if 0 < b < len(text) and not text[b].isspace() and not text[b - 1].isspace():
        sp = text.rfind(" ", max(a, b - 20), b)
        if sp != -1:
            b = sp
    return a, b


def render(text: str, a: int, b: int, matches: list[tuple[int, int, str]]) -> str:
    """text[a:b] escaped, with each match inside it wrapped in <mark>."""
    parts = ["…" if a > 0 else ""]
    pos = a
    for s, e, _ in matches:
        if s < a or e > b:
            continue
        parts.append(html.escape(text[pos:s], quote=False))
        parts.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        pos = e
    parts.append(html.escape(text[pos:b], quote=False))
    if b < len(text):
        parts.append("…")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def snippet(text: str, sections: list[dict], terms: Terms, focus: int | None = None) -> tuple[str, dict | None]:
    """(snippet HTML, best section or None) for a document text; with `focus` (an offset, such
    as where the clause defining the asked term starts), the snippet starts there."""
    if focus is not None:
        sec = next((s for s in sections if s["start"] <= focus < s["end"]), None)
        _, b = _trim_to_words(text, focus, min(len(text), focus + WINDOW))
        marks = scan_matches(text, terms, focus, b) if terms else []
        return render(text, focus, b, marks), (sec if sec and sec.get("title") else None)
    matches = bounded_matches(text, terms) if terms else []
    if not matches:
        a, b = _trim_to_words(text, 0, min(len(text), WINDOW))
        return render(text, 0, b, []), None
    together = _side_by_side(text, matches, terms)
    sec = best_section(sections, matches, together)
    lo, hi = (sec["start"], sec["end"]) if sec else (0, len(text))
    kept = [i for i, m in enumerate(matches) if lo <= m[0] < hi] or list(range(len(matches)))
    a, b = _window([matches[i] for i in kept], lo, hi, [together[i] for i in kept])
    a, b = _trim_to_words(text, a, b)
    if len(text) > FULL_SCAN:  # the probe kept only some matches: mark every one in the window
        matches = scan_matches(text, terms, a, b)
    return render(text, a, b, matches), (sec if sec and sec.get("title") else None)
