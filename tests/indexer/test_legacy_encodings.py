"""Legacy Vietnamese encodings end to end (QA report qa14, items 1-4 and 6): Windows-1258 and
mixed .txt files, TCVN3/VNI HTML pages, DOCX runs in legacy fonts, Word's special hyphens.

Legacy strings are written as the bytes an old office typed (made with an encoder independent
of indexer/legacy.py), read as cp1252 the way Word stores them in a run.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from indexer.citations import find_citations
from indexer.extract import extract, extract_raw
from tests.indexer.test_extract import cp1258

DECISION = ("ỦY BAN NHÂN DÂN\nTỈNH LAM GIANG\nSố: 105/QĐ-UBND\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Lam Giang, ngày 7 tháng 2 năm 2020\nQUYẾT ĐỊNH\n"
            "Về việc khen thưởng thành tích phong trào thi đua\n"
            "Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 12 tập thể có thành tích xuất sắc "
            "trong công tác bảo vệ môi trường.\n"
            "Điều 2. Chánh Văn phòng, Giám đốc Sở Nội vụ chịu trách nhiệm thi hành.")

# --- 1. Windows-1258 .txt ----------------------------------------------------------------------


def test_a_windows_1258_decision_reads_like_unicode(tmp_path):
    """The motto line alone passes for TCVN3; it must not turn the whole file into TCVN3."""
    p = tmp_path / "qd.txt"
    p.write_bytes(cp1258(DECISION))
    raw = extract(p)
    assert raw.text == DECISION
    assert (raw.encoding, raw.legacy, raw.warnings) == ("cp1258", None, [])


def test_the_motto_line_alone_in_windows_1258(tmp_path):
    p = tmp_path / "motto.txt"
    p.write_bytes(cp1258("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"))
    assert extract(p).text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"


def test_the_citations_of_a_windows_1258_draft_are_found(tmp_path):
    """`vanthu link` reads a draft through extract(): both citations must survive."""
    draft = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nBÁO CÁO\n"
             "Căn cứ Kế hoạch số 1461/KH-UBND ngày 17/6/2019 của Ủy ban nhân dân tỉnh;\n"
             "Căn cứ Quyết định số 55/QĐ-UBND ngày 8/3/2018 của UBND tỉnh;\n")
    p = tmp_path / "draft.txt"
    p.write_bytes(cp1258(draft))
    numbers = [c.number for c in find_citations(extract(p).text)]
    assert "1461/KH-UBND" in numbers and "55/QĐ-UBND" in numbers


def test_tcvn3_and_vni_txt_still_convert(tmp_path):
    """The other side of the choice Windows-1258 / legacy bytes: old files still convert."""
    tcvn3 = "UBND tØnh Lam Giang\nSè: 126/Q§-UBND\nQuyÕt ®Þnh\nVÒ viÖc ph©n bæ vèn ph¸t triÓn kinh tÕ\n"
    vni = "UBND tænh Lam Giang\nSoá: 127/QÑ-UBND\nVeà vieäc boá trí caùn boä\nÑieàu 1. Boá trí caùn boä veà xaõ.\n"
    (tmp_path / "t.txt").write_bytes(tcvn3.encode("cp1252"))
    (tmp_path / "v.txt").write_bytes(vni.encode("cp1252"))
    t, v = extract(tmp_path / "t.txt"), extract(tmp_path / "v.txt")
    assert t.text == "UBND tỉnh Lam Giang\nSố: 126/QĐ-UBND\nQuyết định\nVề việc phân bổ vốn phát triển kinh tế"
    assert v.text == "UBND tỉnh Lam Giang\nSố: 127/QĐ-UBND\nVề việc bố trí cán bộ\nĐiều 1. Bố trí cán bộ về xã."
    assert (t.legacy, v.legacy) == ("tcvn3", "vni")


def test_real_transcripts_saved_as_windows_1258_read_back_exactly(legacy_dir, tmp_path):
    """Every real legacy transcript, saved as Windows-1258, reads back as itself (the motto and
    headings of real documents are where Windows-1258 passes for TCVN3)."""
    wrong = []
    truths = sorted((legacy_dir / "ground-truth").glob("*.txt"))
    for truth in truths:
        text = unicodedata.normalize("NFC", truth.read_text(encoding="utf-8"))
        text = "".join(ch if _in_cp1258(ch) else "?" for ch in text)
        p = tmp_path / truth.name
        p.write_bytes(cp1258(text))
        raw = extract_raw(p)
        if (raw.text, raw.encoding, raw.legacy) != (text, "cp1258", None):
            wrong.append(truth.name)
    assert len(truths) >= 90 and wrong == []


def _in_cp1258(ch: str) -> bool:
    try:
        cp1258(ch)
    except UnicodeEncodeError:
        return False
    return True


# --- 2. HTML pages in legacy fonts ---------------------------------------------------------------

def _page(body: str, charset: str | None, font: str) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f'<html><head>{meta}</head><body><font face="{font}">{body}</font></body></html>'


TCVN3_PAGE = ("<p>Sè: 129/TB-UBND</p><p>KÕt qu¶ tuyÓn dông c«ng chøc</p>"
              "<p>Danh s¸ch thÝ sinh tróng tuyÓn ®\xadîc niªm yÕt t¹i trô së.</p>")
TCVN3_TEXT = ["Số: 129/TB-UBND", "Kết quả tuyển dụng công chức", "Danh sách thí sinh trúng tuyển được niêm yết tại trụ sở."]
VNI_PAGE = "<p>THOÂNG BAÙO</p><p>Lòch tieáp nhaän hoà sô ñaêng kyù kinh doanh</p>"
VNI_TEXT = ["THÔNG BÁO", "Lịch tiếp nhận hồ sơ đăng ký kinh doanh"]


@pytest.mark.parametrize("charset", ["windows-1252", "iso-8859-1", None])
@pytest.mark.parametrize("body, font, legacy, expected", [
    (TCVN3_PAGE, ".VnTime", "tcvn3", TCVN3_TEXT),
    (VNI_PAGE, "VNI-Times", "vni", VNI_TEXT),
])
def test_legacy_font_html_pages_are_read_as_cp1252_then_converted(tmp_path, charset, body, font, legacy, expected):
    p = tmp_path / "tb.html"
    p.write_bytes(_page(body, charset, font).encode("cp1252"))
    raw = extract(p)
    assert [line for line in raw.text.split("\n") if line] == expected
    assert (raw.encoding, raw.legacy) == ("cp1252", legacy)


@pytest.mark.parametrize("charset", ["windows-1258", None])
def test_a_windows_1258_page_reads_like_unicode(tmp_path, charset):
    p = tmp_path / "tb.html"
    body = "".join(f"<p>{line}</p>" for line in DECISION.split("\n"))
    p.write_bytes(_page("", charset, "Times New Roman").encode("ascii").replace(b"</font>", cp1258(body) + b"</font>"))
    raw = extract(p)
    assert [line for line in raw.text.split("\n") if line] == DECISION.split("\n")
    assert (raw.encoding, raw.legacy) == ("cp1258", None)


def test_a_utf8_page_that_declares_windows_1252_is_read_as_utf8(tmp_path):
    """Saved as UTF-8 by an editor that kept the old declaration: the bytes say what they are."""
    p = tmp_path / "tb.html"
    p.write_bytes(_page("<p>Kết quả tuyển dụng công chức</p>", "windows-1252", "Arial").encode("utf-8"))
    raw = extract(p)
    assert raw.text.strip() == "Kết quả tuyển dụng công chức" and raw.encoding == "utf-8"


# --- 3. DOCX runs in legacy fonts ----------------------------------------------------------------

def _docx(path: Path, paragraphs: list[list[tuple[str, str | None]]], bold_first: bool = False) -> Path:
    """A .docx whose paragraphs are runs of (text, font name)."""
    from docx import Document
    from docx.oxml.ns import qn

    d = Document()
    for runs in paragraphs:
        p = d.add_paragraph()
        for k, (text, font) in enumerate(runs):
            r = p.add_run(text)
            r.bold = bold_first and k == 0
            if font:
                r.font.name = font
                r._element.get_or_add_rPr().find(qn("w:rFonts")).set(qn("w:hAnsi"), font)
    d.save(path)
    return path


def _lines(path: Path) -> list[str]:
    return [line for line in extract(path).text.split("\n") if line]


def test_tcvn3_runs_that_look_like_unicode_syllables_are_converted(tmp_path):
    """A .doc saved as .docx: one .VnTime run per paragraph. "Sè", "tÕ", "Bé" are also
    Unicode syllables, but the font and the document's other runs say TCVN3."""
    paras = ["UBND tØnh Lam Giang", "Sè: 126/Q§-UBND", "Lam Giang, ngµy 26 th¸ng 2 n¨m 2020", "QuyÕt ®Þnh",
             "VÒ viÖc ph©n bæ vèn ph¸t triÓn kinh tÕ", "Kinh tÕ", "Bé"]
    lines = _lines(_docx(tmp_path / "qd.docx", [[(t, ".VnTime")] for t in paras]))
    assert lines == ["UBND tỉnh Lam Giang", "Số: 126/QĐ-UBND", "Lam Giang, ngày 26 tháng 2 năm 2020", "Quyết định",
                     "Về việc phân bổ vốn phát triển kinh tế", "Kinh tế", "Bộ"]


def test_a_bold_vni_so_run_is_converted(tmp_path):
    """Word splits "Số:" into a run of its own when it is bold; "Soá" is a Unicode syllable too."""
    paras = [[("UBND tænh Lam Giang", "VNI-Times")], [("Soá:", "VNI-Times"), (" 127/QÑ-UBND", "VNI-Times")],
             [("Veà vieäc boá trí caùn boä", "VNI-Times")]]
    lines = _lines(_docx(tmp_path / "qd.docx", paras, bold_first=True))
    assert lines == ["UBND tỉnh Lam Giang", "Số: 127/QĐ-UBND", "Về việc bố trí cán bộ"]


def test_a_lone_legacy_run_whose_conversion_is_as_plausible_is_converted(tmp_path):
    """No other run to ask: the font decides when both readings are Vietnamese."""
    lines = _lines(_docx(tmp_path / "a.docx", [[("Tæng kÕt", None)], [("SOÁ: 12/2001/QÑ-BTC", "VNI-Times")]]))
    assert lines[-1] == "SỐ: 12/2001/QĐ-BTC"


def test_vntimeh_runs_are_capitals(tmp_path):
    """.VnTimeH draws every letter as a capital: TCVN3 headings were typed in lower case."""
    paras = [[("ñy ban nh©n d©n tØnh lam giang", ".VnTimeH")], [("Sè: 120/KH-UBND", ".VnTime")],
             [("kÕ ho¹ch", ".VnTimeH")], [("ViÖc lµm", ".VnTime")]]
    assert _lines(_docx(tmp_path / "kh.docx", paras)) == ["ỦY BAN NHÂN DÂN TỈNH LAM GIANG", "Số: 120/KH-UBND",
                                                          "KẾ HOẠCH", "Việc làm"]


def test_a_unicode_document_that_kept_legacy_font_names_is_left_alone(tmp_path):
    """Converted to Unicode but still in .VnTime: "các", "Bé" and "Café" would convert to
    something (or to other syllables); the document's other runs show it is Unicode."""
    paras = [[("ỦY BAN NHÂN DÂN TỈNH LAM GIANG", ".VnTime")], [("Số: 121/CV-UBND", ".VnTime")],
             [("Sở ", ".VnTime"), ("Tài chính ", "Times New Roman"), ("đề nghị ", ".VnTime")],
             [("các", ".VnTime")], [("Bé", ".VnTime")], [("Café", ".VnTime")], [("Bé", ".VnTimeH")]]
    assert _lines(_docx(tmp_path / "cv.docx", paras)) == ["ỦY BAN NHÂN DÂN TỈNH LAM GIANG", "Số: 121/CV-UBND",
                                                          "Sở Tài chính đề nghị", "các", "Bé", "Café", "Bé"]


def test_a_lone_unicode_run_in_a_legacy_font_that_converts_to_no_vietnamese_is_left(tmp_path):
    assert _lines(_docx(tmp_path / "a.docx", [[("Café", ".VnTime")]])) == ["Café"]


def test_the_synthetic_vni_documents_read_their_number_line(legacy_dir):
    """Every synthetic VNI .docx with a "Số:" line reads it as the transcript has it."""
    found = 0
    for path in sorted((legacy_dir / "corpus" / "synthetic").glob("*.docx")):
        truth = (legacy_dir / "ground-truth-synthetic" / f"{path.stem}.txt").read_text(encoding="utf-8")
        expected = re.findall(r"SỐ:[^\n]*?/[A-ZĐ]+[/-][A-ZĐ]+", unicodedata.normalize("NFC", truth))
        if not expected:
            continue
        text = extract_raw(path).text
        assert expected[0] in text, path.name
        found += 1
    assert found == 4


# --- 4. Word's special hyphens -------------------------------------------------------------------

def test_word_non_breaking_hyphen_is_a_hyphen_and_soft_hyphen_nothing(tmp_path):
    from docx import Document
    from docx.oxml import OxmlElement

    d = Document()
    p = d.add_paragraph()
    p.add_run("Số: 122/KH")
    p.add_run()._element.append(OxmlElement("w:noBreakHyphen"))
    p.add_run("UBND")
    r = d.add_paragraph().add_run("Căn cứ Quyết định số 55/QĐ")
    r._element.append(OxmlElement("w:noBreakHyphen"))
    t = OxmlElement("w:t")
    t.text = "UBND ngày 8/3/2018"
    r._element.append(t)
    r = d.add_paragraph().add_run("chuyển đổi số toàn di")
    r._element.append(OxmlElement("w:softHyphen"))
    t = OxmlElement("w:t")
    t.text = "ện"
    r._element.append(t)
    d.save(tmp_path / "kh.docx")
    assert _lines(tmp_path / "kh.docx") == ["Số: 122/KH-UBND", "Căn cứ Quyết định số 55/QĐ-UBND ngày 8/3/2018",
                                            "chuyển đổi số toàn diện"]


# --- 6. UTF-8 with a legacy paragraph ------------------------------------------------------------

UTF8_PART = ("ỦY BAN NHÂN DÂN TỈNH LAM GIANG\nSố: 128/TB-UBND\nLam Giang, ngày 28 tháng 2 năm 2020\nTHÔNG BÁO\n"
             "Kết luận của Chủ tịch tại cuộc họp giao ban\n"
             "Các sở, ngành triển khai nghiêm túc các nhiệm vụ được giao trong tháng.\n")


@pytest.mark.parametrize("legacy_line, encoding, legacy, expected", [
    ("TrÝch dÉn v¨n b¶n cò: Së Tµi chÝnh chñ tr× thÈm ®Þnh dù to¸n kinh phÝ.".encode("cp1252"), "utf-8+cp1252",
     "tcvn3", "Trích dẫn văn bản cũ: Sở Tài chính chủ trì thẩm định dự toán kinh phí."),
    (cp1258("Trích dẫn văn bản cũ: Sở Tài chính chủ trì thẩm định dự toán kinh phí."), "utf-8+cp1258", None,
     "Trích dẫn văn bản cũ: Sở Tài chính chủ trì thẩm định dự toán kinh phí."),
])
def test_utf8_with_an_appended_8bit_paragraph_keeps_its_utf8_lines(tmp_path, legacy_line, encoding, legacy, expected):
    """`cat new.txt old.txt`: the UTF-8 lines stay as they are, the 8-bit line is read as its
    own encoding, and the person is told which line was read so."""
    p = tmp_path / "tb.txt"
    p.write_bytes(UTF8_PART.encode("utf-8") + legacy_line + b"\n")
    raw = extract(p)
    assert raw.text == UTF8_PART + expected
    assert (raw.encoding, raw.legacy) == (encoding, legacy)
    [warning] = raw.warnings
    assert "dòng 7" in warning and "line 7 is not UTF-8" in warning


def test_utf8_with_a_few_stray_bytes_is_still_damaged_utf8_not_mixed(tmp_path):
    """A stray Latin-1 byte inside a UTF-8 line is damage to that line, not a line in another encoding."""
    p = tmp_path / "bc.txt"
    p.write_bytes(UTF8_PART.encode("utf-8").replace("nghiêm túc".encode(), "nghiêm".encode() + b"\xa0" + "túc".encode()))
    raw = extract(p)
    assert raw.encoding == "utf-8" and raw.text.startswith("ỦY BAN NHÂN DÂN TỈNH LAM GIANG\nSố: 128/TB-UBND")
    assert len(raw.warnings) == 1 and "1 invalid UTF-8 bytes replaced" in raw.warnings[0]


def test_a_mixed_file_tells_a_damaged_utf8_line_from_an_8bit_one(tmp_path):
    """In a mixed file, a UTF-8 line with one stray byte is still UTF-8 (the byte replaced and
    counted), not a line in another encoding."""
    damaged = "Các sở, ngành triển khai nghiêm".encode() + b"\xa0" + "túc".encode()
    p = tmp_path / "tb.txt"
    p.write_bytes("Kết luận của Chủ tịch\n".encode() + damaged + b"\n" + "Së Tµi chÝnh chñ tr×".encode("cp1252"))
    raw = extract(p)
    assert raw.text == "Kết luận của Chủ tịch\nCác sở, ngành triển khai nghiêm\ufffdtúc\nSở Tài chính chủ trì"
    assert raw.encoding == "utf-8+cp1252" and raw.legacy == "tcvn3"
    assert raw.warnings[0].startswith("tệp UTF-8 có 1 byte không hợp lệ") and "line 3 is not UTF-8" in raw.warnings[1]


def test_rtf_runs_that_look_like_unicode_syllables_are_converted(tmp_path):
    """As in DOCX: "Sè:" alone in its .VnTime run is Số when the document's other .VnTime runs
    are legacy; a Unicode run ("Hà") in another font is left alone."""
    p = tmp_path / "a.rtf"
    body = (r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\froman .VnTime;}{\f1\fswiss Arial;}}"
            r"\f0 S\'e8:\f1  126/Q\'d0-UBND\par\f0 Kinh t\'d5\par\f1 H\u224?\f0  t\'b5i ch\'ddnh\par}")
    p.write_bytes(body.encode("ascii"))
    assert extract(p).text.split("\n")[:3] == ["Số: 126/QĐ-UBND", "Kinh tế", "Hà tài chính"]
