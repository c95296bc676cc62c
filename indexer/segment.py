"""Vietnamese word segmentation (underthesea) for the index and the query side.

underthesea splits document numbers (``1460/KH-UBND`` → ``1460 / KH-UBND``) and rewrites
some tokens, so numbers, codes and dates are pulled out before segmenting and spliced
back whole. underthesea's model is decoded by indexer/crf.py (same words, less CPU).
Segmentation is by line (paragraph); repeated paragraphs — the boilerplate
"Căn cứ Luật …" that thousands of documents share — come from an in-process cache.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Tokens that must stay whole: document numbers, dates, codes, decimals ("17,4"), times ("8:50").
_PROTECTED = re.compile(r"\d+(?:[./\-]\w+|[,:]\d+)+|\w+(?:[./\-]\w+)*\d\w*(?:[./\-]\w+)*|\w+-\w+(?:-\w+)*")
_WORDCHAR = re.compile(r"\w")

SEGMENTER_VERSION = "underthesea-9.5.0/2"


def _underthesea(chunk: str) -> list[str]:
    """`underthesea.word_tokenize(chunk)`, decoded by indexer/crf.py (same words, ~3× less CPU)."""
    from indexer.crf import segmenter  # loaded lazily: 0.7 s and 130 MB

    return segmenter().words(chunk)


@lru_cache(maxsize=200_000)
def _segment_line(line: str) -> tuple[str, ...]:
    words: list[str] = []
    pos = 0
    for m in _PROTECTED.finditer(line):
        if m.start() > pos:
            words.extend(_underthesea(line[pos : m.start()]))
        words.append(m.group())
        pos = m.end()
    if pos < len(line):
        words.extend(_underthesea(line[pos:]))
    return tuple(w for w in words if _WORDCHAR.search(w))


def segment(text: str) -> list[str]:
    """Words of `text` in order; a compound word keeps its inner spaces ("thi đua")."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            out.extend(_segment_line(line))
    return out


def segmented(text: str) -> str:
    """`text` as one string of words joined by spaces, syllables inside a word joined by "_"."""
    return " ".join(w.replace(" ", "_") for w in segment(text))
