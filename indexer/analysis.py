"""Whoosh analyzers, one per field family; the query side uses the same ones.

- word: pre-segmented text ("thi_đua khen_thưởng"), lowercased: compound words match whole.
- syllable: every syllable, lowercased: a different segmentation still matches.
- folded: syllables without diacritics (đ→d): queries typed without accents match.
Each one is a small chain, as Whoosh composes its own analyzers.
"""

from __future__ import annotations

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from indexer.normalize import fold
from indexer.segment import SEGMENTER_VERSION, segmented

ANALYZER_VERSION = f"2/{SEGMENTER_VERSION}"

SYLLABLE_PATTERN = r"[^\W_]+"


class FoldFilter(Filter):
    """Accent-fold each token (đ→d)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def word_analyzer():
    return RegexTokenizer(r"\S+") | LowercaseFilter()


def syllable_analyzer():
    return RegexTokenizer(SYLLABLE_PATTERN) | LowercaseFilter()


def folded_analyzer():
    return RegexTokenizer(SYLLABLE_PATTERN) | LowercaseFilter() | FoldFilter()


def words(text: str) -> list[str]:
    """Query/index-side word tokens of `text` for the word field (segmented, lowercased)."""
    return [t.text for t in word_analyzer()(segmented(text))]


def syllables(text: str) -> list[str]:
    return [t.text for t in syllable_analyzer()(text)]


def folded_syllables(text: str) -> list[str]:
    return [t.text for t in folded_analyzer()(text)]
