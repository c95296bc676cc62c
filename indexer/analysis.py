"""Whoosh analyzers, one per field family; the query side uses the same ones.

- word: pre-segmented text ("thi_đua khen_thưởng"), lowercased: compound words match whole.
- syllable: every syllable, lowercased: a different segmentation still matches.
- folded: syllables without diacritics (đ→d): queries typed without accents match.
- bigram: pairs of adjacent folded syllables ("thi_dua"): a multi-syllable word or a phrase is
  asked as a few terms instead of a positional phrase, which Whoosh matches in pure Python
  (the main cost of a query at 100 000 documents; bench/reports/latency.md). No field keeps
  positions.
Every family writes a syllable by its spelling key (`normalize.spelling_key`: "ký" and "kí" are one
term, "kí"), after lowercasing. Each one is a small chain, as Whoosh composes its own analyzers.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from indexer.normalize import fold, spelling_key
from indexer.segment import SEGMENTER_VERSION, segmented

ANALYZER_VERSION = f"4/{SEGMENTER_VERSION}"  # 4: i/y spelling key

SYLLABLE_PATTERN = r"[^\W_]+"


class FoldFilter(Filter):
    """Accent-fold each token (đ→d)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


class SpellingFilter(Filter):
    """Each (lowercased) token by its spelling key: kí/ký, quí/quý alike."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = _key(t.text)
            yield t


class BigramFilter(Filter):
    """Each token joined to the one before it: a b c → a_b b_c ("_" never occurs in a syllable)."""

    def __call__(self, tokens):
        prev = None
        for t in tokens:
            text = t.text
            if prev is not None:
                t.text = f"{prev}_{text}"
                yield t
            prev = text


def word_analyzer():
    return RegexTokenizer(r"\S+") | LowercaseFilter() | SpellingFilter()


def syllable_analyzer():
    return RegexTokenizer(SYLLABLE_PATTERN) | LowercaseFilter() | SpellingFilter()


def folded_analyzer():
    return syllable_analyzer() | FoldFilter()


def bigram_analyzer():
    return folded_analyzer() | BigramFilter()


def term_counts(analyzer, text: str) -> dict[str, int]:
    """{term: frequency} of `text` under `analyzer`: what Whoosh's Frequency format counts."""
    counts: dict[str, int] = {}
    for t in analyzer(text):
        counts[t.text] = counts.get(t.text, 0) + 1
    return counts


ANALYZERS = {"word": word_analyzer, "syllable": syllable_analyzer, "folded": folded_analyzer,
             "bigram": bigram_analyzer}
_WORD_TOKEN = re.compile(r"\S+")
_SYLLABLE_TOKEN = re.compile(SYLLABLE_PATTERN)


def counts(family: str, text: str) -> dict[str, int]:
    """`term_counts(ANALYZERS[family](), text)`, computed without Whoosh's token objects: the
    same regular expressions and lowercasing, each syllable folded once per process, and the
    syllables of one text split once for the syllable, folded and bigram fields together.
    The index writer spends ~1/3 less CPU per document in the workers (tested equal)."""
    if family == "word":
        return dict(Counter(_key(t.lower()) for t in _WORD_TOKEN.findall(text)))
    syl = _lower_syllables(text)
    if family == "syllable":
        return dict(Counter(syl))
    folded = [_fold_syllable(t) for t in syl]
    if family == "folded":
        return dict(Counter(folded))
    if family == "bigram":
        return dict(Counter(f"{a}_{b}" for a, b in zip(folded, folded[1:])))
    raise ValueError(f"unknown analyzer family {family!r}")


@lru_cache(maxsize=4)
def _lower_syllables(text: str) -> tuple[str, ...]:
    return tuple(_key(t.lower()) for t in _SYLLABLE_TOKEN.findall(text))


@lru_cache(maxsize=200_000)
def _fold_syllable(syllable: str) -> str:
    return fold(syllable)


_key = lru_cache(maxsize=200_000)(spelling_key)  # every token of every document passes here


def words(text: str) -> list[str]:
    """Query/index-side word tokens of `text` for the word field (segmented, lowercased)."""
    return [t.text for t in word_analyzer()(segmented(text))]


def syllables(text: str) -> list[str]:
    return [t.text for t in syllable_analyzer()(text)]


def folded_syllables(text: str) -> list[str]:
    return [t.text for t in folded_analyzer()(text)]


def folded_bigrams(text: str) -> list[str]:
    """Bigram terms of `text`, as the bigram fields index them (`thi đua khen` → thi_dua dua_khen)."""
    return [t.text for t in bigram_analyzer()(text)]
