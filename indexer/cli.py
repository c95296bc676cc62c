"""`vanthu` — thin CLI: parse options, call the library, turn our errors into exit messages."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from indexer import jobs
from indexer.errors import VanthuError
from indexer.settings import Settings


def _settings(args) -> Settings:
    overrides = {}
    if getattr(args, "data", None):
        overrides["data"] = Path(args.data)
    if getattr(args, "workers", None) is not None:
        overrides["workers"] = args.workers
    return Settings(**overrides)


class ProgressBar:
    """A one-line progress bar on stderr: done/total, rate, ETA."""

    def __init__(self, label: str, stream=sys.stderr):
        self.label, self.stream = label, stream
        self.start = time.monotonic()
        self.last = 0.0
        self.tty = stream.isatty()

    def __call__(self, done: int, total: int, item: str = "") -> None:
        now = time.monotonic()
        if self.tty and now - self.last < 0.1 and done < total:
            return
        if not self.tty and now - self.last < 5 and done < total:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-6)
        eta = (total - done) / rate if rate > 0 else 0
        width = 24
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "." * (width - filled)
        line = f"{self.label} [{bar}] {done}/{total} {rate:.1f}/s ETA {eta:.0f}s"
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        if self.tty and done >= total:
            self.stream.write("\n")
        self.stream.flush()


def cmd_index(args) -> int:
    from indexer.extract import Limits
    from indexer.pipeline import index_path

    s = _settings(args)
    limits = Limits(max_bytes=int(s.max_file_mb * (1 << 20)), ocr=s.ocr and not args.no_ocr,
                    ocr_max_pages=s.ocr_max_pages, timeout_s=s.extract_timeout_s)
    report = index_path(Path(args.path), s.data, workers=s.worker_count, limits=limits,
                        progress=ProgressBar("indexing"))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(
        f"Indexed {report.root} in {report.seconds:.1f}s: {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.removed} removed, {len(report.duplicates)} duplicates, "
        f"{len(report.skipped)} skipped."
    )
    for source, same in report.duplicates:
        print(f"  duplicate  {source}: same bytes as document {same}")
    for source, reason in report.skipped:
        print(f"  skipped    {source}: {reason}")
    for source, warning in report.warnings:
        print(f"  warning    {source}: {warning}")
    return 0


def _print_hits(result: dict) -> None:
    import html
    import re

    print(f"{result['total']} kết quả cho {result['query']!r}")
    if result.get("relaxed"):  # the same words as the web page (web/templates/search.html)
        print("Không có văn bản chứa đủ mọi từ đã gõ; dưới đây là các văn bản chứa nhiều từ nhất.")
    if result.get("suggestion"):
        print(f"Có phải bạn muốn tìm: {result['suggestion']}?")
    for i, h in enumerate(result["hits"], 1):
        title = h.get("title") or h.get("source")
        print(f"{i:>3}. [{h['id']}] {h.get('number') or '—'} · {h.get('type') or ''} · {h.get('date') or ''}")
        print(f"     {title}")
        snip = html.unescape(re.sub(r"</?mark>", "*", h.get("snippet") or ""))
        if snip:
            print(f"     {'[định nghĩa] ' if h.get('defines') else ''}{snip[:200]}")


def cmd_search(args) -> int:
    from indexer.library import Library
    from indexer.search import SearchParams

    s = _settings(args)
    params = SearchParams(q=args.query, limit=args.limit, page=args.page, type=args.type, issuer=args.issuer,
                          year=args.year, date_from=args.date_from, date_to=args.date_to, sort=args.sort)
    result = Library(s.data).search(params)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print_hits(result)
    return 0


def cmd_show(args) -> int:
    from indexer.library import Library

    doc = Library(_settings(args).data).document(args.id)
    if args.json:
        print(json.dumps(doc, ensure_ascii=False))
        return 0
    for key in ("id", "number", "type", "issuer", "date", "title", "signer", "source"):
        print(f"{key:>8}: {doc.get(key) or '—'}")
    print(f"{'cites':>8}: {len(doc['citations'])}, cited by {len(doc['cited_by'])}")
    print()
    print(doc["text"])
    return 0


def cmd_link(args) -> int:
    from indexer.extract import Limits, extract
    from indexer.library import Library

    s = _settings(args)
    if args.file in (None, "-"):
        text = sys.stdin.read()
    else:
        text = extract(Path(args.file), limits=Limits(ocr=s.ocr)).text
    result = Library(s.data).link(text)
    if args.json:  # the object of POST /api/link
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for c in result["citations"]:
        target = c["resolves_to"]
        if target:
            where = f"→ {target['id']} {target.get('title') or ''}"
        elif c.get("status") == "ambiguous":
            where = "→ (nhiều văn bản cùng số: " + ", ".join(d["id"] for d in c["candidates"]) + ")"
        else:
            where = "→ (chưa có trong kho)"
        print(f"{c['start']:>6}-{c['end']:<6} {c['surface']}  {where}")
    return 0


def cmd_serve(args) -> int:
    import uvicorn

    from service.app import create_app

    s = _settings(args)
    uvicorn.run(create_app(s), host=args.host, port=args.port, log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", help="data dir (default: $VANTHU_DATA or ./var)")
    p = argparse.ArgumentParser(prog="vanthu", description="Search and archive for Vietnamese administrative documents.")
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("index", parents=[common], help="add or update every supported file under PATH")
    sp.add_argument("path")
    sp.add_argument("--workers", type=int, help="processes for extraction/segmentation (default: all cores)")
    sp.add_argument("--no-ocr", action="store_true", help="do not OCR pages without a text layer")
    sp.add_argument("--json", action="store_true", help="print the run's report as JSON")
    sp.set_defaults(func=cmd_index)

    sp = sub.add_parser("search", parents=[common], help="search the archive")
    sp.add_argument("query")
    sp.add_argument("--limit", type=int, default=10)
    sp.add_argument("--page", type=int, default=1)
    sp.add_argument("--type")
    sp.add_argument("--issuer")
    sp.add_argument("--year")
    sp.add_argument("--date-from", dest="date_from")
    sp.add_argument("--date-to", dest="date_to")
    sp.add_argument("--sort", default="relevance", help="relevance | date | date_asc")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("show", parents=[common], help="one document, by id or số/ký hiệu")
    sp.add_argument("id")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_show)

    sp = sub.add_parser("link", parents=[common], help="find and resolve the citations of a text")
    sp.add_argument("file", nargs="?", help="a .docx, .pdf or .txt file, or - for stdin")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_link)

    sp = sub.add_parser("serve", parents=[common], help="serve the API and the web UI")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=8000)
    sp.set_defaults(func=cmd_serve)

    jobs.add_cli(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except VanthuError as exc:
        print(f"vanthu: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vanthu: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
