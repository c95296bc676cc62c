"""Server-rendered pages (Jinja2) calling the same library functions as the API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from indexer.errors import VanthuError
from indexer.library import Library
from indexer.search import SearchParams
from service.deps import get_library

WEB = Path(__file__).resolve().parents[2] / "web"
templates = Jinja2Templates(directory=WEB / "templates")
router = APIRouter(include_in_schema=False)

EXAMPLES = ["kế hoạch thi đua", "ke hoach thi dua", "bằng khen 2019", "1460/KH-UBND", "loai:QĐ nam:2020 khen thưởng"]


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", page: int = 1, lib: Library = Depends(get_library)):
    result, error = None, None
    if q.strip():
        try:
            result = lib.search(SearchParams(q=q, page=max(1, page)))
        except VanthuError as exc:
            error = str(exc)
    return templates.TemplateResponse(
        request, "search.html", {"q": q, "result": result, "error": error, "examples": EXAMPLES}
    )


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, lib: Library = Depends(get_library)):
    doc = lib.document(doc_id)
    return templates.TemplateResponse(request, "document.html", {"doc": doc})
