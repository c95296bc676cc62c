"""A very large document (megabytes of text) through the real app: upload, search, page.

The text is generated: a plan's header, then thousands of articles ("Điều N.") of varied
administrative sentences, with a word found only near the end. The tests assert what a
large document must not do — send the full text back from the upload, build an unbounded
snippet, render every character on its page — never how long anything takes.
"""

from __future__ import annotations

import random

HEADER = """ỦY BAN NHÂN DÂN
TỈNH BÌNH LAM
Số: 999/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lam Giang, ngày 05 tháng 01 năm 2024

KẾ HOẠCH
Tổng hợp hồ sơ lưu trữ các phong trào thi đua giai đoạn 2015 - 2024

"""

SENTENCES = [
    "Các sở, ban, ngành tỉnh triển khai kế hoạch thi đua năm {y} đến toàn thể cán bộ, công chức.",
    "Ủy ban nhân dân huyện {p} tổ chức sơ kết phong trào thi đua yêu nước trên địa bàn.",
    "Tặng Bằng khen cho {n} tập thể và {k} cá nhân có thành tích xuất sắc trong công tác cải cách hành chính.",
    "Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan hướng dẫn, kiểm tra việc thực hiện.",
    "Kinh phí thực hiện trích từ Quỹ thi đua, khen thưởng của tỉnh năm {y} theo quy định hiện hành.",
    "Trường Tiểu học xã {p} đạt danh hiệu Tập thể lao động xuất sắc năm học {y} - {z}.",
    "Báo cáo kết quả thực hiện gửi về Ban Thi đua - Khen thưởng trước ngày {d} tháng {m} năm {y}.",
    "Đẩy mạnh ứng dụng công nghệ thông tin, chữ ký số trong quản lý văn bản và hồ sơ công việc.",
    "Hội đồng Thi đua - Khen thưởng huyện {p} xét chọn, đề nghị danh hiệu Chiến sĩ thi đua cơ sở.",
]
PLACES = ["Long Lợi", "Tân Thạnh", "An Lợi", "Phước Hưng", "Hòa Bình", "Mỹ Xuyên", "Thạnh Phú", "Vĩnh Thuận"]
CITING = "Căn cứ Quyết định số {n}/QĐ-UBND ngày {d}/{m}/{y} của Ủy ban nhân dân tỉnh về việc khen thưởng."
MIDDLE_WORD = "xylophongiữa"  # a word only in one article half way through
LATE_WORD = "xylophonbacuoi"  # a word only in the document's last article


def large_plan(target_chars: int, seed: int = 3) -> str:
    """A plan of about `target_chars` characters (NFC): header, then "Điều N." articles."""
    rng = random.Random(seed)
    parts, size, n, middle = [HEADER], len(HEADER), 0, False
    while size < target_chars:
        n += 1
        if not middle and size > target_chars // 2:
            middle = True
            block = f"Điều {n}. Hồ sơ đặc biệt\nMã lưu trữ {MIDDLE_WORD} của hồ sơ khen thưởng đặc biệt.\n"
            parts.append(block)
            size += len(block)
            continue
        y = rng.randint(2015, 2024)
        lines = [f"Điều {n}. Hồ sơ phong trào thi đua năm {y}"]
        if rng.random() < 0.1:
            lines.append(CITING.format(n=rng.randint(1, 300), d=rng.randint(1, 28), m=rng.randint(1, 12), y=y))
        for _ in range(rng.randint(6, 12)):
            lines.append(" ".join(
                rng.choice(SENTENCES).format(y=y, z=y + 1, p=rng.choice(PLACES), n=rng.randint(1, 2000),
                                             k=rng.randint(1, 60), d=rng.randint(1, 28), m=rng.randint(1, 12))
                for _ in range(rng.randint(1, 3))))
        block = "\n".join(lines) + "\n"
        parts.append(block)
        size += len(block)
    parts.append(f"Điều {n + 1}. Điều khoản cuối\nMã lưu trữ {LATE_WORD} dùng cho tra cứu hồ sơ.\n")
    return "".join(parts)


# --- through the real app -----------------------------------------------------------------------

import re  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from html import unescape  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from lxml import html as lhtml  # noqa: E402

from indexer.highlight import FULL_SCAN, HEAD_SCAN, PROBE, WINDOW  # noqa: E402
from indexer.normalize import fold  # noqa: E402
from indexer.pipeline import add_file  # noqa: E402
from indexer.settings import Settings  # noqa: E402
from service.app import create_app  # noqa: E402
from service.routers.pages import TEXT_PART  # noqa: E402

TOKEN = "large-doc-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CHARS = 1_300_000  # past PROBE, four pages of TEXT_PART: every bounded path, in seconds of indexing


def _running(code) -> bool:
    """Whether some thread is inside the function of `code` right now."""
    for frame in sys._current_frames().values():
        while frame is not None:
            if frame.f_code is code:
                return True
            frame = frame.f_back
    return False


@pytest.fixture(scope="module")
def big(demo_data, tmp_path_factory):
    """The demo archive plus one generated plan of CHARS characters uploaded through the API,
    with searches sent while the upload was being indexed."""
    assert PROBE < CHARS and 3 * TEXT_PART < CHARS and FULL_SCAN < CHARS / 2 < PROBE
    data = tmp_path_factory.mktemp("large") / "data"
    shutil.copytree(demo_data, data)
    plan = large_plan(CHARS)
    settings = Settings(data=data, admin_token=TOKEN, ocr=False, large_upload_mb=1)
    assert len(plan.encode()) > settings.large_upload_mb * (1 << 20)  # prepared in the worker process
    with TestClient(create_app(settings)) as client:
        reply = {}

        def upload():
            reply["r"] = client.post("/api/documents", files={"file": ("tong-hop.txt", plan.encode(), "text/plain")},
                                     headers=AUTH)

        worker = threading.Thread(target=upload)
        worker.start()
        answered_during = 0  # searches answered while add_file was running in another thread
        while worker.is_alive():
            if not _running(add_file.__code__):
                worker.join(0.01)
                continue
            ok = client.get("/api/search", params={"q": "thi đua"}).status_code == 200
            answered_during += ok and _running(add_file.__code__)
        worker.join()
        r = reply["r"]
        assert r.status_code == 200, r.text[:500]
        assert client.app.state.upload_worker.started
        doc = client.get(f"/api/documents/{r.json()['id']}").json()
        yield {"client": client, "plan": plan, "upload": r, "doc": doc, "answered_during": answered_during}


def test_searches_are_answered_while_a_large_upload_is_indexed(big):
    assert big["answered_during"] >= 1


def test_upload_answers_metadata_without_the_text(big):
    r, doc = big["upload"], big["doc"]
    body = r.json()
    assert "text" not in body and "sections" not in body and "citations" not in body
    assert len(r.content) < 5_000  # the same small object as for a one-page file
    assert body["number"] == "999/KH-UBND" and body["type"] == "Kế hoạch" and body["duplicate"] is False
    assert body["title"] == doc["title"] and body["source"] == "uploads/tong-hop.txt"
    assert body["url"] == f"/van-ban/{body['id']}"
    assert body["text_length"] == len(doc["text"]) > CHARS
    assert body["section_count"] == len(doc["sections"]) and body["citation_count"] == len(doc["citations"]) > 0


def test_api_document_keeps_the_full_text(big):
    doc, plan = big["doc"], big["plan"]
    assert doc["text"] == plan.strip()  # CONTRACT: GET /api/documents/{id} has "text", all of it
    r = big["client"].get(f"/api/documents/{doc['id']}/text")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert r.text == doc["text"] and "tong-hop.txt" in r.headers["content-disposition"]


def _hit(client, q: str, doc_id: str) -> dict:
    hits = client.get("/api/search", params={"q": q, "limit": 100}).json()["hits"]
    return next(h for h in hits if h["id"] == doc_id)


def _marked(snippet: str) -> list[str]:
    return [unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", snippet)]


@pytest.mark.parametrize("q", ["kế hoạch", "ke hoach", "KHEN THƯỞNG đặc biệt"])
def test_snippet_of_a_large_document_is_one_bounded_passage(big, q):
    doc = big["doc"]
    hit = _hit(big["client"], q, doc["id"])
    plain = unescape(re.sub(r"</?mark>", "", hit["snippet"]))
    assert 0 < len(plain) <= WINDOW + 2  # the window and its two "…"
    words = {fold(w) for w in q.lower().split()}
    assert _marked(hit["snippet"]) and all(fold(m.lower()) in words for m in _marked(hit["snippet"]))
    # the snippet is the text itself (spaces folded), and its section is a heading of the text
    assert " ".join(plain.strip("…").split()) in " ".join(doc["text"].split())
    if hit["section"]:
        assert doc["text"][hit["section"]["start"]:].startswith(hit["section"]["title"])


def test_a_word_past_the_beginning_is_found_marked_and_its_section_named(big):
    doc = big["doc"]
    at = doc["text"].index(MIDDLE_WORD)
    assert HEAD_SCAN < FULL_SCAN < at < PROBE
    hit = _hit(big["client"], "xylophongiua", doc["id"])  # typed without diacritics
    assert _marked(hit["snippet"]) == [MIDDLE_WORD]
    heading = doc["text"].rfind("\nĐiều ", 0, at) + 1
    assert hit["section"] == {"title": doc["text"][heading:].split("\n")[0], "start": heading}
    assert hit["section"]["title"].endswith(". Hồ sơ đặc biệt")


def test_a_word_only_past_the_probe_still_finds_the_document(big):
    doc = big["doc"]
    assert doc["text"].index(LATE_WORD) > PROBE
    hit = _hit(big["client"], LATE_WORD, doc["id"])  # found by the index; the snippet does not look that far
    assert 0 < len(unescape(re.sub(r"</?mark>", "", hit["snippet"]))) <= WINDOW + 2


def _page(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    return lhtml.fromstring(r.text)


def test_document_page_shows_one_part_and_says_so(big):
    client, doc = big["client"], big["doc"]
    tree = _page(client, f"/van-ban/{doc['id']}")
    shown = tree.xpath("//section[contains(@class, 'doc-text')]/section[contains(@class, 'part')]")
    text = "".join(s.text_content() for s in shown)
    assert TEXT_PART <= len(text) < TEXT_PART + 1_000 and doc["text"].startswith(text[:1_000])
    note = " ".join(tree.xpath("//div[contains(@class, 'truncated')]")[0].text_content().split())
    assert "chỉ hiển thị một phần" in note and "phần 1/5" in note
    assert tree.xpath(f"//div[contains(@class, 'truncated')]//a[@href='/api/documents/{doc['id']}/original']")
    assert tree.xpath(f"//div[contains(@class, 'truncated')]//a[@href='/api/documents/{doc['id']}/text']")
    assert tree.xpath("//nav[@aria-label='Các phần của văn bản']//a[@href='?phan=2' and @rel='next']")
    # the table of contents: this part's headings in the page, the others on their part
    anchors = set(tree.xpath("//section[contains(@class, 'doc-text')]/section/@id"))
    toc = tree.xpath("//nav[@class='toc']//a/@href")
    assert any(h.startswith("#") for h in toc) and all(h[1:] in anchors for h in toc if h.startswith("#"))
    far = next(h for h in toc if h.startswith("?phan=3#"))
    part3 = _page(client, f"/van-ban/{doc['id']}{far.split('#')[0]}")
    assert part3.xpath(f"//section[@id='{far.split('#')[1]}']")


def test_the_parts_together_are_the_whole_text(big):
    client, doc = big["client"], big["doc"]
    text = ""
    for n in range(1, 6):
        tree = _page(client, f"/van-ban/{doc['id']}?phan={n}")
        assert f"phần {n}/5" in " ".join(tree.xpath("//div[contains(@class, 'truncated')]")[0].text_content().split())
        text += "".join(s.text_content() for s in tree.xpath("//section[contains(@class, 'doc-text')]/section"))
    assert text == doc["text"]
    assert MIDDLE_WORD in text and LATE_WORD in text
    for odd in ("0", "99", "abc"):  # out of range or not a number: the nearest part, not an error
        assert _page(client, f"/van-ban/{doc['id']}?phan={odd}").xpath("//section[contains(@class, 'doc-text')]")


def test_a_hit_section_link_opens_the_part_holding_it(big):
    """The search page links a hit's section with ?muc=<offset>: the server opens the part that
    holds it (without JavaScript), and the anchor is on that part."""
    client, doc = big["client"], big["doc"]
    tree = _page(client, "/?" + urlencode({"q": MIDDLE_WORD}))
    href = next(a for a in tree.xpath("//p[@class='section-name']/a/@href") if doc["id"] in a)
    start = doc["text"].index(MIDDLE_WORD)
    assert start > TEXT_PART  # not on the first part
    target = _page(client, href.split("#")[0])
    assert target.xpath(f"//section[@id='{href.split('#')[1]}']")
    assert MIDDLE_WORD in "".join(s.text_content() for s in target.xpath("//section[contains(@class, 'doc-text')]/section"))
    # an explicit part wins; a bad offset is the first part, not an error
    assert not _page(client, href.split("#")[0] + "&phan=1").xpath(f"//section[@id='{href.split('#')[1]}']")
    assert _page(client, f"/van-ban/{doc['id']}?muc=abc").xpath("//section[contains(@class, 'doc-text')]")


# --- the page's parts, as functions ----------------------------------------------------------------

from service.routers.pages import MAX_TOC, document_sections, paged_contents, text_parts  # noqa: E402


def test_text_parts_cut_after_a_line_break_and_cover_the_text():
    text = "".join(f"dòng {i} " * (i % 7 + 1) + "\n" for i in range(4000))
    cuts = text_parts(text, size=10_000)
    assert cuts[0] == 0 and cuts[-1] == len(text) and cuts == sorted(set(cuts))
    assert all(text[c - 1] == "\n" for c in cuts[1:-1])
    assert all(b - a <= 10_000 + 100 for a, b in zip(cuts, cuts[1:]))
    assert text_parts("ngắn\n", size=10_000) == [0, 5] and text_parts("", size=10) == [0, 0]
    assert text_parts("x" * 25, size=10) == [0, 10, 20, 25]  # no line break or space: cut where it falls


def test_document_sections_of_each_part_add_up_to_the_text_with_each_anchor_once():
    text = "Mở đầu\n" + "".join(f"Điều {i}. Mục {i}\nnội dung Kế hoạch số {i}/KH-UBND.\n" for i in range(1, 200))
    sections = []
    for m in re.finditer(r"^Điều \d+\. .*$", text, re.M):
        sections.append({"title": m.group(), "start": m.start(), "end": 0, "level": 4})
    sections = [{"title": "", "start": 0, "end": sections[0]["start"], "level": 0}] + [
        {**s, "end": (sections[i + 1]["start"] if i + 1 < len(sections) else len(text))} for i, s in enumerate(sections)]
    cits = [{"start": m.start(), "end": m.end(), "surface": m.group(), "resolves_to": None}
            for m in re.finditer(r"Kế hoạch số \d+/KH-UBND", text)]
    doc = {"text": text, "sections": sections, "citations": cits}
    cuts = text_parts(text, size=1_000)
    parts = [document_sections(doc, a, b) for a, b in zip(cuts, cuts[1:])]
    shown = "".join(lhtml.fromstring(f"<div>{s['html']}</div>").text_content() for p in parts for s in p)
    assert shown == text and len(parts) > 5
    anchors = [s["anchor"] for p in parts for s in p if s["anchor"]]
    assert anchors == [f"muc-{s['start']}" for s in sections]
    linked = sum(s["html"].count('class="cite') for p in parts for s in p)
    assert linked == len(cits)  # no citation crosses a part here: each is linked once


def test_a_long_table_of_contents_keeps_this_parts_headings_and_lists_the_parts():
    toc = [{"title": f"Điều {i}.", "start": i * 100, "level": 4} for i in range(MAX_TOC + 500)]
    cuts = [0, 50_000, 100_000, (MAX_TOC + 500) * 100]
    entries, pages = paged_contents(toc, cuts, 2)
    assert [e["start"] for e in entries] == list(range(50_000, 100_000, 100))
    assert all(e["href"] == f"#muc-{e['start']}" for e in entries)
    assert [(p["n"], p["first"]) for p in pages] == [(1, "Điều 0."), (2, "Điều 500."), (3, "Điều 1000.")]
    short, _ = paged_contents(toc[:20], [0, 1_000, 2_000], 1)
    assert [e["href"] for e in short[9:12]] == ["#muc-900", "?phan=2#muc-1000", "?phan=2#muc-1100"]
