"""Vietnamese text repair, used on both the index and the query side.

NFC; one tone-mark placement (modern: "hòa", "thủy", "ủy"); zero-width and control
characters removed; look-alike letters and hyphens replaced (Ð→Đ, ƣ→ư, U+2011→-); accent
folding (đ→d) for the no-diacritics field; one search key for the i/y spellings of a syllable
(kí/ký, lí/lý, mĩ/mỹ, quí/quý), which the index and the query use but the stored text does not.
"""

from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Characters that stand for another in Vietnamese text: ƣ/Ƣ (a common PDF font slip for ư/Ư),
# the Icelandic eth Ð/ð (what legacy-font conversions and some keyboards give for Đ/đ: "NÐ-CP"),
# and the Unicode hyphens (U+2010, the non-breaking U+2011) for the plain "-" of "QĐ-UBND".
_LOOKALIKES = str.maketrans({"\u01a3": "ư", "\u01a2": "Ư", "\u00d0": "Đ", "\u00f0": "đ", "\u2010": "-", "\u2011": "-"})

# Old placement puts the tone on the second vowel of oa/oe/uy: "hoà" → "hòa", "uỷ" → "ủy".
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
_OLD_TONE = re.compile(rf"(?<![qQ])([oOuU])([aAeEyY])([{_TONES}])(?![\w\u0300-\u036f])")


# Misplaced tones (typing slips and some old converters; found in the legacy ground truth): the u of
# "qu" and the i of "gi" are the onset's ("qúy" → "quý", "qủa" → "quả", "gìa" → "già"); in a closed
# oa/oe/uy the tone is the second vowel's ("tòan" → "toàn", "họat" → "hoạt", "hùynh" → "huỳnh");
# a vowel with its own mark after another takes the tone ("ngừơi" → "người", "tíên" → "tiến").
_SHAPES = "\u0302\u0306\u031b"  # circumflex, breve, horn
_ONSET_VOWEL = re.compile(rf"(?<=[qQ])([uU])([{_TONES}])([aAeEiIoOyY][{_SHAPES}]?)|"
                          rf"(?<=[gG])([iI])([{_TONES}])([aAeEoOuU][{_SHAPES}]?)(?=[a-zA-Z\u0300-\u036f]|\b)")
_CLOSED_GLIDE = re.compile(rf"([oOuU])([{_TONES}])([aAeEyY])(?=[cmnptCMNPT])")
_SHAPED_SECOND = re.compile(rf"([iIyYuUoO]\u031b?)([{_TONES}])([aAeEoO][{_SHAPES}])")


def _move_tone(m: re.Match) -> str:
    return m.group(1) + m.group(3) + m.group(2)


def _tone_after_onset(m: re.Match) -> str:
    return m.group(1) + m.group(3) + m.group(2) if m.group(1) else m.group(4) + m.group(6) + m.group(5)


def fix_tone_placement(text: str) -> str:
    """One tone placement: open oa, oe, uy with the tone on the first vowel ("hoà" → "hòa", "thuỷ"
    → "thủy"), and misplaced tones moved to their vowel ("qúy" → "quý", "tòan" → "toàn")."""
    nfd = unicodedata.normalize("NFD", text)
    if not any(ch in _TONES for ch in nfd):
        return unicodedata.normalize("NFC", nfd)
    nfd = _ONSET_VOWEL.sub(_tone_after_onset, nfd)
    nfd = _CLOSED_GLIDE.sub(_move_tone, nfd)
    nfd = _SHAPED_SECOND.sub(_move_tone, nfd)
    return unicodedata.normalize("NFC", _OLD_TONE.sub(_move_tone, nfd))


def normalize_text(s: str) -> str:
    """NFC, modern tone placement, no zero-width/control characters; line structure kept."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _SURROGATE.sub("\ufffd", s)  # half of a pair (JSON "\ud800": an emoji cut in two) cannot be written out
    s = _ZERO_WIDTH.sub("", s).translate(_LOOKALIKES)
    s = _CONTROL.sub(" ", s)
    s = fix_tone_placement(unicodedata.normalize("NFC", s))
    s = _SPACES.sub(" ", s)
    s = "\n".join(line.strip() for line in s.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", s).strip()


def shown_as_typed(s: str) -> str:
    """A user's text shown back as typed: NFC, without invisible characters (a BOM, a zero-width
    space pasted with it) or halves of a character."""
    return unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", _SURROGATE.sub("\ufffd", s)))


def normalize_query(s: str) -> str:
    """The same repair for a one-line query."""
    return " ".join(normalize_text(s).split())


# A syllable whose whole vowel is a final y after a consonant is written with i as well: kí/ký, kĩ/kỹ,
# lí/lý, mĩ/mỹ, sĩ/sỹ, tỉ/tỷ, hi/hy, công ti/công ty, quí/quý (the u of "qu" is the consonant's).
# "y" alone (ý kiến, y tế) and y after another vowel (tuy, thủy, nguy, quyết) are left alone.
_ONSET = r"(?:[bcdđghklmnprstvx]+|qu)"
_Y_AFTER_ONSET = re.compile(rf"(?<![^\W_])({_ONSET})([yýỳỷỹỵ])(?![^\W_])")
_I_AFTER_ONSET = re.compile(rf"{_ONSET}[iíìỉĩị]")
Y_TO_I = str.maketrans("yýỳỷỹỵ", "iíìỉĩị")
_I_TO_Y = str.maketrans("iíìỉĩị", "yýỳỷỹỵ")


def spelling_key(s: str) -> str:
    """`s` (lower case) with each kí/ký-like syllable written with i: the search key of both
    spellings, used by the analyzers, the query and the snippets alike ("ký kết" → "kí kết")."""
    if "y" not in s and not any(ch in s for ch in "ýỳỷỹỵ"):
        return s
    return _Y_AFTER_ONSET.sub(lambda m: m.group(1) + m.group(2).translate(Y_TO_I), s)


def written_with_y(syllable: str) -> str | None:
    """A syllable (lower case) of the shape `spelling_key` writes with i — a consonant and a
    final i — spelled with y instead ("kí" → "ký", "qui" → "quy", "thi" → "thy"); None otherwise."""
    if _I_AFTER_ONSET.fullmatch(syllable):
        return syllable[:-1] + syllable[-1].translate(_I_TO_Y)
    return None


def folded_key(s: str) -> str:
    """`fold` of the spelling key: how two writings of a name compare (Quản lí = QUẢN LÝ = quan ly)."""
    return fold(spelling_key(s.lower()))


def fold(s: str) -> str:
    """Lowercase without diacritics, đ→d: the key of the no-diacritics field."""
    nfd = unicodedata.normalize("NFD", s.lower())
    return "".join(ch for ch in nfd if not unicodedata.combining(ch)).replace("đ", "d")


# A folded Vietnamese syllable: consonants, a vowel nucleus, one of the finals. "thi", "tu", "nam"
# can be words; "ubnd", "snv", "bxd", "syt" cannot (a lone "y" takes no final), so typed alone
# they are codes or initials.
_SYLLABLE_SHAPE = re.compile(r"[bcdghklmnpqrstvx]*(?:(?:[aeiou][aeiouy]*|y[aeiouy]+)(?:ch|ng|nh|[cmnpt])?|y)")


def syllable_shaped(token: str) -> bool:
    """Whether `token` (any case, accents or not) could be one Vietnamese syllable."""
    return _SYLLABLE_SHAPE.fullmatch(fold(token)) is not None
