"""Extraction on real files made in the test: every format, legacy fonts, and bad input."""

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from indexer.errors import (CorruptFile, EmptyFile, EncryptedFile, ExtractionError, FileTooLarge, UnsafeFile,
                            UnsupportedFormat)
from indexer.extract import extract
from indexer.extract.base import Limits

HEADER_LEFT = ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH LAM", "Số: 15/QĐ-UBND"]
HEADER_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Lam Giang, ngày 17 tháng 6 năm 2019"]


def make_docx(path: Path, body=("QUYẾT ĐỊNH", "Về việc khen thưởng"), font=None, legacy_run=None) -> Path:
    from docx import Document

    d = Document()
    t = d.add_table(rows=1, cols=2)
    for cell, lines in zip(t.rows[0].cells, (HEADER_LEFT, HEADER_RIGHT)):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    for line in body:
        d.add_paragraph(line)
    if legacy_run:
        run = d.add_paragraph().add_run(legacy_run)
        run.font.name = font
    d.sections[0].header.paragraphs[0].text = "CÔNG BÁO TỈNH"
    d.save(path)
    return path


def test_docx_header_table_comes_first_in_reading_order(tmp_path):
    raw = extract(make_docx(tmp_path / "qd.docx"))
    lines = raw.text.split("\n")
    assert lines[:6] == HEADER_LEFT + HEADER_RIGHT
    assert "QUYẾT ĐỊNH" in lines and "CÔNG BÁO TỈNH" in lines  # body and page header
    assert raw.tables == 1 and raw.format == "docx"


@pytest.mark.parametrize(
    "font, legacy_text, expected",
    [
        (".VnTime", "Bé Tµi chÝnh vµ c¸c ®¬n vÞ", "Bộ Tài chính và các đơn vị"),
        ("VNI-Times", "Boä Taøi chính vaø caùc ñôn vò", "Bộ Tài chính và các đơn vị"),
    ],
)
def test_docx_runs_in_legacy_fonts_are_converted(tmp_path, font, legacy_text, expected):
    raw = extract(make_docx(tmp_path / "legacy.docx", legacy_run=legacy_text, font=font))
    assert expected in raw.text
    assert raw.legacy in ("tcvn3", "vni")
    assert "Ủy ban" not in raw.text or "ỦY BAN NHÂN DÂN" in raw.text  # Unicode runs untouched


def test_unicode_text_in_a_legacy_named_font_is_left_alone(tmp_path):
    raw = extract(make_docx(tmp_path / "u.docx", legacy_run="Hà Nội, ngày 13 tháng 3", font=".VnTime"))
    assert "Hà Nội, ngày 13 tháng 3" in raw.text


def cp1258(s: str) -> bytes:
    """Windows-1258 bytes: precomposed base letters, tone marks as combining characters."""
    import unicodedata

    out = []
    for ch in s:
        nfd = unicodedata.normalize("NFD", ch)
        tones = [c for c in nfd if c in "\u0300\u0301\u0303\u0309\u0323"]
        out.append(unicodedata.normalize("NFC", "".join(c for c in nfd if c not in tones)) + "".join(tones))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    "data, encoding",
    [
        ("Ủy ban nhân dân tỉnh".encode("utf-8"), "utf-8"),
        ("Ủy ban nhân dân tỉnh".encode("utf-8-sig"), "utf-8-sig"),
        ("Ủy ban nhân dân tỉnh".encode("utf-16"), "utf-16"),
        (cp1258("Ủy ban nhân dân tỉnh"), "cp1258"),
    ],
)
def test_txt_encodings(tmp_path, data, encoding):
    p = tmp_path / "a.txt"
    p.write_bytes(data)
    raw = extract(p)
    assert raw.text == "Ủy ban nhân dân tỉnh" and raw.encoding == encoding


def test_txt_in_tcvn3_bytes(tmp_path):
    p = tmp_path / "old.txt"
    p.write_bytes("Bé Tµi chÝnh\nSè: 12/2001/Q§-BTC\n".encode("cp1252"))
    raw = extract(p)
    assert raw.text == "Bộ Tài chính\nSố: 12/2001/QĐ-BTC" and raw.legacy == "tcvn3"


def test_rtf_with_legacy_font_table(tmp_path):
    p = tmp_path / "a.rtf"
    body = r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\froman .VnTime;}{\f1\fswiss Arial;}}" \
           r"\f0 B\'e9 T\'b5i ch\'ddnh\par\f1 Plain \u7850?n\par}"
    p.write_bytes(body.encode("ascii"))
    raw = extract(p)
    assert raw.text.split("\n")[:2] == ["Bộ Tài chính", "Plain Ẫn"]


def test_html_main_text_only(tmp_path):
    p = tmp_path / "a.html"
    p.write_text("<html><head><script>var x=1</script><style>p{}</style></head><body><nav>Trang chủ</nav>"
                 "<article><p>Kế hoạch số 5/KH-UBND</p><p>&lt;script&gt; là chữ</p></article>"
                 "<footer>Bản quyền</footer></body></html>", encoding="utf-8")
    text = extract(p).text
    assert [l for l in text.split("\n") if l] == ["Kế hoạch số 5/KH-UBND", "<script> là chữ"]


def test_pdf_text_layer_and_nfd_repaired(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    pdf.cell(0, 10, "Kế hoạch thi đua hoà bình năm 2019")
    p = tmp_path / "a.pdf"
    pdf.output(str(p))
    raw = extract(p, limits=Limits(ocr=False))
    assert "Kế hoạch thi đua hòa bình năm 2019" in raw.text and raw.pages == 1 and not raw.ocr


def _pdf_bytes(text="Ủy ban nhân dân tỉnh Bình Lam", password=None):
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    pdf.cell(0, 10, text)
    data = bytes(pdf.output())
    if password is None:
        return data
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    w.encrypt(user_password=password, owner_password="owner-secret")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_pdf_encrypted_with_empty_password_opens(tmp_path):
    p = tmp_path / "empty-pw.pdf"
    p.write_bytes(_pdf_bytes(password=""))
    assert "Ủy ban nhân dân" in extract(p, limits=Limits(ocr=False)).text


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * (60 << 20) + b"</w:document>")
    return path


def _xxe(path: Path) -> Path:
    doc = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", doc)
    return path


def _truncated_docx(path: Path, tmp_path: Path) -> Path:
    full = make_docx(tmp_path / "full.docx").read_bytes()
    path.write_bytes(full[: len(full) // 2])
    return path


def _encrypted_docx(path: Path) -> Path:  # an OLE container holding EncryptedPackage, as Word saves it
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    return path


BAD = [
    ("zero.pdf", lambda p, t: (p.write_bytes(b""), p)[1], EmptyFile, "empty"),
    ("corrupt.docx", lambda p, t: (p.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50), p)[1], CorruptFile, "zip"),
    ("truncated.docx", lambda p, t: _truncated_docx(p, t), CorruptFile, "truncated"),
    ("truncated.pdf", lambda p, t: (p.write_bytes(_pdf_bytes()[:300]), p)[1], CorruptFile, "PDF"),
    ("garbage.pdf", lambda p, t: (p.write_bytes(b"\x89PNG not a pdf at all" * 10), p)[1], CorruptFile, "not a .pdf"),
    ("locked.pdf", lambda p, t: (p.write_bytes(_pdf_bytes(password="s3cret")), p)[1], EncryptedFile, "password"),
    ("locked.docx", lambda p, t: _encrypted_docx(p), EncryptedFile, "password"),
    ("bomb.docx", lambda p, t: _bomb(p), UnsafeFile, "zip bomb"),
    ("xxe.docx", lambda p, t: _xxe(p), UnsafeFile, "entities"),
    ("huge.txt", lambda p, t: (p.open("wb").truncate(200 << 20), p)[1], FileTooLarge, "over the"),
    ("virus.exe", lambda p, t: (p.write_bytes(b"MZ"), p)[1], UnsupportedFormat, "not supported"),
    ("broken.rtf", lambda p, t: (p.write_bytes(b"{\\rtf1 {\\f0 unclosed"), p)[1], None, None),
]


@pytest.mark.parametrize("name, make, error, fragment", BAD, ids=[b[0] for b in BAD])
def test_bad_input_gives_a_typed_error_naming_the_file(tmp_path, name, make, error, fragment):
    path = make(tmp_path / name, tmp_path)
    if error is None:  # tolerated: an unclosed RTF group still yields its text
        assert "unclosed" in extract(path).text
        return
    with pytest.raises(error) as info:
        extract(path, limits=Limits(ocr=False))
    assert name in str(info.value) and fragment in str(info.value)
    assert isinstance(info.value, ExtractionError)


def test_a_pdf_that_is_really_a_docx_is_read_as_docx(tmp_path):
    p = tmp_path / "misnamed.pdf"
    shutil.copy(make_docx(tmp_path / "real.docx"), p)
    raw = extract(p)
    assert raw.format == "docx" and "Số: 15/QĐ-UBND" in raw.text


def test_doc_via_antiword(admin_dir):
    if shutil.which("antiword") is None and shutil.which("catdoc") is None:
        pytest.skip("antiword/catdoc not installed: `make setup` installs them")
    doc = next(admin_dir.rglob("*.doc"))
    raw = extract(doc)
    assert raw.format == "doc" and len(raw.text) > 1000 and " của " in raw.text


def test_scanned_pdf_goes_through_ocr(tmp_path):
    from indexer.extract.pdf import ocr_available

    if ocr_available():
        pytest.skip(f"OCR not available here: {ocr_available()}")
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (1700, 300), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 56)
    ImageDraw.Draw(img).text((40, 100), "Ủy ban nhân dân tỉnh Bình Lam", font=font, fill=0)
    png = tmp_path / "scan.png"
    img.save(png)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(png), x=10, y=10, w=190)
    p = tmp_path / "scan.pdf"
    pdf.output(str(p))
    raw = extract(p)
    assert raw.ocr and raw.ocr_pages == [1]
    assert "nhân dân" in raw.text and "Bình Lam" in raw.text


def test_ocr_off_indexes_what_there_is_and_warns(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    p = tmp_path / "blank.pdf"
    pdf.output(str(p))
    raw = extract(p, limits=Limits(ocr=False))
    assert raw.text == "" and any("OCR is off" in w for w in raw.warnings)


def test_extraction_errors_say_what_went_wrong_in_vietnamese(tmp_path):
    from indexer.errors import CorruptFile, EmptyFile

    empty = tmp_path / "trống.pdf"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile) as e:
        extract(empty)
    assert str(e.value).startswith("trống.pdf: tệp rỗng") and "0 bytes" in str(e.value)
    fake = tmp_path / "setup.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(CorruptFile) as e:
        extract(fake)
    assert "tệp bị hỏng hoặc không đúng định dạng" in str(e.value)


REPORT = ("BỘ TƯ PHÁP\nBAN THI ĐUA - KHEN THƯỞNG\nSố: 30/BC-BTĐKT\n"
          "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 12 tháng 3 năm 2021\n"
          "BÁO CÁO\nTổng kết công tác thi đua, khen thưởng năm 2020\n"
          "Thực hiện Luật Thi đua, khen thưởng, Ban Thi đua - Khen thưởng báo cáo kết quả công tác thi đua, "
          "khen thưởng năm 2020 và phương hướng, nhiệm vụ năm 2021 như sau:\n"
          "I. Kết quả đạt được: các đơn vị đã tổ chức phát động phong trào thi đua yêu nước sâu rộng.\n"
          "Nơi nhận: Văn phòng Bộ; Lưu: VT, BTĐKT")


def _damaged(kind: str) -> tuple[bytes, int]:
    """REPORT in UTF-8 with `kind` of damage, and how many bytes are bad."""
    data = REPORT.encode("utf-8")
    if kind == "stray byte":  # one non-breaking space saved as Latin-1 into the body
        i = data.index("thi đua yêu nước".encode())
        return data[:i] + b"\xa0" + data[i:], 1
    if kind == "cut in the last character":  # a copy that stopped inside "ơ" (C6 A1): C6 is left
        data += " hồ sơ".encode()
        return data[:-1], 1
    if kind == "stray byte beside a U+FFFD the file holds":  # copied from an earlier lossy conversion
        i = data.index("Nơi".encode())
        return data[:i] + "\ufffd".encode() + b"\xa0" + data[i:], 1
    if kind == "three bad bytes":
        i, j = data.index(b"I. "), data.index("Nơi".encode())
        return data[:i] + b"\x93" + data[i:j] + b"\xff\xfe" + data[j:], 3
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["stray byte", "cut in the last character", "stray byte beside a U+FFFD the file holds",
                                  "three bad bytes"])
def test_txt_utf8_with_a_few_bad_bytes_stays_utf8_and_warns(tmp_path, kind):
    from indexer.metadata import parse_metadata

    data, bad = _damaged(kind)
    p = tmp_path / "bc.txt"
    p.write_bytes(data)
    raw = extract(p)
    assert raw.encoding == "utf-8" and raw.legacy is None
    assert "Số: 30/BC-BTĐKT" in raw.text and "Tổng kết công tác thi đua, khen thưởng năm 2020" in raw.text
    meta = parse_metadata(raw.text)
    assert (meta.number, meta.type, meta.date) == ("30/BC-BTĐKT", "Báo cáo", "2021-03-12")
    assert raw.text.count("\ufffd") >= 1
    [warning] = raw.warnings
    assert warning.startswith(f"tệp UTF-8 có {bad} byte không hợp lệ")  # Vietnamese first
    assert f"({bad} invalid UTF-8 bytes replaced" in warning


def test_damaged_utf8_law_keeps_its_metadata_in_the_record(tmp_path, shared_dir):
    """A real law cut mid-character, with one stray byte: read as UTF-8, the record warns."""
    from indexer.pipeline import read_document

    data = (shared_dir / "corpus" / "laws" / "corpus" / "luat-dat-dai.txt").read_bytes()
    assert data[20003] >= 0xC2  # the first byte of a 2-byte letter: the cut leaves half of it
    p = tmp_path / "luat-dat-dai.txt"
    p.write_bytes(data[:3000] + b"\xa0" + data[3000:20004])
    rec = read_document(p, source="luat-dat-dai.txt", root="test", sha="0" * 64, limits=Limits(ocr=False))
    assert rec["extraction"]["encoding"] == "utf-8" and rec["extraction"]["legacy"] is None
    assert (rec["number"], rec["type"], rec["date"]) == ("45/2013/QH13", "Luật", "2013-11-29")
    assert rec["text"].startswith("QUỐC HỘI\n") and "Đất đai" in rec["text"]
    assert any("2 byte không hợp lệ" in w and "2 invalid UTF-8 bytes replaced" in w for w in rec["warnings"])


@pytest.mark.parametrize("data, legacy, text", [
    # legacy 8-bit text is still told from damaged UTF-8 (its bytes form no UTF-8 sequences)
    ("Bé Tµi chÝnh vµ c¸c ®¬n vÞ trùc thuéc\nSè: 12/2001/Q§-BTC\n".encode("cp1252"), "tcvn3",
     "Bộ Tài chính và các đơn vị trực thuộc\nSố: 12/2001/QĐ-BTC"),
    ("Boä Taøi chính vaø caùc ñôn vò tröïc thuoäc\n".encode("cp1252"), "vni", "Bộ Tài chính và các đơn vị trực thuộc"),
])
def test_txt_legacy_bytes_are_not_taken_for_damaged_utf8(tmp_path, data, legacy, text):
    p = tmp_path / "old.txt"
    p.write_bytes(data)
    raw = extract(p)
    assert raw.text == text and raw.legacy == legacy and not raw.warnings


BINARY_TXT = "Tệp .txt này không phải văn bản (có byte nhị phân)"


def _binary_payloads():
    """A real program (ELF) and random bytes, each named .txt; utf-16 LE halves look like NULs."""
    import random

    elf = Path(shutil.which("true") or "/bin/true").read_bytes()
    noise = random.Random(12).randbytes(6000)
    return {"program": elf, "random": noise, "controls": bytes(range(1, 32)) * 50}


@pytest.mark.parametrize("kind", ["program", "random", "controls"])
def test_txt_with_binary_content_is_refused_not_archived_as_garbage(tmp_path, kind):
    p = tmp_path / f"{kind}.txt"
    p.write_bytes(_binary_payloads()[kind])
    with pytest.raises(CorruptFile) as exc:
        extract(p)
    assert BINARY_TXT in str(exc.value) and "(Not a text file: binary content.)" in str(exc.value)
    assert str(exc.value).startswith(f"{kind}.txt: Tệp .txt")


@pytest.mark.parametrize("data", [
    "Ủy ban nhân dân tỉnh\tHà Lam\f\r\nSố: 12/KH-UBND\n".encode("utf-16"),  # with BOM
    "Ủy ban nhân dân tỉnh Hà Lam\nSố: 12/KH-UBND\n".encode("utf-16-le"),  # no BOM
    "Kế hoạch\x1a".encode("utf-8"),  # DOS end-of-file mark
])
def test_txt_with_nuls_of_utf16_or_a_stray_control_is_still_text(tmp_path, data):
    p = tmp_path / "a.txt"
    p.write_bytes(data)
    assert extract(p).text.startswith(("Ủy ban nhân dân tỉnh", "Kế hoạch"))


def test_every_real_txt_of_the_shared_corpus_still_reads(shared_dir):
    from indexer.extract.txt import TxtExtractor

    paths = sorted((shared_dir / "corpus").rglob("*.txt"))
    assert len(paths) > 100
    for p in paths:
        if p.stat().st_size:
            assert TxtExtractor().extract(p, Limits()).text.strip(), p


def _signed_pdf(path: Path, hidden: bool = False) -> Path:
    """A letter whose number and day are stamped by a signature field, as e-office systems do:
    the page says "Số:      /UBND-XD … ngày      tháng 7", the widget's appearance draws 7432 and 21."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject,
                               NumberObject, TextStringObject)

    pdf = FPDF()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    for line in ("ỦY BAN NHÂN DÂN TỈNH BÌNH LAM", "Số:          /UBND-XD", "Bình Lam, ngày        tháng 7 năm 2026",
                 "V/v triển khai thực hiện công tác phòng cháy, chữa cháy"):
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    page = w.pages[0]
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    annots = ArrayObject()
    for value, (x, y) in (("7432", (55, 767.9)), ("21", (132, 739.6))):  # in the gaps of lines 2 and 3
        appearance = DecodedStreamObject()
        appearance.set_data(f"BT /F1 12 Tf 0 2 Td ({value}) Tj ET".encode())
        appearance.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                           NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(30), FloatObject(14)]),
                           NameObject("/Resources"): DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})})
        annot = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Sig"), NameObject("/T"): TextStringObject(f"Signature{value}"),
            NameObject("/F"): NumberObject(4 | (2 if hidden else 0)),
            NameObject("/Rect"): ArrayObject([FloatObject(x), FloatObject(y), FloatObject(x + 30), FloatObject(y + 14)]),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): w._add_object(appearance)})})
        annots.append(w._add_object(annot))
    page[NameObject("/Annots")] = annots
    w.write(path)
    return path


def test_a_number_and_day_stamped_by_a_signature_are_read(tmp_path):
    """pypdf reads the page's text layer only ("Số:  /UBND-XD"): the letter had no number and no date."""
    from indexer.pipeline import read_document

    p = _signed_pdf(tmp_path / "cv.pdf")
    raw = extract(p, limits=Limits(ocr=False))
    assert re.search(r"Số:\s*7432\s*/UBND-XD", raw.text), raw.text
    rec = read_document(p, source="cv.pdf", root="x", sha="0", limits=Limits(ocr=False))
    assert (rec["number"], rec["date"]) == ("7432/UBND-XD", "2026-07-21")


def test_a_hidden_signature_appearance_is_not_read(tmp_path):
    raw = extract(_signed_pdf(tmp_path / "cv.pdf", hidden=True), limits=Limits(ocr=False))
    assert "7432" not in raw.text and "/UBND-XD" in raw.text


@pytest.mark.parametrize("name, number, date", [
    ("pccc-sct-vn/CV-7432-UBND-XD-21-7-2026-trien-khai-QD-1074.pdf", "7432/UBND-XD", "2026-07-21"),
    ("kccn-sct-vn/1178-DCK-CTT-huong-dan-CCN-dia-gioi-moi.pdf", "1178/ĐCK-CTT", "2025-07-09"),
    ("qlks-sct-vn/CV-6791-SNNMT-17-7-2026-y-kien-tham-dinh-CCN-Bao-Dap.pdf", "6791/SNNMT-KHTC", "2026-07-17"),
    ("hnh-sct-vn/03-thong-tu/TT-37-BGTVT.pdf", "37/2023/TT-BGTVT", "2023-12-13"),
])
def test_real_e_signed_pdfs_keep_their_number_and_date(admin_dir, name, number, date):
    from indexer.pipeline import read_document

    rec = read_document(admin_dir / name, source=name, root="x", sha="0", limits=Limits(ocr=False))
    assert (rec["number"], rec["date"]) == (number, date)


def test_without_poppler_a_signed_pdf_is_read_as_its_text_layer(tmp_path, monkeypatch):
    """pdftotext missing (poppler-utils not installed): the page's own text, no error."""
    p = _signed_pdf(tmp_path / "cv.pdf")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    raw = extract(p, limits=Limits(ocr=False))
    assert "/UBND-XD" in raw.text and "7432" not in raw.text
