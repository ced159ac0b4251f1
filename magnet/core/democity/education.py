"""The education feed (学历学位, from 学信): degrees, schools, majors, graduation dates.

A person draws a target level from their birth cohort, then a chain of degrees with realistic ages
at graduation (bachelor at about 22, master two or three years later, doctor three to six years
after that); degrees not yet reached by the as-of date mean the person is still studying. Some add
part-time (非全日制) degrees while working: those never count as the policy book's highest degree.

Schools come from the MOE list (half from the home province, Jiangsu and Nantong schools over-drawn,
双一流 shares rising with the degree); majors are drawn among those the school really offers when the
offering list knows the school. Associate (专科) degrees carry undergraduate-catalogue codes: the
vocational catalogue is not among the reference data, and an undergraduate code keeps the major
usable for matching; they are drawn from the classes vocational colleges mostly teach.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import dates
from .reference import Reference

DEGREES = ("associate", "bachelor", "master", "doctor")  # level 1..4; 0 = no degree
# Target level by birth cohort: none, associate, bachelor, master, doctor.
COHORTS = (
    (1970, (0.45, 0.25, 0.25, 0.04, 0.01)),
    (1980, (0.30, 0.28, 0.32, 0.08, 0.02)),
    (1990, (0.15, 0.28, 0.40, 0.14, 0.03)),
    (9999, (0.10, 0.30, 0.42, 0.15, 0.03)),
)
# Classes vocational colleges mostly teach (computing, electronics, machinery, electrical, civil,
# textiles, ships, chemicals, business, e-commerce, logistics, nursing, design, trade, pre-school, tourism).
VOCATIONAL_CLASSES = (809, 807, 802, 806, 810, 816, 819, 813, 1202, 1208, 1206, 1011, 1305, 204, 401, 1209)


def graduation_dates(rng: np.random.Generator, year: np.ndarray, kind: str) -> np.ndarray:
    """Graduation days: full-time degrees mostly 20-30 June; doctors also in winter and spring;
    part-time degrees in January, June or December."""
    n = len(year)
    if kind == "full_time":
        month = rng.choice([6, 7, 12, 1, 3, 9], size=n, p=[0.86, 0.05, 0.03, 0.03, 0.015, 0.015])
    elif kind == "doctor":
        month = rng.choice([6, 12, 3, 9, 11, 5], size=n, p=[0.5, 0.2, 0.1, 0.08, 0.07, 0.05])
    else:
        month = rng.choice([1, 6, 12, 7], size=n, p=[0.3, 0.4, 0.25, 0.05])
    day = np.where(month == 6, rng.integers(20, 31, n), rng.integers(1, 29, n))
    # A January graduation closes the previous academic year: keep it in the year drawn.
    return dates.make_dates(year, month, day)


class SchoolPicker:
    """Draws schools by region (city, home province, Jiangsu, anywhere) and 双一流 tier."""

    CITY, NATION = 99, 0

    def __init__(self, ref: Reference, undergrad: bool):
        s = ref.schools
        members = np.flatnonzero(s.undergrad == undergrad)
        region_of = {self.NATION: members, self.CITY: members[s.in_city[members]]}
        for prov in np.unique(s.province2[members]):
            region_of[int(prov)] = members[s.province2[members] == prov]
        self.start = np.zeros(200, dtype=np.int64)
        self.count = np.zeros(200, dtype=np.int64)
        chunks, pos = [], 0
        for region, idx in region_of.items():
            for tier in (0, 1):
                part = idx[s.dfc[idx] == bool(tier)]
                self.start[region * 2 + tier], self.count[region * 2 + tier] = pos, len(part)
                chunks.append(part)
                pos += len(part)
        self.members = np.concatenate(chunks)

    def __call__(
        self,
        rng: np.random.Generator,
        home: np.ndarray,
        p_city: float,
        p_home: float,
        p_jiangsu: float,
        p_dfc: float,
    ) -> np.ndarray:
        n = len(home)
        r = rng.random(n)
        region = np.select(
            [r < p_city, r < p_city + p_home, r < p_city + p_home + p_jiangsu],
            [self.CITY, home, 32],
            self.NATION,
        )
        tier = (rng.random(n) < p_dfc).astype(np.int64)
        tier = np.where(self.count[self.NATION * 2 + tier] == 0, 0, tier)
        pool = region * 2 + tier
        pool = np.where(self.count[pool] == 0, self.NATION * 2 + tier, pool)
        return self.members[self.start[pool] + (rng.random(n) * self.count[pool]).astype(np.int64)]


def pick_majors(
    rng: np.random.Generator, school: np.ndarray, vocational: np.ndarray, ref: Reference
) -> np.ndarray:
    """A major the school offers when known; otherwise one drawn by how many schools teach it."""
    s, m = ref.schools, ref.majors
    n = len(school)
    count = s.offer_count[school]
    offered = s.offer_major[
        np.minimum(
            s.offer_start[school] + (rng.random(n) * count).astype(np.int64), max(len(s.offer_major) - 1, 0)
        )
    ]
    voc_weight = m.weight * np.isin(m.class_code, VOCATIONAL_CLASSES)
    any_major = rng.choice(len(m.weight), size=n, p=m.weight / m.weight.sum())
    voc_major = rng.choice(len(m.weight), size=n, p=voc_weight / voc_weight.sum())
    return np.where(count > 0, offered, np.where(vocational, voc_major, any_major))


def _cohort_levels(rng: np.random.Generator, birth_year: np.ndarray) -> np.ndarray:
    level = np.zeros(len(birth_year), dtype=np.int64)
    lower = -1
    for upper, probs in COHORTS:
        mask = (birth_year > lower) & (birth_year <= upper)
        level[mask] = rng.choice(5, size=int(mask.sum()), p=probs)
        lower = upper
    return level


@dataclass
class DegreeRows:
    """Degree rows as parallel arrays, appended group by group."""

    person: list[np.ndarray]
    level: list[np.ndarray]
    full_time: list[np.ndarray]
    school: list[np.ndarray]
    major: list[np.ndarray]
    date: list[np.ndarray]

    def add(self, person: np.ndarray, level: int, full_time: bool, school: np.ndarray, major: np.ndarray,
            date: np.ndarray) -> None:  # fmt: skip
        k = len(person)
        self.person.append(person)
        self.level.append(np.full(k, level, dtype=np.int64))
        self.full_time.append(np.full(k, full_time, dtype=bool))
        self.school.append(school)
        self.major.append(major)
        self.date.append(date)

    def cat(self, name: str) -> np.ndarray:
        return np.concatenate(getattr(self, name))


@dataclass
class _Chain:
    """Graduation years of each person's degree chain (whether or not the person goes that far)."""

    level: np.ndarray  # target level 0..4
    upgrade: np.ndarray  # 专升本: associate, then bachelor two years later
    direct_phd: np.ndarray  # 直博: doctor without a master's degree
    assoc: np.ndarray
    bach: np.ndarray
    master: np.ndarray
    doctor: np.ndarray


def _chain(rng: np.random.Generator, birth_year: np.ndarray) -> _Chain:
    n = len(birth_year)

    def choose(values: list[int], p: list[float]) -> np.ndarray:
        return np.asarray(values)[rng.choice(len(values), size=n, p=p)]

    level = _cohort_levels(rng, birth_year)
    bach = birth_year + 22 + choose([-1, 0, 1, 2], [0.12, 0.63, 0.2, 0.05])
    upgrade = (level == 2) & (rng.random(n) < 0.12)
    assoc = np.where(upgrade, bach - 2, birth_year + 21 + choose([-1, 0, 1], [0.2, 0.65, 0.15]))
    # Master two or three years after the bachelor, sometimes after a few years of work.
    master = bach + choose([2, 3], [0.4, 0.6]) + np.where(rng.random(n) < 0.18, rng.integers(1, 6, n), 0)
    direct_phd = (level == 4) & (rng.random(n) < 0.1)
    doctor = np.where(direct_phd, bach + choose([5, 6], [0.6, 0.4]),
                      master + choose([3, 4, 5, 6], [0.35, 0.4, 0.2, 0.05]))  # fmt: skip
    return _Chain(level, upgrade, direct_phd, assoc, bach, master, doctor)


class _Drawer:
    """Adds groups of degree rows, remembering each person's last school and major."""

    def __init__(self, rng: np.random.Generator, home: np.ndarray, as_of_end: np.datetime64, ref: Reference):
        self.rng, self.home, self.as_of_end, self.ref = rng, home, as_of_end, ref
        self.undergrad, self.vocational = SchoolPicker(ref, True), SchoolPicker(ref, False)
        self.rows = DegreeRows([], [], [], [], [], [])
        self.school_of = np.full(len(home), -1, dtype=np.int64)
        self.major_of = np.full(len(home), -1, dtype=np.int64)

    def add(self, mask: np.ndarray, level: int, full_time: bool, date: np.ndarray,
            shares: tuple[float, float, float, float], follow: float = 0.0) -> None:  # fmt: skip
        """Degrees for `mask` obtained by the as-of date; `shares`: city, home province, Jiangsu, 双一流."""
        rng, ref = self.rng, self.ref
        idx = np.flatnonzero(mask & (date <= self.as_of_end))
        picker = self.vocational if level == 1 else self.undergrad
        school = picker(rng, self.home[idx], *shares)
        # Some stay at the previous degree's school (and usually in its major).
        stay = (rng.random(len(idx)) < follow) & (self.school_of[idx] >= 0)
        stay &= ref.schools.offer_count[np.maximum(self.school_of[idx], 0)] > 0
        school = np.where(stay, self.school_of[idx], school)
        major = pick_majors(rng, school, np.full(len(idx), level == 1), ref)
        major = np.where(stay & (rng.random(len(idx)) < 0.6), self.major_of[idx], major)
        self.rows.add(idx, level, full_time, school, major, date[idx])
        self.school_of[idx], self.major_of[idx] = school, major

    def add_double_degree(self, mask: np.ndarray, date: np.ndarray) -> None:
        """A second bachelor's degree awarded the same day by the same school, in another major."""
        idx = np.flatnonzero(mask & (date <= self.as_of_end))
        school = self.school_of[idx]
        other = pick_majors(self.rng, school, np.zeros(len(idx), bool), self.ref)
        spare = pick_majors(self.rng, school, np.zeros(len(idx), bool), self.ref)
        self.rows.add(idx, 2, True, school, np.where(other == self.major_of[idx], spare, other), date[idx])


def draw_degrees(
    rng: np.random.Generator,
    birth: np.ndarray,
    home_province: np.ndarray,
    as_of_end: np.datetime64,
    ref: Reference,
) -> tuple[DegreeRows, np.ndarray]:
    """Degree rows of everyone (person = index into `birth`), and who is still studying."""
    n = len(birth)
    yb = dates.year_of(birth)
    c = _chain(rng, yb)
    level = c.level
    years = (c.assoc, c.bach, c.master, c.doctor)
    kinds = ("full_time", "full_time", "full_time", "doctor")
    when = {
        k + 1: graduation_dates(rng, y, kind) for k, (y, kind) in enumerate(zip(years, kinds, strict=True))
    }
    target_date = np.select([level == k for k in (1, 2, 3, 4)], [when[k] for k in (1, 2, 3, 4)], dates.NAT)
    studying = (level > 0) & (target_date > as_of_end)

    d = _Drawer(rng, home_province, as_of_end, ref)
    d.add((level == 1) | c.upgrade, 1, True, when[1], (0.2, 0.45, 0.15, 0.0))
    d.add(level >= 2, 2, True, when[2], (0.08, 0.4, 0.2, 0.12))
    # A few hold two full-time bachelor's degrees: a second degree two years later, or a double degree.
    r = rng.random(n)
    second_date = graduation_dates(rng, c.bach + 2, "full_time")
    d.add((level == 2) & ~c.upgrade & (r < 0.005), 2, True, second_date, (0.05, 0.4, 0.3, 0.1))
    d.add_double_degree((level == 2) & (r >= 0.005) & (r < 0.008), when[2])
    d.add((level >= 3) & ~c.direct_phd, 3, True, when[3], (0.03, 0.25, 0.25, 0.45), follow=0.3)
    d.add(level == 4, 4, True, when[4], (0.01, 0.15, 0.25, 0.7), follow=0.35)

    # Part-time degrees earned while working: 专升本 by associates, master's (MBA, MPA ...), rare doctorates.
    r = rng.random(n)
    pt_bach_y = np.where(level == 1, c.assoc + rng.integers(2, 9, n), yb + rng.integers(24, 36, n))
    pt_bach = ((level == 1) & (r < 0.3)) | ((level == 0) & (r < 0.05))
    d.add(pt_bach, 2, False, graduation_dates(rng, pt_bach_y, "part_time"), (0.3, 0.4, 0.2, 0.03))
    pt_master = graduation_dates(rng, c.bach + rng.integers(3, 11, n), "part_time")
    d.add((level == 2) & (r < 0.08), 3, False, pt_master, (0.2, 0.3, 0.3, 0.3))
    pt_doctor = graduation_dates(rng, c.master + rng.integers(4, 10, n), "part_time")
    d.add((level == 3) & (r < 0.01), 4, False, pt_doctor, (0.05, 0.2, 0.3, 0.6))
    return d.rows, studying


def highest_full_time(rows: DegreeRows, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per person: highest full-time level and, among rows at that level, the latest graduation date."""
    person, level, date = rows.cat("person"), rows.cat("level"), rows.cat("date")
    ft = rows.cat("full_time")
    person, level, date = person[ft], level[ft], date[ft]
    order = np.lexsort((date, level, person))  # last row of each person = highest level, latest date
    person, level, date = person[order], level[order], date[order]
    last = np.flatnonzero(np.r_[person[1:] != person[:-1], True]) if len(person) else np.array([], np.int64)
    level_ft = np.zeros(n, dtype=np.int64)
    grad_ft = np.full(n, dates.NAT)
    level_ft[person[last]] = level[last]
    grad_ft[person[last]] = date[last]
    return level_ft, grad_ft


def education_table(
    rows: DegreeRows, ids: pa.StringArray, rng: np.random.Generator, ref: Reference
) -> pa.Table:
    """Arrow table of the education feed, sorted by person and graduation date."""
    person, level, date = rows.cat("person"), rows.cat("level"), rows.cat("date")
    order = np.lexsort((level, date, person))
    person, level, date = person[order], level[order], date[order]
    school, major = rows.cat("school")[order], rows.cat("major")[order]
    s, m = ref.schools, ref.majors
    # 学信 extracts carry either the 10-digit identifier or its 5-digit tail.
    code10 = pa.array(rng.random(len(person)) < 0.3)
    school_idx = pa.array(school)
    return pa.table(
        {
            "id_number": ids.take(pa.array(person)),
            "degree": pa.array(DEGREES).take(pa.array(level - 1)),
            "full_time": pa.array(rows.cat("full_time")[order]),
            "school_code": pc.if_else(code10, s.id10.take(school_idx), s.code5.take(school_idx)),
            "school_name": s.name.take(school_idx),
            "double_first_class": pa.array(s.dfc[school]),
            "major_code": m.code.take(pa.array(major)),
            "major_name": m.name.take(pa.array(major)),
            "graduation_date": dates.date32(date),
        }
    )
