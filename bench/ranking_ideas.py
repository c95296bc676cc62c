"""Ranking ideas tried for issue 5 on ALQAC dev only (2022 questions + 2023 train); never
reads the test file. Figures: bench/reports/ranking_ideas.md. None was adopted (no R@10 gain
beyond noise); kept so the attempt can be repeated.

    nice -n 19 .venv/bin/python -m bench.ranking_ideas STEP     # base, prox, prox2, prf, stop, fieldb, fast, final, bk, law, w2v, hard, fuse, lawname, maxp

Reuses bench.ranking's cached indexes, its query (`question_query`) and metrics.
"""

from __future__ import annotations

import json
import math
import pickle
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from whoosh import query as Q

from bench import ranking as R
from indexer import schema, search
from indexer.analysis import folded_bigrams, folded_syllables, words
from indexer.engine import engine
from indexer.normalize import fold, normalize_query

DEPTH1 = 50  # first-stage candidates for re-ranking
OUT = Path("/tmp/vanthu-rank-exp")
OUT.mkdir(exist_ok=True)


# --- data (dev only) -------------------------------------------------------------------


def load_dev():
    passages = {y: R.load_passages(y) for y in ("2022", "2023")}
    ids = {y: {p["id"] for p in ps} for y, ps in passages.items()}
    q22, _ = R.load_questions(R.DATA / "alqac2022" / "question.json", ids["2022"])
    q23, _ = R.load_questions(R.DATA / "alqac2023" / "train.json", ids["2023"])
    ixs = {y: R.build_index(ps) for y, ps in passages.items()}
    return passages, {"2022": q22, "2023": q23}, ixs


# --- first stage ----------------------------------------------------------------------


def first_stage(searcher, query, depth=DEPTH1) -> list[tuple[str, float]]:
    if query is None:
        return []
    eng = engine(searcher)
    return [(searcher.stored_fields(d)["id"], s) for d, s in eng.top(eng.run(query), 0, depth)]


def run_queries(ixs, dev, make_query, weighting=None, depth=DEPTH1):
    """{year: [[(id, score)...] per question]}, and ms per question."""
    out, n, t = {}, 0, time.perf_counter()
    w = weighting or search.weighting()
    for year, qs in dev.items():
        with ixs[year].searcher(weighting=w) as sr:
            out[year] = [first_stage(sr, make_query(q.text, sr), depth) for q in qs]
            n += len(qs)
    return out, 1000 * (time.perf_counter() - t) / n


def default_query(text, sr=None):
    return R.question_query(text)


# --- metrics -------------------------------------------------------------------------


def ids_of(run):
    return {y: [[d for d, _ in r] for r in rs] for y, rs in run.items()}


def evaluate(dev, ranked) -> dict:
    """Per fold + pooled metrics (in %)."""
    m = {y: R.metrics(dev[y], ranked[y]) for y in dev}
    m["pooled"] = R.pooled([(dev[y], ranked[y]) for y in dev])
    return {k: {kk: 100 * vv for kk, vv in v.items()} for k, v in m.items()}


def line(name, m, ms=None):
    cells = []
    for fold_ in ("2022", "2023", "pooled"):
        x = m[fold_]
        cells.append(f"{x['R@1']:.1f} / {x['R@5']:.1f} / {x['R@10']:.1f} / {x['MRR@10']:.1f}")
    lat = f" | {ms:+.1f}" if ms is not None else " | "
    return f"| {name} | " + " | ".join(cells) + lat + " |"


HEAD = ("| variant | ALQAC 2022 (R@1/R@5/R@10/MRR) | 2023 train | pooled | extra ms/q |\n"
        "|---|---|---|---|---|")


def obj(x):  # selection objective: R@10 + MRR@10 (as bench.ranking.better)
    return x["R@10"] + x["MRR@10"]


def cached_base(ixs, dev):
    path = OUT / "base.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    run, ms = run_queries(ixs, dev, default_query)
    path.write_bytes(pickle.dumps((run, ms)))
    return run, ms


def step_base():
    passages, dev, ixs = load_dev()
    run, ms = cached_base(ixs, dev)
    m = evaluate(dev, ids_of(run))
    print(HEAD)
    print(line("default (ours OR + adjacency)", m, ms))
    for y in dev:
        r = ids_of(run)[y]
        print(y, len(dev[y]), "R@20", 100 * R.recall_at(dev[y], r, 20), "R@50", 100 * R.recall_at(dev[y], r, 50))


# --- idea 1: second-stage proximity re-ranker -------------------------------------------


class SyllableStats:
    """Folded-syllable document frequencies of one corpus (for idf weights)."""

    def __init__(self, passages):
        self.n = len(passages)
        self.df = Counter()
        for p in passages:
            self.df.update(set(folded_syllables(p["text"])))

    def idf(self, t):
        n = self.df.get(t, 0)
        return math.log(1 + (self.n - n + 0.5) / (n + 0.5))


def proximity_features(question: str, text: str, idf, windows=(8, 16, 32)) -> list[float]:
    """Features of one passage for one question, all in [0, 1]:
    cov — idf share of the question's distinct folded syllables found in the passage;
    bicov — idf share (mean of the two syllables) of its folded bigrams found;
    win_W — best idf share of distinct question syllables inside any window of W syllables."""
    q = list(dict.fromkeys(folded_syllables(normalize_query(question))))
    if not q:
        return [0.0] * (2 + len(windows))
    w = np.array([idf(t) for t in q])
    total = w.sum() or 1.0
    toks = folded_syllables(text)
    index = {t: i for i, t in enumerate(q)}
    pos = np.array([index.get(t, -1) for t in toks], dtype=np.int64)
    present = np.zeros(len(q), dtype=bool)
    present[pos[pos >= 0]] = True
    cov = w[present].sum() / total
    qb = list(dict.fromkeys(folded_bigrams(normalize_query(question))))
    if qb:
        tb = set(folded_bigrams(text))
        bw = np.array([(idf(b.split("_")[0]) + idf(b.split("_")[1])) / 2 for b in qb])
        bicov = bw[[b in tb for b in qb]].sum() / (bw.sum() or 1.0)
    else:
        bicov = 0.0
    feats = [cov, bicov]
    hit = np.flatnonzero(present)
    n = len(toks)
    for W in windows:
        if not len(hit) or n == 0:
            feats.append(0.0)
            continue
        best = np.zeros(max(n - W + 1, 1))
        for i in hit:  # for each start position, is term i inside [start, start+W)?
            ind = np.zeros(n + 1, dtype=np.int64)
            ind[1:] = np.cumsum(pos == i)
            ends = np.minimum(np.arange(len(best)) + W, n)
            best += w[i] * ((ind[ends] - ind[np.arange(len(best))]) > 0)
        feats.append(best.max() / total)
    return feats


WINDOWS = (8, 16, 32)
FEATS = ("cov", "bicov", *(f"win{W}" for W in WINDOWS))


def feature_table(passages, dev, run, name="feats"):
    """{year: [(ids, s_norm array, feature matrix) per question]}, cached; and ms per question."""
    path = OUT / f"{name}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out, t, n = {}, time.perf_counter(), 0
    for y, qs in dev.items():
        stats = SyllableStats(passages[y])
        text = {p["id"]: p["text"] for p in passages[y]}
        rows = []
        for q, r in zip(qs, run[y]):
            ids = [d for d, _ in r]
            s = np.array([sc for _, sc in r]) if r else np.zeros(0)
            s_norm = s / s[0] if len(s) and s[0] > 0 else s
            F = np.array([proximity_features(q.text, text[d], stats.idf, WINDOWS) for d in ids]).reshape(len(ids), len(FEATS))
            rows.append((ids, s_norm, F))
            n += 1
        out[y] = rows
    ms = 1000 * (time.perf_counter() - t) / n
    path.write_bytes(pickle.dumps((out, ms)))
    return out, ms


def rerank(table, weights: dict) -> dict:
    """Ranked ids per year for final = s_norm + Σ weight·feature."""
    wv = np.array([weights.get(f, 0.0) for f in FEATS])
    out = {}
    for y, rows in table.items():
        out[y] = []
        for ids, s, F in rows:
            if not ids:
                out[y].append([])
                continue
            final = s + F @ wv
            order = np.lexsort((np.arange(len(ids)), -final))
            out[y].append([ids[i] for i in order])
    return out


def grid_weights():
    vals = (0.0, 0.05, 0.1, 0.2, 0.35, 0.5)
    for a in vals:
        for b in vals:
            for W in WINDOWS:
                for c in vals:
                    yield {"cov": a, "bicov": b, f"win{W}": c}


def tune(dev, table, folds) -> tuple[dict, float]:
    """Best weights on `folds` (objective R@10 + MRR@10 pooled over them; ties → smaller weights)."""
    return tune_on(dev, table, folds, grid_weights, with_value=True)


def step_prox():
    passages, dev, ixs = load_dev()
    run, ms = cached_base(ixs, dev)
    table, fms = feature_table(passages, dev, run)
    print(f"features: {fms:.1f} ms/question (50 candidates, tokenizing each passage)")
    print(HEAD)
    print(line("default", evaluate(dev, ids_of(run)), 0))
    print(line("default, top 50 kept in order (sanity)", evaluate(dev, rerank(table, {})), 0))
    for f in FEATS:
        for c in (0.1, 0.3):
            print(line(f"s + {c}·{f}", evaluate(dev, rerank(table, {f: c})), fms))
    for train, held in (("2022", "2023"), ("2023", "2022")):
        w, _ = tune(dev, table, [train])
        m = evaluate(dev, rerank(table, w))
        print(f"tuned on {train}: {w} → held-out {held}: {m[held]}")
    w, _ = tune(dev, table, ["2022", "2023"])
    print(line(f"tuned on pooled dev {w}", evaluate(dev, rerank(table, w)), fms))


# --- query variants (ideas 2, 3) ----------------------------------------------------------


def weighted_word_query(word: str, factor: float) -> Q.Query:
    """`search.word_query` with every boost × factor (a copy: an Or of one part drops its boost)."""
    from indexer.analysis import syllables

    spaced = word.replace("_", " ")
    syl, fol = syllables(spaced), folded_syllables(spaced)
    accented = fold(word) != word
    parts: list[Q.Query] = []
    if accented:
        parts += search._fields("", [word], factor)
        if len(syl) == 1:
            parts += search._fields("_syl", syl, factor)
    f2 = factor * (1 if accented else 2)
    parts += search._fields("_fold", fol, f2) if len(fol) == 1 else search._fields("_bi", folded_bigrams(spaced), f2)
    return Q.Or(parts)


def custom_query(text: str, weight=lambda w: 1.0, extra=(), stop_syllables=frozenset(), bonus_factor=1.0):
    """`bench.ranking.question_query` with a weight per question word, extra (word, weight) terms,
    and adjacency bigrams made only of `stop_syllables` dropped."""
    text = normalize_query(text)
    ws = search.query_words(text)
    parts = [weighted_word_query(w, f) if f != 1.0 else search.word_query(w) for w in ws if (f := weight(w)) > 0]
    parts += [weighted_word_query(w, f) for w, f in extra if f > 0]
    if not parts:
        return None
    bis = [b for b in dict.fromkeys(folded_bigrams(text)) if not set(b.split("_")) <= stop_syllables]
    bonus = (Q.Or([Q.Term(f, b, boost=schema.TEXT_FIELDS[f] * schema.ADJACENCY[f] * bonus_factor)
                   for f in schema.ADJACENCY for b in bis]) if bis else None)
    words_q = Q.Or(parts)
    return Q.AndMaybe(words_q, bonus) if bonus is not None else words_q


# --- idea 4: per-field B ---------------------------------------------------------------

TITLE_F = ("title", "title_syl", "title_fold", "title_bi")
BODY_F = ("body", "body_syl", "body_fold", "body_bi")


def field_b_weighting(b_title: float, b_body: float):
    w = search.weighting()
    w._field_B = {**{f: b_title for f in TITLE_F}, **{f: b_body for f in BODY_F}}
    return w


def step_fieldb():
    passages, dev, ixs = load_dev()
    run, ms0 = cached_base(ixs, dev)
    print(HEAD)
    print(line("default (B 0.9 everywhere)", evaluate(dev, ids_of(run)), 0))
    res = {}
    grid = [(bt, bb) for bt in (0.0, 0.3, 0.5, 0.75, 0.9, 1.0) for bb in (0.75, 0.9, 1.0)]
    grid += [(bt, bb) for bt in (0.75, 0.9, 1.0) for bb in (0.5, 0.6, 0.7)]
    for bt, bb in grid:
        if True:
            r, ms = run_queries(ixs, dev, default_query, field_b_weighting(bt, bb), depth=20)
            res[(bt, bb)] = m = evaluate(dev, ids_of(r))
            print(line(f"B title {bt}, body {bb}", m, ms - ms0), flush=True)
    for train, held in (("2022", "2023"), ("2023", "2022")):
        k = max(res, key=lambda k: (obj(res[k][train]), k == (0.9, 0.9)))
        print(f"tuned on {train}: {k} → held-out {held}: {res[k][held]}")
    k = max(res, key=lambda k: (obj(res[k]["pooled"]), k == (0.9, 0.9)))
    print("pooled best", k, res[k]["pooled"])
    (OUT / "fieldb.json").write_text(json.dumps({str(k): v for k, v in res.items()}))


# --- idea 3: question words that say little -----------------------------------------------


def question_word_stats(qs, searcher):
    """(word, share of questions with it, share of passages with it in `body`, log ratio) per word."""
    qdf = Counter()
    for q in qs:
        qdf.update(set(search.query_words(normalize_query(q.text))))
    n_q, n_p = len(qs), searcher.doc_count_all()
    out = []
    for w, c in qdf.items():
        field = "body" if fold(w) != w else "body_fold"
        pdf = searcher.doc_frequency(field, w)
        out.append((w, c / n_q, pdf / n_p, math.log((c + 0.5) / n_q) - math.log((pdf + 0.5) / n_p)))
    return sorted(out, key=lambda x: -x[3])


def stoplist(stats, min_q: float, min_ratio: float) -> set[str]:
    """Words in at least `min_q` of the questions and `min_ratio` (log) more frequent there than in passages."""
    return {w for w, fq, fp, lr in stats if fq >= min_q and lr >= min_ratio}


def step_stop():
    passages, dev, ixs = load_dev()
    run, ms0 = cached_base(ixs, dev)
    stats = {}
    for y in dev:
        with ixs[y].searcher() as sr:
            stats[y] = question_word_stats(dev[y], sr)
        print(f"{y}: top question-specific words (q share, passage share, log ratio):")
        print("   " + ", ".join(f"{w} {fq:.2f}/{fp:.3f}/{lr:.1f}" for w, fq, fp, lr in stats[y] if fq >= 0.02)[:1500])
    print(HEAD)
    print(line("default", evaluate(dev, ids_of(run)), 0))
    res = {}
    for min_q in (0.02, 0.05):
        for min_ratio in (0.0, 1.0, 2.0):
            for factor in (0.0, 0.3, 0.6):
                for drop_bi in (False, True):
                    # the list of each fold comes from the *other* fold's questions (cross-fitted)
                    lists = {"2022": stoplist(stats["2023"], min_q, min_ratio), "2023": stoplist(stats["2022"], min_q, min_ratio)}
                    r, n, t = {}, 0, time.perf_counter()
                    for y, qs in dev.items():
                        sl = lists[y]
                        ssyl = frozenset(x for w in sl for x in folded_syllables(w.replace("_", " "))) if drop_bi else frozenset()
                        with ixs[y].searcher(weighting=search.weighting()) as sr:
                            r[y] = [first_stage(sr, custom_query(q.text, lambda w: factor if w in sl else 1.0,
                                                                 stop_syllables=ssyl), 20) for q in qs]
                        n += len(qs)
                    ms = 1000 * (time.perf_counter() - t) / n
                    key = (min_q, min_ratio, factor, drop_bi)
                    res[key] = m = evaluate(dev, ids_of(r))
                    print(line(f"q≥{min_q}, ratio≥{min_ratio}, ×{factor}, drop bigrams {drop_bi} "
                               f"(lists {len(lists['2022'])}/{len(lists['2023'])})", m, ms - ms0), flush=True)
    for train, held in (("2022", "2023"), ("2023", "2022")):
        k = max(res, key=lambda k: obj(res[k][train]))
        print(f"tuned on {train}: {k} → held-out {held}: {res[k][held]}")
    k = max(res, key=lambda k: obj(res[k]["pooled"]))
    print("pooled best", k, res[k]["pooled"])
    print("lists at pooled best:", sorted(stoplist(stats["2022"], k[0], k[1])), sorted(stoplist(stats["2023"], k[0], k[1])))


# --- idea 2: pseudo-relevance feedback (RM3-like) -----------------------------------------


class Feedback:
    """Term distributions of the passages (segmented body words) and their body idf."""

    def __init__(self, passages, searcher):
        segs = R.segmented_passages(passages)
        self.tf = {}
        for p in passages:
            ws = [w for w in segs[p["id"]]["body"].lower().split() if any(c.isalpha() for c in w)]
            c = Counter(ws)
            n = sum(c.values()) or 1
            self.tf[p["id"]] = {w: v / n for w, v in c.items()}
        self.searcher = searcher
        self.N = searcher.doc_count_all()
        self._idf = {}

    def idf(self, w):
        v = self._idf.get(w)
        if v is None:
            n = self.searcher.doc_frequency("body", w)
            v = self._idf[w] = math.log(1 + (self.N - n + 0.5) / (n + 0.5))
        return v

    def expansion(self, question: str, top: list[tuple[str, float]], k: int, n_terms: int, lam: float):
        """(word, weight) of the n best feedback words not in the question, weight ≤ lam."""
        top = top[:k]
        if not top:
            return []
        z = sum(s for _, s in top) or 1.0
        qw = set(search.query_words(normalize_query(question)))
        acc = Counter()
        for d, s in top:
            for w, p in self.tf[d].items():
                acc[w] += (s / z) * p
        scored = sorted(((v * self.idf(w), w) for w, v in acc.items() if w not in qw), reverse=True)[:n_terms]
        if not scored:
            return []
        mx = scored[0][0]
        return [(w, lam * v / mx) for v, w in scored]


def step_prf():
    passages, dev, ixs = load_dev()
    run, ms0 = cached_base(ixs, dev)
    print(HEAD)
    print(line("default", evaluate(dev, ids_of(run)), 0))
    res = {}
    w = search.weighting()
    searchers = {y: ixs[y].searcher(weighting=w) for y in dev}
    fb = {y: Feedback(passages[y], searchers[y]) for y in dev}
    for k in (3, 5, 10):
        for n_terms in (10, 20):
            for lam in (0.1, 0.2, 0.4):
                r, n, t = {}, 0, time.perf_counter()
                for y, qs in dev.items():
                    sr = searchers[y]
                    r[y] = []
                    for q in qs:
                        first = first_stage(sr, default_query(q.text), k)
                        ext = fb[y].expansion(q.text, first, k, n_terms, lam)
                        r[y].append(first_stage(sr, custom_query(q.text, extra=ext), 20))
                    n += len(qs)
                ms = 1000 * (time.perf_counter() - t) / n
                res[(k, n_terms, lam)] = m = evaluate(dev, ids_of(r))
                print(line(f"RM3 top {k}, {n_terms} words, λ {lam}", m, ms - ms0), flush=True)
    for train, held in (("2022", "2023"), ("2023", "2022")):
        key = max(res, key=lambda kk: obj(res[kk][train]))
        print(f"tuned on {train}: {key} → held-out {held}: {res[key][held]}")
    key = max(res, key=lambda kk: obj(res[kk]["pooled"]))
    print("pooled best", key, res[key]["pooled"])


# --- the proposal: a self-contained re-ranker (what could move to indexer/search.py) -----------


_SYLLABLE = re.compile(r"[^\W_]+")


def _folded_tokens(text: str) -> list[str]:
    """Folded syllables, as `analysis.folded_syllables` gives them, without Whoosh's token objects."""
    return _SYLLABLE.findall(fold(text))


def proximity_rerank(question: str, hits: list[tuple[str, float]], text_of, idf,
                     w_cov: float = 0.2, w_bigram: float = 0.5, w_window: float = 0.35, window: int = 16,
                     depth: int = 50) -> list[tuple[str, float]]:
    """Second stage over the first `depth` hits (id, BM25F score), best first.

    final = score / top score + w_cov·cov + w_bigram·bicov + w_window·win, where, with idf weights of
    the question's distinct folded syllables (`idf(syllable)`, e.g. Lucene idf over the folded body
    field):
      cov    — share of the question's syllable weight found anywhere in the document;
      bicov  — share of the question's folded bigrams (weight = mean idf of the two syllables) found;
      win    — best share of the question's syllable weight inside one window of `window` syllables.
    `text_of(id)` gives the document text. Hits beyond `depth` keep their order after the re-ranked ones.
    """
    head, tail = hits[:depth], hits[depth:]
    if not head or head[0][1] <= 0:
        return hits
    q = list(dict.fromkeys(_folded_tokens(question)))
    if not q:
        return hits
    qw = np.array([idf(t) for t in q])
    total = qw.sum() or 1.0
    index = {t: i for i, t in enumerate(q)}
    qb = list(dict.fromkeys(zip(q_seq := _folded_tokens(question), q_seq[1:])))
    bw = np.array([(idf(a) + idf(b)) / 2 for a, b in qb])
    btotal = bw.sum() or 1.0
    top = head[0][1]
    rescored = []
    for doc, score in head:
        toks = _folded_tokens(text_of(doc))
        ti = np.fromiter((index.get(t, -1) for t in toks), dtype=np.int64, count=len(toks))
        at = np.flatnonzero(ti >= 0)  # positions of question syllables
        terms = ti[at]
        present = np.zeros(len(q), dtype=bool)
        present[terms] = True
        cov = qw[present].sum() / total
        if qb:
            pairs = set(zip(toks, toks[1:]))
            bicov = bw[[pair in pairs for pair in qb]].sum() / btotal
        else:
            bicov = 0.0
        win = 0.0
        if len(at):  # windows starting at a question syllable: counts of each term via prefix sums
            onehot = np.zeros((len(at) + 1, len(q)), dtype=np.int32)
            onehot[np.arange(1, len(at) + 1), terms] = 1
            cum = np.cumsum(onehot, axis=0)
            ends = np.searchsorted(at, at + window)  # first match at or beyond start + window
            inside = (cum[ends] - cum[np.arange(len(at))]) > 0
            win = (inside @ qw).max() / total
        rescored.append((doc, score / top + w_cov * cov + w_bigram * bicov + w_window * win))
    order = sorted(range(len(rescored)), key=lambda i: (-rescored[i][1], i))
    return [rescored[i] for i in order] + tail


def step_fast():
    """The proposal function against the table features (same rankings?) and its latency."""
    passages, dev, ixs = load_dev()
    run, _ = cached_base(ixs, dev)
    table, _ = feature_table(passages, dev, run)
    ref = rerank(table, {"cov": 0.2, "bicov": 0.5, "win16": 0.35})
    out, n, t_all = {}, 0, 0.0
    for y, qs in dev.items():
        stats = SyllableStats(passages[y])
        text = {p["id"]: p["text"] for p in passages[y]}
        out[y] = []
        for q, r in zip(qs, run[y]):
            t = time.perf_counter()
            out[y].append([d for d, _ in proximity_rerank(q.text, r, text.__getitem__, stats.idf)])
            t_all += time.perf_counter() - t
            n += 1
    same = sum(a[:10] == b[:10] for y in dev for a, b in zip(out[y], ref[y]))
    print(f"top-10 identical to the table re-ranker for {same}/{n} questions; {1000 * t_all / n:.1f} ms/question")
    print(HEAD)
    print(line("default", evaluate(dev, ids_of(run)), 0))
    print(line("proximity_rerank (defaults)", evaluate(dev, out), 1000 * t_all / n))


def paired(dev, a, b, seed=0):
    """b vs a: questions won/lost at R@10 and at rank 1, and a bootstrap 95 % interval of ΔMRR@10 and ΔR@10 (points)."""
    qs = [q for y in dev for q in dev[y]]
    ra = [r for y in dev for r in a[y]]
    rb = [r for y in dev for r in b[y]]
    hit = lambda q, r, k: len(q.relevant & set(r[:k])) / len(q.relevant)  # noqa: E731
    rr = lambda q, r: next((1 / (i + 1) for i, d in enumerate(r[:10]) if d in q.relevant), 0.0)  # noqa: E731
    d10 = np.array([hit(q, y, 10) - hit(q, x, 10) for q, x, y in zip(qs, ra, rb)])
    d1 = np.array([hit(q, y, 1) - hit(q, x, 1) for q, x, y in zip(qs, ra, rb)])
    dm = np.array([rr(q, y) - rr(q, x) for q, x, y in zip(qs, ra, rb)])
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(qs), size=(5000, len(qs)))
    ci = lambda d: tuple(np.percentile(100 * d[idx].mean(axis=1), [2.5, 97.5]).round(2))  # noqa: E731
    return (f"R@10 won/lost {int((d10 > 0).sum())}/{int((d10 < 0).sum())}, R@1 won/lost {int((d1 > 0).sum())}/"
            f"{int((d1 < 0).sum())}; ΔR@10 {100 * d10.mean():+.2f} CI {ci(d10)}, ΔMRR {100 * dm.mean():+.2f} CI {ci(dm)}")


def grid_weights_wide():
    vals = (0.0, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0)
    for a in vals:
        for b in vals:
            for W in WINDOWS:
                for c in vals:
                    yield {"cov": a, "bicov": b, f"win{W}": c}


def tune_on(dev, table, folds, weights, with_value=False):
    best, best_v = None, -1
    for w in weights():
        ranked = rerank({y: table[y] for y in folds}, w)
        m = R.pooled([(dev[y], ranked[y]) for y in folds])
        v = m["R@10"] + m["MRR@10"] - 1e-6 * sum(w.values())
        if v > best_v:
            best, best_v = w, v
    return (best, best_v) if with_value else best


def step_prox2():
    passages, dev, ixs = load_dev()
    run, _ = cached_base(ixs, dev)
    base_ids = ids_of(run)
    table, fms = feature_table(passages, dev, run)
    runB, _ = run_queries(ixs, dev, default_query, field_b_weighting(1.0, 0.75))
    tableB, _ = feature_table(passages, dev, runB, "featsB")
    print(HEAD)
    print(line("default", evaluate(dev, base_ids), 0))
    print(line("per-field B title 1.0 / body 0.75 (no re-rank)", evaluate(dev, ids_of(runB)), 0))
    print("  paired vs default:", paired(dev, base_ids, ids_of(runB)))
    for name, tb in (("default first stage", table), ("per-field B first stage", tableB)):
        for gname, g in (("grid ≤0.5", grid_weights), ("grid ≤1.0", grid_weights_wide)):
            cv = {}
            for train, held in (("2022", "2023"), ("2023", "2022")):
                w = tune_on(dev, tb, [train], g)
                cv[held] = rerank(tb, w)[held]
                print(f"  [{name}, {gname}] tuned on {train} {w} → {held}: "
                      + " / ".join(f"{v:.1f}" for v in evaluate(dev, rerank(tb, w))[held].values()))
            print(line(f"re-rank, {name}, {gname}, cross-fitted (each fold scored with the other's weights)",
                       evaluate(dev, cv), fms))
            print("  paired vs default:", paired(dev, base_ids, cv))
            w = tune_on(dev, tb, ["2022", "2023"], g)
            rr = rerank(tb, w)
            print(line(f"re-rank, {name}, {gname}, tuned on pooled dev {w}", evaluate(dev, rr), fms))
            print("  paired vs default:", paired(dev, base_ids, rr))
    rr = rerank(table, {"cov": 0.2, "bicov": 0.5, "win16": 0.35})
    print("proposal defaults paired vs default:", paired(dev, base_ids, rr))
    # robustness: neighbours of the proposal
    for w in ({"cov": 0.1, "bicov": 0.35, "win16": 0.2}, {"cov": 0.35, "bicov": 0.75, "win16": 0.5},
              {"cov": 0.2, "bicov": 0.5, "win8": 0.35}, {"cov": 0.2, "bicov": 0.5, "win32": 0.35},
              {"cov": 0.0, "bicov": 0.5, "win16": 0.35}, {"cov": 0.2, "bicov": 0.0, "win16": 0.35},
              {"cov": 0.2, "bicov": 0.5, "win16": 0.0}):
        print(line(f"neighbour {w}", evaluate(dev, rerank(table, w)), fms))


def searcher_idf(searcher, field="body_fold"):
    """Lucene idf of a folded syllable from the index itself (no extra statistics to keep)."""
    n_docs, cache = searcher.doc_count_all(), {}

    def idf(t):
        v = cache.get(t)
        if v is None:
            n = searcher.doc_frequency(field, t)
            v = cache[t] = math.log(1 + (n_docs - n + 0.5) / (n + 0.5))
        return v
    return idf


def step_final():
    passages, dev, ixs = load_dev()
    run, _ = cached_base(ixs, dev)
    runB, _ = run_queries(ixs, dev, default_query, field_b_weighting(1.0, 0.75))
    base_ids = ids_of(run)
    print(HEAD)
    print(line("default", evaluate(dev, base_ids), 0))
    for name, r0 in (("default first stage", run), ("per-field B 1.0/0.75 first stage", runB)):
        out, n, t_all = {}, 0, 0.0
        for y, qs in dev.items():
            text = {p["id"]: p["text"] for p in passages[y]}
            with ixs[y].searcher() as sr:
                idf = searcher_idf(sr)
                out[y] = []
                for q, r in zip(qs, r0[y]):
                    t = time.perf_counter()
                    out[y].append([d for d, _ in proximity_rerank(q.text, r, text.__getitem__, idf)])
                    t_all += time.perf_counter() - t
                    n += 1
        print(line(f"proximity_rerank(cov .2, bigram .5, win16 .35), {name}, idf from body_fold", evaluate(dev, out),
                   1000 * t_all / n))
        print("  paired vs default:", paired(dev, base_ids, out))
        if name.startswith("default"):
            for y in dev:
                for q, a, b in zip(dev[y], base_ids[y], out[y]):
                    ra = min((a.index(x) + 1 for x in q.relevant if x in a), default=None)
                    rb = min((b.index(x) + 1 for x in q.relevant if x in b), default=None)
                    if ra != rb and (ra == 1 or rb == 1 or (ra or 99) > 10 or (rb or 99) > 10):
                        print(f"   {y} rank {ra} → {rb}: {q.text[:90]}")


def step_bk():
    """Uniform B × K1 around the default, with the current boosts (the grid fixed B before the bigram boosts)."""
    passages, dev, ixs = load_dev()
    run, _ = cached_base(ixs, dev)
    print(HEAD)
    print(line("default B 0.9 K1 0.8", evaluate(dev, ids_of(run)), 0))
    for b in (0.6, 0.7, 0.75, 0.8, 0.9):
        for k1 in (0.6, 0.8, 1.0, 1.2):
            w = search.BM25F(B=b, K1=k1, idf_form="lucene")
            r, _ = run_queries(ixs, dev, default_query, w, depth=20)
            m = evaluate(dev, ids_of(r))
            print(line(f"B {b} K1 {k1}", m, 0), flush=True)
            if (b, k1) == (0.75, 0.8):
                print("  paired vs default:", paired(dev, ids_of(run), ids_of(r)))
    # re-rank depth
    table, _ = feature_table(passages, dev, run)
    for depth in (10, 20, 30, 50):
        t = {y: [(ids[:depth], s[:depth], F[:depth]) for ids, s, F in rows] for y, rows in table.items()}
        print(line(f"proximity re-rank of the top {depth}", evaluate(dev, rerank(t, {"cov": 0.2, "bicov": 0.5, "win16": 0.35})), None))


# --- idea 5: law-level evidence ------------------------------------------------------------


def law_rerank(hits: list[tuple[str, float]], lam: float, m: int) -> list[str]:
    """Passage score / top score + λ · (its law's m best passage scores, summed) / (the best law's)."""
    if not hits:
        return []
    top = hits[0][1] or 1.0
    per: dict[str, list[float]] = {}
    for pid_, s in hits:
        per.setdefault(pid_.split("#")[0], []).append(s / top)
    law = {k: sum(sorted(v, reverse=True)[:m]) for k, v in per.items()}
    best = max(law.values()) or 1.0
    return [p for p, _ in sorted(((p, s / top + lam * law[p.split("#")[0]] / best) for p, s in hits), key=lambda t: -t[1])]


def step_law():
    """Does the law an article belongs to help? Each passage gets a share of its law's score (top 300)."""
    passages, dev, ixs = load_dev()
    run, _ = run_queries(ixs, dev, default_query, depth=300)
    print(HEAD)
    print(line("default (top 300)", evaluate(dev, ids_of(run)), 0))
    for m in (1, 3, 10, 30):
        for lam in (0.05, 0.1, 0.2, 0.4):
            out = {y: [law_rerank(r, lam, m) for r in rs] for y, rs in run.items()}
            print(line(f"law score: best {m} passages, λ {lam}", evaluate(dev, out), None), flush=True)


# --- idea 6: word embeddings trained on the law texts (soft term matching) -------------------


def step_w2v():
    """Skip-gram vectors (gensim, not a project dependency: `pip install gensim`) trained on the
    segmented law texts of ../shared/corpus/laws and both ALQAC corpora — no question is used —
    then the top 50 re-ranked by score / top + λ · idf-weighted mean over the question's words of
    their best cosine with a word of the passage."""
    try:
        from gensim.models import Word2Vec
    except ImportError:
        sys.exit("step w2v needs gensim: .venv/bin/pip install gensim")
    from indexer.segment import segmented

    passages, dev, ixs = load_dev()
    segs = {pid: [w.lower() for w in s["body"].split() if re.search(r"\w", w)]
            for y in ("2022", "2023") for pid, s in R.segmented_passages(passages[y]).items()}
    sents = [toks for toks in segs.values() if toks]
    for f in sorted((R.ROOT.parent / "shared" / "corpus" / "laws" / "corpus").glob("*.txt")):
        for ln in R.normalize_text(f.read_text(encoding="utf-8")).split("\n"):
            toks = [w.lower() for w in segmented(ln).split() if re.search(r"\w", w)] if ln.strip() else []
            if toks:
                sents.append(toks)
    kv = Word2Vec(sents, vector_size=100, window=5, min_count=3, sg=1, workers=2, epochs=8, seed=1).wv
    unit = kv.get_normed_vectors()
    df = Counter(w for toks in segs.values() for w in set(toks))
    n = len(segs)

    def vecs(ws):
        ws = [w for w in dict.fromkeys(ws) if w in kv.key_to_index]
        return ws, unit[[kv.key_to_index[w] for w in ws]] if ws else np.zeros((0, kv.vector_size))

    run, _ = run_queries(ixs, dev, default_query, depth=DEPTH1)
    feats = {}
    for y in dev:
        feats[y] = []
        for q, r in zip(dev[y], run[y]):
            ws, qv = vecs([w.lower() for w in words(normalize_query(q.text))])
            wts = np.array([math.log(1 + (n - df[w] + 0.5) / (df[w] + 0.5)) for w in ws])
            row = []
            for pid, _ in r:
                pv = vecs(segs[pid])[1]
                row.append(float((wts * (qv @ pv.T).max(axis=1)).sum() / wts.sum()) if len(ws) and len(pv) else 0.0)
            feats[y].append(row)
    base = ids_of(run)
    print(HEAD)
    print(line("default", evaluate(dev, base), 0))
    for lam in (0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2):
        out = {y: [[p for p, _ in sorted(((p, s / r[0][1] + lam * f / (max(fs) or 1)) for (p, s), f in zip(r, fs)),
                                         key=lambda t: -t[1])] if r else [] for r, fs in zip(run[y], feats[y])]
               for y in dev}
        print(line(f"soft match λ {lam}", evaluate(dev, out), None))
        print("  paired vs default:", paired(dev, base, out), flush=True)


# --- a harder dev set: the same questions among many more articles ---------------------------

LAWS = R.ROOT.parent / "shared" / "corpus" / "laws" / "corpus"
_ARTICLE = re.compile(r"^[ \t]*Điều[ \t]+(\d+)[a-zđ]?[ \t]*[.:]?[ \t]*(.*)$", re.M)
_CUT = re.compile(r"^[ \t]*(?:(?:Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)[ \t]+[\dIVXLC]+\b|(?:Luật|Bộ luật|Hiến pháp) này đã được)", re.M)


def law_articles(path: Path) -> list[dict]:
    """The articles of one law text of ../shared/corpus/laws (title = the heading line, or the
    first line of the article when the heading is empty)."""
    text = R.normalize_text(path.read_text(encoding="utf-8"))
    marks = list(_ARTICLE.finditer(text))
    out = []
    for i, (m, nxt) in enumerate(zip(marks, [*marks[1:], None])):
        body = text[m.start(): nxt.start() if nxt else len(text)]
        body = _CUT.split(body, maxsplit=1)[0].strip()
        lines = [ln.strip() for ln in body.split("\n") if ln.strip()]
        title = lines[0] if m.group(2).strip() or len(lines) == 1 else lines[1]
        out.append({"id": f"x:{path.stem}#{i}", "title": title, "text": body})
    return out


def _shingles(text: str, n: int = 5) -> set[int]:
    toks = _folded_tokens(text)
    return {hash(tuple(toks[i:i + n])) for i in range(max(0, len(toks) - n + 1))}


def distractors(passages: list[dict], max_shared: float = 0.2) -> tuple[list[dict], int]:
    """Articles of the 109 laws that are not (a version of) an article of `passages`: an article
    sharing more than `max_shared` of its 5-syllable shingles with the corpus is dropped, so an
    older text of a judged article is never counted as a wrong answer."""
    seen = set().union(*(_shingles(p["text"]) for p in passages))
    out, dropped = [], 0
    for f in sorted(LAWS.glob("*.txt")):
        for a in law_articles(f):
            sh = _shingles(a["text"])
            if not sh or len(sh & seen) / len(sh) > max_shared:
                dropped += 1
            else:
                out.append(a)
    return out, dropped


def load_hard_dev():
    """Dev questions asked of their year's corpus plus every distractor article (cached index)."""
    passages, dev, _ = load_dev()
    hard, ixs = {}, {}
    for y in dev:
        extra, dropped = distractors(passages[y])
        print(f"{y}: {len(passages[y])} judged-corpus articles + {len(extra)} distractors ({dropped} dropped as shared)",
              flush=True)
        hard[y] = passages[y] + extra
        ixs[y] = R.build_index(hard[y])
    return hard, dev, ixs


def step_hard(*what):
    """Baseline figures on the hard dev: ours (OR), bm25s, and the proximity re-rank."""
    passages, dev, ixs = load_hard_dev()
    path = OUT / "hard-base.pkl"
    if path.exists():
        run, ms = pickle.loads(path.read_bytes())
    else:
        run, ms = run_queries(ixs, dev, default_query, depth=100)
        path.write_bytes(pickle.dumps((run, ms)))
    base = ids_of(run)
    print(HEAD)
    print(line("default (ours OR + adjacency), hard dev", evaluate(dev, base), ms))
    for y in dev:
        print(y, "R@20", 100 * R.recall_at(dev[y], base[y], 20), "R@50", 100 * R.recall_at(dev[y], base[y], 50),
              "R@100", 100 * R.recall_at(dev[y], base[y], 100))
    bm = {y: R.Baseline(passages[y]).rank(dev[y]) for y in dev}
    print(line("bm25s, hard dev", evaluate(dev, bm), None), flush=True)
    if "prox" in what:
        out = {}
        for y, qs in dev.items():
            text = {p["id"]: p["text"] for p in passages[y]}
            with ixs[y].searcher() as sr:
                idf = searcher_idf(sr)
                out[y] = [[d for d, _ in proximity_rerank(q.text, r, text.__getitem__, idf)] for q, r in zip(qs, run[y])]
        print(line("proximity_rerank defaults, hard dev", evaluate(dev, out), None))
        print("  paired vs default:", paired(dev, base, out), flush=True)


def rrf(a: list[str], b: list[str], wb: float, k: int = 60) -> list[str]:
    """Reciprocal rank fusion of two rankings (b weighted wb)."""
    score: dict[str, float] = {}
    for w, r in ((1.0, a), (wb, b)):
        for i, d in enumerate(r):
            score[d] = score.get(d, 0.0) + w / (k + i + 1)
    return sorted(score, key=lambda d: -score[d])


def runs_100(which: str):
    """(passages, dev, the default's top 100 per question) on dev or, with "hard", the hard dev
    (its run cached by step `hard`)."""
    if which == "hard":
        passages, dev, _ = load_hard_dev()
        run, _ = pickle.loads((OUT / "hard-base.pkl").read_bytes())
    else:
        passages, dev, ixs = load_dev()
        run, _ = run_queries(ixs, dev, default_query, depth=100)
    return passages, dev, run


def step_fuse(which="hard"):
    """Reciprocal rank fusion of ours with the bm25s syllable ranking (dev or hard dev)."""
    passages, dev, run = runs_100(which)
    base = ids_of(run)
    old = R.DEPTH
    R.DEPTH = 100
    bm = {y: R.Baseline(passages[y]).rank(dev[y]) for y in dev}
    R.DEPTH = old
    print(HEAD)
    print(line(f"default, {which}", evaluate(dev, base), None))
    print(line(f"bm25s, {which}", evaluate(dev, bm), None))
    for k in (10, 60):
        for wb in (0.2, 0.35, 0.5, 0.75, 1.0):
            out = {y: [rrf(a, b, wb, k) for a, b in zip(base[y], bm[y])] for y in dev}
            print(line(f"RRF k {k}, bm25s weight {wb}", evaluate(dev, out), None))
            print("  paired vs default:", paired(dev, base, out), flush=True)


# --- idea 8: the question names a law -----------------------------------------------------

LAW_NAMES_2022 = {"91/2015/QH13": "Bộ luật Dân sự", "24/2018/QH14": "Luật An ninh mạng",
                  "45/2019/QH14": "Bộ luật Lao động", "01/VBHN-VPQH": "Bộ luật Hình sự"}  # public titles of the law numbers
_ENACTS = re.compile(r"ban hành ((?:Bộ luật|Luật)[^.;\n]*)")


def law_name(passage_id: str) -> str:
    """The name of the law a passage belongs to: ALQAC 2023 ids are names, 2022 ids numbers,
    a distractor's name is in its enacting formula ("Quốc hội ban hành Luật báo chí.")."""
    law = passage_id.rsplit("#", 1)[0]
    if not law.startswith("x:"):
        return LAW_NAMES_2022.get(law, law)
    if law == "x:hien-phap":
        return "Hiến pháp"
    m = _ENACTS.search((LAWS / f"{law[2:]}.txt").read_text(encoding="utf-8"))
    return m.group(1).strip() if m else law[2:]


def _name_key(s: str) -> str:
    return " " + " ".join(re.findall(r"\w+", fold(s).lower())) + " "


def named_laws(question: str, names: list[str]) -> set[str]:
    """Law names (keys, longest first) that the question spells out."""
    k, found = _name_key(question), set()
    for n in names:
        if n in k and not any(n in f for f in found):
            found.add(n)
    return found


def step_lawname(which="dev"):
    """Re-rank the top 100: score / top + λ when the passage's law is named in the question."""
    passages, dev, run = runs_100(which)
    law = {y: {p["id"]: _name_key(law_name(p["id"])) for p in passages[y]} for y in dev}
    names = {y: sorted(set(law[y].values()), key=len, reverse=True) for y in dev}
    named = {y: [named_laws(q.text, names[y]) for q in dev[y]] for y in dev}
    base = ids_of(run)
    for y, qs in dev.items():
        right = sum(bool(f) and any(law[y][r] in f for r in q.relevant) for f, q in zip(named[y], qs))
        print(f"{y}: {sum(map(bool, named[y]))} of {len(qs)} questions name a law, {right} of them the judged one")
    print(HEAD)
    print(line(f"default, {which}", evaluate(dev, base), None))
    for lam in (0.05, 0.1, 0.2, 0.3, 0.5, 1.0):
        out = {y: [[d for d, _ in sorted(r, key=lambda x: -(x[1] / r[0][1] + lam * (law[y][x[0]] in f)))]
                   if r and f else [d for d, _ in r] for r, f in zip(run[y], named[y])] for y in dev}
        print(line(f"law-name bonus λ {lam}", evaluate(dev, out), None))
        print("  paired vs default:", paired(dev, base, out), flush=True)


# --- idea 9: passage-level evidence (best clause, "MaxP") ---------------------------------------


def clause_bm25(question: str, text: str, idf, avg_len: float, k1: float = 1.2, b: float = 0.75,
                w_bigram: float = 1.0) -> float:
    """The best BM25 score of one clause (a line of the article) for the question's folded
    syllables, plus w_bigram × the idf-weighted share of the question's folded bigrams found
    side by side in that clause: evidence that the question's words are together in one khoản,
    not spread over a long article."""
    q = _folded_tokens(question)
    qset = set(q)
    qb = set(zip(q, q[1:]))
    best = 0.0
    for ln in text.split("\n"):
        toks = _folded_tokens(ln)
        if not toks:
            continue
        tf = Counter(t for t in toks if t in qset)
        if not tf:
            continue
        norm = k1 * (1 - b + b * len(toks) / avg_len)
        s = sum(idf(t) * f * (k1 + 1) / (f + norm) for t, f in tf.items())
        if qb and w_bigram:
            found = qb & set(zip(toks, toks[1:]))
            s += w_bigram * sum((idf(a) + idf(c)) / 2 for a, c in found)
        best = max(best, s)
    return best


def step_maxp(which="dev"):
    """Re-rank the top 100: score / top + λ × best clause score / the best of the list's."""
    passages, dev, run = runs_100(which)
    base = ids_of(run)
    texts = {y: {p["id"]: p["text"] for p in passages[y]} for y in dev}
    feats = {}
    for wb in (0.0, 1.0):
        for y in dev:
            stats = SyllableStats(passages[y])
            lens = [len(_folded_tokens(ln)) for p in passages[y] for ln in p["text"].split("\n") if ln.strip()]
            avg = sum(lens) / len(lens)
            feats[(wb, y)] = [[clause_bm25(q.text, texts[y][d], stats.idf, avg, w_bigram=wb) for d, _ in r]
                              for q, r in zip(dev[y], run[y])]
        print(f"features w_bigram {wb} done", flush=True)
    print(HEAD)
    print(line(f"default, {which}", evaluate(dev, base), None))
    for wb in (0.0, 1.0):
        for lam in (0.1, 0.2, 0.35, 0.5, 1.0):
            out = {}
            for y in dev:
                out[y] = []
                for r, f in zip(run[y], feats[(wb, y)]):
                    if not r:
                        out[y].append([])
                        continue
                    top, ftop = r[0][1] or 1.0, max(f) or 1.0
                    sc = [s / top + lam * c / ftop for (_, s), c in zip(r, f)]
                    out[y].append([r[i][0] for i in sorted(range(len(r)), key=lambda i: -sc[i])])
            print(line(f"best clause λ {lam}, bigram weight {wb}", evaluate(dev, out), None))
            print("  paired vs default:", paired(dev, base, out), flush=True)


if __name__ == "__main__":
    globals()[f"step_{sys.argv[1]}"](*sys.argv[2:])
