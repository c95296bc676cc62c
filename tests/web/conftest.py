"""Fixtures for the web UI: the real app over the indexed demo archive, and a tiny hostile archive."""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import html as lhtml

from indexer.settings import Settings
from service.app import create_app

TOKEN = "ui-admin-token"

PLAN = """ỦY BAN NHÂN DÂN
TỈNH BÌNH LAM
Số: 412/KH-UBND
Lam Giang, ngày 05 tháng 3 năm 2020
KẾ HOẠCH
Tổ chức phong trào thi đua “Chữ ký số an toàn” năm 2020
I. MỤC ĐÍCH, YÊU CẦU
Thử nghiệm hiển thị <script>alert(1)</script> và <b onmouseover="x()">đậm</b> trong văn bản bảo mật chữ ký số.
II. NỘI DUNG
Các sở, ngành triển khai chữ ký số theo Kế hoạch này.
"""

REPORT = """ỦY BAN NHÂN DÂN
TỈNH BÌNH LAM
Số: 77/BC-UBND
Lam Giang, ngày 10 tháng 12 năm 2020
BÁO CÁO
Tổng kết phong trào thi đua “Chữ ký số an toàn” năm 2020
Thực hiện Kế hoạch số 412/KH-UBND ngày 05/3/2020 của UBND tỉnh về chữ ký số <script>alert(1)</script>;
kết quả bảo mật chữ ký số đạt yêu cầu.
"""


@pytest.fixture(scope="session")
def ui_client(demo_data: Path):
    """The real app over the indexed demo archive (read-only use)."""
    with TestClient(create_app(Settings(data=demo_data, admin_token=TOKEN, ocr=False))) as c:
        yield c


@pytest.fixture(scope="session")
def hostile_data(tmp_path_factory) -> Path:
    """A real index built from real files whose text holds markup that must never run."""
    from indexer.extract import Limits
    from indexer.pipeline import index_path

    root = tmp_path_factory.mktemp("hostile-archive")
    (root / "2020").mkdir()
    (root / "2020" / "KH-412-UBND-2020.txt").write_text(PLAN, encoding="utf-8")
    (root / "2020" / "BC-77-UBND-2020.txt").write_text(REPORT, encoding="utf-8")
    data = tmp_path_factory.mktemp("hostile-data")
    report = index_path(root, data, workers=1, limits=Limits(ocr=False))
    assert report.added == 2 and not report.skipped, report
    return data


@pytest.fixture(scope="session")
def hostile_client(hostile_data: Path):
    with TestClient(create_app(Settings(data=hostile_data, ocr=False))) as c:
        yield c


def page(r):
    """A page's HTML tree (the response must be HTML)."""
    assert r.headers["content-type"].startswith("text/html"), r.headers["content-type"]
    return lhtml.fromstring(r.text)


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in tree.xpath(xpath)]


@pytest.fixture(scope="module")
def rich_doc(ui_client) -> dict:
    """A demo award decision with a number that cites (resolved and not), is cited, has sections and a campaign."""
    docs = ui_client.get("/api/documents", params={"limit": 100}).json()["documents"]
    for d in docs:
        if d["type"] != "Quyết định" or "khen thưởng" not in (d["title"] or "") or not d["number"]:
            continue
        doc = ui_client.get(f"/api/documents/{d['id']}").json()
        resolved = [c for c in doc["citations"] if c["resolves_to"]]
        if resolved and doc["cited_by"] and any(not c["resolves_to"] for c in doc["citations"]):
            return doc
    pytest.fail("the demo archive has no award decision that cites and is cited")


# --- in Chromium (Debian's, through Playwright) against a real uvicorn server ----------------------

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_data, tmp_path_factory):
    """uvicorn in a thread over a private copy of the indexed demo archive (uploads write to it)."""
    import uvicorn

    data = tmp_path_factory.mktemp("browser") / "data"
    shutil.copytree(demo_data, data)
    app = create_app(Settings(data=data, admin_token=TOKEN, ocr=False))
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Watch:
    """Fails the test on a JavaScript error, an unexpected console error or a request to another
    host; `statuses`: HTTP errors the test provokes on purpose (a refused upload)."""

    def __init__(self, page, base: str, statuses: tuple[int, ...] = ()):
        self.problems: list[str] = []
        self.statuses = statuses
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("console", lambda m: m.type == "error" and not self.expected(m.text) and self.problems.append(f"console: {m.text}"))
        page.on("request", lambda r: r.url.startswith((base, "data:", "blob:")) or self.problems.append(f"external request: {r.url}"))

    def expected(self, text: str) -> bool:
        return any(f"status of {s}" in text for s in self.statuses)

    def check(self):
        assert not self.problems, self.problems


@contextlib.contextmanager
def browsing(browser, server: str, *, width: int = 1280, height: int = 900, statuses: tuple[int, ...] = (), **options):
    """A Vietnamese-locale page of `width`×`height` watched for errors (`Watch`), closed after."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN", **options)
    try:
        page = ctx.new_page()
        yield page, Watch(page, server, statuses)
    finally:
        ctx.close()


def upload_on_page(page, path: Path, content: str | bytes) -> None:
    """Write `content` to `path` and send it with the upload page's form (token already typed)."""
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    page.set_input_files("#upload-file", str(path))
    page.click("#upload-button")
