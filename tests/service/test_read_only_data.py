"""The service on a data dir it cannot write (chmod -R a-w, as another account than the owner):
uploads and re-index answer 503 with what to do, searches go on. Root writes anywhere, so the
server runs as a real process under `setpriv`, without root's override (as tests/test_cli_admin.py)."""

import os
import shutil
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.test_cli import vanthu
from tests.test_cli_admin import NO_OVERRIDE, _without_override, write_plan

TOKEN = "read-only-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NOT_WRITABLE = ("Không ghi được vào thư mục dữ liệu {data} (quyền truy cập hoặc ổ chỉ đọc): kiểm tra quyền của "
                "người chạy vanthu. (The data directory is not writable: check permissions.)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(base URL, data dir) of `vanthu serve` without root's override on a read-only data dir."""
    if shutil.which("setpriv") is None or _without_override("--help").returncode != 0:
        pytest.skip("setpriv cannot drop root's write override here (util-linux setpriv and capabilities needed)")
    root, data = tmp_path_factory.mktemp("archive"), tmp_path_factory.mktemp("data")
    write_plan(root / "kh1.txt", "1/KH-UBND", 2021, "Trồng thanh long ruột đỏ năm 2021")
    assert vanthu("index", root, "--data", data, "--workers", "1").returncode == 0
    subprocess.run(["chmod", "-R", "a-w", str(data)], check=True)
    port = _free_port()
    env = {**os.environ, "VANTHU_ADMIN_TOKEN": TOKEN, "VANTHU_WORKERS": "1"}
    proc = subprocess.Popen([*NO_OVERRIDE, sys.executable, "-m", "indexer.cli", "serve", "--data", str(data),
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/api/search", params={"q": "thanh long"}, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                pytest.fail(f"vanthu serve exited: {proc.stderr.read().decode()}")
            time.sleep(0.1)
        yield base, data
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        subprocess.run(["chmod", "-R", "u+w", str(data)], check=True)


def test_an_upload_to_a_read_only_data_dir_is_a_503_that_says_why(server):
    base, data = server
    body = "Kế hoạch số 3/KH-UBND về phòng chống thiên tai năm 2021.".encode()
    r = httpx.post(f"{base}/api/documents", files={"file": ("kh3.txt", body, "text/plain")}, headers=AUTH, timeout=60)
    assert r.status_code == 503, r.text
    assert r.json() == {"detail": NOT_WRITABLE.format(data=data)}


def test_a_reindex_on_a_read_only_data_dir_is_a_503_that_says_why(server):
    base, data = server
    r = httpx.post(f"{base}/api/admin/reindex", headers=AUTH, timeout=60)
    assert r.status_code == 503, r.text
    assert r.json() == {"detail": NOT_WRITABLE.format(data=data)}
    found = httpx.get(f"{base}/api/search", params={"q": "thanh long"}, timeout=30)
    assert found.status_code == 200 and found.json()["total"] == 1
