"""Split long documents into sections (Phần, Chương, Mục, Điều, numbered headings).

A section is a dict ``{"title", "start", "end", "level"}`` with character offsets in the
NFC text, so a hit can name — and link to — the section that matched best.

Inside an article ("Điều 3. …") a numbered line ("1. Thi đua là …") is a clause (khoản) of
that article, not a heading; elsewhere ("I. MỤC ĐÍCH" … "1. Mục đích") it is a heading.
"""

from __future__ import annotations

import re

_UPPER = "A-ZĐÀ-ỸẠ-Ỹ"
_HEADINGS: list[tuple[int, re.Pattern]] = [
    (1, re.compile(r"^(?:PHẦN|Phần)\s+(?:thứ\s+\w+|THỨ\s+\w+|[IVXLC]+|\d+)\b", re.U)),
    (2, re.compile(r"^(?:CHƯƠNG|Chương)\s+(?:[IVXLC]+|\d+)\b", re.U)),
    (3, re.compile(r"^(?:MỤC|Mục)\s+(?:[IVXLC]+|\d+)\b", re.U)),
    (4, re.compile(r"^Điều\s+\d+[a-zđ]?\s*[.:]", re.U)),
    (2, re.compile(rf"^[IVX]{{1,5}}\.\s+[{_UPPER}]", re.U)),
    (3, re.compile(rf"^\d{{1,2}}\.\s+[{_UPPER}]", re.U)),
]
MAX_HEADING = 200
_ARTICLE, _ROMAN, _NUMBERED = 3, 4, 5  # indexes in _HEADINGS


def split_sections(text: str) -> list[dict]:
    """Sections of `text` in order; a text with no headings is one section."""
    starts: list[tuple[int, int, str]] = []
    pos = 0
    in_article = False  # after "Điều N." and before the next Phần/Chương/Mục/Roman heading
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and (len(stripped) <= MAX_HEADING or stripped.startswith("Điều")):
            for kind, (level, pattern) in enumerate(_HEADINGS):
                if pattern.match(stripped):
                    if kind == _NUMBERED and in_article:
                        break  # a clause of the article
                    in_article = kind == _ARTICLE or (in_article and kind != _ROMAN and level > 3)
                    offset = pos + (len(line) - len(line.lstrip()))
                    starts.append((offset, level, stripped[:MAX_HEADING]))
                    break
        pos += len(line) + 1
    if not starts or starts[0][0] > 0:
        starts.insert(0, (0, 0, ""))
    sections = []
    for i, (start, level, title) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        sections.append({"title": title, "start": start, "end": end, "level": level})
    return sections
