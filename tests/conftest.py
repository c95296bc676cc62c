"""Shared fixtures. Tests that need ../shared skip with a reason when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("VANTHU_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (real documents and benchmarks); skip when this clone has none beside it."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"../shared not found at {SHARED}: real-document tests need the shared data beside the clone")
    return SHARED


@pytest.fixture(scope="session")
def admin_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "admin" / "files"


@pytest.fixture(scope="session")
def legacy_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "legacy"


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory) -> Path:
    """A small demo archive (mixed formats) written by the real generator."""
    from corpus.generate import generate

    out = tmp_path_factory.mktemp("demo-archive")
    generate(out, seed=7, count=90)
    return out


@pytest.fixture(scope="session")
def demo_catalog(demo_archive: Path) -> list[dict]:
    import json

    return json.loads((demo_archive / "catalog.json").read_text(encoding="utf-8"))["documents"]


@pytest.fixture(scope="session")
def demo_data(demo_archive: Path, tmp_path_factory) -> Path:
    """A data dir with the demo archive indexed (shared by read-only tests)."""
    from indexer.extract import Limits
    from indexer.pipeline import index_path

    data = tmp_path_factory.mktemp("data")
    report = index_path(demo_archive, data, workers=1, limits=Limits(ocr=False))
    assert not report.skipped, report.skipped
    return data


@pytest.fixture(scope="session")
def library(demo_data: Path):
    from indexer.library import Library

    lib = Library(demo_data)
    yield lib
    lib.close()


@pytest.fixture
def demo_copy(demo_data: Path, tmp_path: Path) -> Path:
    """A writable copy of the indexed demo data (for tests that upload, re-index or delete)."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    return data


def index_files(root: Path, files: dict[str, str]) -> Path:
    """A real index of `files` (relative path → text) written under root/src, indexed as an
    admin would into root/data (no OCR); the data directory."""
    from indexer.extract import Limits
    from indexer.pipeline import index_path

    src, data = root / "src", root / "data"
    for name, text in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    report = index_path(src, data, workers=1, limits=Limits(ocr=False))
    assert report.added == len(files) and not report.skipped, report
    return data


# a campaign's plans of four years hold "đánh giá kết quả"; the report that closed it does not
PLANS_AND_REPORT = {
    **{f"kh-{y}.txt": f"UBND TỈNH BÌNH LAM\nSố: {y - 2000}/KH-UBND\nBình Lam, ngày 10 tháng 3 năm {y}\nKẾ HOẠCH\n"
                      f"Tổ chức phong trào thi đua văn hóa công sở năm {y}\nCuối năm tổng kết, đánh giá kết quả "
                      f"phong trào văn hóa công sở."
       for y in (2019, 2020, 2021, 2022)},
    "bc-2019.txt": "UBND TỈNH BÌNH LAM\nSố: 30/BC-UBND\nBình Lam, ngày 5 tháng 11 năm 2019\nBÁO CÁO\n"
                   "Tổng kết phong trào thi đua văn hóa công sở năm 2019\nKết quả tổng kết phong trào văn hóa công sở "
                   "năm 2019 như sau.",
}
