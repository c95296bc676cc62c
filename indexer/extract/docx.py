"""DOCX: body paragraphs and tables in document order, text boxes, headers/footers,
footnotes; runs in legacy fonts (.VnTime, VNI-Times) converted to Unicode.

python-docx's `doc.paragraphs` misses the header table (issuer, "Số: …"), so the XML is
walked directly, with a hardened parser: a part declaring a DTD or entities is refused,
and the archive is checked for zip bombs before anything is decompressed.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from indexer.errors import CorruptFile, EncryptedFile, UnsafeFile
from indexer.extract.base import Limits
from indexer.legacy import capitals_font, convert_font_run, font_encoding, repair, run_evidence
from indexer.models import RawText

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SKIP = {f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{W}rPr", f"{W}pPr", f"{W}sectPr",
        f"{W}tblPr", f"{W}trPr", f"{W}tcPr", f"{W}fldData"}
_ENTITY = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


def open_zip(path: Path, limits: Limits) -> zipfile.ZipFile:
    """A zip that is safe to read: no bombs, not encrypted, not truncated."""
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise CorruptFile(path, f"not a valid DOCX (zip) file: {exc}; it may be truncated or damaged") from exc
    total = 0
    for info in z.infolist():
        if info.flag_bits & 0x1:
            raise EncryptedFile(path, "the DOCX parts are encrypted; save it without a password and add it again")
        total += info.file_size
        if info.file_size > 1 << 20 and info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
            raise UnsafeFile(path, f"part {info.filename} expands {info.file_size // max(info.compress_size, 1)}× "
                                   "(zip bomb?); refused")
    if total > limits.max_unzipped_bytes:
        raise UnsafeFile(path, f"the DOCX would expand to {total >> 20} MB (over {limits.max_unzipped_bytes >> 20} MB); refused")
    return z


def read_part(z: zipfile.ZipFile, name: str, path: Path, limits: Limits):
    from lxml import etree

    try:
        with z.open(name) as f:
            data = f.read(limits.max_unzipped_bytes + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise CorruptFile(path, f"part {name} cannot be read ({exc}); the file may be truncated") from exc
    except NotImplementedError as exc:
        raise CorruptFile(path, f"part {name} uses an unsupported compression ({exc})") from exc
    if _ENTITY.search(data[:4096]):
        raise UnsafeFile(path, f"part {name} declares a DTD/entities (possible XXE); refused")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CorruptFile(path, f"part {name} is not well-formed XML ({exc})") from exc


def _runs(pieces: list[tuple[str, str | None, bool]]) -> list[tuple[str, str | None, bool]]:
    """Neighbouring pieces in the same kind of font joined into one run: Word splits a run
    anywhere (a bold "Số:", "Kết qu" + "ả"), and a legacy syllable converts only whole."""
    runs: list[tuple[str, str | None, bool]] = []
    for text, enc, caps in pieces:
        if runs and runs[-1][1:] == (enc, caps):
            runs[-1] = (runs[-1][0] + text, enc, caps)
        else:
            runs.append((text, enc, caps))
    return runs


def _style_fonts(root) -> tuple[str | None, dict[str, str]]:
    """(default font, styleId → font) from styles.xml."""
    if root is None:
        return None, {}
    default = None
    rf = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    if rf is not None:
        default = rf.get(f"{W}ascii") or rf.get(f"{W}hAnsi")
    fonts = {}
    for st in root.iter(f"{W}style"):
        rf = st.find(f"{W}rPr/{W}rFonts")
        if rf is not None and (name := rf.get(f"{W}ascii") or rf.get(f"{W}hAnsi")):
            fonts[st.get(f"{W}styleId")] = name
    return default, fonts


class _Walker:
    """Collects paragraphs as pieces of text tagged with their font's legacy encoding; `text()`
    converts the legacy runs once the whole document (every part) has been seen."""

    def __init__(self, default_font, style_fonts):
        self.default_font, self.style_fonts = default_font, style_fonts
        self.paragraphs: list[list[tuple[str, str | None, bool]]] = []
        self.buf: list[tuple[str, str | None, bool]] = []  # (text, legacy encoding, capitals font)
        self.tables = 0
        self.legacy: set[str] = set()
        self.para_font: str | None = None

    def flush(self) -> None:
        self.paragraphs.append(_runs(self.buf))
        self.buf = []

    def text(self) -> str:
        """The document's text, legacy runs converted: a run's own words decide when they can,
        the document's other runs in legacy-named fonts when they cannot ("Sè" = "Số")."""
        evidence: dict[str, int] = {}
        for runs in self.paragraphs:
            for text, enc, _ in runs:
                if enc:
                    evidence[enc] = evidence.get(enc, 0) + run_evidence(text, enc)
        lines = []
        for runs in self.paragraphs:
            out = []
            for text, enc, caps in runs:
                if enc:
                    converted = convert_font_run(text, enc, evidence[enc])
                    if converted != text:
                        self.legacy.add(enc)
                    if caps and (converted != text or evidence[enc] > 0):
                        converted = converted.upper()  # drawn as capitals by the font
                    text = converted
                out.append(text)
            lines.append("".join(out))
        return "\n".join(lines)

    def run_font(self, r) -> str | None:
        rpr = r.find(f"{W}rPr")
        if rpr is not None:
            rf = rpr.find(f"{W}rFonts")
            if rf is not None and (name := rf.get(f"{W}ascii") or rf.get(f"{W}hAnsi")):
                return name
            rs = rpr.find(f"{W}rStyle")
            if rs is not None and rs.get(f"{W}val") in self.style_fonts:
                return self.style_fonts[rs.get(f"{W}val")]
        return self.para_font or self.default_font

    def walk(self, el) -> None:
        for child in el:
            tag = child.tag
            if tag in SKIP or not isinstance(tag, str):
                continue
            if tag == f"{W}p":
                if self.buf:
                    self.flush()
                ppr = child.find(f"{W}pPr/{W}pStyle")
                self.para_font = self.style_fonts.get(ppr.get(f"{W}val")) if ppr is not None else None
                self.walk(child)
                self.flush()
            elif tag == f"{W}r":
                font = self.run_font(child)
                enc, caps = font_encoding(font), capitals_font(font)
                for rc in child:
                    t = rc.tag
                    if t == f"{W}t":
                        self.buf.append((rc.text or "", enc, caps))
                    elif t == f"{W}noBreakHyphen":  # Ctrl+Shift+-: "122/KH-UBND" kept on one line
                        self.buf.append(("-", enc, caps))
                    elif t == f"{W}softHyphen":  # where Word may break a word: no character
                        continue
                    elif t == f"{W}tab":
                        self.buf.append(("\t", None, False))
                    elif t in (f"{W}br", f"{W}cr"):
                        self.buf.append(("\n", None, False))
                    elif t == f"{W}sym":
                        code = rc.get(f"{W}char")
                        if code and re.fullmatch(r"[0-9A-Fa-f]{2,4}", code):
                            ch = int(code, 16)
                            self.buf.append((chr(ch - 0xF000 if ch >= 0xF000 else ch), None, False))
                    elif t in (f"{W}drawing", f"{W}pict", f"{W}object") or t.endswith("}AlternateContent"):
                        self.walk(rc)  # text boxes
            elif tag == f"{W}tbl":
                self.tables += 1
                self.walk(child)
            else:
                self.walk(child)


class DocxExtractor:
    suffixes = (".docx", ".docm", ".dotx")

    def extract(self, path: Path, limits: Limits) -> RawText:
        with open_zip(path, limits) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise CorruptFile(path, "no word/document.xml inside: not a Word document")
            styles = read_part(z, "word/styles.xml", path, limits) if "word/styles.xml" in names else None
            walker = _Walker(*_style_fonts(styles))
            walker.walk(read_part(z, "word/document.xml", path, limits))
            extra = sorted(n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
            extra += [n for n in ("word/footnotes.xml", "word/endnotes.xml") if n in names]
            for name in extra:
                walker.walk(read_part(z, name, path, limits))
        text, found = repair(walker.text())  # legacy text in Unicode-named fonts, too
        legacy = {*walker.legacy, *([found] if found else [])}
        return RawText(text, "docx", tables=walker.tables,
                       legacy="+".join(sorted(legacy)) if legacy else None)
