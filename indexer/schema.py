"""The Whoosh schema, built in one place, and its version.

The version is written next to the index; a different version means "rebuild needed",
decided by `check_version` and nowhere else.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.system import pack_uint

from indexer.analysis import ANALYZER_VERSION, ANALYZERS

SCHEMA_VERSION = f"schema-7/{ANALYZER_VERSION}"  # 7: number keys without leading zeros, Ð read as Đ

# Field families searched for text, with the boost each gets. Tuned on ALQAC 2022 + 2023 train
# (bench/ranking.py, report bench/reports/ranking.md), with the word and syllable fields kept
# on so that a whole word ranks above its syllables and an accented syllable above its folded
# form. A strong title boost lost points there (a passage "title" is an article heading).
TEXT_FIELDS = {
    "title": 0.3,
    "title_syl": 0.15,
    "title_fold": 0.08,
    "body": 1.0,
    "body_syl": 0.6,
    "body_fold": 0.35,
    "title_bi": 0.45,
    "body_bi": 1.5,
}
# The adjacency bonus: bigrams of the query as typed, found in a document, add this (× field boost).
ADJACENCY = {"title_bi": 1.2, "body_bi": 1.2}


class Analyzed(TEXT):
    """A TEXT field of one analyzer family (analysis.ANALYZERS) that also takes its terms
    already counted — {term: frequency}, made by `analysis.counts` in a worker process — so
    the one writer process does not tokenize eight fields of every document. The postings
    are the ones the analyzer would give; a plain string is analyzed as usual."""

    def __init__(self, family: str):
        super().__init__(analyzer=ANALYZERS[family](), phrase=False)
        self.family = family

    def index(self, value, **kwargs):
        if isinstance(value, dict):
            boost = self.format.field_boost
            return ((t.encode("utf-8"), f, f * boost, pack_uint(f)) for t, f in value.items())
        return super().index(value, **kwargs)


def text_families() -> dict[str, str]:
    """Field name → analyzer family of every Analyzed field (what `pipeline.index_fields` counts)."""
    return {name: field.family for name, field in build_schema().items() if isinstance(field, Analyzed)}


def text_analyzers() -> dict:
    """Field name → analyzer of every Analyzed field."""
    return {name: field.analyzer for name, field in build_schema().items() if isinstance(field, Analyzed)}


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        source=ID(stored=True),
        root=ID(stored=True),
        sha=ID(stored=True),
        meta=STORED(),  # display fields (number, type, issuer, date, title, source) as one dict
        keys=KEYWORD(commas=True, scorable=True),  # loose number key (+ name key of a law): look-up, citations
        numtok=KEYWORD(lowercase=True, commas=False, scorable=True),  # parts of the number
        type=ID(stored=True, sortable=True),
        issuer=ID(stored=True, sortable=True),
        year=NUMERIC(stored=True, sortable=True, signed=False, bits=32),
        date=ID(stored=True, sortable=True),  # YYYY-MM-DD: ranges are string ranges
        title=Analyzed("word"),
        title_syl=Analyzed("syllable"),
        title_fold=Analyzed("folded"),
        body=Analyzed("word"),
        body_syl=Analyzed("syllable"),
        body_fold=Analyzed("folded"),
        title_bi=Analyzed("bigram"),
        body_bi=Analyzed("bigram"),
        cites=KEYWORD(commas=True, lowercase=False),  # loose keys of what this document cites
        defines=KEYWORD(commas=True, lowercase=False),  # keys of the terms it defines (definitions.py); unscored: a flat bonus
        format=ID(stored=True),
    )


def keyword(key: str) -> str:
    """A key as stored in the comma-separated `keys`/`cites` fields (commas cannot occur)."""
    return " ".join(key.replace(",", " ").split())
