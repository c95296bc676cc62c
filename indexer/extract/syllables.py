"""Re-joins syllables that a PDF text layer split apart ("nghi ệp", "g iấy", "th ờ i").

PDF text has no spaces, only glyph positions: a reader (pypdf, pdfium) puts a space where the
gap between two glyphs is wide, and fonts with kerned or separately placed diacritics give
gaps inside a syllable. A piece such as "ệp", "iấy" or "th" is not a Vietnamese syllable, so
a run of letters containing one is re-read as the fewest syllables that explain it: pieces are
joined only when that leaves fewer non-syllables, and only into a known syllable. Text made
of real syllables is never touched ("ta y tế" stays as it is).

Known syllables are those found in at least two words of underthesea's dictionary (the one its
segmenter uses) and having a vowel: the dictionary also lists letters ("t", "g") and stray
pieces as words of their own ("ệp").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from indexer.normalize import fold

# letters, words separated by one space; not part of a longer token ("ng\u00adười", "Pa-ri", "H'Mông")
_RUN = re.compile(r"(?<![\w\u00ad\-'’/.])[^\W\d_]+(?: [^\W\d_]+)+(?![\w\u00ad\-'’/])")
_VOWELS = frozenset("aăâeêioôơuưy")
MAX_PIECES = 4  # a syllable split into more pieces than this is left alone
MIN_WORDS = 2  # dictionary words a syllable must occur in to count as known
EVIDENCE = 3  # joins of longer pieces in a text before one-letter pieces are joined too


@functools.lru_cache(maxsize=1)
def known_syllables() -> frozenset[str]:
    import joblib

    from indexer.crf import _model_dir

    words = joblib.load(f"{_model_dir()}/dictionary.bin")
    seen = Counter(unicodedata.normalize("NFC", s.lower()) for w in words for s in w.split())
    return frozenset(s for s, n in seen.items()
                     if n >= MIN_WORDS and s.isalpha() and _VOWELS & set(fold(s)))


def _is_syllable(token: str) -> bool:
    return token.lower() in known_syllables()


def _case_ok(word: str) -> bool:
    """A joined word is written one way: lower, upper or title case ("khí N" is not "khíN")."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def _rejoin_run(tokens: list[str], single_letters: bool) -> tuple[list[str], int, int]:
    """The tokens regrouped (fewest non-syllables, then fewest tokens); the joins made, and how
    many of them resolved a piece of two letters or more (evidence of a split text layer).
    Without `single_letters`, a piece of one letter ("điểm m và n", "khí N") is never joined."""
    ok = [_is_syllable(t) for t in tokens]
    if all(ok):
        return tokens, 0, 0
    n = len(tokens)
    # best[i] = (non-syllables, tokens) for tokens[:i], and where its last group starts
    best: list[tuple[tuple[int, int], int]] = [((0, 0), 0)] + [((n + 1, n + 1), 0)] * n
    for i in range(1, n + 1):
        for j in range(max(0, i - MAX_PIECES), i):
            if i - j == 1:
                cost = (0 if ok[j] else 1, 1)
            else:
                group = tokens[j:i]
                bad = [t for t, good in zip(group, ok[j:i]) if not good]
                word = "".join(group)
                if not bad or not _is_syllable(word) or not _case_ok(word):
                    continue
                if not single_letters and any(len(t) == 1 for t in group):
                    continue
                cost = (0, 1)
            prev = best[j][0]
            total = (prev[0] + cost[0], prev[1] + cost[1])
            if total < best[i][0]:
                best[i] = (total, j)
    out, strong, i = [], 0, n
    while i > 0:
        j = best[i][1]
        out.append("".join(tokens[j:i]))
        if i - j > 1 and any(len(t) > 1 and not good for t, good in zip(tokens[j:i], ok[j:i])):
            strong += 1
        i = j
    out.reverse()
    return out, n - len(out), strong


def _rejoin(text: str, single_letters: bool) -> tuple[str, int, int]:
    """(text re-joined, joins, joins of pieces of two letters or more) for NFC `text`."""
    joins = strong = 0

    def fix(m: re.Match) -> str:
        nonlocal joins, strong
        tokens, k, s = _rejoin_run(m.group().split(" "), single_letters)
        joins, strong = joins + k, strong + s
        return " ".join(tokens)

    return _RUN.sub(fix, text), joins, strong


def split_evidence(text: str) -> int:
    """How many joins of pieces of two letters or more `text` calls for ("nghi ệp", "th ời")."""
    return _rejoin(unicodedata.normalize("NFC", text), False)[2]


def rejoin_pages(pages: list[str]) -> tuple[list[str], int]:
    """The pages of one document (NFC) with split syllables joined again, and the joins made.

    Pieces of one letter are joined only when the document shows at least EVIDENCE joins of
    longer pieces: elsewhere "là m" is more likely "là m(ét)" than a split "làm"."""
    pages = [unicodedata.normalize("NFC", p) for p in pages]
    done = [_rejoin(p, False) for p in pages]
    if sum(strong for _, _, strong in done) >= EVIDENCE:
        done = [_rejoin(p, True) for p in pages]
    return [t for t, _, _ in done], sum(k for _, k, _ in done)


def rejoin_split_syllables(text: str, single_letters: bool | None = None) -> tuple[str, int]:
    """`text` (NFC) with split syllables joined again, and the number of joins made; one-letter
    pieces as `single_letters` says, or as the text itself shows (rejoin_pages) when None."""
    if single_letters is None:
        (text,), joins = rejoin_pages([text])
        return text, joins
    text, joins, _ = _rejoin(unicodedata.normalize("NFC", text), single_letters)
    return text, joins
