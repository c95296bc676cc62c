"""FastAPI dependencies: settings, the library, admin auth."""

from __future__ import annotations

import hmac
import logging

from fastapi import Depends, Request

from indexer.errors import AuthError
from indexer.library import Library
from indexer.pipeline import UploadWorker
from indexer.settings import Settings

log = logging.getLogger("vanthu.admin")


class AuthRequired(AuthError):
    status = 401


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_library(request: Request) -> Library:
    return request.app.state.library


def get_upload_worker(request: Request) -> UploadWorker:
    return request.app.state.upload_worker


def require_admin(request: Request, settings: Settings = Depends(get_settings)) -> str:
    """Bearer token from VANTHU_ADMIN_TOKEN, compared in constant time."""
    token = settings.admin_token
    if not token:
        raise AuthError(
            "Chức năng quản trị đang tắt: đặt biến môi trường VANTHU_ADMIN_TOKEN rồi khởi động lại dịch vụ. "
            "(Admin calls are disabled: set VANTHU_ADMIN_TOKEN and restart.)"
        )
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise AuthRequired("Cần mã quản trị: gửi tiêu đề 'Authorization: Bearer <token>'. (Admin token required.)")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        log.warning("admin call refused (wrong token) %s %s", request.method, request.url.path)
        raise AuthError("Mã quản trị không đúng. (Wrong admin token.)")
    log.info("admin %s %s", request.method, request.url.path)
    return "admin"
