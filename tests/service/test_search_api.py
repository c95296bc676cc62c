"""Search behaviour found in exploratory use: paging past the end, undated documents, issuer
filters on whole words, numbers that other documents cite, precedents first, NFC echo."""

import unicodedata

import re

import pytest
from fastapi.testclient import TestClient

from indexer.citations import issuer_within
from indexer.settings import Settings
from service.app import create_app
from service.routers.api import content_disposition

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(demo_data):
    with TestClient(create_app(Settings(data=demo_data, admin_token=TOKEN))) as c:
        yield c


@pytest.fixture(scope="module")
def with_undated(demo_data, tmp_path_factory):
    """The demo data plus one uploaded text without a date."""
    import shutil

    data = tmp_path_factory.mktemp("undated") / "data"
    shutil.copytree(demo_data, data)
    with TestClient(create_app(Settings(data=data, admin_token=TOKEN))) as c:
        text = "THÔNG BÁO\nVề việc khen thưởng đột xuất cho đội tuyển bóng bàn không ngày tháng\n".encode()
        r = c.post("/api/documents", files={"file": ("khong-ngay.txt", text, "text/plain")}, headers=AUTH)
        assert r.status_code == 200, r.text
        assert r.json()["date"] is None
        yield c, r.json()["id"]


def test_page_past_the_end_is_empty(client):
    first = client.get("/api/search", params={"q": "khen thưởng", "limit": 100}).json()
    assert 0 < first["total"] <= 100
    past = client.get("/api/search", params={"q": "khen thưởng", "page": 2, "limit": 100}).json()
    assert past["hits"] == [] and past["total"] == first["total"] and past["page"] == 2
    docs = client.get("/api/documents", params={"page": 1000}).json()
    assert docs["documents"] == [] and docs["total"] > 0


def test_undated_document_has_no_year_and_sorts_last(with_undated):
    c, doc_id = with_undated
    body = c.get("/api/search", params={"q": "khen thưởng", "limit": 100, "sort": "date_asc"}).json()
    assert doc_id in [h["id"] for h in body["hits"]]
    years = body["facets"]["year"]
    assert years and all(1900 <= int(y) <= 2100 for y in years), years
    assert sum(years.values()) == body["total"] - 1  # the undated one has no year
    for sort in ("date", "date_asc"):
        hits = c.get("/api/search", params={"q": "khen thưởng", "limit": 100, "sort": sort}).json()["hits"]
        dates = [h["date"] for h in hits]
        assert dates[-1] is None and None not in dates[:-1], sort
        assert dates[:-1] == sorted(dates[:-1], reverse=sort == "date")


def test_query_is_echoed_in_nfc(client):
    nfd = unicodedata.normalize("NFD", "khen thưởng")
    body = client.get("/api/search", params={"q": nfd}).json()
    assert body["query"] == unicodedata.normalize("NFC", nfd) and body["total"] > 0


def test_query_is_echoed_without_invisible_characters(client):
    """A BOM or a zero-width space pasted with the query is not shown back (API, page box)."""
    from lxml import html as lhtml

    typed = "\ufeffkhen\u200b thưởng"
    body = client.get("/api/search", params={"q": typed}).json()
    assert body["query"] == "khen thưởng" and body["total"] > 0
    box = lhtml.fromstring(client.get("/", params={"q": unicodedata.normalize("NFD", typed)}).text).xpath("//input[@id='q']")[0]
    assert box.get("value") == "khen thưởng"


@pytest.mark.parametrize("q", ["!!!", "()", '""', "...", "*"])
def test_query_without_words_is_400(client, q):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 400 and "không có chữ hay số" in r.json()["detail"]


def test_no_query_lists_newest_first(client):
    body = client.get("/api/search", params={"q": "", "limit": 50}).json()
    dates = [h["date"] for h in body["hits"] if h["date"]]
    assert body["total"] > 0 and len(dates) > 10 and dates == sorted(dates, reverse=True)
    filtered = client.get("/api/search", params={"q": "loai:KH", "limit": 50}).json()
    dates = [h["date"] for h in filtered["hits"] if h["date"]]
    assert dates == sorted(dates, reverse=True) and {h["type"] for h in filtered["hits"]} == {"Kế hoạch"}


def test_issuer_filter_matches_whole_words():
    assert issuer_within("Sở", "Sở Nội vụ") and issuer_within("so noi vu", "Sở Nội vụ")
    assert not issuer_within("Sở", "UBND thị xã Lam Sơn")
    assert not issuer_within("Y", "UBND huyện Yên Bình")
    assert issuer_within("uỷ ban", "Ủy ban nhân dân tỉnh")  # old tone placement
    # the archive writes UBND / HĐND; a person may type the words out
    assert issuer_within("Ủy ban nhân dân tỉnh Bình Lam", "UBND tỉnh Bình Lam")
    assert issuer_within("uy ban nhan dan", "UBND tỉnh Bình Lam")
    assert issuer_within("Hội đồng nhân dân", "HĐND tỉnh Bình Lam")
    assert not issuer_within("Ủy ban nhân dân", "Sở Nội vụ") and not issuer_within("HĐND", "UBND tỉnh Bình Lam")
    # initials, as staff write departments: "Sở GD&ĐT", "SYT", "syt", "snv", "btđkt"
    assert issuer_within("Sở GD&ĐT", "Sở Giáo dục và Đào tạo tỉnh Bình Lam")
    assert issuer_within("syt", "Sở Y tế") and issuer_within("SYT", "Sở Y tế tỉnh Bình Lam")
    assert issuer_within("snv", "Sở Nội vụ") and issuer_within("btđkt", "Ban Thi đua - Khen thưởng")
    assert not issuer_within("syt", "Sở Nội vụ") and not issuer_within("snv", "Sở Y tế")
    assert not issuer_within("lam", "Sở Y tế") and not issuer_within("ty", "Sở Y tế")  # words, not initials
    assert issuer_within("cp", "Chính phủ") and issuer_within("QH", "Quốc hội") and not issuer_within("cp", "Quốc hội")


def test_issuer_filter_in_api(client, demo_catalog):
    issuers = {d["issuer"] for d in demo_catalog if d.get("issuer")}
    with_so = {i for i in issuers if "Sở" in i.split()}
    assert with_so, "the demo archive has departments (Sở …)"
    for q, params in (("co_quan:Sở", {}), ("", {"issuer": "sở"})):
        hits = client.get("/api/search", params={"q": q, "limit": 100, **params}).json()["hits"]
        assert hits and all("sở" in (h["issuer"] or "").lower().split() for h in hits), {h["issuer"] for h in hits}
    snv = sum(d.get("issuer") == "Sở Nội vụ" for d in demo_catalog)
    for q, params in (("co_quan:snv", {}), ("", {"issuer": "SNV"})):
        body = client.get("/api/search", params={"q": q, "limit": 100, **params}).json()
        assert body["total"] == snv > 0 and set(body["facets"]["issuer"]) == {"Sở Nội vụ"}


def test_number_finds_the_documents_citing_it(client, demo_catalog):
    """The document with the number first, then the documents citing it."""
    from collections import Counter

    once = {n for n, k in Counter(d["number"] for d in demo_catalog if d.get("number")).items() if k == 1}
    citers: dict[str, set] = {}
    for d in demo_catalog:
        for c in d.get("citations") or []:
            if c.get("number") in once and c.get("in_archive"):
                citers.setdefault(c["number"], set()).add((d["number"], d["date"]))
    number, who = max(citers.items(), key=lambda t: len(t[1]))
    assert len(who) >= 2
    body = client.get("/api/search", params={"q": number, "limit": 100}).json()
    found = [(h["number"], h["date"]) for h in body["hits"]]
    assert found[0][0] == number
    assert who <= set(found[1:])
    # with words around it: the citing documents come before those matching only the words
    body = client.get("/api/search", params={"q": f"văn bản {number}", "limit": 100}).json()
    top = [(h["number"], h["date"]) for h in body["hits"][: len(who) + 1]]
    assert top[0][0] == number and set(top[1:]) == who
    # pasted in quotes: the same look-up, not a phrase search that ranks the citing documents first
    quoted = client.get("/api/search", params={"q": f'"{number}"', "limit": 100}).json()
    assert [h["id"] for h in quoted["hits"]] == [h["id"] for h in
                                                 client.get("/api/search", params={"q": number, "limit": 100}).json()["hits"]]


def test_number_not_archived_finds_the_citing_documents(client, demo_catalog):
    missing: dict[str, int] = {}
    for d in demo_catalog:
        for c in d.get("citations") or []:
            if c.get("number") and not c.get("in_archive"):
                missing[c["number"]] = missing.get(c["number"], 0) + 1
    number = max(missing, key=missing.get)
    body = client.get("/api/search", params={"q": number, "limit": 100}).json()
    assert body["total"] >= min(missing[number], 2) and all(h["number"] != number for h in body["hits"])


def test_number_typed_digits_first(client, demo_catalog):
    plan = next(d for d in demo_catalog if (d.get("number") or "").endswith("/KH-UBND") and "/20" not in d["number"])
    seq = plan["number"].split("/")[0]
    for q in (f"{seq} KH UBND", f"{seq} kh ubnd", f"KH {seq} UBND"):
        hits = client.get("/api/search", params={"q": q}).json()["hits"]
        assert hits and hits[0]["number"].split("/")[0] == seq and "KH-UBND" in hits[0]["number"], q


def test_similar_puts_same_type_and_issuer_first(client, demo_catalog):
    from collections import Counter

    groups = Counter((d["type"], d["issuer"]) for d in demo_catalog if d.get("type") and d.get("issuer"))
    (type_, issuer), n = groups.most_common(1)[0]
    assert n >= 3
    doc = next(h for h in client.get("/api/search", params={"q": "", "type": type_, "issuer": issuer, "limit": 100}).json()["hits"])
    hits = client.get(f"/api/documents/{doc['id']}/similar", params={"limit": 50}).json()["hits"]
    peers = n - 1
    head = hits[: min(peers, 50)]
    assert all(h["type"] == type_ and h["issuer"] == issuer for h in head), [(h["type"], h["issuer"]) for h in head]
    assert doc["id"] not in {h["id"] for h in hits}


def test_similar_lists_the_same_campaign_nearest_year_first(client, demo_catalog):
    """A plan's precedents that read like it (the same campaign's plan of other years) come
    nearest year first, last year's before next year's: "last year's plan" is on top."""
    import re
    from collections import defaultdict

    series = defaultdict(list)  # one title template of one issuer and type, over the years
    for d in demo_catalog:
        if d.get("date") and d.get("type") and d.get("issuer") and d.get("title"):
            series[(d["type"], d["issuer"], re.sub(r"[\d\s]+", " ", d["title"]).strip())].append(d)
    runs = [sorted(v, key=lambda d: d["date"]) for v in series.values() if len({d["date"][:4] for d in v}) >= 4]
    assert runs
    for run in runs[:4]:
        doc = run[len(run) // 2]
        year = int(doc["date"][:4])
        doc_id = client.get("/api/documents", params={"source": doc["source"]}).json()["documents"][0]["id"]
        hits = client.get(f"/api/documents/{doc_id}/similar", params={"limit": 5}).json()["hits"]
        mates = {d["source"] for d in run if d is not doc}
        years = [int(h["date"][:4]) for h in hits if h["source"] in mates]
        assert years, doc["title"]
        order = [(abs(y - year), y > year) for y in years]
        assert order == sorted(order), (doc["date"], years)
        nearest = min(abs(int(d["date"][:4]) - year) for d in run if d is not doc)
        assert order[0][0] == nearest, (doc["date"], years)


def test_precedents_keep_to_the_campaign_the_title_names():
    """Award decisions of one issuer read alike but for the campaign's name: the precedents of the
    "Dạy tốt - Học tốt" decision are that campaign's decisions (worded a little differently
    three years earlier) before the "yêu nước" decision of the same year; then the same title of
    another year comes before the same year's other stage."""
    from indexer.library import by_nearest_year

    def peer(id_, title, day):
        return ({"id": id_, "meta": {"title": title, "date": day}}, 1.0)

    mine = "Về việc khen thưởng thành tích trong phong trào thi đua “Dạy tốt - Học tốt” năm học 2018 - 2019"
    peers = [peer("yeu-nuoc", "Về việc khen thưởng thành tích trong phong trào thi đua yêu nước năm 2019", "2019-12-20"),
             peer("day-tot-2016", "Về việc khen thưởng thành tích xuất sắc trong phong trào thi đua “Dạy tốt - Học tốt” "
                  "năm học 2015 - 2016", "2016-06-01"),
             peer("day-tot-2018", mine.replace("2018 - 2019", "2017 - 2018"), "2018-06-02")]
    assert [p[0]["id"] for p in by_nearest_year(peers, "2019-06-05", mine)] == ["day-tot-2018", "day-tot-2016", "yeu-nuoc"]

    report = "Tổng kết phong trào thi đua “Văn hóa công sở” năm 2021"
    peers = [peer("so-ket-2021", report.replace("Tổng kết", "Sơ kết"), "2021-06-30"),
             peer("tong-ket-2022", report.replace("2021", "2022"), "2022-11-22"),
             peer("tong-ket-2020", report.replace("2021", "2020"), "2020-11-03")]
    assert [p[0]["id"] for p in by_nearest_year(peers, "2021-12-07", report)] == ["tong-ket-2020", "tong-ket-2022", "so-ket-2021"]


def test_similar_finds_the_sister_decree_past_a_list_of_rare_names(tmp_path):
    """A decree whose first pages list chemicals (names no other document has) still finds the
    decree issued with it: the key terms are syllables other documents share, not its rarest."""
    from indexer.extract import Limits
    from indexer.library import Library
    from indexer.pipeline import index_path

    src = tmp_path / "src"
    src.mkdir()
    head = "CHÍNH PHỦ\nSố: {n}/2026/NĐ-CP\nHà Nội, ngày 17 tháng 01 năm 2026\nNGHỊ ĐỊNH\n{title}\n"
    names = " ".join(f"zeta{i}xyl" for i in range(60) for _ in range(6))
    (src / "24.txt").write_text(head.format(n=24, title="Quy định danh mục hóa chất nguy hiểm") +
                                f"Danh mục hóa chất: {names}. Hóa chất trong danh mục phải được kiểm soát.", encoding="utf-8")
    (src / "25.txt").write_text(head.format(n=25, title="Quy định biện pháp quản lý hóa chất nguy hiểm") +
                                "Tổ chức sản xuất hóa chất nguy hiểm phải kiểm soát kho chứa hóa chất và danh mục.",
                                encoding="utf-8")
    others = {"26": ("Quy định về quản lý đất đai", "Đất đai được giao cho hộ gia đình sử dụng ổn định lâu dài."),
              "27": ("Quy định về cấp phép xây dựng", "Công trình xây dựng phải có giấy phép trước khi khởi công."),
              "28": ("Quy định về du lịch cộng đồng", "Khu du lịch cộng đồng được hỗ trợ quảng bá."),
              "29": ("Quy định về thư viện", "Thư viện công cộng mở cửa phục vụ bạn đọc."),
              "30": ("Quy định về bảo tàng", "Bảo tàng trưng bày hiện vật và danh mục hiện vật."),
              **{str(31 + i): (f"Quy định về chế độ {w}", f"Chế độ {w} áp dụng cho cán bộ, công chức.")
                 for i, w in enumerate(["nghỉ phép", "công tác phí", "phụ cấp", "trợ cấp", "thi đua", "khen thưởng",
                                        "hưu trí", "tuyển dụng", "đào tạo", "tiền lương"])}}
    for n, (title, body) in others.items():
        (src / f"{n}.txt").write_text(head.format(n=n, title=title) + body, encoding="utf-8")
    data = tmp_path / "data"
    index_path(src, data, workers=1, limits=Limits(ocr=False))
    lib = Library(data)
    try:
        hits = lib.similar("24/2026/NĐ-CP", limit=3)["hits"]
        assert hits and hits[0]["number"] == "25/2026/NĐ-CP"
    finally:
        lib.close()


def test_download_name_keeps_letters_without_accents():
    header = content_disposition("Thông báo 10 năm Đợt 2.docx")
    assert 'filename="Thong bao 10 nam Dot 2.docx"' in header
    assert content_disposition("漢字.pdf").startswith('attachment; filename=".pdf"')


@pytest.mark.parametrize("params, fragment", [
    ({"q": "nam:2019..2015"}, "năm đầu phải trước năm cuối"),
    ({"q": "khen", "year": "2019..2015"}, "năm đầu phải trước năm cuối"),
    ({"q": "nam:2019 OR nam:2020"}, "không nối bộ lọc"),
    ({"q": "ngay:2019-13"}, "ở ngay: '2019-13'"),
    ({"q": "loai:XYZ"}, "Không rõ loại văn bản 'XYZ'"),
    ({"q": "khen", "type": "quyet_dinh"}, "Không rõ loại văn bản"),
    ({"q": "ngay:2019-06-30..2019-01-01"}, "ngày đầu phải trước ngày cuối, ví dụ ngay:2019-01-01..2019-06-30"),
    ({"q": "co_quan: khen"}, "Bộ lọc co_quan: đang trống"),  # the name the user typed, not ours
    ({"q": "!!!", "year": "2019"}, "không có chữ hay số nào"),  # a filter given beside it does not make it a query
    ({"q": "!!!", "type": "KH"}, "không có chữ hay số nào"),
])
def test_filter_mistakes_are_400_with_what_to_fix(client, params, fragment):
    r = client.get("/api/search", params=params)
    assert r.status_code == 400, r.text
    assert fragment in r.json()["detail"]


def test_year_range_as_api_parameter(client):
    body = client.get("/api/search", params={"q": "khen", "year": "2016..2018", "limit": 100}).json()
    assert body["total"] > 0 and all(2016 <= int(y) <= 2018 for y in body["facets"]["year"])
    same = client.get("/api/search", params={"q": "khen nam:2016..2018", "limit": 100}).json()
    assert same["total"] == body["total"]


@pytest.mark.parametrize("q", ["loai:KH", "loai:kh", "loai:\"Kế hoạch\"", "loai:\"ke hoach\""])
def test_known_type_forms_filter(client, q):
    body = client.get("/api/search", params={"q": q, "limit": 100}).json()
    assert body["total"] > 0 and set(body["facets"]["type"]) == {"Kế hoạch"}


def test_document_by_number_in_a_url(client, demo_catalog):
    """A number cannot hold '/' in a URL path: written with dashes it finds the document; a number
    not in the archive says so (and how to find what cites it)."""
    from collections import Counter

    once = [n for n, k in Counter(d["number"] for d in demo_catalog if d.get("number")).items() if k == 1]
    number = once[0]
    r = client.get(f"/api/documents/{number.replace('/', '-')}")
    assert r.status_code == 200 and r.json()["number"] == number
    r = client.get("/api/documents/98765-KH-UBND")
    assert r.status_code == 404 and "Không tìm thấy văn bản số 98765/KH-UBND trong kho" in r.json()["detail"]  # as staff write it
    with_year = next((n for n in once if n.count("/") == 2), None)
    if with_year:  # "42/2015/QĐ-UBND" as 42-2015-QĐ-UBND
        r = client.get(f"/api/documents/{with_year.replace('/', '-')}")
        assert r.status_code == 200 and r.json()["number"] == with_year
    r = client.get("/api/documents/91-2017-NĐ-CP")  # a year in the number: its dashes too
    assert r.status_code == 404 and "Không tìm thấy văn bản số 91/2017/NĐ-CP trong kho" in r.json()["detail"]


@pytest.mark.parametrize("bounds", ["{lo}..", "..{lo}", "{lo}..{hi}", "{hi}..", "..{hi}", "{lo}"])
def test_year_ranges_open_or_closed(client, bounds):
    years = sorted(int(y) for y in client.get("/api/search", params={"q": "", "limit": 1}).json()["facets"]["year"])
    lo, hi = years[1], years[-2]
    text = bounds.format(lo=lo, hi=hi)
    a, _, b = text.partition("..") if ".." in text else (text, "", text)
    want = [y for y in years if (not a or y >= int(a)) and (not b or y <= int(b))]
    for params in ({"q": f"nam:{text}", "limit": 1}, {"q": "", "year": text, "limit": 1}):
        got = sorted(int(y) for y in client.get("/api/search", params=params).json()["facets"]["year"])
        assert got == want, (params, got, want)


def test_a_number_typed_loosely_also_finds_the_documents_citing_it(client, demo_catalog):
    from collections import Counter

    once = {n for n, k in Counter(d["number"] for d in demo_catalog if d.get("number")).items() if k == 1}
    citers: dict[str, set] = {}
    for d in demo_catalog:
        for c in d.get("citations") or []:
            n = c.get("number") or ""
            if n in once and c.get("in_archive") and "/KH-UBND" in n and n.count("/") == 1:
                citers.setdefault(n, set()).add((d["number"], d["date"]))
    number, who = max(citers.items(), key=lambda t: len(t[1]))
    seq = number.split("/")[0]
    for q in (f"{seq} KH UBND", f"KH {seq} UBND", f"kh {seq}"):
        hits = client.get("/api/search", params={"q": q, "limit": 100}).json()["hits"]
        found = {(h["number"], h["date"]) for h in hits}
        same_seq = [h["number"] for h in hits if h["number"] and h["number"].startswith(f"{seq}/KH-")]
        assert [h["number"] for h in hits[: len(same_seq)]] == same_seq and number in same_seq, q  # the number(s) first
        assert who <= found, q  # then what cites it


def test_filters_in_the_query_and_as_parameters_all_apply(client):
    """`loai:KH` typed in the query with `year=` from a facet: plans of that year. A year typed in
    the query and another given as a parameter: nothing, not the parameter's year alone."""
    years = client.get("/api/search", params={"q": "loai:KH", "limit": 1}).json()["facets"]["year"]
    year = max(years, key=years.get)
    both = client.get("/api/search", params={"q": "loai:KH", "year": year, "limit": 1}).json()
    typed = client.get("/api/search", params={"q": f"loai:KH nam:{year}", "limit": 1}).json()
    assert both["total"] == typed["total"] == years[year]
    assert set(both["facets"]["type"]) == {"Kế hoạch"} and set(both["facets"]["year"]) == {year}
    other = next(y for y in years if y != year)
    assert client.get("/api/search", params={"q": f"nam:{other}", "year": year}).json()["total"] == 0
    lo, hi = sorted(int(y) for y in years)[0], int(year)  # ranges intersect: lo..hi and year..  → year
    narrowed = client.get("/api/search", params={"q": f"loai:KH nam:{lo}..{hi}", "year": f"{year}.."}).json()
    assert narrowed["total"] == years[year] and set(narrowed["facets"]["year"]) == {year}


def test_a_pasted_citation_with_its_date_puts_that_document_first(client, demo_catalog):
    """Two documents share a number (a register restarts every year): the date pasted with the
    number chooses, whichever of the two it is."""
    from collections import defaultdict

    by_number = defaultdict(set)
    for d in demo_catalog:
        if d.get("number") and d.get("date"):
            by_number[d["number"]].add(d["date"])
    number, dates = next((n, ds) for n, ds in sorted(by_number.items()) if len(ds) >= 2)
    for date in sorted(dates):
        y, m, dd = date.split("-")
        for written in (f"ngày {dd}/{m}/{y}", f"ngày {int(dd)} tháng {int(m)} năm {y}"):
            for q in (f"Căn cứ văn bản số {number} {written}", f"{number} {written}"):  # with or without a type word
                hits = client.get("/api/search", params={"q": q}).json()["hits"]
                assert (hits[0]["number"], hits[0]["date"]) == (number, date), q


def test_loose_numbers_with_a_year_or_issuer_find_what_the_full_number_finds(client, demo_catalog):
    """`qd 50 ubnd` for 50/2019/QĐ-UBND: the document and the documents citing it, as the full
    number gives; `qd 11 2026`: the number of that year first; `nd 91 2017` for a decree the
    archive lacks: the documents citing it, not every text with "91" or "2017"."""
    from collections import Counter

    from indexer.numbers import number_parts

    def total(q):
        return client.get("/api/search", params={"q": q, "limit": 1}).json()["total"]

    def first(q):
        return client.get("/api/search", params={"q": q, "limit": 1}).json()["hits"][0]["number"]

    cited = Counter(c["number"] for d in demo_catalog for c in d.get("citations") or [] if c.get("number"))
    archived = Counter(d["number"] for d in demo_catalog if d.get("number"))
    with_year = [n for n in archived if archived[n] == 1 and number_parts(n).year and number_parts(n).type_code == "QĐ"]
    number = max(with_year, key=lambda n: cited[n])
    p = number_parts(number)
    assert cited[number] >= 2
    assert total(f"qd {p.seq} {p.issuer_code.lower()}") >= total(number) > 1  # the loose form finds no less
    assert first(f"qd {p.seq} {p.issuer_code.lower()}") == number
    assert first(f"qd {p.seq} {p.year}") == number
    missing = max((n for n in cited if n not in archived and number_parts(n).year), key=lambda n: cited[n])
    m = number_parts(missing)
    assert total(f"{m.type_code.lower().replace('đ', 'd')} {m.seq} {m.year}") == total(missing) > 0


def test_syllables_typed_side_by_side_are_asked_together_when_the_archive_has_them_so(client):
    """underthesea leaves "bằng khen" as two words in a short query: a document needs them side
    by side (as the archive writes them), not "bằng" in one place and "khen" in another. A pair
    the archive never has together ("khen năm") is still two words."""
    import re

    def found(q, **kw):
        return client.get("/api/search", params={"q": q, "limit": 100, **kw}).json()

    together = found("bằng khen")
    phrase = found('"bằng khen"')
    assert together["total"] == phrase["total"] > 0
    apart = found("khen năm")  # never side by side in the demo: every document with both words
    assert apart["total"] > 0 and apart["total"] == found("năm khen")["total"]
    for h in found("bằng khen", sort="date")["hits"]:  # newest first: every one has the pair
        assert re.search(r"(?i)bằng</mark>\s*<mark>khen", h["snippet"]) or "bằng khen" in (h["title"] or "").lower(), h
    # a pair found together nowhere with the rest: the words apart, rather than nothing
    rare = found("bằng khen khen thưởng đột xuất tập thể")
    assert rare["total"] > 0


def test_function_words_and_loose_pairs_are_not_asked_together(library):
    """A function word stands next to anything somewhere ("cho các", "của sở"): never a pair.
    A pair the archive seldom writes together stays two words."""
    from indexer.search import Collocations, joined_pairs, query_words

    coll = Collocations(library.searcher())
    assert joined_pairs(query_words("bằng khen"), coll) == ["bằng_khen"]
    for q in ("khen thưởng cho các tập thể", "thi đua của sở nội vụ", "kế hoạch trong năm"):
        joined = joined_pairs(query_words(q), coll)
        assert not any(w.split("_")[0] in ("cho", "các", "của", "trong", "năm") and "_" in w and w not in query_words(q)
                       for w in joined), (q, joined)
    assert coll.strength("khen", "năm") < 0.2  # "khen năm" is not how the archive writes it


def test_a_pasted_citation_typed_without_accents_puts_the_document_of_that_day_first(client, demo_catalog):
    """"ke hoach so 11/KH-UBND ngay 24/01/2025" and "ke hoach 11 ngay …" choose by the day as
    the accented forms do, among the documents that share the number."""
    from collections import defaultdict

    shared = defaultdict(list)
    for d in demo_catalog:
        if d.get("number") and d.get("date") and "/KH-" in d["number"]:
            shared[d["number"]].append(d)
    cases = [(n, d) for n, ds in shared.items() if len({x["date"] for x in ds}) == len(ds) > 1 for d in ds]
    assert cases
    for number, d in cases[:8]:
        y, m, day = d["date"].split("-")
        for q in (f"ke hoach so {number} ngay {day}/{m}/{y}", f"ke hoach {number.split('/')[0]} ngay {day}/{m}/{y}",
                  f"Kế hoạch {number.split('/')[0]} ngày {int(day)}/{int(m)}/{y}"):
            hits = client.get("/api/search", params={"q": q, "limit": 3}).json()["hits"]
            assert hits and (hits[0]["number"], hits[0]["date"]) == (number, d["date"]), (q, [(h["number"], h["date"]) for h in hits])


@pytest.mark.parametrize("form", ["{seq}.{year}.{code}.{issuer}", "{seq}_{year}_{code}-{issuer}", "{code}-{seq}"])
def test_numbers_as_file_names_write_them_find_the_document(client, demo_catalog, form):
    from indexer.normalize import fold

    d = next(x for x in demo_catalog if x.get("number") and re.fullmatch(r"\d+/\d{4}/[^/-]+-[^/-]+", x["number"]))
    seq, year, rest = d["number"].split("/")
    code, issuer = rest.split("-")
    q = form.format(seq=seq, year=year, code=fold(code).upper(), issuer=issuer)
    hits = client.get("/api/search", params={"q": q, "limit": 3}).json()["hits"]
    assert hits and hits[0]["number"].split("/")[0] == seq and code in hits[0]["number"], (q, [h["number"] for h in hits])


def _long_question_with_a_small_facet(client):
    """A question of 4+ words that 3 or more documents hold in full, and a type facet of it
    counting fewer than 3 (the demo: "thi đua yêu nước 2020" has a Báo cáo facet of 2)."""
    for q in ("thi đua yêu nước 2020", "thi đua yêu nước 2019", "văn hóa công sở năm 2019", "thi đua khen thưởng năm 2020"):
        body = client.get("/api/search", params={"q": q}).json()
        small = [(t, n) for t, n in body["facets"]["type"].items() if n < 3]
        if not body["relaxed"] and body["total"] >= 3 and small:
            return q, small[0]
    pytest.fail("no long question with a small facet in the demo archive")


def test_a_facet_clicked_lists_what_it_counted(client):
    """Filtered to a type that holds every word in only 1–2 documents, a question was relaxed to
    the type's documents with some of the words: the facet said 2, the list had 161."""
    q, (type_, n) = _long_question_with_a_small_facet(client)
    for params in ({"q": q, "type": type_}, {"q": f"{q} loai:\"{type_}\""}):
        body = client.get("/api/search", params=params).json()
        assert (body["total"], body["relaxed"]) == (n, False), params
        assert all(h["type"] == type_ for h in body["hits"])


def test_a_filter_that_leaves_no_complete_document_still_relaxes(client):
    """Nothing to list under the filter: the documents of that filter with most of the words."""
    q = "thi đua yêu nước 2020"
    years = client.get("/api/search", params={"q": "thi đua yêu nước"}).json()["facets"]["year"]
    holding = set(client.get("/api/search", params={"q": q}).json()["facets"]["year"])
    year = next(y for y in sorted(years) if y not in holding)
    body = client.get("/api/search", params={"q": q, "year": year}).json()
    assert body["relaxed"] and body["complete"] == 0 and body["total"] > 0
    assert all(h["date"].startswith(str(year)) for h in body["hits"] if h["date"])


@pytest.fixture(scope="module")
def plans_client(tmp_path_factory):
    from tests.conftest import PLANS_AND_REPORT, index_files

    data = index_files(tmp_path_factory.mktemp("plans"), PLANS_AND_REPORT)
    with TestClient(create_app(Settings(data=data))) as c:
        yield c


def test_most_words_ranks_a_long_question_by_most_of_its_words(plans_client):
    """Four plans hold every word; the report that closed the campaign lacks one ("đánh giá")."""
    q = "tổng kết văn hóa công sở đánh giá kết quả"
    strict = plans_client.get("/api/search", params={"q": q}).json()
    broad = plans_client.get("/api/search", params={"q": q, "most_words": "true"}).json()
    assert not strict["relaxed"] and strict["total"] == 4 and {h["type"] for h in strict["hits"]} == {"Kế hoạch"}
    assert broad["relaxed"] and broad["complete"] == 4 and broad["total"] == 5
    assert "Báo cáo" in {h["type"] for h in broad["hits"]}


def test_the_page_offers_the_documents_with_most_words(plans_client):
    from urllib.parse import parse_qs, urlsplit

    from lxml import html as lhtml

    q = "tổng kết văn hóa công sở đánh giá kết quả"
    tree = lhtml.fromstring(plans_client.get("/", params={"q": q}).text)
    offer = tree.xpath("//p[contains(@class, 'broader')]")[0]
    assert " ".join(offer.text_content().split()).startswith("Chỉ 4 văn bản chứa đủ mọi từ đã gõ.")
    href = offer.xpath("a/@href")[0]
    assert parse_qs(urlsplit(href).query)["rong"] == ["1"]
    broad = lhtml.fromstring(plans_client.get(href).text)
    assert len(broad.xpath("//ol[@class='hits']/li")) == 5
    back = broad.xpath("//p[@class='relaxed']/a")[0]  # to the four again
    assert back.text_content() == "Chỉ xem 4 văn bản chứa đủ mọi từ" and "rong=" not in back.get("href")
    # a short query, or one many documents hold in full, is not offered anything
    for short in ("văn hóa công sở", "phong trào thi đua văn hóa công sở"):
        assert not lhtml.fromstring(plans_client.get("/", params={"q": short}).text).xpath("//p[contains(@class, 'broader')]")


def test_all_words_and_most_words_together_are_a_400(client):
    r = client.get("/api/search", params={"q": "thi đua khen thưởng năm 2020", "all_words": "true", "most_words": "true"})
    assert r.status_code == 400 and "all_words" in r.json()["detail"]


def test_a_number_typed_with_spaced_separators_is_the_number(client, demo_catalog):
    """"10 / KH - SNV", as copied from a PDF: the lone "-" was dropped as an empty exclusion and
    the number read as words (102 hits instead of 9, not newest first)."""
    number = next(d["number"] for d in demo_catalog if re.fullmatch(r"\d+/[A-ZĐ]+-[A-ZĐ]+", d.get("number") or ""))
    seq, rest = number.split("/")
    code, issuer = rest.split("-")
    compact = client.get("/api/search", params={"q": number}).json()
    for typed in (f"{seq}/{code} - {issuer}", f"{seq} / {code} - {issuer}", f"{seq} / {code} – {issuer}"):
        body = client.get("/api/search", params={"q": typed}).json()
        assert body["total"] == compact["total"] and [h["id"] for h in body["hits"]] == [h["id"] for h in compact["hits"]], typed
        assert body["query"] == typed and all(h["number"] == number for h in body["hits"][:1])
