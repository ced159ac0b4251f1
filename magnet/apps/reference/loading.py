"""Load the reference CSVs shipped in `magnet/data/reference/` (sources in SOURCES.md there)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "data" / "reference"

SOURCES = [
    (
        "moe_undergrad_majors_2026.csv",
        "普通高等学校本科专业目录（2026年）",
        "教育部; via SweetOrangee/major-catalog-2026 data/majors-2026.json @ d7a21841",
    ),
    (
        "moe_universities_2024.csv",
        "全国普通高等学校名单（截至2024年6月20日）",
        "教育部; via stbui/link xlsx/school_ptgd.csv @ 84d478b2; "
        "985/211/双一流 flags via SweetOrangee/major-catalog-2026",
    ),
    (
        "gbt4754_2017_industries.csv",
        "GB/T 4754-2017 国民经济行业分类",
        "ramwin/china-public-data @ 558effa7 merged with zmshe/capital @ 0b8f1ae4",
    ),
    (
        "gbt2260_adcodes_2024.csv",
        "GB/T 2260 县级以上行政区划代码（2024-12-31）",
        "民政部; via yescallop/areacodes data/2024.txt @ eed219a0 (CC0-1.0)",
    ),
    ("gbt2260_adcodes_history_1981_2024.csv", "行政区划代码沿革 1981–2024", "yescallop/areacodes result.csv (CC0-1.0)"),
]


def rows(name: str):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _bool(text: str) -> bool:
    return text == "true"


def load_all(apps) -> None:
    """Replace the catalogues with the shipped files (used by the data migration)."""
    Major = apps.get_model("reference", "Major")
    University = apps.get_model("reference", "University")
    Industry = apps.get_model("reference", "Industry")
    Division = apps.get_model("reference", "Division")
    Major.objects.all().delete()
    Major.objects.bulk_create(
        [
            Major(
                code_full=r["major_code_full"],
                code=r["major_code"],
                name=r["major_name"],
                class_code=r["class_code"],
                class_name=r["class_name"],
                discipline_code=r["discipline_code"],
                discipline_name=r["discipline_name"],
                previous_code_full=r["previous_code_full"],
                note=r["note"][:200],
            )
            for r in rows("moe_undergrad_majors_2026.csv")
        ],
        batch_size=500,
    )
    University.objects.all().delete()
    University.objects.bulk_create(
        [
            University(
                school_id10=r["school_id10"],
                school_code=r["school_code"],
                name=r["school_name"],
                province=r["province"],
                city=r["city"],
                level=r["level"],
                is_985=_bool(r["is_985"]),
                is_211=_bool(r["is_211"]),
                double_first_class=_bool(r["double_first_class"]),
            )
            for r in rows("moe_universities_2024.csv")
        ],
        batch_size=500,
    )
    Industry.objects.all().delete()
    Industry.objects.bulk_create(
        [
            Industry(
                code=r["code"],
                code_with_section=r["code_with_section"],
                level=r["level"],
                name=r["name"],
                parent_code=r["parent_code"],
                description=r["description"],
            )
            for r in rows("gbt4754_2017_industries.csv")
        ],
        batch_size=500,
    )
    Division.objects.all().delete()
    divisions = {
        r["adcode"]: Division(
            adcode=r["adcode"],
            name=r["name"],
            level=r["level"],
            province_name=r["province_name"],
            prefecture_name=r["prefecture_name"],
            in_use=True,
        )
        for r in rows("gbt2260_adcodes_2024.csv")
    }
    levels = {"省级": "province", "地级": "prefecture", "县级": "county"}
    for r in rows("gbt2260_adcodes_history_1981_2024.csv"):
        current = divisions.get(r["adcode"])
        start = int(r["start_year"]) if r["start_year"] else None
        end = int(r["end_year"]) if r["end_year"] else None
        if current is not None and current.in_use:
            if r["status_zh"] == "在用":
                current.start_year = start
            continue
        if current is not None and (current.end_year or 0) >= (end or 0):
            continue  # keep the most recent use of a code that was used more than once
        divisions[r["adcode"]] = Division(
            adcode=r["adcode"],
            name=r["name"],
            level=levels.get(r["level_zh"], r["level_zh"]),
            province_name=r["province_name"],
            prefecture_name="" if r["prefecture_name"] == "直辖" else r["prefecture_name"],
            in_use=False,
            start_year=start,
            end_year=end,
            successors=r["new_adcodes"][:200],
        )
    Division.objects.bulk_create(divisions.values(), batch_size=500)
