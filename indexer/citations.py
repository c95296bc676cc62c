"""Citations: every reference to another document in a text, with its span.

Forms found (with or without diacritics, across line breaks):

    Căn cứ Nghị định số 96/2023/NĐ-CP ngày 30 tháng 12 năm 2023 của Chính phủ
    Quyết định 1074/QĐ-BXD · QĐ số 15/QĐ-UBND · Công văn số 7432/UBND-XD
    các Kế hoạch số 12/KH-UBND và 34/KH-UBND           (two citations)
    Chỉ thị số 11-CT/TU ngày 04/01/2016 của Ban Thường vụ Tỉnh ủy
    Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022  (a law by name: number None, name set)

`surface` runs from the type word through the number, then the date and "của <issuer>"
when they follow. Matching runs on an accent-folded copy of the text that keeps case and
length, so offsets map straight back onto the NFC text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from indexer.metadata import primary_copy
from indexer.models import Citation
from indexer.normalize import fold, folded_key, syllable_shaped
from indexer.numbers import NUMBER_RE, TYPE_CODES, canonical_number, loose_key, number_parts

_TYPE_WORDS = {
    "thong tu lien tich": "Thông tư liên tịch", "ke hoach": "Kế hoạch", "quyet dinh": "Quyết định",
    "nghi dinh": "Nghị định", "thong tu": "Thông tư", "bao cao": "Báo cáo", "thong bao": "Thông báo",
    "huong dan": "Hướng dẫn", "nghi quyet": "Nghị quyết", "chi thi": "Chỉ thị", "cong van": "Công văn",
    "van ban": "Văn bản", "to trinh": "Tờ trình", "chuong trinh": "Chương trình", "ket luan": "Kết luận",
    "cong dien": "Công điện", "phap lenh": "Pháp lệnh", "bo luat": "Bộ luật", "luat": "Luật",
    "quy che": "Quy chế", "de an": "Đề án", "thong tri": "Thông tri", "giay phep": "Giấy phép",
}
_ABBR = {"qd": "Quyết định", "kh": "Kế hoạch", "nd": "Nghị định", "tt": "Thông tư", "bc": "Báo cáo",
         "nq": "Nghị quyết", "ct": "Chỉ thị", "cv": "Công văn", "hd": "Hướng dẫn", "tb": "Thông báo"}

_TW = "|".join(w.replace(" ", r"\s+") for w in sorted(_TYPE_WORDS, key=len, reverse=True))  # "Quyết ⏎ định"
_AB = "|".join(_ABBR)
_NUM = NUMBER_RE.pattern.replace("(?<![\\w/.-])", "")  # the type word precedes it
_DATE = (r"(?:\s*,?\s*(?i:ban\s+hanh\s+)?(?i:ngay)\s*(?P<d>\d{1,2})\s*"
         r"(?:(?i:thang)\s*(?P<m>\d{1,2})\s*(?i:nam)\s*(?P<y>\d{4})|[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4})))")
# an issuer ends where the next citation starts: "… của Bộ Xây dựng và Chỉ thị số 11-CT/TU …"
# (type words as a sentence writes them: "Văn Bàn" is a district, "Văn bản" a citation)
# (also in capitals, as a heading or a whole text typed in capitals writes them: "CỦA SỞ NỘI VỤ")
def _cased(*words: str) -> str:
    """Alternatives for `words` as written and in capitals ("Tong cuc" → "Tong cuc" or "TONG CUC", spaces as \\s+)."""
    return "|".join(v.replace(" ", r"\s+") for w in words for v in (w, w.upper()))


_NEXT = r"(?!(?:" + _cased(*(w[0].upper() + w[1:] for w in _TYPE_WORDS)) + r"|QD|KH|ND|TT|BC|NQ|CT|CV|HD|TB)\b)"
# in capitals no lower-case word ends a place name: the words that follow one do ("… BÌNH LAM VỀ VIỆC")
_CAPS_STOP = r"(?!(?:VA|VE|VIEC|THEO|TAI|TRONG|CUA|NAM|NGAY|DA|DUOC|HOAC|VOI|CAC|DE|LA|CO|NAY|QUY|BAN|HANH)\b)"
_PLACE = r"(?:\s+" + _NEXT + r"(?:" + _CAPS_STOP + r"[A-Z]+\b|[A-Z][a-z]*\b)){0,3}"
_ORGNAME = (r"[A-Z][A-Za-z&]*(?:\s+(?:[A-Z&]+\b|[a-zA-Z][a-z&]*))?(?:\s+(?i:va|-|&)\s+" + _NEXT
            + r"[A-Z][A-Za-z&]*(?:\s+(?:[A-Z]+\b|[a-z]+))?)?")
_ISSUER = (
    r"(?P<issuer>(?:(?i:chu\s+tich|pho\s+chu\s+tich|bo\s+truong|thu\s+truong|giam\s+doc|pho\s+giam\s+doc|"
    r"truong\s+ban|cuc\s+truong|thu\s+tuong)\s+)?(?:"
    r"(?i:uy\s+ban\s+nhan\s+dan|ubnd|hoi\s+dong\s+nhan\s+dan|hdnd)(?:\s+(?i:tinh|huyen|thanh\s+pho|thi\s+xa|xa|"
    r"phuong|quan|thi\s+tran|tp\.?|tx\.?)" + _PLACE + r")?"
    r"|(?i:chinh\s+phu|quoc\s+hoi|uy\s+ban\s+thuong\s+vu\s+quoc\s+hoi|van\s+phong\s+chinh\s+phu|bo\s+chinh\s+tri|"
    r"ban\s+bi\s+thu|ban\s+chap\s+hanh\s+trung\s+uong)"
    r"|(?:(?i:ban\s+thuong\s+vu|ban\s+chap\s+hanh)\s+)?(?:" + _cased("Tinh", "Thanh", "Huyen", "Dang") + r")\s+(?:"
    + _cased("uy") + r")" + _PLACE +
    r"|(?:" + _cased("Bo", "So", "Cuc", "Tong cuc", "Vu", "Ban", "Van phong", "Thanh tra", "Chi cuc", "Trung tam",
                     "Phong") + r")\s+" + _ORGNAME +
    r"(?:\s+(?:" + _cased("tinh", "huyen") + r")" + _PLACE + r")?"
    r"))"
)
_OF = r"(?:\s+(?i:cua)\s+" + _ISSUER + r")?"
_YEAR = r"(?:\s+(?i:nam)\s+(?P<ny>(?:19|20)\d{2})(?![\d/]))?"  # "số 11/KH-UBND năm 2025 của …"

_TYPED = re.compile(
    r"(?<![\w/])(?P<type>(?i:" + _TW + r")|(?:QD|KH|ND|TT|BC|NQ|CT|CV|HD|TB))"
    r"(?:\s+(?i:so|so\s+hieu))?\s*:?\s*"
    r"(?P<num>" + _NUM + r")" + _YEAR + _DATE + r"?" + _OF
)
_MORE = re.compile(r"\s*(?:,|;|(?i:va|hoac))\s*(?:(?i:so)\s+)?(?P<num>" + _NUM + r")" + _YEAR + _DATE + r"?" + _OF)
_LAW = re.compile(
    r"(?<![\w])(?P<type>Bo\s+luat|Luat|Phap\s+lenh|Hien\s+phap)(?!\s+(?i:so|nay)\b)"
    r"(?P<name>\s+[A-Z][a-z]*(?:(?:\s+|\s*,\s*)(?:[a-z]+|[A-Z][a-z]*))*?)"
    r"(?=\s+(?:(?:so|ngay|nam|duoc|cua|quy\s+dinh|theo|hien\s+hanh|sua\s+doi|va\s+cac|nhu|trong|phai)\b|"
    r"(?:19|20)\d{2}(?![\d/])|"
    r"va\s+(?:Luat|Bo\s+luat|Phap\s+lenh|Nghi|Thong|Quyet|Chi\s+thi|cac\b))|\s*[;.:()\"“”]|\s*\n(?!\s*[a-z])|\s*,\s*(?!khen|chong|chua|bo\s+sung|su\s+dung|vat\s+lieu|cuu|cong\s+cu|phi\b|le\s+phi|hang\s+hoa)(?:[a-z]|Luat|Bo\s+luat|Nghi|Thong|"
    r"Quyet|Chi|Phap)|\s*$)"
    r"(?:\s+(?:(?i:nam)\s+)?(?P<ny>(?:19|20)\d{2})(?![\d/]))?"  # "Luật Thi đua, khen thưởng năm 2022", "Bộ luật Lao động 2012"
    r"(?:\s+(?i:so)\s+(?P<num>" + _NUM + r"))?" + _DATE + r"?"
)
_BARE_AFTER = re.compile(_YEAR + _DATE + "?" + _OF)  # "theo 11/KH-UBND ngày 24/01/2025 (năm 2025) của UBND …"
_AMEND = re.compile(
    r"(?<![\w])(?P<type>Luat|Bo\s+luat)\s+sua\s+doi,?\s+bo\s+sung(?:\s+mot\s+so\s+dieu)?(?:\s+cua)?(?:\s+cac)?"
    r"\s+(?:Luat|Bo\s+luat)\s+[A-Z][a-z]*(?:(?:\s+|\s*,\s*)(?:[a-z]+|[A-Z][a-z]*))*?"
    r"(?:\s+va\s+(?:Luat|Bo\s+luat)\s+[A-Z][a-z]*(?:(?:\s+|\s*,\s*)(?:[a-z]+|[A-Z][a-z]*))*?)*"  # "… của Luật A và Luật B"
    r"(?=\s+(?:(?:so|ngay|nam|duoc|da|cua|va\s+cac)\b|va\s+[A-Z])|\s*[;.:()\n]|\s*$)"
    r"(?:\s+(?i:so)\s+(?P<num>" + _NUM + r"))?" + _DATE + r"?"
)
_STOP_ACCENTED = re.compile(r"\s+(?:từ|khi|là|để|có|đến|thì|về|đã|tại|thuộc|nếu|được|với|cho|nêu|mà|hoặc)\b")
_STOP_PLAIN = re.compile(r"\s+(?:duoc|voi|cho|neu|thi)\b")  # the rest are name words too once folded
_HEADER_NUMBER = re.compile(r"(?im)^\W{0,3}(?:so|luat\s+so)\s*:?\s*$")
_HEADER_LINE = re.compile(r"(?i)\W{0,3}so\s*:")  # a line opening "Số:" (the document's own number)
_NUMBER_NEXT = re.compile(r"\s*(?i:so)?\s*:?\s*\d")  # "QĐ số 15…": an abbreviation that cites


def _folded(text: str) -> str:
    """Accents removed, đ→d, case kept, same length as `text` (NFC)."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def _iso(m: re.Match) -> str | None:
    d = m.group("d")
    if not d:
        return None
    mth = m.group("m") or m.group("m2")
    y = m.group("y") or m.group("y2")
    try:
        return date(int(y), int(mth), int(d)).isoformat()
    except ValueError:
        return None


def _clean(s: str | None) -> str | None:
    return re.sub(r"\s+", " ", s).strip() if s else None


def _type_for(word: str, number: str | None) -> str | None:
    f = fold(word).replace("  ", " ")
    f = re.sub(r"\s+", " ", f)
    if f in _TYPE_WORDS:
        t = _TYPE_WORDS[f]
        if t == "Văn bản" and number:  # "Văn bản số 12/UBND-VP": a công văn
            p = number_parts(number)
            return TYPE_CODES[p.type_code] if p and p.type_code else "Công văn"
        return t
    return _ABBR.get(f)


def _make(text: str, start: int, m: re.Match, type_: str | None, num_group: str = "num") -> Citation:
    end = m.end()
    while end > start and text[end - 1] in " \t\n,;.":
        end -= 1
    number = canonical_number(text[m.start(num_group): m.end(num_group)]) if m.group(num_group) else None
    issuer = _clean(text[m.start("issuer"): m.end("issuer")]) if m.group("issuer") else None
    return Citation(start=start, end=end, surface=text[start:end], number=number, type=type_, date=_iso(m),
                    issuer=issuer, year=_year(m))


def _year(m: re.Match) -> int | None:
    """The year cited without a date ("năm 2025"), when the pattern has one."""
    return int(m.group("ny")) if "ny" in m.re.groupindex and m.group("ny") else None


def _span_of(text: str, start: int, name: str) -> int:
    """Length in `text` from `start` covering the words of `name` (whitespace may differ)."""
    words = name.split()
    pos = start
    for w in words:
        pos = text.index(w, pos) + len(w)
    return pos - start


def find_citations(text: str) -> list[Citation]:
    """Every citation in `text`, in order; offsets index `text` itself."""
    f = _folded(text)
    found: list[Citation] = []
    # characters already inside a citation: each test is one lookup, not a scan of every earlier span
    taken = bytearray(len(f))
    for m in _TYPED.finditer(f):
        word = m.group("type")
        if word.isupper() and len(word) == 2 and not _NUMBER_NEXT.match(f, m.end("type")):
            continue
        if word == "luat" and f[max(0, m.start() - 5): m.start()].lower() == "phap ":
            continue  # "… quy phạm pháp luật số 64/2025/QH15": the end of a law's name, read by _LAW
        number = canonical_number(text[m.start("num"): m.end("num")])
        type_ = _type_for(word, number)
        if type_ == "Luật" and number and not re.search(r"/\d{4}/QH|/QH\d*$|-?QH", number.upper()):
            pass
        first = _make(text, m.start(), m, type_)
        group = [first]
        pos = m.end()
        while True:
            more = _MORE.match(f, pos)
            if not more:
                break
            group.append(_make(text, more.start("num"), more, type_))
            pos = more.end()
        # a list shares the date/issuer given once at its end ("các KH số 12/KH-UBND và 34/KH-UBND của UBND tỉnh")
        found.extend(group)
        taken[m.start(): pos] = b"\x01" * (pos - m.start())
    for m in [*_AMEND.finditer(f), *_LAW.finditer(f)]:
        if taken[m.start()] or taken[m.end() - 1]:
            continue
        type_ = _TYPE_WORDS[re.sub(r"\s+", " ", fold(m.group("type")))]
        end = m.end()
        name_end = m.end("name") if "name" in m.re.groupindex else (m.start("num") - 4 if m.group("num") else
                                                                      (m.start("d") if m.group("d") else m.end()))
        name = _clean(re.split(r"\s+(?:số|so|ngày|ngay)\s*$", text[m.start(): name_end].rstrip(" ,"))[0])
        name = re.sub(r"\s+(?:ngày|ngay)$", "", name)
        # words that end a name but fold onto name words (về/vệ, từ/tư, khi/khí, là/lá…): cut on the real text
        stop = (_STOP_ACCENTED if not name.isascii() else _STOP_PLAIN).search(name)
        if stop:
            name = name[: stop.start()]
            end = m.start() + _span_of(text, m.start(), name)
            found.append(Citation(start=m.start(), end=end, surface=text[m.start():end], number=None, type=type_,
                                  name=name))
            taken[m.start(): end] = b"\x01" * (end - m.start())
            continue
        tail = re.search(r"(?:\s+(?:và|va|hoặc|hoac)|\s*,)$", name)
        if tail and not m.group("num") and not m.group("d") and not _year(m):  # "Luật Quản lý ngoại thương và quy định khác"
            name = name[: tail.start()]
            end = m.start() + _span_of(text, m.start(), name)
        number = canonical_number(text[m.start("num"): m.end("num")]) if m.group("num") else None
        while end > m.start() and text[end - 1] in " \t\n,;.":
            end -= 1
        found.append(Citation(start=m.start(), end=end, surface=text[m.start():end], number=number, type=type_,
                              date=_iso(m), name=name, year=_year(m)))
        taken[m.start(): end] = b"\x01" * (end - m.start())
    # bare numbers whose code names a type ("… theo 15/QĐ-UBND"), outside the header's "Số:" line
    newlines = [-1, *(nl.start() for nl in re.finditer("\n", f))]
    for m in NUMBER_RE.finditer(f):
        if taken[m.start()]:
            continue
        p = number_parts(text[m.start(): m.end()])
        if p is None or p.type_code is None:
            continue
        line_start = newlines[bisect_right(newlines, m.start()) - 1] + 1
        if _HEADER_NUMBER.match(f, line_start, m.start()) or _HEADER_LINE.match(f, line_start, m.start()):
            continue
        number = canonical_number(text[m.start(): m.end()])
        after = _BARE_AFTER.match(f, m.end())  # its year, date and issuer, when they follow
        if after and (after.end() == m.end() or (after.group("d") and "," in f[m.end(): after.start("d")])):
            after = None  # nothing follows; or "11/KH-UBND, ngày 02/01/2024 đơn vị đã …": the date of something else
        end = m.end()
        if after:
            end = after.end()
            while end > m.end() and text[end - 1] in " \t\n,;.":
                end -= 1
        issuer = _clean(text[after.start("issuer"): after.end("issuer")]) if after and after.group("issuer") else None
        found.append(Citation(start=m.start(), end=end, surface=text[m.start(): end], number=number,
                              type=TYPE_CODES[p.type_code], date=_iso(after) if after else None, issuer=issuer,
                              year=_year(after) if after else None))
    return sorted(found, key=lambda c: c.start)


def name_key(name: str) -> str:
    """A law's name as a key: folded syllables by their spelling key ("Quản lí" is "Quản lý")."""
    return "name:" + " ".join(re.findall(r"[^\W_]+", folded_key(name)))


def citation_key(c: Citation) -> str | None:
    """The key a citation resolves by: the loose number key, or the law's name."""
    if c.number:
        return loose_key(c.number)
    if c.name:
        return name_key(c.name)
    return None


# Ways an issuer is written that name the same body: roles ("Chủ tịch UBND tỉnh", "Ban Thường vụ
# Tỉnh ủy") are dropped, the usual abbreviations spelled out.
_ROLES = re.compile(r"^(?:(?:pho\s+)?(?:chu\s+tich|giam\s+doc|truong\s+ban)\s+|(?:bo|thu|cuc)\s+truong\s+|thu\s+tuong\s+"
                    r"|(?:ban\s+)?(?:thuong\s+vu|thuong\s+truc|chap\s+hanh)\s+)+")
_SPELLED = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "tp": "thanh pho", "tx": "thi xa", "ub": "uy ban"}


def _issuer_words(issuer: str) -> tuple[str, str | None]:
    """(' uy ban nhan dan tinh binh lam ', initials when the name holds an acronym like "GD&ĐT")."""
    shouting = issuer.isupper()
    words, initials, acronym = [], [], False
    for token in re.findall(r"[^\W_]+", issuer):
        folded = fold(token)
        if folded in _SPELLED:
            words += _SPELLED[folded].split()
        elif len(token) > 1 and token.isupper() and not shouting:
            acronym = True
            initials += list(folded)
            words.append(folded)
            continue
        else:
            words.append(folded)
        initials += [w[0] for w in (_SPELLED.get(folded) or folded).split() if w != "va"]
    plain = _ROLES.sub("", " ".join(words))
    return f" {plain} ", (f" {' '.join(initials)} " if acronym else None)


def same_issuer(a: str, b: str) -> bool:
    """Whether two written issuers can name the same body: one name inside the other
    ("UBND tỉnh" in "Ủy ban nhân dân tỉnh Bình Lam"), or the same initials when one is an
    acronym ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo")."""
    (wa, ia), (wb, ib) = _issuer_words(a), _issuer_words(b)
    if not wa.strip() or not wb.strip() or wa in wb or wb in wa:
        return True
    if ia or ib:
        ia = ia or " " + " ".join(w[0] for w in wa.split() if w != "va") + " "
        ib = ib or " " + " ".join(w[0] for w in wb.split() if w != "va") + " "
        return ia in ib or ib in ia
    return False


def issuer_within(part: str, issuer: str) -> bool:
    """`part` is a run of whole words of `issuer`, compared as `same_issuer` compares names
    (folded, UBND/HĐND spelled out, roles dropped): "Sở" is in "Sở Nội vụ", not in "UBND thị xã
    Lam Sơn"; "Ủy ban nhân dân" is in "UBND tỉnh Bình Lam". Or initials: "Sở GD&ĐT" of "Sở Giáo
    dục và Đào tạo", and "SYT" or "syt" (one token of two letters or more that cannot be a
    syllable) of "Sở Y tế", "cp" of "Chính phủ"."""
    words, initials = _issuer_words(part)
    if not words.strip():
        return False
    full, full_initials = _issuer_words(issuer)
    if words in full:
        return True
    tokens = re.findall(r"[^\W_]+", part)
    if initials is None and len(tokens) == 1 and len(tokens[0]) >= 2 and not syllable_shaped(tokens[0]):
        initials = f" {' '.join(fold(tokens[0]))} "
    if initials is None:
        return False
    return initials in (full_initials or " " + " ".join(w[0] for w in full.split() if w != "va") + " ")


@dataclass
class Resolution:
    """What the archive says about one citation.

    status: "resolved" (target set), "ambiguous" (several documents fit and nothing in the
    citation or the citing document chooses: `candidates`), "mismatch" (the archive holds that
    number, but the cited date or issuer contradicts every such document: `candidates`), or
    "missing" (the archive holds nothing under that number or name).
    """

    status: str
    target: dict | None = None
    candidates: list[dict] = field(default_factory=list)


def resolution(c: Citation, candidates: list[dict], *, before: str | None = None,
               home: str | None = None) -> Resolution:
    """The archived document a citation points at, or why there is none (see `Resolution`).

    Exact number first, then the loose key; when several years share number and code,
    the cited date (or year) decides, then the issuer (or, when none is named, the citing
    document's own issuer `home`); with neither, the latest document dated before the citing one
    (`before`). A named date, year or issuer that contradicts the archived documents never links
    one of them, nor does a law named alone link a law passed after the citing document.
    """
    if not candidates:
        return Resolution("missing")
    pool = [d for d in candidates if c.number and d.get("number") == c.number] or list(candidates)
    if c.date:
        same_day = [d for d in pool if d.get("date") == c.date]
        if same_day:
            pool = same_day
        elif len(pool) > 1 or (pool[0].get("date") and (not c.number or not number_parts(c.number).year)):
            # that number, but of another date: another document; a law named with another date is
            # another law of that name (Luật Thi đua, khen thưởng of 2003, not of 2022)
            return Resolution("mismatch", candidates=pool)
    elif c.year:  # "… năm 2022": the documents of that year (or of no known date)
        of_year = [d for d in pool if (d.get("date") or "")[:4] == str(c.year)]
        undated = [d for d in pool if not d.get("date")]
        if not of_year and not undated:
            return Resolution("mismatch", candidates=pool)
        pool = of_year or undated
    elif before and not c.number:  # a law named alone, in a document of 2024: not the law of 2025 of that name
        earlier = [d for d in pool if not d.get("date") or d["date"] <= before]
        if not earlier:
            return Resolution("mismatch", candidates=pool)
        pool = earlier
    if c.issuer:
        named = [d for d in pool if d.get("issuer") and same_issuer(c.issuer, d["issuer"])]
        unknown = [d for d in pool if not d.get("issuer")]
        if not named and not unknown:
            return Resolution("mismatch", candidates=pool)  # "… của UBND huyện A" is not UBND tỉnh B's plan
        pool = named or unknown
    elif len(pool) > 1 and home:  # "Báo cáo 14/BC-UBND" in a district's report: its own UBND's
        mine = [d for d in pool if d.get("issuer") and fold(d["issuer"]) == fold(home)]
        if mine:
            pool = mine
    if len(pool) == 1:
        return Resolution("resolved", pool[0])
    primary = primary_copy(pool)  # one document archived twice (a .doc and its .docx): not ambiguous
    if primary is not None:
        return Resolution("resolved", primary)
    if before:
        earlier = sorted((d for d in pool if d.get("date") and d["date"] <= before), key=lambda d: d["date"])
        if earlier:
            return Resolution("resolved", earlier[-1])
    return Resolution("ambiguous", candidates=pool)


def resolve(c: Citation, candidates: list[dict], *, before: str | None = None,
            home: str | None = None) -> dict | None:
    """The archived document a citation points at, or None when absent, ambiguous or contradicted."""
    return resolution(c, candidates, before=before, home=home).target
