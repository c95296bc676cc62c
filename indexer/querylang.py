"""The query language staff type, parsed into a small tree before it meets Whoosh.

    kế hoạch thi đua            words (AND; each word may match accented, syllable or folded)
    "khen thưởng đột xuất"      phrase
    -huyện  -"giấy khen"        exclusion
    NOT huyện  NOT "giấy khen"  the same exclusions (NOT binds the next word or phrase only)
    bằng khen OR giấy khen      either side (OR splits the query into alternatives: the words
                                on each side of it, as Vietnamese words span syllables)
    (bằng khen OR giấy khen) 2019 sở nội vụ
                                a group: its OR is ANDed with the words around it, i.e.
                                bằng khen 2019 sở nội vụ OR giấy khen 2019 sở nội vụ; groups
                                multiply out ((a OR b) (c OR d): 4), nest, and may hold phrases
                                and -words (which exclude from the whole query, as always)
    a AND b                     AND is the default and is ignored; OR, HOẶC, NOT, AND count
                                as operators in capitals only
    loai:KH  nam:2019  nam:2015..2019  co_quan:"Sở Nội vụ"  so:1460/KH-UBND
    ngay:2019-01-01..2019-06-30

Parentheses are forgiving, as staff paste titles ("Kế hoạch (sửa đổi)", "(kèm theo …"): a
group without OR is plain AND (its words keep their parentheses, and search exactly as they
did before groups), an unclosed "(" groups to the end of the query, a stray ")" closes nothing,
"()" is nothing, and inside quotes they are part of the phrase. Refused with a message:
a filter inside a group with OR (filters cannot be OR-ed; put them outside), an exclusion of a
group of several words ("-(a b)", "NOT (a OR b)"; "-(huyện)" is -huyện), more than
MAX_ALTERNATIVES alternatives once groups with OR are multiplied out, and groups nested more
than MAX_DEPTH deep.

A malformed query raises QueryError with a message in Vietnamese and English that says
what to fix; nothing here can raise anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

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

MAX_ALTERNATIVES = 32  # alternatives once groups with OR are multiplied out
MAX_DEPTH = 10  # parentheses inside parentheses

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<or>OR|HOẶC)(?=[\s()]|$)
      | (?P<not>NOT)(?=[\s()]|$)
      | (?P<and>AND)(?=[\s()]|$)
      | (?P<open>(?P<oneg>-)?\()
      | (?P<close>\))
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
        """The words and phrases typed, once each: a clause outside a group with OR is the same
        object in every alternative it was distributed into, and counts once."""
        seen: set[int] = set()
        out = []
        for g in self.alternatives:
            for c in g:
                if c.kind in ("text", "phrase") and id(c) not in seen:
                    seen.add(id(c))
                    out.append(c.value)
        return " ".join(out)


_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^\d{4}$")


def date_bounds(value: str, what: str) -> tuple[str, str]:
    """The first and last day (ISO) that a typed date names: a day (17/6/2019, 17-06-2019,
    17.6.2019, 2019-06-17), a month (6/2019, 06.2019, 2019-06) or a year (2019)."""
    v = value.strip()
    try:
        m = _DMY.match(v)
        if m:
            day = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return day.isoformat(), day.isoformat()
        month = _MONTH.match(v) or _YEAR_MONTH.match(v)
        if month:
            mm, yy = (int(month.group(1)), int(month.group(2))) if _MONTH.match(v) else (int(month.group(2)), int(month.group(1)))
            first = date(yy, mm, 1)
            last = date(yy + mm // 12, mm % 12 + 1, 1) - date.resolution
            return first.isoformat(), last.isoformat()
        if _YEAR.match(v) and 1900 <= int(v) <= 2100:
            return f"{v}-01-01", f"{v}-12-31"
        day = date.fromisoformat(v)
        return day.isoformat(), day.isoformat()
    except ValueError:
        raise QueryError(
            f"Ngày không hợp lệ ở {what}: {value!r} — dùng ngày/tháng/năm (17/6/2019, 17-6-2019, 17.6.2019), "
            f"tháng/năm (6/2019) hoặc năm (2019). (Invalid date {value!r}: use DD/MM/YYYY, MM/YYYY or YYYY.)"
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
    elif name == "date":  # a day, a month ("ngay:6/2019", "ngay:2019-12") or a year, or a range of them
        m = _RANGE.match(value)
        lo, hi = (m.group(1), m.group(2)) if m else (value, value)
        pq.filters["date_from"] = date_bounds(lo, typed)[0] if lo else None
        pq.filters["date_to"] = date_bounds(hi, typed)[1] if hi else None
        if lo and hi and pq.filters["date_from"] > pq.filters["date_to"]:
            raise QueryError(f"Khoảng ngày không hợp lệ: {value} — ngày đầu phải trước ngày cuối, ví dụ {typed}:{hi}..{lo}. "
                             f"(The first date of the range is after the last.)")
    else:
        pq.filters[name] = value


def _just_a_number(text: str) -> bool:
    found = find_numbers_in_query(text)
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(text)


_OR_NEEDS_WORDS = "OR cần một từ ở hai bên, ví dụ: bằng khen OR giấy khen. (OR needs words on both sides.)"
_OR_NOT_FILTERS = ("OR chỉ nối các từ hoặc cụm từ, không nối bộ lọc: để chọn nhiều năm dùng nam:2019..2020. "
                   "(OR joins words, not filters; use a range such as nam:2019..2020.)")
_NOT_NEEDS_WORD = ('NOT cần một từ hoặc cụm từ ngay sau (không kèm dấu -), ví dụ: NOT huyện hoặc NOT "giấy khen". '
                   "(NOT needs a word or quoted phrase after it.)")


def _unmatched_close(token: str) -> int | None:
    """Where the first ")" of a typed word that closes a group is: "khen)" and "b)(c" end
    groups, "1(a)" keeps its own ")"."""
    depth = 0
    for k, ch in enumerate(token):
        if ch == "(":
            depth += 1
        elif ch == ")":
            if not depth:
                return k
            depth -= 1
    return None


_CLOSES = re.compile(r"\)+[,.;:!?]*")  # "đổi),", "sửa đổi).": the punctuation goes with the ")"
_OLD_WORD = re.compile(r'[^\s"]+')  # what a word was before "(" and ")" were operators


class _Token(NamedTuple):
    kind: str  # or, not, and, open, close, clause (a field, phrase or word), bad (a lone quote)
    m: re.Match | None
    raw: str | None = None  # a word as typed with the parentheses glued to it: "(sửa", "đổi),"


def _tokens(q: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while m := _TOKEN.match(q, pos):
        pos = m.end()
        kind = next((k for k in ("or", "not", "and", "open", "close", "bad") if m.group(k)), "clause")
        start = m.end() - len(m.group(0).lstrip())
        if kind == "open" and not m.group("oneg"):  # "( sửa đổi )": a "(" apart was a word
            apart = (start == 0 or q[start - 1].isspace()) and (pos == len(q) or q[pos].isspace() or q[pos] == '"')
            out.append(_Token(kind, m, "(" if apart else None))
            continue
        if kind == "close":  # ")" or ")," apart, after a space or a phrase: a word as well
            word = _OLD_WORD.match(q, start).group()
            if _CLOSES.fullmatch(word):
                out.append(_Token(kind, m, word))
                out.extend([_Token("close", None)] * (word.count(")") - 1))
                pos = start + len(word)
            else:
                out.append(_Token(kind, m))
            continue
        if kind != "clause" or m.group("phrase") is not None:
            out.append(_Token(kind, m))
            continue
        if m.group("word") is None and m.group("fval").startswith('"'):  # co_quan:"Sở Nội vụ"
            out.append(_Token(kind, m))
            continue
        value_start = start + (q[start] == "-")
        while value_start > 0 and q[value_start - 1] == "(":  # "(sửa" was typed so; the "(" is its own token
            value_start -= 1
        k = _unmatched_close(q[start: m.end()])
        if k is None:
            out.append(_Token(kind, m, q[value_start: m.end()]))
            continue
        # the word before its ")", read again as if typed alone; the ")" and what follows, after it
        end = m.end()
        m = _TOKEN.match(q, m.start(), start + k)
        pos = start + k
        closes = 0
        if _CLOSES.fullmatch(q, pos, end):  # "đổi)," : the punctuation goes with the ")"
            closes, pos = q.count(")", pos, end), end
        out.append(_Token(kind, m, q[value_start: pos]))
        out.extend([_Token("close", None)] * closes)
    return out


def _negated(m: re.Match) -> bool:
    return bool(m.group("neg") or m.group("pneg") or m.group("wneg"))


def _too_many(n: int) -> QueryError:
    return QueryError(
        f"Câu tìm kiếm có quá nhiều khả năng ({n}, tối đa {MAX_ALTERNATIVES}): mỗi nhóm ngoặc có OR nhân số khả "
        f"năng lên — hãy bớt một nhóm hoặc tìm làm nhiều lần. (Too many alternatives once the groups with OR "
        f"are multiplied out: {n}, at most {MAX_ALTERNATIVES}.)"
    )


class _Parser:
    """Recursive descent over the tokens, in the order typed (the first mistake is the one
    reported). A sequence is runs of clauses and groups split by OR; each run is the product
    of its groups' alternatives, with the run's words in every one of them.

    A word keeps the parentheses glued to it ("(sửa", "đổi)"), as before there were groups,
    unless its own group has an OR: the segmenter reads "(hướng dẫn thể thức)" otherwise than
    "hướng dẫn thể thức", and a query without a group with OR searches as it always did."""

    def __init__(self, q: str):
        self.q = q
        self.toks = _tokens(q)
        self.i = 0
        self.pq = ParsedQuery()
        self.groups: list[dict] = []  # the groups open around the current token, innermost last
        self.multiplied = False  # a group with OR: the alternatives are capped

    def parse(self) -> ParsedQuery:
        alts = self.seq()
        if self.multiplied and len(alts) > MAX_ALTERNATIVES:
            raise _too_many(len(alts))
        self.pq.alternatives = [a for a in alts if a]
        return self.pq

    def seq(self) -> list[list[Clause]]:
        """The alternatives of the tokens up to the ")" closing the current group (or the end)."""
        runs: list[list[Clause]] = []  # the alternatives of the runs before the last OR
        cur: list[list[Clause]] = [[]]  # those of the current run
        positive = saw_or = False
        typed: list[tuple[Clause, str]] = []  # this sequence's words, and how they were typed
        group = self.groups[-1] if self.groups else None
        while self.i < len(self.toks):
            kind, m, raw = self.toks[self.i]
            self.i += 1
            if kind == "close":
                if group is not None:
                    group["closed"], group["close"] = True, raw
                    break
                if raw:  # a ")" apart that closes nothing: a word, as it was ("a ) b"); glued, ignored
                    clause = Clause("text", raw)
                    for a in cur:
                        a.append(clause)
                    positive = True
                continue
            if kind == "and":
                continue
            if kind == "or":
                if group is not None:
                    group["or"] = True
                    if group["filter"]:
                        raise self._filter_in_or_group(group["filter"])
                if not positive and not runs:  # nothing to its left (runs without words merge, as before)
                    if group is None and self.pq.filters:
                        raise QueryError(_OR_NOT_FILTERS)
                    raise QueryError(_OR_NEEDS_WORDS)
                if positive:
                    runs += cur
                    cur, positive = [[]], False
                saw_or = True
                continue
            negate = False
            if kind == "not":
                nxt = self.toks[self.i] if self.i < len(self.toks) else None
                if (nxt is None or nxt.kind in ("or", "and", "not", "close")
                        or (nxt.kind == "clause" and _negated(nxt.m)) or (nxt.kind == "open" and nxt.m.group("oneg"))):
                    raise QueryError(_NOT_NEEDS_WORD)
                kind, m, raw = nxt
                self.i += 1
                negate = True
            if kind == "bad":
                raise QueryError(
                    'Thiếu dấu ngoặc kép đóng (") trong câu tìm kiếm — thêm dấu " để kết thúc cụm từ. '
                    "(Unbalanced quote in the query.)"
                )
            if kind == "open":
                if not (negate or m.group("oneg")):
                    sub = self.group(raw)
                    if sub is None:
                        continue
                    if len(cur) * len(sub) > MAX_ALTERNATIVES:
                        raise _too_many(len(cur) * len(sub))
                    cur = [a + s for a in cur for s in sub]
                    positive = positive or any(sub)
                    continue
                clause, raw = self.negated_group()
            else:
                clause = self.clause(m, negate)
            if clause is None:
                continue
            if raw is not None and clause.kind == "text":
                typed.append((clause, raw))
            if clause.negate:
                self.pq.negatives.append(clause)  # excludes from the whole query, grouped or not
                continue
            for a in cur:
                a.append(clause)  # the same object in each: positive_text counts it once
            positive = True
        if group is None or not saw_or:
            for clause, raw in typed:
                clause.value = raw
        if not saw_or:
            return cur
        if not positive:
            raise QueryError(_OR_NEEDS_WORDS)
        if group is not None:
            self.multiplied = True
        return runs + cur

    def group(self, opened: str | None = None) -> list[list[Clause]] | None:
        """The alternatives of a "(" … ")"; None for a "(" with nothing after it or "()" (ignored).
        Without OR, a "(" or ")" typed apart stays a word of it (`opened`), as before groups."""
        if len(self.groups) >= MAX_DEPTH:
            raise QueryError(f"Quá nhiều ngoặc lồng nhau (tối đa {MAX_DEPTH} lớp). "
                             f"(Parentheses nested more than {MAX_DEPTH} deep.)")
        start = self.i
        self.groups.append({"or": False, "filter": None, "closed": False, "close": None})
        alts = self.seq()
        group = self.groups.pop()
        if self.i == start + group["closed"]:  # nothing between the parentheses: "()" pasted, ignored
            alts = None
        if not group["or"] and (opened or group["close"]):
            before = [Clause("text", opened)] if opened else []
            after = [Clause("text", group["close"])] if group["close"] else []
            alts = [before + a + after for a in alts or [[]]]
        return alts

    def negated_group(self) -> tuple[Clause | None, str | None]:
        """ "-(huyện)", NOT ("giấy khen"): the one word or phrase excluded; a group of more is refused."""
        toks, i = self.toks, self.i
        if (i < len(toks) and toks[i].kind == "clause" and not _negated(toks[i].m)
                and (i + 1 == len(toks) or toks[i + 1].kind == "close")):
            self.i = min(i + 2, len(toks))
            return self.clause(toks[i].m, True), toks[i].raw
        raise QueryError(
            "Không thể loại trừ cả một nhóm trong ngoặc: hãy loại trừ từng từ, ví dụ -huyện -xã hoặc NOT huyện NOT xã. "
            "(A group in parentheses cannot be excluded; exclude each word.)"
        )

    def _filter_in_or_group(self, typed: str) -> QueryError:
        return QueryError(
            f"Bộ lọc {typed}: không đặt được trong ngoặc có OR — OR chỉ nối các từ hoặc cụm từ, không nối bộ lọc; "
            f"hãy đặt bộ lọc ngoài ngoặc, ví dụ: (bằng khen OR giấy khen) loai:QĐ. "
            f"(A filter cannot be inside parentheses with OR: OR joins words, not filters; put it outside.)"
        )

    def clause(self, m: re.Match, negate: bool = False) -> Clause | None:
        """The clause of a field, phrase or word token (`negate`: after NOT); a filter is applied."""
        q = self.q
        if m.group("field") is not None:
            neg = negate or bool(m.group("neg"))
            name = FIELD_NAMES.get(fold(m.group("field")).replace("_", "").replace("-", ""))
            if not m.group("fval") and q[m.end():].strip() and fold(m.group("field")) != m.group("field"):
                # "Số: 27/KH-BTĐKT", "Ngày: 11/9/2019" pasted from a header (accents or capitals, a
                # space after the colon): words, not a filter; a typed "co_quan: x" says it is empty
                name = None
            if name is None:  # "V/v:" or "Điều 5:" — not a filter, just text
                return Clause("text", m.group(0).strip().lstrip("-"), negate=neg)
            if name == "number":
                value = m.group("fval").strip('"').strip()
                if not value:
                    raise QueryError(f"Bộ lọc {m.group('field')}: đang trống — ví dụ so:1460/KH-UBND. "
                                     f"(Empty filter {m.group('field')}:.)")
                return Clause("number", value, negate=neg)
            if neg:
                raise QueryError(f"Không thể loại trừ bộ lọc {m.group('field')}: (Negated filters are not supported.)")
            for g in self.groups:
                g["filter"] = g["filter"] or f"{m.group('field')}:{m.group('fval')}"
            if any(g["or"] for g in self.groups):
                raise self._filter_in_or_group(f"{m.group('field')}:{m.group('fval')}")
            _apply_filter(self.pq, name, m.group("fval"), m.group("field"))
            return None
        if m.group("phrase") is not None:
            text = m.group("phrase").strip()
            if not text:
                return None
            # a document number pasted in quotes ("55/KH-UBND") is looked up as a number
            kind = "text" if _just_a_number(text) else "phrase"
            return Clause(kind, text, negate=negate or bool(m.group("pneg")))
        word = m.group("word")
        if word == "-":
            return None
        return Clause("text", word, negate=negate or bool(m.group("wneg")))


_GLUED_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_LETTERS_BEFORE, _LETTERS_AFTER = re.compile(r"[^\W\d_]+$"), re.compile(r"[^\W\d_]+")


def unglued(text: str) -> str:
    """A hyphen typed between two words is a space ("Kế hoạch-thi đua", "thi đua-khen thưởng":
    underthesea keeps "hoạch-thi" as one token, which no document has); between two codes in
    capitals ("KH-UBND") it stays."""
    def space(m: re.Match) -> str:
        left = _LETTERS_BEFORE.search(text, 0, m.start()).group()
        right = _LETTERS_AFTER.match(text, m.end()).group()
        return "-" if left.isupper() and right.isupper() else " "
    return _GLUED_HYPHEN.sub(space, text)


# a word typed with a hyphen between letters: no digit, "/", ":", quote or parenthesis in it
# (numbers, filters, phrases keep theirs), not an exclusion ("-huyện")
_GLUED_WORD = re.compile(r'(?<!\S)(?!-)[^\s"():/\d]*[^\W\d_]-[^\W\d_][^\s"():/\d]*')


_SPACED_SEPARATOR = re.compile(r"\s*([/\-–—])\s*")


def closed_up(q: str) -> str:
    """Numbers typed with spaces around their separators ("10 / KH - SNV", as copied from a PDF)
    written without them, so that the lone "-" is not dropped as an empty exclusion."""
    out, pos = [], 0
    for n in find_numbers_in_query(q):
        span = q[n.start:n.end]
        if any(ch.isspace() for ch in span):
            out += [q[pos:n.start], _SPACED_SEPARATOR.sub(r"\1", span)]
            pos = n.end
    return "".join(out) + q[pos:] if out else q


def parse(query: str) -> ParsedQuery:
    """Parse a user query; raises QueryError on unbalanced quotes or bad filter values. Words
    glued by a hyphen are words apart (`unglued`): "Kế hoạch-thi đua" begins with "Kế hoạch";
    a number's spaced separators are closed up (`closed_up`)."""
    q = normalize_query(query or "")
    if len(q) > 1000:
        raise QueryError("Câu tìm kiếm quá dài (tối đa 1000 ký tự). (Query longer than 1000 characters.)")
    return _Parser(_GLUED_WORD.sub(lambda m: unglued(m.group()), closed_up(q))).parse()
