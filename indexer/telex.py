"""Keys typed with the Vietnamese input method switched off, read back as letters.

With Unikey or the system's Vietnamese keyboard off, a staff member's "thưởng" arrives as the
keys that would have made it: Telex `thuowngr` (`w` a horn or a breve, a doubled vowel its
circumflex, `dd` đ, a trailing s f r x j the tone) or VNI `thuo7ng3` (6 circumflex, 7 horn,
8 breve, 9 đ, 1–5 the tones). `decode` gives the syllables such a token can spell; the caller
keeps one the archive has (a token without any of these keys gives nothing, so plain unaccented
words are left to the no-diacritics search).
"""

from __future__ import annotations

import re
import unicodedata

from indexer.normalize import fix_tone_placement

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
TELEX_TONES = {"s": _ACUTE, "f": _GRAVE, "r": _HOOK, "x": _TILDE, "j": _DOT}
VNI_TONES = {"1": _ACUTE, "2": _GRAVE, "3": _HOOK, "4": _TILDE, "5": _DOT}
_CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"u": "ư", "o": "ơ"}
_BASE = {"â": "a", "ă": "a", "ê": "e", "ô": "o", "ơ": "o", "ư": "u"}
_VOWELS = set("aeiouy") | set(_BASE)
_TOKEN = re.compile(r"[a-z][a-z0-9]{0,11}")


def _nucleus(letters: list[str]) -> list[int]:
    """Positions of the last run of vowels (the u of "qu" and i of "gi" included)."""
    run: list[int] = []
    for i, ch in enumerate(letters):
        if ch in _VOWELS:
            run = run + [i] if run and run[-1] == i - 1 else [i]
    return run


def _horn(letters: list[str], with_breve: bool) -> bool:
    """Telex w / VNI 7 on the nucleus: uo → ươ, else o → ơ, u → ư (Telex also a → ă)."""
    run = _nucleus(letters)
    for i in run[:-1]:
        if letters[i] in "uư" and letters[i + 1] in "oơ":
            letters[i], letters[i + 1] = "ư", "ơ"
            return True
    for plain, marked in (("o", "ơ"), ("u", "ư")) + ((("a", "ă"),) if with_breve else ()):
        for i in reversed(run):
            if letters[i] == plain:
                letters[i] = marked
                return True
    return False


def _circumflex(letters: list[str], vowel: str | None) -> bool:
    """Telex aa/ee/oo (the vowel typed again) or VNI 6 (vowel None: the last a, e or o)."""
    for i in reversed(_nucleus(letters)):
        if letters[i] in _CIRCUMFLEX and (vowel is None or letters[i] == vowel):
            letters[i] = _CIRCUMFLEX[letters[i]]
            return True
    return False


def decode(token: str) -> list[str]:
    """The syllables (lower case, NFC, modern tone placement) that `token` spells when its keys are
    read as Telex or VNI; [] when it has no such key or is no syllable ("thuowngr" → ["thưởng", …],
    "ddua" → ["đua"], "quye61t" → ["quyết", …], "khen" → [])."""
    t = token.lower()
    if not _TOKEN.fullmatch(t):
        return []
    letters: list[str] = []
    tone: str | None = None
    keyed = False
    for ch in t:
        has_vowel = bool(_nucleus(letters))
        if ch == "d" and letters == ["d"] or ch == "9" and letters and letters[-1] == "d":
            letters[-1] = "đ"
        elif has_vowel and (ch in TELEX_TONES or ch in VNI_TONES):
            tone = TELEX_TONES.get(ch) or VNI_TONES[ch]
        elif ch == "w" and not has_vowel:
            letters.append("ư")  # "nhw" → như
        elif ch in "w7" and has_vowel:
            if not _horn(letters, with_breve=ch == "w"):
                return []
        elif ch == "8" and has_vowel:
            i = next((i for i in reversed(_nucleus(letters)) if letters[i] == "a"), None)
            if i is None:
                return []
            letters[i] = "ă"
        elif ch == "6" and has_vowel:
            if not _circumflex(letters, None):
                return []
        elif ch in _CIRCUMFLEX and has_vowel and _circumflex(letters, ch):
            pass  # "caan", "tieengs", "quoocs": the vowel typed again
        elif ch.isdigit():
            return []  # a number, or a digit where no VNI key fits
        else:
            letters.append(ch)
            continue
        keyed = True
    if not keyed:
        return []
    base = "".join(letters)
    # the horn on one letter or both, as the keyboard tools settle it: dương, thuở
    spellings = {base, base.replace("ưo", "ươ"), re.sub(r"uơ(?=[a-zđ])", "ươ", base), re.sub(r"ươ$", "uơ", base)}
    out: list[str] = []
    for spelling in sorted(spellings):
        run = _nucleus(list(spelling))
        if not run:
            return []
        for i in run if tone else [run[0]]:
            marked = spelling[: i + 1] + (tone or "") + spelling[i + 1:]
            word = fix_tone_placement(unicodedata.normalize("NFC", marked))
            if word not in out:
                out.append(word)
    return out
