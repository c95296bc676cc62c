"""Fixtures for the web UI: the real app over the indexed demo archive, and a tiny hostile archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

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
