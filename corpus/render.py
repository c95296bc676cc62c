"""Write one generated document as DOCX, PDF, TXT or HTML — deterministically.

A document arrives as `Doc` parts (header lines left/right, type line, title lines, body
lines, nơi nhận, signer block). DOCX puts the header in a borderless 2-column table, as
offices do; PDF uses DejaVu (Debian `fonts-dejavu-core`); timestamps are fixed so the same
seed gives the same bytes.
"""

from __future__ import annotations

import html
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

FIXED_TIME = datetime(2020, 1, 1, tzinfo=timezone.utc)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass
class Doc:
    left: list[str]  # issuing body block (parent line, body line, "Số: …")
    right: list[str]  # quốc hiệu, tiêu ngữ, place and date
    type_line: str  # "KẾ HOẠCH" (empty for công văn)
    title_lines: list[str]  # trích yếu, maybe over 2 lines
    body: list[str]
    recipients: list[str]
    signer: list[str]
    quirk: str | None = None  # "nfd", "old-tone", "utf16", "script"
    extra: dict = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [*self.left, *self.right, ""]
        if self.type_line:
            out.append(self.type_line)
        out += [*self.title_lines, "", *self.body, "", *self.recipients, "", *self.signer]
        return out

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"


def _apply_quirk(doc: Doc, s: str) -> str:
    if doc.quirk == "nfd":
        return unicodedata.normalize("NFD", s)
    if doc.quirk == "old-tone":
        for new, old in (("hòa", "hoà"), ("Hòa", "Hoà"), ("ủy", "uỷ"), ("Ủy", "Uỷ"), ("thủy", "thuỷ"),
                         ("khỏe", "khoẻ"), ("hóa", "hoá"), ("tùy", "tuỳ")):
            s = s.replace(new, old)
    return s


def write_txt(doc: Doc, path: Path) -> None:
    text = _apply_quirk(doc, doc.text())
    if doc.quirk == "utf16":
        path.write_bytes(text.encode("utf-16"))
    else:
        path.write_bytes(text.encode("utf-8"))


def write_html(doc: Doc, path: Path, site: str) -> None:
    e = lambda s: html.escape(_apply_quirk(doc, s))  # noqa: E731
    head = "".join(f"<p>{e(x)}</p>" for x in doc.left)
    right = "".join(f"<p>{e(x)}</p>" for x in doc.right)
    body = "\n".join(f"<p>{e(x)}</p>" for x in doc.body)
    title = " ".join(doc.title_lines)
    page = f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>body{{font-family:serif}} .hdr{{display:flex;justify-content:space-between}}</style>
<script>window.analytics = "{e(site)}";</script></head>
<body>
<nav><a href="/">Trang chủ</a> | <a href="/van-ban">Văn bản chỉ đạo điều hành</a> | <a href="/lien-he">Liên hệ</a></nav>
<header><h1>Cổng thông tin điện tử {e(site)}</h1></header>
<article class="content">
<div class="hdr"><div>{head}</div><div>{right}</div></div>
<h2>{e(doc.type_line)}</h2>
{''.join(f'<p><b>{e(t)}</b></p>' for t in doc.title_lines)}
{body}
<div class="noi-nhan">{'<br>'.join(e(r) for r in doc.recipients)}</div>
<div class="ky">{'<br>'.join(e(s) for s in doc.signer)}</div>
</article>
<footer>Bản quyền thuộc {e(site)}. Địa chỉ: số 1 đường Trung tâm hành chính. Điện thoại: 0297.3820.111</footer>
</body></html>
"""
    path.write_text(page, encoding="utf-8")


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and order (python-docx stamps the current time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def write_docx(doc: Doc, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    q = lambda s: _apply_quirk(doc, s)  # noqa: E731
    d = Document()
    cp = d.core_properties
    cp.created = cp.modified = FIXED_TIME.replace(tzinfo=None)
    cp.last_printed = FIXED_TIME.replace(tzinfo=None)
    cp.author = cp.last_modified_by = "Văn thư"
    cp.revision = 1
    style = d.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    table = d.add_table(rows=1, cols=2)  # borderless header table: issuer left, quốc hiệu right
    for cell, lines in zip(table.rows[0].cells, (doc.left, doc.right)):
        cell.paragraphs[0].text = q(lines[0])
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for line in lines[1:]:
            p = cell.add_paragraph(q(line))
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if doc.type_line:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(q(doc.type_line)).bold = True
    for t in doc.title_lines:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(q(t)).bold = True
    for line in doc.body:
        d.add_paragraph(q(line))
    sig = d.add_table(rows=1, cols=2)  # nơi nhận left, signer right
    left, right = sig.rows[0].cells
    left.paragraphs[0].text = q(doc.recipients[0]) if doc.recipients else ""
    for r in doc.recipients[1:]:
        left.add_paragraph(q(r))
    right.paragraphs[0].text = q(doc.signer[0]) if doc.signer else ""
    for s in doc.signer[1:]:
        p = right.add_paragraph(q(s))
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue()))


def _font(name: str) -> str:
    p = FONT_DIR / name
    if not p.exists():
        raise RuntimeError(
            f"font {p} not found: install it with `apt-get install fonts-dejavu-core` (make setup does)"
        )
    return str(p)


def write_pdf(doc: Doc, path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_producer("vanthu demo")
    pdf.add_font("DejaVu", "", _font("DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", _font("DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 15, 15)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    y0 = pdf.get_y()
    for line in doc.left:  # header: two columns side by side
        pdf.set_x(15)
        pdf.cell(80, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    y1 = pdf.get_y()
    pdf.set_y(y0)
    for line in doc.right:
        pdf.set_x(95)
        pdf.cell(105, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(y1, pdf.get_y()) + 4)
    pdf.set_font("DejaVu", "B", 11)
    if doc.type_line:
        pdf.cell(0, 6, doc.type_line, align="C", new_x="LMARGIN", new_y="NEXT")
    for t in doc.title_lines:
        pdf.cell(0, 6, t, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 10)
    for line in doc.body:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for line in doc.recipients:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for line in doc.signer:
        pdf.set_x(110)
        pdf.cell(80, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    path.write_bytes(bytes(pdf.output()))
