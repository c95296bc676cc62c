"""Extraction benchmark → bench/reports/extraction.md (+ extraction_legacy.png). Reports, never asserts.

    cd /work/main && flock /tmp/vanthu-bench.lock .venv/bin/python -m bench.extraction

1. Legacy fonts (../shared/corpus/legacy): every .doc/.rtf/.pdf (and the synthetic .docx, apart)
   through extract_raw(ocr off) and extract() (= extract_raw + normalize_text), beside the
   published `viparse` (viparse.load(output="text", encoding="auto"), as upstream's run_viparse),
   scored with the upstream metric (bench/metric.py) against ground-truth/<stem>.txt.
2. Real admin corpus (../shared/corpus/admin): all files through extract() with OCR, characters
   vs MANIFEST.csv.
3. Throughput per format on the files above and on a generated demo archive.

The metric aligns whole documents with difflib (autojunk=False): quadratic, ~6 min for one
250k-character file. When `cydifflib` is installed its SequenceMatcher (the same algorithm in C,
identical matching blocks) is used instead; the run checks that on a few files against stdlib
difflib and says so in the report. No text is capped. `--pure-difflib` forces the stdlib.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import re
import time
from collections import Counter, defaultdict
from datetime import datetime
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path

from bench import metric

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
LEGACY, ADMIN = SHARED / "legacy", SHARED / "admin"
SCORED = (".doc", ".rtf", ".pdf")
METRICS = ("char", "diacritic", "syllable")
TOOLS = ("ours-raw", "ours-norm", "viparse")

# Read by hand; the cause of the worst legacy scores and of the admin files off MANIFEST by >5 %.
NOTES = {
    "2006-16EZE_TT01.06GopvonDNNVV": "header block order; the text layer splits syllables at kerned glyphs: re-joined "
                                     "(extract/syllables.py) but for splits into two real syllables ('bả o', 'sa u') and inside numbers "
                                     "('193/ 2001')",
    "2007-1AF57_02-2007": "the text layer splits syllables at kerned glyphs ('nghi ệp', 'n −ớc'): re-joined; left: spaces "
                          "around numbers and punctuation ('7% ,')",
    "2006-19412_QD115.04TTg_BLTch_DNNVV": "syllables split by glyph positioning: all re-joined",
    "2005-1ADDZ_Ke_hoach_2005__QH_lan_6_25-10": "the transcript keeps the text layer's split syllables ('c òn', 'l ý', as pdfplumber reads them); "
                                                "pypdf reads them whole, so correct text counts as wrong",
    "2006-1E499_ND109veDKKD_dacotrenmucPTDNN-V": "as above: the transcript has 't ừ', 'b ằng' where we read 'từ', 'bằng'",
    "2004-duanLD9820": "piece table unreadable → antiword fallback (wrapped cells); TCVN3+VNI mixed: short capital "
                       "lines ('MôC LôC') read as VNI; .VnTimeH headings stay lowercase",
    "2004-mauduan": "piece table unreadable → antiword fallback: wrapped table cells",
    "2003-02120": "piece table unreadable → antiword fallback",
    "qd866-dieuchinh-2026-phuluc": "tables typed as text, padded with spaces",
    "ND-161-2024-HHNH-text": "MANIFEST 0: catdoc failed on it at collection time",
    "CV-813-CucHoaChat": "scan without a text layer (MANIFEST: pdftotext's 2 chars)",
    "BC-UBND-QLNN-khoang-san-nam-2025": "we include word/footnotes.xml (19 KB), which python-docx paragraphs miss",
}


# --- workers ----------------------------------------------------------------------------------

def init_worker(fast: bool) -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"  # one tesseract thread per worker: 2 workers, 2 cores
    if fast:
        import cydifflib

        metric.difflib = cydifflib


def weights(truth: str) -> dict:
    """Denominators of the three metrics, to aggregate over characters rather than files."""
    gt = metric.prep(truth)
    return {"char": len(gt), "diacritic": sum(map(metric._has_diacritic, gt)), "syllable": len(gt.split(" "))}


def legacy_job(job: tuple[str, Path, Path]) -> dict:
    tool, path, truth_path = job
    truth = truth_path.read_text(encoding="utf-8")
    r = {"tool": tool, "name": path.stem, "fmt": path.suffix[1:],
         "subset": "synthetic" if "synthetic" in path.parts else "public-domain",
         "w": weights(truth), "scores": {}, "error": None}
    t = time.perf_counter()
    try:
        if tool == "ours":
            from indexer.extract import Limits, extract_raw
            from indexer.normalize import normalize_text

            raw = extract_raw(path, limits=Limits(ocr=False))
            r["seconds"] = time.perf_counter() - t
            r["chars"], r["bytes"], r["ocr"] = len(raw.text), len(raw.text.encode("utf-8")), raw.ocr
            texts = {"ours-raw": raw.text, "ours-norm": normalize_text(raw.text)}
        else:
            import viparse

            docs = viparse.load(path, output="text", encoding="auto")
            r["seconds"] = time.perf_counter() - t
            texts = {"viparse": "\n".join(d.text for d in docs)}
    except Exception as exc:  # a failure is counted and listed, never dropped
        r["error"] = f"{type(exc).__name__}: {exc}"[:300]
        return r
    t = time.perf_counter()
    r["scores"] = {k: metric.scores(v, truth) for k, v in texts.items()}
    r["score_seconds"] = time.perf_counter() - t
    return r


def extract_job(job: tuple[Path, bool, bool]) -> dict:
    path, ocr, compare = job
    from indexer.extract import Limits, extract

    r = {"path": path, "name": path.stem, "error": None}
    t = time.perf_counter()
    try:
        raw = extract(path, limits=Limits(ocr=ocr))
    except Exception as exc:
        r.update(seconds=time.perf_counter() - t, error=f"{type(exc).__name__}: {exc}"[:300], fmt=path.suffix[1:])
        return r
    r.update(seconds=time.perf_counter() - t, fmt=raw.format, chars=len(raw.text), ocr=raw.ocr,
             ocr_pages=len(raw.ocr_pages), pages=raw.pages, tables=raw.tables, warnings=raw.warnings,
             legacy=raw.legacy, bytes=len(raw.text.encode("utf-8")))
    if compare:
        try:
            ref, r["dup"] = reference_text(path, raw.format)
            r["ref_chars"], r["collapsed"] = len(ref), len(" ".join(ref.split()))
            r["missing"], r["extra"] = word_gap(raw.text, ref)
        except Exception as exc:
            r["ref_error"] = f"{type(exc).__name__}: {exc}"[:200]
    return r


def run_pool(fn, jobs: list, workers: int, fast: bool, label: str) -> list[dict]:
    out, t0 = [], time.monotonic()
    with get_context("spawn").Pool(workers, initializer=init_worker, initargs=(fast,)) as pool:
        for i, r in enumerate(pool.imap_unordered(fn, jobs), 1):
            out.append(r)
            what = r.get("error") or " ".join(f"{k}={v['diacritic']:.3f}/{v['syllable']:.3f}"
                                              for k, v in r.get("scores", {}).items()) or f"{r.get('chars')} chars"
            print(f"[{label} {i}/{len(jobs)} {time.monotonic() - t0:6.0f}s] {r.get('tool', '')} {r['name']}: {what}",
                  flush=True)
    return out


# --- section 1: legacy fonts ------------------------------------------------------------------

def legacy_files(limit: int | None) -> list[tuple[Path, Path]]:
    pairs = []
    for p in sorted((LEGACY / "corpus").rglob("*")):
        if p.suffix.lower() in (*SCORED, ".docx", ".txt"):
            truth = (LEGACY / ("ground-truth-synthetic" if "synthetic" in p.parts else "ground-truth")
                     / f"{p.stem}.txt")
            if truth.exists():
                pairs.append((p, truth))
    pairs.sort(key=lambda pt: -pt[1].stat().st_size)  # long ones first: the pool ends together
    return pairs[-limit:] if limit else pairs


def check_fast_metric(pairs) -> str:
    """cydifflib gives the same numbers as difflib: checked on the 3 smallest files."""
    import cydifflib

    from indexer.extract import Limits, extract_raw

    for path, truth in pairs[-3:]:
        text, gt = extract_raw(path, limits=Limits(ocr=False)).text, truth.read_text(encoding="utf-8")
        metric.difflib = difflib
        slow = metric.scores(text, gt)
        metric.difflib = cydifflib
        fast = metric.scores(text, gt)
        metric.difflib = difflib
        if slow != fast:
            raise SystemExit(f"cydifflib disagrees with difflib on {path.name}: {slow} vs {fast}")
    return f"cydifflib {metadata.version('cydifflib')} (checked equal to stdlib difflib on 3 files this run)"


def viparse_status() -> tuple[str | None, str]:
    """(version or None, what it can read here)."""
    try:
        import viparse  # noqa: F401
    except ImportError as exc:
        return None, f"not installed ({exc}); `pip install viparse` failed or was not run"
    have = {m: _importable(m) for m in ("olefile", "striprtf", "pdfplumber", "docx")}
    parts = [f".doc via LibreOffice → .docx ({'soffice found' if shutil.which('soffice') else 'NO soffice: fails'}"
             f", olefile {'ok' if have['olefile'] else 'missing'})",
             f".rtf via striprtf ({'ok' if have['striprtf'] else 'missing'})",
             f".pdf via pdfplumber ({'ok' if have['pdfplumber'] else 'missing'}; no OCR asked)",
             f".docx via python-docx ({'ok' if have['docx'] else 'missing'})", "no .txt/.html engine"]
    return metadata.version("viparse"), "; ".join(parts)


def _importable(mod: str) -> bool:
    try:
        __import__(mod)
        return True
    except ImportError:
        return False


def aggregate(rows: list[dict], tool: str) -> dict:
    """{metric: (over characters, per-file mean)} for rows scored by `tool`."""
    got = [r for r in rows if tool in r["scores"]]
    if not got:
        return {}
    return {m: (sum(r["scores"][tool][m] * r["w"][m] for r in got) / max(sum(r["w"][m] for r in got), 1),
                statistics.mean(r["scores"][tool][m] for r in got)) for m in METRICS}


def legacy_section(results: list[dict], vp: tuple[str | None, str]) -> list[str]:
    by_file: dict[tuple, dict] = {}
    for r in results:
        f = by_file.setdefault((r["subset"], r["fmt"], r["name"]),
                               {"name": r["name"], "fmt": r["fmt"], "subset": r["subset"], "w": r["w"],
                                "scores": {}, "errors": {}})
        f["scores"].update(r["scores"])
        if r["error"]:
            f["errors"][r["tool"]] = r["error"]
    files = list(by_file.values())
    groups = [(f"{fmt}", [f for f in files if f["fmt"] == fmt and f["subset"] != "synthetic"]) for fmt in
              ("doc", "rtf", "pdf")]
    groups.append(("**doc+rtf+pdf**", [f for f in files if f["fmt"] in ("doc", "rtf", "pdf")]))
    groups += [(f"{fmt} (synthetic VNI, circular)" if fmt == "docx" else fmt,
                [f for f in files if f["fmt"] == fmt]) for fmt in ("docx", "txt") if any(f["fmt"] == fmt for f in files)]
    out = ["## 1. Legacy fonts (TCVN3 / VNI), upstream metric", "",
           f"Corpus `{LEGACY.relative_to(ROOT.parent)}`: real government files from 2002–2009, hand-checked "
           "Unicode transcripts (old tone placement kept, so **ours-raw** = `extract_raw` is the fair column; "
           "**ours-norm** = `extract()`, modern tone placement, costs those syllables). .xls/.ppt (32 files) are "
           "not formats we read and are not scored; no .txt in the corpus.",
           f"viparse {vp[0] or '—'}: {vp[1]}.", "",
           "Each cell is char / **diacritic** / syllable. Aggregate = over all ground-truth characters "
           "(diacritic-bearing characters, tokens) of the group; targets for doc+rtf+pdf: diacritic ≥ 0.99, "
           "syllable ≥ 0.98.", ""]
    for title, kind in (("Aggregate over characters", 0), ("Per-file mean", 1)):
        out += [f"**{title}**", "", "| format | files | failed (ours / viparse) | ours-raw | ours-norm | viparse |",
                "|---|---:|---|---|---|---|"]
        for name, rows in groups:
            if not rows:
                continue
            cells = []
            for tool in TOOLS:
                a = aggregate(rows, tool)
                cells.append(" / ".join(f"**{a[m][kind]:.3f}**" if m == "diacritic" else f"{a[m][kind]:.3f}"
                                        for m in METRICS) if a else "—")
            fails = (sum("ours" in f["errors"] for f in rows), sum("viparse" in f["errors"] for f in rows))
            out.append(f"| {name} | {len(rows)} | {fails[0]} / {fails[1]} | " + " | ".join(cells) + " |")
        out.append("")
    out += ["**Worst 5 files per format** (ours-raw, ranked by the lower of diacritic and syllable accuracy; "
            "notes read by hand)", "", "| format | file | ours-raw c/d/s | viparse c/d/s | note |", "|---|---|---|---|---|"]
    fmt3 = lambda s: " / ".join(f"{s[m]:.3f}" for m in METRICS) if s else "—"  # noqa: E731
    for name, rows in groups[:3] + groups[4:]:
        ranked = sorted((f for f in rows if "ours-raw" in f["scores"]),
                        key=lambda f: min(f["scores"]["ours-raw"]["diacritic"], f["scores"]["ours-raw"]["syllable"]))
        for f in ranked[:5]:
            out.append(f"| {f['fmt']} | {f['name']} | {fmt3(f['scores']['ours-raw'])} | "
                       f"{fmt3(f['scores'].get('viparse')) if 'viparse' not in f['errors'] else 'failed'} | "
                       f"{NOTES.get(f['name'], '')} |")
    failed = [(f, t, e) for f in files for t, e in f["errors"].items()]
    out += ["", f"**Failures** ({len(failed)}):" + (" none." if not failed else "")]
    out += [f"- {t}: {f['name']}.{f['fmt']} — {e}" for f, t, e in failed]
    plot_legacy(files)
    return out + [""]


def plot_legacy(files: list[dict]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    rows = sorted((f for f in files if f["subset"] != "synthetic" and "ours-raw" in f["scores"]),
                  key=lambda f: f["scores"]["ours-raw"]["syllable"])
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, m in zip(axes, ("diacritic", "syllable")):
        for tool, style in (("ours-raw", "o"), ("viparse", "x")):
            ax.plot(range(len(rows)), [f["scores"].get(tool, {}).get(m, float("nan")) for f in rows], style,
                    label=tool, markersize=4)
        ax.set_title(f"{m} accuracy per legacy file (sorted by ours)")
        ax.set_ylim(0.5, 1.005)
        ax.set_xlabel("file")
        ax.legend()
    fig.tight_layout()
    fig.savefig(REPORT_DIR / "extraction_legacy.png", dpi=90)
    plt.close(fig)


# --- section 2: admin corpus ------------------------------------------------------------------

def manifest() -> dict[Path, dict]:
    with open(ADMIN / "MANIFEST.csv", encoding="utf-8") as f:
        return {ADMIN / row["file"]: row for row in csv.DictReader(f)}


def reference_text(path: Path, fmt: str) -> tuple[str, int]:
    """MANIFEST's extractor run again (python-docx paragraphs + row.cells / catdoc / pdftotext /
    the file), and the characters it counts twice (merged cells, once per grid position)."""
    if fmt == "docx":
        import docx

        d, parts, dup = docx.Document(path), [], 0
        parts += [p.text for p in d.paragraphs]
        for t in d.tables:
            seen = set()
            for row in t.rows:
                for c in row.cells:
                    if c._tc in seen:
                        dup += len(c.text) + 1
                    else:
                        parts.append(c.text)  # compared once; counted again by MANIFEST
                    seen.add(c._tc)
        return "\n".join(parts), dup
    if fmt in ("doc", "pdf"):
        argv = ["catdoc", "-d", "utf-8", "-w", str(path)] if fmt == "doc" else ["pdftotext", str(path), "-"]
        return subprocess.run(argv, capture_output=True, timeout=300).stdout.decode("utf-8", "replace"), 0
    return path.read_bytes().decode("utf-8", "replace"), 0


def word_gap(ours: str, ref: str) -> tuple[float, float]:
    """(share of the reference's words missing from ours, share of our words not in the reference)."""
    a, b = Counter(re.findall(r"\w+", ref)), Counter(re.findall(r"\w+", ours))
    return sum((a - b).values()) / max(sum(a.values()), 1), sum((b - a).values()) / max(sum(b.values()), 1)


def explain(r: dict, man: int) -> str:
    if r["error"]:
        return r["error"]
    tool = {"docx": "python-docx", "doc": "catdoc", "pdf": "pdftotext", "txt": "the file"}.get(r["fmt"], "?")
    bits = [NOTES.get(r["name"], "")]
    if r.get("ocr_pages"):
        bits.append(f"{r['ocr_pages']} page(s) OCR'd")
    if r.get("dup"):
        bits.append(f"python-docx `row.cells` repeats merged cells: {r['dup']:,} chars counted again")
    if "missing" in r:
        if r["ref_chars"] > 100 and r["collapsed"] < 0.95 * r["ref_chars"]:
            bits.append(f"{tool} text is {r['collapsed'] / r['ref_chars']:.0%} as long once whitespace runs "
                        "are collapsed (our normalization collapses them)")
        bits.append(f"words of {tool}'s text missing from ours {r['missing']:.1%}, ours not in it {r['extra']:.1%}")
    return "; ".join(b for b in bits if b) or r.get("ref_error", "not explained")


def admin_section(results: list[dict], man: dict[Path, dict], skip_ocr: bool) -> list[str]:
    by_fmt = defaultdict(list)
    for r in results:
        by_fmt[man[r["path"]]["format"]].append(r)
    out = ["## 2. Real administrative corpus", "",
           f"`{ADMIN.relative_to(ROOT.parent)}`: {len(results)} real files (Sở Công Thương Lào Cai knowledge base), "
           f"`extract(path, limits=Limits({'ocr=False' if skip_ocr else ''}))`. chars = characters of our normalized "
           "text; MANIFEST = `extracted_text_chars_here` (python-docx paragraphs + table cells / catdoc / pdftotext "
           "at collection time). Ratio = ours / MANIFEST.", "",
           "| format | files | ok | failed | OCR'd | chars ours | chars MANIFEST | ratio of sums | per-file ratio median (min–max) |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for fmt in sorted(by_fmt):
        rows = by_fmt[fmt]
        ok = [r for r in rows if not r["error"]]
        ours = sum(r["chars"] for r in ok)
        mans = sum(int(man[r["path"]]["extracted_text_chars_here"]) for r in ok)
        ratios = [r["chars"] / int(man[r["path"]]["extracted_text_chars_here"]) for r in ok
                  if int(man[r["path"]]["extracted_text_chars_here"]) > 0]
        out.append(f"| {fmt} | {len(rows)} | {len(ok)} | {len(rows) - len(ok)} | {sum(bool(r.get('ocr')) for r in ok)} | "
                   f"{ours:,} | {mans:,} | {ours / max(mans, 1):.3f} | "
                   f"{statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f}) |")
    empty = [r for r in results if not r["error"] and r["chars"] == 0]
    failed = [r for r in results if r["error"]]
    out += ["", f"Files without text: {len(empty) + len(failed)} "
                f"({', '.join(r['name'] for r in empty + failed) or 'none'}).", "",
            "**Files whose character count differs from MANIFEST by more than 5 %** (causes checked by hand on "
            "the named files, the rest by the rule in the column)", "",
            "| file | format | MANIFEST | ours | ratio | pages (OCR'd) | explanation |", "|---|---|---:|---:|---:|---|---|"]
    for r in sorted(results, key=lambda r: r["name"]):
        m = int(man[r["path"]]["extracted_text_chars_here"])
        c = r.get("chars", 0)
        if m and abs(c / m - 1) <= 0.05:
            continue
        pages = f"{r['pages']} ({r['ocr_pages']})" if r.get("pages") else "–"
        out.append(f"| {r['name']} | {r['fmt']} | {m:,} | {c:,} | {c / m if m else float('inf'):.3f} | {pages} | "
                   f"{explain(r, m)} |")
    return out + [""]


# --- section 3: throughput --------------------------------------------------------------------

def throughput_section(sources: dict[str, list[dict]], demo_note: str) -> list[str]:
    out = ["## 3. Throughput", "",
           "Per-call wall time of `extract`/`extract_raw` (time.perf_counter), 2 worker processes on 2 shared "
           "cores, so each call had about one core: MB/s and files/s are per core. MB = UTF-8 MB of extracted "
           f"text. Legacy: OCR off (all text layers). {demo_note}", "",
           "| source | format | files | text MB | seconds | MB/s | files/s | slowest file (s) |",
           "|---|---|---:|---:|---:|---:|---:|---|"]
    for source, rows in sources.items():
        by = defaultdict(list)
        for r in rows:
            if r.get("error") or "seconds" not in r:
                continue
            key = r["fmt"] + ("-OCR" if r.get("ocr") else "-text" if r["fmt"] == "pdf" else "")
            by[key].append(r)
        for key in sorted(by):
            rs = by[key]
            mb = sum(r["bytes"] for r in rs) / 1e6
            sec = sum(r["seconds"] for r in rs)
            slow = max(rs, key=lambda r: r["seconds"])
            out.append(f"| {source} | {key} | {len(rs)} | {mb:.2f} | {sec:.1f} | {mb / sec:.2f} | {len(rs) / sec:.1f} | "
                       f"{slow['name'][:40]} ({slow['seconds']:.1f}) |")
    return out + [""]


def demo_archive(path: Path, count: int) -> tuple[list[Path], str]:
    if not (path / "catalog.json").exists():
        t = time.monotonic()
        subprocess.run([sys.executable, "-m", "corpus.generate", "--out", str(path), "--count", str(count)],
                       cwd=ROOT, check=True, capture_output=True)
        note = f"Demo archive: `python -m corpus.generate --out {path} --count {count}` ({time.monotonic() - t:.0f}s)."
    else:
        note = f"Demo archive: existing `{path}` (`corpus.generate --count {count}`)."
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in (".docx", ".pdf", ".txt", ".html"))
    return files, note


# --- main -------------------------------------------------------------------------------------

REPORT_DIR = ROOT / "bench" / "reports"


def main() -> None:
    global REPORT_DIR
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(REPORT_DIR / "extraction.md"))
    ap.add_argument("--skip-ocr", action="store_true", help="admin corpus with OCR off (fast)")
    ap.add_argument("--limit", type=int, help="at most N files per section (quick run; the smallest legacy files)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--demo", default="/tmp/bench-demo", help="demo archive folder (generated when missing)")
    ap.add_argument("--pure-difflib", action="store_true", help="score with stdlib difflib only (hours)")
    args = ap.parse_args()
    out_path = Path(args.out)
    REPORT_DIR = out_path.parent
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    pairs = legacy_files(args.limit)
    fast = not args.pure_difflib and _importable("cydifflib")
    engine = check_fast_metric(pairs) if fast else f"stdlib difflib (Python {platform.python_version()})"
    vp = viparse_status()
    jobs = [(tool, p, t) for p, t in pairs for tool in ("ours", "viparse") if tool == "ours" or vp[0]]
    legacy = run_pool(legacy_job, jobs, args.workers, fast, "legacy")

    man = manifest()
    admin_paths = sorted(man)[: args.limit] if args.limit else sorted(man)
    admin = run_pool(extract_job, [(p, not args.skip_ocr, True) for p in admin_paths], args.workers, fast, "admin")

    demo_files, demo_note = demo_archive(Path(args.demo), 200)
    demo_files = demo_files[: args.limit] if args.limit else demo_files
    demo = run_pool(extract_job, [(p, True, False) for p in demo_files], args.workers, fast, "demo")

    ours_legacy = [r for r in legacy if r["tool"] == "ours" and not r["error"]]
    lines = [
        "# Extraction benchmark: legacy fonts, real admin corpus, throughput", "",
        f"Command: `cd /work/main && flock /tmp/vanthu-bench.lock .venv/bin/python -m bench.extraction"
        f"{' ' + ' '.join(sys.argv[1:]) if sys.argv[1:] else ''}`  ",
        f"Date: {datetime.now():%Y-%m-%d %H:%M}; machine: {os.cpu_count()} cores (shared with other benchmarks: "
        f"timings are noisy), Python {platform.python_version()}, {platform.system()} {platform.release()}; "
        f"run took {{elapsed}} min. Metric engine: {engine}. No text capped.", "",
    ]
    lines += legacy_section(legacy, vp)
    lines += admin_section(admin, man, args.skip_ocr)
    lines += throughput_section({"admin": admin, "legacy": ours_legacy, "demo": demo}, demo_note)
    text = "\n".join(lines).replace("{elapsed}", f"{(time.monotonic() - started) / 60:.0f}")
    out_path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {out_path}")


if __name__ == "__main__":
    main()
