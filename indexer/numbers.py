"""Số/ký hiệu (Nghị định 30/2020/NĐ-CP): canonical form, loose key, and loose query forms.

    1460/KH-UBND   15/2019/NĐ-CP   7432/UBND-XD   11-CT/TU   69/2025/QH15   66.19/2026/NQ-CP

`canonical_number` is what we store and show (no spaces, capitals, Vietnamese letters kept);
`loose_key` is what we match on (case and diacritics folded — QD≈QĐ — and "-"/"/" unified).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.normalize import fold, syllable_shaped

# Abbreviations of document types (Nghị định 30/2020, Phụ lục III) → type name.
TYPE_CODES = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QyĐ": "Quy định",
    "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình", "KH": "Kế hoạch", "PA": "Phương án",
    "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản", "TTr": "Tờ trình", "HĐ": "Hợp đồng",
    "CĐ": "Công điện", "GP": "Giấy phép", "BGN": "Bản ghi nhớ", "BTT": "Bản thỏa thuận", "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời", "GGT": "Giấy giới thiệu", "GNP": "Giấy nghỉ phép", "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển", "PB": "Phiếu báo", "TC": "Thư công", "KL": "Kết luận",
    "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "QH": "Luật", "PL": "Pháp lệnh",
    "L": "Luật",
}
_FOLDED_CODES = {fold(k): k for k in TYPE_CODES}

# Dashes that stand for the hyphen between codes: Word's autocorrect makes "QĐ - BXD" "QĐ – BXD".
_DASHES = "\u2012\u2013\u2014\u2212"  # figure dash, en dash, em dash, minus sign
# One part of a code: letters (Vietnamese kept), digits allowed after the first letter.
_CODE = r"[A-ZĐa-zđ][A-ZĐa-zđ0-9&]*"
NUMBER_RE = re.compile(
    rf"(?<![\w/.-])(\d{{1,6}}[a-z]?(?:\.\d{{1,3}})?)"  # seq (66.19)
    rf"(?:\s?/\s?((?:19|20)\d{{2}}))?"  # year
    rf"(?:\s?([/-])/?\s?)"  # separator ("//" is a typing slip)
    rf"({_CODE}(?:\s?[-/{_DASHES}]\s?{_CODE}){{0,8}}"  # codes (joint documents list up to 8 bodies; Word turns " - " into " – ")
    rf"(?:(?<=QH)\s\d{{1,2}}(?!\d))?)"  # "28/2004/QH 11": the legislature printed apart (QH11)
    rf"(?![\w])"
)


# Cyrillic letters that OCR and copy-paste put in codes ("ВСТ" for BCT).
_CONFUSABLES = str.maketrans("АВСЕНКМОРТХУаеорсху", "ABCEHKMOPTXYaeopcxy")


_GLUED = re.compile(r"^(NĐ|ND|NQ|QĐ|QD|CT)(CP|TTG|TTg|UBND|HĐND)$")


@dataclass(frozen=True)
class NumberParts:
    seq: str
    year: str | None
    type_code: str | None  # canonical code (KH, QĐ, NĐ…) or None (công văn, unknown)
    issuer_code: str | None  # the rest (UBND, BXD, CP, TU, UBND-XD…)


def canonical_number(s: str | None) -> str | None:
    """'Số:1460/KH- UBND' → '1460/KH-UBND'; None when `s` holds no number."""
    if not s:
        return None
    m = NUMBER_RE.search(s.strip().translate(_CONFUSABLES))
    if not m:
        return None
    seq, year, sep, codes = m.groups()
    codes = re.sub(rf"[{_DASHES}]", "-", codes)
    codes = re.sub(r"(?<![A-Z])TTG(?![A-Z])", "TTg", re.sub(r"\s+", "", codes).upper())  # Thủ tướng: "TTg"
    codes = _GLUED.sub(r"\1-\2", codes)  # "NĐCP" typed without its hyphen
    return f"{seq}{'/' + year if year else ''}{sep}{codes}"


def written_number(typed: str) -> str | None:
    """A number as staff write it, from a URL's dashes for slashes too ("1460-KH-UBND" → 1460/KH-UBND,
    "91-2017-NĐ-CP" → 91/2017/NĐ-CP; one with a slash, as 11-CT/TU, keeps its dashes); None if no number."""
    slashed = typed if "/" in typed else re.sub(
        r"^(\d+)-(?:((?:19|20)\d{2})-)?", lambda m: f"{m[1]}/{m[2] + '/' if m[2] else ''}", typed.strip())
    return canonical_number(slashed)


def unpadded(seq: str) -> str:
    """A number's serial without the zeros it may be printed with: "06" → "6" (Số: 06/KH-UBND
    and 6/KH-UBND are one number), "0" stays "0"."""
    return re.sub(r"^0+(?=\d)", "", seq)


def loose_key(s: str | None) -> str | None:
    """Matching key: 'QĐ số 15/QĐ-UBND', '15/qd - ubnd' and '015/QĐ-UBND' → '15/qd/ubnd'."""
    c = canonical_number(s)
    if not c:
        return None
    return unpadded(re.sub(r"[/-]+", "/", fold(c)))


def number_parts(s: str | None) -> NumberParts | None:
    c = canonical_number(s)
    if not c:
        return None
    m = NUMBER_RE.match(c)
    seq, year, sep, codes = m.groups()
    parts = re.split(r"[-/]", codes)
    type_code = None
    if sep == "-":  # Party style: 11-CT/TU
        type_code = _FOLDED_CODES.get(fold(parts[0]))
        rest = parts[1:]
    else:
        first = _FOLDED_CODES.get(fold(parts[0]))
        if first and len(parts) > 1:
            type_code, rest = first, parts[1:]
        elif re.fullmatch(r"QH\d*", parts[0].upper()):
            type_code, rest = "QH", parts
        else:
            rest = parts
    return NumberParts(seq, year, type_code, "-".join(rest) or None)


def type_of_number(s: str | None) -> str | None:
    """The document type a number's code implies ('15/QĐ-UBND' → 'Quyết định'); công văn → 'Công văn'."""
    p = number_parts(s)
    if p is None:
        return None
    if p.type_code:
        return TYPE_CODES[p.type_code]
    return "Công văn" if p.issuer_code and not p.year else None


# --- loose forms in queries -----------------------------------------------------------------

_TYPE_WORDS = {
    "ke hoach": "KH", "quyet dinh": "QĐ", "nghi dinh": "NĐ", "thong tu": "TT", "bao cao": "BC",
    "thong bao": "TB", "huong dan": "HD", "nghi quyet": "NQ", "chi thi": "CT", "luat": "QH",
    "to trinh": "TTr", "cong van": None, "van ban": None, "ket luan": "KL", "chuong trinh": "CTr",
}
_QUERY_FORM = re.compile(
    r"(?<![\w/])(?P<type>ke hoach|quyet dinh|nghi dinh|thong tu|bao cao|thong bao|huong dan|nghi quyet|chi thi|"
    r"luat|to trinh|cong van|van ban|ket luan|chuong trinh|qd|kh|nd|tt|bc|tb|hd|nq|ct|cv|ttr)"
    r"\s*(?P<no>so\s*)?[:.-]?\s*(?P<seq>\d{1,6}(?:\.\d{1,3})?)(?:\s*(?P<ysep>[/ ])\s*(?P<year>(?:19|20)\d{2})(?!\d))?"
    r"(?:\s*(?P<isep>[-/ ])\s*(?P<issuer>[a-z][a-z0-9&]{1,9}(?:-[a-z0-9&]{1,9})?))?(?![\w/])"
)

YEARISH = re.compile(r"(?:19[5-9]|20[0-4])\d")  # a year a document of the archive can have

# the digits first: "27 KH UBND", "15 qd" (short codes only; a year such as "2019 kh" is not a number)
_QUERY_FORM_DIGITS_FIRST = re.compile(
    r"(?<![\w/])(?P<seq>(?!(?:19|20)\d{2}(?!\d))\d{1,6})\s*[-/ ]?\s*(?P<type>qd|kh|nd|tt|bc|tb|hd|nq|ct|ttr)"
    r"(?:\s*(?P<isep>[-/ ])\s*(?P<issuer>[a-z][a-z0-9&]{1,9}(?:-[a-z0-9&]{1,9})?))?(?![\w/])"
)


def _issuer_code(m: re.Match) -> str | None:
    """The issuer part of a loose number, unless it is the next word of the query: after a
    space, a word that can be a Vietnamese syllable ("KH 15 thi đua") is not an issuer code."""
    issuer = m.group("issuer")
    if issuer and m.group("isep") == " " and syllable_shaped(issuer):
        return None
    return issuer


# a number as file names write it: "146.2025.ND.CP", "146_2025_nd-cp", "15.2019.TT.BTC" (dashes: `_URL_FORM`)
_QUERY_FORM_FILE = re.compile(
    r"(?<![\w/.])(?P<seq>\d{1,6})(?P<s1>[._])(?P<year>(?:19|20)\d{2})(?P=s1)(?P<type>[a-z]{1,4})"
    r"(?:[._-](?P<issuer>[a-z][a-z0-9&]{1,9}))?(?![\w])(?!\.\w)"
)
_QUERY_FORM_BARE = re.compile(r"(?<![\w/.-])(?P<seq>\d{1,6}(?:\.\d{1,3})?)/(?P<year>(?:19|20)\d{2})(?![\w/])")


@dataclass(frozen=True)
class QueryNumber:
    start: int
    end: int
    key: str | None  # exact loose key when the whole number was typed
    seq: str | None = None
    code: str | None = None
    issuer_code: str | None = None
    year: str | None = None
    year_apart: bool = False  # "qd 11 2026": the year may be the number's or the document's

    @property
    def cited_heads(self) -> list[str]:
        """How documents citing this number start their keys (`cites`): with the year typed, or
        with any year in the place of a number's year ("50/QĐ-UBND" cited as 50/2019/QĐ-UBND)."""
        code = f"/{self.code}" if self.code and self.code != "qh" else ""  # a law's code is QH11, QH15…
        if self.year and not self.year_apart:
            return [f"{self.seq}/{self.year}{code}"]
        return [f"{self.seq}{code}", f"{self.seq}/????{code}"]

    @property
    def label(self) -> str:
        """What a snippet counts this number as (one term, however often it is written)."""
        return "№" + (self.key or f"{self.seq}/{self.year or ''}/{self.code or ''}/{self.issuer_code or ''}")

    def accepts(self, written: str) -> bool:
        """Whether a number written in a text (a NUMBER_RE match) is this one: the same loose key
        when the whole number was typed, else the parts that were typed (`KH 1460`)."""
        if self.key:
            return loose_key(written) == self.key
        p = number_parts(written)
        if p is None or p.seq.lstrip("0") != (self.seq or "").lstrip("0"):
            return False
        if self.year and not self.year_apart and p.year != self.year:  # "KH 15 2019": 2019 may be the date's
            return False
        if self.code and fold(p.type_code or "") != self.code:
            return False
        return not self.issuer_code or fold(p.issuer_code or "").startswith(self.issuer_code)


def number_spans(text: str, wanted: list[QueryNumber], start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, label) of each writing of a wanted number in text[start:end], whole:
    `11-CT/TU` is marked as one, and "Tự" in "Tự do" is not."""
    out = []
    for m in NUMBER_RE.finditer(text, start, len(text) if end is None else end):
        n = next((n for n in wanted if n.accepts(m.group())), None)
        if n is not None:
            out.append((m.start(), m.end(), n.label))
    return out


_URL_FORM = re.compile(rf"(?<![\w/.-])\d{{1,6}}-(?:19|20)\d{{2}}-{_CODE}(?:-{_CODE}){{0,8}}(?![\w/])")


def find_numbers_in_query(q: str) -> list[QueryNumber]:
    """Numbers typed loosely: '1460/KH-UBND', 'KH 1460', 'qd 1074 bxd', 'nghi dinh 146/2025'."""
    found: list[QueryNumber] = []
    taken: list[tuple[int, int]] = []
    # as the document page's URL writes a number: "45-2019-QH14", "146-2025-NĐ-CP"
    matches = [(m, written_number(m.group())) for m in _URL_FORM.finditer(q)] + [(m, m.group()) for m in NUMBER_RE.finditer(q)]
    for m, written in matches:
        p = number_parts(written) if written else None
        if p is None or any(a < m.end() and m.start() < b for a, b in taken):
            continue
        found.append(QueryNumber(m.start(), m.end(), loose_key(written), unpadded(p.seq),
                                 fold(p.type_code) if p.type_code else None,
                                 fold(p.issuer_code) if p.issuer_code else None, p.year))
        taken.append((m.start(), m.end()))
    folded = fold(q)  # same length as q for Vietnamese text (one char per char after NFC)
    if len(folded) != len(q):
        return found
    for m in _QUERY_FORM.finditer(folded):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        t = m.group("type")
        code = _TYPE_WORDS.get(t, t.upper() if t != "cv" else None) if " " in t or t in _TYPE_WORDS else t
        code = fold(code) if code else None
        issuer = _issuer_code(m)
        if not (issuer or m.group("year") or m.group("no")) and YEARISH.fullmatch(m.group("seq")):
            continue  # "kế hoạch 2019": the plans of 2019, not a plan numbered 2019 ("kế hoạch số 2019" is one)
        end = m.end("issuer") if issuer else max(m.end("seq"), m.end("year") if m.group("year") else 0)
        found.append(QueryNumber(m.start(), end, None, unpadded(m.group("seq")), code if code not in ("cv",) else None,
                                 issuer, m.group("year"), m.group("ysep") == " "))
        taken.append((m.start(), end))
    for m in _QUERY_FORM_FILE.finditer(folded):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        t = m.group("type")
        code, issuer = (t, m.group("issuer")) if t in _FOLDED_CODES else (None, t)
        found.append(QueryNumber(m.start(), m.end(), None, unpadded(m.group("seq")), code, issuer, m.group("year")))
        taken.append((m.start(), m.end()))
    for m in _QUERY_FORM_BARE.finditer(folded):  # "69/2025": a number of that year, whatever its code
        if not any(a < m.end() and m.start() < b for a, b in taken):
            found.append(QueryNumber(m.start(), m.end(), None, unpadded(m.group("seq")), None, None, m.group("year")))
            taken.append((m.start(), m.end()))
    for m in _QUERY_FORM_DIGITS_FIRST.finditer(folded):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        issuer = _issuer_code(m)
        end = m.end("issuer") if issuer else m.end("type")
        found.append(QueryNumber(m.start(), end, None, unpadded(m.group("seq")), fold(_TYPE_WORDS.get(m.group("type")) or m.group("type")),
                                 issuer))
    return sorted(found, key=lambda n: n.start)
