"""Snippets: the best passage of a text for a query, HTML-escaped, matches in <mark>.

Offsets are computed on the NFC text itself (not on underthesea's tokens, which rewrite
some characters), so a <mark> always wraps exactly the characters that matched.
"""

from __future__ import annotations

import functools
import html
import re

from indexer.normalize import fold

_SYLLABLE = re.compile(r"[^\W_]+")
WINDOW = 240


class Terms:
    """Query syllables to mark: accented ones match exactly, unaccented ones match folded."""

    def __init__(self, syllables: list[str]):
        self.exact: set[str] = set()
        self.folded: set[str] = set()
        for s in syllables:
            s = s.lower()
            (self.folded if fold(s) == s else self.exact).add(s)

    def __bool__(self) -> bool:
        return bool(self.exact or self.folded)

    def matches(self, token: str) -> str | None:
        low = token.lower()
        if low in self.exact:
            return low
        f = _fold(low)
        if f in self.folded:
            return f
        return None


_fold = functools.lru_cache(maxsize=200_000)(fold)  # snippets fold every syllable of every hit


def find_matches(text: str, terms: Terms, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, term) of every matching syllable in text[start:end]."""
    out = []
    for m in _SYLLABLE.finditer(text, start, len(text) if end is None else end):
        t = terms.matches(m.group())
        if t:
            out.append((m.start(), m.end(), t))
    return out


def best_section(sections: list[dict], matches: list[tuple[int, int, str]]) -> dict | None:
    """The section with the most distinct matched terms (then the most matches)."""
    if not sections or not matches:
        return None
    best, best_score = None, (0, 0)
    for sec in sections:
        inside = [m for m in matches if sec["start"] <= m[0] < sec["end"]]
        score = (len({m[2] for m in inside}), len(inside))
        if score > best_score:
            best, best_score = sec, score
    return best


def _window(matches: list[tuple[int, int, str]], lo: int, hi: int) -> tuple[int, int]:
    """The WINDOW-character span in [lo, hi) holding the most distinct terms."""
    best = (lo, min(hi, lo + WINDOW))
    best_score = (-1, -1)
    j = 0
    for i, (s, _, _) in enumerate(matches):
        while j < len(matches) and matches[j][1] <= s + WINDOW:
            j += 1
        window = matches[i:j]
        score = (len({m[2] for m in window}), len(window))
        if score > best_score:
            best_score = score
            first, last = window[0][0], window[-1][1]
            pad = max(0, (WINDOW - (last - first)) // 3)
            best = (max(lo, first - pad), min(hi, max(last, first - pad + WINDOW)))
    return best


def _trim_to_words(text: str, a: int, b: int) -> tuple[int, int]:
    if a > 0:
        sp = text.find(" ", a, min(len(text), a + 20))
        if sp != -1:
            a = sp + 1
    if b < len(text):
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
    matches = find_matches(text, terms) if terms else []
    if focus is not None:
        sec = next((s for s in sections if s["start"] <= focus < s["end"]), None)
        _, b = _trim_to_words(text, focus, min(len(text), focus + WINDOW))
        return render(text, focus, b, matches), (sec if sec and sec.get("title") else None)
    if not matches:
        a, b = _trim_to_words(text, 0, min(len(text), WINDOW))
        return render(text, 0, b, []), None
    sec = best_section(sections, matches)
    lo, hi = (sec["start"], sec["end"]) if sec else (0, len(text))
    inside = [m for m in matches if lo <= m[0] < hi] or matches
    a, b = _window(inside, lo, hi)
    a, b = _trim_to_words(text, a, b)
    return render(text, a, b, matches), (sec if sec and sec.get("title") else None)
