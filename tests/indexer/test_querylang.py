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
        ("ngay:31/2/2019", "dùng dạng ngày/tháng/năm"),
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
