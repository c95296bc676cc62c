"""Definitions: the terms a text defines, the term a question asks about, and the search
bonus that puts the defining document first (real Whoosh index through the pipeline)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from lxml import html as lhtml

from indexer.definitions import asked_term, defined_terms, definition_span, term_key
from indexer.extract import Limits
from indexer.library import Library
from indexer.pipeline import index_path
from indexer.search import SearchParams
from indexer.settings import Settings
from service.app import create_app


def test_defining_clauses_give_their_terms():
    text = ("Điều 3. Giải thích từ ngữ\n\nTrong Luật này, các từ ngữ dưới đây được hiểu như sau:\n\n"
            "1. Thi đua là hoạt động có tổ chức với sự tham gia tự nguyện.\n"
            "2. Khen thưởng là việc ghi nhận, biểu dương, tôn vinh.\n"
            "a) Danh hiệu thi đua được hiểu là hình thức ghi nhận.\n"
            "Trục xuất là buộc người nước ngoài phải rời khỏi lãnh thổ.\n"
            "3. Người nào vi phạm quy định tại Điều 5, thì bị xử phạt.\n")
    assert defined_terms(text) == ["thi dua", "khen thuong", "danh hieu thi dua", "truc xuat"]


def test_sentences_that_only_use_la_are_not_definitions():
    text = ("Kế hoạch này nhằm động viên cán bộ, trong đó trọng tâm là phong trào thi đua.\n"
            "Ủy ban nhân dân tỉnh, các sở, ngành là cơ quan thực hiện.\n")
    assert defined_terms(text) == []


def test_definition_span_is_the_defining_clause():
    text = "Điều 3.\n1. Khen thưởng là việc ghi nhận.\n2. Thi đua là hoạt động có tổ chức.\nĐiều 4."
    start, term_end, end = definition_span(text, "thi dua")
    assert (text[start:term_end], text[start:end]) == ("Thi đua", "Thi đua là hoạt động có tổ chức.")
    assert definition_span(text, "danh hieu") is None


def test_defined_terms_of_a_real_law(shared_dir):
    law = shared_dir / "corpus" / "laws" / "corpus" / "luat-thi-dua-khen-thuong.txt"
    if not law.exists():
        pytest.skip(f"{law} is not in ../shared")
    terms = defined_terms(law.read_text(encoding="utf-8"))
    assert {"thi dua", "khen thuong", "danh hieu thi dua"} <= set(terms)


@pytest.mark.parametrize("question, term", [
    ("Thi đua là gì?", "Thi đua"),
    ("thi dua la gi", "thi dua"),
    ("Định nghĩa của \"Người lao động\"?", "Người lao động"),
    ("khái niệm khen thưởng", "khen thưởng"),
    ("Thế nào là hòa giải ở cơ sở?", "hòa giải ở cơ sở"),
    ("Theo Bộ luật Dân sự 2015, hoa lợi được hiểu như thế nào?", "hoa lợi"),
    ("Theo Điều 25, Bộ luật dân sự 2015, quyền nhân thân là gì?", "quyền nhân thân"),
    ("Bộ luật Dân sự 2015 quy định pháp nhân thương mại là gì?", "pháp nhân thương mại"),
    ("Chất hướng thần được định nghĩa là gì?", "Chất hướng thần"),
])
def test_a_question_asking_for_a_meaning_gives_its_term(question, term):
    assert asked_term(question) == term


@pytest.mark.parametrize("question", [
    "kế hoạch thi đua năm 2019",
    "Tài sản mà chủ sở hữu đã từ bỏ quyền sở hữu được gọi là gì?",  # asks for the term, not its meaning
    "Ai là người đứng đầu cơ quan thi đua là gì?",
    "Người lao động được nghỉ bao nhiêu ngày là gì?",
    "là gì",
])
def test_other_questions_ask_no_term(question):
    assert asked_term(question) is None


def test_term_keys_ignore_accents_case_and_punctuation():
    assert term_key("Người  lao động") == term_key("nguoi lao dong") == "nguoi lao dong"
    assert term_key("“Hòa giải”") == "hoa giai"


@pytest.fixture(scope="module")
def laws(tmp_path_factory):
    """A glossary that defines "thi đua" once, and a plan that says it many times."""
    root = tmp_path_factory.mktemp("defs")
    (root / "giai-thich.txt").write_text(
        "Điều 3. Giải thích từ ngữ\n\n1. Thi đua là hoạt động có tổ chức với sự tham gia tự nguyện "
        "của cá nhân, tập thể nhằm phấn đấu đạt thành tích tốt nhất.\n"
        "2. Khen thưởng là việc ghi nhận, biểu dương, tôn vinh công trạng.\n"
        "3. Danh hiệu là hình thức ghi nhận, biểu dương cá nhân, tập thể.\n", encoding="utf-8")
    (root / "ke-hoach.txt").write_text(
        "Kế hoạch phát động thi đua. Phong trào thi đua yêu nước, thi đua lập thành tích, "
        "thi đua đặc biệt chào mừng kỷ niệm; khen thưởng kịp thời.\n", encoding="utf-8")
    data = tmp_path_factory.mktemp("defs-data")
    index_path(root, data, workers=1, limits=Limits(ocr=False))
    lib = Library(data)
    yield lib
    lib.close()


@pytest.fixture(scope="module")
def client(laws):
    with TestClient(create_app(Settings(data=laws.data))) as c:
        yield c


def sources(lib, q: str) -> list[str]:
    return [h["source"] for h in lib.search(SearchParams(q=q))["hits"]]


def test_a_plain_query_ranks_by_content(laws):
    assert sources(laws, "thi đua")[0] == "ke-hoach.txt"


@pytest.mark.parametrize("q", ["thi đua là gì", "thi dua la gi", "định nghĩa thi đua", "Thi đua được hiểu như thế nào?"])
def test_asking_what_a_term_means_puts_the_defining_document_first(laws, q):
    found = sources(laws, q)
    assert found[0] == "giai-thich.txt"
    assert "ke-hoach.txt" in found  # the words "là gì" are not required: the plan still matches


def test_a_definition_hit_names_the_term_and_shows_its_clause(laws):
    hits = laws.search(SearchParams(q="thi dua la gi"))["hits"]
    first, other = hits[0], hits[1]
    assert first["defines"] == "Thi đua"
    assert first["snippet"].startswith("…1. <mark>Thi</mark> <mark>đua</mark> <mark>là</mark> hoạt động có tổ chức")
    assert other["defines"] is None
    assert all(h["defines"] is None for h in laws.search(SearchParams(q="thi đua"))["hits"])


def test_the_api_and_the_page_show_the_definition(client):
    body = client.get("/api/search", params={"q": "khen thưởng là gì"}).json()
    assert body["hits"][0]["source"] == "giai-thich.txt"
    assert body["hits"][0]["defines"] == "Khen thưởng"
    tree = lhtml.fromstring(client.get("/", params={"q": "khen thưởng là gì"}).text)
    first = tree.xpath("//li[@class='hit']")[0]
    assert first.xpath(".//span[contains(@class, 'definition')]/text()") == ["Định nghĩa"]
    assert "Khen thưởng là việc ghi nhận" in first.text_content()
    assert not tree.xpath("//li[@class='hit']")[1].xpath(".//span[contains(@class, 'definition')]")
