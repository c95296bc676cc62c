"""Our exceptions → HTTP responses, in exactly one place. Errors are {"detail": message}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer.errors import VanthuError

log = logging.getLogger("vanthu.service")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "Invalid request — " + "; ".join(parts)


def install(app: FastAPI) -> None:
    @app.exception_handler(VanthuError)
    async def vanthu_error(request: Request, exc: VanthuError):
        if exc.status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"detail": str(exc)}, status_code=exc.status, headers=headers)

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
