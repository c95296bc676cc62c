import pytest

from indexer.errors import QueryError
from indexer.querylang import parse


def texts(pq):
    return [[(c.kind, c.value) for c in alt] for alt in pq.alternatives]


@pytest.mark.parametrize(
    "query, alternatives",
    [
        ("kế hoạch thi đua", [[("text", "kế"), ("text", "hoạch"), ("text", "thi"), ("text", "đua")]]),
        ('"khen thưởng đột xuất" 2019', [[("phrase", "khen thưởng đột xuất"), ("text", "2019")]]),
        ("bằng khen OR giấy khen", [[("text", "bằng"), ("text", "khen")], [("text", "giấy"), ("text", "khen")]]),
        ("so:1460/KH-UBND", [[("number", "1460/KH-UBND")]]),
        ("V/v: thi đua", [[("text", "V/v:"), ("text", "thi"), ("text", "đua")]]),
        ("Hoà bình", [[("text", "Hòa"), ("text", "bình")]]),  # old tone placement repaired
    ],
)
def test_alternatives(query, alternatives):
    assert texts(parse(query)) == alternatives


@pytest.mark.parametrize(
    "query, filters",
    [
        ("loai:KH thi đua", {"type": "KH"}),
        ("nam:2019", {"year_from": 2019, "year_to": 2019}),
        ("nam:2015..2019", {"year_from": 2015, "year_to": 2019}),
        ('co_quan:"Sở Nội vụ"', {"issuer": "Sở Nội vụ"}),
        ("ngay:2019-01-01..2019-06-30", {"date_from": "2019-01-01", "date_to": "2019-06-30"}),
        ("ngày:2019-01-01..", {"date_from": "2019-01-01", "date_to": None}),
        ("ngay:17/6/2019", {"date_from": "2019-06-17", "date_to": "2019-06-17"}),  # day first, as written
        ("ngay:1/1/2019..30.06.2019", {"date_from": "2019-01-01", "date_to": "2019-06-30"}),
        ("ngay:6/2019", {"date_from": "2019-06-01", "date_to": "2019-06-30"}),  # a month
        ("ngay:2/2024", {"date_from": "2024-02-01", "date_to": "2024-02-29"}),
        ("ngay:2019-12", {"date_from": "2019-12-01", "date_to": "2019-12-31"}),  # a month written year first
        ("ngay:2019", {"date_from": "2019-01-01", "date_to": "2019-12-31"}),  # a year
        ("ngay:3/2019..2020", {"date_from": "2019-03-01", "date_to": "2020-12-31"}),  # a range of them
        ("ngay:1-3-2019", {"date_from": "2019-03-01", "date_to": "2019-03-01"}),
    ],
)
def test_filters(query, filters):
    assert parse(query).filters == filters


def test_negatives_are_kept_apart():
    pq = parse('khen thưởng -huyện -"giấy khen"')
    assert [(c.kind, c.value) for c in pq.negatives] == [("text", "huyện"), ("phrase", "giấy khen")]
    assert texts(pq) == [[("text", "khen"), ("text", "thưởng")]]


@pytest.mark.parametrize(
    "query, message",
    [
        ('"khen thưởng', "ngoặc kép"),
        ("nam:20x9", "Năm không hợp lệ"),
        ("nam:1800", "Năm không hợp lệ"),
        ("ngay:2019-13-01", "Ngày không hợp lệ"),
        ("ngay:31/2/2019", "dùng ngày/tháng/năm"),
        ("OR khen", "OR cần"),
        ("khen OR", "OR cần"),
        ("loai:", "trống"),
        ("Báo cáo so:", "so: đang trống"),
        ('so:""', "so: đang trống"),
        ("x" * 1001, "quá dài"),
    ],
)
def test_malformed_queries_say_what_to_fix(query, message):
    with pytest.raises(QueryError, match=message):
        parse(query)


# --- parentheses, NOT and AND ------------------------------------------------------------

def values(pq):
    return [[c.value for c in alt] for alt in pq.alternatives]


@pytest.mark.parametrize(
    "query, alternatives",
    [
        # a group's OR is ANDed with the words around it, in the order typed
        ("(bằng khen OR giấy khen) 2019 sở nội vụ",
         [["bằng", "khen", "2019", "sở", "nội", "vụ"], ["giấy", "khen", "2019", "sở", "nội", "vụ"]]),
        ("tặng (bằng khen OR giấy khen) 2019", [["tặng", "bằng", "khen", "2019"], ["tặng", "giấy", "khen", "2019"]]),
        ("( bằng khen OR giấy khen ) 2019", [["bằng", "khen", "2019"], ["giấy", "khen", "2019"]]),
        ("(bằng khen OR giấy khen), 2019", [["bằng", "khen", "2019"], ["giấy", "khen", "2019"]]),
        # several groups multiply out, glued or apart
        ("(khen OR thưởng) (2019 OR 2020)", [["khen", "2019"], ["khen", "2020"], ["thưởng", "2019"], ["thưởng", "2020"]]),
        ("(khen OR thưởng)(2019 OR 2020)", [["khen", "2019"], ["khen", "2020"], ["thưởng", "2019"], ["thưởng", "2020"]]),
        # a top-level OR still splits the runs outside groups
        ("huyện OR (bằng OR giấy) khen", [["huyện"], ["bằng", "khen"], ["giấy", "khen"]]),
        ("(bằng khen OR giấy khen) OR kỷ luật", [["bằng", "khen"], ["giấy", "khen"], ["kỷ", "luật"]]),
        # nested groups
        ("((bằng OR giấy) khen OR kỷ luật) 2019", [["bằng", "khen", "2019"], ["giấy", "khen", "2019"], ["kỷ", "luật", "2019"]]),
        # an unclosed "(" groups to the end
        ("(bằng khen OR giấy khen", [["bằng", "khen"], ["giấy", "khen"]]),
        ("2019 (bằng khen OR giấy khen", [["2019", "bằng", "khen"], ["2019", "giấy", "khen"]]),
        # phrases and numbers inside a group
        ('("bằng khen" OR "giấy khen") 2019', [["bằng khen", "2019"], ["giấy khen", "2019"]]),
        ("(1460/KH-UBND OR 12/QĐ-UBND) 2019", [["1460/KH-UBND", "2019"], ["12/QĐ-UBND", "2019"]]),
        ("(so:1460/KH-UBND OR so:12/QĐ-UBND)", [["1460/KH-UBND"], ["12/QĐ-UBND"]]),
        # AND is the default: the operator is ignored
        ("khen thưởng AND 2019", [["khen", "thưởng", "2019"]]),
        ("tặng AND (bằng OR giấy) khen", [["tặng", "bằng", "khen"], ["tặng", "giấy", "khen"]]),
        # lower case operators are words
        ("and not or", [["and", "not", "or"]]),
    ],
)
def test_groups_and_operators(query, alternatives):
    assert values(parse(query)) == alternatives


@pytest.mark.parametrize(
    "query, alternatives",
    [
        # a group without OR is plain AND, and reads exactly as before groups existed: the
        # parentheses stay on the words (the segmenter reads "(hướng dẫn thể thức)" otherwise)
        ("kế hoạch (sửa đổi)", [["kế", "hoạch", "(sửa", "đổi)"]]),
        ("kế hoạch ( sửa đổi )", [["kế", "hoạch", "(", "sửa", "đổi", ")"]]),
        ("Thông tư 01/2011/TT-BNV (hướng dẫn thể thức)", [["Thông", "tư", "01/2011/TT-BNV", "(hướng", "dẫn", "thể", "thức)"]]),
        # pasted text: an unclosed "(" or a stray ")" is not an error
        ("(kèm theo Kế hoạch số 12/KH-UBND", [["(kèm", "theo", "Kế", "hoạch", "số", "12/KH-UBND"]]),
        ("bằng khen)", [["bằng", "khen)"]]),
        ("a) thi đua", [["a)", "thi", "đua"]]),
        ("kế hoạch (", [["kế", "hoạch", "("]]),
        ("khen ( )", [["khen", "(", ")"]]),  # empty parentheses pasted: nothing to group
        ("Điều 5 khoản 1(a)", [["Điều", "5", "khoản", "1(a)"]]),
        # inside quotes parentheses belong to the phrase
        ('"kế hoạch (sửa đổi)" 2019', [["kế hoạch (sửa đổi)", "2019"]]),
        ('"(bằng khen OR giấy khen"', [["(bằng khen OR giấy khen"]]),
        # numbers keep parsing as before
        ("so:1460/KH-UBND", [["1460/KH-UBND"]]),
        ("1460/KH-UBND", [["1460/KH-UBND"]]),
        ("(so:1460/KH-UBND)", [["1460/KH-UBND"]]),
    ],
)
def test_parentheses_without_or_are_forgiving(query, alternatives):
    assert values(parse(query)) == alternatives


def test_kinds_inside_groups():
    pq = parse('("bằng khen" OR 1460/KH-UBND OR so:12/QĐ-UBND) 2019')
    assert texts(pq) == [[("phrase", "bằng khen"), ("text", "2019")], [("text", "1460/KH-UBND"), ("text", "2019")],
                         [("number", "12/QĐ-UBND"), ("text", "2019")]]


def test_words_outside_a_group_count_once_in_the_positive_text():
    """The words distributed into every alternative are one clause each: a long question is
    relaxed (search.RELAX_FROM) and highlighted on the words typed, not on their copies."""
    pq = parse("(bằng khen OR giấy khen) 2019 sở nội vụ")
    assert pq.positive_text() == "bằng khen 2019 sở nội vụ giấy khen"
    assert parse("bằng khen OR giấy khen").positive_text() == "bằng khen giấy khen"  # as before


def test_not_is_an_exclusion():
    def negs(q):
        pq = parse(q)
        return texts(pq), [(c.kind, c.value) for c in pq.negatives]

    assert negs('khen thưởng NOT huyện NOT "giấy khen"') == negs('khen thưởng -huyện -"giấy khen"') == (
        [[("text", "khen"), ("text", "thưởng")]], [("text", "huyện"), ("phrase", "giấy khen")])
    assert negs("NOT so:12/QĐ-UBND khen") == ([[("text", "khen")]], [("number", "12/QĐ-UBND")])
    assert negs("khen -(huyện)") == negs("khen NOT (huyện)") == ([[("text", "khen")]], [("text", "(huyện)")])
    # an exclusion inside a group excludes from the whole query
    assert negs("(bằng khen -huyện OR giấy khen) 2019") == (
        [[("text", "bằng"), ("text", "khen"), ("text", "2019")], [("text", "giấy"), ("text", "khen"), ("text", "2019")]],
        [("text", "huyện")])
    assert negs("(bằng khen NOT huyện OR giấy khen)")[1] == [("text", "huyện")]


def test_filters_in_a_group_without_or_apply():
    pq = parse("thi đua (loai:KH nam:2019) sở nội vụ")
    assert pq.filters == {"type": "KH", "year_from": 2019, "year_to": 2019}
    assert values(pq) == [["thi", "đua", "sở", "nội", "vụ"]]
    pq = parse("(bằng khen OR giấy khen) loai:QĐ")  # outside the group: applies to both sides
    assert pq.filters == {"type": "QĐ"} and len(pq.alternatives) == 2


def test_alternatives_are_capped():
    five = " ".join(f"(a{i} OR b{i})" for i in range(5))
    assert len(parse(five).alternatives) == 32
    with pytest.raises(QueryError, match="quá nhiều khả năng .64, tối đa 32"):
        parse(five + " (c OR d)")
    with pytest.raises(QueryError, match="quá nhiều khả năng"):
        parse(" OR ".join(f"w{i}" for i in range(33)) + " OR (x OR y)")
    # a query without groups is not capped, as before
    assert len(parse(" OR ".join(f"w{i}" for i in range(40))).alternatives) == 40


def test_nesting_is_limited():
    assert values(parse("(" * 10 + "a OR b" + ")" * 10)) == [["a"], ["b"]]
    with pytest.raises(QueryError, match="ngoặc lồng nhau"):
        parse("(" * 11 + "a OR b" + ")" * 11)


@pytest.mark.parametrize(
    "query, message",
    [
        ("( OR giấy khen) 2019", "OR cần một từ ở hai bên"),
        ("(bằng khen OR) 2019", "OR cần một từ ở hai bên"),
        ("(bằng khen OR -huyện) 2019", "OR cần một từ ở hai bên"),
        ("(loai:KH OR giấy khen)", "không nối bộ lọc"),
        ("(giấy khen OR nam:2019)", "không nối bộ lọc"),
        ("((loai:KH) bằng khen OR giấy khen)", "không nối bộ lọc"),
        ("khen thưởng NOT", "NOT cần một từ hoặc cụm từ"),
        ("NOT OR khen", "NOT cần một từ hoặc cụm từ"),
        ("khen NOT -huyện", "NOT cần một từ hoặc cụm từ"),
        ("khen NOT NOT huyện", "NOT cần một từ hoặc cụm từ"),
        ("NOT loai:KH khen", "Không thể loại trừ bộ lọc"),
        ("khen -(huyện xã)", "loại trừ cả một nhóm"),
        ("khen NOT (huyện OR xã)", "loại trừ cả một nhóm"),
        ('(giấy khen OR "bằng khen) 2019', "ngoặc kép"),
    ],
)
def test_malformed_groups_and_operators_say_what_to_fix(query, message):
    with pytest.raises(QueryError, match=message):
        parse(query)


# --- through the real engine ---------------------------------------------------------------

KHEN = {
    "bk2019a.txt": "Quyết định tặng bằng khen cho tập thể có thành tích xuất sắc năm 2019.",
    "bk2019b.txt": "Quyết định tặng bằng khen cho cá nhân có thành tích xuất sắc năm 2019.",
    "gk2019.txt": "Quyết định tặng giấy khen cho cá nhân có thành tích năm 2019.",
    "bk2020.txt": "Quyết định tặng bằng khen cho tập thể có thành tích xuất sắc năm 2020.",
    "gk2020.txt": "Quyết định tặng giấy khen cho tập thể có thành tích năm 2020.",
    "hn2019.txt": "Kế hoạch tổ chức hội nghị tổng kết năm 2019.",
}


@pytest.fixture(scope="module")
def khen(tmp_path_factory):
    """A real index of KHEN, as an admin indexes files (tests.conftest.index_files)."""
    from indexer.library import Library
    from tests.conftest import index_files

    lib = Library(index_files(tmp_path_factory.mktemp("khen"), KHEN))
    yield lib
    lib.close()


def search(lib, q: str) -> tuple[set[str], bool]:
    from indexer.search import SearchParams

    r = lib.search(SearchParams(q=q, limit=10))
    return {h["source"] for h in r["hits"]}, r["relaxed"]


def test_a_group_finds_either_side_with_the_words_around_it(khen):
    assert search(khen, "(bằng khen OR giấy khen) 2019") == ({"bk2019a.txt", "bk2019b.txt", "gk2019.txt"}, False)
    assert search(khen, "bằng khen OR giấy khen 2019")[0] >= {"bk2020.txt"}  # runs, as before: bằng khen of any year


def test_groups_multiply_out_in_a_search(khen):
    assert search(khen, "(bằng khen OR giấy khen) (2019 OR 2020) tập thể") == (
        {"bk2019a.txt", "bk2020.txt", "gk2020.txt"}, False)


def test_not_excludes_in_a_search(khen):
    assert search(khen, "tặng bằng khen NOT 2020") == ({"bk2019a.txt", "bk2019b.txt"}, False)
    assert search(khen, "(bằng khen OR giấy khen) AND NOT 2020") == ({"bk2019a.txt", "bk2019b.txt", "gk2019.txt"}, False)


@pytest.mark.parametrize("query, alternatives, negatives", [
    ("Kế hoạch-thi đua", [["Kế", "hoạch", "thi", "đua"]], []),
    ("Xanh-Sạch-Đẹp 2020", [["Xanh", "Sạch", "Đẹp", "2020"]], []),
    ("thi đua -khen-huyện", [["thi", "đua"]], ["khen-huyện"]),  # an exclusion is kept as typed
    ("KH-UBND", [["KH-UBND"]], []),  # codes in capitals
    ("1460/kh-ubnd", [["1460/kh-ubnd"]], []),  # numbers, loose or not
    ("kh-11-ubnd", [["kh-11-ubnd"]], []),
    ("so:1460/kh-ubnd", [["1460/kh-ubnd"]], []),
])
def test_words_glued_by_a_hyphen_are_read_apart(query, alternatives, negatives):
    pq = parse(query)
    assert values(pq) == alternatives and [c.value for c in pq.negatives] == negatives
