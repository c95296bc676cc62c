"""The query language staff type, parsed into a small tree before it meets Whoosh.

    kế hoạch thi đua            words (AND; each word may match accented, syllable or folded)
    "khen thưởng đột xuất"      phrase
    -huyện  -"giấy khen"        exclusion
    bằng khen OR giấy khen      either side (OR splits the query into alternatives)
    loai:KH  nam:2019  nam:2015..2019  co_quan:"Sở Nội vụ"  so:1460/KH-UBND
    ngay:2019-01-01..2019-06-30

A malformed query raises QueryError with a message in Vietnamese and English that says
what to fix; nothing here can raise anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from indexer.errors import QueryError
from indexer.normalize import fold, normalize_query
from indexer.numbers import find_numbers_in_query

# field name as typed (folded, "-" or "_" free) → canonical filter name
FIELD_NAMES = {
    "loai": "type",
    "type": "type",
    "nam": "year",
    "year": "year",
    "coquan": "issuer",
    "issuer": "issuer",
    "so": "number",
    "sokyhieu": "number",
    "number": "number",
    "ngay": "date",
    "date": "date",
}

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<or>OR|HOẶC)(?=\s|$)
      | (?P<neg>-)?(?P<field>[^\W\d][\w]*):(?P<fval>"[^"]*"|\S*)
      | (?P<pneg>-)?"(?P<phrase>[^"]*)"
      | (?P<wneg>-)?(?P<word>[^\s"]+)
      | (?P<bad>")
    )""",
    re.X,
)
_RANGE = re.compile(r"^(.*?)\.\.(.*)$")


@dataclass
class Clause:
    """One positive or negative unit of the query."""

    kind: str  # "text" | "phrase" | "number"
    value: str
    negate: bool = False


@dataclass
class ParsedQuery:
    alternatives: list[list[Clause]] = field(default_factory=list)  # OR of ANDs
    negatives: list[Clause] = field(default_factory=list)
    filters: dict = field(default_factory=dict)  # type, issuer, year_from/to, date_from/to, number

    @property
    def empty(self) -> bool:
        return not any(self.alternatives) and not self.filters and not self.negatives

    def positive_text(self) -> str:
        return " ".join(c.value for g in self.alternatives for c in g if c.kind in ("text", "phrase"))


_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _parse_date(value: str, what: str) -> str:
    """YYYY-MM-DD, or the day first as Vietnamese write it (17/6/2019, 17-06-2019, 17.6.2019)."""
    v = value.strip()
    try:
        m = _DMY.match(v)
        return (date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else date.fromisoformat(v)).isoformat()
    except ValueError:
        raise QueryError(
            f"Ngày không hợp lệ ở {what}: {value!r} — dùng dạng ngày/tháng/năm (17/6/2019) hoặc YYYY-MM-DD "
            f"(2019-06-17). (Invalid date {value!r}: use DD/MM/YYYY or YYYY-MM-DD.)"
        ) from None


def parse_year(value: str) -> int:
    v = value.strip()
    if not re.fullmatch(r"\d{4}", v) or not 1900 <= int(v) <= 2100:
        raise QueryError(
            f"Năm không hợp lệ: {value!r} — dùng 4 chữ số, ví dụ nam:2019 hoặc nam:2015..2019. "
            f"(Invalid year {value!r}.)"
        )
    return int(v)


def _apply_filter(pq: ParsedQuery, name: str, value: str, typed: str | None = None) -> None:
    """Set filter `name` from `value`; `typed` is the field as the user wrote it (co_quan:), for messages."""
    value = value.strip('"').strip()
    typed = typed or name
    if not value:
        raise QueryError(f"Bộ lọc {typed}: đang trống — ví dụ loai:KH, nam:2019, co_quan:\"Sở Nội vụ\". "
                         f"(Empty filter {typed}:.)")
    if name == "year":
        m = _RANGE.match(value)
        lo, hi = (m.group(1), m.group(2)) if m else (value, value)
        pq.filters["year_from"] = parse_year(lo) if lo else None
        pq.filters["year_to"] = parse_year(hi) if hi else None
        if lo and hi and pq.filters["year_from"] > pq.filters["year_to"]:
            raise QueryError(f"Khoảng năm không hợp lệ: {value} — năm đầu phải trước năm cuối, ví dụ nam:{hi}..{lo}. "
                             f"(The first year of the range is after the last.)")
    elif name == "date":
        m = _RANGE.match(value)
        lo, hi = (m.group(1), m.group(2)) if m else (value, value)
        month = _MONTH.match(value)
        if month:  # "ngay:6/2019": the whole month
            mm, yy = int(month.group(1)), int(month.group(2))
            if 1 <= mm <= 12:
                last = (date(yy + mm // 12, mm % 12 + 1, 1) - date.resolution).day
                lo, hi = f"1/{mm}/{yy}", f"{last}/{mm}/{yy}"
        pq.filters["date_from"] = _parse_date(lo, typed) if lo else None
        pq.filters["date_to"] = _parse_date(hi, typed) if hi else None
        if lo and hi and pq.filters["date_from"] > pq.filters["date_to"]:
            raise QueryError(f"Khoảng ngày không hợp lệ: {value} — ngày đầu phải trước ngày cuối, ví dụ {typed}:{hi}..{lo}. "
                             f"(The first date of the range is after the last.)")
    else:
        pq.filters[name] = value


def _just_a_number(text: str) -> bool:
    found = find_numbers_in_query(text)
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(text)


def parse(query: str) -> ParsedQuery:
    """Parse a user query; raises QueryError on unbalanced quotes or bad filter values."""
    q = normalize_query(query or "")
    if len(q) > 1000:
        raise QueryError("Câu tìm kiếm quá dài (tối đa 1000 ký tự). (Query longer than 1000 characters.)")
    pq = ParsedQuery(alternatives=[[]])
    pending_or = False
    for m in _TOKEN.finditer(q):
        if m.group("bad"):
            raise QueryError(
                'Thiếu dấu ngoặc kép đóng (") trong câu tìm kiếm — thêm dấu " để kết thúc cụm từ. '
                "(Unbalanced quote in the query.)"
            )
        if m.group("or"):
            if not pq.alternatives[-1]:
                if pq.filters:
                    raise QueryError(
                        "OR chỉ nối các từ hoặc cụm từ, không nối bộ lọc: để chọn nhiều năm dùng nam:2019..2020. "
                        "(OR joins words, not filters; use a range such as nam:2019..2020.)"
                    )
                raise QueryError("OR cần một từ ở hai bên, ví dụ: bằng khen OR giấy khen. (OR needs words on both sides.)")
            pending_or = True
            continue
        clause: Clause | None = None
        if m.group("field") is not None:
            name = FIELD_NAMES.get(fold(m.group("field")).replace("_", "").replace("-", ""))
            if not m.group("fval") and q[m.end():].strip() and fold(m.group("field")) != m.group("field"):
                # "Số: 27/KH-BTĐKT", "Ngày: 11/9/2019" pasted from a header (accents or capitals, a
                # space after the colon): words, not a filter; a typed "co_quan: x" says it is empty
                name = None
            if name is None:  # "V/v:" or "Điều 5:" — not a filter, just text
                clause = Clause("text", m.group(0).strip().lstrip("-"), negate=bool(m.group("neg")))
            elif name == "number":
                value = m.group("fval").strip('"').strip()
                if not value:
                    raise QueryError(f"Bộ lọc {m.group('field')}: đang trống — ví dụ so:1460/KH-UBND. "
                                     f"(Empty filter {m.group('field')}:.)")
                clause = Clause("number", value, negate=bool(m.group("neg")))
            else:
                if m.group("neg"):
                    raise QueryError(f"Không thể loại trừ bộ lọc {m.group('field')}: (Negated filters are not supported.)")
                _apply_filter(pq, name, m.group("fval"), m.group("field"))
                continue
        elif m.group("phrase") is not None:
            text = m.group("phrase").strip()
            if not text:
                continue
            # a document number pasted in quotes ("55/KH-UBND") is looked up as a number
            kind = "text" if _just_a_number(text) else "phrase"
            clause = Clause(kind, text, negate=bool(m.group("pneg")))
        elif m.group("word") is not None:
            word = m.group("word")
            neg = bool(m.group("wneg"))
            if word == "-":
                continue
            clause = Clause("text", word, negate=neg)
        if clause is None:
            continue
        if clause.negate:
            pq.negatives.append(clause)
            continue
        if pending_or:
            pq.alternatives.append([])
            pending_or = False
        pq.alternatives[-1].append(clause)
    pq.alternatives = [a for a in pq.alternatives if a]
    if pending_or:
        raise QueryError("OR cần một từ ở hai bên, ví dụ: bằng khen OR giấy khen. (OR needs words on both sides.)")
    return pq
