"""Real processes: kill -9 a re-index mid-way, search during a re-index, a bad file mid-run."""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer import jobs
from indexer.extract import Limits
from indexer.index import current_generation, index_root
from indexer.library import Library
from indexer.pipeline import index_path
from indexer.search import SearchParams
from tests.indexer.answers import QUERIES, answers

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(demo_archive, tmp_path_factory):
    data = tmp_path_factory.mktemp("rel") / "data"
    index_path(demo_archive, data, workers=1, limits=Limits(ocr=False))
    return data


def start_reindex(data, *extra):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "indexer.cli", "reindex", "--data", str(data), "--workers", "1", *extra],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_kill_9_mid_reindex_leaves_the_live_index_answering(built):
    before = answers(built)
    rng = random.Random(7)
    for _ in range(3):
        proc = start_reindex(built)
        time.sleep(rng.uniform(0.5, 4.0))  # import, pool start, writing or committing: anywhere
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert answers(built) == before  # whichever generation is live, it answers the same
    # the stale lock and the half-built generation do not block the next run
    proc = start_reindex(built)
    assert proc.wait(timeout=120) == 0
    assert answers(built) == before
    live = current_generation(built)
    assert all(p.name <= live for p in index_root(built).glob("gen-*"))


def test_searches_never_fail_during_a_reindex(built):
    before = answers(built)
    errors, counts = [], [0]
    done = threading.Event()

    def client():
        lib = Library(built)
        while not done.is_set():
            try:
                r = lib.search(SearchParams(q=random.choice(QUERIES), limit=10))
                assert r["total"] > 0
                counts[0] += 1
            except Exception as exc:  # noqa: BLE001 - any failure is what we count
                errors.append(repr(exc))
        lib.close()

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        job = jobs.reindex(built, workers=1)
    finally:
        done.set()
        for t in threads:
            t.join()
    assert job["state"] == "done"
    assert errors == [] and counts[0] > 0
    assert answers(built) == before


def test_a_bad_file_in_a_bulk_run_is_listed(demo_archive, tmp_path):
    src = tmp_path / "src"
    import shutil

    shutil.copytree(demo_archive, src)
    (src / "m-broken.docx").write_bytes(b"PK\x03\x04 this is not a zip")
    (src / "m-broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    report = index_path(src, tmp_path / "data", workers=2, limits=Limits(ocr=False))
    assert {s for s, _ in report.skipped} == {"m-broken.docx", "m-broken.pdf"}
    assert report.added > 50
