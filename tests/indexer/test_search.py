"""Search behaviour on real indexes: number look-up in loose forms, no diacritics, accents
first, phrases, exclusion, facets, paging. The demo archive's catalog says what each document is."""

from __future__ import annotations

import contextlib
import re

import pytest

from indexer.extract import Limits
from indexer.library import Library
from indexer.normalize import fold, spelling_key
from indexer.numbers import TYPE_CODES, find_numbers_in_query
from indexer.pipeline import index_path
from indexer.search import SearchParams, query_words
from tests.conftest import index_files


TYPE_CODES_BY_NAME = {name: code for code, name in TYPE_CODES.items()}


def first_id(library, q: str, **kw) -> str | None:
    hits = library.search(SearchParams(q=q, **kw))["hits"]
    return hits[0]["source"] if hits else None


def parts(number: str) -> tuple[str, str, str]:
    seq, code_issuer = number.split("/", 1)
    code, _, issuer = code_issuer.partition("-")
    return seq, code, issuer


def test_a_number_in_any_loose_form_puts_its_document_first(library, demo_catalog):
    docs = [d for d in demo_catalog if d["number"] and re.fullmatch(r"\d+/[^/]+-[^/]+", d["number"])][:12]
    assert docs
    for d in docs:
        seq, code, issuer = parts(d["number"])
        full = {x["source"] for x in demo_catalog if x["number"] and fold(x["number"]).lower() == fold(d["number"]).lower()}
        # "KH 6" names no issuer: any document numbered 6/KH-… is a right answer
        short = {x["source"] for x in demo_catalog if x["number"] and "/" in x["number"]
                 and parts(x["number"])[:2] == (seq, code)}
        forms = {d["number"]: full, fold(d["number"]).lower(): full,
                 f"{fold(code).lower()} {seq} {fold(issuer).lower()}": full,
                 f"{fold(d['type']).lower()} so {d['number']}": full, f"{code} {seq}": short,
                 f"0{d['number']}": full}  # printed "Số: 06/KH-…"
        if code in TYPE_CODES:  # "KH 06" is a number; "SNV 014" is two words
            forms[f"{code} 0{seq}"] = short
        for form, right in forms.items():
            assert first_id(library, form) in right, (form, d["number"])


def test_a_number_inside_a_sentence_still_finds_the_document(library, demo_catalog):
    d = next(x for x in demo_catalog if x["number"] and x["type"] == "Kế hoạch")
    q = f"triển khai theo kế hoạch {d['number']} của {d['issuer']}"
    assert first_id(library, q) == d["source"]


def test_titles_typed_without_diacritics_find_their_document(library, demo_catalog):
    checked = 0
    for d in demo_catalog[:30]:
        title = re.sub(r"[“”\"]", " ", d["title"])
        accented = library.search(SearchParams(q=title, limit=3))["hits"]
        plain = library.search(SearchParams(q=fold(title), limit=3))["hits"]
        if any(h["source"] == d["source"] for h in accented):
            checked += 1
            assert any(h["source"] == d["source"] for h in plain), d["title"]
    assert checked >= 20


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Four documents that differ only in accents and word order."""
    root = tmp_path_factory.mktemp("small")
    texts = {
        "hoa.txt": "Kế hoạch tổ chức lễ hội hoa xuân tại công viên trung tâm tỉnh.",
        "hoa-giai.txt": "Kế hoạch tập huấn công tác hòa giải ở cơ sở cho cán bộ xã.",
        "khen.txt": "Báo cáo tổng kết khen thưởng đột xuất cho tập thể có thành tích.",
        "dot-xuat.txt": "Báo cáo đột xuất về công tác khen thưởng của huyện năm nay.",
    }
    for name, text in texts.items():
        (root / name).write_text(text, encoding="utf-8")
    data = tmp_path_factory.mktemp("small-data")
    index_path(root, data, workers=1, limits=Limits(ocr=False))
    lib = Library(data)
    yield lib
    lib.close()


def sources(lib, q):
    return [h["source"] for h in lib.search(SearchParams(q=q))["hits"]]


@contextlib.contextmanager
def tiny_library(tmp_path, files: dict[str, str]):
    """A real index of `files` (name → text), indexed as an admin would, open while in use."""
    lib = Library(index_files(tmp_path, files))
    try:
        yield lib
    finally:
        lib.close()


def found(lib, q: str) -> set[str]:
    return {h["source"] for h in lib.search(SearchParams(q=q, limit=10))["hits"]}


def test_the_exact_accent_ranks_above_a_folded_match(small):
    assert sources(small, "hòa")[0] == "hoa-giai.txt"
    assert sources(small, "hoa")[0] == "hoa.txt"
    assert set(sources(small, "hoa")) >= {"hoa.txt", "hoa-giai.txt"}  # no accents typed: both


def test_a_quoted_phrase_needs_its_words_together(small):
    assert sources(small, '"khen thưởng đột xuất"') == ["khen.txt"]
    assert set(sources(small, "khen thưởng đột xuất")) == {"khen.txt", "dot-xuat.txt"}
    assert sources(small, "khen thưởng đột xuất")[0] == "khen.txt"  # the adjacency bonus
    assert sources(small, '"khen thuong dot xuat"') == ["khen.txt"]


def test_exclusion_and_or(small):
    assert sources(small, "khen thưởng -huyện") == ["khen.txt"]
    assert set(sources(small, "hòa giải OR lễ hội")) == {"hoa.txt", "hoa-giai.txt"}


def test_unaccented_groups_are_asked_syllable_by_syllable():
    assert all("_" not in w for w in query_words("ke hoach thi dua khen thuong"))
    assert "thi_đua" in query_words("kế hoạch thi đua")


def test_facets_count_every_match_and_filters_narrow(library):
    r = library.search(SearchParams(q="thi đua", limit=5))
    assert sum(r["facets"]["type"].values()) == r["total"]
    kind, count = next(iter(r["facets"]["type"].items()))
    code = next(c for c, name in TYPE_CODES.items() if name == kind)
    narrowed = library.search(SearchParams(q=f"thi đua loai:{code}", limit=5))
    assert narrowed["total"] == count and all(h["type"] == kind for h in narrowed["hits"])


def test_pages_do_not_overlap_and_cover_the_ranking(library):
    top = library.search(SearchParams(q="khen thưởng", limit=20))["hits"]
    p1 = library.search(SearchParams(q="khen thưởng", limit=10, page=1))["hits"]
    p2 = library.search(SearchParams(q="khen thưởng", limit=10, page=2))["hits"]
    assert [h["id"] for h in p1 + p2] == [h["id"] for h in top]
    scores = [h["score"] for h in top]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("q", ["khen thưởng đột xuất là gì", "khen thuong dot xuat la gi", "thế nào là đơn vị cơ sở"])
def test_a_definition_question_finds_the_rules_that_define_the_term(library, demo_catalog, q):
    rules = {d["source"] for d in demo_catalog if "Quy chế" in (d["title"] or "")}
    assert rules
    hits = library.search(SearchParams(q=q))["hits"]
    assert hits[0]["source"] in rules
    assert hits[0]["defines"] and hits[0]["defines"].lower() in ("khen thưởng đột xuất", "đơn vị cơ sở")
    assert " là " in re.sub(r"</?mark>", "", hits[0]["snippet"])[:60]  # the snippet is the defining clause


@pytest.mark.parametrize("kind,words", [("Báo cáo", "tổng kết phong trào thi đua"), ("Công văn", "tổng kết phong trào thi đua"),
                                        ("Kế hoạch", "tổng kết phong trào thi đua"), ("Quyết định", "phong trào thi đua yêu nước")])
def test_a_query_that_begins_with_a_type_ranks_that_type_first(library, kind, words):
    """"báo cáo tổng kết phong trào thi đua": the reports first, not the letters asking for one
    (whose titles hold the same words); typed without diacritics too. A letter never says
    "công văn" in its text: the type's name is not required, the other words are."""
    for q in (f"{kind.lower()} {words}", fold(f"{kind.lower()} {words}")):
        r = library.search(SearchParams(q=q, limit=5))
        n = r["facets"]["type"].get(kind, 0)
        assert n >= 2, (q, r["facets"]["type"])
        assert [h["type"] for h in r["hits"][:min(n, 5)]] == [kind] * min(n, 5), q


@pytest.mark.parametrize("kind", ["Kế hoạch", "Báo cáo", "Quyết định"])
def test_a_type_and_a_year_lists_that_type_of_that_year_first(library, demo_catalog, kind):
    """"kế hoạch 2019" asks for the plans of 2019, not a plan numbered 2019 ("kế hoạch số 2019"
    is one); with or without accents, the documents of that type and year come first."""
    year = max({d["date"][:4] for d in demo_catalog if d["type"] == kind and d["date"]},
               key=lambda y: (sum(d["type"] == kind and (d["date"] or "")[:4] == y for d in demo_catalog), y))
    n = sum(d["type"] == kind and (d["date"] or "")[:4] == year for d in demo_catalog)
    assert n >= 2
    code = fold(TYPE_CODES_BY_NAME[kind]).lower()
    for q in (f"{kind.lower()} {year}", fold(f"{kind.lower()} {year}"), f"{kind} năm {year}", f"{code} {year}"):
        r = library.search(SearchParams(q=q, limit=min(n, 10)))
        assert r["type_first"] == kind, q
        assert [(h["type"], h["date"][:4]) for h in r["hits"]] == [(kind, year)] * min(n, 10), q
    assert [(n.seq, n.code) for n in find_numbers_in_query(f"{kind} số {year}")] == [(year, fold(TYPE_CODES_BY_NAME[kind]).lower())]
    assert find_numbers_in_query(f"{kind} {year}") == [] and find_numbers_in_query(f"{kind} 1460")


def test_syllables_the_segmenter_glues_across_two_words_are_asked_apart(tmp_path):
    """underthesea reads a short query's "tổng kết văn hóa" as "tổng_kết_văn" + "hóa". The archive
    never has that word, and "kết văn" stands side by side only by chance ("tổng kết văn bản"), so
    the word is split: the query finds the two reports."""
    q = "tổng kết văn hóa công sở"
    assert "tổng_kết_văn" in query_words(q)  # the segmenter glues (else this test proves nothing)
    files = {f"bc{year}.txt": f"BÁO CÁO\nTổng kết phong trào thi đua “Văn hóa công sở” năm {year}\n"
                              "Các đơn vị thực hiện tốt văn hóa công sở." for year in (2019, 2020)}
    files["cv.txt"] = "CÔNG VĂN\nV/v tổng kết văn bản quy phạm pháp luật của công sở."
    with tiny_library(tmp_path, files) as lib:
        assert found(lib, q) == {"bc2019.txt", "bc2020.txt"}
        assert found(lib, "tổng kết văn hóa") == {"bc2019.txt", "bc2020.txt"}
        assert found(lib, "tổng kết văn bản") == {"cv.txt"}  # a word the archive has stays whole


def test_a_number_with_its_label_finds_what_the_number_finds(library, demo_catalog):
    """"số 10/KH-SNV", "Kế hoạch số 10/KH-SNV": "số" and the type name label the number, they are
    not words every document has (which listed the whole archive under the right first hit)."""
    plan = next(d for d in demo_catalog if d["type"] == "Kế hoạch" and d["number"])
    bare = library.search(SearchParams(q=plan["number"], limit=50))
    assert 0 < bare["total"] < len(demo_catalog) / 2
    for q in (f"số {plan['number']}", f"Kế hoạch số {plan['number']}", fold(f"ke hoach so {plan['number']}")):
        r = library.search(SearchParams(q=q, limit=50))
        assert (r["total"], [h["id"] for h in r["hits"]]) == (bare["total"], [h["id"] for h in bare["hits"]]), q
        assert r["number_not_archived"] is None
    assert library.search(SearchParams(q="Kế hoạch số 98108/KH-SNV"))["number_not_archived"] == "98108/KH-SNV"


def test_named_type_is_the_leading_words_only():
    from indexer.querylang import parse
    from indexer.search import named_type

    assert named_type(parse("thông tư liên tịch về khen thưởng")) == ("Thông tư liên tịch", 4)
    assert named_type(parse('quyết định "bằng khen" nam:2019')) == ("Quyết định", 2)
    assert named_type(parse("Báo cáo: tổng kết thi đua")) == ("Báo cáo", 2)
    assert named_type(parse("luật lao động")) == ("Luật", 1)
    assert named_type(parse("luật sư bào chữa")) is None  # one word, not Luật + "sư"
    assert named_type(parse("kế hoạch 1460")) is None  # a number: the look-up decides
    assert named_type(parse("Báo cáo tổng kết năm 2020")) == ("Báo cáo", 2)  # a year is not a number
    assert named_type(parse("kế hoạch hóa gia đình")) is None
    assert named_type(parse("quy định về khen thưởng")) is None  # a topic word, not a type to put first
    assert named_type(parse("thu cong my nghe")) is None
    assert named_type(parse("thi đua báo cáo")) is None
    assert named_type(parse("báo")) is None
    assert named_type(parse("báo cáo OR kế hoạch")) is None


def test_the_type_filter_of_a_named_type_lists_what_its_facet_counts(library):
    """"công văn …": letters never write "công văn", yet they are what the query names; the
    type facet counts them, and filtering on that type lists the same documents."""
    q = "công văn tổng kết phong trào thi đua"
    r = library.search(SearchParams(q=q, limit=100))
    n = r["facets"]["type"]["Công văn"]
    only = library.search(SearchParams(q=q, type="Công văn", limit=100))
    assert n >= 2 and only["total"] == n and only["type_first"] is None
    assert {h["id"] for h in only["hits"]} == {h["id"] for h in r["hits"] if h["type"] == "Công văn"}
    none = library.search(SearchParams(q="chỉ thị tổng kết phong trào thi đua", limit=5))  # no Chỉ thị among them
    assert none["total"] and none["type_first"] is None


def test_filters_are_not_words_of_a_long_question(library):
    """Two words and two filters are not a four-word question: no "most of the words" list."""
    r = library.search(SearchParams(q="kết luận thanh tra loai:BC nam:2019"))
    assert r["total"] < 3 and r["relaxed"] is False


def test_most_words_sorted_by_date_keeps_the_best_matches(library):
    """A long question no document holds in full, sorted by date: not every document with one
    common word newest first, but the BY_DATE_TOP best matches; relaxed under either sort."""
    from indexer.search import BY_DATE_TOP

    q = "thủ tục khen thưởng đột xuất cho cá nhân như thế nào"
    by_rank = library.search(SearchParams(q=q, limit=100))
    by_date = library.search(SearchParams(q=q, limit=100, sort="date"))
    assert by_rank["relaxed"] and by_date["relaxed"] and by_rank["complete"] == by_date["complete"]
    assert by_rank["total"] > BY_DATE_TOP and by_date["total"] == BY_DATE_TOP
    assert {h["id"] for h in by_date["hits"]} == {h["id"] for h in by_rank["hits"][:BY_DATE_TOP]}
    dates = [h["date"] for h in by_date["hits"] if h["date"]]
    assert dates == sorted(dates, reverse=True)


def test_a_number_pasted_with_its_header_label_is_looked_up(library, demo_catalog):
    """"Số: 27/KH-BTĐKT" copied from a document's header: the label is a word, not an empty filter."""
    d = next(x for x in demo_catalog if x["number"] and x["type"] == "Kế hoạch")
    assert first_id(library, f"Số: {d['number']}") == d["source"]
    assert first_id(library, f"số: {d['number']} ngày {d['date'][8:]}/{d['date'][5:7]}/{d['date'][:4]}") == d["source"]


@pytest.mark.parametrize("typed", ["cv", "CV", "cong van", "Công văn", "công văn"])
def test_type_filter_by_alias_or_name_without_accents(library, typed):
    r = library.search(SearchParams(q="thi đua", limit=5))
    only = library.search(SearchParams(q="thi đua", type=typed, limit=5))
    assert only["total"] == r["facets"]["type"]["Công văn"] > 0


def test_the_law_type_filter_includes_bo_luat(library):
    """loai:luat finds Bộ luật too (as "luật …" ranks both first); loai:"bo luat" is Bộ luật."""
    from whoosh import query as Q

    from indexer.search import build_filter

    searcher = library.searcher()
    assert build_filter({"type": "luat"}, searcher) == Q.Or([Q.Term("type", "Luật"), Q.Term("type", "Bộ luật")])
    assert build_filter({"type": "bo luat"}, searcher) == Q.Term("type", "Bộ luật")


def test_a_type_and_a_year_puts_the_title_that_names_the_year_first(tmp_path):
    """The results of 2019 are announced in January 2020, and 2018's in January 2019: for
    "thông báo kết quả năm 2019" the notice titled 2019 comes first, then those dated 2019."""
    tb = ("ỦY BAN NHÂN DÂN\nTỈNH BÌNH LAM\nSố: {n}/TB-UBND\nLam Giang, ngày 7 tháng 1 năm {issued}\nTHÔNG BÁO\n"
          "Kết quả bình xét thi đua năm {year}\nCác tập thể đạt kết quả cao được biểu dương.\n")
    files = {"tb2018.txt": tb.format(n=3, issued=2019, year=2018), "tb2019.txt": tb.format(n=51, issued=2020, year=2019),
             "tb2017.txt": tb.format(n=2, issued=2018, year=2017)}
    with tiny_library(tmp_path, files) as lib:
        for q in ("thông báo kết quả năm 2019", "tb 2019", "thong bao ket qua 2019"):
            r = lib.search(SearchParams(q=q))
            assert [h["source"] for h in r["hits"]][:2] == ["tb2019.txt", "tb2018.txt"], q


def test_documents_sharing_a_number_come_newest_first(tmp_path):
    """Three years' plans numbered 10/KH-SNV score alike for "10/KH-SNV": the newest first, as
    are the documents that cite the number."""
    kh = ("ỦY BAN NHÂN DÂN TỈNH BÌNH LAM\nSỞ NỘI VỤ\nSố: 10/KH-SNV\nLam Giang, ngày 3 tháng 3 năm {y}\nKẾ HOẠCH\n"
          "Tổ chức phong trào thi đua năm {y}\nCác phòng triển khai.\n")
    bc = ("ỦY BAN NHÂN DÂN TỈNH BÌNH LAM\nSỞ NỘI VỤ\nSố: {n}/BC-SNV\nLam Giang, ngày 5 tháng 11 năm {y}\nBÁO CÁO\n"
          "Tổng kết phong trào thi đua năm {y}\nThực hiện Kế hoạch số 10/KH-SNV của Sở Nội vụ.\n")
    years = (2019, 2022, 2018, 2020)  # indexed in this order, so no other order explains the result
    files = {**{f"kh{y}.txt": kh.format(y=y) for y in years[:3]}, **{f"bc{y}.txt": bc.format(n=y - 2000, y=y) for y in years}}
    with tiny_library(tmp_path, files) as lib:
        hits = lib.search(SearchParams(q="10/KH-SNV"))["hits"]
        assert [h["source"] for h in hits] == ["kh2022.txt", "kh2019.txt", "kh2018.txt",
                                              "bc2022.txt", "bc2020.txt", "bc2019.txt", "bc2018.txt"]


def test_a_typo_under_an_issuer_filter_is_corrected(tmp_path):
    """The archive writes "bằng khen" side by side (the province's decisions), the Sở only apart
    ("khen …, cấp bằng"): under the Sở's filter the corrected words are asked apart, as the search
    asks them, so the correction is found and searched."""
    sở = ("ỦY BAN NHÂN DÂN TỈNH BÌNH LAM\nSỞ NỘI VỤ\nSố: {n}/KH-SNV\nLam Giang, ngày 1 tháng 2 năm 2020\nKẾ HOẠCH\n"
          "Khen thưởng cán bộ\nĐơn vị được khen sẽ được cấp bằng chứng nhận.\n")
    tỉnh = ("ỦY BAN NHÂN DÂN\nTỈNH BÌNH LAM\nSố: {n}/QĐ-UBND\nLam Giang, ngày 3 tháng 4 năm 2020\nQUYẾT ĐỊNH\n"
            "Về việc tặng bằng khen\nTặng bằng khen cho tập thể có thành tích.\n")
    files = {**{f"snv{n}.txt": sở.format(n=n) for n in (5, 6)}, **{f"qd{n}.txt": tỉnh.format(n=n) for n in (7, 8, 9)}}
    with tiny_library(tmp_path, files) as lib:
        right = lib.search(SearchParams(q="bằng khen", issuer="Sở Nội vụ"))
        typo = lib.search(SearchParams(q="bằng khenn", issuer="Sở Nội vụ"))
        assert right["total"] == 2 and (typo["corrected"], typo["total"]) == ("bằng khen", 2)


def test_the_law_facet_counts_what_its_filter_lists(tmp_path):
    """The type facet "Luật" counts the Bộ luật its filter lists (a click on "Luật 1" listed 2)."""
    law = "QUỐC HỘI\nLuật số: {n}\nHà Nội, ngày 20 tháng 11 năm 2019\n{head}\n\n{name}\nĐiều 1. Người lao động được nghỉ hằng năm.\n"
    files = {"bll.txt": law.format(n="45/2019/QH14", head="BỘ LUẬT", name="LAO ĐỘNG"),
             "lvl.txt": law.format(n="69/2013/QH13", head="LUẬT", name="VIỆC LÀM"),
             "nd.txt": "CHÍNH PHỦ\nSố: 12/2022/NĐ-CP\nHà Nội, ngày 17 tháng 01 năm 2022\nNGHỊ ĐỊNH\n"
                       "Quy định xử phạt về lao động\nNgười lao động được nghỉ hằng năm theo quy định.\n"}
    with tiny_library(tmp_path, files) as lib:
        facet = lib.search(SearchParams(q="người lao động nghỉ hằng năm"))["facets"]["type"]
        assert facet == {"Luật": 2, "Bộ luật": 1, "Nghị định": 1}
        for name, n in facet.items():
            assert lib.search(SearchParams(q="người lao động nghỉ hằng năm", type=name))["total"] == n, name


def test_an_abbreviation_finds_what_it_stands_for(tmp_path):
    """"tx lam sơn" finds what documents spell "thị xã Lam Sơn" (and "TX Lam Sơn" still); "tp", "ubnd" too."""
    files = {"a.txt": "UBND THỊ XÃ LAM SƠN\nKẾ HOẠCH\nTổ chức hội thi tại thị xã Lam Sơn năm 2024.",
             "b.txt": "BÁO CÁO\nKết quả công tác của TX Lam Sơn năm 2023.",
             "c.txt": "THÔNG BÁO\nỦy ban nhân dân thành phố Lam Giang thông báo lịch tiếp dân.",
             "d.txt": "THÔNG BÁO\nLịch làm việc của huyện Lam Sơn."}
    with tiny_library(tmp_path, files) as lib:
        assert found(lib, "tx lam sơn") == found(lib, "thị xã lam sơn") | {"b.txt"} == {"a.txt", "b.txt"}
        assert found(lib, "tp lam giang") == {"c.txt"} and found(lib, "ubnd tp lam giang") == {"c.txt"}
        assert found(lib, "ubnd lam giang") == {"c.txt"}


SPELLINGS = {
    "ky.txt": "Biên bản ký kết hợp đồng với công ty Hòa Bình về quỹ khen thưởng; quy định về lý lịch.",
    "ki.txt": "Biên bản kí kết giao ước thi đua của các công ti; qui định về lí do vắng mặt.",
    "y.txt": "Ý kiến của ngành y tế về tuy nhiên và thủy lợi.",
}


@pytest.mark.parametrize("q, want", [
    ("kí kết", {"ky.txt", "ki.txt"}), ("ký kết", {"ky.txt", "ki.txt"}), ("ki ket", {"ky.txt", "ki.txt"}),
    ("công ty", {"ky.txt", "ki.txt"}), ("quy định", {"ky.txt", "ki.txt"}), ('"qui dinh"', {"ky.txt", "ki.txt"}),
    ("lí", {"ky.txt", "ki.txt"}), ("ý kiến", {"y.txt"}), ("thủy", {"y.txt"}),
])
def test_ki_and_ky_are_one_spelling_to_search(tmp_path, q, want):
    with tiny_library(tmp_path, SPELLINGS) as lib:
        assert found(lib, q) == want
        assert first_id(lib, "quĩ") == "ky.txt"  # quỹ (fund), accents as typed first; "qui" only folded


@pytest.mark.parametrize("written, key", [
    ("ký kết", "kí kết"), ("kỹ thuật", "kĩ thuật"), ("quỹ", "quĩ"), ("công_ty", "công_ti"), ("tỷ lệ", "tỉ lệ"),
    ("hy sinh", "hi sinh"), ("ý kiến", "ý kiến"), ("y tế", "y tế"), ("thủy", "thủy"), ("tuy", "tuy"),
    ("nguy hiểm", "nguy hiểm"), ("quyết định", "quyết định"), ("ubnd", "ubnd"),
])
def test_the_spelling_key_writes_a_final_y_after_a_consonant_as_i(written, key):
    assert spelling_key(written) == key


def test_a_snippet_marks_the_other_spelling_and_no_correction_is_offered(tmp_path):
    with tiny_library(tmp_path, SPELLINGS) as lib:
        r = lib.search(SearchParams(q="ký kết", limit=10))
        marked = {h["source"]: re.findall(r"<mark>(.*?)</mark>", h["snippet"]) for h in r["hits"]}
        assert marked["ki.txt"][:2] == ["kí", "kết"] and marked["ky.txt"][:2] == ["ký", "kết"]
        assert r.get("suggestion") is None and lib.search(SearchParams(q="lý do", limit=10)).get("suggestion") is None


def test_words_glued_by_a_hyphen_are_words_apart(tmp_path):
    files = {"kh.txt": "Kế hoạch tổ chức phong trào thi đua, khen thưởng năm 2019.",
             "tb.txt": "Thông báo kết quả thi đua “Xanh - Sạch - Đẹp” năm 2019.",
             "cv.txt": "Công văn số 15/UBND-VP gửi các sở về Kế hoạch số 7/KH-UBND."}
    with tiny_library(tmp_path, files) as lib:
        assert found(lib, "Kế hoạch-thi đua") == {"kh.txt"}  # underthesea keeps "hoạch-thi" whole: nothing before
        assert found(lib, "thi đua-khen thưởng") == {"kh.txt"}
        assert found(lib, "xanh-sạch-đẹp") == {"tb.txt"}
        assert found(lib, "KH-UBND") == {"cv.txt"}  # codes in capitals stay one


def test_a_query_glued_by_a_hyphen_still_begins_with_its_type(library):
    glued, apart = (library.search(SearchParams(q=q)) for q in ("Kế hoạch-thi đua", "Kế hoạch thi đua"))
    assert glued["type_first"] == apart["type_first"] == "Kế hoạch"
    assert [h["id"] for h in glued["hits"]] == [h["id"] for h in apart["hits"]]


def test_a_loose_number_no_document_has_is_said_not_archived(library, demo_catalog):
    plan = next(d for d in demo_catalog if d["type"] == "Kế hoạch" and re.fullmatch(r"\d+/KH-[^/]+", d["number"] or ""))
    seq, code, issuer = parts(plan["number"])
    for archived in (f"{code.lower()} {seq} {issuer.lower()}", f"{seq} {code} {issuer}", f"{code} {seq}", f"kế hoạch {seq}"):
        r = library.search(SearchParams(q=archived))
        assert r["number_not_archived"] is None and r["hits"], archived
    taken = {int(parts(d["number"])[0]) for d in demo_catalog if d["number"] and re.match(r"\d+/", d["number"])}
    absent = next(n for n in range(9000, 99999) if n not in taken)
    for typed, said in ((f"kh {absent} {issuer.lower()}", f"kh {absent} {issuer.lower()}"), (f"{code}  {absent}", f"{code} {absent}"),
                        (f"kế hoạch số {absent}", f"kế hoạch {absent}"), (f"ke hoach so {absent}", f"ke hoach {absent}")):
        assert library.search(SearchParams(q=typed))["number_not_archived"] == said  # as typed, without "số"
    assert library.search(SearchParams(q=f"thi đua kh {absent}"))["number_not_archived"] is None  # other words too


def test_a_type_before_a_group_still_comes_first(library):
    r = library.search(SearchParams(q="quyết định (bằng khen OR giấy khen)", limit=100))
    assert r["type_first"] == "Quyết định" and {h["type"] for h in r["hits"][:10]} == {"Quyết định"}
    sides = [library.search(SearchParams(q=q, limit=100)) for q in ("quyết định bằng khen", "quyết định giấy khen")]
    assert all(side["total"] <= 100 for side in sides)  # each side listed whole
    either = {h["id"] for side in sides for h in side["hits"]}
    assert r["total"] == len(either) and {h["id"] for h in r["hits"]} <= either
    assert library.search(SearchParams(q="kế hoạch thi đua OR báo cáo thi đua"))["type_first"] is None  # two runs: no one type


def test_documents_of_equal_score_come_newest_first(tmp_path):
    """Letters worded alike score alike: newest first, not in index order (which a re-index
    reshuffles)."""
    letter = ("ỦY BAN NHÂN DÂN\nTỈNH HÀ LAM\nSố: {n}/UBND-VP\nHà Lam, ngày 5 tháng 3 năm {y}\n"
              "V/v đôn đốc gửi báo cáo tổng kết công tác văn thư\nĐề nghị các đơn vị gửi báo cáo đúng hạn.\n")
    years = (2021, 2017, 2023, 2019)
    files = {f"cv{i}.txt": letter.format(n=10 + i, y=y) for i, y in enumerate(years)}
    with tiny_library(tmp_path, files) as lib:
        hits = lib.search(SearchParams(q="đôn đốc công tác văn thư", limit=10))["hits"]
        assert len({round(h["score"], 6) for h in hits}) == 1  # the same score (else this proves nothing)
        assert [h["date"][:4] for h in hits] == ["2023", "2021", "2019", "2017"]


INITIALS = {
    "kh-ccn.txt": "UBND TỈNH BÌNH LAM\nSố: 5/KH-UBND\nBình Lam, ngày 3 tháng 3 năm 2021\nKẾ HOẠCH\nPhát triển các cụm "
                  "công nghiệp (CCN) năm 2021\nCác CCN được ưu tiên đầu tư hạ tầng.",
    "bc-ccn.txt": "UBND TỈNH BÌNH LAM\nSố: 9/BC-UBND\nBình Lam, ngày 5 tháng 12 năm 2021\nBÁO CÁO\nKết quả phát triển "
                  "cụm công nghiệp năm 2021\nHai cụm công nghiệp mới đã thu hút đầu tư.",
    "pccc.txt": "UBND TỈNH BÌNH LAM\nSố: 7/KH-UBND\nBình Lam, ngày 4 tháng 4 năm 2021\nKẾ HOẠCH\nTuyên truyền phòng cháy và "
                "chữa cháy (PCCC) năm 2021\nCông tác PCCC tại các chợ.",
    "chay.txt": "UBND TỈNH BÌNH LAM\nSố: 8/BC-UBND\nBình Lam, ngày 8 tháng 8 năm 2021\nBÁO CÁO\nKết quả công tác phòng cháy "
                "và chữa cháy năm 2021\nKhông có vụ cháy lớn.",
    "vh.txt": "UBND TỈNH BÌNH LAM\nSố: 3/KH-UBND\nBình Lam, ngày 1 tháng 2 năm 2021\nKẾ HOẠCH\nXây dựng văn hóa công sở "
              "năm 2021\nCán bộ thực hiện nếp sống văn minh; xem phụ lục XYZ.",
}


def test_initials_are_asked_with_the_name_the_archive_defines(tmp_path):
    """The staff type "ccn" or "pccc"; the report spells the name out and never uses the initials."""
    with tiny_library(tmp_path, INITIALS) as lib:
        r = lib.search(SearchParams(q="ccn"))
        assert r["expanded"] == {"CCN": "cụm công nghiệp"} and r["query"] == "ccn"
        assert {h["source"] for h in r["hits"]} == {"kh-ccn.txt", "bc-ccn.txt"}
        r = lib.search(SearchParams(q="pccc 2021"))
        assert r["expanded"] == {"PCCC": "phòng cháy và chữa cháy"}
        assert {h["source"] for h in r["hits"]} == {"pccc.txt", "chay.txt"}
        assert any("<mark>" in h["snippet"] for h in r["hits"] if h["source"] == "chay.txt")
        # initials no document defines, a quoted phrase, an exclusion and a number's code are left as typed
        for q in ("xyz", '"ccn"', "cụm -ccn", "5/KH-UBND", "kh 5 ubnd"):
            assert lib.search(SearchParams(q=q))["expanded"] == {}, q


def test_the_page_and_the_cli_say_what_initials_were_expanded(tmp_path):
    import subprocess
    import sys

    from fastapi.testclient import TestClient
    from lxml import html as lhtml

    from indexer.settings import Settings
    from service.app import create_app

    data = index_files(tmp_path, INITIALS)
    with TestClient(create_app(Settings(data=data))) as c:
        body = c.get("/api/search", params={"q": "ccn"}).json()
        note = lhtml.fromstring(c.get("/", params={"q": "ccn"}).text).xpath("//p[@class='expanded']")[0]
    assert body["expanded"] == {"CCN": "cụm công nghiệp"} and body["total"] == 2
    assert " ".join(note.text_content().split()).startswith("Đã tìm cả CCN = “cụm công nghiệp”")
    out = subprocess.run([sys.executable, "-m", "indexer.cli", "search", "ccn", "--data", str(data)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "Đã tìm cả CCN = “cụm công nghiệp”" in out.stdout


def test_one_letter_too_many_is_a_typo_not_two_words(tmp_path):
    """"doii" is one edit from "doi": not "do" + "ii" because some text has "do II" side by side."""
    files = {"cds.txt": "KẾ HOẠCH\nChuyển đổi số trong cơ quan nhà nước năm 2021",
             "pl.txt": "PHỤ LỤC\nBiểu mẫu do II cấp ban hành, theo mục II và mục III"}
    with tiny_library(tmp_path, files) as lib:
        r = lib.search(SearchParams(q="chuyen doii so"))
        assert r["corrected"] == "chuyen doi so" and [h["source"] for h in r["hits"]] == ["cds.txt"]
        assert lib.search(SearchParams(q="chuyểnđổi"))["corrected"] == "chuyển đổi"  # glued words still split
