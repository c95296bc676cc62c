"""Campaigns (phong trào thi đua) and recurring documents, read from a trích yếu: every stage of
a campaign (kế hoạch, sơ kết, tổng kết, khen thưởng, thông báo) names it, year after year."""

from __future__ import annotations

import re

from indexer.normalize import folded_key

_CAMPAIGN = re.compile(r"(?:phong trào\s+)?thi đua\s+(?=[\w“\"])(.+)", re.I)
_YEAR_TAIL = re.compile(r"[\s,]*(?:năm|giai đoạn|nhiệm kỳ|đợt)?\s*\d{4}(?:\s*[-–]\s*\d{4})?\s*$", re.I)
_YEARS = re.compile(r"\b(?:năm\s+)?(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?\b", re.I)


def campaign_key(title: str | None) -> tuple[str, str] | None:
    """("campaign", folded "thi đua <name>") or ("title", folded title without years); None if too thin.

    A campaign is named by what follows "(phong trào) thi đua" in the trích yếu, less its
    year; every stage (kế hoạch, sơ kết, tổng kết, khen thưởng, thông báo) repeats it.
    A document outside any campaign recurs when its trích yếu, years removed, repeats.
    """
    if not title:
        return None
    title = " ".join(title.split())
    m = _CAMPAIGN.search(title)
    if m:
        name = _YEAR_TAIL.sub("", m.group(1)).strip(" ,.;")
        if len(name) >= 4:
            return "campaign", folded_key("thi đua " + name)
    core = " ".join(_YEARS.sub(" ", title).split()).strip(" ,.;")
    return ("title", folded_key(core)) if len(core) >= 12 else None


def same_campaign(key: tuple[str, str], title: str | None) -> bool:
    """`title` names the campaign (or repeats the recurring title) of `key` (`campaign_key`)."""
    if not title:
        return False
    kind, value = key
    if kind == "campaign":
        return value in folded_key(" ".join(title.split()))
    return campaign_key(title) == key
