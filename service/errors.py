"""Our exceptions → HTTP responses, in exactly one place. Errors are {"detail": message}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer.errors import VanthuError, data_dir_error

log = logging.getLogger("vanthu.service")


# pydantic error type → what is wrong, in Vietnamese; {where} is the parameter, the rest comes from ctx
_VI = {
    "greater_than_equal": "{where} phải ≥ {ge}",
    "greater_than": "{where} phải > {gt}",
    "less_than_equal": "{where} phải ≤ {le}",
    "less_than": "{where} phải < {lt}",
    "int_parsing": "{where} phải là số nguyên",
    "int_type": "{where} phải là số nguyên",
    "int_from_float": "{where} phải là số nguyên",
    "float_parsing": "{where} phải là số",
    "float_type": "{where} phải là số",
    "bool_parsing": "{where} phải là true hoặc false",
    "bool_type": "{where} phải là true hoặc false",
    "string_too_short": "{where} phải có ít nhất {min_length} ký tự",
    "string_too_long": "{where} chỉ được tối đa {max_length} ký tự",
    "missing": "thiếu tham số {where}",
}


def _no_file(err: dict, where: str) -> bool:
    """The multipart upload field came as text: a form sent with no file chosen (its part has
    an empty filename, which the form parser reads as a plain value)."""
    return (err.get("loc") or ("",))[0] == "body" and where == "file" and err.get("type") != "missing"


def _vietnamese(err: dict, where: str) -> str:
    """One failing parameter, in Vietnamese (a generic sentence for an error type not listed)."""
    kind, origin = err.get("type", ""), (err.get("loc") or ("",))[0]
    if _no_file(err, where):
        return "chưa chọn tệp: phần file không có tên tệp"
    if origin == "body" and where == "file":
        return "thiếu tệp (trường file)"
    if kind == "missing" and origin == "body":
        return f"thiếu trường {where}"
    try:
        return _VI[kind].format(where=where, **(err.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return f"{where} không hợp lệ"


def _validation_message(exc: RequestValidationError) -> str:
    """Vietnamese first, one clause per failing parameter, then pydantic's English in parentheses."""
    vi, en = [], []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
        vi.append(_vietnamese(err, where or "yêu cầu"))
        # pydantic's words for the file field name its internals ("Expected UploadFile, received: <class 'str'>")
        en.append("file: no file chosen / the file part has no filename" if _no_file(err, where)
                  else f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(vi) + ". (Invalid request — " + "; ".join(en) + ".)"


def install(app: FastAPI) -> None:
    @app.exception_handler(VanthuError)
    async def vanthu_error(request: Request, exc: VanthuError):
        if exc.status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"detail": str(exc)}, status_code=exc.status, headers=headers)

    @app.exception_handler(OSError)
    async def os_error(request: Request, exc: OSError):
        """Refused under the data dir (permissions, read-only disk): 503 saying so; else unexpected."""
        mapped = data_dir_error(exc, request.app.state.settings.data)
        if mapped is None:
            return await unexpected(request, exc)
        return await vanthu_error(request, mapped)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return JSONResponse({"detail": _validation_message(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"detail": "Lỗi máy chủ không mong muốn; đã ghi vào nhật ký. (Unexpected server error; it was logged.)"},
            status_code=500,
        )
