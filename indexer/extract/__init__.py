"""Extractor registry: one module per format, picked by suffix and checked by magic bytes.

    extract(path, limits=Limits()) → RawText   (text normalized: NFC, tone placement, …)

Every failure is an ExtractionError subclass naming the file and the reason; a bulk run
records it and goes on.
"""

from __future__ import annotations

from pathlib import Path

from indexer.errors import CorruptFile, EmptyFile, EncryptedFile, ExtractionError, FileTooLarge, UnsupportedFormat
from indexer.extract.base import Extractor, Limits, sniff
from indexer.extract.doc import DocExtractor
from indexer.extract.docx import DocxExtractor
from indexer.extract.html import HtmlExtractor
from indexer.extract.pdf import PdfExtractor
from indexer.extract.rtf import RtfExtractor
from indexer.extract.txt import TxtExtractor
from indexer.models import RawText
from indexer.normalize import normalize_text

EXTRACTORS: list[Extractor] = [DocxExtractor(), DocExtractor(), PdfExtractor(), RtfExtractor(),
                               HtmlExtractor(), TxtExtractor()]
BY_SUFFIX: dict[str, Extractor] = {s: e for e in EXTRACTORS for s in e.suffixes}
BY_MAGIC = {"zip": BY_SUFFIX[".docx"], "pdf": BY_SUFFIX[".pdf"], "ole": BY_SUFFIX[".doc"],
            "rtf": BY_SUFFIX[".rtf"], "html": BY_SUFFIX[".html"]}
SUPPORTED_SUFFIXES = frozenset(BY_SUFFIX)

__all__ = ["extract", "extract_raw", "Limits", "SUPPORTED_SUFFIXES", "RawText", "NO_TEXT"]

NO_TEXT = "no text found in the file"  # the warning of a file that holds nothing but blanks


def choose(path: Path) -> Extractor:
    """The extractor for a file: its suffix, unless the bytes say it is something else."""
    by_suffix = BY_SUFFIX.get(path.suffix.lower())
    if by_suffix is None:
        raise UnsupportedFormat(path, f"files of type {path.suffix or '(none)'} are not supported; "
                                      f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    kind = sniff(path)
    if kind == "ole" and path.suffix.lower() in (".docx", ".docm", ".dotx"):
        data = open(path, "rb").read(1 << 20)
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedFile(path, "the DOCX is password-protected; save it without a password and add it again")
    if kind is None:
        if by_suffix in (BY_SUFFIX[".txt"], BY_SUFFIX[".html"]):
            return by_suffix
        raise CorruptFile(path, f"the content is not a {path.suffix} file (unrecognised bytes); it may be damaged")
    actual = BY_MAGIC[kind]
    if actual is by_suffix or (kind == "html" and by_suffix is BY_SUFFIX[".txt"]):
        return by_suffix
    return actual  # a .pdf that is really a DOCX, a .doc that is RTF…: read what it is


def extract_raw(path: Path, *, limits: Limits | None = None) -> RawText:
    """The extractor's output before normalization (legacy fonts already converted)."""
    limits = limits or Limits()
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExtractionError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    if size == 0:
        raise EmptyFile(path, "the file is empty (0 bytes)")
    if size > limits.max_bytes:
        raise FileTooLarge(path, f"the file is {size / (1 << 20):.0f} MB, over the {limits.max_bytes >> 20} MB limit "
                                 "(VANTHU_MAX_FILE_MB)")
    extractor = choose(path)
    try:
        return extractor.extract(path, limits)
    except ExtractionError:
        raise
    except MemoryError as exc:
        raise CorruptFile(path, "the file needs too much memory to read") from exc
    except RecursionError as exc:
        raise CorruptFile(path, "the file is nested too deeply to read (damaged?)") from exc


def extract(path: Path, *, limits: Limits | None = None) -> RawText:
    """Text of a file, normalized (NFC, modern tone placement, no control characters)."""
    raw = extract_raw(path, limits=limits)
    raw.text = normalize_text(raw.text)
    if not raw.text.strip() and not raw.warnings:
        raw.warnings.append(NO_TEXT)
    return raw
