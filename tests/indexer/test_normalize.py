"""One spelling of a syllable's tone, whatever the typist or the converter did."""

import unicodedata

import pytest

from indexer.normalize import fix_tone_placement, normalize_query, normalize_text


@pytest.mark.parametrize("written, fixed", [
    # old placement in open oa, oe, uy (both placements are in use; the index keeps one)
    ("hoà", "hòa"), ("thuỷ", "thủy"), ("uỷ ban", "ủy ban"), ("khoẻ", "khỏe"),
    # the u of "qu" and the i of "gi" belong to the onset
    ("qúy", "quý"), ("Qúy", "Quý"), ("qủa", "quả"), ("Qúa", "Quá"), ("QÚY", "QUÝ"), ("gìa", "già"),
    # a closed oa / uy has the tone on its second vowel
    ("tòan", "toàn"), ("họat", "hoạt"), ("đọan", "đoạn"), ("hòan thành", "hoàn thành"), ("hùynh", "huỳnh"),
    ("TÒAN", "TOÀN"),
    # a vowel with its own mark after another takes the tone
    ("ngừơi", "người"), ("tíên", "tiến"), ("múôn", "muốn"), ("tùân", "tuần"),
])
def test_a_misplaced_tone_is_moved_to_its_vowel(written, fixed):
    assert fix_tone_placement(written) == fixed
    assert fix_tone_placement(unicodedata.normalize("NFD", written)) == fixed


@pytest.mark.parametrize("word", ["quý", "quả", "toàn", "hoạt", "người", "tiến", "già", "giờ", "gì", "gìn", "giữa",
                                  "giúp", "khuyến", "quyết", "quốc", "thuở", "xoắn", "mùa", "ngoài", "xoáy", "khuỷu",
                                  "của", "hòa", "thủy", "café", "Ủy", "tuần", "chuyển"])
def test_a_well_placed_tone_stays(word):
    assert fix_tone_placement(word) == word


def test_text_and_queries_get_the_same_spelling():
    assert normalize_text("Kết qủa họat động năm 2019") == normalize_query("kết quả hoạt động năm 2019").capitalize()
