"""The Whoosh schema, built in one place, and its version.

The version is written next to the index; a different version means "rebuild needed",
decided by `check_version` and nowhere else.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.analysis import ANALYZER_VERSION, folded_analyzer, syllable_analyzer, word_analyzer

SCHEMA_VERSION = f"schema-3/{ANALYZER_VERSION}"

# Field families searched for text, with the boost each gets. Tuned on ALQAC 2022 + 2023 train
# (bench/ranking.py, report bench/reports/ranking.md): title boosts were 3.0/1.5/0.8; a strong
# title boost lost 4 points of Recall@10 and 11 of MRR@10 there.
TEXT_FIELDS = {
    "title": 0.3,
    "title_syl": 0.15,
    "title_fold": 0.08,
    "body": 1.0,
    "body_syl": 0.6,
    "body_fold": 0.35,
}


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
        title=TEXT(analyzer=word_analyzer(), phrase=True),
        title_syl=TEXT(analyzer=syllable_analyzer(), phrase=True),
        title_fold=TEXT(analyzer=folded_analyzer(), phrase=True),
        body=TEXT(analyzer=word_analyzer(), phrase=True),
        body_syl=TEXT(analyzer=syllable_analyzer(), phrase=True),
        body_fold=TEXT(analyzer=folded_analyzer(), phrase=True),
        cites=KEYWORD(commas=True, lowercase=False),  # loose keys of what this document cites
        format=ID(stored=True),
    )


def keyword(key: str) -> str:
    """A key as stored in the comma-separated `keys`/`cites` fields (commas cannot occur)."""
    return " ".join(key.replace(",", " ").split())
