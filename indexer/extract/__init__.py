"""Extractor registry (minimal first version: txt, docx, pdf, html)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import CorruptFile, EmptyFile, FileTooLarge, UnsupportedFormat
from indexer.models import RawText
from indexer.normalize import normalize_text

SUPPORTED_SUFFIXES = frozenset({".txt", ".docx", ".pdf", ".html", ".htm"})


@dataclass
class Limits:
    max_bytes: int = 100 << 20
    ocr: bool = True
    ocr_max_pages: int = 30
    timeout_s: float = 300


def _txt(path: Path) -> RawText:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "utf-16", "cp1258"):
        try:
            return RawText(data.decode(enc), "txt", encoding=enc)
        except UnicodeDecodeError:
            continue
    return RawText(data.decode("latin-1"), "txt", encoding="latin-1")


def _docx(path: Path) -> RawText:
    from lxml import etree

    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise CorruptFile(path, f"not a readable DOCX ({exc})") from exc
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    lines = []
    for p in root.iter(f"{W}p"):
        lines.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return RawText("\n".join(lines), "docx")


def _pdf(path: Path) -> RawText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        pages = [p.extract_text() or "" for p in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise CorruptFile(path, f"not a readable PDF ({exc})") from exc
    return RawText("\n".join(pages), "pdf", pages=len(pages))


def _html(path: Path) -> RawText:
    import lxml.html

    doc = lxml.html.fromstring(path.read_bytes())
    for bad in doc.xpath("//script|//style|//nav|//header|//footer"):
        bad.drop_tree()
    return RawText(doc.text_content(), "html")


_REGISTRY = {".txt": _txt, ".docx": _docx, ".pdf": _pdf, ".html": _html, ".htm": _html}


def extract(path: Path, *, limits: Limits | None = None) -> RawText:
    limits = limits or Limits()
    path = Path(path)
    fn = _REGISTRY.get(path.suffix.lower())
    if fn is None:
        raise UnsupportedFormat(path, f"unsupported file type {path.suffix}")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(path, "the file is empty (0 bytes)")
    if size > limits.max_bytes:
        raise FileTooLarge(path, f"{size >> 20} MB is over the {limits.max_bytes >> 20} MB limit")
    raw = fn(path)
    raw.text = normalize_text(raw.text)
    return raw
