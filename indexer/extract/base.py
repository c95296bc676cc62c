"""What every extractor shares: the Protocol, limits, sniffing, and running tools safely."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from indexer.errors import CorruptFile, ExtractionError
from indexer.models import RawText


@dataclass(frozen=True)
class Limits:
    """Bounds that keep one bad file from stalling or exhausting a bulk run."""

    max_bytes: int = 100 << 20  # files larger than this are refused before reading
    max_unzipped_bytes: int = 300 << 20  # DOCX: sum of uncompressed parts
    max_ratio: int = 200  # DOCX: compression ratio above which a part is a bomb
    ocr: bool = True
    ocr_max_pages: int = 30
    ocr_dpi: int = 300
    timeout_s: float = 300  # external tools (antiword, tesseract) per call
    max_pdf_pages: int = 3000


class Extractor(Protocol):
    """One format: `suffixes` it claims, `extract(path, limits)` → RawText (not yet normalized)."""

    suffixes: tuple[str, ...]

    def extract(self, path: Path, limits: Limits) -> RawText: ...


def sniff(path: Path) -> str | None:
    """The format the first bytes say ("zip", "pdf", "ole", "rtf", "html") or None (text?)."""
    with open(path, "rb") as f:
        head = f.read(2048)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    low = head.lstrip().lower()
    if low.startswith(b"<!doctype html") or low.startswith(b"<html") or b"<html" in low[:512]:
        return "html"
    return None


def run_tool(path: Path, argv: list[str], limits: Limits, *, what: str) -> bytes:
    """Run an external converter with a timeout; its failure becomes a CorruptFile."""
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=limits.timeout_s, check=False)
    except FileNotFoundError as exc:
        raise ExtractionError(path, f"{what} is not installed (apt-get install {argv[0]}); "
                                    "`make setup` installs it") from exc
    except subprocess.TimeoutExpired as exc:
        raise CorruptFile(path, f"{what} took longer than {limits.timeout_s:.0f}s; the file may be damaged") from exc
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CorruptFile(path, f"{what} could not read it ({msg[-1] if msg else f'exit {proc.returncode}'})")
    return proc.stdout
