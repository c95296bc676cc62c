"""Document numbers (số/ký hiệu, Nghị định 30/2020): canonical form and loose keys (minimal)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.normalize import fold

TYPE_CODES = {
    "KH": "Kế hoạch", "QĐ": "Quyết định", "BC": "Báo cáo", "TB": "Thông báo", "HD": "Hướng dẫn",
    "NQ": "Nghị quyết", "CT": "Chỉ thị", "NĐ": "Nghị định", "TT": "Thông tư", "CV": "Công văn",
    "QH": "Luật", "TTr": "Tờ trình", "CTr": "Chương trình", "KL": "Kết luận",
}

_NUM = re.compile(r"\d+(?:\.\d+)?(?:\s*/\s*\d{4})?\s*[/-]\s*[\wĐđ]+(?:\s*[-/]\s*[\wĐđ]+)*")


def canonical_number(s: str) -> str | None:
    if not s:
        return None
    v = re.sub(r"\s+", "", s.strip().strip(".,;:"))
    return v.upper() if v else None


def loose_key(s: str) -> str | None:
    v = canonical_number(s)
    if not v:
        return None
    return re.sub(r"[/\-]+", "/", fold(v))


@dataclass
class QueryNumber:
    start: int
    end: int
    key: str | None
    seq: str | None = None
    code: str | None = None
    issuer_code: str | None = None
    year: str | None = None


def find_numbers_in_query(q: str) -> list[QueryNumber]:
    out = []
    for m in re.finditer(r"\b\d+(?:/\d{4})?[/-][\wĐđ]+(?:[-/][\wĐđ]+)*", q):
        parts = re.split(r"[/-]", m.group())
        out.append(QueryNumber(m.start(), m.end(), loose_key(m.group()), seq=parts[0]))
    return out
