"""HTML: the main text, without navigation, scripts or styles."""

from __future__ import annotations

from pathlib import Path

from indexer.errors import CorruptFile
from indexer.extract.base import Limits
from indexer.extract.txt import damage_warning, decode
from indexer.legacy import repair
from indexer.models import RawText

DROP = "//script|//style|//noscript|//template|//nav|//header|//footer|//aside|//form|//iframe"
MAIN = ("//article", "//main", "//*[@id='content']", "//*[contains(concat(' ', @class, ' '), ' content ')]")
BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
         "blockquote", "pre", "dd", "dt"}


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

        raw, enc, bad_bytes = decode(path.read_bytes())
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
