"""POST /api/link (and the web linker) on the real app over the indexed demo archive:
ambiguous numbers, issuer/date choosing among candidates, citations that follow each other,
offsets into the returned text, and the work done off the event loop."""

import asyncio
import io
import tempfile
import unicodedata
from collections import defaultdict

import pytest
from fastapi.testclient import TestClient

from indexer.library import Library
from indexer.settings import Settings
from service.app import create_app

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def client(demo_data):
    with TestClient(create_app(Settings(data=demo_data, admin_token=TOKEN))) as c:
        yield c


@pytest.fixture(scope="module")
def documents(client):
    return client.get("/api/documents", params={"limit": 100}).json()["documents"]


@pytest.fixture(scope="module")
def by_number(documents):
    out = defaultdict(list)
    for d in documents:
        if d["number"]:
            out[d["number"]].append(d)
    return out


def link(client, text):
    r = client.post("/api/link", json={"text": text})
    assert r.status_code == 200, r.text
    return r.json()


def dmy(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d)}/{int(m)}/{y}"


def test_a_number_several_documents_carry_is_ambiguous_not_missing(client, by_number):
    number, docs = next((n, ds) for n, ds in by_number.items() if len(ds) > 1 and ds[0]["type"])
    body = link(client, f"{docs[0]['type']} {number}")
    (c,) = body["citations"]
    assert c["resolves_to"] is None and c["status"] == "ambiguous"
    assert {d["id"] for d in c["candidates"]} == {d["id"] for d in docs}
    assert all({"id", "source", "number", "title", "date", "issuer"} <= set(d) for d in c["candidates"])
    assert body["missing"] == []
    assert 'class="cite unresolved ambiguous"' in body["html"]


def test_the_cited_date_chooses_among_candidates(client, by_number):
    number, docs = next((n, ds) for n, ds in by_number.items() if len(ds) > 1 and ds[0]["type"])
    for doc in docs:
        body = link(client, f"Căn cứ {doc['type']} số {number} ngày {dmy(doc['date'])} của UBND tỉnh;")
        (c,) = body["citations"]
        assert c["status"] == "resolved" and c["resolves_to"]["id"] == doc["id"]
        assert c["candidates"] == [] and body["missing"] == []


def test_the_cited_issuer_chooses_among_candidates(demo_data, tmp_path):
    """The same number from a district's UBND beside the province's: "của UBND huyện …" picks it."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    with TestClient(create_app(Settings(data=data, admin_token=TOKEN))) as c:
        province = next(d for d in c.get("/api/documents", params={"limit": 100}).json()["documents"]
                        if d["number"] and d["number"].endswith("/KH-UBND") and d["issuer"] == "UBND tỉnh Bình Lam")
        y = province["date"][:4]
        district = (f"ỦY BAN NHÂN DÂN\nHUYỆN TÂN KHÊ\nSố: {province['number']}\nTân Khê, ngày 25 tháng 3 năm {y}\n"
                    "KẾ HOẠCH\nTổ chức hội thi văn nghệ quần chúng huyện Tân Khê\n").encode()
        r = c.post("/api/documents", files={"file": ("kh-tan-khe.txt", district, "text/plain")},
                   headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200, r.text
        mine = r.json()
        assert mine["issuer"] == "UBND huyện Tân Khê" and mine["number"] == province["number"]

        text = (f"Kế hoạch số {province['number']} của UBND huyện Tân Khê; "
                f"Kế hoạch số {province['number']} ngày {dmy(province['date'])} của Ủy ban nhân dân tỉnh Bình Lam; "
                f"Kế hoạch số {province['number']} ngày 25/3/{y} của UBND huyện Tân Khê")
        cits = c.post("/api/link", json={"text": text}).json()["citations"]
        assert [x["resolves_to"]["id"] for x in cits] == [mine["id"], province["id"], mine["id"]]


@pytest.mark.parametrize("tail, why", [
    ("của UBND huyện Tân Khê", "issuer"),
    ("ngày 02/01/1990", "date"),
    ("ngày 02/01/1990 của UBND tỉnh", "date"),
])
def test_a_contradicting_issuer_or_date_does_not_link_the_only_candidate(client, by_number, tail, why):
    number, (doc,) = next((n, ds) for n, ds in by_number.items()
                          if len(ds) == 1 and ds[0]["issuer"] == "UBND tỉnh Bình Lam" and ds[0]["type"])
    body = link(client, f"{doc['type']} số {number} {tail}")
    (c,) = body["citations"]
    assert c["resolves_to"] is None and c["status"] == "mismatch", why
    assert [d["id"] for d in c["candidates"]] == [doc["id"]]
    assert [m["number"] for m in body["missing"]] == [number]
    # the issuer it does name, written another way, still links it
    ok = link(client, f"{doc['type']} số {number} ngày {dmy(doc['date'])} của Ủy ban nhân dân tỉnh Bình Lam")
    assert ok["citations"][0]["resolves_to"]["id"] == doc["id"]


def test_a_citation_does_not_swallow_the_next_one(client):
    text = ("Thực hiện Quyết định số 1074/QĐ-BXD ngày 29/6/2026 của Bộ Xây dựng và Chỉ thị số 11-CT/TU "
            "ngày 04/01/2026 của Ban Thường vụ Tỉnh ủy về việc tăng cường")
    a, b = link(client, text)["citations"]
    assert (a["surface"], a["issuer"], a["date"]) == (
        "Quyết định số 1074/QĐ-BXD ngày 29/6/2026 của Bộ Xây dựng", "Bộ Xây dựng", "2026-06-29")
    assert (b["number"], b["type"], b["date"], b["issuer"]) == ("11-CT/TU", "Chỉ thị", "2026-01-04", "Ban Thường vụ Tỉnh ủy")
    assert b["surface"] == "Chỉ thị số 11-CT/TU ngày 04/01/2026 của Ban Thường vụ Tỉnh ủy"


def test_offsets_index_the_returned_normalized_text(client, documents):
    plan = next(d for d in documents if d["number"] and d["type"] == "Kế hoạch")
    text = ("Dòng 1\r\nCăn cứ Kế hoạch số 27/KH-UBND\x00 của Uỷ ban nhân dân tỉnh;\r\n"
            + unicodedata.normalize("NFD", f"Thực hiện Kế hoạch số {plan['number']} của UBND tỉnh Bình Lam")
            + "\u200b,\t  Quyết   định\nsố 15/QĐ-UBND ngày 3/4/2020 của Uỷ ban nhân dân huyện Tân Khê.")
    body = link(client, text)
    out = body["text"]
    assert unicodedata.is_normalized("NFC", out) and "\r" not in out and "\x00" not in out and "\u200b" not in out
    assert "Ủy ban nhân dân tỉnh" in out
    assert len(body["citations"]) == 3
    for c in body["citations"] + body["missing"]:
        assert out[c["start"]:c["end"]] == c["surface"]
    assert body["citations"][0]["issuer"] == "Ủy ban nhân dân tỉnh"


def test_a_long_repeated_text_gives_one_citation_per_repeat(client):
    unit = "Căn cứ Kế hoạch số 98765/KH-UBND. "
    body = link(client, unit * 3000)
    assert len(body["citations"]) == len(body["missing"]) == 3000
    assert [c["start"] for c in body["citations"]] == [i * len(unit) + len("Căn cứ ") for i in range(3000)]
    assert {c["status"] for c in body["citations"]} == {"missing"}
    assert body["html"].count('class="cite unresolved"') == 3000


def test_too_long_text_is_400_with_message(client):
    from indexer.library import MAX_LINK_CHARS

    r = client.post("/api/link", json={"text": "x" * (MAX_LINK_CHARS + 1)})
    assert r.status_code == 400 and "quá dài" in r.json()["detail"] and "Text too long" in r.json()["detail"]


def test_upload_errors_and_the_temp_copy_is_removed(client, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    r = client.post("/api/link", files={"file": ("hỏng.docx", b"PK\x03\x04garbage", "application/octet-stream")})
    assert r.status_code == 422 and r.json()["detail"].startswith("hỏng.docx: ")  # the user's name, not the temp copy's
    assert "vanthu-upload" not in r.json()["detail"]
    r = client.post("/api/link", files={"file": ("a.exe", b"MZ", "application/octet-stream")})
    assert r.status_code == 415
    r = client.post("/api/link", files={"other": ("a.txt", b"x", "text/plain")})
    assert r.status_code == 400 and "file" in r.json()["detail"]
    assert list(tmp_path.glob("vanthu-upload-*")) == []
    r = client.post("/api/link", files={"file": ("kh.txt", "Theo Kế hoạch số 98765/KH-UBND.".encode(), "text/plain")})
    assert r.status_code == 200 and r.json()["missing"][0]["number"] == "98765/KH-UBND"
    assert list(tmp_path.glob("vanthu-upload-*")) == []


class WatchedLibrary(Library):
    """The real library, noting whether each link ran on the event loop's thread."""

    def __init__(self, data):
        super().__init__(data)
        self.on_loop: list[bool] = []

    def link(self, text):
        try:
            asyncio.get_running_loop()
            self.on_loop.append(True)
        except RuntimeError:
            self.on_loop.append(False)
        return super().link(text)


def test_linking_runs_off_the_event_loop(demo_data):
    """A long text must not hold up every search: the API and the web linker link in a worker thread."""
    app = create_app(Settings(data=demo_data))
    app.state.library = watched = WatchedLibrary(demo_data)
    text = "Căn cứ Kế hoạch số 98765/KH-UBND."
    with TestClient(app) as c:
        assert c.post("/api/link", json={"text": text}).status_code == 200
        assert c.post("/api/link", files={"file": ("a.txt", text.encode(), "text/plain")}).status_code == 200
        assert c.post("/lien-ket", data={"text": text}).status_code == 200
        assert c.post("/lien-ket/docx", data={"text": text}).status_code == 200
        docx = c.post("/lien-ket/docx", data={"text": text}).content
        assert c.post("/lien-ket/docx", files={"file": ("a.docx", io.BytesIO(docx), "application/octet-stream")}).status_code == 200
    assert watched.on_loop == [False] * 6


def test_the_web_linker_lists_ambiguous_citations_with_their_candidates(client, by_number):
    from lxml import html as lxml_html

    number, docs = next((n, ds) for n, ds in by_number.items() if len(ds) > 1 and ds[0]["type"])
    r = client.post("/lien-ket", data={"text": f"{docs[0]['type']} {number} và Kế hoạch số 98765/KH-UBND"})
    assert r.status_code == 200
    tree = lxml_html.fromstring(r.text)
    summary = " ".join(tree.xpath("//p[@class='summary']")[0].text_content().split())
    assert summary == "Tìm thấy 2 trích dẫn: 0 có trong kho, 1 chưa có trong kho, 1 chưa rõ văn bản nào (nhiều văn bản cùng số)."
    links = tree.xpath("//ul[contains(@class, 'ambiguous')]//a/@href")
    assert sorted(links) == sorted(f"/van-ban/{d['id']}" for d in docs)
    assert tree.xpath("//div[@id='linked-text']//span[contains(@class, 'ambiguous')]")


def test_a_docx_paragraph_with_many_citations_links_each_once(client, by_number):
    """Hundreds of citations in one paragraph, some inside one run, one across three runs (bold number)."""
    import zipfile

    import docx
    from lxml import etree

    from indexer.docx_links import W_NS

    number, (doc,) = next((n, ds) for n, ds in by_number.items() if len(ds) == 1 and ds[0]["type"] == "Kế hoạch")
    document = docx.Document()
    p = document.add_paragraph(f"Căn cứ Kế hoạch số {number}, Kế hoạch số 98765/KH-UBND; " * 300 + "và Kế hoạch số ")
    p.add_run(number).bold = True
    p.add_run(f"; Kế hoạch số {number}.")
    buf = io.BytesIO()
    document.save(buf)
    r = client.post("/lien-ket/docx", files={"file": ("nhiều.docx", buf.getvalue(), "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert r.headers["x-vanthu-linked"] == "302" and r.headers["x-vanthu-unresolved"] == "300"
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml"))
    w = f"{{{W_NS}}}"
    para = next(x for x in body.iter(f"{w}p") if "Căn cứ" in "".join(x.itertext()))
    links = list(para.iter(f"{w}hyperlink"))
    assert ["".join(t.text or "" for t in h.iter(f"{w}t")) for h in links] == [f"Kế hoạch số {number}"] * 302
    # the text is unchanged and the bold number is still bold, inside its link
    original = f"Căn cứ Kế hoạch số {number}, Kế hoạch số 98765/KH-UBND; " * 300 + f"và Kế hoạch số {number}; Kế hoạch số {number}."
    assert "".join(t.text or "" for t in para.iter(f"{w}t")) == original
    bold = [r for r in links[-2].iter(f"{w}r") if r.find(f"{w}rPr/{w}b") is not None]
    assert ["".join(t.text for t in r.iter(f"{w}t")) for r in bold] == [number]


def test_the_document_page_lists_an_ambiguous_citation_with_its_candidates(demo_data, tmp_path, by_number):
    """A document citing a number several archived documents carry (no date, no issuer to choose by)."""
    import shutil

    from lxml import html as lhtml

    number, docs = next((n, ds) for n, ds in by_number.items() if len(ds) > 1 and ds[0]["type"])
    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    with TestClient(create_app(Settings(data=data, admin_token=TOKEN))) as c:
        note = f"Ghi chú họp giao ban\nCăn cứ {docs[0]['type']} số {number}, các phòng chuẩn bị số liệu.\n".encode()
        r = c.post("/api/documents", files={"file": ("ghi-chu.txt", note, "text/plain")},
                   headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200, r.text
        page = c.get(r.json()["url"])
    assert page.status_code == 200
    cites = lhtml.fromstring(page.text).xpath("//section[@aria-labelledby='cites-title']")[0]
    assert "nhiều văn bản cùng số" in cites.text_content() and "chưa có trong kho" not in cites.text_content()
    links = {a.get("href") for a in cites.xpath(".//ul[@class='candidates']//a")}
    assert links == {f"/van-ban/{d['id']}" for d in docs}


def test_linked_html_points_at_the_document_pages(client, by_number):
    number, (doc,) = next((n, ds) for n, ds in by_number.items() if len(ds) == 1 and ds[0]["type"])
    body = link(client, f"Căn cứ {doc['type']} số {number} ngày {dmy(doc['date'])};")
    assert f'href="/van-ban/{doc["id"]}"' in body["html"]
    assert client.get(f"/van-ban/{doc['id']}").status_code == 200


def test_half_a_surrogate_pair_in_json_is_replaced_not_a_500(client, by_number):
    """A browser's JSON.stringify of a text with an emoji cut in two sends "\\ud800": valid JSON,
    but no such character can be written out; it becomes U+FFFD and the citation still links."""
    number = next(n for n, docs in by_number.items() if len(docs) == 1)
    body = '{"text": "\\ud83d Kế hoạch số %s \\udc00 thực hiện"}' % number
    r = client.post("/api/link", content=body.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert "\ufffd" in got["text"]
    c = got["citations"][0]
    assert c["number"] == number and c["resolves_to"]["number"] == number
    assert got["text"][c["start"]:c["end"]] == c["surface"]


def test_missing_documents_lists_each_cited_document_once(client, by_number):
    number = next(n for n, docs in by_number.items() if len(docs) == 1)
    text = ("Căn cứ Kế hoạch số 98765/KH-UBND; thực hiện Kế hoạch số 98765/KH-UBND ngày 03/4/2019 của UBND tỉnh "
            f"và Kế hoạch số {number}; báo cáo theo 98765/KH-UBND. Căn cứ Luật Nhà ở năm 2023 và Luật Nhà ở năm 2023.")
    body = link(client, text)
    assert len(body["missing"]) == 5  # every citation of an absent document
    docs = body["missing_documents"]
    assert [(d["number"], d["name"], d["count"]) for d in docs] == [
        ("98765/KH-UBND", None, 3), (None, "Luật Nhà ở", 2)]
    plan, law = docs
    assert (plan["date"], plan["issuer"], plan["status"]) == ("2019-04-03", "UBND tỉnh", "missing")
    assert plan["first"] == text.index("Kế hoạch số 98765")
    assert plan["surface"] == "Kế hoạch số 98765/KH-UBND ngày 03/4/2019 của UBND tỉnh"
    assert (law["year"], law["type"]) == (2023, "Luật")


def test_a_law_named_alone_after_its_dated_citation_is_that_missing_document(client):
    """The page counted the law cited twice; the API's `missing` left the name-only repeat out and
    said once. A law named alone and nowhere with its year is still not in `missing`."""
    from lxml import html as lxml_html

    text = ("Căn cứ Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022;\n"
            "Căn cứ Nghị định số 98765/2023/NĐ-CP quy định chi tiết một số điều của Luật Thi đua, khen thưởng;\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương;")
    body = link(client, text)
    laws = [d for d in body["missing_documents"] if d["name"]]
    assert [(d["name"], d["count"], d["date"]) for d in laws] == [("Luật Thi đua, Khen thưởng", 2, "2022-06-15")]
    assert [c["surface"] for c in body["missing"] if c["name"]] == ["Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022",
                                                                   "Luật Thi đua, khen thưởng"]
    tree = lxml_html.fromstring(client.post("/lien-ket", data={"text": text}).text)
    items = [" ".join(li.text_content().split()) for li in tree.xpath("//ul[contains(@class, 'missing')]/li")]
    assert "Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022 chưa có trong kho (trích dẫn 2 lần)" in items


def test_the_web_linker_lists_each_missing_document_once_with_its_count(client):
    from lxml import html as lxml_html

    text = ("Căn cứ Kế hoạch số 98765/KH-UBND; thực hiện Kế hoạch số 098765/KH-UBND, báo cáo theo "
            "Kế hoạch số 98765/KH-UBND và Quyết định số 4444/QĐ-UBND.")  # 098765: the same number
    r = client.post("/lien-ket", data={"text": text})
    assert r.status_code == 200
    tree = lxml_html.fromstring(r.text)
    items = [" ".join(li.text_content().split()) for li in tree.xpath("//ul[contains(@class, 'missing')]/li")]
    assert items == ["Kế hoạch số 98765/KH-UBND chưa có trong kho (trích dẫn 3 lần)",
                     "Quyết định số 4444/QĐ-UBND chưa có trong kho"]
    heading = tree.xpath("//h3[starts-with(normalize-space(), 'Văn bản được trích dẫn chưa có')]")[0].text_content()
    assert heading.strip().endswith("(2)")


def test_the_same_number_cited_with_two_years_links_each_to_its_year(client, by_number):
    """Each distinct citation is resolved once and reused: the year is part of what makes it distinct."""
    number, docs = next((n, ds) for n, ds in by_number.items()
                        if len({d["date"][:4] for d in ds if d.get("date")}) == len(ds) > 1)
    older, newer = sorted(docs, key=lambda d: d["date"])[:2]
    text = f"Kế hoạch số {number} năm {older['date'][:4]}; Kế hoạch số {number} năm {newer['date'][:4]}."
    cits = link(client, text)["citations"]
    assert [c["resolves_to"]["id"] for c in cits] == [older["id"], newer["id"]]
