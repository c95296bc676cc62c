"""Plain data passed between the pipeline's stages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class RawText:
    """What an extractor returns: the text plus what it learned about the file."""

    text: str
    format: str  # "docx", "doc", "pdf", "txt", "html", "rtf"
    pages: int | None = None
    tables: int = 0
    ocr: bool = False  # True when any page's text came from OCR
    ocr_pages: list[int] = field(default_factory=list)
    encoding: str | None = None  # byte encoding of a text file ("utf-8", "utf-16", "cp1258"; "utf-8+cp1252" or
    # "utf-8+cp1258": UTF-8 lines with 8-bit ones, `extract.txt.read_mixed`)
    legacy: str | None = None  # legacy font encoding converted ("tcvn3", "vni"), if any
    rejoined: int = 0  # syllables a text layer had split ("nghi ệp") joined again (extract/syllables.py)
    warnings: list[str] = field(default_factory=list)  # e.g. "OCR skipped: tesseract not installed"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Metadata:
    """Header fields of an administrative document (CONTRACT.md); None when not found."""

    number: str | None = None  # canonical số/ký hiệu, e.g. "1460/KH-UBND"
    type: str | None = None  # "Kế hoạch", "Quyết định", …
    issuer: str | None = None  # "UBND tỉnh Hậu Giang"
    date: str | None = None  # "YYYY-MM-DD"
    title: str | None = None  # trích yếu
    signer: str | None = None
    parent_issuer: str | None = None  # line above the issuer ("UBND TỈNH HẬU GIANG")
    place: str | None = None  # địa danh

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Citation:
    """One reference to another document found in a text."""

    start: int  # character offsets of `surface` in the NFC text
    end: int
    surface: str
    number: str | None = None  # canonical number, None for laws cited by name
    type: str | None = None
    date: str | None = None  # "YYYY-MM-DD" when given
    issuer: str | None = None
    name: str | None = None  # e.g. "Luật Thi đua, Khen thưởng" for by-name citations
    year: int | None = None  # "… năm 2022" / "Bộ luật Lao động 2012" without a full date

    def to_dict(self) -> dict:
        return asdict(self)
