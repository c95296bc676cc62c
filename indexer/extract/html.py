"""HTML: the main text, without navigation, scripts or styles."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from indexer.errors import CorruptFile
from indexer.extract.base import Limits
from indexer.extract.txt import damage_warning, decode, read_8bit
from indexer.legacy import repair
from indexer.models import RawText

DROP = "//script|//style|//noscript|//template|//nav|//header|//footer|//aside|//form|//iframe"
MAIN = ("//article", "//main", "//*[@id='content']", "//*[contains(concat(' ', @class, ' '), ' content ')]")
BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
         "blockquote", "pre", "dd", "dt"}


_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.I)
# What browsers read a page declared Latin-1 or ASCII as (WHATWG Encoding): Windows-1252. Pages in
# legacy fonts (.VnTime, VNI-Times) declare one of these, and their bytes are meant as cp1252.
_AS_CP1252 = {"cp1252", "iso8859-1", "ascii"}


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (Python's codec name), or None."""
    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup((m.group(1) or m.group(2)).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _utf8_letters(data: bytes) -> bool:
    """Bytes that are UTF-8 with non-ASCII letters: a page saved as UTF-8 whatever it declares."""
    try:
        return not data.decode("utf-8").isascii()
    except UnicodeDecodeError:
        return False


def decode_page(data: bytes) -> tuple[str, str, int]:
    """(markup, encoding, invalid UTF-8 bytes) of an HTML page, as its declared charset says.

    Legacy-font pages (TCVN3 .VnTime, VNI-Times) declare windows-1252 and are read as cp1252,
    the reading `repair` converts; as Windows-1258 eleven of their letters would be other
    letters ("KƠt" for "Kết"). Without a declaration, 8-bit bytes are judged as a .txt's are.
    """
    charset = declared_charset(data)
    if charset and charset not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be") and not _utf8_letters(data):
        if charset in _AS_CP1252:
            return data.decode("cp1252", "replace"), "cp1252", 0
        return unicodedata.normalize("NFC", data.decode(charset, "replace")), charset, 0
    raw, enc, bad = decode(data)
    if enc == "cp1258":  # 8-bit and undeclared
        _, enc, _ = read_8bit(data)
        raw = unicodedata.normalize("NFC", data.decode(enc, "replace"))
    return raw, enc, bad


def _text(el) -> str:
    parts: list[str] = []

    def walk(node):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in BLOCK:
            parts.append("\n")
        if node.text and tag not in ("script", "style"):
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in ("td", "th"):
            parts.append("\t")
        if tag in BLOCK:
            parts.append("\n")

    walk(el)
    return "".join(parts)


class HtmlExtractor:
    suffixes = (".html", ".htm")

    def extract(self, path: Path, limits: Limits) -> RawText:
        import lxml.html
        from lxml import etree

        raw, enc, bad_bytes = decode_page(path.read_bytes())
        try:
            doc = lxml.html.document_fromstring(raw)
        except (etree.ParserError, ValueError) as exc:
            raise CorruptFile(path, f"not readable HTML ({exc})") from exc
        for bad in doc.xpath(DROP):
            bad.drop_tree()
        root = None
        for xp in MAIN:
            found = doc.xpath(xp)
            if found:
                root = max(found, key=lambda e: len(e.text_content()))
                break
        text, legacy = repair(_text(root if root is not None else doc.body if doc.body is not None else doc))
        return RawText(text, "html", encoding=enc, legacy=legacy,
                       warnings=[damage_warning(bad_bytes)] if bad_bytes else [])
