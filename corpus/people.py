"""Issuers, places and people of the fictional province of Bình Lam (all invented)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PROVINCE = "Bình Lam"
PROVINCE_UP = "BÌNH LAM"
CAPITAL = "Lam Giang"

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai"]
MIDDLES = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Quốc", "Đức", "Thu", "Hoàng", "Kim", "Xuân", "Bảo",
           "Công", "Thị Thanh", "Văn Thành"]
GIVENS = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Long",
          "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thủy", "Trang", "Tuấn", "Vân",
          "Yến", "Lộc", "Nhân", "Hiếu", "Thịnh", "Oanh", "Duyên", "Khoa", "Toàn", "Vinh"]

DISTRICT_SYLLABLES = ["Phú", "Tân", "Vĩnh", "An", "Mỹ", "Hòa", "Thạnh", "Long", "Bình", "Phước", "Đông", "Tây",
                      "Lộc", "Xuân", "Thuận", "Khê", "Sơn", "Lam", "Hưng", "Trà", "Cát", "Kim", "Gia", "Minh"]


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"


@dataclass
class Issuer:
    key: str
    name: str  # as a clerk names it: "UBND tỉnh Bình Lam", "Sở Nội vụ"
    header: list[str]  # the lines above "Số:" in the header, as printed
    code: str  # the issuer part of numbers: UBND, SNV, BTĐKT…
    cv_code: str  # công văn unit suffix: "7432/UBND-VX"
    place: str  # địa danh in "…, ngày … tháng … năm …"
    cite_forms: list[str]  # how other documents name it after "của"
    collective: str  # "TM. ỦY BAN NHÂN DÂN" or "" (head of a department signs in own name)
    head_title: str  # "CHỦ TỊCH", "GIÁM ĐỐC", "TRƯỞNG BAN"
    deputy_title: str
    award: str  # "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" / "Giấy khen của Giám đốc Sở …"
    level: str  # "province" | "department" | "district"
    signers: dict = field(default_factory=dict)  # period → (head name, deputy name)

    def signer_names(self, year: int, rng: random.Random) -> tuple[str, str]:
        period = (year - 2015) // 5
        if period not in self.signers:
            self.signers[period] = (person(rng), person(rng))
        return self.signers[period]


def base_issuers() -> list[Issuer]:
    p, P = PROVINCE, PROVINCE_UP
    return [
        Issuer("ubnd-tinh", f"UBND tỉnh {p}", ["ỦY BAN NHÂN DÂN", f"TỈNH {P}"], "UBND", "VX", CAPITAL,
               [f"UBND tỉnh {p}", "UBND tỉnh", "Ủy ban nhân dân tỉnh", f"Ủy ban nhân dân tỉnh {p}"],
               "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH",
               "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "province"),
        Issuer("snv", "Sở Nội vụ", [f"UBND TỈNH {P}", "SỞ NỘI VỤ"], "SNV", "TĐKT", CAPITAL,
               ["Sở Nội vụ", f"Sở Nội vụ tỉnh {p}"], "", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
               "Giấy khen của Giám đốc Sở Nội vụ", "department"),
        Issuer("btdkt", "Ban Thi đua - Khen thưởng", ["SỞ NỘI VỤ", "BAN THI ĐUA - KHEN THƯỞNG"], "BTĐKT", "NV",
               CAPITAL, ["Ban Thi đua - Khen thưởng tỉnh", "Ban Thi đua - Khen thưởng"], "", "TRƯỞNG BAN",
               "PHÓ TRƯỞNG BAN", "Giấy khen của Trưởng Ban Thi đua - Khen thưởng", "department"),
        Issuer("sgddt", "Sở Giáo dục và Đào tạo", [f"UBND TỈNH {P}", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"], "SGDĐT", "VP",
               CAPITAL, ["Sở Giáo dục và Đào tạo", "Sở GD&ĐT"], "", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
               "Giấy khen của Giám đốc Sở Giáo dục và Đào tạo", "department"),
        Issuer("syt", "Sở Y tế", [f"UBND TỈNH {P}", "SỞ Y TẾ"], "SYT", "NVY", CAPITAL,
               ["Sở Y tế", f"Sở Y tế tỉnh {p}"], "", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
               "Giấy khen của Giám đốc Sở Y tế", "department"),
        district("phu-lam", "huyện", "Phú Lam"),
        district("tan-khe", "huyện", "Tân Khê"),
        district("lam-son", "thị xã", "Lam Sơn"),
        Issuer("hdnd", f"HĐND tỉnh {p}", ["HỘI ĐỒNG NHÂN DÂN", f"TỈNH {P}"], "HĐND", "HĐND", CAPITAL,
               ["HĐND tỉnh", f"Hội đồng nhân dân tỉnh {p}"], "", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "province"),
    ]


def district(key: str, kind: str, name: str) -> Issuer:
    up = f"{kind.upper()} {name.upper()}"
    return Issuer(key, f"UBND {kind} {name}", ["ỦY BAN NHÂN DÂN", up], "UBND", "VP", name,
                  [f"UBND {kind} {name}", f"UBND {kind}", f"Ủy ban nhân dân {kind}"],
                  "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                  f"Giấy khen của Chủ tịch UBND {kind}", "district")


def extra_districts(n: int, rng: random.Random) -> list[Issuer]:
    """More districts for scale runs: invented two-syllable names, unique."""
    seen, out = {"Phú Lam", "Tân Khê", "Lam Sơn"}, []
    while len(out) < n:
        name = f"{rng.choice(DISTRICT_SYLLABLES)} {rng.choice(DISTRICT_SYLLABLES)}"
        a, b = name.split()
        if a == b or name in seen:
            if len(seen) > 400:  # syllable pairs exhausted: number them
                name = f"{name} {len(out) + 2}"
            else:
                continue
        seen.add(name)
        kind = "huyện" if rng.random() < 0.8 else "thị xã"
        slug = f"d{len(out) + 1:04d}"
        out.append(district(slug, kind, name))
    return out
