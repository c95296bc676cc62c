"""Every page of the web UI and its errors, through TestClient on the real app and a real index."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html as lhtml

from service.routers.pages import campaign_key, ngay, page_numbers, table_of_contents

from .conftest import TOKEN, page, texts


# --- layout shared by every page ------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/?q=thi+đua", "/lien-ket", "/tai-len"])
def test_every_page_is_vietnamese_accessible_and_local(ui_client, path):
    r = ui_client.get(path)
    assert r.status_code == 200
    tree = page(r)
    assert tree.get("lang") == "vi"
    assert tree.xpath("//main[@id='noi-dung']") and tree.xpath("//header") and tree.xpath("//nav[@aria-label]")
    assert tree.xpath("//a[@class='skip' and @href='#noi-dung']")
    assert tree.xpath("//meta[@name='viewport']")
    # every form control has a label
    for ctl in tree.xpath("//input[not(@type='hidden')] | //select | //textarea[not(@hidden)]"):
        assert ctl.get("id") and tree.xpath(f"//label[@for='{ctl.get('id')}']"), lhtml.tostring(ctl)
    # nothing loaded from elsewhere: no CDN
    for url in tree.xpath("//script/@src | //link/@href | //img/@src"):
        assert url.startswith("/static/"), url
    # the current page is marked in the navigation
    assert tree.xpath("//nav//a[@aria-current='page']")


def test_static_files_are_served(ui_client):
    for name, kind in (("style.css", "text/css"), ("app.js", "javascript"), ("favicon.svg", "image/svg")):
        r = ui_client.get(f"/static/{name}")
        assert r.status_code == 200 and kind in r.headers["content-type"]


# --- search ------------------------------------------------------------------------------------


def test_search_page_without_query_shows_examples_and_recent(ui_client):
    tree = page(ui_client.get("/"))
    examples = tree.xpath("//p[@class='examples']/a")
    assert len(examples) >= 3
    href = examples[0].get("href")
    assert parse_qs(urlsplit(href).query)["q"][0] == examples[0].text_content()
    number = examples[3].text_content()  # the number example is one of this archive's (1460/KH-UBND is not)
    assert ui_client.get("/api/search", params={"q": number}).json()["total"] > 0
    assert number in {d["number"] for d in ui_client.get("/api/documents", params={"limit": 100}).json()["documents"]}
    assert tree.xpath("//section[@class='recent']//li/a[starts-with(@href, '/van-ban/')]")
    assert "Cách tìm" in tree.text_content()


def test_search_results_show_metadata_snippet_and_section(ui_client):
    r = ui_client.get("/", params={"q": "kế hoạch thi đua"})
    assert r.status_code == 200
    tree = page(r)
    api = ui_client.get("/api/search", params={"q": "kế hoạch thi đua"}).json()
    hits = tree.xpath("//ol[@class='hits']/li")
    assert len(hits) == len(api["hits"]) == 10
    for li, h in zip(hits, api["hits"]):
        link = li.xpath(".//h3/a")[0]
        assert link.get("href") == f"/van-ban/{h['id']}" and link.text_content() == h["title"]
        meta = " ".join(li.xpath(".//p[@class='meta']")[0].text_content().split())
        for value in (h["number"], h["type"], h["issuer"]):
            assert value is None or value in meta
        if h["date"]:
            assert ngay(h["date"]) in meta
        # the snippet is the library's escaped HTML, rendered as markup (not re-escaped)
        snippet = li.xpath(".//p[@class='snippet']")[0]
        assert lhtml.tostring(snippet, encoding="unicode").count("<mark>") == h["snippet"].count("<mark>")
        if h["section"]:
            sec = li.xpath(".//p[@class='section-name']/a")[0]
            assert sec.get("href") == f"/van-ban/{h['id']}#muc-{h['section']['start']}"
    assert "&lt;mark&gt;" not in r.text
    assert f"{api['total']} văn bản" in tree.xpath("//h2[@id='results-title']")[0].text_content()


def test_facets_are_filter_links_with_counts(ui_client):
    tree = page(ui_client.get("/", params={"q": "thi đua"}))
    api = ui_client.get("/api/search", params={"q": "thi đua"}).json()
    for name in ("type", "issuer", "year"):
        links = tree.xpath(f"//section[@aria-labelledby='facet-{name}']//a")
        assert len(links) == len(api["facets"][name])
        for a in links:
            value = parse_qs(urlsplit(a.get("href")).query)[name][0]
            count = a.xpath(".//span[contains(@class,'count')]")[0].text_content()
            assert int(re.sub(r"\D", "", count)) == api["facets"][name][value]
    # follow one: every hit has that type and the total is the facet's count
    value, count = next(iter(api["facets"]["type"].items()))
    r = ui_client.get("/", params={"q": "thi đua", "type": value})
    tree = page(r)
    assert f"{count} văn bản" in tree.xpath("//h2[@id='results-title']")[0].text_content()
    active = tree.xpath("//section[@aria-labelledby='facet-type']//a[@aria-current='true']")
    assert active and value in active[0].text_content()
    assert "type" not in parse_qs(urlsplit(active[0].get("href")).query)  # clicking again removes it
    chip = tree.xpath("//ul[@class='chips']")[0].text_content()
    assert value in chip


def test_a_chosen_facet_still_lists_its_other_values(ui_client):
    """After a click on "Quyết định" the type panel showed only "Quyết định 7": switching to
    another type took removing the chip first. Other panels count within the choice."""
    api = ui_client.get("/api/search", params={"q": "thi đua"}).json()
    value, other = list(api["facets"]["type"])[:2]
    tree = page(ui_client.get("/", params={"q": "thi đua", "type": value}))
    links = tree.xpath("//section[@aria-labelledby='facet-type']//a")
    shown = {parse_qs(urlsplit(a.get("href")).query).get("type", [value])[0]: a for a in links}
    assert set(shown) == set(api["facets"]["type"])
    switch = parse_qs(urlsplit(shown[other].get("href")).query)
    assert switch["type"] == [other] and switch["q"] == ["thi đua"]
    within = ui_client.get("/api/search", params={"q": "thi đua", "type": value}).json()["facets"]["year"]
    years = tree.xpath("//section[@aria-labelledby='facet-year']//a")
    assert len(years) == len(within)


def test_date_range_sort_and_paging(ui_client):
    params = {"q": "thi đua", "date_from": "2018-01-01", "date_to": "2020-12-31", "sort": "date"}
    tree = page(ui_client.get("/", params=params))
    dates = [t.get("datetime") for t in tree.xpath("//ol[@class='hits']//time")]
    assert dates and all("2018-01-01" <= d <= "2020-12-31" for d in dates)
    assert dates == sorted(dates, reverse=True)
    assert tree.xpath("//input[@id='date_from']/@value") == ["01/01/2018"]  # day first, as staff write dates
    assert tree.xpath("//select[@id='sort']/option[@selected]/@value") == ["date"]

    first = page(ui_client.get("/", params={"q": "thi đua"}))
    nxt = first.xpath("//nav[@class='pager']//a[@rel='next']")[0].get("href")
    second = page(ui_client.get(nxt))
    assert second.xpath("//nav[@class='pager']//a[@aria-current='page']")[0].text_content() == "2"
    ids1 = set(first.xpath("//ol[@class='hits']//h3/a/@href"))
    ids2 = set(second.xpath("//ol[@class='hits']//h3/a/@href"))
    assert ids1 and ids2 and not ids1 & ids2
    assert second.xpath("//ol[@class='hits']/@start") == ["11"]


def test_a_page_past_the_end_shows_the_last_page(ui_client):
    tree = page(ui_client.get("/", params={"q": "thi đua", "page": "999"}))
    assert tree.xpath("//ol[@class='hits']/li")
    current = tree.xpath("//nav[@class='pager']//a[@aria-current='page']")[0].text_content()
    assert "trang " + current + "/" + current in tree.xpath("//h2[@id='results-title']")[0].text_content()


@pytest.mark.parametrize("sort, reverse", [("date_asc", False), ("date", True)])
def test_sorted_by_date(ui_client, sort, reverse):
    r = ui_client.get("/", params={"q": "thi đua", "sort": sort})
    assert r.status_code == 200
    dates = [t.get("datetime") for t in page(r).xpath("//ol[@class='hits']//time")]
    assert dates and dates == sorted(dates, reverse=reverse)
    api = ui_client.get("/api/search", params={"q": "thi đua", "sort": sort}).json()
    assert [h["date"] for h in api["hits"]] == sorted((h["date"] for h in api["hits"]), reverse=reverse)
    assert all(h["score"] is None for h in api["hits"])


def test_filters_without_query_browse_the_archive(ui_client):
    tree = page(ui_client.get("/", params={"year": "2019"}))
    dates = [t.get("datetime") for t in tree.xpath("//ol[@class='hits']//time")]
    assert dates and all(d.startswith("2019") for d in dates)


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"q": '"thi đua'}, "ngoặc kép"),
        ({"q": "thi đua", "date_from": "2019-02-30"}, "Ngày"),
        ({"q": "thi đua", "sort": "random"}, "sort"),
        ({"q": "x", "date_from": "2020-01-01", "date_to": "2019-01-01"}, "ngày bắt đầu sau ngày kết thúc"),
    ],
)
def test_bad_query_shows_the_message_in_the_page(ui_client, params, fragment):
    r = ui_client.get("/", params=params)
    assert r.status_code == 400
    tree = page(r)
    alert = tree.xpath("//*[@role='alert']")[0].text_content()
    assert fragment in alert
    assert tree.xpath("//input[@id='q']/@value") == [params["q"]]  # the query stays to be fixed


def test_page_messages_are_in_vietnamese_only(ui_client):
    """The API's message ends with its English sentence; the page shows the Vietnamese one."""
    params = {"q": "x", "date_from": "2020-01-01", "date_to": "2019-01-01"}
    api = ui_client.get("/api/search", params=params).json()["detail"]
    assert api.endswith("(date_from is after date_to.)")
    alert = page(ui_client.get("/", params=params)).xpath("//*[@role='alert']")[0].text_content()
    assert "date_from is after" not in alert and "ngày bắt đầu sau ngày kết thúc." in alert
    r = ui_client.post("/lien-ket", files={"file": ("hỏng.pdf", b"%PDX not a pdf at all", "application/pdf")})
    alert = " ".join(page(r).xpath("//*[@role='alert']")[0].text_content().split())
    assert r.status_code == 422 and alert.startswith("hỏng.pdf: tệp bị hỏng") and "damaged" not in alert


def test_dates_are_typed_day_first(ui_client):
    """The date fields are text in dd/mm/yyyy (a browser's date picker shows mm/dd in English
    locales); what staff type is what the filter uses."""
    tree = page(ui_client.get("/", params={"q": "thi đua", "date_from": "05/03/2019", "date_to": "31/12/2019"}))
    field = tree.xpath("//input[@id='date_from']")[0]
    assert field.get("type") == "text" and field.get("placeholder") == "dd/mm/yyyy" and field.get("value") == "05/03/2019"
    dates = [t.get("datetime") for t in tree.xpath("//ol[@class='hits']//time")]
    assert dates and all("2019-03-05" <= d <= "2019-12-31" for d in dates)
    assert "Từ ngày: 05/03/2019" in " ".join(tree.xpath("//ul[@class='chips']")[0].text_content().split())


@pytest.mark.parametrize("typed_from, typed_to, first, last", [
    ("01-03-2019", "31.12.2019", "2019-03-01", "2019-12-31"),
    ("3/2019", "2019", "2019-03-01", "2019-12-31"),  # a month, a year: from its first day, to its last
])
def test_the_date_fields_take_the_ways_staff_write_dates(ui_client, typed_from, typed_to, first, last):
    """No browser pattern (its tooltip is in the browser's language, "Please match the requested
    format"): what staff type is read, and a date that cannot be read gets a Vietnamese message."""
    tree = page(ui_client.get("/", params={"q": "thi đua", "date_from": typed_from, "date_to": typed_to}))
    assert not tree.xpath("//input[@id='date_from']/@pattern") and not tree.xpath("//input[@id='date_to']/@pattern")
    dates = [t.get("datetime") for t in tree.xpath("//ol[@class='hits']//time")]
    assert dates and all(first <= d <= last for d in dates)
    r = ui_client.get("/", params={"q": "thi đua", "date_from": "31/2/2019"})
    alert = " ".join(page(r).xpath("//*[@role='alert']")[0].text_content().split())
    assert r.status_code == 400 and "Ngày không hợp lệ ở Từ ngày" in alert and "Invalid" not in alert


def test_an_unarchived_number_says_the_hits_only_cite_it(ui_client):
    """Searching a number the archive lacks: the page says so above the documents that cite it;
    an archived number gets no such note."""
    archived = plan_citation(ui_client)[0]["number"]
    tree = page(ui_client.get("/", params={"q": "98106/KH-SNV"}))
    note = " ".join(tree.xpath("//p[@class='not-archived']")[0].text_content().split())
    assert "Kho chưa có văn bản mang số 98106/KH-SNV, và chưa văn bản nào trong kho trích dẫn số này." in note
    assert not tree.xpath("//aside[@class='facets']")  # no empty "Lọc kết quả" panel without hits
    assert ui_client.get("/api/search", params={"q": "98106/kh-snv"}).json()["number_not_archived"] == "98106/KH-SNV"
    assert ui_client.get("/api/search", params={"q": archived}).json()["number_not_archived"] is None
    assert ui_client.get("/api/search", params={"q": "98106/KH-SNV thi đua"}).json()["number_not_archived"] is None
    assert not page(ui_client.get("/", params={"q": archived})).xpath("//p[@class='not-archived']")
    # a number the demo archive cites but lacks: its citers are listed under the note
    docs = ui_client.get("/api/documents", params={"limit": 100}).json()["documents"]
    cited = (c for d in docs for c in ui_client.get(f"/api/documents/{d['id']}").json()["citations"]
             if c["status"] == "missing" and c["number"] and "/" in c["number"])
    number = next(cited)["number"]
    tree = page(ui_client.get("/", params={"q": number}))
    note = " ".join(tree.xpath("//p[@class='not-archived']")[0].text_content().split())
    assert note.startswith(f"Kho chưa có văn bản mang số {number}. Các kết quả dưới đây trích dẫn số này")
    assert tree.xpath("//ol[@class='hits']/li")


def test_a_relaxed_question_links_to_the_documents_with_every_word(hostile_client):
    """A long question that few documents hold in full is relaxed; the note links to just those
    (the plan has "thử nghiệm", the report that closed it does not)."""
    q = "thử nghiệm bảo mật chữ ký số"
    relaxed = hostile_client.get("/api/search", params={"q": q}).json()
    strict = hostile_client.get("/api/search", params={"q": q, "all_words": "true"}).json()
    assert relaxed["relaxed"] and relaxed["complete"] == 1 and relaxed["total"] == 2
    assert not strict["relaxed"] and [h["number"] for h in strict["hits"]] == ["412/KH-UBND"]
    tree = page(hostile_client.get("/", params={"q": q}))
    link = tree.xpath("//p[@class='relaxed']/a")[0]
    assert link.text_content() == "Chỉ xem 1 văn bản chứa đủ mọi từ"
    # the count is of documents with some of the words, and says so
    assert " ".join(tree.xpath("//h2[@id='results-title']")[0].text_content().split()) == f"2 văn bản chứa một phần các từ của “{q}”"
    strict_page = page(hostile_client.get(link.get("href")))
    assert " ".join(strict_page.xpath("//h2[@id='results-title']")[0].text_content().split()) == f"1 văn bản cho “{q}”"
    assert [" ".join(n.text_content().split()) for n in strict_page.xpath("//ol[@class='hits']//span[@class='number']")] == ["412/KH-UBND"]
    back = strict_page.xpath("//p[@class='relaxed']/a")[0]
    assert "nhiều từ nhất" in back.text_content() and "du=" not in back.get("href")


def test_the_number_examples_come_from_the_archive(ui_client):
    """The help's number examples are a number of the archive, written in full and loosely, and
    both find that document first; the year example filters by year."""
    tree = page(ui_client.get("/"))
    shown = [parse_qs(urlsplit(h).query)["q"][0] for h in tree.xpath("//section[@class='syntax']//a/@href")]
    number, loose = shown[:2]
    assert re.fullmatch(r"\d+/[^/\s]+-[^/\s]+", number) and loose == loose.lower() and number.split("/")[0] in loose
    firsts = [ui_client.get("/api/search", params={"q": q}).json()["hits"][0]["number"] for q in (number, loose)]
    assert firsts == [number, number]
    assert "bằng khen nam:2019" in tree.xpath("//p[@id='q-help']/a/text()")
    years = {h["date"][:4] for h in ui_client.get("/api/search", params={"q": "khen nam:2019"}).json()["hits"]}
    assert years == {"2019"}
    # the no-results help does not swap the user's query for an unrelated example
    none = page(ui_client.get("/", params={"q": "zzzqqq"}))
    assert not none.xpath("//div[@class='help']//a[contains(@href, 'ke+hoach')]")


def test_page_number_that_is_not_a_number_is_page_one(ui_client):
    r = ui_client.get("/", params={"q": "thi đua", "page": "abc"})
    assert r.status_code == 200 and "trang 1/" in r.text


def test_empty_results_give_help(ui_client):
    r = ui_client.get("/", params={"q": "xyzzyqqq"})
    assert r.status_code == 200
    tree = page(r)
    assert "Không tìm thấy văn bản nào" in tree.xpath("//h2[@id='results-title']")[0].text_content()
    help_text = tree.xpath("//div[@class='help']")[0].text_content()
    assert "không dấu" in help_text and "1460/KH-UBND" in help_text


def test_a_typo_is_searched_corrected_and_the_words_as_typed_are_a_click_away(ui_client):
    """No document holds every word typed: the page lists the correction's hits, says so, and
    links to the search as typed, where "Có phải bạn muốn tìm …" offers the correction."""
    tree = page(ui_client.get("/", params={"q": "kế hoạh thi đua"}))  # a typo the archive can correct
    note = " ".join(tree.xpath("//p[@class='corrected']")[0].text_content().split())
    assert note.startswith("Không có văn bản chứa đủ các từ “kế hoạh thi đua”; đã tìm theo kế hoạch thi đua.")
    assert tree.xpath("//ol[@class='hits']/li") and "cho “kế hoạch thi đua”" in tree.xpath("//h2[@id='results-title']")[0].text_content()
    assert tree.xpath("//input[@id='q']/@value") == ["kế hoạh thi đua"]  # the box keeps what was typed
    as_typed = page(ui_client.get(tree.xpath("//p[@class='corrected']/a")[0].get("href")))
    assert not as_typed.xpath("//ol[@class='hits']/li") and not as_typed.xpath("//p[@class='corrected']")
    link = as_typed.xpath("//p[@class='suggestion']/a")[0]
    assert "Có phải bạn muốn tìm" in as_typed.xpath("//p[@class='suggestion']")[0].text_content()
    assert parse_qs(urlsplit(link.get("href")).query)["q"] == ["kế hoạch thi đua"]


@pytest.mark.parametrize("value, expected", [("kế hoạch", "kế hoạch"), ({"q": "kế hoạch", "total": 3}, "kế hoạch"),
                                             ("", None), (None, None), (3, None)])
def test_suggestion_text(value, expected):
    from service.routers.pages import suggestion_text

    assert suggestion_text(value) == expected


def test_no_suggestion_without_one(ui_client):
    assert "Có phải bạn muốn tìm" not in ui_client.get("/", params={"q": "thi đua"}).text


def test_page_numbers():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 5) == [1, 2, 3, None, 5]
    assert page_numbers(6, 20) == [1, None, 4, 5, 6, 7, 8, None, 20]


# --- document page -----------------------------------------------------------------------------


def test_document_page(ui_client, rich_doc):
    r = ui_client.get(f"/van-ban/{rich_doc['id']}")
    assert r.status_code == 200
    tree = page(r)
    assert tree.xpath("//h1")[0].text_content() == rich_doc["title"]
    card = " ".join(tree.xpath("//dl[@class='card']")[0].text_content().split())
    for value in (rich_doc["number"], rich_doc["type"], rich_doc["issuer"], ngay(rich_doc["date"])):
        assert value in card
    assert tree.xpath(f"//a[@href='/api/documents/{rich_doc['id']}/original']")
    assert ui_client.get(f"/api/documents/{rich_doc['id']}/original").status_code == 200
    # the whole text is there, cut into anchored sections the table of contents points at
    body = tree.xpath("//section[@class='doc-text']")[0].text_content()
    assert " ".join(rich_doc["text"].split())[:300] in " ".join(body.split())
    anchors = set(tree.xpath("//section[@class='doc-text']/section/@id"))
    toc = tree.xpath("//nav[@class='toc']//a/@href")
    assert toc and all(h[1:] in anchors for h in toc)
    # what it cites: resolved ones link to their page, the rest are marked
    cites = tree.xpath("//section[@aria-labelledby='cites-title']//li")
    for c in rich_doc["citations"]:
        if c["resolves_to"]:
            assert tree.xpath(f"//section[@aria-labelledby='cites-title']//a[@href='/van-ban/{c['resolves_to']['id']}']")
            assert tree.xpath(f"//section[@class='doc-text']//a[@class='cite' and @href='/van-ban/{c['resolves_to']['id']}']")
    assert any("chưa có trong kho" in li.text_content() for li in cites)
    # who cites it
    for d in rich_doc["cited_by"]:
        assert tree.xpath(f"//section[@aria-labelledby='citedby-title']//a[@href='/van-ban/{d['id']}']")
    # similar documents and the campaign across years
    assert tree.xpath("//section[@aria-labelledby='similar-title']//a[starts-with(@href, '/van-ban/')]")
    years = texts(tree, "//ol[@class='timeline']/li/span[@class='year']")
    assert len(years) >= 2 and years == sorted(years)
    assert rich_doc["date"][:4] in years
    assert tree.xpath("//ol[@class='timeline']//*[@aria-current='page']")


def test_following_a_citation_opens_the_cited_document(ui_client, rich_doc):
    target = next(c["resolves_to"] for c in rich_doc["citations"] if c["resolves_to"])
    tree = page(ui_client.get(f"/van-ban/{rich_doc['id']}"))
    href = tree.xpath("//section[@class='doc-text']//a[@class='cite']/@href")[0]
    r = ui_client.get(href)
    assert r.status_code == 200
    assert page(r).xpath("//h1")[0].text_content() in {target["title"], ui_client.get(href.replace("/van-ban/", "/api/documents/")).json()["title"]}


def test_document_by_number_and_old_url(ui_client, rich_doc):
    r = ui_client.get(f"/van-ban/{rich_doc['number']}", follow_redirects=False)
    assert r.status_code == 302 and re.fullmatch(r"/van-ban/[0-9a-f]{16}", r.headers["location"])
    target = r.headers["location"].rsplit("/", 1)[1]
    assert ui_client.get(f"/api/documents/{target}").json()["number"] == rich_doc["number"]
    r = ui_client.get(f"/documents/{rich_doc['id']}", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == f"/van-ban/{rich_doc['id']}"
    assert ui_client.get(f"/documents/{rich_doc['id']}").status_code == 200
    for old in (f"/van-ban/{rich_doc['number']}", f"/documents/{rich_doc['id']}"):  # the part asked for is kept
        r = ui_client.get(f"{old}?phan=2", follow_redirects=False)
        assert r.headers["location"] == f"/van-ban/{target if 'van-ban' in old else rich_doc['id']}?phan=2"


@pytest.mark.parametrize("bad", ["0123456789abcdef", "nope", "<b>x"])
def test_unknown_document_is_a_404_page(ui_client, bad):
    r = ui_client.get(f"/van-ban/{bad}")
    assert r.status_code == 404
    tree = page(r)
    assert "Không tìm thấy" in tree.xpath("//h1")[0].text_content()
    assert tree.xpath("//*[@role='alert']") and tree.xpath("//a[@href='/']")


def test_an_unknown_long_id_is_echoed_shortened(ui_client):
    r = ui_client.get("/van-ban/" + "a" * 5000)
    assert r.status_code == 404
    alert = page(r).xpath("//*[@role='alert']")[0].text_content()
    assert "a" * 80 + "…" in alert and "a" * 81 not in alert


def test_pages_without_an_index_show_an_error_page(tmp_path):
    from fastapi.testclient import TestClient

    from indexer.settings import Settings
    from service.app import create_app

    with TestClient(create_app(Settings(data=tmp_path / "empty"))) as c:
        r = c.get("/", params={"q": "thi đua"})
    assert r.status_code == 503 and r.headers["content-type"].startswith("text/html")
    assert "vanthu index" in r.text


@pytest.mark.parametrize(
    "title, key",
    [
        ("Tổ chức phong trào thi đua yêu nước năm 2019", ("campaign", "thi dua yeu nuoc")),
        ("Về việc khen thưởng thành tích trong phong trào thi đua yêu nước năm 2024", ("campaign", "thi dua yeu nuoc")),
        ("Kết quả bình xét thi đua yêu nước năm 2019", ("campaign", "thi dua yeu nuoc")),
        ("Sơ kết phong trào thi đua “Dân vận khéo” giai đoạn 2016 - 2020", ("campaign", "thi dua “dan van kheo”")),
        ("Hướng dẫn công tác thi đua, khen thưởng năm 2019", ("title", "huong dan cong tac thi dua, khen thuong")),
        ("Năm 2019", None),
        (None, None),
        # one campaign whether its name is written with i or y
        ("Tổ chức phong trào thi đua “Kỹ cương, quản lý tốt” năm 2019", ("campaign", "thi dua “ki cuong, quan li tot”")),
        ("Tổng kết phong trào thi đua “Kĩ cương, quản lí tốt” năm 2019", ("campaign", "thi dua “ki cuong, quan li tot”")),
    ],
)
def test_campaign_key(title, key):
    assert campaign_key(title) == key


def test_table_of_contents_drops_list_items():
    sections = [
        {"title": "", "start": 0, "end": 5, "level": 0},
        {"title": "I. MỤC ĐÍCH, YÊU CẦU", "start": 5, "end": 9, "level": 2},
        {"title": "1. Trường Tiểu học phường Tân Thạnh;", "start": 9, "end": 20, "level": 3},
        {"title": "Điều 1. Tặng Bằng khen", "start": 20, "end": 30, "level": 4},
    ]
    assert [s["start"] for s in table_of_contents(sections)] == [5, 20]



def test_a_bare_chapter_heading_is_listed_with_its_name():
    text = "LUẬT\n\nChương I\n\nNHỮNG QUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi\nNội dung.\nChương II.\nĐiều 2. Khác\n"
    first, second = text.index("Chương I"), text.index("Chương II.")
    sections = [{"title": "Chương I", "start": first, "end": text.index("Điều 1"), "level": 1},
                {"title": "Điều 1. Phạm vi", "start": text.index("Điều 1"), "end": second, "level": 4},
                {"title": "Chương II.", "start": second, "end": text.index("Điều 2"), "level": 1}]
    titles = [s["title"] for s in table_of_contents(sections, text)]
    assert titles == ["Chương I. NHỮNG QUY ĐỊNH CHUNG", "Điều 1. Phạm vi", "Chương II."]  # no name below: as printed


# --- linker --------------------------------------------------------------------------------------


def plan_citation(ui_client) -> tuple[dict, str]:
    plan = next(d for d in ui_client.get("/api/documents", params={"limit": 100}).json()["documents"]
                if d["number"] and d["type"] == "Kế hoạch")
    y, m, d = plan["date"].split("-")
    return plan, f"Căn cứ Kế hoạch số {plan['number']} ngày {int(d)}/{int(m)}/{y} của UBND tỉnh"


def test_linker_page_form(ui_client):
    tree = page(ui_client.get("/lien-ket"))
    form = tree.xpath("//form[@class='linker']")[0]
    assert form.get("method") == "post" and form.get("enctype") == "multipart/form-data"
    assert form.xpath(".//textarea[@name='text']") and form.xpath(".//input[@type='file' and @name='file']")
    assert form.xpath(".//button[@formaction='/lien-ket/docx']")


def test_linker_links_pasted_text(ui_client):
    plan, sentence = plan_citation(ui_client)
    text = f"{sentence} và Kế hoạch số 98765/KH-UBND ngày 01/01/2019."
    r = ui_client.post("/lien-ket", data={"text": text})
    assert r.status_code == 200
    tree = page(r)
    out = tree.xpath("//div[@id='linked-text']")[0]
    link = out.xpath(f".//a[@class='cite' and @href='/van-ban/{plan['id']}']")
    assert link and plan["number"] in link[0].text_content()
    unresolved = texts(tree, "//section[@class='link-result']//li[span[@class='badge']]")
    assert any("98765/KH-UBND" in u and "chưa có trong kho" in u for u in unresolved)
    summary = " ".join(tree.xpath("//p[@class='summary']")[0].text_content().split())
    assert summary == "Tìm thấy 2 trích dẫn: 1 có trong kho, 1 chưa có trong kho."
    # the copy button copies the portable HTML: absolute links to this server
    source = tree.xpath("//textarea[@id='linked-html-source']")[0].text_content()
    assert f'href="http://testserver/van-ban/{plan["id"]}"' in source
    assert tree.xpath("//button[@id='copy-html']")
    # and the text is kept for the .docx download
    assert tree.xpath("//form[@action='/lien-ket/docx']//textarea[@name='text']")[0].text_content().startswith("Căn cứ")


def test_linker_shows_a_wrong_date_with_the_archived_documents_of_that_number(ui_client):
    """"Kế hoạch số N ngày <another day>": not "missing" — the archive has N, of another date;
    the page says so and links what the archive has, so the clerk can fix the citation."""
    plan, _ = plan_citation(ui_client)
    y = int(plan["date"][:4])
    text = f"Căn cứ Kế hoạch số {plan['number']} ngày 29/12/{y - 3} của UBND tỉnh Bình Lam."
    tree = page(ui_client.post("/lien-ket", data={"text": text}))
    summary = " ".join(tree.xpath("//p[@class='summary']")[0].text_content().split())
    assert "1 có trong kho nhưng khác ngày, năm hoặc cơ quan ban hành" in summary and "1 chưa có" not in summary
    item = tree.xpath("//ul[contains(@class, 'mismatch')]/li")[0]
    assert plan["number"] in item.text_content() and "khác ngày hoặc cơ quan" in item.text_content()
    assert f"/van-ban/{plan['id']}" in item.xpath(".//a/@href")


def test_absolute_links_survive_braces_in_the_base_url():
    from starlette.requests import Request

    from indexer.library import linked_html
    from service.routers.pages import absolute_href, absolute_template

    scope = {"type": "http", "method": "POST", "path": "/kho{x}/lien-ket", "root_path": "/kho{x}", "query_string": b"",
             "scheme": "http", "server": ("127.0.0.1", 8000), "headers": [(b"host", b"kho.local")]}
    request = Request(scope)
    cit = {"start": 0, "end": 8, "resolves_to": {"id": "abc", "title": "t"}}
    assert 'href="http://kho.local/kho{x}/van-ban/abc"' in linked_html("Kế hoạch", [cit], href=absolute_template(request))
    assert absolute_href(request)({"id": "abc"}) == "http://kho.local/kho{x}/van-ban/abc"


def test_linker_reads_an_uploaded_file(ui_client):
    plan, sentence = plan_citation(ui_client)
    r = ui_client.post("/lien-ket", files={"file": ("công văn.txt", sentence.encode(), "text/plain")}, data={"text": ""})
    assert r.status_code == 200
    tree = page(r)
    assert tree.xpath(f"//div[@id='linked-text']//a[@href='/van-ban/{plan['id']}']")
    assert "công văn.txt" in tree.xpath("//h2[@id='result-title']")[0].text_content()


@pytest.mark.parametrize(
    "kwargs, status, fragment",
    [
        ({"data": {"text": "   "}}, 400, "Hãy dán văn bản"),
        ({"files": {"file": ("x.exe", b"MZ", "application/octet-stream")}}, 415, "x.exe"),
        ({"files": {"file": ("hỏng.docx", b"PK\x03\x04rac", "application/octet-stream")}}, 422, "hỏng.docx"),
    ],
)
def test_linker_errors_are_shown_in_the_page(ui_client, kwargs, status, fragment):
    r = ui_client.post("/lien-ket", **kwargs)
    assert r.status_code == status
    assert fragment in page(r).xpath("//*[@role='alert']")[0].text_content()


# --- upload ---------------------------------------------------------------------------------------


def test_upload_page(ui_client):
    tree = page(ui_client.get("/tai-len"))
    assert tree.xpath("//input[@id='token' and @type='password']")
    assert tree.xpath("//input[@id='upload-file' and @type='file']")
    assert tree.xpath("//progress[@id='upload-progress']")
    assert "VANTHU_ADMIN_TOKEN" not in tree.text_content()  # enabled here
    js = ui_client.get("/static/app.js").text
    assert "sessionStorage" in js and "upload.addEventListener(\"progress\"" in js and "/api/documents" in js
    assert "Bearer " in js
    # what the page calls accepts the token it sends
    r = ui_client.post("/api/documents", files={"file": ("a.txt", b"x", "text/plain")}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and TOKEN not in r.text


def test_upload_page_says_how_to_enable_uploads(tmp_path):
    from fastapi.testclient import TestClient

    from indexer.settings import Settings
    from service.app import create_app

    with TestClient(create_app(Settings(data=tmp_path, admin_token=None))) as c:
        r = c.get("/tai-len")
    assert r.status_code == 200 and "VANTHU_ADMIN_TOKEN" in r.text


def test_the_number_example_comes_once_the_archive_has_a_numbered_document(tmp_path):
    """An archive that starts empty and is filled by uploads: the home page's number example is
    the default until a numbered document arrives, then that document's number (same generation)."""
    from fastapi.testclient import TestClient

    from indexer.settings import Settings
    from service.app import create_app
    from service.routers.pages import EXAMPLES, NUMBER_EXAMPLE

    from indexer.pipeline import index_path

    (tmp_path / "empty").mkdir()
    index_path(tmp_path / "empty", tmp_path / "data")  # an archive with an index and no document yet
    letter = ("ỦY BAN NHÂN DÂN\nTỈNH BÌNH LAM\nSố: 27/KH-UBND\nBình Lam, ngày 5 tháng 3 năm 2024\n"
              "KẾ HOẠCH\nTổ chức phong trào thi đua năm 2024\nNội dung kế hoạch thi đua.").encode()
    with TestClient(create_app(Settings(data=tmp_path / "data", admin_token="t", ocr=False))) as c:
        def number_example() -> str:
            return page(c.get("/")).xpath("//p[@class='examples']/a")[NUMBER_EXAMPLE].text_content()

        assert number_example() == EXAMPLES[NUMBER_EXAMPLE]
        r = c.post("/api/documents", files={"file": ("kh27.txt", letter, "text/plain")},
                   headers={"Authorization": "Bearer t"})
        assert r.status_code == 200, r.text
        assert r.json()["number"] == "27/KH-UBND"
        assert number_example() == "27/KH-UBND"


# --- escaping ------------------------------------------------------------------------------------


SCRIPT = "<script>alert(1)</script>"


def assert_inert(r):
    assert SCRIPT not in r.text and "<b onmouseover" not in r.text
    return page(r)


def test_markup_in_documents_renders_as_text(hostile_client):
    # search page: the snippet shows the markup as text
    r = hostile_client.get("/", params={"q": "bảo mật chữ ký số"})
    tree = assert_inert(r)
    snippets = " ".join(texts(tree, "//p[@class='snippet']"))
    assert SCRIPT in snippets
    assert not tree.xpath("//ol[@class='hits']//script")
    # document page: the text shows it as text, in both documents
    ids = [h["id"] for h in hostile_client.get("/api/search", params={"q": "chữ ký số"}).json()["hits"]]
    assert len(ids) == 2
    for id_ in ids:
        tree = assert_inert(hostile_client.get(f"/van-ban/{id_}"))
        assert SCRIPT in tree.xpath("//section[@class='doc-text']")[0].text_content()
        assert not tree.xpath("//section[@class='doc-text']//script | //section[@class='doc-text']//b")
    # the report's citation of the plan is still a link
    report = next(i for i in ids if "77/BC-UBND" in hostile_client.get(f"/api/documents/{i}").json()["number"])
    plan = next(i for i in ids if i != report)
    tree = page(hostile_client.get(f"/van-ban/{report}"))
    assert tree.xpath(f"//section[@class='doc-text']//a[@class='cite' and @href='/van-ban/{plan}']")
    # linker output: the linked text and the copyable HTML
    text = hostile_client.get(f"/api/documents/{report}").json()["text"]
    r = hostile_client.post("/lien-ket", data={"text": text})
    tree = assert_inert(r)
    assert SCRIPT in tree.xpath("//div[@id='linked-text']")[0].text_content()
    assert tree.xpath(f"//div[@id='linked-text']//a[@href='/van-ban/{plan}']")
    portable = tree.xpath("//textarea[@id='linked-html-source']")[0].text_content()
    assert SCRIPT not in portable and "&lt;script&gt;" in portable


def test_markup_in_the_query_is_inert(hostile_client):
    r = hostile_client.get("/", params={"q": SCRIPT, "issuer": '"><script>alert(1)</script>'})
    assert_inert(r)


def test_a_long_question_says_the_hits_have_most_words(ui_client):
    r = ui_client.get("/", params={"q": "kế hoạch tổ chức phong trào thi đua như thế nào xyzzyq"})
    assert r.status_code == 200 and "chứa nhiều từ nhất" in r.text
    assert "chứa nhiều từ nhất" not in ui_client.get("/", params={"q": "thi đua"}).text


def test_a_cited_number_not_archived_links_to_what_cites_it(ui_client, demo_catalog):
    """/van-ban/<number> for a number the archive lacks: 404, says so, and one click shows the
    archived documents citing it (not a CLI command or an unrelated example)."""
    citing: dict[str, set] = {}
    for d in demo_catalog:
        for c in d.get("citations") or []:
            if c.get("number") and not c.get("in_archive"):
                citing.setdefault(c["number"], set()).add((d["number"], d["date"]))
    number, who = max(citing.items(), key=lambda t: len(t[1]))
    r = ui_client.get(f"/van-ban/{number}")
    assert r.status_code == 404
    tree = page(r)
    assert f"Văn bản số {number} chưa có trong kho" in tree.xpath("//p[@role='alert']")[0].text_content()
    assert "vanthu search" not in r.text and "1460%2FKH-UBND" not in r.text
    link = tree.xpath("//a[contains(., 'dẫn chiếu số')]")[0]
    assert parse_qs(urlsplit(link.get("href")).query)["q"] == [number]
    shown = int(re.search(r"Xem (\d+) văn bản", link.text_content()).group(1))
    found = page(ui_client.get(link.get("href")))
    listed = [n.text_content() for n in found.xpath("//ol[@class='hits']//span[@class='number']")]
    assert shown == len(who), (number, shown, len(who))
    assert listed and set(listed) <= {n for n, _ in who}


@pytest.mark.parametrize("typed, shown", [
    ("1460/KH-UBND", "1460/KH-UBND"),
    ("1460-KH-UBND", "1460/KH-UBND"),  # a number in a URL has dashes for its slashes
    ("1460-kh-ubnd", "1460/KH-UBND"),
    ("4321-2019-NĐ-CP", "4321/2019/NĐ-CP"),
    ("77-CT/TU", "77-CT/TU"),  # a Party number keeps its dash
])
def test_an_unknown_number_is_named_as_staff_write_it(ui_client, typed, shown):
    r = ui_client.get(f"/van-ban/{typed}")
    assert r.status_code == 404
    tree = page(r)
    assert tree.xpath("//p[@role='alert']")[0].text_content() == f"Văn bản số {shown} chưa có trong kho."
    assert typed == shown or typed not in r.text.split("<main", 1)[1]


def test_a_number_shared_by_several_documents_says_so(ui_client, demo_catalog):
    from collections import defaultdict

    by_number = defaultdict(list)
    for d in demo_catalog:
        if d.get("number"):
            by_number[d["number"]].append(d)
    number, docs = next((n, ds) for n, ds in by_number.items() if len(ds) >= 2)
    r = ui_client.get(f"/van-ban/{number}")
    assert r.status_code == 200
    note = page(r).xpath("//div[contains(@class, 'same-number')]")
    assert note and f"còn được dùng cho {len(docs) - 1} văn bản khác" in note[0].text_content()
    single = next(n for n, ds in by_number.items() if len(ds) == 1)
    assert not page(ui_client.get(f"/van-ban/{single}")).xpath("//div[contains(@class, 'same-number')]")


def test_a_document_without_number_or_title_is_listed_by_its_file_name(demo_copy, demo_catalog):
    """In "được trích dẫn bởi" / "văn bản được trích dẫn" a note with neither số/ký hiệu nor trích
    yếu reads as its file name, not as its 16-character id."""
    from collections import Counter

    from fastapi.testclient import TestClient

    from indexer.settings import Settings
    from service.app import create_app

    counts = Counter(d["number"] for d in demo_catalog)
    cited = next(d for d in demo_catalog if d["number"] and counts[d["number"]] == 1 and d["date"] < "2021-03-05")
    note_text = f"Ghi chú\nLam Giang, ngày 05 tháng 3 năm 2021\nCăn cứ {cited['type']} số {cited['number']}.\n"
    with TestClient(create_app(Settings(data=demo_copy, admin_token=TOKEN, ocr=False))) as c:
        note = c.post("/api/documents", files={"file": ("ghi-chu-thang-3.txt", note_text.encode(), "text/plain")},
                      headers={"Authorization": f"Bearer {TOKEN}"}).json()
        assert note["number"] is None and note["title"] is None and note["date"] == "2021-03-05"
        cited_id = c.get("/api/documents", params={"source": cited["source"]}).json()["documents"][0]["id"]
        tree = page(c.get(f"/van-ban/{cited_id}"))
    link = tree.xpath(f"//section[@aria-labelledby='citedby-title']//a[@href='/van-ban/{note['id']}']")
    assert [" ".join(a.text_content().split()) for a in link] == ["ghi-chu-thang-3.txt"]


def test_a_query_naming_a_type_says_so_and_offers_the_filter(ui_client):
    """"báo cáo tổng kết …": the page says the reports come first and links to the reports only;
    the API gives the same in `type_first`; a filter or a date sort leaves it out."""
    q = "báo cáo tổng kết phong trào thi đua"
    tree = page(ui_client.get("/", params={"q": q}))
    note = tree.xpath("//p[@class='type-first']")[0]
    assert "Văn bản loại Báo cáo được xếp trước." in note.text_content()
    link = parse_qs(urlsplit(note.xpath("a")[0].get("href")).query)
    assert link["type"] == ["Báo cáo"] and link["q"] == [q]
    only = page(ui_client.get(note.xpath("a")[0].get("href")))
    assert not only.xpath("//p[@class='type-first']")
    counted = ui_client.get("/api/search", params={"q": q}).json()["facets"]["type"]["Báo cáo"]
    assert ui_client.get("/api/search", params={"q": q, "type": "Báo cáo"}).json()["total"] == counted
    assert texts(only, "//ul[@aria-label='Bộ lọc đang áp dụng']/li[1]") == ["Loại: Báo cáo ✕"]
    api = ui_client.get("/api/search", params={"q": q}).json()
    assert api["type_first"] == "Báo cáo" and api["hits"][0]["type"] == "Báo cáo"
    assert ui_client.get("/api/search", params={"q": q, "sort": "date"}).json()["type_first"] is None
    assert ui_client.get("/api/search", params={"q": "tổng kết phong trào thi đua"}).json()["type_first"] is None


def test_linker_lists_a_missing_document_once_however_it_is_cited(ui_client):
    """Cited once with its date and issuer, then again without the issuer, then with a padded
    number: one document is missing, listed once with how often it is cited, and the summary
    says how many documents that is (the API's `missing_documents` agrees)."""
    text = ("Căn cứ Kế hoạch số 98105/KH-SNV ngày 18/08/2019 của Ủy ban nhân dân tỉnh; "
            "thực hiện Kế hoạch số 98105/KH-SNV ngày 18/08/2019 và Kế hoạch số 098105/KH-SNV; "
            "theo Công văn số 98999/UBND-XD ngày 02/01/2020 của UBND tỉnh.")
    tree = page(ui_client.post("/lien-ket", data={"text": text}))
    missing = texts(tree, "//ul[contains(@class, 'missing')]/li")
    assert len(missing) == 2, missing
    assert "98105/KH-SNV" in missing[0] and "trích dẫn 3 lần" in missing[0]
    assert "98999/UBND-XD" in missing[1] and "lần" not in missing[1]
    summary = " ".join(tree.xpath("//p[@class='summary']")[0].text_content().split())
    assert summary == "Tìm thấy 4 trích dẫn: 0 có trong kho, 4 chưa có trong kho (2 văn bản)."
    assert texts(tree, "//ul[@class='legend']/li") == ["có trong kho", "chưa có trong kho", "khác ngày hoặc cơ quan",
                                                       "nhiều văn bản cùng số"]
    api = ui_client.post("/api/link", json={"text": text}).json()
    assert [(d["number"], d["count"]) for d in api["missing_documents"]] == [("98105/KH-SNV", 3), ("98999/UBND-XD", 1)]


def test_linker_a_bare_repeat_means_the_document_cited_with_its_date(ui_client):
    """Two archived documents share a number; "Kế hoạch số N ngày D" picks one, and a later bare
    "Kế hoạch số N" in the same text means that one, not "ambiguous"; alone, it stays ambiguous."""
    docs = [d for n in (1, 2) for d in ui_client.get("/api/documents", params={"limit": 100, "page": n}).json()["documents"]]
    by_number: dict[str, list[dict]] = {}
    for d in docs:
        if d["number"] and d["date"]:
            by_number.setdefault(d["number"], []).append(d)
    number, same = next((n, ds) for n, ds in by_number.items() if len({d["date"] for d in ds}) >= 2)
    chosen = same[0]
    y, m, d = chosen["date"].split("-")
    kind = chosen["type"] or "Văn bản"
    alone = ui_client.post("/api/link", json={"text": f"Theo {kind} số {number}."}).json()["citations"]
    assert [c["status"] for c in alone] == ["ambiguous"]
    text = f"Căn cứ {kind} số {number} ngày {int(d)}/{int(m)}/{y}; nội dung theo {kind} số {number}."
    cits = ui_client.post("/api/link", json={"text": text}).json()["citations"]
    assert [(c["status"], (c["resolves_to"] or {}).get("id")) for c in cits] == [("resolved", chosen["id"])] * 2
    tree = page(ui_client.post("/lien-ket", data={"text": text}))
    assert len(tree.xpath(f"//div[@id='linked-text']//a[@href='/van-ban/{chosen['id']}']")) == 2
    assert not tree.xpath("//ul[contains(@class, 'ambiguous')]")
    # cited with a date the archive does not have, then bare: both are that mismatch, one document
    wrong = f"Căn cứ {kind} số {number} ngày 3/3/2099; nội dung theo {kind} số {number}."
    body = ui_client.post("/api/link", json={"text": wrong}).json()
    assert [c["status"] for c in body["citations"]] == ["mismatch", "mismatch"]
    assert [(d["number"], d["count"]) for d in body["missing_documents"]] == [(number, 2)]


def test_linker_without_citations_says_what_it_recognises(ui_client):
    tree = page(ui_client.post("/lien-ket", data={"text": "Hôm nay trời đẹp, các đơn vị làm việc bình thường."}))
    assert "Không thấy trích dẫn nào" in tree.xpath("//p[contains(@class, 'no-citations')]")[0].text_content()
    assert not tree.xpath("//button[@id='copy-html']")
    assert not tree.xpath("//ul[@class='legend']")
    # the form sends the browser to the result (a phone shows it without scrolling past the form)
    assert page(ui_client.get("/lien-ket")).xpath("//form[@class='linker']/@action") == ["/lien-ket#ket-qua"]
    assert tree.xpath("//section[@id='ket-qua']")
