"""Passage ranking on ALQAC 2022/2023 → bench/reports/ranking.md (+ ranking.png). Reports, never asserts.

    flock /tmp/vanthu-bench.lock .venv/bin/python -m bench.ranking [--quick] [--dev-only]

Every law article is one passage in a real Whoosh index built with our schema, analyzers and
field-building code (`pipeline.analyze` + `pipeline.index_fields`); questions go through our
query code. Rows:
- ours (OR) — our per-word queries (`search.query_words` + `search.word_query`: word/syllable/
  folded/bigram fields, project boosts and BM25F), any word may match, plus the adjacency bonus;
  the form the tuning grid scores; evaluated by indexer/engine.py like the product;
- `run_search` + relaxed fallback — the product path with the question as `q`, as
  `Library.search` runs it (AND; no hit and ≥ RELAX_FROM words → `match="any"`); and AND only;
- bm25s — plain BM25 over lowercased syllables (no stemming, no stop words).
Tuning (`--dev-only` runs the grid and skips test) uses ALQAC 2022 + 2023 train only; the
ALQAC 2023 private test is scored with the project defaults. Segmented passages and indexes
are cached under /tmp, keyed by a hash of the passages and the schema/analyzer version.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import inspect
import json
import platform
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from whoosh import index as windex
from whoosh import query as Q

from indexer import schema, search
from indexer.analysis import words
from indexer.definitions import asked_term
from indexer.engine import engine
from indexer.errors import QueryError
from indexer.search import RELAX_BELOW, RELAX_FROM
from indexer.normalize import normalize_query, normalize_text
from indexer.pipeline import analyze, index_fields
from indexer.segment import SEGMENTER_VERSION

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "benchmarks" / "alqac"
CONSTITUTION = ROOT.parent / "shared" / "corpus" / "laws" / "corpus" / "hien-phap.txt"  # cited by ALQAC 2023
CACHE = Path("/tmp/vanthu-bench-ranking")
REPORT = ROOT / "bench" / "reports" / "ranking.md"
KS = (1, 5, 10)
DEPTH = 20  # ranks kept per question (recall curve up to 20)


@dataclass
class Question:
    id: str
    text: str
    relevant: set[str]
    choices: str = ""  # the options of a multiple-choice question, one per line ("" otherwise)


def pid(law: str, article: str) -> str:
    return f"{law}#{article}"


def load_passages(year: str) -> list[dict]:
    """One passage per article: title = its heading line, text = the whole article (normalized).
    The 2023 corpus also gets the 2013 Constitution, which its judgments cite (law.json lacks it)."""
    out = []
    for law in json.loads((DATA / f"alqac{year}" / "law.json").read_text(encoding="utf-8")):
        for art in law["articles"]:
            text = normalize_text(art["text"])
            out.append({"id": pid(law["id"], art["id"]), "title": text.split("\n", 1)[0], "text": text})
    if year == "2023" and CONSTITUTION.exists():
        out += constitution_passages(CONSTITUTION.read_text(encoding="utf-8"))
    return out


def constitution_passages(text: str) -> list[dict]:
    """The articles of the 2013 Constitution (law id "Hiến pháp", as the ALQAC 2023 judgments
    name it). Its articles have no heading: the title is the first line of the article. Chapter
    headings between articles and the closing formula after the last one are left out."""
    text = normalize_text(text)
    marks = list(re.finditer(r"^[ \t]*Điều[ \t]+(\d+)\.[ \t]*$", text, re.M))
    out = []
    for m, nxt in zip(marks, [*marks[1:], None]):
        body = text[m.end(): nxt.start() if nxt else len(text)]
        body = re.split(r"^[ \t]*(?:Chương[ \t]+[IVXLC]+\.|Hiến pháp này đã được)", body, maxsplit=1, flags=re.M)[0]
        body = re.sub(r"\n{3,}", "\n\n", body).strip()
        out.append({"id": pid("Hiến pháp", m.group(1)), "title": body.split("\n", 1)[0], "text": body})
    return out


def load_questions(path: Path, ids: set[str]) -> tuple[list[Question], int]:
    """Judged questions; judgments outside the corpus are dropped, then questions left without any."""
    qs, dropped = [], 0
    for q in json.loads(path.read_text(encoding="utf-8")):
        rel = {pid(r["law_id"], r["article_id"]) for r in q["relevant_articles"]} & ids
        if rel:
            choices = "\n".join(str(v) for v in (q.get("choices") or {}).values())
            qs.append(Question(q.get("id") or q["question_id"], q["text"], rel, choices))
        else:
            dropped += 1
    return qs, dropped


def strip_diacritics(s: str) -> str:
    nfd = unicodedata.normalize("NFD", s)
    return "".join(c for c in nfd if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")


# --- our index -------------------------------------------------------------------------


def _key(passages: list[dict], *parts: str) -> str:
    h = hashlib.sha256("\n".join(parts).encode())
    for p in passages:
        h.update(f"{p['id']}\x00{p['title']}\x00{p['text']}\x01".encode())
    return h.hexdigest()[:16]


def segmented_passages(passages: list[dict]) -> dict[str, dict]:
    """`pipeline.analyze` of every passage, cached on disk (underthesea is the slow part)."""
    path = CACHE / f"seg-{_key(passages, SEGMENTER_VERSION)}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    segs = {p["id"]: analyze(p) for p in passages}
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(segs, ensure_ascii=False), encoding="utf-8")
    return segs


def record(p: dict) -> dict:
    """The smallest pipeline record `index_fields` accepts for a passage."""
    return {"id": p["id"], "source": p["id"], "root": "alqac", "sha": p["id"], "format": "json",
            "title": p["title"], "text": p["text"], "citations": []}


def build_index(passages: list[dict]):
    """A Whoosh index of the passages with our schema (cached under /tmp)."""
    path = CACHE / f"ix-{_key(passages, schema.SCHEMA_VERSION)}"
    if (path / "DONE").exists():
        return windex.open_dir(str(path))
    segs = segmented_passages(passages)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    ix = windex.create_in(str(path), schema.build_schema())
    with ix.writer(limitmb=128) as w:
        for p in passages:
            w.add_document(**index_fields(record(p), segs[p["id"]]))
    (path / "DONE").touch()
    return ix


def question_query(text: str, *, keep_unaccented: bool = False) -> Q.Query | None:
    """Our per-word query for each distinct word of the question (`search.query_words`), any of
    them may match, plus the adjacency bonus.

    `keep_unaccented` (a diagnostic, not the product): a word without accents is asked as
    underthesea grouped it (its bigrams) instead of syllable by syllable.
    """
    text = normalize_query(text)
    ws = list(dict.fromkeys(words(text))) if keep_unaccented else search.query_words(text)
    if not ws:
        return None
    bonus = search.question_bonus(text)
    words_q = Q.Or([search.word_query(w) for w in ws])
    return Q.AndMaybe(words_q, bonus) if bonus is not None else words_q


def with_choices(qs: list[Question]) -> list[Question]:
    """The questions followed by their options (what a multiple-choice question "… nào sau đây?" refers to)."""
    return [replace(q, text=f"{q.text}\n{q.choices}" if q.choices else q.text) for q in qs]


@contextlib.contextmanager
def definition_bonus(value: float):
    """The definition bonus set to `value` for an ablation row, restored after."""
    saved, search.DEFINITION_BONUS = search.DEFINITION_BONUS, value
    try:
        yield
    finally:
        search.DEFINITION_BONUS = saved


def rank_ours(searcher, qs: list[Question], *, strip: bool = False, keep: bool = False) -> list[list[str]]:
    out = []
    for q in qs:
        query = question_query(strip_diacritics(q.text) if strip else q.text, keep_unaccented=keep)
        if query is None:
            out.append([])
            continue
        eng = engine(searcher)
        out.append([searcher.stored_fields(d)["id"] for d, _ in eng.top(eng.run(query), 0, DEPTH)])
    return out


def rank_product(searcher, qs: list[Question], *, strip: bool = False) -> tuple[list[list[str]], list[list[str]]]:
    """`run_search` with the question as `q`: AND only, and with `Library.search`'s fallbacks
    (`search_with_fallbacks`: no hit → the words apart; still none and at least RELAX_FROM words
    → the same query with `match="any"`)."""
    strict, relaxed = [], []
    for q in qs:
        text = strip_diacritics(q.text) if strip else q.text
        params = search.SearchParams(q=text, limit=DEPTH)
        try:
            res = search.run_search(searcher, params, lambda _id: None)
            strict.append([h["id"] for h in res["hits"]])
            res = search.search_with_fallbacks(searcher, params, lambda _id: None)
            relaxed.append([h["id"] for h in res["hits"]])
        except QueryError:
            strict.append([])
            relaxed.append([])
    return strict, relaxed


PRODUCT = "run_search + relaxed fallback"
NO_DEF = "ours (OR) without the definition bonus (ablation)"
DIAG = "ours (OR), no diacritics, unaccented words kept as segmented (diagnostic)"


# --- baseline ------------------------------------------------------------------------


def syllable_tokens(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


class Baseline:
    """Plain BM25 (bm25s defaults: Lucene variant, k1=1.5, b=0.75) over syllables."""

    def __init__(self, passages: list[dict]):
        import bm25s

        self.ids = [p["id"] for p in passages]
        self.bm25 = bm25s.BM25()
        self.bm25.index([syllable_tokens(p["text"]) for p in passages], show_progress=False)

    def rank(self, qs: list[Question], *, strip: bool = False) -> list[list[str]]:
        out = []
        for q in qs:
            scores = self.bm25.get_scores(syllable_tokens(strip_diacritics(q.text) if strip else q.text))
            top = scores.argsort()[::-1][:DEPTH]
            out.append([self.ids[i] for i in top if scores[i] > 0])
        return out


# --- metrics -------------------------------------------------------------------------


def recall_at(qs: list[Question], ranked: list[list[str]], k: int) -> float:
    return sum(len(q.relevant & set(r[:k])) / len(q.relevant) for q, r in zip(qs, ranked)) / len(qs)


def mrr10(qs: list[Question], ranked: list[list[str]]) -> float:
    total = 0.0
    for q, r in zip(qs, ranked):
        total += next((1 / (i + 1) for i, d in enumerate(r[:10]) if d in q.relevant), 0.0)
    return total / len(qs)


def metrics(qs, ranked) -> dict:
    return {**{f"R@{k}": recall_at(qs, ranked, k) for k in KS}, "MRR@10": mrr10(qs, ranked)}


def pooled(parts: list[tuple[list[Question], list[list[str]]]]) -> dict:
    """Metrics over several question sets as one (each question counts once)."""
    return metrics([q for qs, _ in parts for q in qs], [r for _, rs in parts for r in rs])


# --- tuning --------------------------------------------------------------------------

# The grid starts from the setting of the previous tuning (commit bf998a9: positional phrases,
# no bigram fields) with first guesses for the bigram fields and the adjacency bonus, so it
# stays reproducible (and cached) once the chosen setting has become the project default.
START = {
    "fields": {"title": 0.3, "title_syl": 0.15, "title_fold": 0.08, "body": 1.0, "body_syl": 0.6, "body_fold": 0.35,
               "title_bi": 0.15, "body_bi": 0.5},
    "adjacency": {"title_bi": 0.3, "body_bi": 0.3},
    "B": 0.75,
    "K1": 0.8,
    "idf": "whoosh",
}
TITLES, FOLDS = ("title", "title_syl", "title_fold", "title_bi"), ("title_fold", "body_fold", "title_bi", "body_bi")
NO_FOLD = "†"  # not eligible: drops what the product must do (accent-free queries, whole-word matches first)


def families(base: dict) -> dict[str, list[tuple[str, dict]]]:
    """Changes tried on dev, by family; boost factors multiply the boosts of `base`."""
    f = base["fields"]
    zero = lambda *names: {k: 0.0 for k in names}  # noqa: E731
    scale = lambda names, t: {k: f[k] * t for k in names}  # noqa: E731
    return {
        "title": [(f"title family ×{t:g}", scale(TITLES, t)) for t in (0.0, 0.05, 0.1, 0.2, 0.33, 0.67, 1.67)],
        "fields": [
            (f"no word fields {NO_FOLD}", zero("title", "body")),
            (f"no syllable fields {NO_FOLD}", zero("title_syl", "body_syl")),
            (f"no bigram fields {NO_FOLD}", zero("title_bi", "body_bi")),
            (f"word + syllable, no folded {NO_FOLD}", zero(*FOLDS)),
        ],
        "idf": [("idf of Lucene/bm25s", {"idf": "lucene"})],
        "B": [(f"B={b}", {"B": b}) for b in (0.5, 0.9)],
        "K1": [(f"K1={k}", {"K1": k}) for k in (0.6, 1.2)],
        "bigram": [(f"bigram fields ×{t:g}", scale(("title_bi", "body_bi"), t)) for t in (0.5, 2.0, 3.0)],
        "adjacency": [(f"adjacency bonus ×{t:g}", {"adjacency": {k: v * t for k, v in base["adjacency"].items()}})
                      for t in (0.0, 0.5, 2.0, 4.0)],
        "syllable": [(f"syllable family ×{t:g}", scale(("title_syl", "body_syl"), t)) for t in (0.25, 0.5, 1.67)],
        "folded": [(f"folded family ×{t:g}", scale(FOLDS, t)) for t in (0.4, 1.7)],
    }


def describe(s: dict) -> str:
    f = s["fields"]
    a = s["adjacency"]
    return (f"BM25F B {s['B']:g}, K1 {s['K1']:g}, idf {s['idf']}; title {f['title']:.3g}/{f['title_syl']:.3g}/{f['title_fold']:.3g}/"
            f"{f['title_bi']:.3g}, body {f['body']:.3g}/{f['body_syl']:.3g}/{f['body_fold']:.3g}/{f['body_bi']:.3g}; "
            f"adjacency {a['title_bi']:.3g}/{a['body_bi']:.3g}")


def apply(base: dict, change: dict) -> dict:
    return {"fields": {**base["fields"], **{k: v for k, v in change.items() if k in base["fields"]}},
            "adjacency": change.get("adjacency", base["adjacency"]), "idf": change.get("idf", base["idf"]),
            "B": change.get("B", base["B"]), "K1": change.get("K1", base["K1"])}


@contextlib.contextmanager
def setting(s: dict):
    """Field boosts as `search.word_query` reads them, restored afterwards."""
    saved, saved_adj = dict(schema.TEXT_FIELDS), dict(schema.ADJACENCY)
    schema.TEXT_FIELDS.update(s["fields"])
    schema.ADJACENCY.update(s["adjacency"])
    try:
        yield search.BM25F(B=s["B"], K1=s["K1"], idf_form=s["idf"])
    finally:
        schema.TEXT_FIELDS.update(saved)
        schema.ADJACENCY.update(saved_adj)


def score_setting(ixs: dict, dev: dict, s: dict) -> dict:
    """Dev metrics of ours (OR) under setting `s` (cached per setting, index and questions)."""
    code = inspect.getsource(search) + inspect.getsource(question_query)  # the query code is part of the key
    ident = [s, {y: ix.storage.folder for y, ix in ixs.items()}, {y: [q.id for q in qs] for y, qs in dev.items()},
             hashlib.sha256(code.encode()).hexdigest()]
    path = CACHE / f"grid-{hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:16]}.json"
    if path.exists():
        return json.loads(path.read_text())
    parts = []
    with setting(s) as w:
        for year, qs in dev.items():
            with ixs[year].searcher(weighting=w) as sr:
                parts.append((qs, rank_ours(sr, qs)))
    m = pooled(parts)
    path.write_text(json.dumps(m))
    return m


def better(a: dict, b: dict) -> bool:
    """Selection rule: R@10 + MRR@10 (on 620 questions a lone R@10 step is one or two questions)."""
    return a["R@10"] + a["MRR@10"] > b["R@10"] + b["MRR@10"]


def run_grid(ixs: dict, dev: dict, order: list[str]) -> tuple[list[tuple[str, dict, dict]], dict]:
    """Coordinate descent: each family's changes tried on the best setting so far, in order."""
    rows: list[tuple[str, dict, dict]] = []

    def row(name, s):
        m = score_setting(ixs, dev, s)
        print(f"  {name:36s} R@10 {m['R@10']:.3f}  MRR {m['MRR@10']:.3f}", flush=True)
        rows.append((name, s, m))
        return m

    best, best_m = START, row("default before tuning", START)
    for fam in order:
        base = best
        for name, change in families(base)[fam]:
            s = apply(base, change)
            if s == base:  # e.g. zeroing fields that are already off
                continue
            m = row(f"{fam}: {name}", s)
            if NO_FOLD not in name and better(m, best_m):
                best, best_m = s, m
    return rows, best


# --- report --------------------------------------------------------------------------


def fmt(m: dict) -> str:
    return " | ".join(f"{100 * m[k]:.1f}" for k in (*(f"R@{k}" for k in KS), "MRR@10"))


HEAD = "| system | R@1 | R@5 | R@10 | MRR@10 |\n|---|---|---|---|---|"


def curve(qs, ranked) -> list[float]:
    return [recall_at(qs, ranked, k) for k in range(1, DEPTH + 1)]


def plot(panels: dict[str, dict[str, list[float]]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(11, 4), sharey=True)
    for ax, (title, curves) in zip(axes, panels.items()):
        for name, ys in curves.items():
            ax.plot(range(1, len(ys) + 1), [100 * y for y in ys], marker=".", label=name)
        ax.set(xlabel="k", title=title, xticks=[1, 5, 10, 15, 20], ylim=(50, 100))
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("Recall@k (%)")
    axes[0].legend(loc="lower right")
    fig.suptitle("run_search with AND only stays at 1-2 % and is left out", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="first 100 dev / 30 test questions, short grid")
    ap.add_argument("--dev-only", action="store_true", help="tuning run: dev grid only, test not scored")
    ap.add_argument("--no-grid", action="store_true", help="skip the tuning grid")
    ap.add_argument("--out", type=Path, default=REPORT)
    args = ap.parse_args()
    started = time.monotonic()

    passages = {y: load_passages(y) for y in ("2022", "2023")}
    ids = {y: {p["id"] for p in ps} for y, ps in passages.items()}
    q22, _ = load_questions(DATA / "alqac2022" / "question.json", ids["2022"])
    q23, _ = load_questions(DATA / "alqac2023" / "train.json", ids["2023"])
    # the test file is not even read in a tuning run
    test, test_dropped = ([], 0) if args.dev_only else load_questions(DATA / "alqac2023" / "private_test.json", ids["2023"])
    if args.quick:
        q22, q23, test = q22[:80], q23[:20], test[:30]
    dev = {"2022": q22, "2023": q23}

    t = time.monotonic()
    ixs = {y: build_index(ps) for y, ps in passages.items()}
    index_s = time.monotonic() - t
    print(f"indexes ready in {index_s:.0f}s", flush=True)

    grid_rows = []
    if not args.no_grid:
        print("dev grid:", flush=True)
        grid_rows, chosen = run_grid(ixs, dev, ["B"] if args.quick else list(families(START)))
        print("chosen:", json.dumps(chosen), flush=True)
    if args.dev_only:
        return

    # project defaults, every system, dev and test
    base = {y: Baseline(ps) for y, ps in passages.items()}
    sets = {"dev 2022": ("2022", q22), "dev 2023 train": ("2023", q23), "test 2023": ("2023", test)}
    runs: dict[str, dict[str, list]] = {}
    t = time.monotonic()
    for label, (year, qs) in sets.items():
        with ixs[year].searcher(weighting=search.weighting()) as sr:
            strict, relaxed = rank_product(sr, qs)
            runs[label] = {
                "ours (OR)": rank_ours(sr, qs),
                PRODUCT: relaxed,
                "run_search, AND only": strict,
                "bm25s baseline": base[year].rank(qs),
                "ours (OR), no diacritics": rank_ours(sr, qs, strip=True),
                f"{PRODUCT}, no diacritics": rank_product(sr, qs, strip=True)[1],
                "bm25s, no diacritics": base[year].rank(qs, strip=True),
                "ours (OR), question + its choices": rank_ours(sr, with_choices(qs)),
                "bm25s, question + its choices": base[year].rank(with_choices(qs)),
            }
            with definition_bonus(0.0):
                runs[label][NO_DEF] = rank_ours(sr, qs)
            if label != "test 2023":  # a candidate change is judged on dev only
                runs[label][DIAG] = rank_ours(sr, qs, strip=True, keep=True)
    n_q = sum(len(qs) for _, qs in sets.values())
    query_ms = 1000 * (time.monotonic() - t) / n_q

    def table(labels) -> str:
        rows = [HEAD]
        for system in runs[labels[0]]:
            rows.append(f"| {system} | {fmt(pooled([(sets[lb][1], runs[lb][system]) for lb in labels]))} |")
        return "\n".join(rows)

    dev_labels = ["dev 2022", "dev 2023 train"]
    m = {lb: {s: metrics(sets[lb][1], r) for s, r in runs[lb].items()} for lb in sets}
    dev_m = {s: pooled([(sets[lb][1], runs[lb][s]) for lb in dev_labels]) for s in runs["dev 2022"]}
    gap = 100 * (m["test 2023"]["ours (OR)"]["R@10"] - m["test 2023"]["bm25s baseline"]["R@10"])
    gap_product = 100 * (m["test 2023"][PRODUCT]["R@10"] - m["test 2023"]["bm25s baseline"]["R@10"])
    ratio = {lb: m[lb]["ours (OR), no diacritics"]["R@10"] / m[lb]["ours (OR)"]["R@10"] for lb in sets}
    ratio_dev = dev_m["ours (OR), no diacritics"]["R@10"] / dev_m["ours (OR)"]["R@10"]

    png = args.out.with_suffix(".png")
    shown = ("ours (OR)", "bm25s baseline", "ours (OR), no diacritics")
    dev_qs = [q for lb in dev_labels for q in sets[lb][1]]
    plot({f"ALQAC 2023 private test ({len(sets['test 2023'][1])} questions)":
          {s: curve(sets["test 2023"][1], runs["test 2023"][s]) for s in shown},
          f"dev: ALQAC 2022 + 2023 train ({len(dev_qs)} questions)":
          {s: curve(dev_qs, [r for lb in dev_labels for r in runs[lb][s]]) for s in shown}}, png)

    n_const = sum(p["id"].startswith("Hiến pháp#") for p in passages["2023"])
    n_pass = {y: len(ps) for y, ps in passages.items()}
    chars = {y: sum(len(p["text"]) for p in ps) for y, ps in passages.items()}
    fields = ", ".join(f"{k} {v:g}" for k, v in schema.TEXT_FIELDS.items())
    w = search.weighting()
    lines = [
        "# Passage ranking — ALQAC 2022/2023 (law articles)",
        "",
        f"Command: `flock /tmp/vanthu-bench.lock .venv/bin/python -m bench.ranking{' --quick' if args.quick else ''}`  ",
        f"Date: {datetime.now():%Y-%m-%d %H:%M}; machine: {platform.node() or '?'}, {platform.processor() or platform.machine()}, "
        f"2 cores shared with others; Python {platform.python_version()}, Whoosh 2.7.4, underthesea 9.5.0, bm25s.  ",
        f"Run time {time.monotonic() - started:.0f}s (indexes {index_s:.0f}s, cached under {CACHE}; "
        f"{query_ms:.0f} ms per question for the five systems together).",
        "",
        "## Data",
        f"- Passages: one per law article, title = its heading line. ALQAC 2022 corpus {n_pass['2022']:,} articles "
        f"({chars['2022'] / 1e6:.2f} M chars, 4 laws); ALQAC 2023 corpus {n_pass['2023']:,} articles "
        f"({chars['2023'] / 1e6:.2f} M chars: 16 laws of law.json, and the 2013 Constitution, "
        f"{n_const} articles from ../shared/corpus/laws, which law.json lacks but 12 test judgments cite). "
        "Each year's questions are asked of that year's corpus.",
        f"- Dev (tuning): ALQAC 2022 questions ({len(q22)}) + ALQAC 2023 train ({len(q23)}) = {len(q22) + len(q23)}.",
        f"- Test (reported): ALQAC 2023 private test, {len(test)} questions scored ({test_dropped} dropped: "
        "no judged article in the corpus). Until 2026-11-26 the Constitution was missing and 8 questions "
        "were dropped; the figures before that (102 questions) are in the git history of this report.",
        "- Recall@k = share of a question's relevant articles in the top k, averaged over questions; "
        "MRR@10 = 1/rank of the first relevant article (0 beyond 10). Figures in %.",
        f"- Our default at this run: BM25F(B={w.B}, K1={w.K1}, idf {w.idf_form}); field boosts {fields}; adjacency "
        f"{schema.ADJACENCY}.",
        "",
        "## Test — ALQAC 2023 private test",
        table(["test 2023"]),
        "",
        f"Ours (OR) vs the bm25s baseline on Recall@10: **{gap:+.1f} points** (target ≥ +5); the product path "
        f"(`run_search` + relaxed fallback): **{gap_product:+.1f}**. Ours (OR) = the per-word queries "
        "(`search.word_query`, same fields, boosts, BM25F) joined by OR, with the adjacency bonus "
        "(`search.adjacency_bonus`: the question's folded syllable bigrams) and the definition bonus (below). The product path is what "
        "`Library.search` does (`search.search_with_fallbacks`): AND of all words, one-syllable words side by side "
        "asked as a pair where the archive has them so (`search.joined_pairs`); when nothing matches, the words apart; "
        f"when fewer than {RELAX_BELOW} articles match and the question has at least "
        f"{RELAX_FROM} words, the same query with `match=\"any\"` (OR of the words plus the adjacency bonus and "
        "number look-ups). With AND only, a question typed as a sentence almost never has all its words in one "
        f"article ({100 * m['test 2023']['run_search, AND only']['R@10']:.1f} % R@10). The no-diacritics rows ask "
        "the same questions stripped of accents (NFD, Mn dropped, đ→d).",
        "",
        f"![Recall@k, test]({png.name})",
        "",
        "## Dev — ALQAC 2022 + 2023 train (tuning data)",
        table(dev_labels),
        "",
        "By set:",
        "",
        "| set | ours (OR) R@10 | bm25s R@10 | run_search + relaxed R@10 | ours (OR) MRR@10 | bm25s MRR@10 |",
        "|---|---|---|---|---|---|",
        *(f"| {lb} | {100 * m[lb]['ours (OR)']['R@10']:.1f} | {100 * m[lb]['bm25s baseline']['R@10']:.1f} | "
          f"{100 * m[lb][PRODUCT]['R@10']:.1f} | {100 * m[lb]['ours (OR)']['MRR@10']:.1f} | "
          f"{100 * m[lb]['bm25s baseline']['MRR@10']:.1f} |" for lb in dev_labels),
        "",
        "## No diacritics",
        "| set | ours (OR) R@10 accented | stripped | stripped / accented | product path R@10 accented | stripped | stripped / accented |",
        "|---|---|---|---|---|---|---|",
        *(f"| {lb} | {100 * m[lb]['ours (OR)']['R@10']:.1f} | {100 * m[lb]['ours (OR), no diacritics']['R@10']:.1f} "
          f"| {100 * ratio[lb]:.1f} % | {100 * m[lb][PRODUCT]['R@10']:.1f} | {100 * m[lb][PRODUCT + ', no diacritics']['R@10']:.1f} "
          f"| {100 * m[lb][PRODUCT + ', no diacritics']['R@10'] / m[lb][PRODUCT]['R@10']:.1f} % |" for lb in sets),
        f"| dev pooled | {100 * dev_m['ours (OR)']['R@10']:.1f} | {100 * dev_m['ours (OR), no diacritics']['R@10']:.1f} "
        f"| {100 * ratio_dev:.1f} % | {100 * dev_m[PRODUCT]['R@10']:.1f} | {100 * dev_m[PRODUCT + ', no diacritics']['R@10']:.1f} "
        f"| {100 * dev_m[PRODUCT + ', no diacritics']['R@10'] / dev_m[PRODUCT]['R@10']:.1f} % |",
        "",
        "Target ≥ 95 %. Stripped words are unaccented, so `word_query` matches them only in the folded "
        "fields (with double boost); the plain syllable baseline has nothing to match them against. "
        "underthesea groups unaccented syllables into wrong words (`a_du_tuoi`, `la_quan`, `co_hieu`), so "
        "`search.query_words` asks such a group syllable by syllable (folded), and the adjacency bonus rewards "
        "the syllables standing together. Diagnostic, dev only (not the product): asking the groups as "
        "underthesea made them (their folded bigrams) gives dev R@10 "
        f"{100 * dev_m[DIAG]['R@10']:.1f} (stripped / accented {100 * dev_m[DIAG]['R@10'] / dev_m['ours (OR)']['R@10']:.1f} %), "
        f"MRR@10 {100 * dev_m[DIAG]['MRR@10']:.1f} against {100 * dev_m['ours (OR), no diacritics']['MRR@10']:.1f}"
        + (" — worse, which is why the product splits them."
           if better(dev_m["ours (OR), no diacritics"], dev_m[DIAG]) else " — better: the split in `query_words` should go."),
        f"On test the stripped questions keep {100 * ratio['test 2023']:.1f} % of R@10 "
        f"({100 * (m['test 2023']['ours (OR)']['R@10'] - m['test 2023']['ours (OR), no diacritics']['R@10']):.1f} points, "
        f"about {round(len(sets['test 2023'][1]) * (m['test 2023']['ours (OR)']['R@10'] - m['test 2023']['ours (OR), no diacritics']['R@10']))} "
        f"of {len(sets['test 2023'][1])} questions), {'below' if ratio['test 2023'] < 0.95 else 'meeting'} the 95 % "
        f"target, against {100 * ratio_dev:.1f} % on dev.",
        "",
        "## Definitions, choices and the Constitution",
        f"- Definition questions (\"X là gì\", \"định nghĩa X\", \"X được hiểu như thế nào\": "
        "`definitions.asked_term`) get a bonus for the articles whose clauses define X (`defines` field, "
        f"`search.DEFINITION_BONUS` = {search.DEFINITION_BONUS:g}, chosen on dev: the gain plateaus from 64). "
        + "; ".join(f"{lb}: {len(sub)} such questions, R@10 {100 * metrics([q for q, _ in sub], [r for _, r in sub])['R@10']:.1f} "
                    f"with the bonus, {100 * metrics([q for q, _ in subn], [r for _, r in subn])['R@10']:.1f} without; "
                    f"MRR@10 {100 * metrics([q for q, _ in sub], [r for _, r in sub])['MRR@10']:.1f} / "
                    f"{100 * metrics([q for q, _ in subn], [r for _, r in subn])['MRR@10']:.1f}"
                    for lb in sets
                    if (sub := [(q, r) for q, r in zip(sets[lb][1], runs[lb]['ours (OR)']) if asked_term(q.text)])
                    for subn in [[(q, r) for q, r in zip(sets[lb][1], runs[lb][NO_DEF]) if asked_term(q.text)]])
        + f". Over all questions the row \"{NO_DEF}\" shows the difference.",
        "- \"question + its choices\" rows: a multiple-choice question (\"Hành vi nào sau đây bị cấm?\") asked "
        "with its four options after it, as it was posed; the other rows ask the question text alone, as the "
        "competition's retrieval task does. Both systems gain; shown for information, not used for tuning.",
        "- Test questions by where their judged articles are: "
        + "; ".join(f"{name} ({len(sub)}): ours R@10 {100 * metrics([q for q, _ in sub], [r for _, r in sub])['R@10']:.1f}, "
                    f"bm25s {100 * metrics([q for q, _ in subb], [r for _, r in subb])['R@10']:.1f}"
                    for name, keep in (("all in law.json", lambda q: not any(a.startswith("Hiến pháp#") for a in q.relevant)),
                                       ("citing the Constitution", lambda q: any(a.startswith("Hiến pháp#") for a in q.relevant)))
                    if (sub := [(q, r) for q, r in zip(sets["test 2023"][1], runs["test 2023"]["ours (OR)"]) if keep(q)])
                    for subb in [[(q, r) for q, r in zip(sets["test 2023"][1], runs["test 2023"]["bm25s baseline"]) if keep(q)]])
        + ".",
        "",
        "## Findings",
        f"- Against the target (+5 R@10 over bm25s): {'met' if gap >= 5 else 'not met'} on test ({gap:+.1f}). The headroom is small — bm25s "
        f"already has {100 * m['test 2023']['bm25s baseline']['R@10']:.1f} % R@10 on test and "
        f"{100 * dev_m['bm25s baseline']['R@10']:.1f} % on dev — and our gain is at the top of the list: "
        f"R@1 {100 * (m['test 2023']['ours (OR)']['R@1'] - m['test 2023']['bm25s baseline']['R@1']):+.1f}, "
        f"MRR@10 {100 * (m['test 2023']['ours (OR)']['MRR@10'] - m['test 2023']['bm25s baseline']['MRR@10']):+.1f} points on test.",
        "- What else was tried, on dev only (bench/reports/ranking_ideas.md): a proximity re-rank of the top 50, "
        "pseudo-relevance feedback, down-weighting question words, per-field B, a law-level score, word vectors "
        "trained on the law texts (soft term matching), rank fusion with the bm25s ranking and a bonus for the law "
        "a question names. None moved dev R@10 "
        "beyond one or two questions of 620, which leaves nothing to adopt: dev has only about 7 questions outside "
        "the top 10 to learn from. Asked among 5,250–8,462 more articles of the 109 laws of ../shared/corpus/laws "
        "(a harder dev, step `hard`), it still has 10: ours R@10 98.4 against bm25s 94.0. And no "
        "pretrained Vietnamese embedding or cross-encoder model is at hand: the machine reaches PyPI, not model hubs, "
        "and no PyPI package found carries one.",
        "- The title boost was the main loss before tuning: a passage title here is the article heading "
        "(\"Phạm vi điều chỉnh\", \"Quyền của viên chức\"), shared words that a ×3 boost over-rewarded. In the "
        "archive a title is a whole document title (\"Kế hoạch thi đua khen thưởng năm 2019\"), a stronger "
        "signal than an article heading: check the new title boost on a set of staff queries before relying on it.",
        "- `run_search` with AND only finds almost nothing for a question typed as a sentence; the relaxed "
        "fallback of `Library.search` is what makes question-style queries work (row above). It triggers when "
        f"AND finds fewer than {RELAX_BELOW} articles (until 2026-11-26: none at all, dev R@10 96.9; the threshold "
        "was chosen on dev, where 3, 5 and 10 give the same 98.2): a question whose words all occur in one or two "
        "wrong articles is relaxed too.",
    ]
    if grid_rows:
        lines += [
            "",
            "## Tuning grid (dev only, ours (OR))",
            f"Coordinate descent from the setting of the previous tuning plus first guesses for the bigram fields "
            f"(start: {describe(START)}): the families below in order, each change tried on the best setting so far (a row is that setting "
            "plus the change named; a factor multiplies the boosts of that setting); kept when dev R@10 + MRR@10 rises "
            f"(one question is 0.16 point of R@10 here, so R@10 alone is too coarse). {NO_FOLD} = not eligible: "
            "without the folded or bigram fields a query typed without accents matches nothing (or only its one-syllable words); "
            "without the word fields a whole-word match no longer ranks above a syllable match, and without the syllable "
            "fields an accented syllable (\"hòa\" in \"hòa_giải\") no longer ranks above its folded form (\"hoa\"); "
            "issue 5 asks for both. "
            "Test was not scored while tuning (`--dev-only`).",
            "",
            "Boosts are word/syllable/folded/bigram field for title and body; adjacency = the bonus for query "
            "bigrams found in title/body (× the bigram field boost).",
            "",
            "| step | setting | R@1 | R@5 | R@10 | MRR@10 |",
            "|---|---|---|---|---|---|",
            *(f"| {name}{' **← chosen**' if s == chosen else ''} | {describe(s)} | {fmt(mm)} |" for name, s, mm in grid_rows),
        ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out} and {png}")


if __name__ == "__main__":
    main()
