"""Keys typed with the Vietnamese keyboard tool off, read back as the letters they would have made."""

import pytest

from indexer.telex import decode


@pytest.mark.parametrize("keys, word", [
    ("thuowngr", "thưởng"), ("thuwowngr", "thưởng"), ("thuwowsng", "thướng"),  # Telex, tone anywhere after the vowel
    ("ddinhj", "định"), ("quyeets", "quyết"), ("quoocs", "quốc"), ("tieengs", "tiếng"), ("nhw", "như"),
    ("hoaf", "hòa"),  # modern tone placement, as the index writes it
    ("nguowif", "người"), ("dduowcj", "được"), ("thuowr", "thuở"), ("Haauj", "hậu"), ("tawng", "tăng"),
    ("thu7o7ng3", "thưởng"), ("quye61t", "quyết"), ("d9ua", "đua"), ("tra62n", "trần"), ("ta8ng", "tăng"),  # VNI
    ("ddi5nh", "định"),  # both in one word
])
def test_the_keys_spell_the_word(keys, word):
    assert word in decode(keys)


@pytest.mark.parametrize("typed", ["khen", "thuong", "ubnd", "1460", "kh1460", "email", "qd15", "thưởng", "", "7"])
def test_a_word_without_such_keys_spells_nothing(typed):
    """Plain unaccented words, codes and numbers are left to the no-diacritics search."""
    assert decode(typed) == []


def test_every_reading_is_nfc_and_lower_case():
    import unicodedata

    for keys in ("THUOWNGR", "Quyeets", "ddinhj", "hoaf"):
        for word in decode(keys):
            assert word == unicodedata.normalize("NFC", word) == word.lower()
