"""QA round 9 on the UI: jump links to the related lists, the table of contents marking the
section being read, bold headings in the text, a text card no taller than its text, upload
errors in Vietnamese only, a search box on the error page, an accurate search button.

Page structure through TestClient + lxml; what needs JavaScript or layout in a real Chromium
(Debian's, through Playwright) against a real uvicorn server, marked `browser`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from indexer.settings import Settings
from service.app import create_app

from tests.conftest import index_files

from .conftest import TOKEN, browsing, page, upload_on_page

RELATED = {  # section id → its heading
    "van-ban-duoc-trich-dan": "Văn bản được trích dẫn",
    "duoc-trich-dan-boi": "Được trích dẫn bởi",
    "cung-phong-trao": "Cùng phong trào qua các năm",
    "van-ban-tuong-tu": "Văn bản tương tự",
}


def words(el) -> str:
    return " ".join(el.text_content().split())


@pytest.fixture(scope="module")
def catalogue(ui_client) -> list[dict]:
    """Every demo document as listed (no text)."""
    docs, n = [], 1
    while batch := ui_client.get("/api/documents", params={"limit": 100, "page": n}).json()["documents"]:
        docs += batch
        n += 1
    return docs


@pytest.fixture(scope="module")
def decree(ui_client, catalogue) -> dict:
    """A demo decision whose table of contents has chapters (“Chương I”) and articles (“Điều 1.”)."""
    for d in catalogue:
        if d["type"] != "Quyết định":
            continue
        doc = ui_client.get(f"/api/documents/{d['id']}").json()
        titles = [s["title"] for s in doc["sections"] or []]
        if any(t.startswith("Chương") for t in titles) and sum(t.startswith("Điều") for t in titles) >= 6:
            return doc
    pytest.fail("the demo archive has no decision with chapters and articles")


@pytest.fixture(scope="module")
def tiny_client(tmp_path_factory):
    """An archive of a notice with a title but no number, and a note with neither."""
    data = index_files(tmp_path_factory.mktemp("qa9"), {
        "2021/thong-bao-truc-tet.txt": "ỦY BAN NHÂN DÂN\nTỈNH BÌNH LAM\nLam Giang, ngày 12 tháng 1 năm 2021\nTHÔNG BÁO\n"
                                       "Về lịch trực Tết Nguyên đán tại cơ quan\nCác phòng bố trí lịch trực.\n",
        "2021/ghi-chu.txt": "Ghi chú\nLam Giang, ngày 05 tháng 3 năm 2021\nNội dung ghi chú.\n"})
    with TestClient(create_app(Settings(data=data, ocr=False))) as c:
        yield c


# --- 1. jump links to the related lists --------------------------------------------------------


def test_the_header_links_to_each_related_list_with_its_count(ui_client, rich_doc):
    tree = page(ui_client.get(f"/van-ban/{rich_doc['id']}"))
    nav = tree.xpath("//header[@class='doc-head']/nav[@class='jump']")
    assert len(nav) == 1
    assert nav[0].getprevious().get("class") == "actions"  # right after the buttons
    assert words(nav[0]).startswith("Liên quan:")
    links = {a.get("href")[1:]: words(a) for a in nav[0].xpath(".//a")}
    present = tree.xpath("//aside[@class='related']/section/@id")
    assert sorted(present) == sorted(links) and set(links) <= set(RELATED)  # every list there, and only those
    assert "cung-phong-trao" in links  # this one has a campaign timeline
    for id_, text in links.items():
        assert text.startswith(RELATED[id_])
        heading = tree.xpath(f"//section[@id='{id_}']/h2")[0]
        assert words(heading).startswith(RELATED[id_])
    assert links["duoc-trich-dan-boi"] == f"Được trích dẫn bởi ({len(rich_doc['cited_by'])})"
    cited = words(tree.xpath("//section[@id='van-ban-duoc-trich-dan']/h2/span[@class='count']")[0])
    assert links["van-ban-duoc-trich-dan"] == f"Văn bản được trích dẫn ({cited})"
    # the links come before the text, which on a phone comes before the related lists
    assert tree.xpath("//section[@class='doc-text']/preceding::nav[@class='jump']")


def test_a_list_not_on_the_page_is_not_linked(tiny_client):
    doc = tiny_client.get("/api/documents", params={"limit": 10}).json()["documents"][0]
    tree = page(tiny_client.get(f"/van-ban/{doc['id']}"))
    assert not tree.xpath("//section[@id='cung-phong-trao']")
    hrefs = tree.xpath("//nav[@class='jump']//a/@href")
    assert hrefs and "#cung-phong-trao" not in hrefs
    assert all(tree.xpath(f"//section[@id='{h[1:]}']") for h in hrefs)


# --- 3. headings in bold -----------------------------------------------------------------------


def test_the_headings_in_the_text_are_marked_bold(ui_client, decree):
    tree = page(ui_client.get(f"/van-ban/{decree['id']}"))
    toc = tree.xpath("//nav[@class='toc']//a/@href")
    assert len(toc) >= 7
    text = decree["text"]
    for href in toc:
        start = int(href.removeprefix("#muc-"))
        line = text[start:].split("\n", 1)[0].strip()
        section = tree.xpath(f"//section[@id='{href[1:]}']")[0]
        strong = section.xpath("./strong[@class='heading']")
        assert len(strong) == 1 and words(strong[0]) == " ".join(line.split()), href
        assert section.text is None  # the heading opens the section
    # the preamble (no heading) and the text around the headings stay plain
    assert len(tree.xpath("//section[@class='doc-text']//strong[@class='heading']")) == len(toc)
    css = (Path(__file__).resolve().parents[2] / "web" / "static" / "style.css").read_text(encoding="utf-8")
    assert ".part .heading{font-weight:700}" in css


# --- 6. a search box on the error page --------------------------------------------------------


def test_the_error_page_has_a_search_box(ui_client):
    r = ui_client.get("/van-ban/khong-co-van-ban-nay")
    assert r.status_code == 404
    tree = page(r)
    form = tree.xpath("//main//form[@role='search']")
    assert len(form) == 1
    assert form[0].get("action") == "/" and form[0].get("method") == "get"
    box = form[0].xpath(".//input[@name='q']")[0]
    label = tree.xpath(f"//label[@for='{box.get('id')}']")
    assert label and "Tìm" in words(label[0])
    assert form[0].xpath(".//button[@type='submit']")
    # what was there stays: the message, a way back; the code is kept, small
    assert tree.xpath("//p[@role='alert']") and tree.xpath("//main//a[@href='/']")
    code = tree.xpath("//p[@class='status-code']")
    assert [words(c) for c in code] == ["Mã lỗi: 404"]
    assert "Mã lỗi" not in " ".join(words(p) for p in tree.xpath("//main//p[not(@class='status-code')]"))


def test_the_error_page_for_a_number_not_archived_searches_for_it(ui_client, demo_catalog):
    number = next(c["number"] for d in demo_catalog for c in d.get("citations") or []
                  if c.get("number") and not c.get("in_archive"))
    tree = page(ui_client.get(f"/van-ban/{number}"))
    assert tree.xpath("//form[@role='search']//input[@name='q']/@value") == [number]


def test_no_search_box_when_there_is_no_index(tmp_path):
    with TestClient(create_app(Settings(data=tmp_path / "empty"))) as c:
        r = c.get("/", params={"q": "thi đua"})
    assert r.status_code == 503
    assert not page(r).xpath("//form[@role='search']")


# --- 7. the search button says what it searches for ------------------------------------------


def test_the_search_button_names_the_number(ui_client, rich_doc):
    tree = page(ui_client.get(f"/van-ban/{rich_doc['id']}"))
    button = tree.xpath("//p[@class='actions']/a[contains(@class, 'secondary')]")
    assert [words(b) for b in button] == ["Tìm văn bản nhắc đến số này"]
    assert parse_qs(urlsplit(button[0].get("href")).query)["q"] == [rich_doc["number"]]
    assert "Tìm văn bản liên quan" not in tree.text_content()


def test_the_search_button_without_a_number_names_the_title(tiny_client):
    docs = {d["source"].rsplit("/", 1)[-1]: d for d in tiny_client.get("/api/documents").json()["documents"]}
    notice, note = docs["thong-bao-truc-tet.txt"], docs["ghi-chu.txt"]
    assert notice["number"] is None and notice["title"] and note["number"] is None and note["title"] is None
    tree = page(tiny_client.get(f"/van-ban/{notice['id']}"))
    button = tree.xpath("//p[@class='actions']/a[contains(@class, 'secondary')]")
    assert [words(b) for b in button] == ["Tìm văn bản cùng trích yếu"]
    assert parse_qs(urlsplit(button[0].get("href")).query)["q"] == [notice["title"]]
    # nothing to search for: no button (it used to search for nothing)
    tree = page(tiny_client.get(f"/van-ban/{note['id']}"))
    assert not tree.xpath("//p[@class='actions']/a[contains(@class, 'secondary')]")


# --- in Chromium -------------------------------------------------------------------------------


def marked(page) -> list[str]:
    return page.locator(".toc a[aria-current='location']").evaluate_all("els => els.map(e => e.getAttribute('href'))")


@pytest.mark.browser
def test_the_contents_mark_the_clicked_section_not_the_next(browser, server, decree):
    with browsing(browser, server, width=1280, height=900) as (page, watch):
        page.goto(f"{server}/van-ban/{decree['id']}")
        links = page.locator("nav.toc a[href^='#muc-']")
        hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
        names = links.all_inner_texts()
        # a chapter heading is one line, its first article right below: the case that marked the next
        chapter = next(i for i, name in enumerate(names) if name.startswith("Chương"))
        for i in dict.fromkeys([chapter, chapter + 1, 2, len(hrefs) // 2, len(hrefs) - 1]):
            links.nth(i).click()
            page.wait_for_function("h => location.hash === h", arg=hrefs[i])
            page.wait_for_timeout(150)  # scroll events settle
            assert marked(page) == [hrefs[i]], (i, hrefs[i])
        # reading on: scrolling to a section marks it
        target = hrefs[len(hrefs) // 3]
        page.evaluate("id => document.getElementById(id).scrollIntoView()", target[1:])
        page.wait_for_function("h => (document.querySelector(\".toc a[aria-current='location']\") || {}).hash === h", arg=target)
        page.wait_for_timeout(150)
        assert marked(page) == [target]
        # and the headings read bold
        weight = page.locator(f"section{target} > strong.heading").evaluate("e => getComputedStyle(e).fontWeight")
        assert int(weight) >= 700
        watch.check()


@pytest.mark.browser
def test_a_failed_upload_hides_the_progress_bar_and_speaks_vietnamese(browser, server, tmp_path):
    with browsing(browser, server, width=1280, height=900, statuses=(415, 422)) as (page, watch):
        page.goto(server + "/tai-len")
        page.fill("#token", TOKEN)
        upload_on_page(page, tmp_path / "fake.pdf", b"this is not a PDF at all\n" * 40)
        page.wait_for_selector("#upload-error:not([hidden])")
        assert not page.locator("#progress-wrap").is_visible()
        assert page.locator("#upload-progress").evaluate("e => e.value") == 0
        error = page.locator("#upload-error")
        message = error.evaluate("e => e.firstChild.textContent")
        assert message == "fake.pdf: tệp bị hỏng hoặc không đúng định dạng"  # not "— the content is not a .pdf file…"
        assert "(mã" not in error.inner_text()
        assert error.locator(".error-code").inner_text() == "Mã lỗi: 422"
        assert not page.locator("#upload-result").is_visible()

        # a type not supported: the English in parentheses goes, the list of types stays
        upload_on_page(page, tmp_path / "bang-ke.xyz", "không phải văn bản")
        page.wait_for_function("document.getElementById('upload-error').textContent.includes('bang-ke.xyz')")
        message = error.evaluate("e => e.firstChild.textContent")
        assert message.startswith("bang-ke.xyz: định dạng .xyz chưa hỗ trợ; dùng ") and ".docx" in message
        assert "not supported" not in message and not message.endswith(")")
        assert not page.locator("#progress-wrap").is_visible()

        # then a good file: the bar is back, full
        upload_on_page(page, tmp_path / "Thông báo họp.txt",
                       "ỦY BAN NHÂN DÂN\nTỈNH BÌNH LAM\nSố: 5432/TB-UBND\nLam Giang, ngày 03 tháng 4 năm 2024\n"
                       "THÔNG BÁO\nVề lịch họp giao ban quý hai\n")
        page.wait_for_selector("#upload-result:not([hidden])")
        assert page.locator("#upload-error").is_hidden()
        assert page.locator("#progress-wrap").is_visible()
        assert page.locator("#upload-progress").evaluate("e => e.value") == 100
        watch.check()


@pytest.mark.browser
def test_on_a_phone_the_related_lists_are_a_tap_away_from_the_top(browser, server, rich_doc):
    with browsing(browser, server, width=375, height=812, is_mobile=True, has_touch=True) as (page, watch):
        page.goto(f"{server}/van-ban/{rich_doc['id']}")
        link = page.locator("nav.jump a[href='#duoc-trich-dan-boi']")
        assert link.is_visible()
        box, text = link.bounding_box(), page.locator("section.doc-text").bounding_box()
        assert box["y"] + box["height"] <= text["y"], (box, text)  # above the text
        assert box["y"] < 812 * 1.5
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        link.tap()
        page.wait_for_function("location.hash === '#duoc-trich-dan-boi'")
        page.wait_for_timeout(150)
        top = page.locator("#duoc-trich-dan-boi").evaluate("e => e.getBoundingClientRect().top")
        assert 0 <= top <= 40
        watch.check()


@pytest.mark.browser
def test_on_a_desktop_the_text_card_is_as_tall_as_its_text(browser, server, catalogue):
    """A short text beside a long related column: the card ends with the text, no white box below."""
    with browsing(browser, server, width=1280, height=900) as (page, watch):
        measure = """e => {
            const h = () => e.getBoundingClientRect().height, shown = h();
            e.style.alignSelf = 'start'; const natural = h();
            e.style.alignSelf = 'stretch'; const stretched = h();
            e.style.alignSelf = '';
            return [shown, natural, stretched];
        }"""
        for d in [d for d in catalogue if d["type"] == "Kế hoạch"][:15]:  # short plans, in a campaign
            page.goto(f"{server}/van-ban/{d['id']}")
            shown, natural, stretched = page.locator("section.doc-text").evaluate(measure)
            if stretched > natural + 200:  # the related column is the taller: where the white box was
                break
        else:
            pytest.fail("no short demo document has a related column taller than its text")
        assert abs(shown - natural) < 1, (d["id"], shown, natural, stretched)
        watch.check()
