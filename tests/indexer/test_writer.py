"""indexer/writer.py writes the same index as Whoosh's own SegmentWriter.

Both writers index the same documents (the demo archive through our pipeline, and a
multi-segment merge); every term's postings (document, weight, value), every field length,
the stored fields and the sortable columns must be equal.
"""

from __future__ import annotations

import numpy as np
from whoosh import index as windex
from whoosh.analysis import RegexTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from indexer.pipeline import analyze, index_fields, read_document
from indexer.extract import Limits
from indexer.schema import build_schema
from indexer.store import file_sha256
from indexer.writer import FastSegmentWriter, TermPool


def snapshot(ix) -> dict:
    """Everything a reader can see of an index, in comparable form."""
    out = {}
    with ix.reader() as r:
        out["docs"] = r.doc_count_all()
        out["stored"] = [r.stored_fields(d) for d in range(r.doc_count_all())]
        for fieldname in ix.schema.names():
            field = ix.schema[fieldname]
            if not field.indexed:
                continue
            terms = {}
            for t in r.lexicon(fieldname):
                m = r.postings(fieldname, t)
                post = []
                while m.is_active():
                    post.append((m.id(), m.weight(), m.value()))
                    m.next()
                terms[t] = post
            out[f"terms:{fieldname}"] = terms
            if field.scorable:
                out[f"len:{fieldname}"] = [r.doc_field_length(d, fieldname) for d in range(r.doc_count_all())]
            if field.column_type is not None:
                col = r.column_reader(fieldname)
                out[f"col:{fieldname}"] = [col[d] for d in range(r.doc_count_all())]
    return out


def write(path, schema, batches, writer_class, optimize=False):
    ix = FileStorage(str(path)).create().create_index(schema)
    for k, docs in enumerate(batches):
        w = writer_class(ix)
        for doc in docs:
            w.add_document(**doc)
        w.commit(merge=False, optimize=optimize and k == len(batches) - 1)
    return windex.open_dir(str(path))


def test_demo_archive_indexes_identically(tmp_path, demo_archive):
    docs = []
    for p in sorted(demo_archive.rglob("*"))[:60]:
        if p.is_file() and p.suffix in (".txt", ".docx", ".html", ".pdf"):
            rec = read_document(p, source=p.name, root="r", sha=file_sha256(p), limits=Limits())
            docs.append(index_fields(rec, analyze(rec)))
    assert len(docs) > 30
    ours = snapshot(write(tmp_path / "ours", build_schema(), [docs], FastSegmentWriter))
    theirs = snapshot(write(tmp_path / "whoosh", build_schema(), [docs], SegmentWriter))
    assert ours.keys() == theirs.keys()
    for key in theirs:
        assert ours[key] == theirs[key], key
    assert len(ours["terms:body_bi"]) > 1000


def test_merging_segments_gives_the_same_index(tmp_path):
    """Segments merged into one (an optimizing commit): postings arrive from several readers
    and the new documents; the pool must still hand them over in document order."""
    schema = Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=RegexTokenizer(r"\w+"), phrase=False),
                    tags=KEYWORD(scorable=True), year=NUMERIC(stored=True, sortable=True, signed=False, bits=32))
    rng = np.random.default_rng(5)
    words = ["thi", "dua", "khen", "thuong", "ke", "hoach", "bao", "cao"]
    batches = [[{"id": f"{b}-{i}", "body": " ".join(rng.choice(words, size=int(rng.integers(1, 30)))),
                 "tags": str(rng.choice(words)), "year": int(2015 + i % 6)} for i in range(40)] for b in range(4)]
    ours = write(tmp_path / "ours", schema, batches, FastSegmentWriter, optimize=True)
    theirs = write(tmp_path / "whoosh", schema, batches, SegmentWriter, optimize=True)
    assert len(theirs._segments()) == len(ours._segments()) == 1  # merged
    assert snapshot(ours) == snapshot(theirs)


def test_pool_orders_postings_like_a_sort():
    pool = TermPool()
    items = [("b", b"x", 3, 1.0, b"\x01"), ("a", b"y", 0, 2.0, None), ("b", b"x", 1, 1.0, b"\x01"),
             ("a", b"x", 2, 1.5, b"\x02"), ("b", b"a", 5, 1.0, b"\x01")]
    for it in items:
        pool.add(it)
    assert list(pool.iter_postings()) == sorted(items, key=lambda t: t[:3])
    assert pool.fieldnames == {"a", "b"}
    pool.cleanup()
    assert list(pool.iter_postings()) == []


def test_a_full_pool_commits_a_checkpoint_and_the_run_goes_on(tmp_path, demo_archive, monkeypatch):
    """`vanthu index` bounds the pool: past MAX_POOL_POSTINGS it commits and carries on with a
    new writer. The index then has several segments and answers like a one-commit run."""
    from indexer import writer as writer_module
    from indexer.index import open_index
    from indexer.library import Library
    from indexer.pipeline import index_path
    from indexer.search import SearchParams

    one = index_path(demo_archive, tmp_path / "one", workers=1, limits=Limits(ocr=False))
    monkeypatch.setattr(writer_module, "MAX_POOL_POSTINGS", 5_000)
    many = index_path(demo_archive, tmp_path / "many", workers=1, limits=Limits(ocr=False))
    assert many.added == one.added > 30 and not many.skipped
    assert len(open_index(tmp_path / "many")._segments()) > 3 > len(open_index(tmp_path / "one")._segments())
    for q in ("thi đua", "ke hoach", "quyết định khen thưởng"):
        a = Library(tmp_path / "one").search(SearchParams(q=q, limit=100))
        b = Library(tmp_path / "many").search(SearchParams(q=q, limit=100))
        assert a["total"] == b["total"] > 0
        assert {h["id"] for h in a["hits"]} == {h["id"] for h in b["hits"]}
