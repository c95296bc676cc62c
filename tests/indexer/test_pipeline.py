"""The whole path file → index on real files, a real Whoosh index and real underthesea."""

from pathlib import Path

import pytest

from indexer.errors import IndexUnavailable, SchemaMismatch
from indexer.extract import Limits
from indexer.index import current_generation, index_root, open_index
from indexer.library import Library
from indexer.pipeline import index_path
from indexer.search import SearchParams

PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÀ LAM
Số: 1460/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Lam, ngày 17 tháng 6 năm 2019
KẾ HOẠCH
Tổ chức phong trào thi đua đặc biệt năm 2019
Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003;
I. MỤC ĐÍCH, YÊU CẦU
Phát động phong trào thi đua sâu rộng trong cán bộ, công chức.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
"""

REPORT = """ỦY BAN NHÂN DÂN
TỈNH HÀ LAM
Số: 210/BC-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Lam, ngày 20 tháng 12 năm 2019
BÁO CÁO
Tổng kết phong trào thi đua đặc biệt năm 2019
Thực hiện Kế hoạch số 1460/KH-UBND ngày 17/6/2019 của UBND tỉnh về phong trào thi đua đặc biệt,
và Kế hoạch số 999/KH-UBND ngày 01/01/2019 của UBND tỉnh, Ủy ban nhân dân tỉnh báo cáo như sau.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
"""


@pytest.fixture
def archive(tmp_path) -> Path:
    root = tmp_path / "archive"
    (root / "2019").mkdir(parents=True)
    (root / "2019" / "kh.txt").write_text(PLAN, encoding="utf-8")
    (root / "2019" / "bc.txt").write_text(REPORT, encoding="utf-8")
    return root


def run(root, data):
    return index_path(root, data, workers=1, limits=Limits(ocr=False))


def test_index_then_search_then_citations(archive, tmp_path):
    data = tmp_path / "data"
    report = run(archive, data)
    assert (report.added, report.skipped) == (2, [])
    lib = Library(data)
    res = lib.search(SearchParams(q="phong trào thi đua"))
    assert res["total"] == 2
    assert {h["source"] for h in res["hits"]} == {"2019/kh.txt", "2019/bc.txt"}
    assert all("<mark>" in h["snippet"] for h in res["hits"])

    plan = next(h for h in res["hits"] if h["source"] == "2019/kh.txt")
    doc = lib.document("1460/KH-UBND")
    assert doc["id"] == plan["id"] and doc["number"] == "1460/KH-UBND"
    report_doc = lib.document("210/BC-UBND")
    by_number = {c["number"]: c for c in report_doc["citations"] if c["number"]}
    assert by_number["1460/KH-UBND"]["resolves_to"]["id"] == plan["id"]
    assert by_number["999/KH-UBND"]["resolves_to"] is None  # cited, not archived
    assert [d["id"] for d in doc["cited_by"]] == [report_doc["id"]]
    lib.close()


def test_reindex_is_incremental(archive, tmp_path):
    data = tmp_path / "data"
    run(archive, data)
    again = run(archive, data)
    assert (again.added, again.updated, again.unchanged, again.removed) == (0, 0, 2, 0)

    (archive / "2019" / "bc.txt").write_text(REPORT.replace("báo cáo như sau", "báo cáo bổ sung"), encoding="utf-8")
    (archive / "2019" / "kh.txt").unlink()
    third = run(archive, data)
    assert (third.added, third.updated, third.unchanged, third.removed) == (0, 1, 0, 1)
    lib = Library(data)
    assert lib.search(SearchParams(q="bổ sung"))["total"] == 1
    assert lib.search(SearchParams(q="phát động"))["total"] == 0
    assert lib.count() == 1
    lib.close()


def test_same_bytes_twice_is_one_document(archive, tmp_path):
    (archive / "copy.txt").write_text(PLAN, encoding="utf-8")
    report = run(archive, tmp_path / "data")
    assert report.added == 2
    assert [s for s, _ in report.duplicates] == ["copy.txt"] or [s for s, _ in report.duplicates] == ["2019/kh.txt"]


def test_a_bad_file_is_listed_and_the_run_goes_on(archive, tmp_path):
    (archive / "broken.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    (archive / "empty.pdf").write_bytes(b"")
    report = run(archive, tmp_path / "data")
    assert report.added == 2
    skipped = dict(report.skipped)
    assert set(skipped) == {"broken.docx", "empty.pdf"}
    assert all(reason for reason in skipped.values())


def test_search_without_index_says_how_to_build_one(tmp_path):
    with pytest.raises(IndexUnavailable, match="vanthu index"):
        Library(tmp_path / "nothing").search(SearchParams(q="x"))


def test_schema_version_change_is_reported_not_wiped(archive, tmp_path):
    data = tmp_path / "data"
    run(archive, data)
    gen = index_root(data) / current_generation(data)
    (gen / "VERSION").write_text("schema-0/old")
    with pytest.raises(SchemaMismatch, match="reindex"):
        open_index(data)
    assert any(gen.glob("*.seg")) or any(gen.glob("_MAIN_*"))  # the old index is still there


def test_terms_counted_in_a_worker_index_like_the_analyzer(tmp_path):
    """`index_fields` hands the writer {term: frequency} per text field; the postings, weights
    and field lengths are the ones Whoosh's analyzer gives the same text."""
    from whoosh import index as windex

    from indexer.pipeline import index_fields
    from indexer.schema import build_schema, text_analyzers

    record = {"id": "a" * 16, "source": "x.txt", "root": "r", "sha": "s", "format": "txt",
              "title": "Kế hoạch thi đua năm 2019", "text": "Thi đua, khen thưởng: thi đua đột xuất năm 2019.",
              "citations": []}
    seg = {"title": "kế_hoạch thi_đua năm 2019", "body": "thi_đua , khen_thưởng : thi_đua đột_xuất năm 2019 ."}
    counted = index_fields(record, seg)
    as_text = {**counted, "id": "b" * 16}
    as_text.update({"title": seg["title"], "body": seg["body"]})
    as_text.update({k: record["title"] if k.startswith("title_") else record["text"]
                    for k in text_analyzers() if k not in ("title", "body")})
    ix = windex.create_in(str(tmp_path), build_schema())
    with ix.writer() as w:
        w.add_document(**counted)
        w.add_document(**as_text)
    with ix.searcher() as s:
        r = s.reader()
        for field in text_analyzers():
            assert isinstance(counted[field], dict) and counted[field]
            terms = [t for t in r.field_terms(field)]
            assert terms
            for t in terms:
                m = r.postings(field, t)
                got = {}
                while m.is_active():
                    got[m.id()] = (m.weight(), m.value())
                    m.next()
                assert got[0] == got[1], (field, t)
            assert r.doc_field_length(0, field) == r.doc_field_length(1, field)


def test_fast_term_counts_equal_the_whoosh_analyzers(demo_archive):
    """`analysis.counts` (what the workers hand the writer) equals counting the tokens of
    the Whoosh analyzer of each family, on demo documents and on awkward characters."""
    from indexer.analysis import ANALYZERS, counts, term_counts
    from indexer.extract import extract

    texts = [extract(p).text for p in sorted(demo_archive.rglob("*.txt"))[:15]]
    texts += ["İstanbul ǅa ΣΑΣ thi_đua KH-UBND 1460/KH-UBND  hoà\u0300 Ðảng x²", "", "   \n "]
    for text in texts:
        for family, make in ANALYZERS.items():
            assert counts(family, text) == term_counts(make(), text), (family, text[:60])
    with pytest.raises(ValueError, match="unknown analyzer family"):
        counts("stemmed", "thi đua")


def test_upload_worker_that_dies_gives_a_clear_error_then_recovers(tmp_path):
    """The process preparing a large upload is killed while it works (out of memory, say): that
    upload is a clear error and nothing is archived; the next upload gets a new process."""
    import multiprocessing
    import threading

    from indexer.errors import VanthuError
    from indexer.pipeline import UploadWorker, add_file

    data = tmp_path / "data"
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_text(PLAN.replace("1460", "1461") + "Phát động phong trào thi đua trong toàn tỉnh.\n" * 40_000, encoding="utf-8")
    small.write_text(PLAN.replace("1460", "1462"), encoding="utf-8")
    worker = UploadWorker(threshold=0)
    others = set(multiprocessing.active_children())
    outcome = {}

    def upload():
        try:
            outcome["ok"] = add_file(big, data, filename="big.txt", worker=worker)
        except VanthuError as exc:
            outcome["error"] = exc

    try:
        t = threading.Thread(target=upload)
        t.start()
        mine = set()
        while t.is_alive() and not mine:  # the process started for this upload
            mine = set(multiprocessing.active_children()) - others
            t.join(0.05)
        for child in mine:
            child.kill()
        t.join()
        assert "tiến trình xử lý bị dừng" in str(outcome.get("error")), outcome
        id_, duplicate = add_file(small, data, filename="small.txt", worker=worker)
        assert not duplicate
        numbers = [h["number"] for h in Library(data).search(SearchParams(q="thi đua", limit=10))["hits"]]
        assert numbers == ["1462/KH-UBND"]  # big.txt left no trace
    finally:
        worker.close()


# --- files moved, copies deleted, names in NFD, originals lost (found in exploratory use) ----------


def _sources(data) -> dict[str, str]:
    lib = Library(data)
    try:
        return {d["source"]: d["id"] for d in lib.list_documents(limit=100)["documents"]}
    finally:
        lib.close()


def test_a_renamed_or_moved_file_keeps_its_document(archive, tmp_path):
    data = tmp_path / "data"
    run(archive, data)
    before = _sources(data)
    (archive / "2020").mkdir()
    (archive / "2019" / "kh.txt").rename(archive / "2020" / "ke-hoach-1460.txt")
    report = run(archive, data)
    assert (report.moved, report.removed, report.added, report.duplicates) == (1, 0, 0, [])
    after = _sources(data)
    assert after == {"2020/ke-hoach-1460.txt": before["2019/kh.txt"], "2019/bc.txt": before["2019/bc.txt"]}
    lib = Library(data)
    assert lib.document("1460/KH-UBND")["source"] == "2020/ke-hoach-1460.txt"
    assert lib.search(SearchParams(q="phát động"))["total"] == 1
    lib.close()
    assert run(archive, data).unchanged == 2  # and it is settled


def test_deleting_one_of_two_copies_keeps_the_document(archive, tmp_path):
    data = tmp_path / "data"
    (archive / "ban-sao.txt").write_text(PLAN, encoding="utf-8")
    first = run(archive, data)
    (kept_as,) = [s for s in ("2019/kh.txt", "ban-sao.txt") if s in _sources(data)]
    other = "ban-sao.txt" if kept_as == "2019/kh.txt" else "2019/kh.txt"
    assert [s for s, _ in first.duplicates] == [other]
    (archive / kept_as).unlink()
    report = run(archive, data)
    assert (report.moved, report.removed) == (1, 0)
    assert other in _sources(data)
    lib = Library(data)
    assert lib.document("1460/KH-UBND")["source"] == other
    lib.close()


def test_empty_files_are_empty_not_duplicates_of_each_other(archive, tmp_path):
    (archive / "a.pdf").write_bytes(b"")
    (archive / "b.txt").write_bytes(b"")
    report = run(archive, tmp_path / "data")
    assert report.duplicates == []
    assert {s: "rỗng" in r for s, r in report.skipped} == {"a.pdf": True, "b.txt": True}


def test_a_file_name_in_nfd_gets_an_nfc_source(archive, tmp_path):
    import unicodedata

    data = tmp_path / "data"
    nfd = unicodedata.normalize("NFD", "Quyết định số 9.txt")
    (archive / nfd).write_text(PLAN.replace("1460", "9"), encoding="utf-8")
    run(archive, data)
    assert "Quyết định số 9.txt" in _sources(data)
    assert all(unicodedata.is_normalized("NFC", s) for s in _sources(data))


def test_an_archived_original_that_went_missing_comes_back(archive, tmp_path):
    data = tmp_path / "data"
    run(archive, data)
    originals = sorted((data / "originals").rglob("*.txt"))
    assert len(originals) == 2
    originals[0].unlink()
    assert run(archive, data).unchanged == 2
    assert sorted((data / "originals").rglob("*.txt")) == originals


def test_an_archived_original_cut_short_is_copied_again(archive, tmp_path):
    data = tmp_path / "data"
    run(archive, data)
    original = sorted((data / "originals").rglob("*.txt"))[0]
    whole = original.read_bytes()
    original.write_bytes(whole[:20])
    assert run(archive, data).unchanged == 2
    assert original.read_bytes() == whole


def test_index_waits_for_a_running_reindex(archive, tmp_path):
    """A re-index builds a new generation from the archive: what `vanthu index` added to the
    live one meanwhile would be lost at the switch, so it refuses and says why."""
    from indexer.errors import Conflict
    from indexer.jobs import JobLock

    data = tmp_path / "data"
    run(archive, data)
    (archive / "moi.txt").write_text(PLAN.replace("1460", "1470"), encoding="utf-8")
    with JobLock(data):
        with pytest.raises(Conflict, match="đang được tái lập chỉ mục"):
            run(archive, data)
    assert run(archive, data).added == 1


def test_index_that_a_switch_overtook_refuses_and_writes_nothing(archive, tmp_path):
    """`vanthu index` opened the live index, then a re-index switched generations before it had
    the writer: it says so (run again) instead of writing to the replaced generation."""
    import threading
    import time

    from indexer.errors import Conflict
    from indexer.index import current_generation, new_generation, open_index, switch_to

    data = tmp_path / "data"
    run(archive, data)
    old = current_generation(data)
    (archive / "moi.txt").write_text(PLAN.replace("1460", "1470"), encoding="utf-8")
    lock = open_index(data).lock("WRITELOCK")
    assert lock.acquire()  # a re-index between its last round and its switch
    out = {}

    def index():
        try:
            out["report"] = run(archive, data)
        except Conflict as exc:
            out["error"] = exc

    t = threading.Thread(target=index, daemon=True)
    t.start()
    time.sleep(1.5)  # it has opened the live index and waits for the writer
    name, _ = new_generation(data)
    switch_to(data, name)
    lock.release()
    t.join(60)
    assert "tái lập xong" in str(out.get("error")), out
    from whoosh import index as windex
    from indexer.index import index_root
    with windex.open_dir(str(index_root(data) / old)).searcher() as s:
        assert s.doc_count() == 2  # nothing added to the replaced generation


def test_a_data_dir_inside_the_archive_folder_is_walked_around(archive, tmp_path):
    """`vanthu index ~/van-ban --data ~/van-ban/var`: the archived originals under var/ are not
    documents of the folder (old versions would come back); indexing var/ itself is refused."""
    from indexer.errors import QueryError

    data = archive / "var"
    first = run(archive, data)
    assert first.added == 2 and (data / "originals").exists()
    again = run(archive, data)
    assert (again.added, again.unchanged, again.duplicates) == (0, 2, [])
    assert set(_sources(data)) == {"2019/kh.txt", "2019/bc.txt"}
    with pytest.raises(QueryError, match="thư mục dữ liệu"):
        run(data, data)


def test_skip_reasons_lead_in_vietnamese(archive, tmp_path):
    (archive / "hong.docx").write_bytes(b"PK\x03\x04 not really a zip")
    reason = dict(run(archive, tmp_path / "data").skipped)["hong.docx"]
    assert reason.startswith("tệp bị hỏng") and "hong.docx" not in reason


def test_watch_waits_out_a_running_reindex(archive, tmp_path):
    from indexer.jobs import JobLock
    from indexer.watch import watch

    data = tmp_path / "data"
    reports = []
    with JobLock(data):
        watch(archive, data, once=True, on_report=reports.append)  # no crash, nothing indexed yet
    assert reports == []
    watch(archive, data, once=True, on_report=reports.append)
    assert reports[0].added == 2


LAW = """QUỐC HỘI
Luật số: 15/2003/QH11
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
LUẬT
THI ĐUA, KHEN THƯỞNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định về đối tượng, nguyên tắc, nội dung thi đua.
"""


@pytest.mark.parametrize("query", ["luật 15/2003", "luat 15 2003", "15/2003", "Luật số 15/2003/QH11"])
def test_a_law_by_its_number_in_any_form(archive, tmp_path, query):
    """A law's code carries its legislature (QH11): "luật 15/2003" asks any of them."""
    (archive / "luat.txt").write_text(LAW, encoding="utf-8")
    data = tmp_path / "data"
    run(archive, data)
    lib = Library(data)
    hits = lib.search(SearchParams(q=query))["hits"]
    lib.close()
    assert hits and hits[0]["number"] == "15/2003/QH11"


def test_a_long_question_that_one_document_holds_in_full_is_ranked_by_most_words(archive, tmp_path):
    """Five words, all in one document only: that one first, then those with most of the words
    (`relaxed`, `complete` = 1), not a list of one."""
    from indexer.search import relaxed_note

    data = tmp_path / "data"
    run(archive, data)
    lib = Library(data)
    q = "phát động thi đua sâu rộng cán bộ"
    strict = lib.search(SearchParams(q=q, match="any"))
    full = lib.search(SearchParams(q=q))
    lib.close()
    assert full["relaxed"] and full["complete"] == 1 and full["total"] == strict["total"] >= 2
    assert full["hits"][0]["number"] == "1460/KH-UBND"
    assert relaxed_note(full).startswith("Chỉ 1 văn bản chứa đủ mọi từ")


def test_the_copy_citations_link_to_takes_the_line_of_the_first_copy():
    """Copies ranked with the larger id first: the smallest id (the one the document API, citations
    and /van-ban/<number> use) takes the first copy's place, the other is listed as its copy."""
    from indexer.search import copies_in_one_line

    hits = [{"id": "b2"}, {"id": "x"}, {"id": "a1"}, {"id": "c3"}]
    key = ("1460/KH-UBND", "2019-06-17", "ubnd tinh", "ke hoach")
    copies_in_one_line(hits, [key, None, key, key])
    assert [(h["id"], h.get("copy_of")) for h in hits] == [("a1", None), ("x", None), ("b2", "a1"), ("c3", "a1")]


def test_copies_of_one_document_are_listed_as_copies(archive, tmp_path):
    """The same plan archived twice (another file: a trailing line differs, so another
    document) ranks beside itself; the second is marked `copy_of` the first and the page shows
    it in one line. Same number, another date: a document of its own."""
    from fastapi.testclient import TestClient
    from lxml import html as lhtml

    from indexer.settings import Settings
    from service.app import create_app

    (archive / "ban sao").mkdir()
    (archive / "ban sao" / "kh.txt").write_text(PLAN + "\nNơi nhận: như trên.\n", encoding="utf-8")
    (archive / "2020").mkdir()
    (archive / "2020" / "kh.txt").write_text(PLAN.replace("17 tháng 6 năm 2019", "3 tháng 2 năm 2020"), encoding="utf-8")
    (archive / "huyen").mkdir()  # same number, date and title from another issuer: its own plan
    (archive / "huyen" / "kh.txt").write_text(PLAN.replace("TỈNH HÀ LAM", "HUYỆN PHÚ LAM"), encoding="utf-8")
    data = tmp_path / "data"
    run(archive, data)
    lib = Library(data)
    hits = lib.search(SearchParams(q="1460/KH-UBND"))["hits"]
    plans = [h for h in hits if h["number"] == "1460/KH-UBND"]
    for p in plans:  # a document's own copy is not "similar" to it
        similar = {h["id"] for h in lib.similar(p["id"], 10)["hits"]}
        assert not similar & {q["id"] for q in plans if q["copy_of"] == p["id"] or p["copy_of"] == q["id"]}, p
    lib.close()
    assert len(plans) == 4 and len({h["issuer"] for h in plans}) == 2
    firsts = [h for h in plans if h["copy_of"] is None]
    assert sorted(h["date"] for h in firsts) == ["2019-06-17", "2019-06-17", "2020-02-03"]
    copy = next(h for h in plans if h["copy_of"])
    original = next(h for h in firsts if h["id"] == copy["copy_of"])
    assert original["date"] == copy["date"] == "2019-06-17" and hits.index(original) < hits.index(copy)
    with TestClient(create_app(Settings(data=data))) as c:
        tree = lhtml.fromstring(c.get("/", params={"q": "1460/KH-UBND"}).text)
    line = tree.xpath("//li[contains(@class, 'copy')]")
    assert len(line) == 1 and "Bản khác của văn bản 1460/KH-UBND" in line[0].text_content()
    assert line[0].xpath(".//a/@href") == [f"/van-ban/{copy['id']}"]
    from tests.test_cli import vanthu

    out = vanthu("search", "1460/KH-UBND", "--data", data).stdout
    assert f"[{copy['id']}] bản khác của 1460/KH-UBND ở trên: ban sao/kh.txt" in out
    second = vanthu("search", "1460/KH-UBND", "--data", data, "--limit", "2", "--page", "2").stdout
    assert "  3. [" in second and "  1. [" not in second  # numbered as on the page

    # each copy's own document says which one citations link to (the smallest id), and its page says so
    pair = sorted([copy["id"], original["id"]])
    assert original["id"] == pair[0]  # the search's line is the copy the document API and citations use
    with TestClient(create_app(Settings(data=data))) as c:
        docs = {i: c.get(f"/api/documents/{i}").json() for i in pair}
        assert docs[pair[0]]["copy_of"] is None and docs[pair[1]]["copy_of"] == pair[0]
        assert c.get(f"/api/documents/{pair[0]}").json()["copy_of"] is None
        note = lhtml.fromstring(c.get(f"/van-ban/{pair[1]}").text).xpath("//div[contains(@class, 'copy-of')]")
        assert len(note) == 1 and note[0].xpath(".//a/@href") == [f"/van-ban/{pair[0]}"]
        assert not lhtml.fromstring(c.get(f"/van-ban/{pair[0]}").text).xpath("//div[contains(@class, 'copy-of')]")
        linked = c.post("/api/link", json={"text": "Căn cứ Kế hoạch số 1460/KH-UBND ngày 17/6/2019 của UBND tỉnh Hà Lam."}).json()
        assert linked["citations"][0]["resolves_to"]["id"] == pair[0]


def test_a_folder_that_lost_all_its_files_is_not_emptied_from_the_archive(archive, tmp_path):
    """An unmounted share leaves an empty mount point: indexing it must not delete the archive's
    documents (their records hold OCR'd text that the originals alone do not give back)."""
    from indexer.errors import WouldRemoveAll

    data = tmp_path / "data"
    assert run(archive, data).added == 2
    records = sorted((data / "records").rglob("*.json"))
    moved = tmp_path / "away"
    archive.rename(moved)
    archive.mkdir()
    with pytest.raises(WouldRemoveAll, match="--allow-remove-all"):
        run(archive, data)
    assert sorted((data / "records").rglob("*.json")) == records and len(_sources(data)) == 2
    (archive / "moi.txt").write_text(PLAN.replace("1460", "77"), encoding="utf-8")  # other files: still refused
    with pytest.raises(WouldRemoveAll):
        run(archive, data)
    report = index_path(archive, data, workers=1, limits=Limits(ocr=False), allow_remove_all=True)
    assert (report.removed, report.added, list(_sources(data))) == (2, 1, ["moi.txt"])
    (archive / "moi.txt").unlink()  # one document: removing it is an ordinary deletion
    assert run(archive, data).removed == 1


def test_a_copy_of_a_data_dir_inside_the_folder_is_not_archived(archive, tmp_path):
    """A backup of a data dir kept among the documents would bring its old originals back as new
    documents: it is skipped, and said."""
    import shutil

    data = tmp_path / "data"
    run(archive, data)
    shutil.copytree(data, archive / "backup-var")
    report = run(archive, data)
    assert (report.added, report.unchanged) == (0, 2)
    assert [s for s, _ in report.skipped] == ["backup-var/"] and "sao lưu" in report.skipped[0][1]


def test_a_file_name_in_nfd_is_stored_in_nfc(archive, tmp_path):
    import unicodedata

    data = tmp_path / "data"
    (archive / unicodedata.normalize("NFD", "Công văn 5.txt")).write_text(PLAN.replace("1460", "5"), encoding="utf-8")
    run(archive, data)
    lib = Library(data)
    hit = lib.search(SearchParams(q="5/KH-UBND"))["hits"][0]
    assert lib.document(hit["id"])["filename"] == "Công văn 5.txt"


def test_watch_says_a_skipped_file_once_and_waits_for_a_folder_that_went_away(archive, tmp_path):
    from indexer.watch import watch

    data = tmp_path / "data"
    (archive / "hong.docx").write_bytes(b"PK\x03\x04 not really a zip")
    reports = []

    def on_report(report):
        reports.append(report)
        if len(reports) == 1:  # a new file: the next settled scan indexes again
            (archive / "moi.txt").write_text(PLAN.replace("1460", "31"), encoding="utf-8")

    watch(archive, data, interval=0.01, stop=lambda: len(reports) >= 2, on_report=on_report)
    assert [s for s, _ in reports[0].skipped] == ["hong.docx"] and reports[1].added == 1
    assert reports[1].skipped == []  # said once, not at every change
    archive.rename(tmp_path / "away")  # an unmounted share: no crash, nothing removed
    watch(archive, data, once=True, on_report=reports.append)
    assert len(reports) == 2 and len(_sources(data)) == 3


def test_a_file_name_that_is_not_utf8_is_archived_under_a_readable_name(archive, tmp_path):
    """Old zips of TCVN3 archives give names whose bytes are not UTF-8: the file is archived (it
    was skipped with an encoding error) and its name shows the bad bytes as U+FFFD."""
    import json
    import os

    name = b"Quy\xea\xcct \xf0\xfbnh 12.txt"  # TCVN3 bytes of "Quyết định"
    with open(os.path.join(os.fsencode(archive), name), "w", encoding="utf-8") as f:
        f.write(PLAN.replace("1460", "12"))
    data = tmp_path / "data"
    report = run(archive, data)
    assert (report.added, report.skipped) == (3, [])
    source = next(s for s in _sources(data) if s.startswith("Quy"))
    assert source == "Quy\ufffd\ufffdt \ufffd\ufffdnh 12.txt"
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")  # no lone surrogate left in the report


def test_a_program_named_txt_is_skipped_with_its_reason_and_not_archived(tmp_path):
    import shutil

    src = tmp_path / "src"
    src.mkdir()
    (src / "ke-hoach.txt").write_text(PLAN, encoding="utf-8")
    shutil.copyfile(shutil.which("true") or "/bin/true", src / "setup.txt")
    report = index_path(src, tmp_path / "data", workers=1, limits=Limits(ocr=False))
    assert report.added == 1
    assert [(s, "không phải văn bản (có byte nhị phân)" in r) for s, r in report.skipped] == [("setup.txt", True)]
    assert len(list((tmp_path / "data" / "records").rglob("*.json"))) == 1
