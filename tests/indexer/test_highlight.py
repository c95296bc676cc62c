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


# --- bounded work on very long texts -------------------------------------------------------------

import random  # noqa: E402
import unicodedata  # noqa: E402

import pytest  # noqa: E402

from indexer.highlight import (  # noqa: E402
    FULL_SCAN, HEAD_SCAN, PROBE, WINDOW, best_section, bounded_matches, probe_matches, scan_matches,
)

SPELLINGS = "Ủy ban ỦY BAN ủy Uy uỷ kế KẾ Kế ke KE kệ kếx xkế kế_hoạch kế2 hoạch HOẠCH Hoạch hoach đua ĐUA dua Đua 2019 x2019"


@pytest.mark.parametrize("syllables", [["uy", "ban"], ["ủy"], ["ke", "hoach"], ["kế"], ["đua"], ["dua"], ["2019"], ["ỦY"]])
def test_probe_finds_what_the_syllable_scan_finds(syllables):
    text = unicodedata.normalize("NFC", SPELLINGS)
    terms = Terms(syllables)
    assert probe_matches(text, terms, 0, len(text), per_term=100) == find_matches(text, terms)


def test_probe_keeps_the_first_occurrences_of_each_term_within_its_range():
    text = "kế hoạch " * 50 + "thi đua"
    terms = Terms(["ke", "thi"])
    found = probe_matches(text, terms, 9, len(text), per_term=3)
    assert [text[s:e] for s, e, _ in found] == ["kế", "kế", "kế", "thi"] and found[0][0] == 9
    assert probe_matches(text, terms, 10, len(text), per_term=1)[0][0] == 18  # "ế hoạch" is not a whole syllable


def test_a_scan_leaves_out_syllables_its_edges_cut():
    text = "thi đua khen thưởng"
    terms = Terms(["thi", "đua", "khen", "thưởng"])
    assert [text[s:e] for s, e, _ in scan_matches(text, terms, 1, 17)] == ["đua", "khen"]
    assert [text[s:e] for s, e, _ in scan_matches(text, terms, 0, len(text))] == ["thi", "đua", "khen", "thưởng"]


def _long_text(n_chars: int, rare_at: int) -> str:
    rng = random.Random(5)
    filler = ["Sở Nội vụ hướng dẫn các đơn vị.", "Ủy ban nhân dân huyện tổ chức sơ kết.", "Báo cáo gửi trước ngày 15."]
    out, size = [], 0
    while size < n_chars:
        line = rng.choice(filler) + ("\nĐiều 9. Khen thưởng\nTặng Bằng khen đột xuất." if rare_at <= size < rare_at + 40 else "")
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def test_bounded_matches_on_a_long_text():
    text = _long_text(3 * FULL_SCAN, rare_at=2 * FULL_SCAN)
    terms = Terms(["uy", "ban", "khen", "đột"])
    found = bounded_matches(text, terms)
    every = find_matches(text, terms)
    assert set(found) <= set(every)
    assert [m for m in found if m[1] <= HEAD_SCAN] == [m for m in every if m[1] <= HEAD_SCAN]
    far = [m for m in found if m[1] > HEAD_SCAN]
    assert {t for _, _, t in far} == {"uy", "ban", "khen", "đột"} and far == sorted(far)
    assert bounded_matches(text[:FULL_SCAN], terms) == find_matches(text[:FULL_SCAN], terms)  # short: every match


def test_snippet_of_a_long_text_marks_its_window_and_names_its_section():
    text = _long_text(3 * FULL_SCAN, rare_at=2 * FULL_SCAN)
    at = text.index("Điều 9.")
    end = text.index("\n", text.index("xuất.", at) + 7)  # the article and the line after it
    sections = [{"title": "", "start": 0, "end": at, "level": 0},
                {"title": "Điều 9. Khen thưởng", "start": at, "end": end, "level": 4},
                {"title": "", "start": end, "end": len(text), "level": 0}]
    html, sec = snippet(text, sections, Terms(["khen", "đột", "xuat"]))
    assert sec["title"] == "Điều 9. Khen thưởng"
    assert "<mark>Khen</mark>" in html and "<mark>đột</mark> <mark>xuất</mark>" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= WINDOW + 2
    assert len(text) < PROBE


def _best_section_by_counting(sections, matches):
    best, best_score = None, (0, 0)
    for sec in sections:
        inside = [m for m in matches if sec["start"] <= m[0] < sec["end"]]
        score = (len({m[2] for m in inside}), len(inside))
        if score > best_score:
            best, best_score = sec, score
    return best


@pytest.mark.parametrize("seed", range(20))
def test_best_section_is_the_one_with_most_terms_then_matches_then_first(seed):
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, 1000), rng.randint(0, 12)))
    bounds = [0, *cuts, 1000]
    sections = [{"title": str(i), "start": a, "end": b, "level": 1} for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]
    sections = sections[rng.randint(0, 1):]  # sometimes the text before the first heading is no section
    matches = sorted((p, p + 2, rng.choice("abc")) for p in rng.sample(range(1000), rng.randint(0, 30)))
    assert best_section(sections, matches) == _best_section_by_counting(sections, matches)


# --- document numbers, marked whole ---------------------------------------------------------------

from indexer.querylang import parse  # noqa: E402
from indexer.search import highlight_terms  # noqa: E402

PARTY = ("Thực hiện Chỉ thị số 11-CT/TU ngày 05 tháng 11 năm 2019 của Tỉnh ủy; Tự do - Hạnh phúc. "
         "Kế hoạch số 1460/KH- UBND và Kế hoạch số 1461/KH-UBND; Nghị định số 96/2023/NĐ-CP.")


def _marked(query: str, text: str = PARTY) -> list[str]:
    return [text[s:e] for s, e, _ in find_matches(text, highlight_terms(parse(query)))]


def test_a_number_is_marked_whole_and_its_parts_nowhere_else():
    assert _marked("11-CT/TU") == ["11-CT/TU"]  # not "11" of "tháng 11", not "Tự" of "Tự do"
    html, _ = snippet(PARTY, [], highlight_terms(parse("11-CT/TU")))
    assert "<mark>11-CT/TU</mark>" in html and "<mark>Tự</mark>" not in html and "<mark>11</mark>" not in html


@pytest.mark.parametrize("query, marked", [
    ("1460/KH-UBND", ["1460/KH- UBND"]),  # written with a stray space: still the number
    ("KH 1460", ["1460/KH- UBND"]),  # typed loosely: the parts typed must agree
    ("kế hoạch 1461", ["1461/KH-UBND"]),
    ("nghi dinh 96/2023", ["96/2023/NĐ-CP"]),
    ("so:96/2023/ND-CP", ["96/2023/NĐ-CP"]),  # the number filter, typed without Đ
    ("Tỉnh ủy 11-CT/TU", ["11-CT/TU", "Tỉnh", "ủy"]),  # words and the number side by side
    ("99/KH-UBND", []),
    ("KH 1460 2019", ["1460/KH- UBND"]),  # a year after a space may be the document's: the number is still marked
])
def test_numbers_typed_in_any_form_mark_their_writings(query, marked):
    assert _marked(query) == marked


def test_number_marks_on_a_long_text_too():
    text = "mở đầu. " * 20_000 + PARTY  # past FULL_SCAN: the probe finds numbers as well
    terms = highlight_terms(parse("11-CT/TU"))
    html, _ = snippet(text, [], terms)
    assert "<mark>11-CT/TU</mark>" in html and "<mark>Tự</mark>" not in html


def test_a_short_text_has_every_match_marked_numbers_and_all():
    """Below FULL_SCAN every occurrence counts, however many (PER_TERM only bounds long texts)."""
    text = PARTY * 150  # 300 of each number, 150 of "Tự" …
    terms = highlight_terms(parse("1460/KH-UBND Tự do"))
    every = find_matches(text, terms)
    assert len([m for m in every if m[2] != "tự" and m[2] != "do"]) == 150
    assert probe_matches(text, terms, 0, len(text), per_term=None) == every
    assert bounded_matches(text, terms) == every


def test_the_passage_with_the_query_words_side_by_side_wins():
    """"bằng khen": a section with "khen … công bằng" and one with "Bằng khen" — the second
    is named and shown, though both hold the two words."""
    text = ("1. Yêu cầu\nViệc bình xét khen thưởng bảo đảm công khai, công bằng.\n"
            "2. Hình thức\nTập thể xuất sắc được tặng Bằng khen của Chủ tịch.\n")
    cut = text.index("2. Hình thức")
    secs = [{"title": "1. Yêu cầu", "start": 0, "end": cut, "level": 1},
            {"title": "2. Hình thức", "start": cut, "end": len(text), "level": 1}]
    html, sec = snippet(text, secs, highlight_terms(parse("bằng khen")))
    assert sec["title"] == "2. Hình thức" and "<mark>Bằng</mark> <mark>khen</mark>" in html
    html, sec = snippet(text, secs, highlight_terms(parse("khen bằng")))  # not a pair of the query: the first
    assert sec["title"] == "1. Yêu cầu"


def test_a_word_matched_at_a_sections_end_is_shown_and_marked():
    """The window ended just after the matched word (the section's end), and trimming to whole
    words cut that word off: a hit whose snippet marked nothing. A section starting with
    "Điều 1." lost "Điều" the same way."""
    long_before = " ".join(["phân bổ vốn phát triển kinh tế"] * 12)
    text = f"Điều 1. {long_before} mauqa26\nĐiều 2. Tổ chức thực hiện các nội dung khác của kế hoạch."
    end = text.index("\n") + 1
    secs = [{"title": "Điều 1.", "start": 0, "end": end, "level": 4},
            {"title": "Điều 2.", "start": end, "end": len(text), "level": 4}]
    html, sec = snippet(text, secs, Terms(["mauqa26"]))
    assert "<mark>mauqa26</mark>" in html and sec["title"] == "Điều 1."
    html, _ = snippet("Điều 1. Phân bổ vốn xã hội.", [], Terms(["phân", "bổ", "vốn", "xã", "hội"]))
    assert html.startswith("Điều 1. <mark>Phân</mark>") and html.endswith("<mark>hội</mark>.")
