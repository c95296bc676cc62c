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
    │   ├── NumberNotArchived        404  a number no archived document has (.number)
    │   └── DamagedRecord            500  a record file that cannot be read (search passes over it)
    ├── AuthError                    403  admin token missing or wrong
    ├── IndexUnavailable             503  no index yet, or it cannot be opened
    ├── DataDirNotWritable           503  the data dir refuses writes (permissions, read-only disk)
    ├── SchemaMismatch               409  index built by another schema/analyzer version
    └── Conflict                     409  another writer / job is running

Third-party exceptions are translated where they enter our code
(``raise CorruptFile(path, "…") from exc``).
"""

from __future__ import annotations

import errno
import os
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
    vi = "tệp có mật khẩu, hãy gỡ mật khẩu rồi thêm lại"  # "thêm": an upload or `vanthu index` alike


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


class DamagedRecord(NotFound):
    """A record file that cannot be read (truncated, garbage). A NotFound, so a search passes
    over it as over a missing record; `vanthu reindex` reads the document again from its
    archived original."""

    status = 500


class AuthError(VanthuError):
    status = 403


class IndexUnavailable(VanthuError):
    status = 503


class DataDirNotWritable(VanthuError):
    """Writing under the data dir was refused (permissions, a read-only disk); see `data_dir_error`."""

    status = 503

    def __init__(self, data: str | Path):
        self.data = str(data)
        super().__init__(
            f"Không ghi được vào thư mục dữ liệu {data} (quyền truy cập hoặc ổ chỉ đọc): kiểm tra quyền của "
            f"người chạy vanthu. (The data directory is not writable: check permissions.)")


_REFUSED = (errno.EACCES, errno.EPERM, errno.EROFS)


def data_dir_error(exc: BaseException, data: str | Path | None) -> DataDirNotWritable | None:
    """The DataDirNotWritable an OSError means when it refused a file under the data dir `data`
    (where it is translated: the CLI's main and the service's error table); None otherwise."""
    if data is None or not isinstance(exc, OSError) or exc.errno not in _REFUSED:
        return None
    home = Path(os.path.abspath(data))
    for name in (exc.filename, exc.filename2):
        if isinstance(name, (str, Path)) and name:
            where = Path(os.path.abspath(name))
            if where == home or home in where.parents:
                return DataDirNotWritable(data)
    return None


class SchemaMismatch(VanthuError):
    status = 409


class Conflict(VanthuError):
    status = 409


class WouldRemoveAll(Conflict):
    """`vanthu index` of a folder that holds none of the documents archived from it (an
    unmounted share): refused, nothing removed; watch tries again on its next scan."""
