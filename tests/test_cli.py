"""The `vanthu` console script, run as a real subprocess."""

import json
import subprocess
import sys

import pytest

VANTHU = [sys.executable, "-m", "indexer.cli"]


def vanthu(*args, input=None):
    return subprocess.run([*VANTHU, *map(str, args)], capture_output=True, text=True, input=input, timeout=300)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    root = tmp_path_factory.mktemp("archive")
    (root / "2020").mkdir()
    (root / "2020" / "kh 12.txt").write_text(
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ LAM\nSố: 12/KH-UBND\nHà Lam, ngày 05 tháng 01 năm 2020\nKẾ HOẠCH\n"
        "Tổ chức phong trào thi đua yêu nước năm 2020\nCăn cứ Kế hoạch số 1460/KH-UBND ngày 17/6/2019 của UBND tỉnh;\n"
        "1. Thi đua là hoạt động có tổ chức, tự nguyện.\n",
        encoding="utf-8",
    )
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    data = tmp_path_factory.mktemp("data")
    r = vanthu("index", root, "--data", data, "--workers", "1")
    return root, data, r


def test_index_reports_and_skips_with_reason(indexed):
    _, _, r = indexed
    assert r.returncode == 0, r.stderr
    assert "1 added" in r.stdout and "1 skipped" in r.stdout
    assert "thêm 1," in r.stdout and "bỏ qua 1" in r.stdout  # Vietnamese first, as `vanthu watch` says it
    assert "broken.pdf:" in r.stdout


def test_search_json_is_the_api_object(indexed):
    _, data, _ = indexed
    r = vanthu("search", "thi dua yeu nuoc", "--data", data, "--json")
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert set(body) >= {"query", "total", "page", "hits", "facets"}
    assert body["hits"][0]["source"] == "2020/kh 12.txt"


def test_search_text_marks_a_definition(indexed):
    _, data, _ = indexed
    r = vanthu("search", "thi đua là gì", "--data", data)
    assert r.returncode == 0, r.stderr
    assert "[định nghĩa] …1. *Thi* *đua* *là* hoạt động" in r.stdout
    plain = vanthu("search", "thi đua", "--data", data)
    assert "[định nghĩa]" not in plain.stdout


def test_show_by_number_and_link_from_stdin(indexed):
    _, data, _ = indexed
    r = vanthu("show", "12/KH-UBND", "--data", data, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["number"] == "12/KH-UBND" and doc["citations"][0]["number"] == "1460/KH-UBND"
    r = vanthu("link", "-", "--data", data, "--json", input="Thực hiện Kế hoạch số 12/KH-UBND của UBND tỉnh.")
    cits = json.loads(r.stdout)["citations"]
    assert cits[0]["resolves_to"]["id"] == doc["id"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["search", '"open', "--data", "{data}"], "ngoặc kép"),
        (["show", "99999/KH-XYZ", "--data", "{data}"], "Không tìm thấy"),
        (["search", "x", "--data", "{empty}"], "vanthu index"),
        (["index", "{missing}", "--data", "{data}"], "does not exist"),
    ],
)
def test_errors_exit_2_with_a_message(indexed, tmp_path, args, message):
    _, data, _ = indexed
    fill = {"data": data, "empty": tmp_path / "empty", "missing": tmp_path / "missing"}
    r = vanthu(*[a.format(**fill) for a in args])
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr


def test_link_json_is_the_api_object(indexed, tmp_path):
    """`vanthu link FILE --json` (and stdin) prints exactly what POST /api/link answers, `missing` included."""
    from fastapi.testclient import TestClient

    from indexer.settings import Settings
    from service.app import create_app

    _, data, _ = indexed
    text = ("Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2020 của Uỷ ban nhân dân tỉnh Hà Lam\r\n"
            "và Kế hoạch số 999/KH-UBND của UBND tỉnh;")
    draft = tmp_path / "dự thảo.txt"
    draft.write_text(text, encoding="utf-8")
    by_file = vanthu("link", draft, "--data", data, "--json")
    by_stdin = vanthu("link", "-", "--data", data, "--json", input=text)
    assert by_file.returncode == 0 and by_stdin.returncode == 0, by_file.stderr + by_stdin.stderr
    with TestClient(create_app(Settings(data=data))) as c:
        api_file = c.post("/api/link", files={"file": (draft.name, draft.read_bytes(), "text/plain")}).json()
        api_text = c.post("/api/link", json={"text": text}).json()
    assert json.loads(by_file.stdout) == api_file
    assert json.loads(by_stdin.stdout) == api_text
    assert [m["number"] for m in api_text["missing"]] == ["999/KH-UBND"]
    assert api_text["citations"][0]["status"] == "resolved" and "Ủy ban" in api_text["text"]


@pytest.mark.parametrize("text", ["Báo cáo không dẫn chiếu văn bản nào.\n", ""])
def test_link_without_citations_says_so(indexed, text):
    _, data, _ = indexed
    r = vanthu("link", "-", "--data", data, input=text)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Không tìm thấy trích dẫn nào. (No citations found.)\n"
    as_json = vanthu("link", "-", "--data", data, "--json", input=text)  # the API object, nothing else
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["citations"] == []
    assert as_json.stdout.count("\n") == 1


def test_link_lists_each_missing_document_once_on_one_line(indexed):
    """A citation broken over lines (a PDF's text) prints on one line; the documents to find are
    listed once each at the end, with how often they are cited."""
    _, data, _ = indexed
    text = "Căn cứ Kế hoạch số\n999/KH-UBND; theo Kế hoạch số 999/KH-UBND và Quyết định số 4444/QĐ-UBND."
    r = vanthu("link", "-", "--data", data, input=text)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert any(line.split(None, 1)[1].startswith("Kế hoạch số 999/KH-UBND  →") for line in lines[:3])
    tail = lines[lines.index("Chưa có trong kho: 2 văn bản. (Not archived: 2 documents.)") + 1:]
    assert [t.strip() for t in tail] == ["Kế hoạch số 999/KH-UBND  (2 lần)", "Quyết định số 4444/QĐ-UBND"]


def test_link_of_a_damaged_pdf_says_only_our_message(indexed, tmp_path):
    """pypdf's own log lines ("EOF marker not found") are not printed before the message."""
    _, data, _ = indexed
    bad = tmp_path / "hỏng.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ngarbage")
    r = vanthu("link", bad, "--data", data)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [line for line in r.stderr.strip().splitlines() if "hỏng.pdf" in line]


def test_link_of_a_missing_file_exits_2_with_a_message(indexed, tmp_path):
    _, data, _ = indexed
    r = vanthu("link", tmp_path / "không-có.docx", "--data", data, "--json")
    assert r.returncode == 2 and "không-có.docx" in r.stderr and "Traceback" not in r.stderr


def test_search_text_shows_the_suggestion_and_the_relaxed_fallback(indexed):
    """The human output says what the JSON says: "did you mean", and that no document has every word."""
    _, data, _ = indexed
    typo = vanthu("search", "thi duaa", "--data", data, "--as-typed")
    assert typo.returncode == 0, typo.stderr
    assert "0 kết quả" in typo.stdout and "Có phải bạn muốn tìm: thi dua?" in typo.stdout
    fixed = vanthu("search", "thi duaa", "--data", data)  # without --as-typed: the correction's hits
    assert fixed.returncode == 0, fixed.stderr
    assert "Không có văn bản chứa đủ các từ đã gõ; đã tìm theo: thi dua" in fixed.stdout and "12/KH-UBND" in fixed.stdout
    unarchived = vanthu("search", "98107/KH-SNV", "--data", data)
    assert unarchived.returncode == 0, unarchived.stderr
    assert "Kho chưa có văn bản mang số 98107/KH-SNV, và chưa văn bản nào trong kho trích dẫn số này." in unarchived.stdout
    relaxed = vanthu("search", "ke hoach thi dua qqzzxxv", "--data", data)  # nothing close to correct it
    assert relaxed.returncode == 0, relaxed.stderr
    assert "Không có văn bản chứa đủ mọi từ đã gõ; dưới đây là các văn bản chứa nhiều từ nhất." in relaxed.stdout
    assert " kết quả chứa một phần các từ cho " in relaxed.stdout.splitlines()[0]
    assert "2020/kh 12.txt" in relaxed.stdout or "12/KH-UBND" in relaxed.stdout
    plain = vanthu("search", "thi dua yeu nuoc", "--data", data)
    assert "Có phải" not in plain.stdout and "nhiều từ nhất" not in plain.stdout
    body = json.loads(vanthu("search", "ke hoahc thi dua", "--data", data, "--json").stdout)
    assert body["corrected"] == "ke hoach thi dua" and body["query"] == "ke hoahc thi dua" and body["total"] == 1
    body = json.loads(vanthu("search", "ke hoahc thi dua", "--data", data, "--json", "--as-typed").stdout)
    assert body["relaxed"] is True and body["suggestion"] == "ke hoach thi dua" and body["corrected"] is None
    named = vanthu("search", "ke hoach thi dua yeu nuoc", "--data", data)  # the plan's type named first
    assert "Văn bản loại Kế hoạch được xếp trước." in named.stdout and "12/KH-UBND" in named.stdout
    assert "xếp trước" not in plain.stdout


def test_search_json_is_the_api_object(tmp_path):
    """`vanthu search --json` prints exactly what GET /api/search answers: plain, relaxed,
    offered more (`broader`), corrected, and with most_words."""
    from fastapi.testclient import TestClient

    from indexer.settings import Settings
    from service.app import create_app
    from tests.conftest import PLANS_AND_REPORT, index_files

    data = index_files(tmp_path, PLANS_AND_REPORT)
    asked = [("văn hóa công sở", []), ("tổng kết văn hóa công sở đánh giá kết quả", []),
             ("tổng kết văn hóa công sở đánh giá kết quả", ["--most-words"]), ("van hoa cong soo", []),
             ("báo cáo tổng kết thi đua xuất sắc đặc biệt", [])]
    with TestClient(create_app(Settings(data=data))) as c:
        for q, flags in asked:
            r = vanthu("search", q, "--data", data, "--json", *flags)
            assert r.returncode == 0, r.stderr
            api = c.get("/api/search", params={"q": q, "most_words": str(bool(flags)).lower()}).json()
            assert json.loads(r.stdout) == api, q
    assert api["relaxed"]


def test_search_text_offers_the_documents_with_most_words(tmp_path):
    from tests.conftest import PLANS_AND_REPORT, index_files

    data = index_files(tmp_path, PLANS_AND_REPORT)
    q = "tổng kết văn hóa công sở đánh giá kết quả"
    strict = vanthu("search", q, "--data", data)
    assert strict.returncode == 0 and "Chỉ 4 văn bản chứa đủ mọi từ đã gõ; --most-words" in strict.stdout
    broad = vanthu("search", q, "--data", data, "--most-words")
    assert broad.returncode == 0 and broad.stdout.startswith("5 kết quả chứa một phần các từ")
    both = vanthu("search", q, "--data", data, "--most-words", "--all-words")
    assert both.returncode == 2 and "all_words" in both.stderr and "Traceback" not in both.stderr
