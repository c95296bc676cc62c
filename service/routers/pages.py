"""Server-rendered pages (Jinja2) calling the same library functions as the API.

    /                 tìm kiếm: query, facets, date range, sort, paging
    /van-ban/{id}     one document: metadata, sections, citations both ways, similar, campaign timeline
    /lien-ket         the citation linker (paste or upload; POST renders the linked text)
    /lien-ket/docx    the same, answered as a .docx whose citations are hyperlinks
    /tai-len          admin upload (the page calls POST /api/documents with the token)

A page never answers JSON: our errors become an error page with the same status.
"""

from __future__ import annotations

import bisect
import math
import re
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from indexer.docx_links import DOCX_MIME, link_file, text_docx
from indexer.errors import ExtractionError, NumberNotArchived, QueryError, VanthuError, vietnamese_only
from indexer.extract import Limits
from indexer.index import current_generation
from indexer.library import Library, by_document, fullest, linked_html
from indexer.campaigns import campaign_key, same_campaign
from indexer.normalize import fold, shown_as_typed
from indexer.numbers import number_parts
from indexer.search import FACETS, SearchParams, relaxed_note, type_first_note
from indexer.settings import Settings
from service.deps import get_library, get_settings
from service.routers.api import content_disposition, renamed, save_upload, upload_text

WEB = Path(__file__).resolve().parents[2] / "web"
templates = Jinja2Templates(directory=WEB / "templates")
router = APIRouter()


def ngay(value: str | None) -> str:
    """2019-03-23 → 23/03/2019 (how staff write dates); anything else as is."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    return f"{m[3]}/{m[2]}/{m[1]}" if m else (value or "")


def kichthuoc(size: int | None) -> str:
    """File size as staff read it: 38 KB, 1,2 MB."""
    if not size:
        return ""
    if size < 1 << 20:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1 << 20):.1f} MB".replace(".", ",")


templates.env.filters["ngay"] = ngay
templates.env.filters["kichthuoc"] = kichthuoc
templates.env.filters["so"] = lambda n: f"{n:,}".replace(",", ".")  # 37.308.835, as staff write numbers

EXAMPLES = ["kế hoạch thi đua", "ke hoach thi dua", "bằng khen nam:2019", "1460/KH-UBND", "loai:QĐ nam:2020 khen thưởng"]
NUMBER_EXAMPLE = 3  # replaced by a number of the archive's newest documents, so that it finds something


_EXAMPLE_NUMBER: dict = {}  # (data dir, generation) → a number of its newest documents


def examples(lib: Library) -> list[str]:
    """EXAMPLES, the document number one taken from the archive (once per index generation)
    when it has a numbered document; until it has one (an empty archive that uploads fill),
    looked for again on each visit."""
    key = (str(lib.data), current_generation(lib.data))
    if key not in _EXAMPLE_NUMBER:
        try:
            recent = lib.list_documents(limit=20)["documents"]
        except VanthuError:
            recent = []
        number = next((d["number"] for d in recent if d.get("number")), None)
        if number is None:
            return list(EXAMPLES)
        _EXAMPLE_NUMBER[key] = number
    number = _EXAMPLE_NUMBER[key]
    return [number if i == NUMBER_EXAMPLE else e for i, e in enumerate(EXAMPLES)]


def loose_example(number: str) -> str | None:
    """A number as typed in a hurry, to show that it finds the same: 1460/KH-UBND → "kh 1460 ubnd"."""
    p = number_parts(number) if re.fullmatch(r"\d+/[^/\s]+-[^/\s]+", number or "") else None
    if not p or not p.type_code or p.year:
        return None
    return " ".join(x for x in (fold(p.type_code).lower(), p.seq, fold(p.issuer_code or "").lower()) if x)


SORTS = {"relevance": "Liên quan nhất", "date": "Mới nhất", "date_asc": "Cũ nhất"}
PAGE_SIZE = 10
FILTERS = ("type", "issuer", "year", "date_from", "date_to")
DOC_URL = "/van-ban/{id}"
TEXT_PART = 300_000  # characters of text on one document page; a longer text is shown in pages
MAX_TOC = 1_000  # headings listed before a paged text's contents keep only the current page's
MAX_CITED = 300  # documents listed as cited (a 45 MB compilation can cite thousands)
MAX_TEXT_FORM = 2_000_000


def page_error(request: Request, exc: VanthuError) -> HTMLResponse:
    """Our error as a page (same status and message as the API would give, in Vietnamese only)."""
    title = "Không tìm thấy" if exc.status == 404 else "Có lỗi xảy ra"
    return templates.TemplateResponse(
        request, "error.html", {"title": title, "message": vietnamese_only(str(exc)), "status": exc.status},
        status_code=exc.status)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


# --- search -----------------------------------------------------------------------------


def search_url(current: dict, **change) -> str:
    """`/?…` with the current parameters, some changed (None drops one); paging restarts."""
    params = {**current, "page": None, **change}
    return "/?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def page_numbers(page: int, last: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20 (None is a gap)."""
    keep = {1, last, *range(max(1, page - 2), min(last, page + 2) + 1)}
    out, prev = [], 0
    for n in sorted(keep):
        if n - prev > 1:
            out.append(None)
        out.append(n)
        prev = n
    return out


def suggestion_text(value) -> str | None:
    """The library's "did you mean" (a string, or a dict with the query) as the query to offer."""
    if isinstance(value, dict):
        value = value.get("q") or value.get("query") or value.get("text")
    return value if isinstance(value, str) and value.strip() else None


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    q: str = "",
    page: str | None = None,
    type: str | None = None,
    issuer: str | None = None,
    year: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str = "relevance",
    du: str | None = None,
    rong: str | None = None,
    dung: str | None = None,
    lib: Library = Depends(get_library),
):
    q = shown_as_typed(q)  # shown back in the search box as typed, NFC like every output
    all_words = du == "1"  # "chỉ văn bản chứa đủ mọi từ": a long question is not relaxed
    most_words = rong == "1" and not all_words  # "tìm rộng hơn": also the documents with most of the words
    as_typed = dung == "1"  # "tìm đúng như đã gõ": no spelling correction
    current = {"q": q, "type": type, "issuer": issuer, "year": year, "date_from": date_from,
               "date_to": date_to, "sort": None if sort == "relevance" else sort, "du": "1" if all_words else None,
               "rong": "1" if most_words else None, "dung": "1" if as_typed else None}
    filtered = any(current[k] for k in FILTERS)
    result, error, recent, status = None, None, None, 200
    page_no = min(max(1, _int(page, 1)), 1000)

    def run(n: int, **change) -> dict:
        asked = {"q": q, "page": n, "limit": PAGE_SIZE, "type": type or None, "issuer": issuer or None,
                 "year": year or None, "date_from": date_from or None, "date_to": date_to or None, "sort": sort,
                 "all_words": all_words, "as_typed": as_typed, "most_words": most_words}
        return lib.search(SearchParams(**{**asked, **change}))

    try:
        if q.strip() or filtered:
            result = run(page_no)
            last = max(1, math.ceil(result["total"] / PAGE_SIZE))
            if page_no > last:  # a page past the end: show the last one
                page_no = min(last, 1000)
                result = run(page_no)
            for name in FACETS:  # a facet chosen lists its other values too: a click switches to one
                if current[name] and result["total"]:
                    result["facets"][name] = run(1, limit=1, **{name: None})["facets"][name]
        else:
            recent = lib.list_documents(limit=10)["documents"]
    except QueryError as exc:
        error, status = vietnamese_only(str(exc)), exc.status
    except VanthuError as exc:
        return page_error(request, exc)
    pages = max(1, math.ceil(result["total"] / PAGE_SIZE)) if result else 1
    shown = examples(lib)
    ctx = {
        "q": q, "current": current, "result": result, "error": error, "examples": shown, "recent": recent,
        "sorts": SORTS, "sort": sort if sort in SORTS else "relevance", "filtered": filtered,
        "page_no": page_no, "pages": min(pages, 1000), "page_numbers": page_numbers(page_no, min(pages, 1000)),
        "url": lambda **change: search_url(current, **change),
        "suggestion": suggestion_text((result or {}).get("suggestion")),
        "relaxed": relaxed_note(result or {}),
        "type_first": (result or {}).get("type_first"),
        "type_first_note": type_first_note(result or {}),
        "all_words": all_words,
        "broader": (result or {}).get("broader"),
        "loose_example": loose_example(shown[NUMBER_EXAMPLE]),
    }
    return templates.TemplateResponse(request, "search.html", ctx, status_code=status)


# --- one document -------------------------------------------------------------------------

def campaign_timeline(lib: Library, doc: dict, similar: list[dict]) -> list[dict]:
    """The same campaign (or recurring document) of the same issuer across years, oldest first.

    Candidates: a search for the campaign's name filtered to the issuer, the similar
    documents and those citing this one; kept when the issuer is the same and the trích yếu
    names the same campaign. One row per year: the document of the same type as this one
    (this one in its own year), the year's other stages folded under it. Empty unless at
    least two years are represented.
    """
    key = campaign_key(doc.get("title"))
    if key is None or not doc.get("issuer"):
        return []
    me = {k: doc.get(k) for k in ("id", "number", "type", "issuer", "date", "title")}
    candidates = [me, *similar, *doc.get("cited_by", [])]
    words = re.sub(r"[^\w\s]", " ", key[1]).split()
    try:
        found = lib.search(SearchParams(q=" ".join(words[:12]), issuer=doc["issuer"], limit=60))
        candidates.extend(found["hits"])
    except VanthuError:
        pass  # the timeline is a convenience; the page still renders
    seen, items = set(), []
    for c in candidates:
        if c["id"] in seen or c.get("issuer") != doc["issuer"] or not same_campaign(key, c.get("title")):
            continue
        seen.add(c["id"])
        items.append({**c, "current": c["id"] == doc["id"], "year": (c.get("date") or "????")[:4]})
    items.sort(key=lambda c: (c.get("date") or "9999", c.get("number") or ""))
    if len({c["year"] for c in items}) < 2:
        return []
    years = []
    for year in sorted({c["year"] for c in items}):
        docs = [c for c in items if c["year"] == year]
        main = next((c for c in docs if c["current"]), None) or next(
            (c for c in docs if c.get("type") == doc.get("type")), docs[0])
        years.append({"year": year, "main": main, "others": [c for c in docs if c is not main]})
    return years


def text_parts(text: str, size: int = TEXT_PART) -> list[int]:
    """Where each page of a text's display starts, then its end: [0, …, len(text)]. A page is
    about `size` characters, cut after a line break; a text up to `size` long is one page."""
    cuts = [0]
    while len(text) - cuts[-1] > size:
        i = cuts[-1] + size
        nl = text.find("\n", i, i + 10_000)
        cut = nl + 1 if nl != -1 else (text.find(" ", i, i + 1_000) + 1 or i)
        if cut >= len(text):
            break
        cuts.append(cut)
    cuts.append(len(text))
    return cuts


def document_sections(doc: dict, start: int = 0, end: int | None = None) -> list[dict]:
    """Sections of text[start:end] (one page of a long text) with their linked HTML. A section the
    page edge cuts shows its part, anchored only where it starts; citations that cross a section
    or page edge stay plain."""
    text = doc["text"]
    end = len(text) if end is None else end
    cits = sorted(doc["citations"], key=lambda c: c["start"])
    cit_starts = [c["start"] for c in cits]
    sections = doc.get("sections") or [{"title": "", "start": 0, "end": len(text), "level": 0}]
    out = []
    for s in sections:
        begins = start <= s["start"] and (s["start"] < end or end >= len(text))
        if not begins and not s["start"] < start < s["end"]:
            continue
        a, b = max(s["start"], start), min(s["end"], end)
        inside = []
        for c in cits[bisect.bisect_left(cit_starts, a):]:
            if c["start"] >= b:
                break
            if c["end"] <= b:
                inside.append({**c, "start": c["start"] - a, "end": c["end"] - a})
        out.append({**s, "anchor": f"muc-{s['start']}" if begins else None,
                    "html": linked_html(text[a:b], inside, href=DOC_URL)})
    return out


_BARE_HEADING = re.compile(r"(?i)^(?:phần|chương|mục)\s+[\divxlc]+\.?$")


def table_of_contents(sections: list[dict], text: str = "") -> list[dict]:
    """Titled sections, less list items (“1. Trường Tiểu học …;”) that only look like headings;
    a bare "Chương I" named on the line below it in `text` is listed with that name."""
    out = []
    for s in sections:
        title = (s.get("title") or "").strip()
        if not title or title.endswith((";", ",")):
            continue
        if text and _BARE_HEADING.match(title):
            below = [ln.strip() for ln in text[s["start"]: s.get("end") or s["start"] + 300].split("\n")[1:4] if ln.strip()]
            if below and len(below[0]) <= 150 and below[0] == below[0].upper() and not _BARE_HEADING.match(below[0]):
                s = {**s, "title": f"{title.rstrip('.')}. {below[0]}"}
        out.append(s)
    return out


def part_of(cuts: list[int], pos: int) -> int:
    """The page (from 1) of a text shown in pages (`cuts` from text_parts) that holds offset `pos`."""
    return min(len(cuts) - 1, bisect.bisect_right(cuts, pos))


def paged_contents(toc: list[dict], cuts: list[int], page: int) -> tuple[list[dict], list[dict]]:
    """(table of contents, pages) of a text shown in pages (`cuts` from text_parts; `page` from 1).
    Each heading links to its anchor, on its own page; a long list (over MAX_TOC headings) keeps
    this page's headings, and the pages are listed by the heading each one starts with."""
    entries = [{**s, "page": part_of(cuts, s["start"])} for s in toc]
    for e in entries:
        e["href"] = f"#muc-{e['start']}" if e["page"] == page else f"?phan={e['page']}#muc-{e['start']}"
    if len(entries) > MAX_TOC:
        entries = [e for e in entries if e["page"] == page]
    pages = []
    if len(cuts) > 2:
        starts = [s["start"] for s in toc]
        for n in range(1, len(cuts)):
            i = bisect.bisect_left(starts, cuts[n - 1])
            first = toc[i]["title"] if i < len(toc) and toc[i]["start"] < cuts[n] else None
            pages.append({"n": n, "start": cuts[n - 1], "end": cuts[n], "first": first})
    return entries, pages


@router.get("/van-ban/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
def document_page(request: Request, doc_id: str, phan: str | None = None, muc: str | None = None,
                  lib: Library = Depends(get_library)):
    """By id, or by số/ký hiệu (/van-ban/1460/KH-UBND), which redirects to the id's page. A text
    longer than TEXT_PART characters is shown a page at a time (`?phan=2`), saying so; `?muc=<offset>`
    (a search hit's section) opens the page holding that offset."""
    try:
        doc = lib.document(doc_id)
        if doc["id"] != doc_id:
            return RedirectResponse(_with_query(DOC_URL.format(id=doc["id"]), request), status_code=302)
        similar = lib.similar(doc["id"], limit=8)["hits"]
        timeline = campaign_timeline(lib, doc, similar)
        same_number = [c for c in lib.same_number(doc) if c["id"] != doc["id"]]
    except NumberNotArchived as exc:  # cited perhaps, not archived: what cites it is one click away
        number = exc.number  # as staff write it (1460/KH-UBND for /van-ban/1460-KH-UBND)
        citing = lib.search(SearchParams(q=number, limit=1))["total"]
        return templates.TemplateResponse(
            request, "error.html", {"title": "Chưa có trong kho", "status": exc.status, "number": number,
                                    "citing": citing, "citing_url": search_url({}, q=number),
                                    "message": f"Văn bản số {number} chưa có trong kho."}, status_code=exc.status)
    except VanthuError as exc:
        return page_error(request, exc)
    cited, seen = [], set()
    for c in doc["citations"]:
        key = (c["surface"], (c["resolves_to"] or {}).get("id"))
        if key not in seen:
            seen.add(key)
            cited.append(c)
    cuts = text_parts(doc["text"])
    if phan is None and _int(muc, -1) >= 0:  # the part holding the section, without JavaScript
        page_no = part_of(cuts, _int(muc, 0))
    else:
        page_no = min(max(1, _int(phan, 1)), len(cuts) - 1)
    headings = table_of_contents(doc.get("sections") or [], doc["text"])
    toc, pages = paged_contents(headings, cuts, page_no)
    ctx = {"doc": doc, "sections": document_sections(doc, cuts[page_no - 1], cuts[page_no]), "toc": toc,
           "cited": cited[:MAX_CITED], "cited_more": max(0, len(cited) - MAX_CITED), "similar": similar,
           "timeline": timeline, "same_number": same_number, "pages": pages, "page_no": page_no, "cuts": cuts, "toc_capped": len(toc) < len(headings),
           "page_numbers": page_numbers(page_no, len(pages)) if pages else []}
    return templates.TemplateResponse(request, "document.html", ctx)


@router.get("/documents/{doc_id}", include_in_schema=False)
def old_document_url(request: Request, doc_id: str):
    """The first URL of a document page; kept so old links still work."""
    return RedirectResponse(_with_query(DOC_URL.format(id=doc_id), request), status_code=308)


def _with_query(url: str, request: Request) -> str:
    """`url` with the request's query string (`?phan=2` survives a redirect)."""
    return f"{url}?{request.url.query}" if request.url.query else url


# --- citation linker ------------------------------------------------------------------------


def absolute_href(request: Request):
    """resolves_to → the document page's absolute URL on the host the request came to."""
    base = str(request.base_url).rstrip("/")
    return lambda target: base + DOC_URL.format(id=target["id"])


def absolute_template(request: Request) -> str:
    """`http://host/van-ban/{id}` as a str.format template (braces in the host are escaped)."""
    base = str(request.base_url).rstrip("/")
    return base.replace("{", "{{").replace("}", "}}") + DOC_URL


async def _form_input(request: Request, settings: Settings) -> tuple[str | None, Path | None, str | None]:
    """(pasted text, saved upload, its file name) from the linker form."""
    form = await request.form(max_part_size=MAX_TEXT_FORM * 4)
    upload, text = form.get("file"), form.get("text")
    if isinstance(upload, UploadFile) and upload.filename:
        path = await save_upload(upload, int(settings.max_upload_mb * (1 << 20)))
        return None, path, upload.filename
    if isinstance(text, str) and text.strip():
        return text, None, None
    raise QueryError("Hãy dán văn bản vào ô hoặc chọn một tệp .docx, .pdf, .txt. (Paste text or choose a file.)")


@router.get("/lien-ket", response_class=HTMLResponse, include_in_schema=False)
def linker_page(request: Request):
    return templates.TemplateResponse(request, "link.html", {"text": "", "result": None, "error": None})


def _link_for_page(lib: Library, text: str | None, path: Path | None, filename: str | None,
                   settings: Settings, portable_href: str) -> dict:
    """lib.link of the pasted text or the uploaded file, with what the linker page shows."""
    if path is not None:
        text = upload_text(path, filename, settings)
    result = lib.link(text)
    result["portable_html"] = linked_html(result["text"], result["citations"], href=portable_href)
    result["page_html"] = linked_html(result["text"], result["citations"], href=DOC_URL)
    result["resolved"] = [c for c in result["citations"] if c["resolves_to"]]
    result["ambiguous"] = [c for c in result["citations"] if c.get("status") == "ambiguous"]
    result["mismatch"] = [c for c in result["citations"] if c.get("status") == "mismatch"]
    result["unresolved"] = [c for c in result["citations"]
                            if not c["resolves_to"] and c.get("status") not in ("ambiguous", "mismatch")]
    for name in ("unresolved", "mismatch", "ambiguous"):  # the lists under the text: each document once
        result[f"{name}_groups"] = cited_once(result[name])
    return result


def cited_once(citations: list[dict]) -> list[dict]:
    """Citations of one document (`library.by_document`, as the API's `missing_documents`) as one
    entry {"c": the fullest, "count": how many}: a report that cites 98765/KH-UBND three times,
    once with its issuer, lacks one document, listed once."""
    return [{"c": fullest(cits), "count": len(cits)} for cits in by_document(citations)]


@router.post("/lien-ket", response_class=HTMLResponse, include_in_schema=False)
async def linker_submit(request: Request, lib: Library = Depends(get_library),
                        settings: Settings = Depends(get_settings)):
    text, filename, result, error, status = "", None, None, None, 200
    try:
        pasted, path, filename = await _form_input(request, settings)
        try:  # extraction and linking are CPU work: a worker thread, so searches are not held up
            result = await run_in_threadpool(_link_for_page, lib, pasted, path, filename, settings,
                                             absolute_template(request))
        finally:
            if path is not None:
                path.unlink(missing_ok=True)
        text = result["text"]
    except VanthuError as exc:
        error, status = vietnamese_only(str(exc)), exc.status
    ctx = {"text": text, "filename": filename, "result": result, "error": error}
    # rendering thousands of citations is CPU work too
    return await run_in_threadpool(templates.TemplateResponse, request, "link.html", ctx, status_code=status)


def from_browser(request: Request) -> bool:
    """A browser's form navigation (it asks for HTML, or says it loads a page), not an API call."""
    return "text/html" in request.headers.get("accept", "") or request.headers.get("sec-fetch-dest") == "document"


async def _linked_docx(request: Request, lib: Library, settings: Settings):
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        raise QueryError("Gửi biểu mẫu multipart có trường 'file' hoặc 'text'. (Send a multipart form with file or text.)")
    text, path, filename = await _form_input(request, settings)
    href = absolute_href(request)
    limits = Limits(ocr=settings.ocr, ocr_max_pages=settings.ocr_max_pages)
    try:  # CPU work (reading, linking, writing the .docx): a worker thread
        if path is not None:
            return await run_in_threadpool(link_file, path, lib.link, href, limits), filename
        return await run_in_threadpool(text_docx, text, lib.link, href), filename
    except ExtractionError as exc:
        raise renamed(exc, filename) from exc
    finally:
        if path is not None:
            path.unlink(missing_ok=True)


@router.post(
    "/lien-ket/docx",
    response_class=Response,
    summary="Tải .docx có liên kết (a .docx whose resolved citations are hyperlinks)",
    responses={200: {"content": {DOCX_MIME: {}}, "description": "the linked .docx"},
               400: {"description": "no text and no file"}},
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object",
        "properties": {"text": {"type": "string"}, "file": {"type": "string", "format": "binary"}},
    }}}}},
)
async def linker_docx(request: Request, lib: Library = Depends(get_library),
                      settings: Settings = Depends(get_settings)):
    """Multipart `file` (.docx keeps its formatting; .pdf/.txt/… become plain paragraphs) or `text`."""
    try:
        linked, filename = await _linked_docx(request, lib, settings)
    except VanthuError as exc:
        if not from_browser(request):
            raise  # API callers get {"detail": …}
        ctx = {"text": "", "filename": None, "result": None, "error": vietnamese_only(str(exc))}
        return templates.TemplateResponse(request, "link.html", ctx, status_code=exc.status)
    stem = Path(filename).stem if filename else "van-ban"
    headers = {
        "Content-Disposition": content_disposition(f"{stem}-lien-ket.docx"),
        "X-Vanthu-Linked": str(linked.linked),
        "X-Vanthu-Unresolved": str(linked.unresolved),
    }
    return Response(linked.data, media_type=DOCX_MIME, headers=headers)


# --- admin upload -----------------------------------------------------------------------------


@router.get("/tai-len", response_class=HTMLResponse, include_in_schema=False)
def upload_page(request: Request, settings: Settings = Depends(get_settings)):
    return templates.TemplateResponse(
        request, "upload.html", {"enabled": bool(settings.admin_token), "max_mb": settings.max_upload_mb}
    )
