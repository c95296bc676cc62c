"""Plain text: UTF-8 (with or without BOM), UTF-16, Windows-1258, legacy TCVN3/VNI bytes."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.errors import CorruptFile
from indexer.extract.base import Limits
from indexer.legacy import repair
from indexer.models import RawText


# TCVN3, VNI and cp1258 bytes almost never form a valid UTF-8 sequence (at most 1 per 140 bad bytes
# in the legacy corpus's transcripts encoded so), while Vietnamese in UTF-8 has one per accented
# letter: a few bad bytes among many valid sequences are damage to a UTF-8 file, not an encoding.
VALID_PER_BAD_BYTE = 4

# C0 controls but those a text file may hold: tab, line ends, vertical tab, form feed, DOS end-of-file (^Z)
_CONTROL = re.compile("[\x01-\x08\x0e-\x19\x1b-\x1f]")
# share of other C0 controls above which the bytes are not text (random bytes: 1 in 10; the real
# .txt files of ../shared: at most 1 in 700)
MAX_CONTROL_SHARE = 0.05
BINARY = ("Tệp .txt này không phải văn bản (có byte nhị phân) — có thể là tệp chương trình hoặc tệp bị "
          "đổi đuôi. (Not a text file: binary content.)")


def utf8_damage(data: bytes) -> tuple[str, int, int]:
    """(text with U+FFFD for bad bytes, well-formed multi-byte characters, bytes that are not UTF-8)."""
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())  # U+FFFD may be in the file itself
    bad = len(data) - len(text.encode("utf-8")) + 3 * replaced  # each bad run became 3 bytes of U+FFFD
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - replaced
    return text, multibyte, bad


def decode(data: bytes) -> tuple[str, str, int]:
    """(text, encoding, invalid UTF-8 bytes replaced by U+FFFD) for bytes of unknown encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, _, bad = utf8_damage(data[3:])
        return text, "utf-8-sig", bad
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16", 0
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:  # UTF-16LE without BOM
        return data.decode("utf-16-le", "replace"), "utf-16-le", 0
    if len(data) >= 4 and data[0::2].count(0) > len(data) // 4:
        return data.decode("utf-16-be", "replace"), "utf-16-be", 0
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError as exc:
        cut = exc.reason == "unexpected end of data"  # only the last character is cut off
    text, valid, bad = utf8_damage(data)
    if valid and (cut or valid >= VALID_PER_BAD_BYTE * bad):
        return text, "utf-8", bad
    # 8-bit: Windows-1258 (Vietnamese, combining tones) or legacy font bytes read as cp1252
    cp1258 = data.decode("cp1258", "replace")
    return cp1258, "cp1258", 0


def looks_binary(text: str) -> bool:
    """Decoded bytes that are no text: a NUL (UTF-16 text has none once decoded), or many other
    C0 control characters (a program, an image, random bytes renamed .txt)."""
    if "\x00" in text:
        return True
    limit = MAX_CONTROL_SHARE * len(text)
    return any(n > limit for n, _ in enumerate(_CONTROL.finditer(text), 1))


def damage_warning(bad: int) -> str:
    """What a person is told when some bytes of a UTF-8 file could not be read."""
    return (f"tệp UTF-8 có {bad} byte không hợp lệ, đã thay bằng ký tự \ufffd; tệp có thể bị hỏng hoặc bị cắt "
            f"({bad} invalid UTF-8 bytes replaced; the file may be damaged or truncated)")


class TxtExtractor:
    suffixes = (".txt",)

    def extract(self, path: Path, limits: Limits) -> RawText:
        text, enc, bad = decode(path.read_bytes())
        if looks_binary(text):
            raise CorruptFile(path, BINARY)
        legacy = None
        if enc == "cp1258":
            latin, legacy = repair(path.read_bytes().decode("cp1252", "replace"))
            if legacy:
                text, enc = latin, "cp1252"
        else:
            text, legacy = repair(text)
        return RawText(text, "txt", encoding=enc, legacy=legacy, warnings=[damage_warning(bad)] if bad else [])
