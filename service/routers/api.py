"""Search, documents and citation linking: thin routes over indexer.library."""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from indexer.errors import ExtractionError, FileTooLarge, QueryError, UnsupportedFormat
from indexer.extract import SUPPORTED_SUFFIXES, Limits, extract
from indexer.library import Library
from indexer.pipeline import UploadWorker, add_file
from indexer.search import SearchParams
from indexer.settings import Settings
from service import models
from service.deps import get_library, get_settings, get_upload_worker, require_admin

router = APIRouter(prefix="/api")

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".rtf": "application/rtf",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
}


@router.get("/search", response_model=models.SearchResponse)
def search(
    q: str = "",
    limit: int = Query(10, ge=1, le=100),
    page: int = Query(1, ge=1, le=1000),
    type: str | None = None,
    issuer: str | None = None,
    year: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str = "relevance",
    all_words: bool = Query(False, description="only documents with every word (a long question is not relaxed)"),
    as_typed: bool = Query(False, description="search the words as typed, never a spelling correction"),
    most_words: bool = Query(False, description="a question of 4 words or more: the documents with most of its "
                                                "words too, ranked by them, even when several hold every word"),
    lib: Library = Depends(get_library),
):
    params = SearchParams(q=q, limit=limit, page=page, type=type, issuer=issuer, year=year,
                          date_from=date_from, date_to=date_to, sort=sort, all_words=all_words,
                          as_typed=as_typed, most_words=most_words)
    return lib.search(params)


@router.get("/documents", response_model=models.DocumentList)
def list_documents(
    source: str | None = None,
    page: int = Query(1, ge=1, le=10000),
    limit: int = Query(20, ge=1, le=100),
    lib: Library = Depends(get_library),
):
    return lib.list_documents(source=source, page=page, limit=limit)


@router.get("/documents/{doc_id}", response_model=models.Document)
def get_document(doc_id: str, lib: Library = Depends(get_library)):
    return lib.document(doc_id)


def ascii_name(name: str) -> str:
    """The name without diacritics, case kept ("Thông báo Đợt 2" → "Thong bao Dot 2")."""
    nfd = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in nfd if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()


def content_disposition(filename: str) -> str:
    """attachment with an ASCII fallback and the UTF-8 name (RFC 6266); no header injection."""
    clean = "".join(ch for ch in filename if ch >= " " and ch not in '"\\\x7f')
    fallback = ascii_name(clean) or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(clean, safe='')}"


# HEAD answers as GET does, without the body (a download's size and name); not in the schema twice
@router.get("/documents/{doc_id}/original")
@router.head("/documents/{doc_id}/original", include_in_schema=False)
def get_original(doc_id: str, lib: Library = Depends(get_library)):
    id_ = lib.resolve_id(doc_id)
    path, filename = lib.original(id_)
    media = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return FileResponse(path, media_type=media, headers={"Content-Disposition": content_disposition(filename)})


@router.get("/documents/{doc_id}/text", response_class=PlainTextResponse,
            summary="Toàn văn (the extracted text, UTF-8, as a .txt download)")
@router.head("/documents/{doc_id}/text", include_in_schema=False)
def get_text(doc_id: str, lib: Library = Depends(get_library)):
    """The whole extracted text: what the page of a very long document links to, as it shows only part."""
    text, filename = lib.full_text(doc_id)
    return PlainTextResponse(text, headers={"Content-Disposition": content_disposition(filename)})


@router.get("/documents/{doc_id}/similar", response_model=models.SimilarResponse)
def similar(doc_id: str, limit: int = Query(10, ge=1, le=50), lib: Library = Depends(get_library)):
    return lib.similar(doc_id, limit=limit)


async def save_upload(upload: UploadFile, max_bytes: int) -> Path:
    """Stream an upload to a temp file, refusing it past `max_bytes` (413)."""
    if not upload.filename:  # a form sent with no file chosen: a part with filename=""
        raise QueryError("Chưa chọn tệp: phần 'file' không có tên tệp. "
                         "(No file chosen / the file part has no filename.)")
    name = upload.filename
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(
            name, f"định dạng {suffix or '(không có đuôi)'} chưa hỗ trợ; dùng {', '.join(sorted(SUPPORTED_SUFFIXES))} "
                  f"(files of type {suffix or '(none)'} are not supported)"
        )
    fd, tmp = tempfile.mkstemp(suffix=suffix, prefix="vanthu-upload-")
    size = 0
    try:
        with os.fdopen(fd, "wb") as f:
            while chunk := await upload.read(1 << 20):
                size += len(chunk)
                if size > max_bytes:
                    raise FileTooLarge(name, f"tệp lớn hơn giới hạn {max_bytes // (1 << 20)} MB (file over the upload limit)")
                f.write(chunk)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def renamed(exc: ExtractionError, filename: str | None) -> ExtractionError:
    """The same error naming the file as the user sent it, not our temp copy."""
    return type(exc)(filename, exc.reason) if filename else exc


def upload_text(path: Path, filename: str | None, settings: Settings) -> str:
    """The text of an uploaded file (`path`: our temporary copy of the user's `filename`)."""
    try:
        return extract(path, limits=Limits(ocr=settings.ocr, ocr_max_pages=settings.ocr_max_pages)).text
    except ExtractionError as exc:
        raise renamed(exc, filename) from exc


def _link_json(lib: Library, text: str | None, path: Path | None, settings: Settings, name: str | None = None) -> bytes:
    """The whole link response as JSON bytes: extraction, linking and serialization are CPU work,
    so they run here, in a worker thread, and searches keep being answered meanwhile."""
    if path is not None:
        text = upload_text(path, name, settings)
    return models.LinkResponse.model_validate(lib.link(text)).model_dump_json().encode()


@router.post("/link", response_model=models.LinkResponse)
async def link(request: Request, lib: Library = Depends(get_library), settings: Settings = Depends(get_settings)):
    ctype = request.headers.get("content-type", "")
    text, path, name = None, None, None
    if ctype.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise QueryError("Gửi tệp trong trường 'file' (multipart) hoặc JSON {\"text\": \"…\"}. (Send a file field or JSON text.)")
        path = await save_upload(upload, int(settings.max_upload_mb * (1 << 20)))
        name = Path(upload.filename or "").name or None
    else:
        try:
            body = await request.json()
        except ValueError:
            raise QueryError("Nội dung phải là JSON {\"text\": \"…\"} hoặc multipart có tệp. (Body must be JSON with text, or a file.)") from None
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str):
            raise QueryError("Thiếu trường \"text\" (chuỗi) trong JSON. (JSON needs a string field \"text\".)")
    try:
        payload = await run_in_threadpool(_link_json, lib, text, path, settings, name)
    finally:
        if path is not None:
            path.unlink(missing_ok=True)
    return Response(payload, media_type="application/json")


@router.post("/documents", response_model=models.UploadResponse, dependencies=[Depends(require_admin)])
async def upload_document(
    file: UploadFile = File(...),
    lib: Library = Depends(get_library),
    settings: Settings = Depends(get_settings),
    worker: UploadWorker = Depends(get_upload_worker),
):
    """The new document's metadata (no text: GET /api/documents/{id} has it)."""
    path = await save_upload(file, int(settings.max_upload_mb * (1 << 20)))
    try:
        # extraction, segmentation and indexing are CPU work (about a minute for 45 MB of text):
        # in a worker thread, and for a large file its preparation in a worker process, so
        # searches keep being answered meanwhile
        id_, duplicate = await run_in_threadpool(
            add_file, path, settings.data, filename=file.filename or path.name,
            limits=Limits(ocr=settings.ocr, ocr_max_pages=settings.ocr_max_pages), worker=worker)
    finally:
        path.unlink(missing_ok=True)
    return {**await run_in_threadpool(lib.metadata, id_), "duplicate": duplicate}
