"""The demo archive generator: deterministic, varied, realistic and self-consistent."""

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from corpus.generate import generate
from indexer.extract import Limits, extract
from indexer.normalize import normalize_text
from indexer.numbers import canonical_number, loose_key


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_archive(tmp_path):
    generate(tmp_path / "a", seed=3, count=40)
    generate(tmp_path / "b", seed=3, count=40)
    generate(tmp_path / "c", seed=4, count=40)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


@pytest.fixture(scope="module")
def full_catalog(tmp_path_factory):
    """The default demo archive's plan (text-only writes the same documents fast)."""
    out = tmp_path_factory.mktemp("full")
    generate(out, seed=0, text_only=True)
    return json.loads((out / "catalog.json").read_text(encoding="utf-8"))["documents"]


def test_default_archive_covers_years_issuers_and_types(full_catalog):
    assert len(full_catalog) >= 400
    years = {d["date"][:4] for d in full_catalog}
    assert min(years) <= "2015" and max(years) >= "2025"
    assert len({d["issuer"] for d in full_catalog}) >= 6
    types = Counter(d["type"] for d in full_catalog)
    for t in ("Kế hoạch", "Báo cáo", "Quyết định", "Thông báo", "Hướng dẫn", "Công văn", "Nghị quyết"):
        assert types[t] > 0, t


def test_campaigns_recur_through_all_stages(full_catalog):
    stages = {}
    for d in full_catalog:
        if d.get("campaign"):
            stages.setdefault(d["campaign"], set()).add(d.get("stage"))
    complete = [c for c, s in stages.items() if {"plan", "final", "award"} <= s]
    assert len(complete) >= 5, stages


def test_numbers_are_unique_per_issuer_and_year(full_catalog):
    keys = Counter((loose_key(d["number"]), d["date"][:4], d["issuer"]) for d in full_catalog if d["number"])
    assert [k for k, n in keys.items() if n > 1] == []


def test_citations_point_backwards_and_at_real_documents(full_catalog):
    by_source = {d["source"]: d for d in full_catalog}
    inside = 0
    for d in full_catalog:
        for c in d["citations"]:
            if c.get("in_archive"):
                inside += 1
                target = by_source[c["target_source"]]
                assert target["date"] <= d["date"], (d["source"], c)
                assert canonical_number(target["number"]) == canonical_number(c["number"])
    assert inside > 200


def test_files_hold_what_the_catalog_says(demo_archive, demo_catalog):
    formats = Counter(Path(d["source"]).suffix for d in demo_catalog)
    assert {".docx", ".pdf", ".txt", ".html"} <= set(formats)
    for d in demo_catalog[::7]:
        text = extract(demo_archive / d["source"], limits=Limits(ocr=False)).text
        for c in d["citations"]:
            surface = " ".join(normalize_text(c["surface"]).split())
            assert surface in " ".join(text.split()), (d["source"], c["surface"])
        assert " ".join(d["title"].split()) in " ".join(text.split())


def test_text_only_mode_scales(tmp_path):
    cat = generate(tmp_path, seed=1, count=3000, text_only=True)
    files = list(tmp_path.rglob("*.txt"))
    assert len(files) == 3000 == len(cat["documents"])
