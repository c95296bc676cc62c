"""RTF: a small parser of our own, so runs in legacy fonts (named in \\fonttbl) can be
converted run by run, and \\'hh bytes decoded with the document's code page."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.errors import CorruptFile
from indexer.extract.base import Limits
from indexer.legacy import convert_font_run, font_encoding, repair, run_evidence
from indexer.models import RawText

_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
SKIP_DEST = {b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"datafield", b"themedata",
             b"colorschememapping", b"latentstyles", b"datastore", b"xmlnstbl", b"listtable",
             b"listoverridetable", b"rsidtbl", b"generator", b"fldinst", b"bkmkstart", b"bkmkend",
             b"header", b"footer", b"headerl", b"headerr", b"footerl", b"footerr", b"shppict", b"nonshppict"}


def parse_rtf(data: bytes) -> tuple[str, set[str], int]:
    """(text, legacy encodings converted, tables)."""
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ValueError("no {\\rtf header")
    codepage = "cp1252"
    fonts: dict[int, str] = {}
    state = {"font": None, "skip": False, "uc": 1, "fonttbl": False}
    stack: list[dict] = []
    out: list[tuple[str, str | None]] = []
    font_name: list[bytes] = []
    cur_font_id = None
    skip_chars = 0
    tables = 0
    pending_star = False
    depth = 0

    def emit(s: str) -> None:
        nonlocal skip_chars
        if state["skip"]:
            return
        if state["fonttbl"]:
            font_name.append(s.encode("latin-1", "replace"))
            return
        enc = font_encoding(fonts.get(state["font"])) if state["font"] is not None else None
        out.append((s, enc))

    for m in _TOKEN.finditer(data):
        word, arg, hexbyte, sym, brace, text = m.groups()
        if brace == b"{":
            stack.append(dict(state))
            depth += 1
            pending_star = False
            continue
        if brace == b"}":
            if state["fonttbl"] and cur_font_id is not None and font_name and not (stack and stack[-1]["fonttbl"] is False):
                pass
            if state["fonttbl"] and cur_font_id is not None:
                name = b"".join(font_name).decode("latin-1").strip().rstrip(";").strip()
                if name:
                    fonts.setdefault(cur_font_id, name)
                font_name.clear()
            state = stack.pop() if stack else state
            depth -= 1
            continue
        if skip_chars and (text or hexbyte):
            if text:
                n = min(skip_chars, len(text))
                text = text[n:]
                skip_chars -= n
                if not text:
                    continue
            else:
                skip_chars -= 1
                continue
        if word is not None:
            w = word
            if pending_star or w in SKIP_DEST:
                state["skip"] = True
                pending_star = False
            if w == b"fonttbl":
                state["fonttbl"] = True
            elif w == b"ansicpg" and arg:
                codepage = f"cp{int(arg)}"
            elif w == b"f" and arg is not None:
                if state["fonttbl"]:
                    cur_font_id = int(arg)
                    font_name.clear()
                else:
                    state["font"] = int(arg)
            elif w in (b"par", b"line", b"sect", b"page") :
                emit("\n")
            elif w == b"row":
                emit("\n")
                tables = max(tables, 1)
            elif w == b"cell":
                emit("\t")
            elif w == b"tab":
                emit("\t")
            elif w == b"uc" and arg is not None:
                state["uc"] = int(arg)
            elif w == b"u" and arg is not None:
                n = int(arg)
                emit(chr(n + 65536 if n < 0 else n))
                skip_chars = state["uc"]
            elif w in (b"emdash",):
                emit("—")
            elif w in (b"endash",):
                emit("–")
            elif w in (b"lquote", b"rquote"):
                emit("'")
            elif w in (b"ldblquote", b"rdblquote"):
                emit('"')
            continue
        if hexbyte is not None:
            b = bytes([int(hexbyte, 16)])
            try:
                emit(b.decode(codepage))
            except (UnicodeDecodeError, LookupError):
                emit(b.decode("latin-1"))
            continue
        if sym is not None:
            if sym == b"*":
                pending_star = True
            elif sym in (b"\\", b"{", b"}"):
                emit(sym.decode())
            elif sym == b"~":
                emit("\u00a0")
            elif sym in (b"\n", b"\r"):
                emit("\n")
            continue
        if text is not None:
            emit(text.decode(codepage, "replace"))

    # runs: neighbouring text in the same kind of font; a run converts by its own words, or by
    # the evidence of the document's other runs in such fonts where they cannot tell ("Sè" = Số)
    runs: list[tuple[str, str | None]] = []
    for s, enc in out:
        if runs and runs[-1][1] == enc:
            runs[-1] = (runs[-1][0] + s, enc)
        else:
            runs.append((s, enc))
    evidence: dict[str, int] = {}
    for text, enc in runs:
        if enc:
            evidence[enc] = evidence.get(enc, 0) + run_evidence(text, enc)
    pieces, legacy = [], set()
    for text, enc in runs:
        if enc:
            converted = convert_font_run(text, enc, evidence[enc])
            if converted != text:
                legacy.add(enc)
            text = converted
        pieces.append(text)
    return "".join(pieces), legacy, tables


class RtfExtractor:
    suffixes = (".rtf",)

    def extract(self, path: Path, limits: Limits) -> RawText:
        try:
            text, legacy, tables = parse_rtf(path.read_bytes())
        except (ValueError, IndexError) as exc:
            raise CorruptFile(path, f"not a readable RTF file ({exc})") from exc
        text, found = repair(text)
        if found:
            legacy.add(found)
        return RawText(text, "rtf", tables=tables, legacy="+".join(sorted(legacy)) if legacy else None)
