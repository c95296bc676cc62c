"""Bulk re-index on a real archive: new generation, atomic switch, failures listed, resume."""

import json
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


def test_a_bad_record_is_read_again_from_its_original_and_the_run_finishes(data):
    first = next(jobs.iter_record_paths(data))
    first.write_text("{not json", encoding="utf-8")
    job = jobs.reindex(data, workers=2)
    assert job["state"] == "done" and job["failed"] == []
    assert [f["id"] for f in job["recovered"]] == [first.stem]
    assert json.loads(first.read_text(encoding="utf-8"))["id"] == first.stem


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


def _records(data):
    import json

    return {p: json.loads(p.read_text(encoding="utf-8")) for p in jobs.iter_record_paths(data)}


def _age(path, record, **changes):
    """Make an archived record look like an older extractor's (and change what else is given)."""
    import json

    path.write_text(json.dumps({**record, "extractor": "extract-0", **changes}, ensure_ascii=False), encoding="utf-8")


def test_a_new_extractor_version_re_extracts_and_saves_the_records(data):
    from indexer.pipeline import EXTRACTOR_VERSION

    path, record = next(iter(_records(data).items()))
    _age(path, record, text="văn bản cũ")
    job = jobs.reindex(data, workers=1)
    assert job["state"] == "done" and job["failed"] == [] and job["kept"] == []
    fresh = _records(data)[path]
    assert fresh["extractor"] == EXTRACTOR_VERSION and fresh["text"] == record["text"]


def test_re_extraction_that_cannot_do_better_keeps_the_old_text_searchable(data):
    """A missing original, an original that now fails, one that now reads empty: each record
    keeps its text, stays in the new index and is listed under "kept"."""
    from indexer.library import Library
    from indexer.search import SearchParams
    from indexer.store import Archive

    archive = Archive(data)
    recs = list(_records(data).items())
    blank = next(r for r in recs if r[1]["suffix"] == ".txt")
    broken = next(r for r in recs if r[1]["suffix"] in (".docx", ".pdf"))
    missing = next(r for r in recs if r is not blank and r is not broken)
    for (path, record), word in zip((missing, broken, blank), ("xylophonmot", "xylophonhai", "xylophonba")):
        _age(path, record, text=record["text"] + f" {word}")
    archive.original_path(missing[1]["sha"], missing[1]["suffix"]).unlink()
    archive.original_path(broken[1]["sha"], broken[1]["suffix"]).write_bytes(b"\x00garbage, not the file it was")
    blank_original = archive.original_path(blank[1]["sha"], blank[1]["suffix"])
    blank_original.write_bytes(" \n".encode())

    job = jobs.reindex(data, workers=1)
    assert job["state"] == "done" and job["failed"] == []
    kept = {k["id"]: k["reason"] for k in job["kept"]}
    assert "missing" in kept[missing[1]["id"]]
    assert "re-extraction failed" in kept[broken[1]["id"]]
    lib = Library(data)
    try:
        for word in ("xylophonmot", "xylophonhai"):
            assert lib.search(SearchParams(q=word))["total"] == 1
    finally:
        lib.close()
    after = _records(data)
    assert after[missing[0]]["text"].endswith("xylophonmot") and after[broken[0]]["text"].endswith("xylophonhai")
    assert "no text" in kept[blank[1]["id"]] and after[blank[0]]["text"].endswith("xylophonba")


def test_pages_read_by_ocr_are_not_read_again_on_a_version_change(data):
    path, record = next(iter(_records(data).items()))
    ocr_text = "Văn bản đã nhận dạng bằng OCR, không đọc lại"
    _age(path, record, text=ocr_text, extraction={**record["extraction"], "ocr": True, "ocr_pages": [1]})
    job = jobs.reindex(data, workers=1)
    assert job["state"] == "done" and job["kept"] == []
    assert _records(data)[path]["text"] == ocr_text


@pytest.mark.parametrize("why_kept", ["ocr", "original gone"])
def test_a_record_kept_on_a_version_change_has_its_keys_read_again(data, why_kept):
    """An archive made by an older extractor stored number keys with leading zeros ("06/kh/ubnd")
    and no cited years. A re-index that keeps the old text (pages read by OCR, or the original
    gone) still reads the keys and citations again, so 06/KH-UBND, 6/KH-UBND and what cites
    them are found after the re-index."""
    from indexer.library import Library
    from indexer.numbers import loose_key
    from indexer.pipeline import EXTRACTOR_VERSION
    from indexer.store import Archive

    path, record = next((p, r) for p, r in _records(data).items() if r.get("number") and r["citations"])
    number = record["number"]
    changes = {"number_key": "0" + loose_key(number),  # as the old key kept a printed zero
               "citations": [{**c, "key": "0" + (c["key"] or "")} for c in record["citations"]],
               "text": record["text"].replace("Đ", "\u00d0")}  # and the old text an eth for Đ
    if why_kept == "ocr":
        changes["extraction"] = {**record["extraction"], "ocr": True, "ocr_pages": [1]}
    else:
        Archive(data).original_path(record["sha"], record["suffix"]).unlink()
    _age(path, record, **changes)
    job = jobs.reindex(data, workers=1)
    assert job["state"] == "done" and job["failed"] == []
    after = _records(data)[path]
    assert after["extractor"] == EXTRACTOR_VERSION and after["number_key"] == loose_key(number)
    assert [c["key"] for c in after["citations"]] == [c["key"] for c in record["citations"]]
    assert "\u00d0" not in after["text"]
    lib = Library(data)
    try:
        assert lib.resolve_id("0" + number) == record["id"] == lib.resolve_id(number)
    finally:
        lib.close()


def _in_live_index(data, id_) -> bool:
    with open_index(data).searcher() as s:
        return s.document_number(id=id_) is not None


def test_an_upload_writing_when_the_reindex_ends_is_in_the_new_generation(data, tmp_path):
    """An upload holding the live writer while the re-index finishes: the switch waits for it,
    and the record it archived goes into the new generation (it used to stay in the old one)."""
    import time

    from indexer.index import new_writer
    from indexer.pipeline import _prepare_upload
    from indexer.store import Archive, file_sha256

    before = current_generation(data)
    upload = new_writer(open_index(data))  # an upload in progress holds the live generation's writer
    result = {}
    t = threading.Thread(target=lambda: result.update(jobs.reindex(data, workers=1)), daemon=True)
    t.start()
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and t.is_alive():
            job = (jobs.list_jobs(data) or [{}])[0]
            if job.get("state") == "running" and job["total"] and job["done"] >= job["total"]:
                break
            time.sleep(0.1)
        t.join(1.0)
        assert t.is_alive() and current_generation(data) == before  # the switch waits for the writer
        f = tmp_path / "Tờ trình mới.txt"
        f.write_text("ỦY BAN NHÂN DÂN\nSố: 77/TTr-UBND\nTỜ TRÌNH\nVề việc khen thưởng đột xuất đội cứu hộ\n",
                     encoding="utf-8")
        sha = file_sha256(f)
        _, record, fields = _prepare_upload(str(f), "uploads/Tờ trình mới.txt", f.name, sha, Limits(ocr=False))
        Archive(data).put_original(f, sha, record["suffix"])
        Archive(data).save_record(record)
        upload.update_document(**fields)
    except BaseException:
        upload.cancel()  # the re-index goes on; the test fails
        raise
    upload.commit()
    t.join(300)
    assert result["state"] == "done" and current_generation(data) != before
    assert _in_live_index(data, record["id"])


def test_an_upload_waiting_through_a_switch_writes_to_the_new_generation(data, tmp_path):
    """An upload that opened the index, then waited for its lock while a re-index switched
    generations, writes to the live (new) generation, not the replaced one."""
    import time

    from indexer.index import new_generation, switch_to
    from indexer.pipeline import add_file

    lock = open_index(data).lock("WRITELOCK")
    assert lock.acquire()  # what a re-index holds from its last round to the switch
    f = tmp_path / "Công văn mới.txt"
    f.write_text("ỦY BAN NHÂN DÂN\nSố: 78/UBND-VP\nV/v báo cáo kết quả cứu hộ đột xuất\n", encoding="utf-8")
    out = {}
    t = threading.Thread(target=lambda: out.update(r=add_file(f, data, filename=f.name, limits=Limits(ocr=False))))
    t.start()
    time.sleep(1.5)  # the upload has opened the live index and waits for its writer lock
    name, _ = new_generation(data)
    switch_to(data, name)
    lock.release()
    t.join(60)
    id_, existed = out["r"]
    assert not existed and current_generation(data) == name
    assert _in_live_index(data, id_)
