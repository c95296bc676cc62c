"""Searches while a large file is uploaded → bench/reports/upload.md. Reports, never asserts.

    flock /tmp/vanthu-bench.lock .venv/bin/python -m bench.upload --mb 14

A demo archive (generated, text only) is indexed; then, for each way of preparing an upload —
in the service's thread (VANTHU_LARGE_UPLOAD_MB above the file's size, as before) and in the
worker process (the default) — a real server (uvicorn) gets the same large text file through
POST /api/documents while one client searches without pause. The file: the law texts of
../shared/corpus/laws joined (real text), cut at --mb; without ../shared, generated documents.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
LAWS = ROOT.parent / "shared" / "corpus" / "laws" / "corpus"
REPORT = ROOT / "bench" / "reports" / "upload.md"
QUERIES = ["thi đua", "kế hoạch", "ủy ban nhân dân", "khen thuong", "1460/KH-UBND", "quyết định khen thưởng"]
TOKEN = "bench-upload"


def big_text(folder: Path, mb: float) -> tuple[str, str]:
    if LAWS.is_dir():
        files, what = sorted(LAWS.glob("*.txt")), f"the {len(list(LAWS.glob('*.txt')))} law texts of ../shared/corpus/laws"
    else:
        files, what = sorted(folder.rglob("*.txt")), "generated demo documents"
    out, size = [], 0
    while size < mb * (1 << 20):
        for f in files:
            t = f.read_text(encoding="utf-8")
            out.append(t)
            size += len(t.encode())
            if size >= mb * (1 << 20):
                break
    return "\n\n".join(out), what


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(data: Path, large_mb: float) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "VANTHU_DATA": str(data), "VANTHU_ADMIN_TOKEN": TOKEN, "VANTHU_LARGE_UPLOAD_MB": str(large_mb),
           "VANTHU_OCR": "false"}
    p = subprocess.Popen([sys.executable, "-m", "uvicorn", "service.app:create_app", "--factory", "--port", str(port),
                          "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return p, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    p.kill()
    raise SystemExit("the server did not start")


def trial(data: Path, large_mb: float, payload: bytes) -> dict:
    p, base = serve(data, large_mb)
    try:
        with httpx.Client(base_url=base, timeout=600) as c:
            for q in QUERIES:  # warm
                c.get("/api/search", params={"q": q})
            quiet = []
            for i in range(60):
                t = time.perf_counter()
                c.get("/api/search", params={"q": QUERIES[i % len(QUERIES)]})
                quiet.append(time.perf_counter() - t)
            reply: dict = {}

            def upload():
                t = time.perf_counter()
                with httpx.Client(base_url=base, timeout=1200) as u:
                    reply["r"] = u.post("/api/documents", files={"file": ("tong-hop-luat.txt", payload, "text/plain")},
                                        headers={"Authorization": f"Bearer {TOKEN}"})
                reply["s"] = time.perf_counter() - t

            th = threading.Thread(target=upload)
            th.start()
            during, i = [], 0
            while th.is_alive():
                t = time.perf_counter()
                r = c.get("/api/search", params={"q": QUERIES[i % len(QUERIES)]})
                during.append(time.perf_counter() - t)
                assert r.status_code == 200, r.text
                i += 1
            th.join()
            status = reply["r"].status_code
    finally:
        p.terminate()
        p.wait(30)
    return {"quiet": quiet, "during": during, "upload_s": reply["s"], "status": status}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=14)
    ap.add_argument("--count", type=int, default=400)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="vanthu-upload-") as tmp:
        tmp = Path(tmp)
        subprocess.run([sys.executable, "-m", "corpus.generate", "--out", str(tmp / "demo"), "--count", str(args.count),
                        "--text-only"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "indexer.cli", "index", str(tmp / "demo"), "--data", str(tmp / "base")],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        text, what = big_text(tmp / "demo", args.mb)
        payload = text.encode()
        rows = []
        for name, large_mb in (("in the service's thread (before)", 10_000), ("in the worker process (now)", 2)):
            data = tmp / f"data-{large_mb}"
            shutil.copytree(tmp / "base", data)
            r = trial(data, large_mb, payload)
            rows.append((name, r))
            print(name, {k: (round(v, 2) if isinstance(v, float) else len(v) if isinstance(v, list) else v)
                         for k, v in r.items()}, flush=True)
    ms = lambda x: f"{1000 * x:.0f}"  # noqa: E731
    lines = [
        "# Searches during a large upload",
        "",
        f"Command: `flock /tmp/vanthu-bench.lock .venv/bin/python -m bench.upload --mb {args.mb:g} --count {args.count}`  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M')}; machine: {platform.node()}, {os.cpu_count()} cores (shared); "
        f"Python {platform.python_version()}.",
        "",
        f"A demo archive of {args.count} generated documents is served by uvicorn (one process). One client "
        f"uploads a {len(payload) / (1 << 20):.1f} MB text file ({len(text):,} characters: {what}) "
        "while another sends searches one after the other (six queries in turn: words, no diacritics, a "
        "number). Latency is seen by the searching client. Each row is one trial.",
        "",
        "| upload prepared | upload s | searches during | p50 ms | p95 ms | max ms | quiet p50 / max ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in rows:
        d = r["during"]
        lines.append(f"| {name} | {r['upload_s']:.1f} (HTTP {r['status']}) | {len(d)} | {ms(statistics.median(d))} | "
                     f"{ms(pct(d, 0.95))} | {ms(max(d))} | {ms(statistics.median(r['quiet']))} / {ms(max(r['quiet']))} |")
    lines += [
        "",
        "In the thread, the upload's whole-text steps (extraction, normalization, segmentation, term "
        "counts) hold Python's GIL for seconds at a time and a search waits behind them. In the worker "
        "process only the index write is left in the service (Whoosh adding the counted terms, the commit).",
        "",
    ]
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print(REPORT)


if __name__ == "__main__":
    main()
