"""indexer/crf.py gives the words underthesea's `word_tokenize` gives, on real text.

The fast decoder must never change a segmentation: the segmentation cache, the index and
the VLSP score all assume underthesea's output. Compared sentence by sentence on the VLSP
2013 test sentences, the law texts and the demo archive.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from underthesea import word_tokenize

from indexer.crf import Segmenter, read_crfsuite, segmenter, tokenize


def lines_of(paths, limit: int, every: int = 1) -> list[str]:
    out = []
    for p in paths:
        for k, line in enumerate(Path(p).read_text(encoding="utf-8", errors="replace").split("\n")):
            if line.strip() and k % every == 0:
                out.append(line.strip())
                if len(out) >= limit:
                    return out
    return out


def assert_same_words(lines: list[str], seg: Segmenter | None = None) -> None:
    seg = seg or segmenter()
    differ = []
    for line in lines:
        ours, theirs = seg.words(line), word_tokenize(line)
        if ours != theirs:
            differ.append((line, theirs, ours))
    assert not differ, differ[:3]


def test_vlsp2013_test_sentences(shared_dir):
    raw = shared_dir / "benchmarks" / "vlsp2013-ws" / "vlsp2013-test" / "raw_syllables.txt"
    lines = lines_of([raw], limit=10_000)
    assert len(lines) > 2000
    assert_same_words(lines)


def test_law_texts(shared_dir):
    files = sorted((shared_dir / "corpus" / "laws" / "corpus").rglob("*"))
    lines = lines_of([p for p in files if p.is_file()], limit=1500, every=17)
    assert len(lines) >= 1000
    assert_same_words(lines)


def test_demo_archive(demo_archive):
    from indexer.extract import extract

    files = [p for p in sorted(demo_archive.rglob("*")) if p.suffix in (".txt", ".docx", ".html")]
    lines = [ln.strip() for p in files[:40] for ln in extract(p).text.split("\n") if ln.strip()]
    assert len(lines) > 500
    assert_same_words(lines)


def test_edge_cases_and_a_tiny_cache():
    cases = [
        "a", "Đà", "BOS", "EOS BOS", "Hà Nội", "1460/KH-UBND", "ngày 17/6/2019", "H'Mông",
        "Thi đua khen thưởng . Thi đua khen thưởng", "“Căn cứ” (Luật số 06/2022/QH15) - NĐ-CP; 3x4 v.v.",
        "UBND TỈNH HẬU GIANG", "hoà bình, uỷ ban", "e-mail: vanthu@example.vn http://x.vn/a?b=1",
    ]
    assert_same_words(cases)
    tiny = Segmenter(max_entries=5)  # the caches are emptied again and again: same words
    assert_same_words(cases * 2, tiny)
    assert all(len(t) <= 5 + 40 for t in tiny._tables.values())  # emptied before each line past the bound


def test_empty_input():
    assert segmenter().words("") == [] == word_tokenize("")
    assert tokenize("   ") == []


def test_reading_something_that_is_not_a_model_fails_clearly(tmp_path):
    bad = tmp_path / "models.bin"
    bad.write_bytes(b"not a crfsuite model at all" * 4)
    with pytest.raises(ValueError, match="not a crfsuite CRF1d model"):
        read_crfsuite(str(bad))


def test_a_near_tie_is_left_to_underthesea():
    # table cells of the same shape side by side: two segmentations score exactly alike, and
    # underthesea's own rounding decides; our decoder must not guess
    line = "| 12,00 | 34,00 | 56,00 |"
    seg = Segmenter()
    assert seg.tags(tokenize(line)) is None
    assert seg.words(line) == word_tokenize(line)
    assert seg.ties == 1
