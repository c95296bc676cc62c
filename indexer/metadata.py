"""Header metadata (minimal first version)."""

from __future__ import annotations

import re

from indexer.models import Metadata
from indexer.numbers import TYPE_CODES, canonical_number

_SO = re.compile(r"^S[ốo]\s*:?\s*(\d[\w./Đđ-]*)", re.M)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
TYPES = {v.upper(): v for v in TYPE_CODES.values()}


def parse_metadata(text: str, *, source: str | None = None) -> Metadata:
    head = text[:3000]
    m = Metadata()
    if (s := _SO.search(head)):
        m.number = canonical_number(s.group(1))
    if (d := _DATE.search(head)):
        m.date = f"{int(d.group(3)):04d}-{int(d.group(2)):02d}-{int(d.group(1)):02d}"
    lines = head.split("\n")
    for i, line in enumerate(lines):
        if line.strip() in TYPES:
            m.type = TYPES[line.strip()]
            if i + 1 < len(lines):
                m.title = lines[i + 1].strip() or None
            break
    return m


def duplicate_key(meta: Metadata) -> str | None:
    return None
