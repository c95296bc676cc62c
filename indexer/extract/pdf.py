"""PDF: the text layer through pypdf; pages with no usable text go through tesseract OCR.

A document signed in an e-office system has its number and day stamped into the signature's
appearance ("Số: 7432 /UBND-XD", "ngày 21 tháng 7"), not the page's text layer: pypdf and
pdfium read "Số:  /UBND-XD". Such a page is read by poppler's pdftotext, which draws the
annotations a printer would, when that gives more text.

A page is OCR'd when its text layer is missing or garbage (few characters, or words that
are not Vietnamese syllables once legacy fonts are repaired). Without tesseract the file is
indexed with what text it has and a warning says OCR was skipped.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import subprocess
from pathlib import Path

from indexer.errors import CorruptFile, EncryptedFile
from indexer.extract.base import Limits
from indexer.extract.syllables import rejoin_pages
from indexer.legacy import repair, vietnamese_ratio
from indexer.models import RawText

MIN_CHARS = 40

# pypdf logs what it repairs in a damaged file ("EOF marker not found") on stderr, in English,
# before our own message; what a person can act on is that message, or the file indexed.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@functools.lru_cache(maxsize=1)
def ocr_available() -> str | None:
    """None when OCR can run, else the reason it cannot."""
    if shutil.which("tesseract") is None:
        return "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)"
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "tesseract does not run"
    if "vie" not in langs.split():
        return "tesseract has no Vietnamese model (apt-get install tesseract-ocr-vie)"
    return None


def pdfium_text(path: Path, indexes: list[int]) -> dict[int, str]:
    """The text layer of some pages through pdfium, for pages pypdf cannot decode."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return {}
    out = {}
    try:
        for i in indexes:
            page = pdf[i]
            textpage = page.get_textpage()
            out[i] = textpage.get_text_range().replace("\r\n", "\n")
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return out


STAMPS = ("/Widget", "/FreeText", "/Stamp")  # annotations whose appearance can carry printed text
MAX_STAMPED_PAGES = 10


def stamped(page) -> bool:
    """Whether the page has an annotation of STAMPS with an appearance that prints (not hidden)."""
    try:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") in STAMPS and "/AP" in annot and not int(annot.get("/F", 0)) & 2:
                return True
    except (AttributeError, KeyError, TypeError, ValueError):
        return False
    return False


def poppler_text(path: Path, index: int, timeout: float) -> str | None:
    """The text of one page as poppler's pdftotext reads it, annotations drawn; None without it."""
    if shutil.which("pdftotext") is None:
        return None
    try:
        done = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", "-f", str(index + 1), "-l", str(index + 1), str(path), "-"],
                              capture_output=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace").replace("\f", "") if done.returncode == 0 else None


def _chars(text: str) -> int:
    return len(re.sub(r"\s+", "", text))


def needs_ocr(text: str) -> bool:
    stripped = re.sub(r"\s+", "", text)
    if len(stripped) < MIN_CHARS:
        return True
    return vietnamese_ratio(text) < 0.5


def ocr_page(pdf, index: int, limits: Limits) -> str:
    import pytesseract

    page = pdf[index]
    image = page.render(scale=limits.ocr_dpi / 72).to_pil()
    try:
        return pytesseract.image_to_string(image, lang="vie", timeout=limits.timeout_s)
    finally:
        image.close()
        page.close()


class PdfExtractor:
    suffixes = (".pdf",)

    def extract(self, path: Path, limits: Limits) -> RawText:
        from pypdf import PdfReader
        from pypdf.errors import DeprecationError, FileNotDecryptedError, PdfReadError, PdfStreamError, PyPdfError

        try:
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except (NotImplementedError, FileNotDecryptedError) as exc:
                    raise EncryptedFile(path, f"the PDF is encrypted in a way that cannot be opened ({exc})") from exc
                if not ok:
                    raise EncryptedFile(path, "the PDF needs a password to open; add an unprotected copy")
            n = len(reader.pages)
            if n > limits.max_pdf_pages:
                raise CorruptFile(path, f"{n} pages is over the {limits.max_pdf_pages}-page limit")
            pages, unread, stamps = [], [], []
            for i, page in enumerate(reader.pages):
                try:
                    pages.append(page.extract_text() or "")
                except (KeyError, ValueError, TypeError, AttributeError, PyPdfError, DeprecationError):
                    pages.append("")  # e.g. a font's stream filtered with "/Fl", which pypdf 7 refuses
                    unread.append(i)
                if len(stamps) < MAX_STAMPED_PAGES and stamped(page):
                    stamps.append(i)
        except (PdfReadError, PdfStreamError, ValueError, KeyError, OSError, RecursionError) as exc:
            raise CorruptFile(path, f"not a readable PDF ({exc.__class__.__name__}: {exc}); it may be truncated") from exc

        for i, text in pdfium_text(path, unread).items():
            pages[i] = text
        for i in stamps:  # a signature's stamped number and day: poppler draws them
            text = poppler_text(path, i, limits.timeout_s)
            if text is not None and _chars(text) > _chars(pages[i]):
                pages[i] = text
        legacy_found: set[str] = set()
        for i, t in enumerate(pages):
            fixed, enc = repair(t)
            if enc:
                pages[i] = fixed
                legacy_found.add(enc)
        # syllables the text layer split at glyph gaps ("nghi ệp"); one-letter pieces only when the
        # document shows such splits elsewhere
        pages, rejoined = rejoin_pages(pages)
        warnings: list[str] = []
        ocr_pages: list[int] = []
        todo = [i for i, t in enumerate(pages) if needs_ocr(t)]
        if todo and limits.ocr:
            reason = ocr_available()
            if reason:
                warnings.append(f"OCR skipped for {len(todo)} page(s): {reason}")
            else:
                import pypdfium2

                try:
                    pdf = pypdfium2.PdfDocument(str(path))
                except pypdfium2.PdfiumError as exc:
                    warnings.append(f"OCR skipped: pages cannot be rendered ({exc})")
                    pdf = None
                if pdf is not None:
                    try:
                        for i in todo[: limits.ocr_max_pages]:
                            try:
                                text = ocr_page(pdf, i, limits)
                            except RuntimeError as exc:  # pytesseract timeout
                                warnings.append(f"OCR of page {i + 1} gave up: {exc}")
                                continue
                            if len(text.strip()) > len(pages[i].strip()):
                                pages[i] = text
                                ocr_pages.append(i + 1)
                    finally:
                        pdf.close()
                    if len(todo) > limits.ocr_max_pages:
                        warnings.append(f"OCR limited to {limits.ocr_max_pages} of {len(todo)} pages without text")
        elif todo:
            warnings.append(f"{len(todo)} page(s) have no usable text layer and OCR is off")
        text = "\n".join(pages)
        return RawText(text, "pdf", pages=len(pages), ocr=bool(ocr_pages), ocr_pages=ocr_pages,
                       legacy="+".join(sorted(legacy_found)) if legacy_found else None, warnings=warnings,
                       rejoined=rejoined)
