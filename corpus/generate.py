"""Generate the demo archive of the fictional province of Bình Lam — deterministic by seed.

Emulation campaigns recur by year: plan (Kế hoạch) → sơ kết report → tổng kết report →
award decision (Quyết định khen thưởng) → next year's plan citing last year's report; with
guidance (Hướng dẫn), notices (Thông báo), official letters (công văn), HĐND resolutions and
a regulation decision cited for years. Documents cite each other in the varied forms staff
write, and some citations point at documents that are not in the archive.

    python -m corpus.generate --out DIR [--seed 0] [--count N] [--text-only]

writes the files under DIR/<year>/<issuer>/ and DIR/catalog.json (the ground truth).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from corpus import render
from corpus.people import CAPITAL, PROVINCE, Issuer, base_issuers, extra_districts, person

YEARS = range(2015, 2026)
DEFAULT_COUNT = None  # the full default archive (~450 documents)

TYPE_NAMES = {"KH": "Kế hoạch", "BC": "Báo cáo", "QĐ": "Quyết định", "TB": "Thông báo", "HD": "Hướng dẫn",
              "NQ": "Nghị quyết", "CV": "Công văn", "TTr": "Tờ trình", "CT": "Chỉ thị"}

# National documents (real, public numbers) that provincial documents cite by name or number.
LAW_OLD = "Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003"
LAW_AMEND = "Luật sửa đổi, bổ sung một số điều của Luật Thi đua, Khen thưởng ngày 16 tháng 11 năm 2013"
LAW_NEW = "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"
LAW_LOCAL = "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
ND_OLD = ("91/2017/NĐ-CP", "2017-07-31", "Nghị định", "Chính phủ")
ND_NEW = ("98/2023/NĐ-CP", "2023-12-31", "Nghị định", "Chính phủ")
TT_OLD = ("12/2019/TT-BNV", "2019-11-04", "Thông tư", "Bộ Nội vụ")
PARTY = ("11-CT/TU", "2016-01-04", "Chỉ thị", "Ban Thường vụ Tỉnh ủy")


@dataclass
class CitationTruth:
    surface: str
    number: str | None
    type: str | None
    date: str | None
    issuer: str | None
    name: str | None = None
    in_archive: bool = False
    target_source: str | None = None


@dataclass
class Planned:
    """A document before it is written: who, what, when, which documents it cites."""

    uid: int
    issuer: Issuer
    code: str  # KH, BC, QĐ, TB, HD, NQ, CV
    day: date
    title: str
    kind: str  # plan, midterm, final, award, guide, notice, letter, resolution, rule
    campaign: str | None = None
    stage: str | None = None
    cites: list[Planned] = field(default_factory=list)
    regulation: bool = False  # number carries the year: 12/2019/QĐ-UBND
    number: str = ""
    source: str = ""
    fmt: str = "txt"
    quirk: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def type_name(self) -> str:
        return TYPE_NAMES[self.code]


@dataclass
class Campaign:
    key: str
    issuer: Issuer
    name: str  # the phrase after "phong trào thi đua"
    years: list[int]
    school_year: bool = False
    parent: str | None = None  # a provincial campaign this one implements


# --- helpers -------------------------------------------------------------------------


def d_long(d: date) -> str:
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}" if d.day < 10 else f"ngày {d.day} tháng {d.month} năm {d.year}"


def d_short(d: date, rng: random.Random) -> str:
    return rng.choice([f"ngày {d.day}/{d.month}/{d.year}", f"ngày {d.day:02d}/{d.month:02d}/{d.year}", d_long(d)])


def rand_day(rng: random.Random, year: int, m1: int, m2: int) -> date:
    start = date(year, m1, 1)
    end = date(year, m2, 28)
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def money(rng: random.Random) -> str:
    return f"{rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 15, 20])}.{rng.choice(['000', '500', '490', '980'])}.000 đồng"


# --- planning ------------------------------------------------------------------------


def campaigns_for(issuers: dict[str, Issuer], extra: list[Issuer], rng: random.Random) -> list[Campaign]:
    years = list(YEARS)
    out = [
        Campaign("tdyn", issuers["ubnd-tinh"], "yêu nước", years),
        Campaign("tddb", issuers["ubnd-tinh"], f"đặc biệt chào mừng kỷ niệm ngày tái lập tỉnh {PROVINCE}",
                 [2016, 2018, 2021, 2024]),
        Campaign("vhcs", issuers["snv"], "“Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”", years),
        Campaign("khoi", issuers["btdkt"], "của các Khối, Cụm thi đua thuộc tỉnh", years),
        Campaign("dthh", issuers["sgddt"], "“Dạy tốt - Học tốt”", years[:-1], school_year=True),
        Campaign("xsd", issuers["syt"], "“Xanh - Sạch - Đẹp, lấy người bệnh làm trung tâm”", years),
    ]
    for key in ("phu-lam", "tan-khe", "lam-son"):
        out.append(Campaign(f"ntm-{key}", issuers[key], "“Chung sức xây dựng nông thôn mới”", years, parent="tdyn"))
    names = ["“Chung sức xây dựng nông thôn mới”", "“Xây dựng đô thị văn minh”", "“Dân vận khéo”",
             "“Doanh nghiệp, doanh nhân chung tay vì cộng đồng”", "yêu nước"]
    for iss in extra:
        out.append(Campaign(f"c-{iss.key}", iss, rng.choice(names), years, parent="tdyn"))
    return out


class Planner:
    def __init__(self, seed: int, count: int | None):
        self.rng = random.Random(seed)
        self.docs: list[Planned] = []
        base = base_issuers()
        self.issuers = {i.key: i for i in base}
        extra: list[Issuer] = []
        if count and count > 450:
            extra = extra_districts((count - 400) // 40 + 1, self.rng)
        self.campaigns = campaigns_for(self.issuers, extra, self.rng)
        self.by_campaign: dict[tuple[str, int, str], Planned] = {}
        self.rules: list[Planned] = []

    def add(self, **kw) -> Planned:
        p = Planned(uid=len(self.docs), **kw)
        self.docs.append(p)
        return p

    def plan_statewide(self) -> None:
        ubnd, hdnd, btdkt = self.issuers["ubnd-tinh"], self.issuers["hdnd"], self.issuers["btdkt"]
        for y in (2015, 2019, 2024):
            self.rules.append(self.add(
                issuer=ubnd, code="QĐ", day=rand_day(self.rng, y, 3, 9), kind="rule", regulation=True,
                title=f"Ban hành Quy chế công tác thi đua, khen thưởng trên địa bàn tỉnh {PROVINCE}"))
        for y in (2016, 2020, 2024):
            self.add(issuer=hdnd, code="NQ", day=rand_day(self.rng, y, 7, 12), kind="resolution", regulation=True,
                     title="Quy định mức chi tiền thưởng đối với các danh hiệu thi đua, hình thức khen thưởng "
                           "thuộc thẩm quyền của tỉnh")
        for y in YEARS:
            self.add(issuer=btdkt, code="HD", day=rand_day(self.rng, y, 1, 2), kind="guide",
                     title=f"Hướng dẫn công tác thi đua, khen thưởng năm {y}")

    def plan_campaign(self, c: Campaign, stop_at: int | None) -> None:
        rng = self.rng
        prev_final = None
        for y in c.years:
            if stop_at is not None and len(self.docs) >= stop_at:
                return
            label = f"năm học {y}-{y + 1}" if c.school_year else f"năm {y}"
            m = (8, 10) if c.school_year else (1, 3)
            kh = self.add(issuer=c.issuer, code="KH", day=rand_day(rng, y, *m), kind="plan", campaign=c.key,
                          stage="plan", title=f"Tổ chức phong trào thi đua {c.name} {label}")
            kh.extra["label"] = label
            if prev_final is not None:
                kh.cites.append(prev_final)
            if c.parent and (parent := self.by_campaign.get((c.parent, y, "plan"))) and parent.day < kh.day:
                kh.cites.append(parent)
            rules = [r for r in self.rules if r.day < kh.day]
            if rules:
                kh.cites.append(rules[-1])
            self.by_campaign[(c.key, y, "plan")] = kh
            yy = y + 1 if c.school_year else y
            mid = None
            if rng.random() < 0.75:
                mid = self.add(issuer=c.issuer, code="BC", day=rand_day(rng, yy, 6, 7) if not c.school_year
                               else rand_day(rng, yy, 1, 2), kind="midterm", campaign=c.key, stage="midterm",
                               title=f"Sơ kết phong trào thi đua {c.name} {label}", cites=[kh])
                mid.extra["label"] = label
            final = self.add(issuer=c.issuer, code="BC", day=rand_day(rng, yy, 11, 12) if not c.school_year
                             else rand_day(rng, yy, 5, 6), kind="final", campaign=c.key, stage="final",
                             title=f"Tổng kết phong trào thi đua {c.name} {label}", cites=[kh] + ([mid] if mid else []))
            final.extra["label"] = label
            self.by_campaign[(c.key, y, "final")] = final
            if rng.random() < 0.3:  # an official letter urging reports before the final one
                letter = self.add(issuer=c.issuer, code="CV", day=final.day - timedelta(days=rng.randint(10, 30)),
                                  kind="letter", campaign=c.key, stage="letter",
                                  title=f"V/v đôn đốc gửi báo cáo tổng kết phong trào thi đua {c.name} {label}",
                                  cites=[kh])
                letter.extra["label"] = label
            award_issuer = c.issuer if c.issuer.level != "department" or c.issuer.key == "sgddt" else self.issuers["ubnd-tinh"]
            award_day = final.day + timedelta(days=rng.randint(8, 40))
            if award_day.year > 2025:
                award_day = date(2025, 12, 30)
            award = self.add(issuer=award_issuer, code="QĐ", day=award_day, kind="award", campaign=c.key,
                             stage="award", title=f"Về việc khen thưởng thành tích trong phong trào thi đua {c.name} {label}",
                             cites=[final, kh])
            award.extra["label"] = label
            if rng.random() < 0.35:
                tb = self.add(issuer=c.issuer, code="TB", day=award_day + timedelta(days=rng.randint(2, 12)),
                              kind="notice", campaign=c.key, stage="notice",
                              title=f"Kết quả bình xét thi đua {c.name} {label}", cites=[award])
                tb.extra["label"] = label
            prev_final = final

    def plan(self, count: int | None) -> list[Planned]:
        self.plan_statewide()
        for c in self.campaigns:
            self.plan_campaign(c, count)
        docs = sorted(self.docs, key=lambda d: (d.day, d.uid))
        if count is not None:
            docs = docs[:count]
        keep = {d.uid for d in docs}
        for d in docs:
            d.extra["missing_cites"] = [x for x in d.cites if x.uid not in keep]
            d.cites = [x for x in d.cites if x.uid in keep and x.day < d.day]
        return docs


def assign_numbers(docs: list[Planned], rng: random.Random) -> None:
    """One sequence per issuer and year across types (as offices number), with gaps."""
    counters: dict[tuple[str, int], int] = {}
    for d in sorted(docs, key=lambda d: (d.day, d.uid)):
        k = (d.issuer.key, d.day.year)
        busy = 40 if d.issuer.key == "ubnd-tinh" else 12
        counters[k] = counters.get(k, 0) + rng.randint(1, busy)
        n = counters[k]
        iss = d.issuer
        if d.code == "CV":
            d.number = f"{n}/{iss.code}-{iss.cv_code}"
        elif d.regulation:
            d.number = f"{rng.randint(5, 60)}/{d.day.year}/{d.code}-{iss.code}"
        else:
            d.number = f"{n}/{d.code}-{iss.code}"


# --- writing the text ------------------------------------------------------------------


class Writer:
    """Composes the text of a planned document and records every citation's surface."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    # citations ------------------------------------------------------------------------
    def cite(self, target: Planned, cits: list[CitationTruth], *, short: bool = False) -> str:
        rng = self.rng
        issuer = rng.choice(target.issuer.cite_forms)
        tname = target.type_name
        if target.code == "CV":
            tname = "Công văn"
        form = "short" if short else rng.choice(["full", "full", "full_long", "numdate", "short", "abbr"])
        if form == "full":
            s = f"{tname} số {target.number} {d_short(target.day, rng)} của {issuer}"
        elif form == "full_long":
            s = f"{tname} số {target.number} {d_long(target.day)} của {issuer}"
        elif form == "numdate":
            s = f"{tname} số {target.number} {d_short(target.day, rng)}"
        elif form == "abbr" and target.code in ("QĐ", "KH", "BC"):
            s = f"{target.code} số {target.number}"
        else:
            s = f"{tname} {target.number}"
        cits.append(CitationTruth(s, target.number, TYPE_NAMES[target.code] if target.code != "CV" else "Công văn",
                                  target.day.isoformat() if "ngày" in s else None,
                                  issuer if " của " in s else None, in_archive=True, target_source=target.source))
        return s

    def cite_external(self, ref: tuple[str, str, str, str], cits: list[CitationTruth], *, with_date=True) -> str:
        number, iso, tname, issuer = ref
        d = date.fromisoformat(iso)
        s = f"{tname} số {number} {d_long(d)} của {issuer}" if with_date else f"{tname} số {number}"
        cits.append(CitationTruth(s, number, tname, iso if with_date else None, issuer if with_date else None))
        return s

    def cite_law(self, law: str, cits: list[CitationTruth]) -> str:
        name = law.split(" ngày ")[0]
        d = law.split(" ngày ")[1]
        dd, mm, yy = d.replace("tháng ", "").replace("năm ", "").split()
        cits.append(CitationTruth(law, None, "Luật", f"{int(yy):04d}-{int(mm):02d}-{int(dd):02d}", None, name=name))
        return law

    def cite_name(self, name: str, cits: list[CitationTruth]) -> str:
        cits.append(CitationTruth(name, None, "Luật", None, None, name=name))
        return name

    def cite_missing(self, issuer: Issuer, year: int, code: str, cits: list[CitationTruth], of: str | None = None) -> str:
        """A provincial document that the archive does not hold."""
        rng = self.rng
        n = rng.randint(2, 30) * 7 + 1000 * rng.randint(0, 2)
        d = rand_day(rng, year, 1, 11)
        number = f"{n}/{code}-{issuer.code}" if code != "TTr" else f"{n}/TTr-SNV"
        tname = TYPE_NAMES[code]
        s = f"{tname} số {number} {d_short(d, rng)}" + (f" của {of}" if of else "")
        cits.append(CitationTruth(s, number, tname, d.isoformat(), of))
        return s

    def legal_basis(self, d: Planned, cits: list[CitationTruth]) -> list[str]:
        y = d.day.year
        lines = [f"Căn cứ {self.cite_law(LAW_LOCAL, cits)};"]
        if y < 2024:
            lines.append(f"Căn cứ {self.cite_law(LAW_OLD, cits)}; {self.cite_law(LAW_AMEND, cits)};")
            nd = self.cite_external(ND_OLD, cits)
            lines.append(f"Căn cứ {nd} quy định chi tiết thi hành một số điều của {self.cite_name('Luật Thi đua, Khen thưởng', cits)};")
            if y >= 2020:
                lines.append(f"Căn cứ {self.cite_external(TT_OLD, cits)} hướng dẫn thi hành;")
        else:
            lines.append(f"Căn cứ {self.cite_law(LAW_NEW, cits)};")
            nd = self.cite_external(ND_NEW, cits)
            lines.append(f"Căn cứ {nd} quy định chi tiết thi hành một số điều của {self.cite_name('Luật Thi đua, khen thưởng', cits)};")
        return lines

    # bodies -----------------------------------------------------------------------------
    def body(self, d: Planned, cits: list[CitationTruth]) -> list[str]:
        return getattr(self, f"body_{d.kind}")(d, cits)

    def _cite_list(self, d: Planned, cits: list[CitationTruth], lead: str) -> list[str]:
        out = []
        for t in d.cites:
            out.append(f"{lead} {self.cite(t, cits)};")
        for t in d.extra.get("missing_cites", []):
            pass  # cited documents cut by --count are simply not mentioned
        return out

    def body_plan(self, d: Planned, cits: list[CitationTruth]) -> list[str]:
        rng, y, label = self.rng, d.day.year, d.extra["label"]
        out = []
        if d.issuer.level != "department" or rng.random() < 0.5:
            out += self.legal_basis(d, cits)
        if y >= 2016 and rng.random() < 0.5:
            out.append(f"Thực hiện {self.cite_external(PARTY, cits, with_date=rng.random() < 0.6)} về tăng cường "
                       "sự lãnh đạo của Đảng đối với công tác thi đua, khen thưởng;")
        for t in d.cites:
            verb = rng.choice(["Căn cứ", "Thực hiện", "Trên cơ sở"])
            what = self.cite(t, cits)
            if t.kind == "final":
                out.append(f"{verb} {what} về kết quả tổng kết phong trào thi đua năm trước;")
            else:
                out.append(f"{verb} {what};")
        if rng.random() < 0.4:
            out.append(f"Căn cứ {self.cite_missing(self.issuers_hint(d), y, 'KH', cits, of='Ủy ban nhân dân tỉnh')} "
                       "về thực hiện nhiệm vụ chính trị trọng tâm;")
        out.append(f"{d.issuer.name} ban hành Kế hoạch tổ chức phong trào thi đua {label} như sau:")
        out.append("I. MỤC ĐÍCH, YÊU CẦU")
        out.append("1. Mục đích")
        out += rng.sample(PLAN_PURPOSE, 2)
        out.append("2. Yêu cầu")
        out += rng.sample(PLAN_REQUIRE, 2)
        out.append("II. NỘI DUNG THI ĐUA")
        for i, item in enumerate(rng.sample(PLAN_CONTENT, 4), 1):
            out.append(f"{i}. {item}")
        out.append("III. DANH HIỆU THI ĐUA VÀ HÌNH THỨC KHEN THƯỞNG")
        out.append(f"1. Tập thể, cá nhân có thành tích xuất sắc được xét tặng {d.issuer.award or 'Bằng khen'}; "
                   f"mức thưởng theo quy định hiện hành, tối đa {money(rng)} đối với tập thể.")
        out.append(f"2. Hồ sơ đề nghị khen thưởng gửi về {rng.choice(['Ban Thi đua - Khen thưởng', 'Sở Nội vụ', 'Phòng Nội vụ'])} "
                   f"trước ngày {rng.randint(1, 28)}/{rng.randint(10, 12)}/{y}.")
        out.append("IV. TỔ CHỨC THỰC HIỆN")
        out += rng.sample(PLAN_ORG, 3)
        out.append(f"Trong quá trình thực hiện, nếu có vướng mắc, liên hệ số điện thoại 0297.38{rng.randint(10, 99)}.{rng.randint(100, 999)} "
                   "để được hướng dẫn./.")
        return out

    def body_midterm(self, d: Planned, cits: list[CitationTruth]) -> list[str]:
        rng = self.rng
        out = [f"Thực hiện {self.cite(d.cites[0], cits)}, {d.issuer.name} báo cáo sơ kết sáu tháng như sau:"]
        out.append("I. KẾT QUẢ THỰC HIỆN")
        out += [s.format(n=rng.randint(12, 480), p=f"{rng.randint(80, 99)},{rng.randint(0, 9)}") for s in rng.sample(REPORT_RESULTS, 3)]
        out.append("II. TỒN TẠI, HẠN CHẾ")
        out += rng.sample(REPORT_WEAK, 2)
        out.append("III. NHIỆM VỤ SÁU THÁNG CUỐI NĂM")
        out += rng.sample(REPORT_NEXT, 2)
        return out

    def body_final(self, d: Planned, cits: list[CitationTruth]) -> list[str]:
        rng = self.rng
        kh = d.cites[0]
        out = [f"Thực hiện {self.cite(kh, cits)} về tổ chức phong trào thi đua {d.extra['label']}, "
               f"{d.issuer.name} báo cáo tổng kết như sau:"]
        if len(d.cites) > 1:
            out.append(f"Tiếp theo {self.cite(d.cites[1], cits, short=True)}, kết quả cả năm được tổng hợp dưới đây.")
        out.append("I. KẾT QUẢ ĐẠT ĐƯỢC")
        out += [s.format(n=rng.randint(12, 480), p=f"{rng.randint(80, 99)},{rng.randint(0, 9)}") for s in rng.sample(REPORT_RESULTS, 4)]
        out.append(f"Tổng kinh phí khen thưởng trong năm là {money(rng)}.")
        out.append("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
        out += rng.sample(REPORT_WEAK, 2)
        out.append("III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI")
        out += rng.sample(REPORT_NEXT, 3)
        out.append("IV. ĐỀ XUẤT, KIẾN NGHỊ")
        out.append(f"Đề nghị xét tặng {d.issuer.award or 'Bằng khen'} cho {rng.randint(3, 25)} tập thể và "
                   f"{rng.randint(5, 60)} cá nhân có thành tích xuất sắc.")
        return out

    def body_award(self, d: Planned, cits: list[CitationTruth]) -> list[str]:
        rng = self.rng
        out = self.legal_basis(d, cits)
        rules = [c for c in d.cites if c.kind == "rule"]
        for r in rules:
            out.append(f"Căn cứ {self.cite(r, cits)};")
        final = d.cites[0] if d.cites else None
        if final is not None:
            out.append(f"Xét {self.cite(final, cits)};")
        if rng.random() < 0.6:
            out.append(f"Xét đề nghị của Giám đốc Sở Nội vụ tại {self.cite_missing(d.issuer, d.day.year, 'TTr', cits)}.")
        out.append("QUYẾT ĐỊNH:")
        k, m = rng.randint(2, 12), rng.randint(3, 30)
        out.append(f"Điều 1. Tặng {d.issuer.award or 'Giấy khen'} cho {k} tập thể và {m} cá nhân đã có thành tích xuất sắc "
                   f"trong phong trào thi đua {d.extra['label']} (có danh sách kèm theo).")
        out.append(f"Điều 2. Mỗi tập thể được thưởng {money(rng)}, mỗi cá nhân được thưởng {money(rng)}, "
                   "trích từ Quỹ thi đua, khen thưởng theo quy định.")
        out.append("Điều 3. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên "
                   "tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.")
        out.append("DANH SÁCH KHEN THƯỞNG")
        out.append("A. Tập thể")
        for i in range(1, min(k, 6) + 1):
            out.append(f"{i}. {rng.choice(UNITS)} {rng.choice(['xã', 'phường', 'thị trấn'])} {rng.choice(['Phú', 'Tân', 'An', 'Mỹ', 'Long'])} {rng.choice(['Hòa', 'Lợi', 'Thạnh', 'Hưng', 'Khánh'])};")
        out.append("B. Cá nhân")
        for i in range(1, min(m, 8) + 1):
            out.append(f"{i}. Ông/Bà {person(rng)}, {rng.choice(POSITIONS)};")
        return out

    def body_guide(self, d: Planned, cits: list[CitationTruth]) -> list[str]:
        rng = self.rng
        out = ["Căn cứ " + self.cite_law(LAW_NEW if d.day.year >= 2024 else LAW_OLD, cits) + ";"]
        out.append(f"Ban Thi đua - Khen thưởng hướng dẫn công tác thi đua, khen thưởng năm {d.day.year} như sau:")
        out.append("1. Về đăng ký thi đua")
        out.append(f"Các cơ quan, đơn vị gửi bản đăng ký thi đua trước ngày {rng.randint(1, 28)}/3/{d.day.year}; "
                   "khoản 2 Điều 5 của Quy chế quy định rõ trách nhiệm của người đứng đầu.")
        out.append("2. Về hồ sơ đề nghị khen thưởng")
        out += rng.sample(GUIDE_LINES, 3)
        out.append("3. Về thời gian gửi hồ sơ")
        out.append(f"Hồ sơ khen thưởng tổng kết năm gửi trước ngày 15/12/{d.day.year}, bản điện tử gửi kèm qua hệ thống "
                   "quản lý văn bản và điều hành.")
        return out

    def body_notice(self, d: Planned, cits: list[CitationTruth]) -> list[str]:
        rng = self.rng
        out = [f"Căn cứ {self.cite(d.cites[0], cits)}," if d.cites else "Căn cứ kết quả bình xét,",
               f"{d.issuer.name} thông báo kết quả bình xét thi đua như sau:"]
        for i in range(1, 4):
            out.append(f"{i}. {rng.choice(UNITS)} {rng.choice(['Phú', 'Tân', 'An'])} {rng.choice(['Hòa', 'Lợi', 'Thạnh'])} "
                       f"đạt {rng.randint(85, 99)} điểm, xếp loại {rng.choice(['xuất sắc', 'tốt', 'khá'])}.")
        out.append("Đề nghị các đơn vị tiếp tục phát huy kết quả đạt được./.")
        return out

    def body_letter(self, d: Planned, cits: list[CitationTruth]) -> list[str]:
        rng = self.rng
        out = [f"Kính gửi: {rng.choice(['Các sở, ban, ngành tỉnh', 'Thủ trưởng các cơ quan, đơn vị', 'Ủy ban nhân dân các xã, thị trấn'])}."]
        out.append(f"Thực hiện {self.cite(d.cites[0], cits)}, đến nay một số đơn vị chưa gửi báo cáo tổng kết. "
                   f"{d.issuer.name} đề nghị các đơn vị khẩn trương hoàn thành, gửi về trước ngày "
                   f"{rng.randint(1, 28)}/{d.day.month}/{d.day.year}.")
        out.append("Quá thời hạn trên, đơn vị nào không gửi báo cáo sẽ không được xét khen thưởng trong năm./.")
        return out

    def body_rule(self, d: Planned, cits: list[CitationTruth]) -> list[str]:
        out = self.legal_basis(d, cits)
        out.append("Theo đề nghị của Giám đốc Sở Nội vụ.")
        out.append("QUYẾT ĐỊNH:")
        out.append(f"Điều 1. Ban hành kèm theo Quyết định này Quy chế công tác thi đua, khen thưởng trên địa bàn tỉnh {PROVINCE}.")
        out.append(f"Điều 2. Quyết định này có hiệu lực kể từ ngày {d.day.day + 0}/{d.day.month}/{d.day.year + 0}.")
        out.append("Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các sở, Chủ tịch UBND các huyện, thị xã chịu trách nhiệm thi hành./.")
        out.append("QUY CHẾ")
        out.append("Chương I")
        out.append("QUY ĐỊNH CHUNG")
        out.append("Điều 1. Phạm vi điều chỉnh")
        out.append("Quy chế này quy định về tổ chức phong trào thi đua, danh hiệu thi đua, hình thức khen thưởng, thẩm quyền, "
                   "trình tự, thủ tục và hồ sơ đề nghị khen thưởng.")
        out.append("Điều 2. Giải thích từ ngữ")
        out += RULE_TERMS
        out.append("Điều 3. Nguyên tắc thi đua, khen thưởng")
        out += self.rng.sample(GUIDE_LINES, 2)
        out.append("Chương II")
        out.append("TỔ CHỨC PHONG TRÀO THI ĐUA")
        out.append("Điều 4. Hình thức tổ chức thi đua")
        out += self.rng.sample(PLAN_CONTENT, 2)
        return out

    def body_resolution(self, d: Planned, cits: list[CitationTruth]) -> list[str]:
        rng = self.rng
        out = [f"HỘI ĐỒNG NHÂN DÂN TỈNH {PROVINCE.upper()}", f"KHÓA {rng.choice(['IX', 'X'])}, KỲ HỌP THỨ {rng.randint(3, 12)}"]
        out += self.legal_basis(d, cits)
        out.append("Xét Tờ trình của Ủy ban nhân dân tỉnh; báo cáo thẩm tra của Ban Pháp chế; ý kiến thảo luận của đại biểu.")
        out.append("QUYẾT NGHỊ:")
        out.append("Điều 1. Quy định mức chi tiền thưởng kèm theo danh hiệu thi đua và hình thức khen thưởng thuộc thẩm quyền của tỉnh; "
                   f"Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh đối với cá nhân: {money(rng)}.")
        out.append("Điều 2. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này./.")
        return out

    def issuers_hint(self, d: Planned) -> Issuer:
        return d.issuer if d.issuer.code == "UBND" else d.issuer

    # the whole document ---------------------------------------------------------------
    def compose(self, d: Planned) -> tuple[render.Doc, list[CitationTruth], str]:
        rng = self.rng
        cits: list[CitationTruth] = []
        iss = d.issuer
        number_line = rng.choice(["Số: ", "Số: ", "Số:"]) + d.number
        left = [*iss.header, number_line]
        if d.code == "CV":
            left.append(d.title)
        right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 f"{iss.place}, {d_long(d.day)}"]
        body = self.body(d, cits)
        head_name, deputy_name = iss.signer_names(d.day.year, rng)
        deputy = rng.random() < 0.6
        signer = [x for x in [iss.collective, ("KT. " + iss.head_title) if deputy else "",
                              iss.deputy_title if deputy else iss.head_title, "(Đã ký)", deputy_name if deputy else head_name] if x]
        recipients = ["Nơi nhận:", "- Như trên;", f"- {rng.choice(['TT Tỉnh ủy', 'TT HĐND tỉnh', 'Sở Nội vụ'])};",
                      "- Lưu: VT."]
        title_lines = [d.title] if d.code != "CV" else []
        if d.code != "CV" and len(d.title) > 70 and rng.random() < 0.5:  # trích yếu over two lines
            cut = d.title.rfind(" ", 0, len(d.title) // 2 + 10)
            title_lines = [d.title[:cut], d.title[cut + 1:]]
        type_line = "" if d.code == "CV" else d.type_name.upper()
        doc = render.Doc(left, right, type_line, title_lines, body, recipients, signer, quirk=d.quirk)
        return doc, cits, deputy_name if deputy else head_name


PLAN_PURPOSE = [
    "Phát huy tinh thần yêu nước, ý chí tự lực, tự cường của cán bộ, công chức, viên chức và người lao động, góp phần hoàn thành thắng lợi nhiệm vụ chính trị của địa phương.",
    "Tạo khí thế thi đua sôi nổi, rộng khắp trong các cơ quan, đơn vị; kịp thời phát hiện, bồi dưỡng và nhân rộng các điển hình tiên tiến.",
    "Gắn phong trào thi đua với việc thực hiện các chỉ tiêu phát triển kinh tế - xã hội, bảo đảm quốc phòng, an ninh trên địa bàn.",
    "Nâng cao nhận thức của các cấp, các ngành về vị trí, vai trò của công tác thi đua, khen thưởng trong giai đoạn mới.",
    "Động viên tập thể, cá nhân nỗ lực vượt khó, sáng tạo trong lao động, học tập và công tác.",
]
PLAN_REQUIRE = [
    "Phong trào thi đua phải có nội dung thiết thực, hình thức phong phú, tránh phô trương, hình thức.",
    "Việc bình xét khen thưởng bảo đảm chính xác, công khai, công bằng, kịp thời, chú trọng người lao động trực tiếp.",
    "Các cơ quan, đơn vị cụ thể hóa nội dung thi đua phù hợp với chức năng, nhiệm vụ được giao.",
    "Thủ trưởng cơ quan, đơn vị chịu trách nhiệm trực tiếp về kết quả tổ chức phong trào thi đua tại đơn vị mình.",
]
PLAN_CONTENT = [
    "Thi đua hoàn thành vượt mức các chỉ tiêu kế hoạch phát triển kinh tế - xã hội được giao trong năm.",
    "Thi đua đẩy mạnh cải cách hành chính, nâng cao chỉ số hài lòng của người dân và doanh nghiệp.",
    "Thi đua thực hiện chuyển đổi số, ứng dụng công nghệ thông tin trong quản lý văn bản và điều hành.",
    "Thi đua thực hành tiết kiệm, chống lãng phí, phòng, chống tham nhũng, tiêu cực.",
    "Thi đua xây dựng nông thôn mới, đô thị văn minh, giữ gìn cảnh quan môi trường xanh, sạch, đẹp.",
    "Thi đua đảm bảo an sinh xã hội, chăm lo đời sống gia đình chính sách và hộ nghèo.",
    "Thi đua nâng cao chất lượng giáo dục toàn diện, giữ vững kỷ cương nề nếp trường học.",
    "Thi đua nâng cao chất lượng khám, chữa bệnh, đổi mới thái độ phục vụ người bệnh.",
]
PLAN_ORG = [
    "Sở Nội vụ (Ban Thi đua - Khen thưởng) chủ trì theo dõi, đôn đốc, tổng hợp kết quả và tham mưu sơ kết, tổng kết.",
    "Các sở, ban, ngành, Ủy ban nhân dân các huyện, thị xã xây dựng kế hoạch cụ thể để triển khai tại đơn vị.",
    "Báo Bình Lam, Đài Phát thanh và Truyền hình tỉnh mở chuyên mục tuyên truyền về các điển hình tiên tiến.",
    "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các đoàn thể phối hợp vận động đoàn viên, hội viên hưởng ứng.",
    "Sở Tài chính bố trí kinh phí khen thưởng theo quy định.",
]
REPORT_RESULTS = [
    "Các cơ quan, đơn vị đã tổ chức {n} hội nghị phát động, ký kết giao ước thi đua với sự tham gia đông đảo của cán bộ, công chức.",
    "Có {n} sáng kiến, giải pháp được công nhận và áp dụng hiệu quả trong thực tiễn.",
    "Tỷ lệ hồ sơ giải quyết đúng hạn đạt {p}%, tăng so với cùng kỳ năm trước.",
    "Đã biểu dương, khen thưởng kịp thời {n} tập thể, cá nhân có thành tích xuất sắc, trong đó có nhiều người lao động trực tiếp.",
    "Phong trào được triển khai sâu rộng, {p}% cơ quan, đơn vị đăng ký thi đua đúng thời gian.",
    "Công tác tuyên truyền được đẩy mạnh với {n} tin, bài phản ánh các gương người tốt, việc tốt.",
]
REPORT_WEAK = [
    "Một số đơn vị tổ chức phong trào còn hình thức, chưa gắn với nhiệm vụ chuyên môn.",
    "Việc phát hiện, bồi dưỡng điển hình tiên tiến ở cơ sở còn hạn chế.",
    "Hồ sơ đề nghị khen thưởng của một số đơn vị gửi chậm, chưa đúng thành phần theo quy định.",
    "Tỷ lệ khen thưởng cho người lao động trực tiếp còn thấp so với yêu cầu.",
]
REPORT_NEXT = [
    "Tiếp tục đổi mới nội dung, hình thức tổ chức các phong trào thi đua, bám sát nhiệm vụ chính trị.",
    "Nâng cao chất lượng thẩm định hồ sơ khen thưởng, rút ngắn thời gian xét duyệt.",
    "Đẩy mạnh nhân rộng các mô hình hay, cách làm hiệu quả trên địa bàn.",
    "Tăng cường kiểm tra, giám sát việc thực hiện chính sách thi đua, khen thưởng tại cơ sở.",
]
# The glossary article of the province's emulation rules (what "… là gì" questions find).
RULE_TERMS = [
    "Trong Quy chế này, các từ ngữ dưới đây được hiểu như sau:",
    "1. Phong trào thi đua thường xuyên là phong trào tổ chức theo năm công tác, gắn với nhiệm vụ chính trị "
    "của từng cơ quan, đơn vị.",
    "2. Thi đua theo đợt là hình thức tổ chức thi đua trong một khoảng thời gian xác định, nhằm hoàn thành "
    "một nhiệm vụ trọng tâm hoặc chào mừng một sự kiện của tỉnh.",
    "3. Khen thưởng đột xuất là việc khen thưởng kịp thời cá nhân, tập thể lập được thành tích đặc biệt "
    "ngoài kế hoạch đã đề ra.",
    "4. Đơn vị cơ sở là cơ quan, đơn vị, doanh nghiệp có tư cách pháp nhân, có con dấu và tài khoản riêng "
    "trên địa bàn tỉnh.",
]

GUIDE_LINES = [
    "Hồ sơ gồm tờ trình, biên bản họp Hội đồng thi đua, khen thưởng và báo cáo thành tích có xác nhận của cấp trình.",
    "Báo cáo thành tích của cá nhân ghi rõ sáng kiến, giải pháp công tác đã được công nhận.",
    "Không đề nghị khen thưởng đối với tập thể, cá nhân đang trong thời gian xem xét kỷ luật.",
    "Thành tích đề nghị khen thưởng phải được công khai tại cơ quan, đơn vị trước khi trình.",
]
UNITS = ["Ủy ban nhân dân", "Trường Tiểu học", "Trạm Y tế", "Hội Nông dân", "Đoàn Thanh niên", "Công an"]
POSITIONS = ["Chuyên viên Văn phòng", "Giáo viên", "Bác sĩ", "Trưởng phòng", "Công chức Văn hóa - Xã hội", "Kế toán"]

SLUGS = {"KH": "KH", "BC": "BC", "QĐ": "QD", "TB": "TB", "HD": "HD", "NQ": "NQ", "CV": "CV"}


def file_name(d: Planned, rng: random.Random) -> str:
    seq = d.number.split("/")[0]
    style = rng.random()
    if style < 0.55:
        return f"{SLUGS[d.code]}-{seq}-{d.issuer.code.replace('Đ', 'D')}-{d.day.year}"
    if style < 0.8:
        words = {"plan": "ke hoach", "midterm": "bao cao so ket", "final": "bao cao tong ket", "award": "quyet dinh khen thuong",
                 "guide": "huong dan", "notice": "thong bao", "letter": "cong van", "rule": "quy che", "resolution": "nghi quyet"}
        return f"{words[d.kind]} {seq} {d.day.year}"
    words = {"plan": "Kế hoạch", "midterm": "Báo cáo sơ kết", "final": "Báo cáo tổng kết", "award": "Quyết định khen thưởng",
             "guide": "Hướng dẫn", "notice": "Thông báo", "letter": "Công văn", "rule": "Quy chế", "resolution": "Nghị quyết"}
    return f"{words[d.kind]} {seq} năm {d.day.year}"


def choose_formats(docs: list[Planned], rng: random.Random, text_only: bool) -> None:
    for d in docs:
        if text_only:
            d.fmt = "txt"
            continue
        r = rng.random()
        d.fmt = "docx" if r < 0.45 else "pdf" if r < 0.70 else "txt" if r < 0.90 else "html"
    if text_only or len(docs) < 20:
        return
    # a few messy documents, recorded in the catalog as `quirk`
    txts = [d for d in docs if d.fmt == "txt"]
    docxs = [d for d in docs if d.fmt == "docx"]
    htmls = [d for d in docs if d.fmt == "html"]
    if len(txts) >= 2:
        txts[0].quirk = "utf16"
        txts[1].quirk = "old-tone"
    if docxs:
        docxs[0].quirk = "nfd"
    if htmls:
        htmls[0].quirk = "script"


def generate(out: Path, seed: int = 0, count: int | None = None, text_only: bool = False) -> dict:
    """Write the archive under `out`; returns the catalog (also written to out/catalog.json)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    planner = Planner(seed, count)
    docs = planner.plan(count)
    assign_numbers(docs, rng)
    choose_formats(docs, rng, text_only)
    used: set[str] = set()
    for d in docs:
        folder = f"{d.day.year}/{d.issuer.key}"
        base = file_name(d, rng)
        name = f"{folder}/{base}.{d.fmt}"
        k = 2
        while name in used:
            name = f"{folder}/{base} ({k}).{d.fmt}"
            k += 1
        used.add(name)
        d.source = name
    writer = Writer(rng)
    catalog = []
    for d in docs:
        doc, cits, signer = writer.compose(d)
        if d.quirk == "script":
            doc.body.insert(1, "Ghi chú kỹ thuật: chuỗi <script>alert(1)</script> trong văn bản phải hiển thị nguyên dạng.")
        text = doc.text()
        for c in cits:
            if c.surface not in text:
                raise AssertionError(f"citation surface not in text of {d.source}: {c.surface!r}")
        path = out / d.source
        path.parent.mkdir(parents=True, exist_ok=True)
        if d.fmt == "docx":
            render.write_docx(doc, path)
        elif d.fmt == "pdf":
            render.write_pdf(doc, path)
        elif d.fmt == "html":
            render.write_html(doc, path, site=f"{d.issuer.name}")
        else:
            render.write_txt(doc, path)
        catalog.append({
            "source": d.source, "format": d.fmt, "number": d.number, "type": d.type_name,
            "issuer": d.issuer.name, "date": d.day.isoformat(), "title": d.title, "signer": signer,
            "campaign": d.campaign, "stage": d.stage, "quirk": d.quirk,
            "citations": [asdict(c) for c in cits],
        })
    result = {"seed": seed, "count": len(catalog), "province": PROVINCE, "documents": catalog}
    (out / "catalog.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def load_catalog(folder: Path) -> dict:
    return json.loads((Path(folder) / "catalog.json").read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m corpus.generate", description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True, help="folder to write the archive into")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--count", type=int, help="number of documents (default: the full demo archive)")
    p.add_argument("--text-only", action="store_true", help="only .txt files (fast, for scale benchmarks)")
    args = p.parse_args(argv)
    t0 = time.monotonic()
    try:
        cat = generate(Path(args.out), seed=args.seed, count=args.count, text_only=args.text_only)
    except RuntimeError as exc:
        print(f"corpus.generate: {exc}", file=sys.stderr)
        return 2
    size = sum(f.stat().st_size for f in Path(args.out).rglob("*") if f.is_file())
    print(f"wrote {cat['count']} documents ({size / 1e6:.1f} MB) to {args.out} in {time.monotonic() - t0:.1f}s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
