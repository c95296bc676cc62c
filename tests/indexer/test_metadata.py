"""Issuer names as a header prints them in capitals → as staff write them."""

import pytest

from indexer.metadata import pretty_issuer


@pytest.mark.parametrize("line, name", [
    ("SỞ NỘI VỤ", "Sở Nội vụ"),
    ("UBND TỈNH LÀO CAI", "UBND tỉnh Lào Cai"),
    ("BAN THI ĐUA - KHEN THƯỞNG", "Ban Thi đua - Khen thưởng"),  # one name with a dash, not two bodies
    ("BỘ CÔNG AN - BỘ QUỐC PHÒNG", "Bộ Công an - Bộ Quốc phòng"),  # a joint document
    ("BỘ TÀI CHÍNH - NGÂN HÀNG NHÀ NƯỚC", "Bộ Tài chính - Ngân hàng Nhà nước"),
    ("Sở Nội vụ", "Sở Nội vụ"),  # mixed case is kept
])
def test_pretty_issuer(line, name):
    assert pretty_issuer(line) == name


def test_indexed_issuers_are_the_catalogs(library, demo_catalog):
    """Every demo document's issuer, read from its header, is the name the generator wrote."""
    from indexer.search import SearchParams

    want = {(d["number"], d["date"]): d["issuer"] for d in demo_catalog if d.get("number") and d.get("issuer")}
    got = {}
    page = 1
    while True:
        hits = library.search(SearchParams(q="", limit=100, page=page))["hits"]
        if not hits:
            break
        got.update({(h["number"], h["date"]): h["issuer"] for h in hits})
        page += 1
    wrong = {k: (got.get(k), v) for k, v in want.items() if k in got and got[k] != v}
    assert len(set(want) & set(got)) > 0.8 * len(want)
    assert not wrong, wrong


@pytest.mark.parametrize("vv", ["W⁄v", "V/v", "v / v", "V⁄V"])
def test_letter_title_starts_with_vv_as_written(vv):
    from indexer.metadata import parse_metadata

    text = (f"BỘ CÔNG THƯƠNG\nCỤC HÓA CHẤT\nSố: 813/HC-KHCN\n{vv} trao đổi thông tin về hóa chất\n"
            "Hà Nội, ngày 3 tháng 5 năm 2019\nKính gửi: Sở Công Thương\n")
    meta = parse_metadata(text)
    assert meta.title == "V/v trao đổi thông tin về hóa chất" and meta.type == "Công văn"
