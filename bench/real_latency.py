"""Search latency on the real documents: what a page of long laws and plans costs.

    python -m bench.real_latency [--workdir /tmp/vanthu-bench-real] [--repeat 5]

The 100k benchmark (bench/latency.py) times short generated documents. Real archives hold
decrees, laws and planning annexes of 0.1–2 M characters, where a page's cost is the snippets
(each hit's text is read and its matches marked), and a query that finds nothing costs the
spelling suggestion. This script indexes ../shared/corpus/admin and ../shared/corpus/laws
(no OCR; cached in the work dir per index schema), then times `Library.search` — what the
service and the CLI call — on three fixed query sets:

- topic: everyday words, 10 hits per page;
- number: numbers of archived documents, typed as printed;
- typo: a letter dropped, doubled or swapped in one word, which finds nothing (or a relaxed
  list) and so asks for a suggestion; when no document holds every word typed, the corrected
  query is searched too and its hits shown (`corrected`).

Each query runs `--repeat` times on a warm searcher (after one untimed pass); the report gives
the median per query and p50/p95 per set. Writes bench/reports/real_latency.md. With
`--before`, the summary of a run on older code is shown beside it: run this file with
PYTHONPATH set to a checkout of that code and `--out` elsewhere first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"

TOPIC = [
    "phòng chống dịch bệnh", "quy hoạch", "ngân sách nhà nước năm 2020", "chuyển đổi số", "thi đua khen thưởng",
    "cải cách hành chính", "an toàn giao thông", "đất đai", "bảo vệ môi trường", "xây dựng nông thôn mới",
    "phòng cháy chữa cháy", "hóa chất nguy hiểm", "cụm công nghiệp", "thủ tục hành chính", "phân cấp phân quyền",
    "lao động", "bằng khen", "kế hoạch", "tuyen truyen", "quan ly nha nuoc",
]
TYPO = [
    "khen thuongg", "phong chong dich benhh", "quy haoch", "bằng khne", "ngaan sach", "chuyen doii so",
    "cai cach hanh chnh", "moi truongg", "hoa chatt", "thu tuc hanh chinhh",
]


def build(work: Path) -> Path:
    """The data dir of the real documents for this code's index schema (built once)."""
    from indexer.extract import Limits
    from indexer.pipeline import index_path
    from indexer.schema import SCHEMA_VERSION

    data = work / SCHEMA_VERSION.replace("/", "_")
    if (data / "built.json").exists():
        return data
    data.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for folder in (SHARED / "admin" / "files", SHARED / "laws" / "corpus"):
        index_path(folder, data, workers=2, limits=Limits(ocr=False))
    (data / "built.json").write_text(json.dumps({"index_s": time.perf_counter() - t0}))
    return data


def numbers(lib, n: int = 15) -> list[str]:
    docs = lib.list_documents(limit=100)["documents"]
    return [d["number"] for d in docs if d.get("number")][:n]


def timed(lib, queries: list[str], repeat: int) -> dict[str, tuple[float, int, bool]]:
    """query → (median ms, total hits, the suggestion or correction: "offered", "searched" or "")."""
    from indexer.search import SearchParams

    out = {}
    for q in queries:
        lib.search(SearchParams(q=q, limit=10))  # untimed: each query's first pass
        runs, r = [], None
        for _ in range(repeat):
            t = time.perf_counter()
            r = lib.search(SearchParams(q=q, limit=10))
            runs.append(1000 * (time.perf_counter() - t))
        out[q] = (statistics.median(runs), r["total"],
                  "searched" if r.get("corrected") else "offered" if r.get("suggestion") else "")
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workdir", default="/tmp/vanthu-bench-real")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "bench" / "reports" / "real_latency.md"))
    ap.add_argument("--before", help="a report of this script run on older code (PYTHONPATH=<old checkout>), "
                                     "whose summary is shown beside this run's")
    ap.add_argument("--before-label", default="before")
    args = ap.parse_args(argv)
    if not SHARED.exists():
        print(f"{SHARED} is missing: this benchmark needs ../shared/corpus")
        return 1
    from indexer.library import Library

    data = build(Path(args.workdir))
    lib = Library(data)
    sets = {"topic": TOPIC, "number": numbers(lib), "typo": TYPO}
    results = {name: timed(lib, qs, args.repeat) for name, qs in sets.items()}
    count = lib.count()
    chars = sum(len(lib.archive.load_record(d["id"])["text"]) for d in lib.list_documents(limit=100)["documents"])
    lines = [
        "# Search latency on the real documents",
        "",
        f"Command: `flock /tmp/vanthu-bench.lock .venv/bin/python -m bench.real_latency`  ",
        f"Date: {datetime.now():%Y-%m-%d %H:%M}; 2 cores shared; {count} documents "
        f"(../shared/corpus/admin, no OCR, and ../shared/corpus/laws; the newest 100 hold {chars / 1e6:.1f} M characters).",
        "",
        f"`Library.search`, 10 hits per page with snippets, warm searcher; median of {args.repeat} runs per query.",
        "",
        "| set | queries | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|",
    ]
    for name, res in results.items():
        ms = [v[0] for v in res.values()]
        lines.append(f"| {name} | {len(ms)} | {pct(ms, 50):.0f} | {pct(ms, 95):.0f} | {max(ms):.0f} |")
    if args.before:
        prev = Path(args.before).read_text(encoding="utf-8").splitlines()
        rows = [ln for ln in prev if ln.startswith("| ") and ln.split("|")[1].strip() in results]
        lines += ["", f"The same script on {args.before_label} (same documents, same machine, just before):", "",
                  "| set | queries | p50 ms | p95 ms | max ms |", "|---|---|---|---|---|", *rows[: len(results)]]
    lines += ["", "Per query:", "", "| set | query | ms | hits | correction |", "|---|---|---|---|---|"]
    for name, res in results.items():
        for q, (ms, total, sug) in res.items():
            lines.append(f"| {name} | `{q}` | {ms:.0f} | {total} | {sug} |")
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:12 + len(results)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
