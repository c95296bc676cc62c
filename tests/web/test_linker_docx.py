"""POST /lien-ket/docx and indexer.docx_links: resolved citations become Word hyperlinks."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from lxml import etree
from lxml import html as lhtml

from indexer.docx_links import DOCX_MIME, HYPERLINK_REL, W_NS, link_docx, text_docx

NS = {"w": W_NS, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def hyperlinks(data: bytes) -> list[tuple[str, str]]:
    """(link text, target URL) of every w:hyperlink in the body, via the package relationships."""
    document = docx.Document(io.BytesIO(data))
    rels = {rid: rel.target_ref for rid, rel in document.part.rels.items() if rel.reltype == HYPERLINK_REL}
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    out = []
    for h in body.iter(f"{{{W_NS}}}hyperlink"):
        text = "".join(h.xpath(".//w:t/text()", namespaces=NS))
        out.append((text, rels[h.get(f"{{{NS['r']}}}id")]))
    return out


def all_text(data: bytes) -> str:
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return "\n".join("".join(p.xpath(".//w:t/text()", namespaces=NS)) for p in body.iter(f"{{{W_NS}}}p"))


@pytest.fixture(scope="module")
def plan(ui_client) -> dict:
    return next(d for d in ui_client.get("/api/documents", params={"limit": 100}).json()["documents"]
                if d["number"] and d["type"] == "Kế hoạch")


def citing_docx(plan: dict) -> bytes:
    """A Word file citing `plan` with its number in bold (three runs) and again inside a table."""
    y, m, d = plan["date"].split("-")
    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN TỈNH BÌNH LAM")
    p = document.add_paragraph("Căn cứ Kế hoạch số ")
    p.add_run(plan["number"]).bold = True
    p.add_run(f" ngày {int(d)}/{int(m)}/{y} của UBND tỉnh; căn cứ Kế hoạch số 98765/KH-UBND ngày 01/01/2019.")
    hl = document.add_paragraph("Đoạn có ").add_run("tô màu")
    hl.font.highlight_color = WD_COLOR_INDEX.YELLOW
    cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
    cell.paragraphs[0].add_run(f"Thực hiện Kế hoạch số {plan['number']} ngày {int(d)}/{int(m)}/{y}.")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_uploaded_docx_comes_back_with_hyperlinks(ui_client, plan):
    source = citing_docx(plan)
    r = ui_client.post("/lien-ket/docx", files={"file": ("công văn.docx", source, DOCX_MIME)})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == DOCX_MIME
    assert "filename*=UTF-8''c%C3%B4ng%20v%C4%83n-lien-ket.docx" in r.headers["content-disposition"]
    links = hyperlinks(r.content)
    url = f"http://testserver/van-ban/{plan['id']}"
    assert len(links) == 2 and all(target == url for _, target in links)
    assert all(plan["number"] in text for text, _ in links)
    assert r.headers["x-vanthu-linked"] == "2" and r.headers["x-vanthu-unresolved"] == "1"
    # the words are the same, the bold number kept its formatting, the unresolved one stays text
    assert all_text(r.content) == all_text(source)
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml"))
    bold = body.xpath("//w:hyperlink//w:r[w:rPr/w:b]/w:t/text()", namespaces=NS)
    assert bold == [plan["number"]]
    assert "98765/KH-UBND" not in "".join(t for t, _ in links)
    # the rest of the package is untouched
    before, after = zipfile.ZipFile(io.BytesIO(source)), zipfile.ZipFile(io.BytesIO(r.content))
    assert before.namelist() == after.namelist()
    for name in before.namelist():
        if name not in ("word/document.xml", "word/_rels/document.xml.rels"):
            assert before.read(name) == after.read(name), name
    # the page the link points to exists
    assert ui_client.get(f"/van-ban/{plan['id']}").status_code == 200


def test_pasted_text_comes_back_as_a_linked_docx(ui_client, plan):
    y, m, d = plan["date"].split("-")
    text = f"Dòng một.\nCăn cứ Kế hoạch số {plan['number']} ngày {int(d)}/{int(m)}/{y} của UBND tỉnh."
    r = ui_client.post("/lien-ket/docx", data={"text": text})
    assert r.status_code == 200 and r.headers["content-type"] == DOCX_MIME
    assert "van-ban-lien-ket.docx" in r.headers["content-disposition"]
    links = hyperlinks(r.content)
    assert [target for _, target in links] == [f"http://testserver/van-ban/{plan['id']}"]
    assert [p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs] == text.split("\n")


def test_other_formats_become_plain_paragraphs(ui_client, plan):
    y, m, d = plan["date"].split("-")
    text = f"Theo Kế hoạch số {plan['number']} ngày {int(d)}/{int(m)}/{y} của UBND tỉnh."
    r = ui_client.post("/lien-ket/docx", files={"file": ("ghi chú.txt", text.encode(), "text/plain")})
    assert r.status_code == 200
    assert len(hyperlinks(r.content)) == 1


@pytest.mark.parametrize(
    "kwargs, status",
    [
        ({"data": {"text": ""}}, 400),
        ({"files": {"file": ("x.exe", b"MZ", "application/octet-stream")}}, 415),
        ({"files": {"file": ("hỏng.docx", b"PK\x03\x04rac", DOCX_MIME)}}, 422),
        ({"json": {"text": "Kế hoạch số 1/KH-UBND"}}, 400),
    ],
)
def test_docx_errors(ui_client, kwargs, status):
    r = ui_client.post("/lien-ket/docx", **kwargs)
    assert r.status_code == status and "detail" in r.json()
    # from the page's form (a browser asks for HTML) the error is shown in the page
    r = ui_client.post("/lien-ket/docx", headers={"Accept": "text/html"}, **kwargs)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in r.text


# what a browser sends for a form's navigation: Chromium's Accept, and one that names no type
BROWSERS = [
    {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Sec-Fetch-Dest": "document"},
    {"Accept": "*/*", "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"},
]


@pytest.mark.parametrize("headers", BROWSERS)
@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": {"text": ""}, "files": {"file": ("", b"", "application/octet-stream")}},  # nothing chosen
        {"data": {"text": ""}, "files": {"file": ("hỏng.docx", b"PK\x03\x04rac", DOCX_MIME)}},
        {"data": {"text": ""}, "files": {"file": ("rỗng.docx", b"", DOCX_MIME)}},
        {"data": {"text": ""}, "files": {"file": ("rác.docx", b"not a Word file at all", DOCX_MIME)}},
    ],
    ids=["empty form", "junk docx", "0-byte docx", "text named docx"],
)
def test_the_docx_button_shows_errors_in_the_page_as_the_link_button_does(ui_client, kwargs, headers):
    """"Tải .docx có liên kết" answers an error as the /lien-ket page, with the message and status
    "Liên kết trích dẫn" (POST /lien-ket) gives for the same form."""
    linked = ui_client.post("/lien-ket", **kwargs)
    r = ui_client.post("/lien-ket/docx", headers=headers, **kwargs)
    assert r.status_code == linked.status_code >= 400
    assert r.headers["content-type"].startswith("text/html")
    alert = lhtml.fromstring(r.text).xpath("//*[@role='alert']")[0].text_content()
    assert alert == lhtml.fromstring(linked.text).xpath("//*[@role='alert']")[0].text_content()
    if "rỗng.docx" in alert:
        assert "tệp rỗng" in alert


def test_docx_without_a_body_is_refused(ui_client):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    r = ui_client.post("/lien-ket/docx", files={"file": ("rỗng.docx", buf.getvalue(), DOCX_MIME)})
    assert r.status_code == 422 and "rỗng.docx" in r.json()["detail"]


# --- the module itself, with a stand-in linker ---------------------------------------------------


def fake_link(surfaces: dict[str, str]):
    """A Library.link stand-in: each known surface resolves to the given id."""

    def link(text: str) -> dict:
        cits = []
        for surface, id_ in surfaces.items():
            start = text.find(surface)
            while start >= 0:
                cits.append({"start": start, "end": start + len(surface), "surface": surface,
                             "resolves_to": {"id": id_} if id_ else None})
                start = text.find(surface, start + 1)
        return {"text": text, "citations": cits}

    return link


def href(target: dict) -> str:
    return f"https://vanthu.example/van-ban/{target['id']}?a=1&b=2"


def test_citation_split_over_many_runs_and_repeated(tmp_path):
    document = docx.Document()
    p = document.add_paragraph()
    for chunk in ("Căn cứ Quyết ", "định số 1", "2/QĐ-UBND", " và lại Quyết định số 12/QĐ-UBND."):
        p.add_run(chunk).italic = True
    path = tmp_path / "a.docx"
    document.save(path)
    linked = link_docx(path, fake_link({"Quyết định số 12/QĐ-UBND": "abc", "lại": None}), href)
    assert (linked.linked, linked.resolved, linked.unresolved) == (2, 2, 1)
    assert hyperlinks(linked.data) == [("Quyết định số 12/QĐ-UBND", href({"id": "abc"}))] * 2
    assert docx.Document(io.BytesIO(linked.data)).paragraphs[0].text.count("Quyết định số 12/QĐ-UBND") == 2
    rels = zipfile.ZipFile(io.BytesIO(linked.data)).read("word/_rels/document.xml.rels").decode()
    assert rels.count(HYPERLINK_REL) == 1  # one relationship per URL
    assert "a=1&amp;b=2" in rels


def test_decomposed_text_and_fields_are_handled(tmp_path):
    import unicodedata

    document = docx.Document()
    document.add_paragraph(unicodedata.normalize("NFD", "Theo Kế hoạch số 5/KH-UBND."))
    path = tmp_path / "nfd.docx"
    document.save(path)
    linked = link_docx(path, fake_link({"Kế hoạch số 5/KH-UBND": "k5"}), href)
    assert hyperlinks(linked.data) == [("Kế hoạch số 5/KH-UBND", href({"id": "k5"}))]


def test_text_docx_escapes_nothing_it_should_not():
    linked = text_docx("<script>alert(1)</script> Kế hoạch số 5/KH-UBND", fake_link({"Kế hoạch số 5/KH-UBND": "k5"}), href)
    xml = zipfile.ZipFile(io.BytesIO(linked.data)).read("word/document.xml").decode()
    assert "&lt;script&gt;" in xml and "<script>" not in xml
    assert docx.Document(io.BytesIO(linked.data)).paragraphs[0].text.startswith("<script>alert(1)</script>")
