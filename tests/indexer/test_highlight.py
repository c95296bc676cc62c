from indexer.highlight import Terms, find_matches, snippet

TEXT = "KẾ HOẠCH\nTổ chức phong trào thi đua đặc biệt.\nCuối năm tổng kết, khen thưởng <script>alert(1)</script> thi đua."


def test_accented_terms_match_exactly_and_unaccented_match_folded():
    t = Terms(["thi", "đua"])
    assert [TEXT[s:e] for s, e, _ in find_matches(TEXT, t)] == ["thi", "đua", "thi", "đua"]
    t = Terms(["ke", "hoach"])  # typed without diacritics
    assert [TEXT[s:e] for s, e, _ in find_matches(TEXT, t)] == ["KẾ", "HOẠCH"]
    t = Terms(["thì"])  # a different accented word does not match "thi"
    assert find_matches(TEXT, t) == []


def test_snippet_escapes_text_and_marks_matches():
    html, _ = snippet(TEXT, [], Terms(["khen", "thưởng"]))
    assert "<mark>khen</mark> <mark>thưởng</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_snippet_offsets_in_nfc_text():
    text = "Ủy ban nhân dân tỉnh Hà Lam ban hành kế hoạch"
    html, _ = snippet(text, [], Terms(["uy", "ban"]))
    assert html.startswith("<mark>Ủy</mark> <mark>ban</mark>")


def test_snippet_names_best_section():
    text = "Mở đầu\nĐiều 1. Phạm vi\nnội dung khác\nĐiều 2. Khen thưởng\nbằng khen, khen thưởng đột xuất"
    secs = [{"title": "", "start": 0, "end": 7, "level": 0},
            {"title": "Điều 1. Phạm vi", "start": 7, "end": 37, "level": 4},
            {"title": "Điều 2. Khen thưởng", "start": 37, "end": len(text), "level": 4}]
    html, sec = snippet(text, secs, Terms(["khen", "thưởng", "đột", "xuất"]))
    assert sec["title"] == "Điều 2. Khen thưởng"
    assert "<mark>đột</mark>" in html
