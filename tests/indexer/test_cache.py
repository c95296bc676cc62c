"""The segmentation cache gives exactly what segmentation gives, and is shared across runs."""

from indexer.cache import SegmentCache, cache_path, clear_old
from indexer.pipeline import analyze

BOILER = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"


def record(text, title="Kế hoạch năm 2019"):
    return {"id": "0" * 16, "title": title, "text": text}


def test_cached_segmentation_equals_plain_segmentation(tmp_path):
    rec = record(f"{BOILER}\nPhát động phong trào thi đua sâu rộng, số 1460/KH-UBND ngày 17/6/2019.\nNĐ-CP")
    cache = SegmentCache(tmp_path)
    assert cache.analyze(rec) == analyze(rec)
    assert cache.analyze(rec) == analyze(rec)  # second time from the docs table
    assert cache.stats["doc_hits"] == 1 and cache.stats["doc_misses"] == 1
    cache.close()


def test_repeated_paragraph_is_persisted_and_shared(tmp_path):
    a = SegmentCache(tmp_path)
    a.analyze(record(f"{BOILER}\nVăn bản thứ nhất về xây dựng nông thôn mới."))
    a.analyze(record(f"{BOILER}\nVăn bản thứ hai về phòng chống thiên tai."))
    a.close()
    b = SegmentCache(tmp_path)  # another worker / a later run
    seg = b.analyze(record(f"{BOILER}\nVăn bản thứ ba về giáo dục."))
    assert b.stats["line_hits"] == 1
    assert seg == analyze(record(f"{BOILER}\nVăn bản thứ ba về giáo dục."))
    b.close()


def test_other_analyzer_versions_are_cleared(tmp_path):
    SegmentCache(tmp_path).close()
    old = cache_path(tmp_path, "old-analyzer")
    old.write_bytes(b"")
    assert clear_old(tmp_path) == [old]
    assert cache_path(tmp_path).exists()
