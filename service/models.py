"""Response models (CONTRACT.md shapes; extra fields are extensions)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class Section(BaseModel):
    title: str
    start: int


class Hit(BaseModel):
    id: str
    source: str | None
    number: str | None
    type: str | None
    issuer: str | None
    date: str | None
    title: str | None
    score: float | None
    snippet: str
    section: Section | None = None
    defines: str | None = None  # the query asks what a term means and this document defines it (the snippet is that clause)
    copy_of: str | None = None  # id of an earlier hit of the page with the same number, date and title


class SearchResponse(BaseModel):
    query: str
    total: int
    page: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    relaxed: bool = False  # (almost) no document had every word: these hits have most of them
    complete: int | None = None  # when relaxed: how many documents have every word (0, 1 or 2)
    broader: bool = False  # a long question that few documents hold in full: most_words=true lists more
    expanded: dict[str, str] = {}  # initials asked with the name the archive defines them for: {"PCCC": "phòng cháy chữa cháy"}
    type_first: str | None = None  # the query began with a type's name ("báo cáo …"): that type ranks first
    suggestion: str | None = None  # "Có phải bạn muốn tìm …": the query with unknown syllables corrected
    corrected: str | None = None  # no document had every word typed: the hits are of this correction
    # the query is a document number no archived document has: these hits cite it
    number_not_archived: str | None = None


class DocumentSummary(BaseModel):
    id: str
    source: str | None
    number: str | None
    type: str | None
    issuer: str | None
    date: str | None
    title: str | None


class DocumentList(BaseModel):
    total: int
    documents: list[DocumentSummary]


class Target(BaseModel):
    id: str
    source: str | None
    number: str | None
    title: str | None


class Candidate(Target):
    type: str | None = None
    issuer: str | None = None
    date: str | None = None


class CitationOut(BaseModel):
    start: int
    end: int
    surface: str
    number: str | None
    type: str | None
    date: str | None
    issuer: str | None
    name: str | None = None
    year: int | None = None  # "… năm 2025" cited without a full date
    resolves_to: Target | None
    # "resolved" | "ambiguous" (several archived documents fit: `candidates`) | "mismatch" (the archive
    # holds the number, but the cited date/issuer rules each one out: `candidates`) | "missing"
    status: Literal["resolved", "ambiguous", "mismatch", "missing"] | None = None
    candidates: list[Candidate] = []


class CitedBy(BaseModel):
    id: str
    number: str | None
    title: str | None
    type: str | None = None
    date: str | None = None
    issuer: str | None = None
    source: str | None = None  # the file, for a citing document without number or title


class SectionFull(BaseModel):
    title: str
    start: int
    end: int
    level: int


class DocumentMeta(DocumentSummary):
    """What a document's record says about it, without its text."""

    signer: str | None
    parent_issuer: str | None = None
    format: str | None = None
    filename: str | None = None
    size: int | None = None
    extraction: dict
    warnings: list[str]


class Document(DocumentMeta):
    text: str
    sections: list[SectionFull]
    citations: list[CitationOut]
    cited_by: list[CitedBy]
    copy_of: str | None = None  # another copy of this document (same number, date, issuer, title): the one citations link to


class SimilarHit(DocumentSummary):
    score: float | None
    snippet: str


class SimilarResponse(BaseModel):
    hits: list[SimilarHit]


class LinkRequest(BaseModel):
    text: str


class MissingDocument(BaseModel):
    """A document cited but not archived, once however often it is cited."""

    number: str | None
    name: str | None = None
    type: str | None
    date: str | None
    year: int | None = None
    issuer: str | None
    status: Literal["missing", "mismatch"]
    surface: str  # its fullest citation
    count: int  # citations of it
    first: int  # where it is first cited (offset in `text`)


class LinkResponse(BaseModel):
    text: str = ""  # the normalized (NFC) text that every citation's start/end index
    citations: list[CitationOut]
    html: str
    missing: list[CitationOut] = []  # each citation of a document not archived ("missing" or "mismatch"); never "ambiguous"
    missing_documents: list[MissingDocument] = []  # the same, one entry per document cited




class UploadResponse(DocumentMeta):
    """The uploaded document's metadata (CONTRACT.md), not its text: a 45 MB file answers as
    small as a one-page one; the text is at `GET /api/documents/{id}`."""

    text_length: int  # characters of extracted text
    section_count: int
    citation_count: int
    url: str  # the document's page, /van-ban/{id}
    duplicate: bool = False


class Health(BaseModel):
    status: str
    documents: int
