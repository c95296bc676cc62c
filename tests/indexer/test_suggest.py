"""'Có phải bạn muốn tìm …': corrections come from the archive's own syllables."""

import pytest

from indexer.search import SearchParams


@pytest.mark.parametrize("typed, meant", [
    ("khen thưởnq", "khen thưởng"),
    ("kế hoạh thi đua", "kế hoạch thi đua"),
    ("phong trao thi duaa", "phong trao thi dua"),
    ("ke hoahc thi dua", "ke hoach thi dua"),  # two letters swapped; "hoac" (hoặc) is as close but not beside "ke"
    ("quyet dihn khen thuong", "quyet dinh khen thuong"),
    ("bang kehn", "bang khen"),
    ("quản lýy", "quản lý"),  # the index keys lý as lí: the y typed is kept, and measured as an i
    ("kýy kết", "ký kết"),
    # typed with the keyboard tool off: Telex, VNI, both in one query
    ("khen thuwowngr", "khen thưởng"),
    ("thi ddua", "thi đua"),
    ("quyeets ddinhj khen thuowngr", "quyết định khen thưởng"),
    ("ke16 hoa5ch thi d9ua", "kế hoạch thi đua"),
    # words typed without the space
    ("thiđua", "thi đua"),
    ("khenthuong", "khen thuong"),
    ("kế hoạch thiđuakhenthưởng", "kế hoạch thi đua khen thưởng"),
])
def test_a_typo_with_no_hits_gets_a_suggestion_that_finds_documents(library, typed, meant):
    r = library.search(SearchParams(q=typed, as_typed=True))
    assert (r["total"] == 0 or r["relaxed"]) and r["suggestion"] == meant and r["corrected"] is None
    intended = library.search(SearchParams(q=meant))
    assert intended["total"] > 0
    # not asked to search as typed: the hits are the suggestion's, and the result says so
    fixed = library.search(SearchParams(q=typed))
    assert (fixed["query"], fixed["corrected"], fixed["suggestion"]) == (typed, meant, None)
    assert [h["id"] for h in fixed["hits"]] == [h["id"] for h in intended["hits"]]
    assert fixed["total"] == intended["total"]


@pytest.mark.parametrize("typed, meant", [("THI DDUA", "THI ĐUA"), ("Thi Đuaa", "Thi Đua"), ("Khen Thuowngr", "Khen Thưởng"),
                                          ("thi Đuaa", "thi Đua"), ("Bằng khen Bình Lamm", "Bằng khen Bình Lam")])
def test_a_correction_of_a_word_typed_with_a_capital_is_offered(library, typed, meant):
    """Capitals after the first word, or two capitalised words, are a name or an acronym."""
    r = library.search(SearchParams(q=typed))
    assert (r["suggestion"], r["corrected"]) == (meant, None)


@pytest.mark.parametrize("typed, meant", [("Kếe hoạch thi đua", "Kế hoạch thi đua"), ("Thuowngr", "Thưởng"),
                                          ("Thiđua", "Thi đua"), ("Khen thuowngr", "Khen thưởng")])
def test_the_first_word_written_as_a_sentence_begins_is_corrected(library, typed, meant):
    """A phone writes the first letter of a query in capitals: no sign of a name."""
    r = library.search(SearchParams(q=typed))
    assert (r["corrected"], r["suggestion"]) == (meant, None) and r["total"] > 0


def test_no_suggestion_when_the_query_matches_or_nothing_is_close(library):
    assert library.search(SearchParams(q="thi đua"))["suggestion"] is None
    r = library.search(SearchParams(q="qqqqzzzz"))
    assert r["total"] == 0 and r["suggestion"] is None


@pytest.mark.parametrize("typed", ["NLĐX", "Phạm Văn Khuêq", "Hội đồng HĐTĐKTX"])
def test_a_name_or_an_acronym_is_offered_not_searched(library, typed):
    """The archive lacking a name or an acronym is no sign of a typo: it is searched as typed."""
    r = library.search(SearchParams(q=typed))
    assert r["corrected"] is None and r["query"] == typed


def test_filters_and_phrases_are_kept_as_typed(library):
    r = library.search(SearchParams(q='khen thưởnq loai:QĐ "thi đua"', as_typed=True))
    assert r["total"] == 0 or r["relaxed"]
    assert r["suggestion"] == 'khen thưởng loai:QĐ "thi đua"'


@pytest.mark.parametrize("typed, meant", [('"khen thưởnq"', '"khen thưởng"'), ('"bang khenn" thi đua', '"bang khen" thi đua'),
                                          ('thi đua -"khen thưởnq"', None)])  # an exclusion is kept as typed
def test_a_typo_inside_quotes_is_corrected_inside_them(library, typed, meant):
    r = library.search(SearchParams(q=typed, as_typed=True))
    assert r["suggestion"] == meant
    if meant:
        fixed = library.search(SearchParams(q=typed))
        assert fixed["corrected"] == meant and fixed["total"] == library.search(SearchParams(q=meant))["total"] > 0


def test_a_typo_on_one_side_of_an_or_is_offered(library):
    """The other side finds documents, so the typo's side used to vanish without a word."""
    r = library.search(SearchParams(q="bằng khenn OR giấy khen"))
    assert r["total"] == library.search(SearchParams(q="giấy khen"))["total"] > 0
    assert (r["suggestion"], r["corrected"]) == ("bằng khen OR giấy khen", None)
    both = library.search(SearchParams(q="bằng khenn OR giấy khenn"))  # no side finds anything: corrected
    assert both["corrected"] == "bằng khen OR giấy khen"
    assert library.search(SearchParams(q="bằng khen OR giấy khen"))["suggestion"] is None


def test_the_api_returns_the_suggestion(demo_data):
    from fastapi.testclient import TestClient

    from indexer.settings import Settings
    from service.app import create_app

    with TestClient(create_app(Settings(data=demo_data))) as client:
        body = client.get("/api/search", params={"q": "kế hoạh thi đua", "as_typed": "true"}).json()
        fixed = client.get("/api/search", params={"q": "kế hoạh thi đua"}).json()
    assert body["total"] == 0 and body["suggestion"] == "kế hoạch thi đua"
    assert fixed["total"] > 0 and fixed["corrected"] == "kế hoạch thi đua" and fixed["query"] == "kế hoạh thi đua"


def test_a_long_question_without_a_full_match_ranks_documents_with_most_words(library):
    q = "kế hoạch tổ chức phong trào thi đua như thế nào xyzzyq"
    r = library.search(SearchParams(q=q))
    assert r["relaxed"] is True and r["total"] > 0
    assert "thi đua" in r["hits"][0]["title"].lower() or "kế hoạch" in r["hits"][0]["title"].lower()
    strict = library.search(SearchParams(q="thi đua xyzzyq"))  # short: no fallback, all words required
    assert strict["total"] == 0 and strict["relaxed"] is False
    assert library.search(SearchParams(q="kế hoạch thi đua"))["relaxed"] is False



def test_long_garbage_query_is_left_alone(library):
    """A word longer than any Vietnamese syllable is kept as typed, and at most MAX_TRIES unknown
    syllables are looked up (a pasted paragraph of garbage does not walk the vocabulary 150 times)."""
    from indexer.suggest import MAX_TRIES, suggest

    assert suggest(library.searcher(), "khen thưởnqqqqqqq") is None  # 12 letters: not a syllable
    typos = ["thưởnq", "hoạh"] * MAX_TRIES  # more typos than are looked up
    fixed = suggest(library.searcher(), " ".join(typos)).split()
    assert fixed[:MAX_TRIES] == ["thưởng", "hoạch"] * (MAX_TRIES // 2) and fixed[MAX_TRIES:] == typos[MAX_TRIES:]


@pytest.mark.parametrize("a, b, d", [("hoahc", "hoach", 1), ("hoahc", "hoac", 1), ("dihn", "dinh", 1),
                                     ("duaa", "dua", 1), ("thuong", "thuong", 0), ("ab", "ba", 1), ("kehn", "khen", 1)])
def test_distance_counts_a_swap_as_one_edit(a, b, d):
    from indexer.suggest import distance

    assert distance(a, b) == d


@pytest.mark.parametrize("typed, meant", [
    ("Lam Giangg", "Lam Giang"),
    ("Bình Lamm", "Bình Lam"),
    ("THI ĐUAA", "THI ĐUA"),
    ("Binh Lamm", "Binh Lam"),
    ("LAM GIANGG", "LAM GIANG"),
    ("Kế Hoạh Thi Đua", "Kế Hoạch Thi Đua"),
])
def test_a_suggestion_keeps_the_letter_case_typed(library, typed, meant):
    assert library.search(SearchParams(q=typed, as_typed=True))["suggestion"] == meant
    # a word typed with a capital may be a name the archive lacks: offered, never searched instead
    r = library.search(SearchParams(q=typed))
    assert (r["suggestion"], r["corrected"], r["total"]) == (meant, None, 0)


@pytest.mark.parametrize("typed, fixed, out", [
    ("giangg", "giang", "giang"), ("Giangg", "giang", "Giang"), ("GIANGG", "giang", "GIANG"),
    ("Khêe", "khê", "Khê"), ("ĐUAA", "đua", "ĐUA"), ("tHI", "thi", "tHI"), ("X", "x", "X"),
])
def test_recase_copies_the_typed_case_pattern(typed, fixed, out):
    from indexer.suggest import recase

    assert recase(typed, fixed) == out


def test_distance_is_the_one_the_vocabulary_lookup_uses():
    """near_syllables asks rapidfuzz's OSA distance; candidates are ranked by `distance`: the two agree."""
    import random

    from rapidfuzz.distance import OSA

    from indexer.suggest import distance

    rng = random.Random(3)
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậ"
    for _ in range(3000):
        a = "".join(rng.choice(letters) for _ in range(rng.randint(0, 8)))
        b = list(a)
        for _ in range(rng.randint(0, 3)):  # swaps, changes, insertions, deletions
            i = rng.randrange(len(b) + 1)
            op = rng.choice("sxid")
            if op == "s" and i + 1 < len(b):
                b[i], b[i + 1] = b[i + 1], b[i]
            elif op == "x" and i < len(b):
                b[i] = rng.choice(letters)
            elif op == "i":
                b.insert(i, rng.choice(letters))
            elif op == "d" and i < len(b):
                del b[i]
        b = "".join(b)
        assert distance(a, b) == OSA.distance(a, b), (a, b)


def test_a_syllable_of_a_document_added_later_is_suggested(demo_copy, tmp_path):
    """The vocabulary is kept per index segment: a syllable that only a new upload brings (a
    new segment) is offered as soon as the upload is searchable."""
    from indexer.library import Library
    from indexer.pipeline import Limits, add_file

    lib = Library(demo_copy)
    before = lib.search(SearchParams(q="quýtt"))  # the archive has no "quýt" yet
    assert before["suggestion"] is None and before["corrected"] is None
    f = tmp_path / "cam-quyt.txt"
    f.write_text("Kế hoạch phát triển vùng trồng quýt đường của huyện Phong Điền năm 2024.", encoding="utf-8")
    add_file(f, demo_copy, filename=f.name, limits=Limits(ocr=False))
    r = lib.search(SearchParams(q="quýtt", as_typed=True))
    assert r["total"] == 0 and r["suggestion"] == "quýt"
    lib.close()
