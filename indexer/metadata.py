"""Header metadata of an administrative document, read by position and form (Nghị định
30/2020/NĐ-CP, Phụ lục I): issuing body (and its parent), số/ký hiệu, place and date, type
line and trích yếu, signer. A field that cannot be read with confidence stays None.
"""

from __future__ import annotations

import re
from datetime import date

from indexer.models import Metadata
from indexer.normalize import fold
from indexer.numbers import NUMBER_RE, canonical_number, type_of_number

TYPES = ["Kế hoạch", "Quyết định", "Báo cáo", "Công văn", "Nghị định", "Thông tư liên tịch", "Thông tư", "Luật",
         "Bộ luật", "Nghị quyết", "Chỉ thị", "Thông báo", "Hướng dẫn", "Tờ trình", "Chương trình", "Quy chế",
         "Quy định", "Công điện", "Kết luận", "Đề án", "Phương án", "Pháp lệnh", "Lệnh", "Quy chuẩn", "Tiêu chuẩn",
         "Biên bản", "Hiến pháp"]
_TYPE_BY_FOLD = {fold(t): t for t in TYPES}
_NOT_TYPES = ("nghi dinh thu", "phu luc", "mau so", "bieu mau")  # a protocol, annexes, forms
# Words an issuing body's name starts with (folded); other header lines continue the previous one.
_BODY_WORDS = re.compile(
    r"^(bo|so|uy ban|ubnd|hoi dong|hdnd|chinh phu|quoc hoi|thu tuong|cuc|tong cuc|ban|van phong|thanh tra|"
    r"chi cuc|trung tam|phong|vien|toa an|tinh uy|huyen uy|thanh uy|dang uy|dang bo|truong|benh vien|kho bac|"
    r"ngan hang|cong an|bo chi huy|doan|hoi|mat tran|lien doan|hoc vien|dai hoc|tap doan|cong ty|tong cong ty|"
    r"chu tich|kiem toan|dai|bao|lien minh|uy ban kiem tra)\b")
_STANDARD_LINE = re.compile(r"(?i)^((tcvn|qcvn)\s*[\d:]|so[áa]t\s+x[ée]t)")
HEADER_LINES = 40

_MOTTO = re.compile(r"(?i)(c[ộo]ng\s*h[òo]a\s*x[ãa]\s*h[ộo]i\s*ch[ủu]\s*ngh[ĩi]a\s*vi[ệe]t\s*nam|"
                    r"[đd][ộo]c\s*l[ậa]p\s*-?\s*t[ựu]\s*do\s*-?\s*h[ạa]nh\s*ph[úu]c|[đd][ảa]ng\s*c[ộo]ng\s*s[ảa]n\s*vi[ệe]t\s*nam)")
_SO = re.compile(r"(?i)^\W{0,3}(?:s[ốoóòỏõọồổỗộơờớởỡợeè]|(?:bộ\s+)?luật\s+số|(?:bo\s+)?luat\s+so|số\s+hiệu)\s*[:.;]?\s*(?=\d|/|$|[IlO|]{1,3}\s?/)")
_DATE_LONG = re.compile(r"(?i)ng[àa]y\s*(\d{1,2})\s*th[áa]ng\s*(\d{1,2})\s*n[ăa]m\s*(\d{4})")
_DATE_SHORT = re.compile(r"(?i)ng[àa]y\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_PLACE_DATE = re.compile(r"(?i)^(.{2,40}?),\s*ng[àa]y(?:\b|(?=\d))")  # "Hà Nội, ngày03 tháng 12…" too
_PART = re.compile(r"(?i)^(chương|chuong|điều|dieu)\s+[\divxlc]+\b")
_SO_COLON = re.compile(r"(?i)^\W{0,3}s[ốo]\s*:\s*")  # "Số: Éđã /HC-CNHC" (an OCR'd number we cannot read)
_VV = re.compile(r"(?i)^(?:[vw]\s*[/⁄]\s*v|về việc)\b")
_OCR_DIGITS = str.maketrans("IlO|", "1101")
_SEPARATOR = re.compile(r"^[\s\-_=*~.&]+$")
_BODY_START = re.compile(r"(?i)^(?:[-–+•]\s*)?(căn cứ|can cu|thực hiện|thuc hien|trên cơ sở|kính gửi|kinh gui|theo đề nghị|xét |xet |"
                         r"điều \d|i\.\s|1\.\s|phần thứ|chương [ivx\d]|mục \d|hôm nay|lời nói đầu|loi noi dau)")
_POSITION = re.compile(r"^(KT\.|TM\.|Q\.|TL\.|TUQ\.|K/T|T/M|CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|BỘ TRƯỞNG|"
                       r"THỨ TRƯỞNG|THỦ TƯỚNG|PHÓ THỦ TƯỚNG|TRƯỞNG BAN|PHÓ TRƯỞNG BAN|CỤC TRƯỞNG|PHÓ CỤC TRƯỞNG|"
                       r"CHÁNH VĂN PHÒNG|BÍ THƯ|PHÓ BÍ THƯ|TỔNG CỤC TRƯỞNG|CHỦ NHIỆM|VIỆN TRƯỞNG|TRƯỞNG PHÒNG|"
                       r"CHÁNH THANH TRA|TỔNG THANH TRA|TỔNG GIÁM ĐỐC|CHỦ TỊCH QUỐC HỘI|THAY MẶT|TM)")
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+(?:\s+|$)){2,5}$")
_UNITS = ("TỈNH", "HUYỆN", "THÀNH PHỐ", "THỊ XÃ", "XÃ", "PHƯỜNG", "QUẬN", "THỊ TRẤN")
_BODIES = {"ỦY BAN NHÂN DÂN": "UBND", "UỶ BAN NHÂN DÂN": "UBND", "UBND": "UBND", "HỘI ĐỒNG NHÂN DÂN": "HĐND",
           "HĐND": "HĐND"}
_SPECIAL = {"chinh phu": "Chính phủ", "quoc hoi": "Quốc hội", "thu tuong chinh phu": "Thủ tướng Chính phủ",
            "van phong chinh phu": "Văn phòng Chính phủ", "uy ban thuong vu quoc hoi": "Ủy ban Thường vụ Quốc hội",
            "bo chinh tri": "Bộ Chính trị", "ban chap hanh trung uong": "Ban Chấp hành Trung ương",
            "bo cong thuong": "Bộ Công Thương", "ngan hang nha nuoc viet nam": "Ngân hàng Nhà nước Việt Nam",
            "ngan hang nha nuoc": "Ngân hàng Nhà nước", "bo cong an": "Bộ Công an", "bo quoc phong": "Bộ Quốc phòng"}


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def pretty_issuer(line: str) -> str:
    """'SỞ NỘI VỤ' → 'Sở Nội vụ'; 'UBND TỈNH LÀO CAI' → 'UBND tỉnh Lào Cai'; mixed case kept."""
    line = re.sub(r"\s+", " ", line.strip(" -_:"))
    if not line.isupper():
        return line
    if " - " in line:  # a joint document: "BỘ CÔNG AN - BỘ QUỐC PHÒNG - …"; or one name: "BAN THI ĐUA - KHEN THƯỞNG"
        parts = line.split(" - ")
        return " - ".join(pretty_issuer(p) if i == 0 or _is_body(p) else _cap(p) for i, p in enumerate(parts))
    f = fold(line)
    if f in _SPECIAL:
        return _SPECIAL[f]
    for body, short in _BODIES.items():
        if line.startswith(body + " ") or line == body:
            rest = line[len(body):].strip()
            return f"{short} {_place(rest)}".strip()
    for unit in ("TỈNH ỦY", "HUYỆN ỦY", "THÀNH ỦY", "ĐẢNG ỦY"):
        if line.startswith(unit):
            return f"{_cap(unit.split()[0])} ủy {_title_words(line[len(unit):])}".strip()
    words = line.split(" ")
    out = [_cap(words[0])]
    lead = _LEAD
    i = 1
    if words[0] in lead and len(words) > 1 and words[0] in ("TỔNG", "VĂN", "THANH", "TRUNG", "CHI", "BỆNH") :
        out.append(words[1].lower())  # Tổng cục, Văn phòng, Thanh tra, Trung tâm, Chi cục, Bệnh viện
        i = 2
    cap_next = True
    while i < len(words):
        w = words[i]
        if w in ("TỈNH", "HUYỆN", "XÃ", "QUẬN", "PHƯỜNG") and i + 1 < len(words):
            out.append(w.lower())
            out.append(_title_words(" ".join(words[i + 1:])))
            break
        if w in ("VÀ", "-", "&"):
            out.append(w.lower() if w == "VÀ" else w)
            cap_next = True
        else:
            out.append(_cap(w) if cap_next else w.lower())
            cap_next = False
        i += 1
    return " ".join(out)


_LEAD = {"BỘ", "SỞ", "CỤC", "TỔNG", "VỤ", "BAN", "VĂN", "THANH", "VIỆN", "TRUNG", "PHÒNG", "CHI", "KHO", "ĐÀI",
         "BÁO", "TRƯỜNG", "BỆNH"}


# An issuing body's name in a header not written in capitals (a legacy font has no accented capitals:
# "Bộ Tài chính", "Ủy ban nhân dân tỉnh Lam Giang"): unambiguous starts, or a body word before a
# capitalised name ("Sở Nội vụ", not "Ban hành kèm theo"); a unit on the next line ("tỉnh Lam Giang").
_MIXED_BODY = re.compile(r"^(uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|chinh phu|quoc hoi|thu tuong chinh phu|"
                         r"tinh uy|huyen uy|thanh uy|dang uy)\b")
_MIXED_UNIT = re.compile(r"^(tinh|huyen|thanh pho|thi xa|xa|phuong|quan|thi tran)\s+\S")


def _mixed_case_body(line: str, continues: bool) -> bool:
    if len(line) > 80 or re.search(r"\d|[.;:!?]$", line):
        return False
    f = fold(line).lower()
    words = line.split()
    if _MIXED_BODY.match(f) or continues and _MIXED_UNIT.match(f):
        return True
    return bool(_BODY_WORDS.match(f)) and len(words) >= 2 and words[1][:1].isupper() and len(words) <= 8


def _is_body(part: str) -> bool:
    """An upper-case part that names a body of its own ("BỘ QUỐC PHÒNG", "UBND TỈNH X"), not the
    second half of one name ("KHEN THƯỞNG" in "BAN THI ĐUA - KHEN THƯỞNG")."""
    p = part.strip()
    return (p.split(" ")[0] in _LEAD or fold(p) in _SPECIAL or any(p.startswith(b) for b in _BODIES)
            or p.startswith(("TỈNH ỦY", "HUYỆN ỦY", "THÀNH ỦY", "ĐẢNG ỦY")))


def _title_words(s: str) -> str:
    return " ".join(_cap(w) for w in s.split())


def _place(rest: str) -> str:
    for unit in _UNITS:
        if rest.startswith(unit + " "):
            return f"{unit.lower()} {_title_words(rest[len(unit):])}"
    return _title_words(rest) if rest.isupper() else rest


_MOTTO_FOLDED = re.compile(r"cong\s*hoa\s*xa\s*hoi|doc\s*lap\s*-?\s*tu\s*do|dang\s*cong\s*san\s*viet\s*nam")


def _motto_at(line: str) -> int | None:
    f = fold(line)
    m = _MOTTO_FOLDED.search(f) if len(f) == len(line) else _MOTTO.search(line)
    return m.start() if m else None


def _strip_motto(line: str) -> str:
    i = _motto_at(line)
    return line[:i].strip() if i is not None else line


# Laws, codes, the Constitution, ordinances: the header prints the type word, then the name in
# capitals ("BỘ LUẬT" ⏎ "HÌNH SỰ"); the title is the name as it is cited, "Bộ luật Hình sự".
LAW_TYPES = ("Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh")
# Old headers put the number, date and issuer into the name line (folded forms):
# "CỦA QUỐC HỘI SỐ 21-LCT/HĐNN8 NGÀY 30/06/1989 VỀ BẢO VỆ SỨC KHỎE NHÂN DÂN".
_LAW_NOISE = re.compile(r"\bso \S*\d\S*|\bngay \d{1,2}(?:[/.-]\d{1,2}[/.-]\d{4}| thang \d{1,2} nam \d{4})")
_LAW_BY = re.compile(r"(?:^|\s(?=cua quoc hoi(?: nuoc cong hoa xa hoi chu nghia viet nam)?(?:$|\sve\s)))"
                     r"cua quoc hoi(?: nuoc cong hoa xa hoi chu nghia viet nam)?\b")  # not "giám sát của Quốc hội và …"
# Names kept capitalised inside a law's name ("Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân").
_PROPER = ("Việt Nam", "Quốc hội", "Chính phủ", "Hội đồng nhân dân", "Ủy ban nhân dân", "Tòa án nhân dân",
           "Viện kiểm sát nhân dân", "Mặt trận Tổ quốc", "Ngân hàng Nhà nước", "Quân đội nhân dân",
           "Cộng hòa xã hội chủ nghĩa")
_CITED_LAW = re.compile(r"\bcua (?:luat|bo luat|phap lenh) \w")  # "… của Luật Địa chất và khoáng sản"
_LOWER_START = ("sua doi", "nuoc ")  # "Luật sửa đổi, bổ sung …", "Hiến pháp nước Cộng hòa …" describe, not name


def _drop(s: str, rx: re.Pattern) -> str:
    """`s` without the spans `rx` finds in its folded form."""
    s = " ".join(s.split())
    f = fold(s)
    if len(f) != len(s):
        return s
    keep, at = [], 0
    for m in rx.finditer(f):
        keep.append(s[at:m.start()])
        at = m.end()
    return " ".join("".join(keep + [s[at:]]).split())


def _sentence_case(name: str) -> str:
    """'HÔN NHÂN VÀ GIA ĐÌNH' → 'Hôn nhân và gia đình', keeping proper names, numbers and acronyms."""
    low = name.lower()
    f = fold(low)
    if len(low) != len(name) or len(f) != len(low):
        return name
    chars = list(low)
    for proper in _PROPER:
        for m in re.finditer(rf"(?<!\w){re.escape(fold(proper))}(?!\w)", f):
            for k, c in enumerate(proper):
                if c.isupper():
                    chars[m.start() + k] = chars[m.start() + k].upper()
    for m in _CITED_LAW.finditer(f):
        chars[m.start() + 4] = chars[m.start() + 4].upper()
        chars[m.end() - 1] = chars[m.end() - 1].upper()
    first = next((i for i, c in enumerate(chars) if c.isalpha()), None)
    if first is not None and not f[first:].startswith(_LOWER_START):
        chars[first] = chars[first].upper()
    out = "".join(chars)
    return re.sub(r"\S+", lambda m: name[m.start():m.end()] if re.search(r"[\d/]", m.group()) else m.group(), out)


def law_title(type_: str, name: str) -> str | None:
    """A law's title as it is cited: 'Luật' + 'ĐẤT ĐAI' → 'Luật Đất đai' (None: no name)."""
    name = _drop(_drop(name, _LAW_NOISE), _LAW_BY).strip(" ,.;:-")
    if fold(name).startswith("ve "):  # "… VỀ AN NINH QUỐC GIA", "… VỀ LUẬT BIÊN GIỚI QUỐC GIA"
        name = name[3:].strip()
        if fold(name).startswith(fold(type_) + " "):
            name = name[len(type_) + 1:]
    if not name:
        return None
    return f"{type_} {_sentence_case(name) if name.isupper() else name}"


def parse_date(text: str) -> str | None:
    for rx in (_DATE_LONG, _DATE_SHORT):
        m = rx.search(text)
        if m:
            d, mth, y = (int(g) for g in m.groups())
            try:
                return date(y, mth, d).isoformat()
            except ValueError:
                continue
    return None


def _find_type(line: str) -> str | None:
    s = line.strip().rstrip(":")
    if not s or len(s) > 90:
        return None
    f = fold(s)
    if f in _TYPE_BY_FOLD:
        return _TYPE_BY_FOLD[f]
    if f.startswith(_NOT_TYPES):
        return None
    head = f.split(" của ")[0].split(" cua ")[0]
    for tf, t in _TYPE_BY_FOLD.items():
        if head == tf or (f.startswith(tf + " ") and s.isupper() and len(f.split()) - len(tf.split()) <= 2
                          and not NUMBER_RE.search(s)):  # "HƯỚNG DẪN LIÊN NGÀNH", "KẾ HOẠCH LIÊN TỊCH"
            return t
    return None


def parse_metadata(text: str, *, source: str | None = None) -> Metadata:
    """Metadata from the first lines (header) and the signature block; None where unsure."""
    m = Metadata()
    raw_lines = text.split("\n")
    lines = [ln.strip() for ln in raw_lines[: HEADER_LINES * 3]]
    lines = [ln for ln in lines if ln][:HEADER_LINES]
    type_idx = None
    for i, ln in enumerate(lines[:30]):
        if _BODY_START.match(ln) or _PART.match(ln) or (i == 0 and fold(ln).startswith(_NOT_TYPES)):
            break  # past the header (or no header at all): a heading below is not the type
        t = _find_type(_strip_motto(ln))
        if t:
            m.type, type_idx = t, i
            break
    zone = lines[: type_idx if type_idx is not None else 15]
    number_idx = None
    blank_code = None
    for i, ln in enumerate(zone):
        cut = _strip_motto(ln)
        sm = _SO.match(cut) or _SO.match(ln) or _SO_COLON.match(cut)
        if sm:
            rest = ln[sm.end():]
            if re.search(r"[-/]\s*$", rest) and i + 1 < len(zone):  # "24/HDLN-BCA-BQP-" ⏎ "BYT-BCT…"
                rest = rest.rstrip() + zone[i + 1].split(" ")[0]
            rest = re.sub(r"^\s*([IlO|]{1,3})(?=\s?/)", lambda g: g.group(1).translate(_OCR_DIGITS), rest)
            num = canonical_number(rest[:80])
            if num:
                m.number = num
            else:
                bc = re.match(r"\s*/\s*([A-ZĐ][\wĐ&]*(?:-[\wĐ&]+)*)", rest)
                blank_code = bc.group(1) if bc else None
            number_idx = i
            break
    # place and date: the "<place>, ngày … tháng … năm …" line of the header (a blank day → None)
    for ln in zone[:20] if zone else lines[:15]:
        body = ln[_SO.match(ln).end():] if _SO.match(ln) else ln
        body = _strip_motto(body) or body
        pm = _PLACE_DATE.search(re.sub(r"^(?:\S*[/\d]\S*\s+)+", "", re.sub(r"(?i)^s[ốo]\s*:?\s*", "", body))) or re.match(r"(?i)^\s*ng[àa]y\b", body)
        if not pm:
            continue
        m.date = parse_date(ln)
        if isinstance(pm, re.Match) and pm.re is _PLACE_DATE and _motto_at(pm.group(1)) is None:
            m.place = pm.group(1).strip()
        break
    # issuer: left header lines before the number line
    head = []
    for ln in zone[: number_idx if number_idx is not None else 6]:
        cut = _strip_motto(ln)
        if not cut or _SEPARATOR.match(cut) or _MOTTO.search(ln) and not cut:
            continue
        cut = re.sub(r"[-_=–—]{3,}.*$", "", cut).strip()
        if number_idx is not None and not cut.isupper() and _mixed_case_body(cut, continues=bool(head)):
            cut = cut.upper()  # "Ủy ban nhân dân tỉnh Lam Giang", "Bộ Tài chính": as a header in capitals
        joins = cut.endswith((" VÀ", "-", "&", ","))  # the name goes on on the next line
        cut = cut.strip(" _-–—.:|")  # "|": a table border of a converted file
        if not cut or parse_date(cut) or len(cut) > 80 or not cut.isupper():
            if number_idx is None:
                break
            continue
        head.append((cut, joins))
    bodies: list[str] = []
    open_end = False
    for ln, joins in head:
        starts_body = bool(_BODY_WORDS.match(fold(ln).lower()))
        if bodies and (bodies[-1] in _BODIES and ln.startswith(_UNITS) or open_end
                       or (not starts_body and number_idx is not None)):
            sep = " - " if bodies[-1].endswith("-") or (open_end and starts_body and not bodies[-1].endswith((" VÀ", ","))) else " "
            bodies[-1] = f"{bodies[-1].rstrip(' -')}{sep}{ln}"
        elif starts_body:
            bodies.append(ln)
        elif number_idx is None:
            break  # no "Số:" line and not a body's name: this is no header
        open_end = joins
    if bodies:
        m.issuer = pretty_issuer(bodies[-1])
        if len(bodies) > 1:
            m.parent_issuer = pretty_issuer(bodies[-2])
    title: list[str] = []
    if type_idx is not None:
        for ln in lines[type_idx + 1: type_idx + 6]:
            motto = _MOTTO.search(ln) and not (m.type in LAW_TYPES and _motto_at(ln))  # "NƯỚC CỘNG HÒA …" names one
            if _BODY_START.match(ln) or motto or fold(ln.rstrip(":")) in _TYPE_BY_FOLD or ln.endswith(":") and title:
                break
            if title and (title[-1].isupper() and not ln.isupper() or len(ln) > 300):
                break  # an upper-case trích yếu ends where the mixed-case body starts
            if not title and _STANDARD_LINE.match(ln):
                continue
            if ln.isupper() and title and fold(ln).startswith(("bo truong", "chu tich", "thu tuong", "giam doc",
                                                                 "uy ban", "hoi dong", "chinh phu", "quoc hoi")):
                break
            if not title and (_PLACE_DATE.match(ln) and parse_date(ln) or re.fullmatch(r"[\d/.\s-]+", ln)):
                continue
            title.append(ln)
            if len(" ".join(title)) > 400:
                break
    if m.type is None and (m.number or blank_code):
        m.type = type_of_number(m.number or f"1/{blank_code}")
    if m.type is None and number_idx is not None and any(_VV.match(ln) for ln in lines[:15]):
        m.type = "Công văn"  # "V/v …" under the number: an official letter
    if m.type == "Công văn":
        vv = [ln for ln in lines[:15] if _VV.match(ln)]
        if vv:
            i = lines.index(vv[0])
            title = [vv[0]]
            for ln in lines[i + 1: i + 7]:
                if (_motto_at(ln) is not None or _PLACE_DATE.match(ln) or ln.isupper() or _BODY_START.match(ln)
                        or ln.startswith(("Kính", "Kinh gui")) or _SO.match(ln)):
                    break
                title.append(ln)
    if title:
        m.title = re.sub(r"\s+", " ", " ".join(title)).strip(" -")
        m.title = re.sub(r"^[VvWw]\s*[/⁄]\s*[vV]\b", "V/v", m.title)  # "W⁄v", "v / v" as a scan or font gives it
    if m.type in LAW_TYPES and type_idx is not None:
        head = _strip_motto(lines[type_idx]).rstrip(":").split()
        n = len(m.type.split())
        if fold(" ".join(head[:n])) == fold(m.type):  # "LUẬT" ⏎ name, or "LUẬT ĐẤT ĐAI" on one line
            m.title = law_title(m.type, " ".join(head[n:] + title)) or m.title
    if m.number is None and type_idx is not None:  # "Nghị định của Chính phủ số …", or the type alone above it
        t = type_idx
        if not _headline(lines[t], raw_lines, m, t + 1) and len(lines) > t + 1:
            _headline(f"{lines[t]} {lines[t + 1]}", raw_lines, m, t + 2)
    m.signer = find_signer(raw_lines)
    return m


_HEADLINE = re.compile(r"(?i)^(?P<head>.+?)\s+s[ốo]\s*:?\s*(?P<rest>\d.*)$")


def _headline(first: str, raw_lines: list[str], m: Metadata, taken: int) -> bool:
    """An older layout with the whole header in its first line(s) — "Nghị định của Chính phủ số
    117/2003/NĐ-CP ngày 10/10/2003", or "Thông tư" ⏎ "của Bộ Tài chính số 13/2001/TT-BTC ngày …"
    (`taken`: the header's last line, counted in non-blank lines) — and the trích yếu after the
    date and on the lines after it, up to a blank line."""
    hm = _HEADLINE.match(first)
    of = re.split(r"(?i)\s+c[ủu]a\s+", hm.group("head"), maxsplit=1) if hm else []
    # only "<Loại>" or "<Loại> của <cơ quan>" before "số": not a trích yếu that cites a number
    num = canonical_number(hm.group("rest")[:60]) if hm and fold(of[0].strip()) in _TYPE_BY_FOLD else None
    if not num:
        return False
    m.number = num
    rest = hm.group("rest")
    dm = next((d for rx in (_DATE_LONG, _DATE_SHORT) if (d := rx.search(rest[:80]))), None)
    m.date = m.date or parse_date(rest[:80])
    if len(of) == 2 and not m.issuer:
        m.issuer = of[1].strip()
    at = [i for i, ln in enumerate(raw_lines) if ln.strip()][taken - 1]
    title = [rest[dm.end():].strip()] if dm and rest[dm.end():].strip() else []  # "… năm 2001 Hướng dẫn …"
    for ln in raw_lines[at + 1:]:
        if not ln.strip() and title or _BODY_START.match(ln.strip()):
            break
        if ln.strip():
            title.append(ln.strip())
    if title:
        m.title = " ".join(title).rstrip(" .")
    return True


def find_signer(lines: list[str]) -> str | None:
    """The name under the position lines (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / (Đã ký) / name)."""
    stripped = [ln.strip() for ln in lines]
    start = 0
    for i, ln in enumerate(stripped):
        if re.match(r"(?i)^n[ơo]i\s+nh[ậa]n", ln):
            start = max(0, i - 15)
            break
    else:
        start = max(0, len(stripped) - 60)
    for i in range(start, len(stripped)):
        if not _POSITION.match(stripped[i]):
            continue
        for j in range(i + 1, min(i + 8, len(stripped))):
            cand = stripped[j]
            if not cand or cand.startswith("(") or _POSITION.match(cand) or cand.startswith("-"):
                continue
            if _NAME.match(cand):
                return cand
    return None


def duplicate_key(meta: Metadata) -> str | None:
    """Number + code + year + issuer: the identity Nghị định 30 asks to keep unique."""
    from indexer.numbers import loose_key

    if not meta.number:
        return None
    year = (meta.date or "")[:4]
    return f"{loose_key(meta.number)}|{year}|{fold(meta.issuer or '')}"


def copy_key(meta: dict) -> tuple | None:
    """Documents with the same number, date, issuer and title are copies of one document (the
    .doc and the .pdf of a decree, one file in two folders); a document without a number has none."""
    if not meta.get("number"):
        return None
    return (meta["number"], meta.get("date"), fold(meta.get("issuer") or ""),
            " ".join(fold(meta.get("title") or "").lower().split()))


def primary_copy(docs: list[dict]) -> dict | None:
    """The one document that `docs` are copies of, when they all are (the same `copy_key`): the
    copy with the smallest id, so that a citation, a number in a URL and `cited_by` all choose
    the same one. None when they are different documents."""
    keys = {copy_key(d) for d in docs}
    if not docs or len(keys) != 1 or None in keys:
        return None
    return min(docs, key=lambda d: d["id"])
