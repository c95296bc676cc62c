"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI-Windows) → Unicode.

Before Unicode, Vietnamese offices typed with 8-bit fonts: `.VnTime` (TCVN 5712:1993,
"TCVN3"/ABC: one byte per accented lowercase letter) and `VNI-Times` (VNI-Windows: a base
letter followed by one or two mark bytes). Read as Windows-1252 those bytes come out as
garbage ("Bé Tµi chÝnh" for "Bộ Tài chính"). The tables below are written from the two
encodings' definitions; `repair` detects such text line by line and converts it, leaving
real Unicode and plain ASCII alone.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --- TCVN3 (TCVN 5712:1993, VN3) ----------------------------------------------------------
# Lowercase letters by byte; the "H" fonts (.VnTimeH) draw the same bytes as capitals.
_TCVN3_BYTES = {
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xA8: "ă", 0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xA9: "â", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xAE: "đ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xAA: "ê", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xAB: "ô", 0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xAC: "ơ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xAD: "ư", 0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
    # the only capitals TCVN3 has: the base letters with a mark of their own
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
}
# Text reaches us decoded as cp1252 (Word, RTF \'hh) or Latin-1 (PDF fonts): key both.
TCVN3 = {}
for _b, _ch in _TCVN3_BYTES.items():
    TCVN3[chr(_b)] = _ch
    TCVN3[bytes([_b]).decode("cp1252", errors="ignore") or chr(_b)] = _ch
# PDF fonts built for .VnTime often name glyph 0xAD "minus" and 0xB7 "periodcentered"/bullet
TCVN3.update({"\u2212": "ư", "\u2219": "ã"})
_TCVN3_TRANS = str.maketrans(TCVN3)

# --- VNI-Windows ------------------------------------------------------------------------
# A base letter, then mark bytes. Shape marks: â (circumflex on a/e/o), ê (breve on a);
# ô and ö are the letters ơ and ư themselves; ñ is đ; some i forms are single bytes.
_COMB = {"acute": "\u0301", "grave": "\u0300", "hook": "\u0309", "tilde": "\u0303", "dot": "\u0323",
         "circ": "\u0302", "breve": "\u0306", "horn": "\u031b"}
_VNI_MARKS_LOWER = {
    "ù": ("acute",), "ø": ("grave",), "û": ("hook",), "õ": ("tilde",), "ï": ("dot",),
    "â": ("circ",), "á": ("circ", "acute"), "à": ("circ", "grave"), "å": ("circ", "hook"),
    "ã": ("circ", "tilde"), "ä": ("circ", "dot"),
    "ê": ("breve",), "é": ("breve", "acute"), "è": ("breve", "grave"), "ú": ("breve", "hook"),
    "ü": ("breve", "tilde"), "ë": ("breve", "dot"),
}
_VNI_MARKS_UPPER = {k.upper(): v for k, v in _VNI_MARKS_LOWER.items()}
_VNI_MARKS = {**_VNI_MARKS_LOWER, **_VNI_MARKS_UPPER}
_VNI_LETTERS = {  # single bytes that are whole letters
    "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ",
    "í": "í", "Í": "Í", "ì": "ì", "Ì": "Ì", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị",
}
_VNI_BASES = set("aeiouyAEIOUY")
_VNI_RE = re.compile(r"([aeiouyAEIOUYôÔöÖ])([ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]{1,2})|([ôÔöÖñÑíÍìÌæÆóÓòÒ])")


def _vni_sub(m: re.Match) -> str:
    if m.group(3):
        return _VNI_LETTERS[m.group(3)]
    base, marks = m.group(1), m.group(2)
    base = _VNI_LETTERS.get(base, base)
    shape: list[str] = []
    tone: list[str] = []
    for k, ch in enumerate(marks):
        names = _VNI_MARKS[ch]
        bad = any(n == "breve" and base.lower() != "a" or n == "circ" and base.lower() not in "aeo" for n in names)
        if bad and k == 0:
            return m.group(0)  # not a VNI sequence
        s = [_COMB[n] for n in names if n in ("circ", "breve") and _COMB[n] not in shape]  # "eâá": one circumflex
        t = [_COMB[n] for n in names if n not in ("circ", "breve")]
        if bad or (s and shape) or (t and tone):  # a second mark that cannot join the letter stays as typed
            return unicodedata.normalize("NFC", base + "".join(shape + tone)) + marks[k:]
        shape += s
        tone += t
    return unicodedata.normalize("NFC", base + "".join(shape + tone))


def _heading_case(m: re.Match) -> str:
    """TCVN3 has no accented capitals: in "NGHÞ §ÞNH" (drawn as capitals by .VnTimeH) a word
    with two or more capitals and no ASCII lowercase letter is a capitalised word."""
    w = m.group(0)
    if any(c.isascii() and c.islower() for c in w) or sum(c.isupper() for c in w) < 2:
        return w
    return w.upper()


def tcvn3_to_unicode(text: str) -> str:
    out = unicodedata.normalize("NFC", text.translate(_TCVN3_TRANS))
    return re.sub(r"[^\W\d_]*[^\W\da-zA-Z_][^\W\d_]*", _heading_case, out)


def vni_to_unicode(text: str) -> str:
    return unicodedata.normalize("NFC", _VNI_RE.sub(_vni_sub, text))


CONVERTERS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}

# --- detection ----------------------------------------------------------------------------
_VIET = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
)
_VIET |= {c.upper() for c in _VIET}
_WORD = re.compile(r"[^\W\d_]+")


_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?"
_RHYMES = (
    "a ai ao au ay an ang anh am ap at ac ach e eo en em ep et ec eng i ia iu in inh im ip it ich ieu iem ien iep "
    "iet ieng o oi oa oai oan oang oanh oay oac oach oat oam oap oe oen oet oeo on ong om op ot oc oong ooc u ua ui "
    "uy uya uyen uyet uynh uych uyu un ung um up ut uc uoi uon uong uom uot uoc uop ue uan uang uat uac uau uay uen "
    "uet uu y yen yet yeu yem ya"
).split()
_SYLLABLE = re.compile(rf"^{_ONSET}(?:{'|'.join(sorted(_RHYMES, key=len, reverse=True))})$")


def _fold(word: str) -> str:
    nfd = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in nfd if not unicodedata.combining(c)).replace("đ", "d")


def _tones(word: str) -> int:
    return sum(1 for c in unicodedata.normalize("NFD", word) if c in "\u0300\u0301\u0303\u0309\u0323")


def _score(text: str) -> float:
    """How Vietnamese the non-ASCII words look: +1 a valid syllable, -2 anything else."""
    good = bad = 0
    for w in _WORD.findall(text):
        if w.isascii():
            continue
        if all(ch in _VIET or ch.isascii() for ch in w) and _tones(w) <= 1 and _SYLLABLE.match(_fold(w)):
            good += 1
        else:
            bad += 1
    return good - 2 * bad


_TOKEN = re.compile(r"[^\s\d.,;:!?()\[\]\"'“”/\\=+*%<>|_-]+")


def _valid(word: str) -> bool:
    if word.isascii():
        return True
    return all(ch in _VIET or ch.isascii() for ch in word) and _tones(word) <= 1 and bool(_SYLLABLE.match(_fold(word)))


def _assess(text: str, encoding: str) -> tuple[int, int]:
    """(words the conversion from `encoding` repairs, valid words it would damage)."""
    fixes = damages = 0
    for w in _TOKEN.findall(text):
        if w.isascii():
            continue
        verdict = _verdict(w, encoding)
        if verdict > 0:
            fixes += 1
        elif verdict < 0:
            damages += 1
    return fixes, damages


@lru_cache(maxsize=200_000)
def _verdict(word: str, encoding: str) -> int:
    """1: converting `word` repairs it; -1: it damages a valid word; 0: neither. Cached: a
    Unicode archive asks this of the same few thousand words on every line."""
    cw = CONVERTERS[encoding](word)
    if cw == word:
        return 0
    if _valid(word):
        return -1
    return 1 if _valid(cw) and len(word) >= 2 else 0


def detect(text: str) -> str | None:
    """'tcvn3', 'vni' or None for a piece of text (None: leave it alone)."""
    text = unicodedata.normalize("NFC", text)
    if not any(0xA0 <= ord(ch) <= 0xFF for ch in text):
        return None
    best, best_margin = None, 0
    for name in CONVERTERS:
        fixes, damages = _assess(text, name)
        margin = fixes - damages
        if fixes >= 2 and margin > best_margin:
            best, best_margin = name, margin
    return best


def convert(text: str, encoding: str) -> str:
    return CONVERTERS[encoding](text)


def _weigh(text: str, encoding: str) -> tuple[int, int, int]:
    """(words converting repairs, valid words it damages, words valid both ways) of a run.

    "Both ways" is where a legacy font's bytes happen to spell a Unicode syllable too: "Sè" is
    .VnTime for "Số", "Bé" for "Bộ", "tÕ" for "tế", VNI "Soá" for "Số"."""
    fixes = damages = alike = 0
    for w in _TOKEN.findall(text):
        if not w.isascii():
            f, d, a = _weigh_word(w, encoding)
            fixes, damages, alike = fixes + f, damages + d, alike + a
    return fixes, damages, alike


@lru_cache(maxsize=200_000)
def _weigh_word(word: str, encoding: str) -> tuple[int, int, int]:
    """_weigh of one word (cached: a document repeats its words)."""
    converted = CONVERTERS[encoding](word)
    if converted == word:
        return 0, 0, 0
    was, now = _valid(word), _valid(converted)
    return int(not was and now and len(word) >= 2), int(was and not now), int(was and now)


def run_evidence(text: str, encoding: str) -> int:
    """What one run in a font named for `encoding` says about the document's use of that font:
    1 it holds legacy bytes (converting repairs more words than it damages), -1 it holds
    Unicode (Vietnamese letters no legacy byte can give, or converting damages more), 0 unsure."""
    if not _eight_bit(text):
        return -1 if any(c in _VIET and ord(c) > 0xFF for c in text) else 0
    fixes, damages, _ = _weigh(text, encoding)
    return (fixes > damages) - (damages > fixes)


def convert_font_run(text: str, encoding: str, evidence: int) -> str:
    """Convert a run whose font says `encoding`, given the `evidence` of the document's other
    runs in such fonts (the sum of their run_evidence).

    The font is trusted where the words cannot tell: a run that converts to Vietnamese at least
    as plausible as its text ("Sè: 12/Q§-BTC" → "Số: 12/QĐ-BTC") is converted unless the
    document's runs in these fonts are mostly Unicode — a converted document that kept its
    font names. Text a legacy byte cannot give ("Hà Nội") is never touched, and a run whose
    conversion is no Vietnamese ("Café" → "Cafộ") only in a document shown to be legacy."""
    if not _eight_bit(text):
        return text
    fixes, damages, alike = _weigh(text, encoding)
    if fixes != damages:
        return convert(text, encoding) if fixes > damages else text
    if evidence > 0 or (evidence == 0 and alike):
        return convert(text, encoding)
    return text


_CP1252_EXTRA = set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\u2212\u2219")


def _eight_bit(line: str) -> bool:
    """Every non-ASCII character of the line is one a legacy font byte can produce."""
    return any(ord(c) >= 0xA0 for c in line) and all(ord(c) < 0x100 or c in _CP1252_EXTRA for c in line)


def repair(text: str, hint: str | None = None) -> tuple[str, str | None]:
    """Convert legacy-encoded lines of `text`; returns (text, encoding found or None).

    Lines are judged one by one (a line is converted when the conversion repairs words and
    damages none). Once a document has shown an encoding, its other lines made only of
    8-bit characters are converted too — short lines like "Sè: 12/Q§-BTC" carry too little
    evidence alone. With `hint` (a legacy font name), that encoding is tried first.
    """
    lines = unicodedata.normalize("NFC", text).split("\n")
    found: dict[str, int] = {}
    decided: list[str | None] = []
    for line in lines:
        enc = hint if hint and _assess(line, hint)[0] > 0 else detect(line)
        decided.append(enc)
        if enc:
            found[enc] = found.get(enc, 0) + 1
    if found:
        main = max(found, key=found.get)
        decided = [enc or (main if _eight_bit(line) else None) for line, enc in zip(lines, decided)]
    out = [convert(line, enc) if enc else line for line, enc in zip(lines, decided)]
    encs = {e for e in decided if e}
    enc = None if not encs else ("tcvn3" if encs == {"tcvn3"} else "vni" if encs == {"vni"} else "tcvn3+vni")
    return "\n".join(out), enc


def plausibility(text: str) -> int:
    """Valid Vietnamese syllables minus other non-ASCII words: to choose between two readings
    of the same bytes (Windows-1258, or legacy font bytes converted)."""
    good = bad = 0
    for w in _TOKEN.findall(unicodedata.normalize("NFC", text)):
        if not w.isascii():
            good, bad = (good + 1, bad) if _valid(w) else (good, bad + 1)
    return good - bad


def capitals_font(font_name: str | None) -> bool:
    """A TCVN3 font that draws every letter as a capital (".VnTimeH", ".VnArialH"): TCVN3 has
    no accented capitals, so headings were typed in lower case in these fonts."""
    return bool(font_name) and font_encoding(font_name) == "tcvn3" and font_name.strip().endswith("H")


def font_encoding(font_name: str | None) -> str | None:
    """The legacy encoding a font name implies (".VnTime" → tcvn3, "VNI-Times" → vni)."""
    if not font_name:
        return None
    f = font_name.strip().lower()
    if f.startswith(".vn") or f.startswith("vn") and f[2:3] in ("t", "a", "c", "h") and not f.startswith("vni"):
        return "tcvn3"
    if f.startswith("vni"):
        return "vni"
    return None


def vietnamese_ratio(text: str) -> float:
    """Share of words that are plausible Vietnamese syllables (or plain ASCII words/numbers)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    ok = sum(1 for w in words
             if (w.isascii() and (w.isupper() or len(w) <= 2)) or (_tones(w) <= 1 and _SYLLABLE.match(_fold(w))))
    return ok / len(words)
