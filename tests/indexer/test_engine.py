"""The NumPy evaluator gives Whoosh's own answers: same documents, same scores, same facets.

Whoosh's `Searcher.search` on the same index is the reference; the queries are the ones
`search.build_query` makes from what staff type, plus the Whoosh classes the engine handles
(and ones it does not, a Wildcard and a range, which go through Whoosh's matcher).
"""

from __future__ import annotations

import numpy as np
import pytest
from whoosh import query as Q
from whoosh import sorting
from whoosh.analysis import RegexTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from indexer.engine import Engine, clear_caches, engine
from indexer.querylang import parse
from indexer.search import build_query, combined_filter, param_filters, SearchParams, weighting

QUERIES = [
    "thi đua",
    "khen thưởng",
    "thi dua khen thuong",
    "kế hoạch thi đua đặc biệt",
    '"khen thưởng đột xuất"',
    "bằng khen OR giấy khen",
    "thi đua -huyện",
    "phòng chống dịch bệnh",
    "ke hoach",
    "tổng kết phong trào thi đua năm",
    "1460/KH-UBND",
    "qd 15 ubnd",
    "loai:KH thi đua",
    "nam:2019..2021 khen",
    "",
]


def whoosh_answer(searcher, query, flt):
    res = searcher.search(query, limit=None, filter=flt, terms=False)
    return {hit.docnum: hit.score for hit in res}


def engine_answer(searcher, query, flt):
    m = engine(searcher).run(query, flt)
    return dict(zip(m.docnums.tolist(), m.scores.tolist()))


def built(q: str, searcher, **params):
    pq = parse(q)
    return build_query(pq), combined_filter(searcher, pq.filters, param_filters(SearchParams(q=q, **params)))


@pytest.mark.parametrize("q", QUERIES)
def test_same_documents_and_scores_as_whoosh(library, q):
    s = library.searcher()
    query, flt = built(q, s)
    ours, theirs = engine_answer(s, query, flt), whoosh_answer(s, query, flt)
    assert set(ours) == set(theirs)
    for d, score in theirs.items():
        assert ours[d] == pytest.approx(score, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("q", ["thi đua", "khen thưởng năm 2019", ""])
def test_top_hits_and_facets_as_whoosh(library, q):
    s = library.searcher()
    query, flt = built(q, s, type="Kế hoạch" if not q else None)
    eng = engine(s)
    m = eng.run(query, flt)
    facets = {n: sorting.FieldFacet(n, maptype=sorting.Count) for n in ("type", "issuer", "year")}
    res = s.search(query, limit=10, filter=flt, groupedby=facets, terms=False)
    assert [d for d, _ in eng.top(m, 0, 10)] == [h.docnum for h in res][:10]
    assert len(m) == len(res)
    for name, counts in eng.facets(m, ("type", "issuer", "year")).items():
        whoosh_counts = {str(k): v for k, v in res.groups(name).items() if k not in (None, "")}
        assert counts == whoosh_counts
    # second page: hits 5-9 of Whoosh's exhaustive ranking. (Whoosh's own `search_page` skips
    # posting blocks by an estimated "quality" and, with AndMaybe, can miss the best document:
    # on this index its page 1 of "thi đua" leaves out the top hit.)
    full = s.search(query, limit=None, filter=flt, terms=False)
    assert [d for d, _ in eng.top(m, 5, 5)] == [h.docnum for h in full][5:10]


@pytest.mark.parametrize("reverse", [True, False])
def test_sorted_by_date_as_whoosh(library, reverse):
    s = library.searcher()
    query, flt = built("thi đua", s)
    eng = engine(s)
    ours = [d for d, _ in eng.sorted_by(eng.run(query, flt), "date", 0, 20, reverse)]
    theirs = s.search(query, limit=20, filter=flt, sortedby=sorting.FieldFacet("date", reverse=reverse))
    dates = lambda docs: [s.stored_fields(d)["meta"].get("date") or "" for d in docs]  # noqa: E731
    assert dates(ours) == dates([h.docnum for h in theirs])


def test_wildcard_and_range_fall_back_to_whoosh(library):
    s = library.searcher()
    for q in (Q.Or([Q.Wildcard("body_fold", "khen*"), Q.Term("body", "thi_đua")]),
              Q.And([Q.NumericRange("year", 2018, 2020), Q.Term("body_fold", "khen")]),
              Q.And([Q.ConstantScoreQuery(Q.Term("body_fold", "thi"), 2.5), Q.Term("body_fold", "khen")])):
        ours, theirs = engine_answer(s, q, None), whoosh_answer(s, q, None)
        assert set(ours) == set(theirs) and len(ours) > 0
        assert all(ours[d] == pytest.approx(v, rel=1e-6) for d, v in theirs.items())


def test_several_segments_and_deletions(tmp_path):
    """An index with three segments and deleted documents: global numbers, live documents only."""
    clear_caches()
    schema = Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=RegexTokenizer(r"\w+"), phrase=False),
                    tags=KEYWORD(scorable=True), type=ID(stored=True, sortable=True),
                    year=NUMERIC(stored=True, sortable=True, signed=False, bits=32))
    ix = FileStorage(str(tmp_path)).create().create_index(schema)
    words = ["thi", "dua", "khen", "thuong", "ke", "hoach"]
    rng = np.random.default_rng(3)
    n = 0
    for batch in range(3):
        with ix.writer() as w:
            for _ in range(300):
                body = " ".join(rng.choice(words, size=int(rng.integers(1, 40))))
                w.add_document(id=str(n), body=body, tags=rng.choice(words), type=["KH", "BC"][n % 2], year=2015 + n % 5)
                n += 1
        if batch == 1:
            with ix.writer() as w:
                for d in range(0, 600, 7):
                    w.delete_by_term("id", str(d))
    with ix.searcher(weighting=weighting()) as s:
        assert len(s.leaf_searchers()) > 1
        eng = Engine(s)
        for q in (Q.Term("body", "khen"), Q.And([Q.Term("body", "thi"), Q.Term("body", "dua", boost=2.0)]),
                  Q.AndMaybe(Q.Term("body", "ke"), Q.Term("tags", "hoach")), Q.AndNot(Q.Every(), Q.Term("body", "thi")),
                  Q.Or([Q.Term("body", "thuong")], boost=3.0), Q.Or([Q.Term("body", "thuong"), Q.Term("tags", "ke")], boost=3.0)):
            m = eng.run(q)
            theirs = {h.docnum: h.score for h in s.search(q, limit=None)}
            assert dict(zip(m.docnums.tolist(), m.scores.tolist())) == pytest.approx(theirs)
            deleted = {s.document_number(id=str(d)) for d in range(0, 600, 7)} - {None}
            assert not deleted & set(m.docnums.tolist())
        m = eng.run(Q.Every(), Q.NumericRange("year", 2016, 2017))
        assert eng.facets(m, ["year"])["year"] == {
            str(k): v for k, v in s.search(Q.Every(), filter=Q.NumericRange("year", 2016, 2017), limit=None,
                                           groupedby={"year": sorting.FieldFacet("year", maptype=sorting.Count)}).groups("year").items()}


def test_an_empty_index_answers_nothing_without_error(tmp_path):
    from indexer.index import open_index
    from indexer.library import Library

    open_index(tmp_path, create=True)  # what a new data dir has before the first file
    lib = Library(tmp_path)
    r = lib.search(SearchParams(q="thi đua loai:KH nam:2019"))
    assert r["total"] == 0 and r["hits"] == [] and r["facets"] == {"type": {}, "issuer": {}, "year": {}}
    assert lib.list_documents()["total"] == 0
    lib.close()


def test_another_weighting_model_is_scored_by_whoosh(demo_data):
    from whoosh import scoring as wscoring

    from indexer.index import open_index

    with open_index(demo_data).searcher(weighting=wscoring.TF_IDF()) as s:
        q = Q.Or([Q.Term("body", "thi_đua"), Q.Term("body_fold", "khen", boost=2.0)])
        m = Engine(s).run(q)
        ours = dict(zip(m.docnums.tolist(), m.scores.tolist()))
        theirs = {h.docnum: h.score for h in s.search(q, limit=None)}
        assert ours and ours.keys() == theirs.keys() and ours == pytest.approx(theirs)


def test_warm_loads_the_per_segment_arrays(library, tmp_path):
    from indexer import engine as eng_mod
    from indexer.library import Library

    clear_caches()
    assert not eng_mod._PERDOC.items
    assert library.warm() is True
    keys = {k[1:] for k in eng_mod._PERDOC.items}
    assert {("len", "body"), ("len", "body_bi"), ("col", "type"), ("col", "date")} <= keys
    assert Library(tmp_path / "none").warm() is False  # no index yet: nothing to warm, no error


def test_long_posting_lists_in_large_blocks(tmp_path):
    """Our writer stores a posting list in blocks of BLOCK_POSTINGS (Whoosh: 128), and the
    engine reads every block of it: same documents and scores as Whoosh's own matcher."""
    from indexer.index import new_writer
    from indexer.writer import BLOCK_POSTINGS

    clear_caches()
    schema = Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=RegexTokenizer(r"\w+"), phrase=False))
    ix = FileStorage(str(tmp_path)).create().create_index(schema)
    rng = np.random.default_rng(11)
    n = 2 * BLOCK_POSTINGS + 552
    w = new_writer(ix)
    for i in range(n):
        w.add_document(id=str(i), body="thi " + " ".join(rng.choice(["dua", "khen", "thuong"], size=int(rng.integers(0, 9)))))
    w.commit()
    with ix.searcher(weighting=weighting()) as s:
        m = s.reader().postings("body", "thi")
        blocks = []
        while not m._atend:
            blocks.append(m._blocklength)
            m._next_block()
        assert blocks == [BLOCK_POSTINGS, BLOCK_POSTINGS, 552]
        for q in (Q.Term("body", "thi"), Q.And([Q.Term("body", "thi"), Q.Term("body", "khen")]),
                  Q.Or([Q.Term("body", "dua"), Q.Term("body", "thuong", boost=2.0)])):
            ours = Engine(s).run(q)
            theirs = {h.docnum: h.score for h in s.search(q, limit=None)}
            assert len(theirs) > BLOCK_POSTINGS
            assert dict(zip(ours.docnums.tolist(), ours.scores.tolist())) == pytest.approx(theirs)
