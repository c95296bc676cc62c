"""The app factory: `create_app(settings)` wires routers, errors, templates and static files."""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from indexer import __version__
from indexer.library import Library
from indexer.pipeline import UploadWorker
from indexer.settings import Settings
from service import errors
from service.routers import admin, api, health, pages

WEB = Path(__file__).resolve().parents[1] / "web"


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI):
    # the first search would load per-segment arrays (~1 s at 100 000 documents): do it now, aside
    threading.Thread(target=app.state.library.warm, name="vanthu-warm", daemon=True).start()
    yield
    app.state.upload_worker.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="vanthu",
        version=__version__,
        description="Tìm kiếm và lưu trữ văn bản hành chính — search and archive for Vietnamese administrative documents.",
    )
    app.state.settings = settings
    app.state.library = Library(settings.data)
    app.state.upload_worker = UploadWorker(int(settings.large_upload_mb * (1 << 20)))
    errors.install(app)
    app.include_router(health.router)
    app.include_router(api.router)
    app.include_router(admin.router)
    app.include_router(pages.router)
    _publish_error_shape(app)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    logging.getLogger("vanthu").setLevel(logging.INFO)
    return app


def _publish_error_shape(app: FastAPI) -> None:
    """OpenAPI says what errors.py answers: `{"detail": "<message>"}`, not FastAPI's list."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            doc = build()
            doc.setdefault("components", {}).setdefault("schemas", {})["HTTPValidationError"] = {
                "title": "HTTPValidationError", "type": "object", "required": ["detail"],
                "properties": {"detail": {"type": "string", "minLength": 1, "description": "what to fix, in Vietnamese and English"}},
            }
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi
