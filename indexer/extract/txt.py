"""Plain text: UTF-8 (with or without BOM), UTF-16, Windows-1258, legacy TCVN3/VNI bytes."""

from __future__ import annotations

from pathlib import Path

from indexer.extract.base import Limits
from indexer.legacy import repair
from indexer.models import RawText


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) for bytes of unknown encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16"
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:  # UTF-16LE without BOM
        return data.decode("utf-16-le", "replace"), "utf-16-le"
    if len(data) >= 4 and data[0::2].count(0) > len(data) // 4:
        return data.decode("utf-16-be", "replace"), "utf-16-be"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # 8-bit: Windows-1258 (Vietnamese, combining tones) or legacy font bytes read as cp1252
    cp1258 = data.decode("cp1258", "replace")
    return cp1258, "cp1258"


class TxtExtractor:
    suffixes = (".txt",)

    def extract(self, path: Path, limits: Limits) -> RawText:
        text, enc = decode(path.read_bytes())
        legacy = None
        if enc == "cp1258":
            latin, legacy = repair(path.read_bytes().decode("cp1252", "replace"))
            if legacy:
                text, enc = latin, "cp1252"
        else:
            text, legacy = repair(text)
        return RawText(text, "txt", encoding=enc, legacy=legacy)
