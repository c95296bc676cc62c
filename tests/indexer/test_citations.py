"""Numbers, header metadata and citations: every form the issue names, and distractors."""

import pytest

from indexer.citations import citation_key, find_citations, resolution, resolve, same_issuer
from indexer.metadata import duplicate_key, parse_metadata
from indexer.models import Citation
from indexer.numbers import canonical_number, find_numbers_in_query, loose_key, number_parts, type_of_number

# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("raw, canonical", [
    ("1460/KH-UBND", "1460/KH-UBND"),
    ("Số:1460/KH- UBND", "1460/KH-UBND"),
    ("So 1460 / KH-UBND", "1460/KH-UBND"),
    ("96/2023/NĐ-CP", "96/2023/NĐ-CP"),
    ("7432/UBND-XD", "7432/UBND-XD"),
    ("11-CT/TU", "11-CT/TU"),
    ("66.19/2026/NQ-CP", "66.19/2026/NQ-CP"),
    ("07/CT-TTg", "07/CT-TTg"),            # Thủ tướng keeps its lower-case g
    ("24/2026//NQ-CP", "24/2026/NQ-CP"),   # a doubled slash typed by mistake
    ("181/2024/NĐCP", "181/2024/NĐ-CP"),   # a missing hyphen
    ("24/HDLN-BCA-ВСТ", "24/HDLN-BCA-BCT"),  # Cyrillic look-alikes from OCR
])
def test_canonical_number(raw, canonical):
    assert canonical_number(raw) == canonical


@pytest.mark.parametrize("a, b", [
    ("15/QĐ-UBND", "15/qd-ubnd"), ("15/QD-UBND", "15 / QĐ - UBND"), ("1460/KH-UBND", "1460-KH/UBND"),
    ("06/KH-UBND", "6/KH-UBND"), ("01/2026/TT-BCT", "1/2026/TT-BCT"),  # printed with a leading zero or not
    ("1074/QĐ-BXD", "1074/QĐ – BXD"), ("1074/QĐ-BXD", "1074/QĐ—BXD"),  # Word's dashes between codes
])
def test_loose_key_matches_slips(a, b):
    assert loose_key(a) == loose_key(b)


def test_a_number_keeps_its_zeros_as_printed_and_its_dashes_become_hyphens():
    assert canonical_number("Số: 06/KH-UBND") == "06/KH-UBND"
    assert canonical_number("1074/QĐ – BXD") == "1074/QĐ-BXD"
    assert loose_key("0/KH") == "0/kh" and loose_key("10/KH") != loose_key("1/KH")


@pytest.mark.parametrize("raw, clean", [
    ("Nghị định số 146/2025/NÐ-CP", "Nghị định số 146/2025/NĐ-CP"),  # Icelandic eth for Đ
    ("ðồng chí", "đồng chí"),
    ("1074/QĐ\u2011BXD và 1074/QĐ\u2010BXD", "1074/QĐ-BXD và 1074/QĐ-BXD"),  # Unicode hyphens
    ("a\ud800b\udc00", "a\ufffdb\ufffd"),  # half of a surrogate pair (JSON "\ud800")
])
def test_normalize_replaces_look_alikes_and_broken_characters(raw, clean):
    from indexer.normalize import normalize_text

    assert normalize_text(raw) == clean


def test_loose_key_keeps_what_identifies():
    assert loose_key("15/QĐ-UBND") != loose_key("15/KH-UBND")
    assert loose_key("15/2019/NĐ-CP") != loose_key("15/2020/NĐ-CP")


@pytest.mark.parametrize("number, type_", [
    ("1460/KH-UBND", "Kế hoạch"), ("15/QĐ-UBND", "Quyết định"), ("96/2023/NĐ-CP", "Nghị định"),
    ("11-CT/TU", "Chỉ thị"), ("69/2025/QH15", "Luật"), ("7432/UBND-XD", "Công văn"),
])
def test_type_of_number(number, type_):
    assert type_of_number(number) == type_


def test_number_parts_year_and_codes():
    p = number_parts("96/2023/NĐ-CP")
    assert (p.seq, p.year, p.type_code, p.issuer_code) == ("96", "2023", "NĐ", "CP")


@pytest.mark.parametrize("query, key", [
    ("1460/KH-UBND", "1460/kh/ubnd"),
    ("kế hoạch 1460/KH-UBND năm 2019", "1460/kh/ubnd"),
    ("qd 1074 bxd", None),  # loose form: seq + code + issuer, no key but the parts
])
def test_numbers_in_queries(query, key):
    found = find_numbers_in_query(query)
    assert found, query
    if key:
        assert found[0].key == key


def test_loose_query_forms_name_their_parts():
    q = find_numbers_in_query("qd 1074 bxd")[0]
    assert q.seq == "1074" and q.code.lower() in ("qd", "qđ") and (q.issuer_code or "").lower() == "bxd"
    q = find_numbers_in_query("nghi dinh 146/2025")[0]
    assert q.seq == "146" and q.year == "2025"


@pytest.mark.parametrize("query, parts", [
    ("qd 11 2026", ("11", "qd", None, "2026", True)),  # a year after a space: the number's or the document's
    ("nd 91 2017", ("91", "nd", None, "2017", True)),
    ("nghi dinh 146/2025", ("146", "nd", None, "2025", False)),  # after "/": the number's
    ("KH 15 thi đua", ("15", "kh", None, None, False)),  # the next word is a word, not an issuer code
    ("kh 15 2019 thi dua", ("15", "kh", None, "2019", True)),
    ("27 kh tu", ("27", "kh", None, None, False)),  # "tu" could be Tự: after a space, a word
    ("qd 1074 bxd", ("1074", "qd", "bxd", None, False)),  # no Vietnamese syllable is spelled "bxd"
    ("qd 50 ubnd", ("50", "qd", "ubnd", None, False)),
    ("cong van 7432 ubnd-xd", ("7432", None, "ubnd-xd", None, False)),
    ("69/2025", ("69", None, None, "2025", False)),  # a bare number of a year, whatever its code
    ("nq 66.19", ("66.19", "nq", None, None, False)),  # a resolution numbered 66.19
    ("luật 15/2003", ("15", "qh", None, "2003", False)),
    ("146.2025.ND.CP", ("146", "nd", "cp", "2025", False)),  # as file names write numbers
    ("146_2025_nd-cp", ("146", "nd", "cp", "2025", False)),
    ("146-2025-NĐ-CP", ("146", "nd", "cp", "2025", False)),  # as the document page's URL writes it
    ("28-2004-QH11", ("28", "qh", "qh11", "2004", False)),
    ("QĐ-1074", ("1074", "qd", None, None, False)),
    ("kh-11-ubnd", ("11", "kh", "ubnd", None, False)),
    ("kh 06", ("6", "kh", None, None, False)),  # printed with a zero
])
def test_loose_numbers_tell_years_and_issuers_from_words(query, parts):
    n = find_numbers_in_query(query)[0]
    assert (n.seq, n.code, n.issuer_code, n.year, n.year_apart) == parts


@pytest.mark.parametrize("query, key", [("28-2004-QH11", "28/2004/qh11"), ("146-2025-NĐ-CP", "146/2025/nd/cp"),
                                        ("luật 45-2019-QH14 lao động", "45/2019/qh14")])
def test_a_number_as_urls_write_it_is_the_number(query, key):
    assert [n.key for n in find_numbers_in_query(query)] == [key]


@pytest.mark.parametrize("query", ["kế hoạch 2019", "kh 2019", "2019-2020", "năm học 2018-2019", "ngày 1-2019"])
def test_a_year_or_a_range_of_years_is_not_a_number(query):
    assert find_numbers_in_query(query) == []


# --- header metadata -----------------------------------------------------------------------

HEADER = """ỦY BAN NHÂN DÂN
TỈNH HẬU GIANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: {number}
Hậu Giang, ngày 17 tháng 6 năm 2019
KẾ HOẠCH
Tổ chức phong trào thi đua đặc biệt
chào mừng kỷ niệm 15 năm thành lập tỉnh
Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003;
I. MỤC ĐÍCH, YÊU CẦU
Nơi nhận:
- Như trên;
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trương Cảnh Tuyên
"""


@pytest.mark.parametrize("number_line", ["1460/KH-UBND", "1460/KH- UBND", "1460 /KH-UBND"])
def test_metadata_of_a_plan(number_line):
    m = parse_metadata(HEADER.format(number=number_line))
    assert m.number == "1460/KH-UBND"
    assert m.type == "Kế hoạch"
    assert m.issuer == "UBND tỉnh Hậu Giang"
    assert m.date == "2019-06-17"
    assert m.title == "Tổ chức phong trào thi đua đặc biệt chào mừng kỷ niệm 15 năm thành lập tỉnh"
    assert m.signer == "Trương Cảnh Tuyên"


def test_metadata_header_in_one_line_per_row_ocr_style():
    text = ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH LÀO CAI Độc lập - Tự do - Hạnh phúc\n"
            "Số: 16 /2026/QĐ-UBND Lào Cai, ngày 25 tháng 02 năm 2026\nQUYẾT ĐỊNH\n"
            "Ban hành Quy chế quản lý cụm công nghiệp\nCăn cứ Luật Tổ chức chính quyền địa phương;\n")
    m = parse_metadata(text)
    assert (m.number, m.type, m.issuer, m.date) == ("16/2026/QĐ-UBND", "Quyết định", "UBND tỉnh Lào Cai", "2026-02-25")
    assert m.title == "Ban hành Quy chế quản lý cụm công nghiệp"


def test_metadata_of_a_letter_takes_the_vv_line():
    text = ("BỘ CÔNG THƯƠNG\nCỤC HÓA CHẤT\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 597/HC-QLHC\nV/v cấp Giấy phép xuất khẩu\nhóa chất\nHà Nội, ngày 27 tháng 3 năm 2026\nKính gửi: Sở\n")
    m = parse_metadata(text)
    assert (m.number, m.type, m.issuer, m.parent_issuer) == ("597/HC-QLHC", "Công văn", "Cục Hóa chất", "Bộ Công Thương")
    assert m.title == "V/v cấp Giấy phép xuất khẩu hóa chất"


def test_a_draft_with_blank_number_and_day_leaves_them_null():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: /BC-UBND\nLào Cai, ngày tháng năm 2026\nBÁO CÁO\nCông tác quản lý khoáng sản\nKính gửi: Bộ\n")
    m = parse_metadata(text)
    assert m.number is None and m.date is None
    assert m.type == "Báo cáo" and m.issuer == "UBND tỉnh Lào Cai"


@pytest.mark.parametrize("text", [
    "Một bản tin: UBND tỉnh Hậu Giang triển khai Kế hoạch số 1460/KH-UBND ngày 17/6/2019 về thi đua.",
    "PHỤ LỤC VIII\nDANH MỤC THỦ TỤC\n(Kèm theo Nghị quyết số 66.19/2026/NQ-CP)\n",
    "NGHỊ ĐỊNH THƯ\nGIỮA\nCHÍNH PHỦ NƯỚC A\nVÀ\nCHÍNH PHỦ NƯỚC B\nChương I\nQUY ĐỊNH CHUNG\n",
])
def test_no_header_means_nulls_not_guesses(text):
    m = parse_metadata(text)
    assert m.number is None and m.issuer is None and m.date is None


def test_duplicate_key_is_number_year_issuer():
    a = parse_metadata(HEADER.format(number="1460/KH-UBND"))
    b = parse_metadata(HEADER.format(number="1460/KH- UBND").replace("năm 2019", "năm 2020"))
    assert duplicate_key(a) != duplicate_key(b)
    assert duplicate_key(a) == duplicate_key(parse_metadata(HEADER.format(number="1460 /KH-UBND")))


# --- citations ---------------------------------------------------------------------------


def one(text):
    found = find_citations(text)
    assert len(found) == 1, [c.surface for c in found]
    return found[0]


@pytest.mark.parametrize("text, number, type_, date, issuer", [
    ("Căn cứ Nghị định số 96/2023/NĐ-CP ngày 30 tháng 12 năm 2023 của Chính phủ;", "96/2023/NĐ-CP", "Nghị định",
     "2023-12-30", "Chính phủ"),
    ("theo Quyết định 1074/QĐ-BXD về giải pháp", "1074/QĐ-BXD", "Quyết định", None, None),
    ("QĐ số 15/QĐ-UBND đã nêu", "15/QĐ-UBND", "Quyết định", None, None),
    ("Chỉ thị số 11-CT/TU ngày 04/01/2016 của Ban Thường vụ Tỉnh ủy", "11-CT/TU", "Chỉ thị", "2016-01-04",
     "Ban Thường vụ Tỉnh ủy"),
    ("Công văn số 7432/UBND-XD ngày 21/7/2026 của UBND tỉnh Lào Cai", "7432/UBND-XD", "Công văn", "2026-07-21",
     "UBND tỉnh Lào Cai"),
    ("Căn cứ Kế hoạch số 1460/KH-UBND ngày 17/6/2019 của UBND tỉnh;", "1460/KH-UBND", "Kế hoạch", "2019-06-17",
     "UBND tỉnh"),
    ("can cu Ke hoach so 1460/KH-UBND ngay 17/6/2019 cua UBND tinh", "1460/KH-UBND", "Kế hoạch", "2019-06-17",
     "UBND tinh"),
    ("thực hiện Quyết định số\n1074/QĐ-BXD ngày 29/6/2026 của Bộ\nXây dựng ban hành", "1074/QĐ-BXD", "Quyết định",
     "2026-06-29", "Bộ Xây dựng"),
    ("tại Quyết\nđịnh số 525/QĐ-UBND ngày 25/02/2026 của UBND tỉnh", "525/QĐ-UBND", "Quyết định", "2026-02-25",
     "UBND tỉnh"),
])
def test_typed_citations(text, number, type_, date, issuer):
    c = one(text)
    assert (c.number, c.type, c.date, c.issuer) == (number, type_, date, issuer)
    assert text[c.start:c.end] == c.surface


def test_a_list_gives_one_citation_per_number():
    text = "Căn cứ các Kế hoạch số 12/KH-UBND và 34/KH-UBND của UBND tỉnh; Nghị định số 1/2020/NĐ-CP, 2/2021/NĐ-CP"
    found = find_citations(text)
    assert [c.number for c in found] == ["12/KH-UBND", "34/KH-UBND", "1/2020/NĐ-CP", "2/2021/NĐ-CP"]
    assert [c.type for c in found] == ["Kế hoạch", "Kế hoạch", "Nghị định", "Nghị định"]


@pytest.mark.parametrize("text, name, date", [
    ("Căn cứ Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022;", "Luật Thi đua, Khen thưởng", "2022-06-15"),
    ("theo quy định của Luật Thi đua, khen thưởng hiện hành", "Luật Thi đua, khen thưởng", None),
    ("Luật Phòng cháy, chữa cháy\nvà cứu nạn, cứu hộ có hiệu lực", "Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ", None),
    ("căn cứ Luật Quản lý, sử dụng vũ khí, vật liệu nổ ngày 29/6/2024 và", "Luật Quản lý, sử dụng vũ khí, vật liệu nổ",
     "2024-06-29"),
    ("Luật Bảo vệ môi trường về việc xả thải", "Luật Bảo vệ môi trường", None),
    ("Luật Đầu tư số 61/2020/QH14;", "Luật Đầu tư", None),
    ("Bộ luật Hình sự năm 2015", "Bộ luật Hình sự", None),
])
def test_laws_by_name(text, name, date):
    c = find_citations(text)[0]
    assert c.name == name and c.date == date


def test_two_laws_joined_by_va_are_two_citations():
    found = find_citations("Luật Địa chất và khoáng sản và Luật Đất đai")
    assert [c.name for c in found] == ["Luật Địa chất và khoáng sản", "Luật Đất đai"]


def test_an_amending_law_is_one_citation():
    text = "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;"
    c = one(text)
    assert c.name.startswith("Luật sửa đổi") and c.name.endswith("chính quyền địa phương") and c.date == "2019-11-22"


@pytest.mark.parametrize("text", [
    "Hà Nội, ngày 17 tháng 6 năm 2019",
    "Điện thoại: 0293.3870.123; Fax: 0293 3870 124",
    "theo quy định tại Điều 5, khoản 2 Điều 12 và điểm a khoản 3",
    "tổng kinh phí 1.250.000.000 đồng (một tỷ hai trăm năm mươi triệu đồng), tỷ lệ 12/15 xã",
    "Luật này có hiệu lực từ ngày 01/01/2020; Quyết định này thay thế các văn bản trước",
    "Số: 1460/KH-UBND",  # the document's own number in its header
    "QCVN 40:2011/BTNMT",
])
def test_distractors_are_not_citations(text):
    assert find_citations(text) == []


def test_citation_keys():
    a, b = find_citations("Quyết định số 15/QĐ-UBND và QD so 15/QD-UBND")
    assert citation_key(a) == citation_key(b) == "15/qd/ubnd"
    law = find_citations("Luật Thi đua, Khen thưởng")[0]
    assert citation_key(law) == citation_key(find_citations("Luat Thi dua, khen thuong")[0])


# --- resolution ------------------------------------------------------------------------------

DOCS = [
    {"id": "a", "number": "12/KH-UBND", "date": "2018-03-01", "issuer": "UBND tỉnh Bình Lam"},
    {"id": "b", "number": "12/KH-UBND", "date": "2019-02-11", "issuer": "UBND tỉnh Bình Lam"},
    {"id": "c", "number": "12/KH-UBND", "date": "2019-02-11", "issuer": "UBND huyện Phú Lam"},
]


def cit(**kw):
    base = dict(start=0, end=1, surface="x", number="12/KH-UBND", type="Kế hoạch", date=None, issuer=None)
    return Citation(**(base | kw))


def test_resolve_by_date_then_issuer():
    assert resolve(cit(date="2018-03-01"), DOCS)["id"] == "a"
    assert resolve(cit(date="2019-02-11", issuer="UBND tỉnh"), DOCS)["id"] == "b"
    assert resolve(cit(date="2019-02-11", issuer="UBND huyện Phú Lam"), DOCS)["id"] == "c"


def test_resolve_unknown_or_ambiguous_is_none():
    assert resolve(cit(), []) is None
    assert resolve(cit(date="2020-01-01"), DOCS) is None  # that number, but another date: not ours
    assert resolve(cit(), DOCS) is None  # three candidates, nothing to choose by


def test_resolve_without_date_takes_the_latest_before_the_citing_document():
    assert resolve(cit(), DOCS[:2], before="2018-12-31")["id"] == "a"
    assert resolve(cit(), DOCS[:2], before="2019-12-31")["id"] == "b"


def test_resolve_prefers_the_citing_documents_own_issuer_when_none_is_named():
    same = [DOCS[1], DOCS[2]]
    assert resolve(cit(date="2019-02-11"), same) is None
    assert resolve(cit(date="2019-02-11"), same, home="UBND huyện Phú Lam")["id"] == "c"


# --- one citation ends where the next begins ------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Quyết định số 1074/QĐ-BXD ngày 29/6/2026 của Bộ Xây dựng và Chỉ thị số 11-CT/TU ngày 04/01/2026 "
     "của Ban Thường vụ Tỉnh ủy",
     [("1074/QĐ-BXD", "2026-06-29", "Bộ Xây dựng"), ("11-CT/TU", "2026-01-04", "Ban Thường vụ Tỉnh ủy")]),
    ("Quyết định số 5/QĐ-UBND của UBND huyện Văn Bàn và Kế hoạch số 7/KH-UBND ngày 1/2/2020 của Sở Kế hoạch và Đầu tư",
     [("5/QĐ-UBND", None, "UBND huyện Văn Bàn"), ("7/KH-UBND", "2020-02-01", "Sở Kế hoạch và Đầu tư")]),
    ("Công văn số 3/SGDĐT-VP của Sở Giáo dục và Đào tạo và Quyết định 4/QĐ-UBND của UBND tỉnh Bình Lam Kế hoạch số 9/KH-UBND",
     [("3/SGDĐT-VP", None, "Sở Giáo dục và Đào tạo"), ("4/QĐ-UBND", None, "UBND tỉnh Bình Lam"), ("9/KH-UBND", None, None)]),
    ("theo Thông tư số 2/2020/TT-BNV của Bộ Nội vụ và Thông tư số 5/2021/TT-BTC của Bộ Tài chính",
     [("2/2020/TT-BNV", None, "Bộ Nội vụ"), ("5/2021/TT-BTC", None, "Bộ Tài chính")]),
])
def test_an_issuer_stops_before_the_next_citation(text, expected):
    found = find_citations(text)
    assert [(c.number, c.date, c.issuer) for c in found] == expected
    for c in found:
        assert text[c.start:c.end] == c.surface


@pytest.mark.parametrize("text, numbers", [
    ("Kính gửi: Sở Nội vụ\nSố: 15/QĐ-UBND\nnội dung", []),  # the header's own number, on a later line
    ("Số: 12/KH-UBND, 34/QĐ-UBND\n", []),  # the rest of a "Số:" line too
    ("Hà Lam, ngày 5 tháng 3 năm 2020\nthực hiện theo 15/QĐ-UBND", ["15/QĐ-UBND"]),
    ("đã nêu tại 15/QĐ-UBND và Kế hoạch số 12/KH-UBND của UBND tỉnh, 7/BC-UBND", ["15/QĐ-UBND", "12/KH-UBND", "7/BC-UBND"]),
])
def test_bare_numbers_outside_the_header_line(text, numbers):
    assert [c.number for c in find_citations(text)] == numbers


def test_a_long_text_repeating_a_citation_gives_each_its_own_span():
    unit = "Căn cứ Kế hoạch số 27/KH-UBND. Theo 15/QĐ-UBND; Luật Thi đua, Khen thưởng;\n"
    found = find_citations(unit * 5000)
    assert len(found) == 3 * 5000
    assert [c.start for c in found[-3:]] == [4999 * len(unit) + unit.index(s) for s in ("Kế", "15/", "Luật")]
    assert {c.surface for c in found} == {"Kế hoạch số 27/KH-UBND", "15/QĐ-UBND", "Luật Thi đua, Khen thưởng"}


# --- issuers and resolution ------------------------------------------------------------------


@pytest.mark.parametrize("a, b, same", [
    ("UBND TX Lam Sơn", "UBND thị xã Lam Sơn", True),  # TX, TP: thị xã, thành phố
    ("UBND TP. Hà Nội", "Ủy ban nhân dân thành phố Hà Nội", True),
    ("UBND TX Lam Sơn", "UBND huyện Lam Sơn", False),
    ("UBND tỉnh", "UBND tỉnh Bình Lam", True),
    ("Ủy ban nhân dân tỉnh", "UBND tỉnh Bình Lam", True),
    ("UBND tinh", "UBND tỉnh Bình Lam", True),
    ("Chủ tịch UBND tỉnh", "UBND tỉnh Bình Lam", True),
    ("Ban Thường vụ Tỉnh ủy", "Tỉnh ủy Bình Lam", True),
    ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo", True),
    ("Sở Nội vụ tỉnh Bình Lam", "Sở Nội vụ", True),
    ("Ban Thi đua - Khen thưởng tỉnh", "Ban Thi đua - Khen Thưởng", True),
    ("Hội đồng nhân dân tỉnh Bình Lam", "HĐND tỉnh Bình Lam", True),
    ("UBND huyện Phú Lam", "UBND tỉnh Bình Lam", False),
    ("UBND tỉnh Bình Lam", "UBND tỉnh Hà Lam", False),
    ("UBND tỉnh", "HĐND tỉnh Bình Lam", False),
    ("Tỉnh ủy", "UBND tỉnh Bình Lam", False),
    ("Sở GD&ĐT", "Sở Y tế", False),
    ("UBND huyện", "UBND thành phố Bình Lam", False),
])
def test_same_issuer(a, b, same):
    assert same_issuer(a, b) is same and same_issuer(b, a) is same


def test_resolution_says_why_nothing_is_linked():
    assert resolution(cit(), []).status == "missing"
    r = resolution(cit(), DOCS)
    assert (r.status, r.target, [d["id"] for d in r.candidates]) == ("ambiguous", None, ["a", "b", "c"])
    r = resolution(cit(date="2019-02-11"), DOCS)
    assert (r.status, [d["id"] for d in r.candidates]) == ("ambiguous", ["b", "c"])
    r = resolution(cit(date="2020-01-01"), DOCS)  # that number, another date
    assert (r.status, r.target, len(r.candidates)) == ("mismatch", None, 3)
    r = resolution(cit(date="2018-03-01"), DOCS)
    assert (r.status, r.target["id"], r.candidates) == ("resolved", "a", [])


def test_a_contradicting_issuer_never_links_the_only_candidate():
    only = [DOCS[0]]
    assert resolve(cit(), only)["id"] == "a"
    assert resolve(cit(issuer="Ủy ban nhân dân tỉnh Bình Lam"), only)["id"] == "a"
    r = resolution(cit(issuer="UBND huyện Tân Khê"), only)
    assert (r.status, r.target, [d["id"] for d in r.candidates]) == ("mismatch", None, ["a"])
    # nor one of several: each is another body's
    assert resolution(cit(issuer="UBND huyện Tân Khê"), DOCS, before="2020-01-01").status == "mismatch"
    # an archived document whose issuer is unknown cannot contradict it
    unknown = [{"id": "u", "number": "12/KH-UBND", "date": "2018-03-01", "issuer": None}]
    assert resolve(cit(issuer="UBND huyện Tân Khê"), unknown)["id"] == "u"


def test_the_named_issuer_and_date_choose_among_candidates():
    docs = [*DOCS, {"id": "d", "number": "12/KH-UBND", "date": "2015-03-25", "issuer": "UBND huyện Tân Khê"}]
    assert resolve(cit(issuer="UBND huyện Tân Khê"), docs)["id"] == "d"
    assert resolve(cit(date="2015-03-25", issuer="UBND huyện Tân Khê"), docs)["id"] == "d"
    assert resolve(cit(date="2019-02-11", issuer="Ủy ban nhân dân huyện Phú Lam"), docs)["id"] == "c"
    assert resolve(cit(date="2015-03-25", issuer="UBND tỉnh"), docs) is None  # that day's 12/KH is the district's


# --- years, bare numbers with dates, copies, laws of another year (QA 2026-11-26) ------------------


@pytest.mark.parametrize("text, name, year", [
    ("Căn cứ Luật Thi đua, khen thưởng năm 2022;", "Luật Thi đua, khen thưởng", 2022),
    ("theo Bộ luật Lao động 2012 và", "Bộ luật Lao động", 2012),
    ("Luật Xây dựng năm 2014 quy định", "Luật Xây dựng", 2014),
])
def test_a_law_named_with_its_year(text, name, year):
    c = find_citations(text)[0]
    assert (c.name, c.year, c.date) == (name, year, None)
    assert c.surface.endswith(str(year))


def test_a_number_with_its_year_and_issuer_after_it():
    c = one("Thực hiện Kế hoạch số 11/KH-UBND năm 2025 của UBND thị xã Lam Sơn về việc")
    assert (c.number, c.year, c.issuer) == ("11/KH-UBND", 2025, "UBND thị xã Lam Sơn")


def test_a_bare_number_keeps_the_date_and_issuer_after_it():
    c = one("Theo 11/KH-UBND ngày 24/01/2025 của UBND thị xã Lam Sơn, các đơn vị")
    assert (c.number, c.date, c.issuer) == ("11/KH-UBND", "2025-01-24", "UBND thị xã Lam Sơn")
    assert c.surface == "11/KH-UBND ngày 24/01/2025 của UBND thị xã Lam Sơn"


def test_numbers_written_with_look_alikes_are_citations():
    from indexer.normalize import normalize_text

    found = find_citations(normalize_text("Nghị định số 146/2025/NÐ-CP ngày 12/6/2025 và Quyết định số 1074/QĐ‑BXD; "
                                          "Quyết định số 1075/QĐ – BXD"))
    assert [c.number for c in found] == ["146/2025/NĐ-CP", "1074/QĐ-BXD", "1075/QĐ-BXD"]


def test_the_cited_year_chooses_or_contradicts():
    assert resolve(cit(year=2018), DOCS)["id"] == "a"
    r = resolution(cit(year=2021), DOCS)
    assert (r.status, len(r.candidates)) == ("mismatch", 3)
    assert resolution(cit(year=2019), DOCS).status == "ambiguous"  # b and c: two issuers that year


LAW_2003 = [{"id": "l", "number": "15/2003/QH11", "date": "2003-11-26", "issuer": "Quốc hội",
             "title": "Luật Thi đua, khen thưởng"}]


def law(**kw):
    return Citation(**(dict(start=0, end=1, surface="x", number=None, type="Luật", name="Luật Thi đua, khen thưởng") | kw))


def test_a_law_named_with_another_year_or_date_is_another_law():
    """The 2022 law is not the 2003 one of the same name: not linked, and said why."""
    assert resolve(law(), LAW_2003)["id"] == "l"
    assert resolve(law(year=2003), LAW_2003)["id"] == "l"
    assert resolution(law(year=2022), LAW_2003).status == "mismatch"
    assert resolution(law(date="2022-06-15"), LAW_2003).status == "mismatch"
    assert resolve(law(date="2003-11-26"), LAW_2003)["id"] == "l"


def test_a_document_archived_twice_is_one_document_not_ambiguous():
    copy = {"number": "146/2025/NĐ-CP", "date": "2025-06-12", "issuer": "Chính phủ", "title": "Quy định về phân quyền"}
    docs = [{"id": "f2", **copy}, {"id": "8a", **copy}, {"id": "zz", **copy, "title": "QUY ĐỊNH VỀ PHÂN QUYỀN"}]
    c = cit(number="146/2025/NĐ-CP", date="2025-06-12", type="Nghị định")
    r = resolution(c, docs)
    assert (r.status, r.target["id"]) == ("resolved", "8a")  # the smallest id, whatever the order
    assert resolution(c, list(reversed(docs))).target["id"] == "8a"
    other = [*docs, {"id": "00", **copy, "title": "Quy định khác"}]  # another document of that number and day
    assert resolution(c, other).status == "ambiguous"


def test_an_issuer_written_with_tx_or_tp_is_read_whole():
    assert one("Kế hoạch số 11/KH-UBND ngày 24/01/2025 của UBND TX Lam Sơn về").issuer == "UBND TX Lam Sơn"
    assert one("Kế hoạch số 11/KH-UBND của UBND TP. Hà Nội về").issuer == "UBND TP. Hà Nội"


def test_a_law_named_alone_is_not_a_law_passed_after_the_citing_document():
    law_2025 = [{"id": "n", "number": "69/2025/QH15", "date": "2025-06-14", "issuer": "Quốc hội", "title": "Luật Hóa chất"}]
    assert resolution(law(name="Luật Hóa chất"), law_2025, before="2024-10-01").status == "mismatch"
    assert resolve(law(name="Luật Hóa chất"), law_2025, before="2025-07-01")["id"] == "n"
    assert resolve(law(name="Luật Hóa chất"), law_2025)["id"] == "n"  # citing date unknown
    both = [*law_2025, {"id": "o", "number": "06/2007/QH12", "date": "2007-11-21", "issuer": "Quốc hội"}]
    assert resolve(law(name="Luật Hóa chất"), both, before="2024-10-01")["id"] == "o"


def test_a_year_after_a_bare_number_or_a_listed_one_is_read():
    c = one("Theo 11/KH-UBND năm 2025 của UBND thị xã Lam Sơn về việc")
    assert (c.year, c.issuer) == (2025, "UBND thị xã Lam Sơn")
    first, second = find_citations("các Kế hoạch số 11/KH-UBND năm 2019, số 7/KH-UBND năm 2018 của UBND thị xã Lam Sơn")
    assert (first.number, first.year) == ("11/KH-UBND", 2019)
    assert (second.number, second.year, second.issuer) == ("7/KH-UBND", 2018, "UBND thị xã Lam Sơn")


def test_a_date_after_a_comma_is_not_a_bare_numbers():
    c = one("Thực hiện 11/KH-UBND, ngày 02/01/2024 đơn vị đã tổ chức hội nghị")
    assert (c.surface, c.date) == ("11/KH-UBND", None)


def test_a_law_named_with_i_or_y_is_the_same_law():
    from indexer.pipeline import name_key as archived_key

    cited = citation_key(law(name="Luật Quản lí thuế"))
    assert cited == archived_key("Luật", "Luật Quản lý thuế") == archived_key("Luật", "QUẢN LÝ THUẾ")
    assert cited != archived_key("Luật", "Luật Quản lý ngoại thương")


@pytest.mark.parametrize("text, surface_end, issuer", [
    ("CĂN CỨ KẾ HOẠCH SỐ 10/KH-SNV NGÀY 21/3/2019 CỦA SỞ NỘI VỤ", "CỦA SỞ NỘI VỤ", "SỞ NỘI VỤ"),
    ("CĂN CỨ KẾ HOẠCH SỐ 10/KH-SNV NGÀY 21/3/2019 CỦA SỞ NỘI VỤ TỈNH BÌNH LAM VÀ KẾ HOẠCH SỐ 12/KH-UBND",
     "TỈNH BÌNH LAM", "SỞ NỘI VỤ TỈNH BÌNH LAM"),
    ("QUYẾT ĐỊNH SỐ 15/QĐ-UBND CỦA UBND TỈNH BÌNH LAM VỀ VIỆC KHEN THƯỞNG", "TỈNH BÌNH LAM", "UBND TỈNH BÌNH LAM"),
    ("CHỈ THỊ SỐ 11-CT/TU NGÀY 04/01/2016 CỦA BAN THƯỜNG VỤ TỈNH ỦY", "TỈNH ỦY", "BAN THƯỜNG VỤ TỈNH ỦY"),
    # the same in sentence case is unchanged
    ("Quyết định số 15/QĐ-UBND của UBND tỉnh Bình Lam về việc khen thưởng", "tỉnh Bình Lam", "UBND tỉnh Bình Lam"),
    ("Văn bản số 12/UBND-VP ngày 3/4/2020 của UBND huyện Văn Bàn.", "huyện Văn Bàn", "UBND huyện Văn Bàn"),
])
def test_an_issuer_written_in_capitals_is_read(text, surface_end, issuer):
    """A heading or a text typed in capitals: the surface stopped before "CỦA SỞ NỘI VỤ"."""
    c = find_citations(text)[0]
    assert c.surface.endswith(surface_end) and c.issuer == issuer
