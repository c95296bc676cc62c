"""A record file damaged on disk (truncated by a full disk, overwritten): searches pass over it,
showing it says what to do, and a re-index reads the document again from its archived original."""

import json

import pytest

from indexer import jobs
from indexer.errors import DamagedRecord, NotFound
from indexer.library import Library
from indexer.search import SearchParams
from indexer.store import Archive
from tests.conftest import index_files

PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH HÀ LAM\nSố: 21/KH-UBND\nHà Lam, ngày 05 tháng 01 năm 2021\nKẾ HOẠCH\n"
        "Trồng thanh long ruột đỏ năm 2021\n1. Mở rộng vùng trồng thanh long.\n")
OTHER = ("ỦY BAN NHÂN DÂN\nTỈNH HÀ LAM\nSố: 22/KH-UBND\nHà Lam, ngày 06 tháng 01 năm 2021\nKẾ HOẠCH\n"
         "Phòng chống thiên tai năm 2021\n1. Kiểm tra đê điều.\n")


@pytest.fixture
def broken(tmp_path):
    """(data dir, id of the plan whose record was cut off mid-file, its record as it was)."""
    data = index_files(tmp_path, {"kh21.txt": PLAN, "kh22.txt": OTHER})
    lib = Library(data)
    id_ = lib.search(SearchParams(q="thanh long"))["hits"][0]["id"]
    lib.close()
    path = Archive(data).record_path(id_)
    before = json.loads(path.read_text(encoding="utf-8"))
    path.write_bytes(path.read_bytes()[:40])
    return data, id_, before


@pytest.mark.parametrize("garbage", [b'{"id": "', b"\xff\xfe\x00garbage", b"null", b'{"id": "0000000000000000"}'])
def test_a_damaged_record_is_a_clear_error_that_is_also_a_not_found(tmp_path, garbage):
    data = index_files(tmp_path, {"kh21.txt": PLAN})
    archive = Archive(data)
    id_ = next(jobs.iter_record_paths(data)).stem
    archive.record_path(id_).write_bytes(garbage)
    with pytest.raises(DamagedRecord) as exc:
        archive.load_record(id_)
    assert isinstance(exc.value, NotFound)
    message = str(exc.value)
    assert f"Bản ghi của văn bản {id_} bị hỏng" in message and "`vanthu reindex`" in message
    assert message.endswith("to read it again from its archived original.)")
    assert str(tmp_path) not in message  # the server's folders are not shown


def test_search_passes_over_a_damaged_record_and_showing_it_says_what_to_do(broken):
    data, id_, _ = broken
    lib = Library(data)
    try:
        result = lib.search(SearchParams(q="thanh long"))
        assert [h["id"] for h in result["hits"]] == [id_]
        assert lib.search(SearchParams(q="thiên tai"))["total"] == 1
        with pytest.raises(DamagedRecord, match="vanthu reindex"):
            lib.document(id_)
    finally:
        lib.close()


def test_reindex_reads_a_damaged_record_again_from_its_original(broken):
    data, id_, before = broken
    job = jobs.reindex(data, workers=1)
    assert job["state"] == "done" and job["failed"] == []
    assert job["recovered"] == [{"id": id_, "source": "kh21.txt"}]
    after = Archive(data).load_record(id_)
    for key in ("id", "sha", "source", "root", "filename", "suffix", "number", "title", "text", "citations"):
        assert after[key] == before[key], key
    lib = Library(data)
    try:
        hit = lib.search(SearchParams(q="thanh long"))["hits"][0]
        assert hit["id"] == id_ and hit["snippet"]
        assert lib.document(id_)["number"] == "21/KH-UBND"
    finally:
        lib.close()


def test_reindex_lists_a_damaged_record_whose_original_is_gone_too(broken):
    data, id_, before = broken
    Archive(data).original_path(before["sha"], before["suffix"]).unlink()
    job = jobs.reindex(data, workers=1)
    assert job["state"] == "done" and job["recovered"] == []
    assert [(f["id"], "bị hỏng" in f["reason"]) for f in job["failed"]] == [(id_, True)]
