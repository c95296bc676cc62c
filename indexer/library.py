"""The archive as the CLI and the service see it: search, documents, links, similar.

One `Library` per data dir. Searchers are per thread (Whoosh readers share file handles)
and reopened — never refreshed — when the live generation changes or a commit lands.
"""

from __future__ import annotations

import html
import math
import re
import threading
import unicodedata
from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path

from whoosh import query as Q

from indexer.abbreviations import expand as expand_initials
from indexer.campaigns import campaign_key, same_campaign
from indexer.citations import citation_key, find_citations, resolution
from indexer.engine import engine
from indexer.errors import NotFound, NumberNotArchived, QueryError, VanthuError, echoed
from indexer.highlight import Terms, snippet
from indexer.index import current_generation, open_index
from indexer.metadata import copy_key, primary_copy
from indexer.models import Citation
from indexer.normalize import fold, folded_key, normalize_text, shown_as_typed
from indexer.numbers import canonical_number, find_numbers_in_query, loose_key, written_number
from indexer.querylang import parse
from indexer.schema import TEXT_FIELDS, keyword
from indexer.search import FACETS, NUMBER_LABEL, SearchParams, numbered, search_with_fallbacks, weighting
from indexer.store import Archive, valid_id
from indexer.suggest import suggest


SUMMARY_FIELDS = ("id", "source", "number", "type", "issuer", "date", "title")
CITATION_FIELDS = ("start", "end", "surface", "number", "type", "date", "issuer", "name", "year")
TARGET_FIELDS = ("id", "source", "number", "title")  # resolves_to
CANDIDATE_FIELDS = ("id", "source", "number", "type", "issuer", "date", "title")  # what an ambiguous citation may mean
MAX_LINK_CHARS = 2_000_000


class Library:
    def __init__(self, data: Path):
        self.data = Path(data)
        self.archive = Archive(self.data)
        self._local = threading.local()

    # searchers ---------------------------------------------------------------
    def searcher(self):
        """This thread's searcher on the live index, reopened when the index changed."""
        gen = current_generation(self.data)
        cached = getattr(self._local, "entry", None)
        if cached is not None:
            cgen, searcher = cached
            if cgen == gen and searcher.up_to_date():
                return searcher
            searcher.close()
            self._local.entry = None
        ix = open_index(self.data)
        searcher = ix.searcher(weighting=weighting())
        self._local.entry = (gen, searcher)
        return searcher

    def close(self) -> None:
        cached = getattr(self._local, "entry", None)
        if cached is not None:
            cached[1].close()
            self._local.entry = None

    def _record_or_none(self, id_: str) -> dict | None:
        try:
            return self.archive.load_record(id_)
        except NotFound:
            return None

    # search ------------------------------------------------------------------
    def search(self, params: SearchParams) -> dict:
        """Hits, facets and, when not every word matched, a `suggestion` that would match. When no
        document holds every word typed and the suggestion's words are all in some document (a
        typo: "ke hoahc thi dua"), the hits are the suggestion's (`corrected`: the query searched),
        unless `params.as_typed`: the words typed rarely find better than "thiết kế … thi công".
        Initials that the archive's documents define are asked with their name too (`expanded`:
        "pccc" → "phòng cháy chữa cháy", `abbreviations`)."""
        asked, expanded = self._expanded(params.q)
        result = search_with_fallbacks(self.searcher(), replace(params, q=asked), self._record_or_none)
        result.update(query=shown_as_typed(params.q), expanded=expanded)
        result["suggestion"] = result["corrected"] = None
        alternatives = len(parse(params.q).alternatives) > 1  # one side of an OR may match nothing, unseen
        if (result["total"] == 0 or result["relaxed"] or alternatives) and params.q.strip():
            better = suggest(self.searcher(), params.q)
            # every word of the correction in some document, asked as the search asks it (two
            # syllables apart when nowhere side by side under these filters), never relaxed
            if better and search_with_fallbacks(self.searcher(), replace(params, q=better, limit=1, all_words=True, most_words=False),
                                                self._record_or_none)["total"]:
                if params.as_typed or result.get("complete") or names_changed(params.q, better) or (
                        alternatives and result["total"] and not result["relaxed"]):  # the other side found documents: offered
                    result["suggestion"] = better
                else:
                    result = search_with_fallbacks(self.searcher(), replace(params, q=better), self._record_or_none)
                    result.update(query=shown_as_typed(params.q), suggestion=None, corrected=better)
        result["number_not_archived"] = self.unarchived_number(params.q)
        result.setdefault("expanded", {})  # a correction searched is searched as corrected
        return result

    def _expanded(self, q: str) -> tuple[str, dict[str, str]]:
        if not q.strip():
            return q, {}
        asked, expanded = expand_initials(self.searcher(), self._record_or_none, q)
        try:
            parse(asked)
        except QueryError:  # more alternatives than a query may have: the initials as typed
            return q, {}
        return asked, expanded

    def unarchived_number(self, q: str) -> str | None:
        """The number, as staff write it, when the query is one number that no archived document
        has: the hits only cite it. A full number ("1105/KH-SNV", "số 1105/kh-snv", "Kế hoạch số
        1105/KH-SNV"), or a loose one with its serial and a code (`kh 1105 snv`, `KH 1105`,
        `nghị định 91`: no document numbered with those parts; as typed)."""
        found = find_numbers_in_query(q)
        if len(found) != 1:
            return None
        n = found[0]
        before = q[: n.start]
        label = NUMBER_LABEL.search(fold(before).lower())  # "số", "Kế hoạch số"
        if re.sub(r"[\W_]", "", (before[: label.start()] if label else before) + q[n.end:]):
            return None  # other words asked too
        if n.key:
            if self._newest_first(Q.Term("keys", keyword(n.key)), 1):
                return None
            return canonical_number(q[n.start:n.end]) or q[n.start:n.end]
        if not n.seq or not (n.code or n.issuer_code) or self._newest_first(Q.And(numbered(n)), 1):
            return None
        return " ".join(w for w in q[n.start:n.end].split() if fold(w).lower().rstrip(":.") != "so")  # as typed, less "số"

    def warm(self) -> bool:
        """Load what the first search would (field lengths, facet columns) — about 1 s at
        100 000 documents; the service runs it in the background at start. False when there
        is no usable index yet."""
        try:
            engine(self.searcher()).warm([f for f, boost in TEXT_FIELDS.items() if boost], (*FACETS, "date"))
        except VanthuError:
            return False
        finally:
            self.close()  # this thread's searcher; the arrays stay in the shared cache
        return True

    def count(self) -> int:
        return self.searcher().doc_count()

    # documents ---------------------------------------------------------------
    def resolve_id(self, id_or_number: str) -> str:
        """An id as given, or the id of the document with that number."""
        value = (id_or_number or "").strip()
        if valid_id(value) and self.archive.has_record(value):
            return value
        # a number in a URL has dashes for its slashes: "91-2017-NĐ-CP" is 91/2017/NĐ-CP
        key = (loose_key(value) or loose_key(re.sub(r"^(\d+)-((?:19|20)\d{2})-", r"\1/\2/", value))) if value else None
        if key:
            newest = [self.summary(f) for f in self._newest_first(Q.Term("keys", keyword(key)), 10)]
            if newest:  # the newest; of a document archived twice, the copy citations link to
                copies = [d for d in newest if copy_key(d) == copy_key(newest[0])]
                return (primary_copy(copies) or newest[0])["id"]
        if key:
            number = written_number(value) or echoed(value)
            raise NumberNotArchived(
                f"Không tìm thấy văn bản số {number} trong kho. Tìm các văn bản dẫn chiếu số này: vanthu search {number!r} "
                f"(hoặc ô tìm kiếm). (No archived document has the number {number!r}.)", number)
        raise NotFound(
            f"Không tìm thấy văn bản {echoed(value)!r}: hãy dùng id (16 ký tự) hoặc số/ký hiệu, ví dụ 1460/KH-UBND. "
            f"(No document with id or number {echoed(value)!r}.)"
        )

    def _newest_first(self, query: Q.Query, limit: int) -> list[dict]:
        """Stored fields of the documents matching `query`, newest first and undated last (the
        engine's date sort, as search uses: Whoosh's sortedby the date column raises on a
        document without a date)."""
        s = self.searcher()
        eng = engine(s)
        return [s.stored_fields(d) for d, _ in eng.page(eng.run(query), 1, limit, sort_field="date", reverse=True)]

    def summary(self, fields: dict) -> dict:
        meta = fields.get("meta") or {}
        return {"id": fields["id"], **{k: meta.get(k) for k in SUMMARY_FIELDS if k != "id"}}

    def candidates(self, key: str) -> list[dict]:
        hits = self.searcher().search(Q.Term("keys", keyword(key)), limit=50)
        return [self.summary(h.fields()) for h in hits]

    def same_number(self, doc: dict) -> list[dict]:
        """The archived documents with `doc`'s number (itself included), newest first: a number
        is reused across years and issuers' registers, and /van-ban/55/KH-UBND opens the newest."""
        key = loose_key(doc.get("number"))
        return [self.summary(f) for f in self._newest_first(Q.Term("keys", keyword(key)), 50)] if key else []

    def resolve_citations(self, citations: list[dict], *, before: str | None = None,
                          home: str | None = None) -> list[dict]:
        """Each citation with `resolves_to` (None unless one document fits), `status` and `candidates`
        (the documents an ambiguous or contradicted citation could mean); `before` = the citing date.

        Each distinct citation (key, number, date, issuer) is looked up and resolved once: a long text
        repeats the same few citations."""
        out, found, resolved = [], {}, {}
        for c in citations:
            key = c.get("key")
            fields = {k: c.get(k) for k in CITATION_FIELDS}
            if key:
                if key not in found:
                    found[key] = self.candidates(key)
                sig = (key, c.get("number"), c.get("date"), c.get("year"), c.get("issuer"), c.get("name"))
                if sig not in resolved:
                    r = resolution(Citation(**fields), found[key], before=before, home=home)
                    resolved[sig] = (
                        r.status,
                        {k: r.target.get(k) for k in TARGET_FIELDS} if r.target else None,
                        [{k: d.get(k) for k in CANDIDATE_FIELDS} for d in r.candidates],
                    )
                status, target, cands = resolved[sig]
            else:
                status, target, cands = "missing", None, []
            # copies: the same resolution is shared by every repeat of a citation
            out.append({**fields, "resolves_to": dict(target) if target else None, "status": status,
                        "candidates": [dict(d) for d in cands]})
        return same_as_written_before(out, [c.get("key") for c in citations])

    def cited_by(self, record: dict) -> list[dict]:
        keys = [k for k in (record.get("number_key"), record.get("name_key")) if k]
        if not keys:
            return []
        hits = self._newest_first(Q.Or([Q.Term("cites", keyword(k)) for k in keys]), 500)
        out = []
        for h in hits:
            if h["id"] == record["id"]:
                continue
            other = self._record_or_none(h["id"])
            if other is None:
                continue
            mine = [c for c in other["citations"] if c.get("key") in keys]
            resolved = self.resolve_citations(mine, before=other.get("date"), home=other.get("issuer"))
            if any((r["resolves_to"] or {}).get("id") == record["id"] for r in resolved):
                meta = h["meta"]
                out.append({"id": h["id"], "source": meta.get("source"), "number": meta.get("number"),
                            "title": meta.get("title"), "type": meta.get("type"), "date": meta.get("date"),
                            "issuer": meta.get("issuer")})
        return out

    def document(self, id_or_number: str) -> dict:
        id_ = self.resolve_id(id_or_number)
        record = self.archive.load_record(id_)
        return {
            **_meta(record),
            "text": record["text"],
            "sections": record.get("sections") or [],
            "citations": self.resolve_citations(record.get("citations") or [], before=record.get("date"),
                                                home=record.get("issuer")),
            "cited_by": self.cited_by(record),
            "copy_of": self.copy_of(record),
        }

    def copy_of(self, record: dict) -> str | None:
        """The id of the copy citations link to, when this document is another copy of it (the same
        number, date, issuer and title archived twice: `primary_copy`); None for the one they link to."""
        if not record.get("number"):
            return None
        mine = copy_key(record)
        copies = [d for d in self.same_number(record) if copy_key(d) == mine]
        primary = primary_copy(copies) if len(copies) > 1 else None
        return primary["id"] if primary and primary["id"] != record["id"] else None

    def metadata(self, id_or_number: str) -> dict:
        """A document's metadata and counts, without its text, sections or citations (what an
        upload answers: the same small object however long the document)."""
        record = self.archive.load_record(self.resolve_id(id_or_number))
        return {
            **_meta(record),
            "text_length": len(record["text"]),
            "section_count": len(record.get("sections") or []),
            "citation_count": len(record.get("citations") or []),
            "url": f"/van-ban/{record['id']}",
        }

    def full_text(self, id_or_number: str) -> tuple[str, str]:
        """(the extracted text, a .txt file name for it: the original's name, or the id)."""
        record = self.archive.load_record(self.resolve_id(id_or_number))
        stem = Path(record.get("filename") or record["id"]).stem or record["id"]
        return record["text"], f"{stem}.txt"

    def original(self, id_: str) -> tuple[Path, str]:
        """(path of the archived original, its file name as received)."""
        record = self.archive.load_record(id_)
        path = self.archive.original_path(record["sha"], record["suffix"])
        if not path.exists():
            raise NotFound(f"The original of {id_} is missing from the archive: re-add the file.")
        return path, record.get("filename") or f"{id_}{record['suffix']}"

    def list_documents(self, source: str | None = None, page: int = 1, limit: int = 20) -> dict:
        if not 1 <= limit <= 100 or not 1 <= page <= 10_000:
            raise QueryError("limit phải từ 1 đến 100 và page từ 1. (limit 1–100, page ≥ 1.)")
        q = Q.Term("source", unicodedata.normalize("NFC", source)) if source else Q.Every()  # a Mac sends NFD
        s = self.searcher()
        eng = engine(s)
        found = eng.run(q)
        page_docs = eng.page(found, page, limit, sort_field="date", reverse=True)
        return {"total": len(found), "documents": [self.summary(s.stored_fields(d)) for d, _ in page_docs]}

    def similar(self, id_or_number: str, limit: int = 10) -> dict:
        """Precedents first (same type and issuer, other years), then by content.

        Among the precedents, those titled like this document (the same campaign's plan of
        another year, `by_nearest_year`) come first, nearest year first and, at equal distance,
        the earlier (last year's plan before next year's); then the issuer's other documents of
        that type by content."""
        if not 1 <= limit <= 50:
            raise QueryError("limit phải từ 1 đến 50. (limit must be 1–50.)")
        id_ = self.resolve_id(id_or_number)
        record = self.archive.load_record(id_)
        s = self.searcher()
        title = record.get("title") or ""
        text = f"{title}\n{title}\n{record['text'][:4000]}"
        docnum = s.document_number(id=id_)
        seen, hits = {id_}, []
        same, rest = [], []
        if docnum is not None:  # Whoosh's more_like (its key terms, as an OR), evaluated by the engine
            kts = key_terms(s, text)
            eng = engine(s)
            like = Q.Or([Q.Term("body_syl", w, boost=wt) for w, wt in kts])
            if record.get("type") and record.get("issuer"):  # precedents: searched among the same type and issuer
                peers = Q.And([Q.Term("type", record["type"]), Q.Term("issuer", record["issuer"])])
                found = eng.top(eng.run(like, peers), 0, max(limit + 1, PEERS))
                same = by_nearest_year([(s.stored_fields(d), score) for d, score in found if d != docnum],
                                       record.get("date"), record.get("title"))
            found = eng.top(eng.run(like), 0, limit * 2 + 1)
            rest = [(s.stored_fields(d), score) for d, score in found if d != docnum]
        terms = Terms([])
        copies = {copy_key(record)} - {None}  # its own copies, and a second copy of a hit, are not "similar"
        for fields, score in same + rest:
            key = copy_key(fields.get("meta") or {})
            if fields["id"] in seen or key in copies:
                continue
            seen.add(fields["id"])
            if key:
                copies.add(key)
            other = self._record_or_none(fields["id"])
            snip = snippet(other["text"], [], terms)[0] if other else ""
            hits.append({**self.summary(fields), "score": round(float(score or 0), 4), "snippet": snip})
            if len(hits) >= limit:
                break
        return {"hits": hits}

    # linking -------------------------------------------------------------------
    def link(self, text: str) -> dict:
        """Citations in a pasted text, resolved against the archive, the text as linked HTML, and the
        citations missing from the archive: the object of POST /api/link and `vanthu link --json`.

        `text` in the result is the normalized text (NFC, modern tone marks, line ends and spaces
        tidied) that every citation's `start`/`end` index."""
        if len(text) > MAX_LINK_CHARS:
            raise QueryError(f"Văn bản quá dài để liên kết (tối đa {MAX_LINK_CHARS:,} ký tự). (Text too long.)")
        text = normalize_text(text)
        keys: dict[tuple, str | None] = {}  # a long text repeats a few numbers: key each once
        found = []
        for c in find_citations(text):
            ident = (c.number, c.name)
            if ident not in keys:
                keys[ident] = citation_key(c)
            found.append({**vars(c), "key": keys[ident]})
        cits = self.resolve_citations(found)
        # `missing`: citations of a document the archive does not hold (none under that number, or
        # only documents the cited date/issuer rules out), each time it is cited: a number, or a law
        # named with its year or date ("Luật Nhà ở năm 2023"); an ambiguous one is not missing
        missing = [c for c in cits if c["status"] in ("missing", "mismatch")
                   and (c.get("number") or (c.get("name") and (c.get("year") or c.get("date"))))]
        # a law named alone that the same text names with its year or date is that document
        # ("Luật Thi đua, Khen thưởng ngày 15/6/2022", then "… của Luật Thi đua, khen thưởng")
        dated = {fold(c["name"]) for c in missing if c.get("name") and not c.get("number")}
        missing = sorted(missing + [c for c in cits if c["status"] == "missing" and c.get("name") and not c.get("number")
                                    and not (c.get("year") or c.get("date")) and fold(c["name"]) in dated],
                         key=lambda c: c["start"])
        return {"text": text, "citations": cits, "html": linked_html(text, cits), "missing": missing,
                "missing_documents": missing_documents(missing)}


KEY_TERMS = 60  # syllables of a document that find documents like it


def key_terms(searcher, text: str) -> list[tuple[str, float]]:
    """The syllables of `text` that say what it is about and that other documents share, by tf·idf
    over the archive: not those of no other document (a chemical's name, found nowhere else, finds
    nothing) nor those of half the archive or more ("của", "quy định"), which Whoosh's own key
    terms favour. Whoosh's key terms when that leaves none (a tiny archive)."""
    n = searcher.doc_count()
    counts: dict[str, int] = {}
    for tok in searcher.schema["body_syl"].analyzer(text):
        counts[tok.text] = counts.get(tok.text, 0) + 1
    weighted = []
    for w, tf in counts.items():
        df = searcher.doc_frequency("body_syl", w)
        if 2 <= df <= n / 2:
            weighted.append((w, (1 + math.log(tf)) * math.log(n / df)))
    weighted.sort(key=lambda x: -x[1])
    if not weighted:
        return searcher.key_terms_from_text("body_syl", text, numterms=KEY_TERMS)
    top = weighted[0][1]
    return [(w, wt / top) for w, wt in weighted[:KEY_TERMS]]


SAME_TITLE = 0.5  # a precedent whose title shares this share of words is the same document of another year
PEERS = 50  # precedents looked at before ordering them by year


def _title_words(title: str | None) -> set[str]:
    """A title's words, folded, without its numbers and years."""
    return set(re.findall(r"[^\W\d_]+", folded_key(title or "")))


def by_nearest_year(peers: list[tuple[dict, float]], day: str | None, title: str | None) -> list[tuple[dict, float]]:
    """(stored fields, content score) of precedents, best first → those of the same series first:
    of the same campaign when the title names one (`campaigns.campaign_key`: the 2019 award
    decision of "Văn hóa công sở" is not a precedent of the "yêu nước" one, whose title is the
    same but for the name), else titled alike (Jaccard of title words ≥ SAME_TITLE). Among them,
    the same title but for its years first ("Tổng kết …" for a Tổng kết, before the year's "Sơ
    kết"), nearest year first, the earlier at equal distance (last year's before next year's);
    then the closer title; then the others by content."""
    mine = _title_words(title)
    if not peers or not day or not mine:
        return peers
    year = int(day[:4])
    key = campaign_key(title)
    close, rest = [], []
    for p in peers:
        theirs_title = (p[0].get("meta") or {}).get("title")
        theirs = _title_words(theirs_title)
        overlap = len(mine & theirs) / len(mine | theirs)
        same = same_campaign(key, theirs_title) if key and key[0] == "campaign" else overlap >= SAME_TITLE
        (close if same else rest).append((p, overlap))

    def order(item: tuple[tuple[dict, float], float]) -> tuple:
        (fields, _), overlap = item
        d = (fields.get("meta") or {}).get("date")
        if not d:
            return (1, 0, 0, False, -overlap)  # undated: after the dated ones
        y = int(d[:4])
        return (0, overlap < 1.0, abs(y - year), y > year, -overlap)

    return [p for p, _ in sorted(close, key=order)] + [p for p, _ in rest]  # stable: ties keep the score order


def names_changed(typed: str, better: str) -> bool:
    """The correction changes a word typed with a capital (a name, "Phạm Văn Khuê"; an acronym,
    "NLĐ", "HĐTĐKT"): the archive lacking a name is no sign of a typo, so it is offered, not
    searched. The first word written as a sentence begins ("Kế hoạh thi đua", as a phone's keyboard
    writes it) is no name unless the next word has a capital too ("Hậu Giangg")."""
    a, b = typed.split(), better.split()

    def named(i: int) -> bool:
        word = a[i]
        if not any(ch.isupper() for ch in word):
            return False
        sentence_case = word[:1].isupper() and not any(ch.isupper() for ch in word[1:])
        return not (i == 0 and sentence_case and not (len(a) > 1 and any(ch.isupper() for ch in a[1])))

    if len(a) == len(b):
        return any(x != y and named(i) for i, (x, y) in enumerate(zip(a, b)))
    # a word split in two ("thiđua" → "thi đua"): the words typed that were replaced
    changes = SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    return any(op != "equal" and any(named(i) for i in range(i1, i2)) for op, i1, i2, _, _ in changes)


def same_as_written_before(cits: list[dict], keys: list[str | None]) -> list[dict]:
    """A bare repeat ("Kế hoạch số 10/KH-SNV", no date, year or issuer) that alone is ambiguous
    means the document the same text cites with its details: when those citations of that number
    all resolve to one document, it does too; when they all name one date the archive does not
    have (`mismatch`), it is that mismatch. The writer gave the details once. `keys`: each
    citation's look-up key."""
    detailed: dict[str, list[dict]] = {}
    for c, key in zip(cits, keys):
        if key and any(c.get(k) for k in ("date", "year", "issuer")):
            detailed.setdefault(key, []).append(c)
    for c, key in zip(cits, keys):
        if c["status"] != "ambiguous" or any(c.get(k) for k in ("date", "year", "issuer")):
            continue
        said = detailed.get(key or "", [])
        ids = {d["resolves_to"]["id"] for d in said if d["resolves_to"]}
        if said and len(ids) == 1 and all(d["resolves_to"] for d in said):
            c["resolves_to"], c["status"], c["candidates"] = dict(said[0]["resolves_to"]), "resolved", []
        elif said and all(d["status"] == "mismatch" for d in said) and len({(d.get("date"), d.get("year")) for d in said}) == 1:
            c["status"], c["candidates"] = "mismatch", [dict(x) for x in said[0]["candidates"]]
    return cits


def by_document(citations: list[dict]) -> list[list[dict]]:
    """Citations grouped by the document they cite, in order of first citation: one number (01460
    = 1460) or law name and one year are one document, and a citation of it without date or year
    joins the dated one ("… 1105/KH-SNV ngày 18/8/2019 …" then "… 1105/KH-SNV …"); the issuer as
    written does not split a group (it is written once in full, then left out)."""
    groups: dict[tuple, list[dict]] = {}
    undated = []
    for c in citations:
        when = (c.get("date") or "")[:4] or (str(c["year"]) if c.get("year") else "")
        ident = loose_key(c["number"]) if c.get("number") else fold(c.get("name") or c.get("surface") or "")
        if when:
            groups.setdefault((ident, when), []).append(c)
        else:
            undated.append((ident, c))
    for ident, c in undated:  # cited once with its date, elsewhere without: one document
        key = next((k for k in groups if k[0] == ident), (ident, ""))
        groups.setdefault(key, []).append(c)
    out = sorted(groups.values(), key=lambda cs: min(c["start"] for c in cs))
    for cits in out:
        cits.sort(key=lambda c: c["start"])
    return out


def fullest(cits: list[dict]) -> dict:
    """Of citations of one document, the one that says most (its date, then its issuer), the first at a tie."""
    return max(cits, key=lambda c: (bool(c.get("date")), bool(c.get("issuer")), -c["start"]))


def missing_documents(missing: list[dict]) -> list[dict]:
    """The documents `missing` cites, each once (`by_document`), in order of first citation: a
    report that cites 1460/KH-UBND three times lacks one document. Its fields are taken from its
    fullest citation, `count` says how often it is cited and `first` where."""
    out = []
    for cits in by_document(missing):
        best = fullest(cits)
        out.append({**{k: best.get(k) for k in ("number", "name", "type", "date", "year", "issuer", "status")},
                    "surface": best["surface"], "count": len(cits), "first": cits[0]["start"]})
    return out


def _meta(record: dict) -> dict:
    """A record's metadata, without its text (service.models.DocumentMeta)."""
    return {
        "id": record["id"],
        "source": record["source"],
        **{k: record.get(k) for k in ("number", "type", "issuer", "date", "title", "signer", "parent_issuer",
                                      "format", "filename", "size")},
        "extraction": record.get("extraction") or {},
        "warnings": record.get("warnings") or [],
    }


_AMBIGUOUS = "Nhiều văn bản trong kho mang số này: chưa xác định được văn bản nào"
_MISMATCH = "Chưa có trong kho lưu trữ (kho có văn bản cùng số nhưng khác ngày hoặc cơ quan ban hành)"


def linked_html(text: str, citations: list[dict], href: str = "/van-ban/{id}") -> str:
    """`text` escaped, each citation an <a> to its document (or marked unresolved / ambiguous)."""
    out, pos = [], 0
    for c in sorted(citations, key=lambda c: c["start"]):
        if c["start"] < pos:
            continue
        out.append(html.escape(text[pos : c["start"]]))
        surface = html.escape(text[c["start"] : c["end"]])
        target = c.get("resolves_to")
        if target:
            url = html.escape(href.format(id=target["id"]))
            title = html.escape(target.get("title") or target.get("number") or "")
            out.append(f'<a class="cite" href="{url}" title="{title}">{surface}</a>')
        elif c.get("status") == "ambiguous":
            out.append(f'<span class="cite unresolved ambiguous" title="{_AMBIGUOUS}">{surface}</span>')
        elif c.get("status") == "mismatch":
            out.append(f'<span class="cite unresolved mismatch" title="{_MISMATCH}">{surface}</span>')
        else:
            out.append(f'<span class="cite unresolved" title="Chưa có trong kho lưu trữ">{surface}</span>')
        pos = c["end"]
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>\n")


__all__ = ["Library", "linked_html", "canonical_number"]
