"""Bulk re-index on a real archive: new generation, atomic switch, failures listed, resume."""

import shutil
import threading

import pytest

from indexer import jobs
from indexer.errors import Conflict, SchemaMismatch
from indexer.extract import Limits
from indexer.index import current_generation, index_root, open_index
from indexer.pipeline import index_path
from tests.indexer.answers import answers



@pytest.fixture
def data(demo_archive, tmp_path):
    data = tmp_path / "data"
    index_path(demo_archive, data, workers=1, limits=Limits(ocr=False))
    return data


def test_reindex_switches_to_a_new_generation_with_the_same_answers(data):
    before = answers(data)
    old = current_generation(data)
    job = jobs.reindex(data, workers=2)
    assert job["state"] == "done" and job["failed"] == []
    assert job["done"] == job["total"] == jobs.count_records(data)
    assert current_generation(data) != old
    # the previous generation stays as the one fallback; nothing else is left behind
    assert sorted(p.name for p in index_root(data).glob("gen-*")) == [old, current_generation(data)]
    assert answers(data) == before
    saved = jobs.load_job(data, job["id"])
    assert saved["state"] == "done" and saved["generation"] == current_generation(data)


def test_a_bad_record_is_listed_and_the_run_finishes(data):
    first = next(jobs.iter_record_paths(data))
    first.write_text("{not json", encoding="utf-8")
    job = jobs.reindex(data, workers=1)
    assert job["state"] == "done"
    assert [f["id"] for f in job["failed"]] == [first.stem]
    assert job["failed"][0]["reason"]


def test_only_one_reindex_at_a_time(data):
    with jobs.JobLock(data):
        with pytest.raises(Conflict):
            jobs.reindex(data, workers=1)
    assert jobs.reindex(data, workers=1)["state"] == "done"  # released lock: runs


def test_cancel_keeps_the_live_index(data):
    before, live = answers(data), current_generation(data)
    cancel = threading.Event()
    cancel.set()
    job = jobs.reindex(data, workers=1, cancel=cancel)
    assert job["state"] == "cancelled"
    assert current_generation(data) == live and answers(data) == before
    assert sorted(p.name for p in index_root(data).glob("gen-*")) == [live]


def test_schema_change_is_fixed_by_reindex_not_wiped(data):
    gen = index_root(data) / current_generation(data)
    (gen / "VERSION").write_text("schema-0/old")
    with pytest.raises(SchemaMismatch):
        open_index(data)
    job = jobs.reindex(data, workers=1)
    assert job["state"] == "done"
    assert open_index(data).doc_count() == job["done"]


def test_reindex_resumes_an_interrupted_generation(data):
    """A checkpointed generation left by a dead job is resumed, not rebuilt."""
    job = jobs.new_job(data)
    cancel_after = 30

    class Stop(Exception):
        pass

    seen = []

    def progress(done, total, item):
        seen.append(done)
        if done >= cancel_after:
            raise Stop  # the process "dies" here (after a checkpoint at 20)

    with pytest.raises(Stop):
        jobs.reindex(data, workers=1, job=job, commit_every=20, progress=progress)
    # the job file says failed, the half-built generation is still there
    state = jobs.load_job(data, job["id"])
    assert state["state"] == "failed"
    before = answers(data)  # the live generation is untouched
    again = jobs.reindex(data, workers=1)
    assert again["state"] == "done" and again["resumed"] >= 20
    assert again["done"] == jobs.count_records(data)
    assert answers(data) == before


def test_incremental_index_and_watch(demo_archive, tmp_path):
    from indexer.watch import watch

    src = tmp_path / "intake"
    shutil.copytree(demo_archive, src)
    data = tmp_path / "data"
    reports = []
    watch(src, data, once=True, on_report=reports.append)
    assert reports[0].added > 0
    victim = next(p for p in sorted(src.rglob("*.txt")))
    victim.unlink()
    r = index_path(src, data, workers=1, limits=Limits(ocr=False))
    assert r.removed == 1 and r.added == 0 and r.unchanged > 0
