"""Our exceptions. Every message is safe to show to a person and says what to do.

Tree (mapped to HTTP status in exactly one place, ``service/errors.py``)::

    VanthuError                      500 unless a subclass says otherwise
    ├── ExtractionError              422  a file could not be read (path + reason)
    │   ├── UnsupportedFormat        415
    │   ├── EmptyFile                422
    │   ├── CorruptFile              422
    │   ├── EncryptedFile            422
    │   ├── FileTooLarge             413
    │   └── UnsafeFile               422  zip bomb, external entities, …
    ├── QueryError                   400  malformed search query / bad parameter
    ├── NotFound                     404  unknown document id / number / job
    │   └── NumberNotArchived        404  a number no archived document has (.number)
    ├── AuthError                    403  admin token missing or wrong
    ├── IndexUnavailable             503  no index yet, or it cannot be opened
    ├── SchemaMismatch               409  index built by another schema/analyzer version
    └── Conflict                     409  another writer / job is running

Third-party exceptions are translated where they enter our code
(``raise CorruptFile(path, "…") from exc``).
"""

from __future__ import annotations

import re
from pathlib import Path


class VanthuError(Exception):
    """Base class: ``str(exc)`` is a message a person can act on."""

    status = 500


class ExtractionError(VanthuError):
    """A file could not be turned into text."""

    status = 422
    vi = "không đọc được tệp"  # what went wrong, in Vietnamese, before the (English) reason

    def __init__(self, path: str | Path | None, reason: str):
        self.path = str(path) if path is not None else None
        self.reason = reason
        where = f"{Path(self.path).name}: " if self.path else ""
        super().__init__(f"{where}{self.explained}")

    @property
    def explained(self) -> str:
        """What went wrong, Vietnamese first, without the file's name (a report lists it beside)."""
        return self.reason if _is_vietnamese(self.reason) else f"{self.vi} — {self.reason}"


def echoed(value: str, limit: int = 80) -> str:
    """What a person typed, as a message repeats it: at most `limit` characters, then "…"."""
    return value if len(value) <= limit else value[:limit] + "…"


_QUOTED = r"""'[^']*'|"[^"]*"|“[^”]*”"""  # a value the message repeats: any language


def vietnamese_only(message: str) -> str:
    """The message without its English part, for a page read by office staff: the closing
    "(English sentence.)" and an extraction error's " — english reason" (the API and the CLI
    keep both). Unchanged when nothing Vietnamese would be left."""
    out = message
    m = re.search(r"\s*\(([^()]*)\)\s*$", out)
    if m and _english(m[1]) and m[1].rstrip().endswith("."):
        out = out[: m.start()]
    dash = out.rfind(" — ")
    if dash > 0 and _english(out[dash + 3:]):
        out = out[:dash]
    return out if _is_vietnamese(out) else message


def _english(text: str) -> bool:
    """ASCII words (quoted values aside) that start with a letter: an English sentence."""
    bare = re.sub(_QUOTED, "", text).strip()
    return bool(re.match(r"[A-Za-z]", bare)) and bare.isascii()


def _is_vietnamese(text: str) -> bool:
    """The reason is already written in Vietnamese (has letters only Vietnamese uses)."""
    return any(ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ" for ch in text.lower())


class UnsupportedFormat(ExtractionError):
    status = 415
    vi = "định dạng tệp không được hỗ trợ"


class EmptyFile(ExtractionError):
    vi = "tệp rỗng, không có nội dung"


class CorruptFile(ExtractionError):
    vi = "tệp bị hỏng hoặc không đúng định dạng"


class EncryptedFile(ExtractionError):
    vi = "tệp có mật khẩu, hãy gỡ mật khẩu rồi tải lại"


class FileTooLarge(ExtractionError):
    status = 413
    vi = "tệp quá lớn"


class UnsafeFile(ExtractionError):
    vi = "tệp không an toàn, không được đọc"


class QueryError(VanthuError):
    status = 400


class NotFound(VanthuError):
    status = 404


class NumberNotArchived(NotFound):
    """A document number no archived document has (other documents may cite it)."""

    def __init__(self, message: str, number: str):
        super().__init__(message)
        self.number = number


class AuthError(VanthuError):
    status = 403


class IndexUnavailable(VanthuError):
    status = 503


class SchemaMismatch(VanthuError):
    status = 409


class Conflict(VanthuError):
    status = 409


class WouldRemoveAll(Conflict):
    """`vanthu index` of a folder that holds none of the documents archived from it (an
    unmounted share): refused, nothing removed; watch tries again on its next scan."""
