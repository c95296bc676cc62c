"""The UI in a real Chromium (Debian's, through Playwright) against a real uvicorn server.

search → facet filter → document → follow a citation → link a pasted paragraph (and
download the .docx) → upload with the admin token; screenshots go to bench/reports/ui/.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from .conftest import TOKEN, Watch, upload_on_page

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "bench" / "reports" / "ui"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide at {page.viewport_size['width']}px"


def test_staff_flow(browser, server, tmp_path):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = ctx.new_page()
    watch = Watch(page, server, statuses=(403,))

    # keyboard: the first Tab reaches the skip link, which moves focus to the content
    page.goto(server + "/lien-ket")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"

    # a definition question: the rules that define the term come first, marked, with the clause
    page.goto(server + "/?q=khen+th%C6%B0%E1%BB%9Fng+%C4%91%E1%BB%99t+xu%E1%BA%A5t+l%C3%A0+g%C3%AC")
    first = page.locator("ol.hits li").first
    assert first.locator(".badge.definition").inner_text() == "Định nghĩa"
    assert "đột xuất là" in first.locator("p.snippet").inner_text().lower()
    shot(page, "search-definition")

    # search: the box has the focus, type and press Enter
    page.goto(server + "/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("kế hoạch thi đua")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.hits li")
    assert page.locator("ol.hits li mark").count() > 0
    assert "kế hoạch thi đua" in page.title()
    shot(page, "search")

    # a facet filter
    facet = page.locator("section[aria-labelledby='facet-type'] a", has_text="Báo cáo")
    if facet.count() == 0:
        facet = page.locator("section[aria-labelledby='facet-type'] a")
    value = facet.first.inner_text().split("\n")[0].rsplit(" ", 1)[0].strip()
    facet.first.click()
    page.wait_for_url(re.compile(r"type="))
    assert page.locator("section[aria-labelledby='facet-type'] a[aria-current='true']").count() == 1
    metas = page.locator("ol.hits li p.meta").all_inner_texts()
    assert metas and all(value in m for m in metas)
    shot(page, "search-filtered")

    # open documents until one cites another that is in the archive, then follow that citation
    hrefs = page.locator("ol.hits li h3 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        page.goto(server + href)
        if page.locator(".doc-text a.cite").count():
            break
    else:
        pytest.fail("no result cites a document in the archive")
    assert page.locator("h1").inner_text()
    assert page.locator("dl.card").inner_text()
    assert page.locator("a[href$='/original']").count() == 1
    shot(page, "document")
    toc = page.locator("nav.toc a")
    if toc.count():
        toc.first.click()
        assert page.evaluate("location.hash").startswith("#muc-")
    first_title = page.locator("h1").inner_text()
    cite = page.locator(".doc-text a.cite").first
    target = cite.get_attribute("href")
    cite.click()
    page.wait_for_url(server + target)
    assert page.locator("h1").inner_text() != first_title
    shot(page, "cited-document")

    # link a pasted paragraph
    plan = page.request.get(server + "/api/documents?limit=100").json()["documents"]
    plan = next(d for d in plan if d["type"] == "Kế hoạch" and d["number"])
    y, m, d = plan["date"].split("-")
    paragraph = (f"Căn cứ Kế hoạch số {plan['number']} ngày {int(d)}/{int(m)}/{y} của UBND tỉnh "
                 f"và Kế hoạch số 98765/KH-UBND ngày 01/01/2019 của Sở Nội vụ.")
    page.click("nav a[href='/lien-ket']")
    page.fill("#text", paragraph)
    page.click("form.linker button[type=submit]:not([formaction])")
    page.wait_for_selector("#linked-text")
    assert page.locator(f"#linked-text a.cite[href='/van-ban/{plan['id']}']").count() == 1
    assert page.locator("#linked-text .cite.unresolved").count() == 1
    assert "chưa có trong kho" in page.locator(".link-result").inner_text()
    page.click("#copy-html")
    page.wait_for_function("document.getElementById('copy-status').textContent.length > 0")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert f"/van-ban/{plan['id']}" in copied
    shot(page, "linker")
    with page.expect_download() as dl:
        page.click(".result-actions form button")
    saved = tmp_path / "linked.docx"
    dl.value.save_as(saved)
    import docx

    rels = docx.Document(io.BytesIO(saved.read_bytes())).part.rels.values()
    assert [r.target_ref for r in rels if r.reltype.endswith("/hyperlink")] == [f"{server}/van-ban/{plan['id']}"]

    # upload with the admin token: a wrong one is refused, the right one is kept for the session
    sample = tmp_path / "Thông báo lịch họp.txt"
    sample.write_text("ỦY BAN NHÂN DÂN\nTỈNH BÌNH LAM\nSố: 4321/TB-UBND\nLam Giang, ngày 02 tháng 4 năm 2024\n"
                      "THÔNG BÁO\nVề lịch họp giao ban tháng tư về trình duyệt\n", encoding="utf-8")
    page.click("nav a[href='/tai-len']")
    page.fill("#token", "sai-ma")
    page.set_input_files("#upload-file", str(sample))
    page.click("#upload-button")
    page.wait_for_selector("#upload-error:not([hidden])")
    assert "403" in page.locator("#upload-error").inner_text()
    page.fill("#token", TOKEN)
    page.click("#upload-button")
    page.wait_for_selector("#upload-result:not([hidden])")
    assert page.locator("#upload-progress").evaluate("e => e.value") == 100
    assert page.locator("dd[data-field='number']").inner_text() == "4321/TB-UBND"
    assert page.locator("dd[data-field='date']").inner_text() == "02/04/2024"
    shot(page, "upload")
    page.click("#upload-link")
    page.wait_for_url(re.compile(r"/van-ban/[0-9a-f]{16}$"))
    assert "lịch họp giao ban" in page.locator("h1").inner_text()
    page.goto(server + "/tai-len")
    assert page.input_value("#token") == TOKEN  # sessionStorage
    watch.check()
    ctx.close()


def test_phone_width(browser, server):
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale="vi-VN", is_mobile=True, has_touch=True)
    page = ctx.new_page()
    watch = Watch(page, server, statuses=(403,))
    page.goto(server + "/?q=" + "kế hoạch thi đua")
    page.wait_for_selector("ol.hits li")
    no_sideways_scroll(page)
    assert page.locator("details.facet-box").evaluate("d => d.open") is False  # folded on a phone
    shot(page, "search-375")
    page.locator("ol.hits li h3 a").first.click()
    page.wait_for_selector("h1")
    no_sideways_scroll(page)
    shot(page, "document-375")
    page.goto(server + "/lien-ket")
    no_sideways_scroll(page)
    watch.check()
    ctx.close()


def test_uploading_an_archived_file_says_only_that_it_is_there(browser, server, tmp_path):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = ctx.new_page()
    watch = Watch(page, server, statuses=(403,))
    archived = page.request.get(server + "/api/documents?limit=1").json()["documents"][0]
    again = tmp_path / "ban-sao.bin"
    again.write_bytes(page.request.get(server + f"/api/documents/{archived['id']}/original").body())
    again = again.rename(tmp_path / ("ban-sao" + Path(archived["source"]).suffix))
    page.goto(server + "/tai-len")
    page.fill("#token", TOKEN)
    page.set_input_files("#upload-file", str(again))
    page.click("#upload-button")
    page.wait_for_selector("#upload-result:not([hidden])")
    assert page.locator("#upload-status").inner_text() == "Văn bản đã có trong kho."
    assert page.locator("#upload-duplicate").is_visible()
    assert "Đã thêm" not in page.locator("main").inner_text()
    assert page.locator("#upload-link").inner_text() == "Mở văn bản đã có"
    assert page.locator("#upload-link").get_attribute("href") == f"/van-ban/{archived['id']}"

    # then a new file on the same page: added, and the button says so again
    upload_on_page(page, tmp_path / "Thông báo trực Tết.txt",
                   "ỦY BAN NHÂN DÂN\nTỈNH BÌNH LAM\nSố: 8765/TB-UBND\nLam Giang, ngày 12 tháng 1 năm 2024\n"
                   "THÔNG BÁO\nVề lịch trực Tết Nguyên đán tại cơ quan\n")
    page.wait_for_function("document.getElementById('upload-link').textContent === 'Mở văn bản vừa tải lên'")
    assert page.locator("#upload-status").inner_text() == "Đã thêm vào kho."
    assert not page.locator("#upload-duplicate").is_visible()
    watch.check()
    ctx.close()


def test_a_skip_link_takes_the_keyboard_past_the_facets_to_the_results(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = ctx.new_page()
    watch = Watch(page, server, statuses=(403,))
    page.goto(server + "/?q=" + "kế hoạch thi đua")
    page.wait_for_selector("ol.hits li")
    skip = page.locator("a.skip-results")
    assert not skip.is_visible() or skip.bounding_box()["width"] <= 1  # hidden until focused
    # from the top of the main content (where the page's own skip link lands), one Tab
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Bỏ qua đến kết quả"
    box = skip.bounding_box()
    assert box["width"] > 50 and box["height"] > 10  # shown, where the focus is
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y) === document.activeElement",
                         [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "ket-qua"
    assert page.evaluate("document.activeElement.tagName") == "OL"
    page.keyboard.press("Tab")  # the next stop is the first result, not a facet
    first = page.locator("ol.hits li h3 a").first.get_attribute("href")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    watch.check()
    ctx.close()
