"""A .docx whose resolved citations are hyperlinks to their document pages.

    docx (or plain text) ─paragraph texts→ link(text) ─citations→ split runs at the
    citation's edges ─wrap in w:hyperlink→ docx (bytes)

The rest of the package is written back byte for byte. Only body paragraphs
(`word/document.xml`, tables and text boxes included) are linked; headers, footers and
footnotes keep their text as it is. A citation is linked only when its runs sit directly
in the paragraph (not inside tracked changes, fields or an existing hyperlink).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from bisect import bisect_right
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from indexer.errors import CorruptFile
from indexer.extract import extract
from indexer.extract.base import Limits, sniff
from indexer.extract.docx import open_zip, read_part
from indexer.normalize import normalize_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LINK_COLOR = "0563C1"  # Word's own "Hyperlink" blue

# w:rPr children must keep the schema's order or Word calls the file damaged.
_RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
    "em", "lang", "eastAsianLayout", "specVanish", "oMath",
]
_SPACE = r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+"
_INVISIBLE = "[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]*"

Linker = Callable[[str], dict]  # text → {"text": normalized text, "citations": [...]} (Library.link)
Href = Callable[[dict], str]  # resolves_to → absolute URL of the document page


@dataclass
class LinkedDocx:
    data: bytes
    linked: int  # citations that became hyperlinks
    resolved: int  # citations the archive resolved (some may not be linkable in the XML)
    unresolved: int


# --- runs and their text -------------------------------------------------------------


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _piece_length(el) -> int:
    name = _local(el)
    if name == "t":
        return len(el.text or "")
    if name in ("tab", "br", "cr", "noBreakHyphen"):
        return 1
    return 0


def _piece_text(el) -> str:
    name = _local(el)
    if name == "t":
        return el.text or ""
    if name == "noBreakHyphen":
        return "-"
    return " " if name in ("tab", "br", "cr") else ""


def _run_length(run) -> int:
    return sum(_piece_length(ch) for ch in run if _local(ch) != "rPr")


@dataclass
class _Run:
    el: etree._Element
    start: int
    end: int
    linkable: bool


def _runs(p) -> list[_Run]:
    """The runs of paragraph `p` in order with their offsets; nested paragraphs excluded."""
    out, pos, field_depth = [], 0, 0
    for r in p.iter(f"{W}r"):
        anc = r.getparent()
        nearest_p = anc
        while nearest_p is not None and nearest_p.tag != f"{W}p":
            nearest_p = nearest_p.getparent()
        if nearest_p is not p:
            continue
        in_deleted = any(a.tag in (f"{W}del", f"{W}moveFrom") for a in r.iterancestors())
        if in_deleted:
            continue
        for fc in r.iter(f"{W}fldChar"):
            kind = fc.get(f"{W}fldCharType")
            field_depth += 1 if kind == "begin" else -1 if kind == "end" else 0
        n = _run_length(r)
        has_field = r.find(f"{W}fldChar") is not None or r.find(f"{W}instrText") is not None
        linkable = anc is p and field_depth == 0 and not has_field
        out.append(_Run(r, pos, pos + n, linkable))
        pos += n
    return out


def _paragraph_text(runs: list[_Run]) -> str:
    return "".join(_piece_text(ch) for r in runs for ch in r.el if _local(ch) != "rPr")


def _to_nfc(p) -> None:
    """Decomposed (NFD) text → NFC in place, so offsets agree with the linker's text."""
    for t in p.iter(f"{W}t"):
        if t.text and not unicodedata.is_normalized("NFC", t.text):
            t.text = unicodedata.normalize("NFC", t.text)


def _split_run(run, cuts: list[int]) -> list:
    """Split run element at character offsets `cuts` (ascending, each 0 < k < length) into
    len(cuts) + 1 runs with the same formatting, in place; returns them in order.

    All cuts of a run at once: its text is sliced once, however many citations it holds."""
    bounds = [0, *cuts, float("inf")]
    pieces = [etree.Element(run.tag, attrib=dict(run.attrib), nsmap=run.nsmap) for _ in range(len(cuts) + 1)]
    pos = 0
    for ch in list(run):
        if _local(ch) == "rPr":
            for piece in pieces:
                piece.append(deepcopy(ch))
            continue
        n = _piece_length(ch)
        k = bisect_right(cuts, pos)  # the piece holding offset pos (a zero-length child at a cut: the right one)
        if pos + n <= bounds[k + 1]:
            pieces[k].append(ch)  # moves it: the old run is dropped below
        else:  # a w:t straddling one or more cuts
            text = ch.text or ""
            while k < len(pieces) and bounds[k] < pos + n:
                t = etree.Element(ch.tag, attrib=dict(ch.attrib), nsmap=ch.nsmap)
                t.text = text[max(bounds[k], pos) - pos: min(bounds[k + 1], pos + n) - pos]
                t.set(XML_SPACE, "preserve")
                pieces[k].append(t)
                k += 1
        pos += n
    for piece in pieces:
        run.addprevious(piece)
    run.getparent().remove(run)
    return pieces


def _set_rpr(run, name: str, attrs: dict) -> None:
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        rpr = etree.Element(f"{W}rPr")
        run.insert(0, rpr)
    for old in rpr.findall(f"{W}{name}"):
        rpr.remove(old)
    el = etree.Element(f"{W}{name}")
    for k, v in attrs.items():
        el.set(f"{W}{k}", v)
    rank = _RPR_ORDER.index(name)
    for i, ch in enumerate(rpr):
        other = _local(ch)
        if _RPR_ORDER.index(other) > rank if other in _RPR_ORDER else True:
            rpr.insert(i, el)
            return
    rpr.append(el)


def _wrap_spans(p, spans: list[tuple[int, int, str]]) -> int:
    """Wrap each paragraph text span [start, end) (in order, not overlapping) in a w:hyperlink to
    its relationship id; a span whose runs do not allow it stays as it is. Returns how many were wrapped.

    Linear in the paragraph: one walk over its runs to choose the spans, each run cut once at all
    its span edges, one walk to wrap (a pasted text can be one paragraph of thousands of citations)."""
    runs = [r for r in _runs(p) if r.end > r.start]
    ok, cuts, i = [], {}, 0  # cuts: run index → offsets inside it
    for start, end, rel_id in spans:
        while i < len(runs) and runs[i].end <= start:
            i += 1
        j = i
        while j < len(runs) and runs[j].start < end:
            j += 1
        if i == j or not all(r.linkable for r in runs[i:j]):
            continue
        ok.append((start, end, rel_id))
        if runs[i].start < start:
            cuts.setdefault(i, []).append(start - runs[i].start)
        if runs[j - 1].end > end:
            cuts.setdefault(j - 1, []).append(end - runs[j - 1].start)
    pieces: list[_Run] = []
    for k, r in enumerate(runs):
        if k not in cuts:
            pieces.append(r)
            continue
        offsets = sorted(set(cuts[k]))
        edges = [r.start + c for c in (0, *offsets)] + [r.end]
        pieces += [_Run(el, a, b, r.linkable) for el, a, b in zip(_split_run(r.el, offsets), edges, edges[1:])]
    i = 0
    for start, end, rel_id in ok:
        while pieces[i].start < start:
            i += 1
        j = i
        while j < len(pieces) and pieces[j].end <= end:
            j += 1
        els = [r.el for r in pieces[i:j]]
        link = etree.Element(f"{W}hyperlink")
        link.set(f"{{{R_NS}}}id", rel_id)
        link.set(f"{W}history", "1")
        els[0].addprevious(link)
        for e in els:
            _set_rpr(e, "color", {"val": LINK_COLOR})
            _set_rpr(e, "u", {"val": "single"})
            link.append(e)  # moves it
        i = j
    return len(ok)


# --- finding each citation back in the XML ---------------------------------------------


def _surface_pattern(surface: str) -> re.Pattern:
    parts = []
    for chunk in re.split(r"(\s+)", surface):
        if not chunk:
            continue
        parts.append(_SPACE if chunk.isspace() else _INVISIBLE.join(re.escape(c) for c in chunk))
    return re.compile("".join(parts))


class _Rels:
    """word/_rels/document.xml.rels: one relationship per distinct URL."""

    def __init__(self, root):
        self.root = root
        self.ids = {el.get("Id") for el in root}
        self.by_url: dict[str, str] = {}
        self.n = 0

    def for_url(self, url: str) -> str:
        if url in self.by_url:
            return self.by_url[url]
        while True:
            self.n += 1
            rid = f"rIdVanthu{self.n}"
            if rid not in self.ids:
                break
        el = etree.SubElement(self.root, f"{{{PKG_NS}}}Relationship")
        el.set("Id", rid)
        el.set("Type", HYPERLINK_REL)
        el.set("Target", url)
        el.set("TargetMode", "External")
        self.ids.add(rid)
        self.by_url[url] = rid
        return rid


def _link_package(z: zipfile.ZipFile, name: str, link: Linker, href: Href, limits: Limits) -> LinkedDocx:
    where = Path(name)
    names = set(z.namelist())
    if DOCUMENT not in names:
        raise CorruptFile(where, "không có phần word/document.xml: không phải tệp Word .docx (no word/document.xml)")
    doc = read_part(z, DOCUMENT, where, limits)
    if DOCUMENT_RELS in names:
        rels_root = read_part(z, DOCUMENT_RELS, where, limits)
    else:
        rels_root = etree.Element(f"{{{PKG_NS}}}Relationships", nsmap={None: PKG_NS})
    rels = _Rels(rels_root)

    paras = []
    for p in doc.iter(f"{W}p"):
        _to_nfc(p)
        raw = _paragraph_text(_runs(p))
        if normalize_text(raw):
            paras.append((p, raw))
    result = link("\n".join(raw for _, raw in paras)) if paras else {"text": "", "citations": []}
    text = result["text"]
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    aligned = len(line_starts) == len(paras)

    resolved = unresolved = 0
    cursor = [0] * len(paras)
    spans: dict[int, list[tuple[int, int, str]]] = {}  # paragraph → its citations' spans in its own text
    patterns: dict[str, re.Pattern] = {}
    for c in sorted(result["citations"], key=lambda c: c["start"]):
        target = c.get("resolves_to")
        if not target:
            unresolved += 1
            continue
        resolved += 1
        if c["surface"] not in patterns:
            patterns[c["surface"]] = _surface_pattern(c["surface"])
        pattern = patterns[c["surface"]]
        lines = [bisect_right(line_starts, c["start"]) - 1] if aligned else range(len(paras))
        for li in lines:
            p, raw = paras[li]
            m = pattern.search(raw, cursor[li])
            if m is None:
                continue
            spans.setdefault(li, []).append((m.start(), m.end(), rels.for_url(href(target))))
            cursor[li] = m.end()
            break
    linked = sum(_wrap_spans(paras[li][0], found) for li, found in spans.items())

    replaced = {
        DOCUMENT: etree.tostring(doc, xml_declaration=True, encoding="UTF-8", standalone=True),
        DOCUMENT_RELS: etree.tostring(rels_root, xml_declaration=True, encoding="UTF-8", standalone=True),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in z.infolist():
            data = replaced.pop(info.filename, None)
            dst.writestr(info, data if data is not None else z.read(info))
        for part, data in replaced.items():  # a package that had no document rels
            dst.writestr(part, data)
    return LinkedDocx(out.getvalue(), linked, resolved, unresolved)


def link_docx(path: Path, link: Linker, href: Href, limits: Limits | None = None) -> LinkedDocx:
    """The .docx at `path` with each resolved citation a hyperlink (`href(resolves_to)`)."""
    limits = limits or Limits()
    with open_zip(Path(path), limits) as z:
        return _link_package(z, Path(path).name, link, href, limits)


def link_file(path: Path, link: Linker, href: Href, limits: Limits | None = None) -> LinkedDocx:
    """Any supported file as a linked .docx: a Word .docx keeps its formatting; any other file
    (a .docx whose bytes are not a Word package included) becomes the paragraphs of its text, read
    as `extract` reads it, so an empty or damaged file fails as it does everywhere else."""
    path = Path(path)
    if path.suffix.lower() == ".docx" and sniff(path) == "zip":
        return link_docx(path, link, href, limits)
    return text_docx(extract(path, limits=limits).text, link, href)


def text_docx(text: str, link: Linker, href: Href, title: str | None = None) -> LinkedDocx:
    """A new .docx holding `text` (one paragraph per line), citations hyperlinked."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for line in normalize_text(text).split("\n"):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return _link_package(z, "text.docx", link, href, Limits())
