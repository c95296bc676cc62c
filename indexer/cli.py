"""`vanthu` — thin CLI: parse options, call the library, turn our errors into exit messages."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from indexer import jobs
from indexer.errors import QueryError, VanthuError
from indexer.settings import Settings


def _settings(args) -> Settings:
    overrides = {}
    if getattr(args, "data", None):
        overrides["data"] = Path(args.data)
    if getattr(args, "workers", None) is not None:
        overrides["workers"] = args.workers
    s = Settings(**overrides)
    if s.data.exists() and not s.data.is_dir():
        raise VanthuError(f"{s.data} là một tệp, không phải thư mục dữ liệu: --data (hoặc $VANTHU_DATA) phải là "
                          f"một thư mục. ({s.data} is a file, not a data dir: --data must be a folder.)")
    return s


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
                        progress=ProgressBar("indexing"), allow_remove_all=args.allow_remove_all)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return 0
    from indexer.watch import describe_report

    print(f"Đã lập chỉ mục trong {report.seconds:.1f} giây (indexed in {report.seconds:.1f}s):")
    for line in describe_report(report):  # the same lines as `vanthu watch`
        print(line)
    for source, warning in report.warnings:
        print(f"  lưu ý (warning)  {source}: {warning}")
    return 0


def _print_hits(result: dict, first: int = 1) -> None:
    import html
    import re

    some = " chứa một phần các từ" if result.get("relaxed") else ""  # a relaxed count is not of answers
    print(f"{result['total']} kết quả{some} cho {result['query']!r}")
    from indexer.search import relaxed_note, type_first_note, unarchived_note

    if unarchived_note(result):
        print(unarchived_note(result))
    if result.get("relaxed"):  # the same words as the web page
        print(relaxed_note(result))
    if type_first_note(result):
        print(type_first_note(result))
    if result.get("expanded"):
        print("Đã tìm cả " + ", ".join(f"{k} = “{v}”" for k, v in result["expanded"].items())
              + " (tên viết tắt theo văn bản trong kho).")
    if result.get("suggestion"):
        print(f"Có phải bạn muốn tìm: {result['suggestion']}?")
    if result.get("corrected"):
        print(f"Không có văn bản chứa đủ các từ đã gõ; đã tìm theo: {result['corrected']} "
              f"(--as-typed để tìm đúng như đã gõ)")
    for i, h in enumerate(result["hits"], first):  # numbered as on the page: page 2 starts at 11
        if h.get("copy_of"):
            print(f"{i:>3}. [{h['id']}] bản khác của {h.get('number')} ở trên: {h.get('source')}")
            continue
        title = h.get("title") or h.get("source")
        print(f"{i:>3}. [{h['id']}] {h.get('number') or '—'} · {h.get('type') or ''} · {h.get('date') or ''}")
        print(f"     {title}")
        snip = html.unescape(re.sub(r"</?mark>", "*", h.get("snippet") or ""))
        if snip:
            print(f"     {'[định nghĩa] ' if h.get('defines') else ''}{snip[:200]}")


def cmd_search(args) -> int:
    from indexer.index import require_index
    from indexer.library import Library
    from indexer.search import SearchParams, broader_note

    s = _settings(args)
    require_index(s.data)
    params = SearchParams(q=args.query, limit=args.limit, page=args.page, type=args.type, issuer=args.issuer,
                          year=args.year, date_from=args.date_from, date_to=args.date_to, sort=args.sort,
                          all_words=args.all_words, as_typed=args.as_typed, most_words=args.most_words)
    result = Library(s.data).search(params)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print_hits(result, first=(params.page - 1) * params.limit + 1)
        if broader_note(result):
            print(broader_note(result))
    return 0


def _same_number_note(lib, doc: dict, asked: str) -> list[str]:
    """Lines saying which other documents share the number `asked` resolved to (none for an id)."""
    if asked.strip() == doc["id"] or not doc.get("number"):
        return []
    others = [d for d in lib.same_number(doc) if d["id"] != doc["id"]]
    if not others:
        return []
    lines = [f"Lưu ý: còn {len(others)} văn bản khác cùng số {doc['number']}; đây là văn bản mới nhất. "
             f"Xem văn bản khác bằng id: vanthu show ID. ({len(others)} other document(s) share this number; "
             f"showing the newest.)"]
    lines += [f"  {d['id']}  {d.get('date') or '—'}  {d.get('issuer') or '—'}  {d.get('title') or d.get('source') or ''}"
              for d in others]
    return lines


def cmd_show(args) -> int:
    from indexer.index import require_index
    from indexer.library import Library

    s = _settings(args)
    require_index(s.data)
    lib = Library(s.data)
    doc = lib.document(args.id)
    note = _same_number_note(lib, doc, args.id)
    if args.json:  # stdout is exactly the API object; the note goes to stderr
        for line in note:
            print(line, file=sys.stderr)
        print(json.dumps(doc, ensure_ascii=False))
        return 0
    for line in note:
        print(line)
    if note:
        print()
    for key in ("id", "number", "type", "issuer", "date", "title", "signer", "source"):
        print(f"{key:>8}: {doc.get(key) or '—'}")
    print(f"{'cites':>8}: {len(doc['citations'])}, cited by {len(doc['cited_by'])}")
    print()
    print(doc["text"])
    return 0


def cmd_link(args) -> int:
    from indexer.extract import Limits, extract
    from indexer.library import Library

    from indexer.index import require_index

    s = _settings(args)
    require_index(s.data)
    if args.file in (None, "-"):
        text = sys.stdin.read()
    else:
        if Path(args.file).is_dir():
            raise QueryError(f"{args.file} là một thư mục; hãy chỉ một tệp (.docx, .pdf, .txt) hoặc - để đọc "
                             f"từ stdin. ({args.file} is a folder: give a file, or - for stdin.)")
        text = extract(Path(args.file), limits=Limits(ocr=s.ocr)).text
    result = Library(s.data).link(text)
    if args.json:  # the object of POST /api/link
        print(json.dumps(result, ensure_ascii=False))
        return 0
    if not result["citations"]:
        print("Không tìm thấy trích dẫn nào. (No citations found.)")
    for c in result["citations"]:
        target = c["resolves_to"]
        if target:
            where = f"→ {target['id']} {target.get('title') or ''}"
        elif c.get("status") == "ambiguous":
            where = "→ (nhiều văn bản cùng số: " + ", ".join(d["id"] for d in c["candidates"]) + ")"
        else:
            where = "→ (chưa có trong kho)"
        print(f"{c['start']:>6}-{c['end']:<6} {' '.join(c['surface'].split())}  {where}")  # one line, even from a PDF
    missing = result["missing_documents"]
    if missing:  # what to act on: each document the text cites and the archive lacks, once
        print(f"\nChưa có trong kho: {len(missing)} văn bản. (Not archived: {len(missing)} documents.)")
        for d in missing:
            times = f"  ({d['count']} lần)" if d["count"] > 1 else ""
            print(f"  {' '.join(d['surface'].split())}{times}")
    return 0


def cmd_serve(args) -> int:
    import uvicorn

    from service.app import create_app

    s = _settings(args)
    uvicorn.run(create_app(s), host=args.host, port=args.port, log_level="info")
    return 0


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


# argparse's own error messages, in Vietnamese (the English stays in parentheses)
_ARGPARSE_VI = [
    (r"the following arguments are required: (.*)", r"thiếu tham số bắt buộc: \1"),
    (r"unrecognized arguments: (.*)", r"tham số không nhận ra: \1"),
    (r"argument (\S+): invalid choice: (.*)", r"tham số \1: lựa chọn không hợp lệ: \2"),
    (r"argument (\S+): invalid \w+ value: (.*)", r"tham số \1: giá trị không hợp lệ: \2"),
    (r"argument (\S+): expected one argument", r"tham số \1: cần một giá trị"),
    (r"argument (\S+): not allowed with argument (.*)", r"tham số \1 không dùng được cùng \2"),
]


class VanthuParser(argparse.ArgumentParser):
    """argparse with Vietnamese usage, section titles, -h and error messages."""

    def __init__(self, *args, add_help: bool = True, parents=(), **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "tham số (arguments)"
        self._optionals.title = "tuỳ chọn (options)"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="hiện trợ giúp này rồi thoát (show this help and exit)")
        for parent in parents:  # after the titles, so the parents' options join the same group
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def error(self, message):
        for pattern, vi in _ARGPARSE_VI:
            if re.fullmatch(pattern, message):
                message = f"{re.sub(pattern, vi, message)} ({message})"
                break
        else:  # our own type checks say it in Vietnamese already: "argument --port: …"
            message = re.sub(r"^argument (\S+): ", r"tham số \1: ", message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {message}\n")


def workers_arg(value: str) -> int:
    """--workers: a whole number ≥ 0 (0 = every core)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"cần một số nguyên, không phải {value!r} (expected a whole number)") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"không được âm ({n}); 0 = dùng mọi lõi CPU (must be 0 or more; 0 = all cores)")
    return n


def _checked(parse, ok, message: str):
    """An argparse type: `parse` the value, keep it when `ok`, else `message` (with {value})."""
    def check(value: str):
        try:
            n = parse(value)
        except ValueError:
            n = None
        if n is None or not ok(n):
            raise argparse.ArgumentTypeError(message.format(value=value))
        return n
    return check


seconds_arg = _checked(float, lambda n: 0 < n < 1e6, "cần một số giây lớn hơn 0, không phải {value!r} (expected seconds > 0)")
port_arg = _checked(int, lambda n: 1 <= n <= 65535,
                    "cổng phải là số từ 1 đến 65535, không phải {value!r} (a port is a number from 1 to 65535)")


def build_parser() -> argparse.ArgumentParser:
    common = VanthuParser(add_help=False)
    common.add_argument("--data", metavar="THƯ_MỤC",
                        help="thư mục dữ liệu (mặc định: $VANTHU_DATA hoặc ./var) (data dir)")
    p = VanthuParser(prog="vanthu", description="Tra cứu và lưu trữ văn bản hành chính. "
                                                "(Search and archive for Vietnamese administrative documents.)")
    sub = p.add_subparsers(dest="command", required=True, title="lệnh (commands)", metavar="LỆNH")

    sp = sub.add_parser("index", parents=[common], help="thêm/cập nhật mọi tệp được hỗ trợ trong PATH (index a folder)",
                        description="Thêm hoặc cập nhật mọi tệp được hỗ trợ trong PATH; tệp không đổi được bỏ qua. "
                                    "(Add or update every supported file under PATH.)")
    sp.add_argument("path", help="thư mục hoặc tệp cần lập chỉ mục (folder or file to index)")
    sp.add_argument("--workers", type=workers_arg,
                    help="số tiến trình trích xuất/tách từ, 0 = mọi lõi (processes; default: all cores)")
    sp.add_argument("--no-ocr", action="store_true", help="không OCR trang không có lớp chữ (no OCR)")
    sp.add_argument("--json", action="store_true", help="in báo cáo dạng JSON (print the report as JSON)")
    sp.add_argument("--allow-remove-all", action="store_true",
                    help="cho phép xoá mọi văn bản của PATH khi thư mục không còn tệp nào của chúng "
                         "(allow removing every document of PATH; refused by default: an unmounted share)")
    sp.set_defaults(func=cmd_index)

    sp = sub.add_parser("search", parents=[common], help="tìm trong kho (search the archive)",
                        description="Tìm văn bản trong kho. (Search the archive.)")
    sp.add_argument("query", help="câu tìm kiếm, ví dụ \"kế hoạch thi đua nam:2019\" (the query)")
    sp.add_argument("--limit", type=int, default=10, help="số kết quả mỗi trang (hits per page)")
    sp.add_argument("--page", type=int, default=1, help="trang (page)")
    sp.add_argument("--type", help="loại văn bản, ví dụ KH hoặc \"Quyết định\" (document type)")
    sp.add_argument("--issuer", help="cơ quan ban hành (issuer)")
    sp.add_argument("--year", help="năm hoặc khoảng năm, ví dụ 2015..2019 (year or range)")
    sp.add_argument("--date-from", dest="date_from", help="từ ngày, YYYY-MM-DD (from date)")
    sp.add_argument("--date-to", dest="date_to", help="đến ngày, YYYY-MM-DD (to date)")
    sp.add_argument("--sort", default="relevance", help="xếp theo: relevance | date | date_asc (sort order)")
    sp.add_argument("--all-words", dest="all_words", action="store_true",
                    help="chỉ văn bản chứa đủ mọi từ (only documents with every word)")
    sp.add_argument("--most-words", dest="most_words", action="store_true",
                    help="câu dài: cả văn bản chứa phần lớn các từ (a long question: documents with most of its words too)")
    sp.add_argument("--as-typed", dest="as_typed", action="store_true",
                    help="tìm đúng như đã gõ, không sửa chính tả (search as typed, no spelling correction)")
    sp.add_argument("--json", action="store_true", help="in đúng đối tượng của GET /api/search (print JSON)")
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("show", parents=[common], help="một văn bản, theo id hoặc số/ký hiệu (one document)",
                        description="Hiện một văn bản theo id hoặc số/ký hiệu. (Show one document by id or number.)")
    sp.add_argument("id", help="id (16 ký tự) hoặc số/ký hiệu, ví dụ 1460/KH-UBND (id or number)")
    sp.add_argument("--json", action="store_true", help="in đúng đối tượng của GET /api/documents/{id} (print JSON)")
    sp.set_defaults(func=cmd_show)

    sp = sub.add_parser("link", parents=[common], help="tìm và liên kết các trích dẫn của một văn bản (link citations)",
                        description="Tìm các văn bản được dẫn chiếu trong một văn bản và đối chiếu với kho. "
                                    "(Find and resolve the citations of a text.)")
    sp.add_argument("file", nargs="?", help="tệp .docx, .pdf hoặc .txt, hoặc - để đọc stdin (a file, or - for stdin)")
    sp.add_argument("--json", action="store_true", help="in đúng đối tượng của POST /api/link (print JSON)")
    sp.set_defaults(func=cmd_link)

    sp = sub.add_parser("serve", parents=[common], help="chạy API và giao diện web (serve the API and web UI)",
                        description="Chạy API và giao diện web trong một tiến trình. (Serve the API and the web UI.)")
    sp.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (host; default 127.0.0.1)")
    sp.add_argument("--port", type=port_arg, default=8000, help="cổng, 1–65535 (port; default 8000)")
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
        print("vanthu: đã dừng theo yêu cầu (interrupted)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # refused under the data dir (permissions, read-only disk): say so, no traceback
        from indexer.errors import data_dir_error

        try:
            data = _settings(args).data
        except Exception:
            data = None
        mapped = data_dir_error(exc, data)
        if mapped is None:
            raise
        print(f"vanthu: {mapped}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
