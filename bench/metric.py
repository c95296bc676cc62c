"""The upstream legacy-encoding metric (../shared/corpus/legacy/UPSTREAM_METRIC.md), exactly:
NFC + whitespace collapsed on both sides, difflib alignment; char, diacritic, syllable accuracy."""

from __future__ import annotations

import difflib
import re
import unicodedata


def prep(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def _base(ch: str) -> str:
    d = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    return d.replace("đ", "d").replace("Đ", "D")


def _has_diacritic(ch: str) -> bool:
    return ch in "đĐ" or any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", ch))


def scores(output: str, truth: str) -> dict:
    out, gt = prep(output), prep(truth)
    sm = difflib.SequenceMatcher(None, out, gt, autojunk=False)
    matched = sum(b.size for b in sm.get_matching_blocks())
    char_acc = matched / len(gt) if gt else 1.0

    # diacritics: align base letters, compare the original characters at aligned positions
    out_b = "".join(_base(c) for c in out)
    gt_b = "".join(_base(c) for c in gt)
    sm2 = difflib.SequenceMatcher(None, out_b, gt_b, autojunk=False)
    total = sum(1 for c in gt if _has_diacritic(c))
    ok = 0
    for a, b, size in sm2.get_matching_blocks():
        for k in range(size):
            g = gt[b + k]
            if _has_diacritic(g) and out[a + k] == g:
                ok += 1
    diac = ok / total if total else 1.0

    # syllables: whitespace tokens, exact match, aligned
    ot, gtt = out.split(" "), gt.split(" ")
    sm3 = difflib.SequenceMatcher(None, ot, gtt, autojunk=False)
    syl = sum(b.size for b in sm3.get_matching_blocks()) / len(gtt) if gtt else 1.0
    return {"char": char_acc, "diacritic": diac, "syllable": syl}
