"""The real catalogues the demo city is built from (`magnet/data/reference/`, see its SOURCES.md).

Loaded once per process into numpy/Arrow form: universities with their 双一流 flag, undergraduate
majors and which university offers which, GB/T 4754 industry classes, GB/T 2260 divisions.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
CITY_PREFIX = 3206


def _rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Schools:
    """MOE institutions, one row each; `offer_*` is a CSR index of the majors a school offers."""

    code5: pa.StringArray
    id10: pa.StringArray
    name: pa.StringArray
    dfc: np.ndarray  # bool: on the 双一流 list
    province2: np.ndarray  # int: first two digits of the province's adcode
    undergrad: np.ndarray  # bool: 本科 (else 专科)
    in_city: np.ndarray  # bool: located in the demo city (南通市)
    offer_start: np.ndarray
    offer_count: np.ndarray
    offer_major: np.ndarray  # indices into Majors


@dataclass(frozen=True)
class Majors:
    """Undergraduate majors; `code` is what a graduate's record carries (the pre-2026 code if moved)."""

    code: pa.StringArray
    name: pa.StringArray
    class_code: np.ndarray  # int, 4 digits
    weight: np.ndarray  # float: number of schools offering it (a proxy for graduates)
    usable: np.ndarray  # bool: 6-digit code that graduates can already hold


@dataclass(frozen=True)
class Divisions:
    counties: np.ndarray  # int adcodes in use (2024)
    province2: np.ndarray  # int, per county
    prefecture4: np.ndarray  # int, per county
    city_counties: np.ndarray  # int adcodes of the demo city's counties
    city_retired: np.ndarray  # int retired county codes of the city
    city_retired_end: np.ndarray  # int: year the retired code stopped being used
    city_retired_successor: np.ndarray  # int: its current successor
    names: dict[int, str]


@dataclass(frozen=True)
class Reference:
    schools: Schools
    majors: Majors
    divisions: Divisions
    industry_classes: tuple[str, ...]  # C3731 style, every class of the catalogue


def _majors() -> tuple[Majors, dict[str, int]]:
    rows = _rows("moe_undergrad_majors_2026.csv")
    weight = {
        r["major_code"]: float(r["n_offering_schools"] or 0) for r in _rows("major_profiles_undergrad.csv")
    }
    # A graduate keeps the code of the catalogue they studied under: majors moved to discipline 14 in
    # 2026 are emitted under their previous code, and majors new in 2026 (no previous code) have no
    # graduates yet. 7-digit codes (0502100T ...) do not fit the feed's "6 digits + T/K" and are left out.
    code = [r["previous_code_full"] or r["major_code_full"] for r in rows]
    usable = [
        len(r["major_code"]) == 6 and (r["discipline_code"] != "14" or bool(r["previous_code_full"]))
        for r in rows
    ]
    majors = Majors(
        code=pa.array(code, pa.string()),
        name=pa.array([r["major_name"] for r in rows], pa.string()),
        class_code=np.array([int(r["class_code"]) for r in rows], dtype=np.int64),
        weight=np.array([weight.get(r["major_code"], 0.0) for r in rows]) * np.array(usable),
        usable=np.array(usable),
    )
    return majors, {r["major_code"]: i for i, r in enumerate(rows)}


def _schools(major_index: dict[str, int], usable: np.ndarray) -> Schools:
    rows = _rows("moe_universities_2024.csv")
    # The offerings file keys schools by their 5-digit code; two codes are shared by a 专科 and a 本科
    # school, and undergraduate offerings belong to the 本科 one.
    by_code5: dict[str, int] = {}
    for i, r in enumerate(rows):
        if r["level"] == "本科" or r["school_code"] not in by_code5:
            by_code5[r["school_code"]] = i
    offered: list[list[int]] = [[] for _ in rows]
    for r in _rows("major_offerings_undergrad.csv"):
        school, major = by_code5.get(r["school_code"]), major_index.get(r["major_code"])
        if school is not None and major is not None and usable[major] and rows[school]["level"] == "本科":
            offered[school].append(major)
    count = np.array([len(m) for m in offered], dtype=np.int64)
    return Schools(
        code5=pa.array([r["school_code"] for r in rows], pa.string()),
        id10=pa.array([r["school_id10"] for r in rows], pa.string()),
        name=pa.array([r["school_name"] for r in rows], pa.string()),
        dfc=np.array([r["double_first_class"] == "true" for r in rows]),
        province2=np.array([int(r["province_adcode2"]) for r in rows], dtype=np.int64),
        undergrad=np.array([r["level"] == "本科" for r in rows]),
        in_city=np.array([r["city"] == "南通市" for r in rows]),
        offer_start=np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64),
        offer_count=count,
        offer_major=np.array([m for ms in offered for m in sorted(ms)], dtype=np.int64),
    )


def _divisions() -> Divisions:
    rows = [r for r in _rows("gbt2260_adcodes_2024.csv") if r["level"] == "county"]
    counties = np.array([int(r["adcode"]) for r in rows], dtype=np.int64)
    history = [
        r
        for r in _rows("gbt2260_adcodes_history_1981_2024.csv")
        if r["adcode"].startswith(str(CITY_PREFIX)) and r["status_zh"] == "弃用"
    ]
    # Follow successors until a code in use (320624 南通县 -> 320683 通州市 -> 320612 通州区).
    successor = {r["adcode"]: r["new_adcodes"].split(";")[0].split("[")[0] for r in history}
    in_use = {str(c) for c in counties}

    def current(code: str) -> int:
        while code not in in_use and code in successor:
            code = successor[code]
        return int(code) if code in in_use else 0

    retired = [r for r in history if current(r["adcode"])]
    names = {int(r["adcode"]): r["name"] for r in rows}
    return Divisions(
        counties=counties,
        province2=counties // 10000,
        prefecture4=counties // 100,
        city_counties=counties[counties // 100 == CITY_PREFIX],
        city_retired=np.array([int(r["adcode"]) for r in retired], dtype=np.int64),
        city_retired_end=np.array([int(r["end_year"]) for r in retired], dtype=np.int64),
        city_retired_successor=np.array([current(r["adcode"]) for r in retired], dtype=np.int64),
        names=names,
    )


@functools.cache
def load() -> Reference:
    """All catalogues, parsed once per process."""
    majors, major_index = _majors()
    industries = tuple(
        r["code_with_section"] for r in _rows("gbt4754_2017_industries.csv") if r["level"] == "class"
    )
    return Reference(
        schools=_schools(major_index, majors.usable),
        majors=majors,
        divisions=_divisions(),
        industry_classes=industries,
    )
