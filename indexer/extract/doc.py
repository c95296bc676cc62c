"""Word 97–2003 .doc through antiword (catdoc as the fallback), legacy fonts repaired."""

from __future__ import annotations

import shutil
from pathlib import Path

from indexer.errors import EncryptedFile, ExtractionError
from indexer.extract.base import Limits, run_tool
from indexer.legacy import repair
from indexer.models import RawText


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
