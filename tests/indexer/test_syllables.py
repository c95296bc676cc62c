"""Syllables split by a PDF text layer ("nghi ệp") are joined again; real text is left alone."""

from __future__ import annotations

import re

import pytest

from indexer.extract import extract
from indexer.extract.base import Limits
from indexer.extract.syllables import rejoin_split_syllables, split_evidence
from indexer.legacy import repair
from indexer.normalize import normalize_text


@pytest.mark.parametrize("split, whole", [
    ("nghi ệp vụ", "nghiệp vụ"),
    ("Giấy chứng nh ận", "Giấy chứng nhận"),
    ("tư ớng", "tướng"),
    ("ĐIỀ UL", "ĐIỀ UL"),  # nothing known to join into
    ("Tr ong khi", "Trong khi"),
])
def test_split_pieces_are_joined(split, whole):
    assert rejoin_split_syllables(split) == (whole, split.count(" ") - whole.count(" "))


@pytest.mark.parametrize("text", [
    "ta y tế xã",                          # every piece a syllable: never joined
    "Đắk Lắk và Kon Tum",                  # names that are not dictionary syllables
    "The Ministry of Finance",
    "công thức hóa học là N2O, khí N",     # a capital letter is not glued to a word ("khíN")
    "điểm m và n khoản 2; đơn vị tính là m",  # one-letter labels and units
    "hoà bình, uỷ ban",
    "trả công cho ng\u00adười học",       # a soft hyphen inside a word: not a split
    "ông H'Mông và bà Y-Nga",
])
def test_real_text_is_left_alone(text):
    assert rejoin_split_syllables(text) == (text, 0)


def test_the_caller_can_decide_on_one_letter_pieces():
    assert rejoin_split_syllables("tôi là m việc", single_letters=True) == ("tôi làm việc", 1)
    assert rejoin_split_syllables("tôi là m việc", single_letters=False) == ("tôi là m việc", 0)
    assert split_evidence("nghi ệp vụ, th ời hạn, là m") == 2


def test_one_letter_pieces_are_joined_only_where_the_text_shows_splits():
    alone = "Đơn vị tính là m và chiều dài"
    assert rejoin_split_syllables(alone)[1] == 0
    split = "Cộng hòa xã h ội chủ nghĩa, nghi ệp vụ, gi ấy tờ, th ời hạn, đư ợc giao; tôi là m việc. ĐIỀ U 2"
    text, joins = rejoin_split_syllables(split)
    assert "xã hội" in text and "nghiệp vụ" in text and "thời hạn" in text and "được giao" in text
    assert "làm việc" in text and "ĐIỀU 2" in text and joins == 6
    assert "gi ấy" in text  # two real syllables: which it was cannot be told


def test_a_split_pdf_text_layer_reads_closer_to_the_truth(legacy_dir):
    pdf = legacy_dir / "corpus" / "public-domain" / "tcvn3" / "2007-1AF57_02-2007.pdf"
    truth = legacy_dir / "ground-truth" / "2007-1AF57_02-2007.txt"
    if not pdf.exists() or not truth.exists():
        pytest.skip(f"{pdf} is not in ../shared")
    from pypdf import PdfReader

    # the text layer as pypdf reads it, legacy font converted: what the extractor starts from
    before = normalize_text("\n".join(repair(p.extract_text())[0] for p in PdfReader(pdf).pages))
    after = extract(pdf, limits=Limits(ocr=False))
    assert after.rejoined >= 50
    known = set(re.findall(r"[^\W\d_]+", truth.read_text(encoding="utf-8").lower()))

    def unknown(text: str) -> int:  # syllables of ours that the true text never uses
        return sum(1 for s in re.findall(r"[^\W\d_]+", text.lower()) if s not in known)

    assert unknown(after.text) < unknown(before) / 2
