"""Word 97–2003 .doc: the text stream read in document order through the piece table (our own
reader: table cells and text boxes included, which antiword drops or wraps); antiword, then
catdoc, for what it cannot read (Word 6/95). Legacy fonts repaired.
"""

from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

from indexer.errors import EncryptedFile, ExtractionError
from indexer.extract.base import Limits, run_tool
from indexer.legacy import repair
from indexer.models import RawText


class NotWord97(ValueError):
    """The reader cannot take this file; the external tools get a try."""


def ole_streams(data: bytes, wanted: set[str]) -> dict[str, bytes]:
    """Named streams of an OLE2 compound file (header, FAT via DIFAT, directory, mini stream)."""
    if len(data) < 512 or not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise NotWord97("not an OLE2 file")
    ss = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mss = 1 << struct.unpack_from("<H", data, 0x20)[0]
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, _, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)
    if ss not in (512, 4096):
        raise NotWord97("odd sector size")
    n_sectors = (len(data) - ss) // ss + 1

    def sector(i: int) -> bytes:
        if not 0 <= i < n_sectors:
            raise NotWord97(f"sector {i} out of range")
        return data[(i + 1) * ss:(i + 2) * ss]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    nxt = first_difat
    for _ in range(min(n_difat, n_sectors)):
        if nxt >= 0xFFFFFFFA:
            break
        vals = struct.unpack(f"<{ss // 4}I", sector(nxt))
        difat += vals[:-1]
        nxt = vals[-1]
    fat: list[int] = []
    for s in difat[:n_fat]:
        fat += struct.unpack(f"<{ss // 4}I", sector(s))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        out: list[int] = []
        while start < 0xFFFFFFFA and len(out) <= limit:
            if start >= len(table):
                raise NotWord97("broken sector chain")
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(i) for i in chain(first_dir, fat, n_sectors))
    entries = {}
    for off in range(0, len(directory) - 127, 128):
        name_len, kind = struct.unpack_from("<HB", directory, off + 0x40)
        name = directory[off:off + max(name_len - 2, 0)].decode("utf-16-le", "replace")
        start, size = struct.unpack_from("<II", directory, off + 0x74)
        entries.setdefault(name, (kind, start, size))
    root = next((v for v in entries.values() if v[0] == 5), None)
    if root is None:
        raise NotWord97("no root entry")
    mini_stream = b"".join(sector(i) for i in chain(root[1], fat, n_sectors))
    minifat: list[int] = []
    for s in chain(first_minifat, fat, n_sectors):
        minifat += struct.unpack(f"<{ss // 4}I", sector(s))
    out = {}
    for name in wanted & set(entries):
        kind, start, size = entries[name]
        if kind != 2:
            continue
        if size < cutoff:
            blob = b"".join(mini_stream[i * mss:(i + 1) * mss] for i in chain(start, minifat, len(minifat)))
        else:
            blob = b"".join(sector(i) for i in chain(start, fat, n_sectors))
        out[name] = blob[:size]
    return out


_FIELD_OR_CONTROL = re.compile("[\x13\x14\x15]")


def _fields_and_marks(text: str) -> str:
    """Drop field instructions (between \\x13 and \\x14/\\x15), keep results; Word's marks to text."""
    out, stack = [], []  # stack: True while inside the instruction part of a field
    pos = 0
    for m in _FIELD_OR_CONTROL.finditer(text):
        if not any(stack):
            out.append(text[pos:m.start()])
        c = m.group(0)
        if c == "\x13":
            stack.append(True)
        elif c == "\x14" and stack:
            stack[-1] = False
        elif c == "\x15" and stack:
            stack.pop()
        pos = m.end()
    if not any(stack):
        out.append(text[pos:])
    text = "".join(out)
    text = text.replace("\r", "\n").replace("\x07", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return text.replace("\x1e", "-").translate({0x1F: None, 0x01: None, 0x02: None, 0x05: None, 0x08: None})


def word97_text(path: Path, data: bytes) -> str:
    """The text of a Word 97–2003 document: main text, footnotes, headers, endnotes, text boxes."""
    streams = ole_streams(data, {"WordDocument", "0Table", "1Table"})
    word = streams.get("WordDocument")
    if word is None or len(word) < 0x1AA or struct.unpack_from("<H", word, 0)[0] != 0xA5EC:
        raise NotWord97("no Word 97 FIB")
    nfib, = struct.unpack_from("<H", word, 2)
    flags, = struct.unpack_from("<H", word, 0x0A)
    if flags & 0x0100:
        raise EncryptedFile(path, "it is a password-protected Word file; save it without a password and add it again")
    if nfib < 0xC1:
        raise NotWord97(f"Word 6/95 file (nFib {nfib})")
    csw, = struct.unpack_from("<H", word, 32)
    lw_at = 34 + csw * 2 + 2
    ccp = struct.unpack_from("<11i", word, lw_at)  # ccpText at index 3
    fclcb_at = lw_at + struct.unpack_from("<H", word, lw_at - 2)[0] * 4 + 2
    fc_clx, lcb_clx = struct.unpack_from("<II", word, fclcb_at + 33 * 8)
    table_name = "1Table" if flags & 0x0200 else "0Table"
    table = streams.get(table_name)
    if table is None or fc_clx + lcb_clx > len(table):
        raise NotWord97("no piece table")
    clx, i = table[fc_clx:fc_clx + lcb_clx], 0
    while i < len(clx) and clx[i] == 1:  # Prc: formatting, skipped
        i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 2:
        raise NotWord97("no piece descriptors")
    lcb, = struct.unpack_from("<I", clx, i + 1)
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", clx, i + 5)
    pieces = []
    for k in range(n):
        fc, = struct.unpack_from("<I", clx, i + 5 + (n + 1) * 4 + k * 8 + 2)
        length = cps[k + 1] - cps[k]
        if fc & 0x40000000:
            start = (fc & 0x3FFFFFFF) // 2
            pieces.append(word[start:start + length].decode("cp1252", "replace"))
        else:
            pieces.append(word[fc:fc + 2 * length].decode("utf-16-le", "replace"))
    text = "".join(pieces)
    main = ccp[3]
    ftn, hdd, atn, edn, txbx, hdrtxbx = ccp[4], ccp[5], ccp[7], ccp[8], ccp[9], ccp[10]
    # story order: main, footnotes, headers, macros (unused), comments (skipped), endnotes, text boxes
    at = main + ftn + hdd + ccp[6]
    stories = [text[:main + ftn + hdd], text[at + atn:at + atn + edn + txbx + hdrtxbx]]
    return _fields_and_marks("\n".join(stories))


def untable(text: str) -> str:
    """antiword draws tables with '|': put each cell on its own line, as for DOCX."""
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("|") and s.endswith("|") and len(s) > 1:
            out.extend(c.strip() for c in s.strip("|").split("|"))
        else:
            out.append(line)
    return "\n".join(out)


class DocExtractor:
    suffixes = (".doc", ".dot")

    def extract(self, path: Path, limits: Limits) -> RawText:
        head = path.read_bytes()[:1 << 16] if path.stat().st_size < 1 << 16 else open(path, "rb").read(1 << 16)
        if "EncryptedPackage".encode("utf-16-le") in head:
            raise EncryptedFile(path, "it is a password-protected Word file; save it without a password and add it again")
        try:
            text, legacy = repair(word97_text(path, path.read_bytes()))
            return RawText(text, "doc", legacy=legacy)
        except (NotWord97, struct.error, IndexError):
            pass  # Word 6/95 or a damaged container: the external tools may still read it
        tools = [t for t in ("antiword", "catdoc") if shutil.which(t)]
        if not tools:
            raise ExtractionError(path, "reading .doc needs antiword or catdoc (apt-get install antiword catdoc; "
                                        "`make setup` installs them)")
        last: Exception | None = None
        for tool in tools:
            argv = [tool, "-m", "UTF-8.txt", "-w", "0", str(path)] if tool == "antiword" else \
                   ["catdoc", "-d", "utf-8", "-w", str(path)]
            try:
                out = run_tool(path, argv, limits, what=tool).decode("utf-8", "replace")
            except ExtractionError as exc:
                if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
                    raise EncryptedFile(path, "it is password-protected; save it without a password") from exc
                last = exc
                continue
            text, legacy = repair(untable(out))
            return RawText(text, "doc", legacy=legacy)
        assert last is not None
        raise last
