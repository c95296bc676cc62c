"""Plain text: UTF-8 (with or without BOM), UTF-16, Windows-1258, legacy TCVN3/VNI bytes."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from indexer.errors import CorruptFile
from indexer.extract.base import Limits
from indexer.legacy import plausibility, repair
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


def read_8bit(data: bytes) -> tuple[str, str, str | None]:
    """(text, encoding, legacy) of 8-bit bytes: Windows-1258, or legacy font bytes.

    Windows-1258 keeps tones as combining bytes ("Ô" + 0xEC for "Ố"): composed here (NFC).
    Legacy TCVN3/VNI bytes are read as cp1252, as Word does, and converted line by line. The
    file is one or the other, so the two readings are compared whole: a Windows-1258 line such
    as "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" can also pass for TCVN3 on its own, and `repair`
    would carry that encoding to every other line."""
    cp1258 = unicodedata.normalize("NFC", data.decode("cp1258", "replace"))
    latin, legacy = repair(data.decode("cp1252", "replace"))
    if legacy and plausibility(latin) > plausibility(cp1258):
        return latin, "cp1252", legacy
    return cp1258, "cp1258", None


def _utf8_line(line: bytes) -> bool:
    """A line of UTF-8 letters, with at most a little damage (VALID_PER_BAD_BYTE, as for a whole
    file): legacy and Windows-1258 bytes almost never form UTF-8 sequences."""
    if line.isascii():
        return False
    _, valid, bad = utf8_damage(line)
    return valid > 0 and valid >= VALID_PER_BAD_BYTE * bad


def read_mixed(data: bytes) -> tuple[str, str, str | None, list[int], int] | None:
    """A file of UTF-8 lines and 8-bit lines (`cat a.txt b.txt` of a new and an old file):
    (text, encoding of the 8-bit lines, legacy, their 1-based numbers, invalid bytes of the
    UTF-8 lines), the UTF-8 lines as they are and the others read by `read_8bit`; None when no
    line is UTF-8 or none is 8-bit."""
    lines = data.split(b"\n")
    utf8 = [_utf8_line(line) for line in lines]
    eight = [i for i, (line, u) in enumerate(zip(lines, utf8)) if not u and not line.isascii()]
    if not any(utf8) or not eight:
        return None
    text, enc, legacy = read_8bit(b"\n".join(lines[i] for i in eight))
    read = dict(zip(eight, text.split("\n")))
    out, bad = [], 0
    for i, line in enumerate(lines):
        if i in read:
            out.append(read[i])
        else:
            decoded, _, damage = utf8_damage(line)
            out.append(decoded)
            bad += damage
    return "\n".join(out), enc, legacy, [i + 1 for i in eight], bad


def mixed_warning(encoding: str, legacy: str | None, lines: list[int]) -> str:
    """What a person is told when a file mixes UTF-8 lines with lines in an older encoding."""
    enc = (legacy or encoding).upper()
    shown = ", ".join(map(str, lines[:10])) + (", …" if len(lines) > 10 else "")
    n = len(lines)
    return (f"tệp trộn UTF-8 với {n} dòng mã cũ ({enc}: dòng {shown}), đã đọc riêng từng dòng; nên kiểm tra lại "
            f"(line{'s' * (n > 1)} {shown} {'are' if n > 1 else 'is'} not UTF-8 but {enc}: read line by line, check "
            f"{'them' if n > 1 else 'it'})")


class TxtExtractor:
    suffixes = (".txt",)

    def extract(self, path: Path, limits: Limits) -> RawText:
        data = path.read_bytes()
        text, enc, bad = decode(data)
        if looks_binary(text):
            raise CorruptFile(path, BINARY)
        warnings = []
        if enc != "cp1258":
            text, legacy = repair(text)
        elif mixed := read_mixed(data):
            text, eight_bit, legacy, lines, bad = mixed
            enc = f"utf-8+{eight_bit}"
            warnings.append(mixed_warning(eight_bit, legacy, lines))
        else:
            text, enc, legacy = read_8bit(data)
        if bad:
            warnings.insert(0, damage_warning(bad))
        return RawText(text, "txt", encoding=enc, legacy=legacy, warnings=warnings)
