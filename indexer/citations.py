"""Citations (minimal first version)."""

from __future__ import annotations

import re

from indexer.models import Citation
from indexer.numbers import TYPE_CODES, canonical_number, loose_key

_TYPES = "|".join(sorted(TYPE_CODES.values(), key=len, reverse=True))
_CIT = re.compile(rf"({_TYPES})\s+(?:số\s+)?(\d+(?:/\d{{4}})?/[\wĐđ]+(?:-[\wĐđ]+)*)")


def find_citations(text: str) -> list[Citation]:
    return [Citation(m.start(), m.end(), m.group(), number=canonical_number(m.group(2)), type=m.group(1))
            for m in _CIT.finditer(text)]


def citation_key(c: Citation) -> str | None:
    return loose_key(c.number) if c.number else None


def resolve(c: Citation, candidates: list[dict]) -> dict | None:
    exact = [d for d in candidates if d.get("number") == c.number]
    pool = exact or candidates
    return pool[0] if len(pool) == 1 else None
