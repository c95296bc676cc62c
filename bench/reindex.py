"""Bulk indexing benchmark → bench/reports/reindex.md. Reports, never asserts.

    flock /tmp/vanthu-bench.lock .venv/bin/python -m bench.reindex --count 2000 --workers 2

Measures: first `vanthu index` (docs/s, MB/s) beside raw underthesea segmentation of the
same text in a Pool of the same size; unchanged `index` again; full `reindex` (cache
cold / warm); peak RSS of the process tree; search p50/p95 before and during a re-index;
kill -9 trials of a re-index (live index answers the same afterwards).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["thi đua", "kế hoạch", "ủy ban nhân dân", "xây dựng", "quyết định", "ngân sách"]


def _raw(text: str) -> int:
    from indexer.segment import _underthesea

    n = 0
    for line in text.split("\n"):
        if line.strip():
            n += len(_underthesea(line.strip()))
    return n


def raw_rate(texts: list[str], workers: int) -> float:
    ctx = get_context("spawn")
    with ctx.Pool(workers, initializer=_raw, initargs=("khởi động",)) as pool:
        t = time.monotonic()
        list(pool.imap_unordered(_raw, texts, chunksize=4))
        return time.monotonic() - t


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_cli(*args) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "indexer.cli", *args], env=env, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stderr[-2000:], file=sys.stderr)
    return time.monotonic() - t, children_peak_mb()


def answers(data):
    from indexer.library import Library
    from indexer.search import SearchParams

    lib = Library(data)
    try:
        r = {q: lib.search(SearchParams(q=q, limit=50)) for q in QUERIES}
        return {q: (x["total"], sorted(h["id"] for h in x["hits"])) for q, x in r.items()}
    finally:
        lib.close()


def latencies(data, seconds: float, clients: int, stop: threading.Event | None = None):
    from indexer.library import Library
    from indexer.search import SearchParams

    lat, errors = [], []
    end = time.monotonic() + seconds

    def client():
        lib = Library(data)
        rng = random.Random()
        while time.monotonic() < end and not (stop and stop.is_set()):
            t = time.monotonic()
            try:
                lib.search(SearchParams(q=rng.choice(QUERIES), limit=10))
                lat.append(time.monotonic() - t)
            except Exception as exc:  # noqa: BLE001
                errors.append(repr(exc))
        lib.close()

    ts = [threading.Thread(target=client) for _ in range(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return lat, errors


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000 if xs else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kills", type=int, default=5)
    ap.add_argument("--mixed", action="store_true", help="mixed formats instead of --text-only")
    ap.add_argument("--out", default=str(ROOT / "bench" / "reports" / "reindex.md"))
    args = ap.parse_args()
    from corpus.generate import generate

    work = Path(tempfile.mkdtemp(prefix="vanthu-bench-reindex-"))
    arch, data = work / "archive", work / "data"
    t = time.monotonic()
    generate(arch, seed=11, count=args.count, text_only=not args.mixed)
    gen_s = time.monotonic() - t

    first_s, rss1 = run_cli("index", str(arch), "--data", str(data), "--workers", str(args.workers))
    again_s, _ = run_cli("index", str(arch), "--data", str(data), "--workers", str(args.workers))
    from indexer.store import Archive

    texts = [r["text"] for r in Archive(data).iter_records()]
    ndocs, mb = len(texts), sum(len(x.encode()) for x in texts) / 1e6
    raw_s = raw_rate(texts, args.workers)
    del texts

    # reindex with a warm cache, searches running: p95 before vs during
    before = answers(data)
    lat0, err0 = latencies(data, 5, 8)
    stop = threading.Event()
    during: dict = {}

    def searchers():
        during["lat"], during["err"] = latencies(data, 3600, 8, stop)

    th = threading.Thread(target=searchers)
    th.start()
    warm_s, rss2 = run_cli("reindex", "--data", str(data), "--workers", str(args.workers))
    stop.set()
    th.join()
    same_after = answers(data) == before
    # cold cache
    import shutil

    shutil.rmtree(data / "cache", ignore_errors=True)
    cold_s, rss3 = run_cli("reindex", "--data", str(data), "--workers", str(args.workers))

    # kill -9 trials
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rng = random.Random(5)
    ok = 0
    for _ in range(args.kills):
        ref = answers(data)
        p = subprocess.Popen([sys.executable, "-m", "indexer.cli", "reindex", "--data", str(data), "--workers",
                              str(args.workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
        time.sleep(rng.uniform(0.5, max(1.0, 0.9 * cold_s)))  # within an unloaded run
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        ok += answers(data) == ref
    resume_s, _ = run_cli("reindex", "--data", str(data), "--workers", str(args.workers))

    lines = [
        "# Bulk indexing / re-index benchmark",
        "",
        f"Command: `flock /tmp/vanthu-bench.lock .venv/bin/python -m bench.reindex --count {args.count} "
        f"--workers {args.workers} --kills {args.kills}{' --mixed' if args.mixed else ''}`  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores (shared with other engineers: "
        "figures are noisy). Demo archive "
        f"{'mixed formats' if args.mixed else '--text-only'}, {ndocs} documents, {mb:.1f} MB of text "
        f"(generated in {gen_s:.0f}s).",
        "",
        "| run | seconds | docs/s | MB/s | peak RSS (largest process, MB) |",
        "|---|---|---|---|---|",
        f"| raw underthesea, Pool({args.workers}), same text | {raw_s:.1f} | {ndocs / raw_s:.1f} | {mb / raw_s:.3f} | – |",
        f"| `vanthu index` first (cold cache) | {first_s:.1f} | {ndocs / first_s:.1f} | {mb / first_s:.3f} | {rss1:.0f} |",
        f"| `vanthu index` again, unchanged | {again_s:.1f} | {ndocs / again_s:.1f} | – | – |",
        f"| `vanthu reindex`, warm cache, 8 search clients | {warm_s:.1f} | {ndocs / warm_s:.1f} | {mb / warm_s:.3f} | {rss2:.0f} |",
        f"| `vanthu reindex`, cold cache | {cold_s:.1f} | {ndocs / cold_s:.1f} | {mb / cold_s:.3f} | {rss3:.0f} |",
        f"| `vanthu reindex` after the kill trials (resume) | {resume_s:.1f} | – | – | – |",
        "",
        f"- First index vs raw segmentation: {raw_s / first_s * 100:.0f} % of the raw rate "
        "(includes process start-up, extraction, metadata, archive writes and Whoosh).",
        f"- Unchanged `index` vs first: {first_s / again_s:.1f}× faster (wall time includes ~1 s of interpreter start).",
        f"- Search during re-index (8 threads): {len(during.get('lat', []))} queries, {len(during.get('err', []))} errors, "
        f"p50/p95 {pct(during.get('lat', []), .5):.1f}/{pct(during.get('lat', []), .95):.1f} ms; before: "
        f"{len(lat0)} queries, {len(err0)} errors, p50/p95 {pct(lat0, .5):.1f}/{pct(lat0, .95):.1f} ms. "
        f"Same answers after the switch: {same_after}.",
        f"- kill -9 at a random time during `vanthu reindex`: {ok}/{args.kills} trials the live index answered "
        f"the same {len(QUERIES)} queries identically afterwards; the next run then finished ({resume_s:.1f}s).",
        "- Peak RSS: ru_maxrss of the largest child process (the CLI parent or one pool worker).",
    ]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(json.dumps({"work": str(work)}))


if __name__ == "__main__":
    main()
