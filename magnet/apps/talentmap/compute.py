"""The talent map computed over one snapshot: per key chain, the majors it needs, the city's graduates of
those majors, the gap, and the universities to visit first.

Framework-free: it takes a DuckDB connection with the snapshot's feeds as views (`persons`, `education`,
`enterprises`, `social_insurance`, as `magnet.core.radar.connect(snapshot)` makes them), the seed
(`chains.Seed`) and the demand already read from the database as plain `DemandItem`s; it returns plain
dataclasses. The formulas, as the pages explain them:

- need points of a major class = seed points (core 3, supporting 1) + reported headcount + posted headcount;
- demand = reported headcount (each enterprise's latest monthly report) + posted headcount (open postings);
- supply = the city's residents (household registration in the city, or insured there in the last twelve
  months) who graduated in that class in the last `recent_years` years, each person counted once;
- gap = demand − supply per class; a chain's shortfall adds the positive gaps only, so a surplus of one
  class never hides a shortage of another.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from magnet.apps.talentmap.chains import REFERENCE_DIR, SEED_POINTS, Chain, Seed

DEGREES = ("associate", "bachelor", "master", "doctor")
RECENT_YEARS = 3
UNIVERSITIES_SHOWN = 15


@dataclass(frozen=True)
class DemandItem:
    """One headcount of demand: from a monthly report line or an open posting."""

    chain: str
    major_code: str  # a 4-digit class, or a major code (080901, 080717T, a pre-2026 code)
    degree: str
    count: int
    source: str  # "report" | "posting"


@dataclass
class MajorNeed:
    class_code: str
    class_name: str
    seed_weight: str = ""  # core | supporting | "" when only demand names it
    reason: str = ""
    reported: int = 0
    posted: int = 0
    demand_by_degree: dict[str, int] = field(default_factory=dict)
    supply_by_degree: dict[str, int] = field(default_factory=dict)
    supply: int = 0  # recent graduates living in the city, each person once
    supply_all: int = 0  # every graduate of the class living in the city
    majors_named: list[str] = field(default_factory=list)  # specific majors reports and postings ask for

    @property
    def demand(self) -> int:
        return self.reported + self.posted

    @property
    def points(self) -> int:
        return SEED_POINTS.get(self.seed_weight, 0) + self.demand

    @property
    def gap(self) -> int:
        return self.demand - self.supply


@dataclass
class UniversityLead:
    school_code: str
    name: str
    province: str
    city: str
    double_first_class: bool
    is_985: bool
    is_211: bool
    classes: tuple[str, ...]  # the needed classes it teaches
    majors_offered: int  # its majors within those classes
    points: int  # need points of the classes it teaches
    alumni: int  # the city's residents who graduated from it


@dataclass
class ChainMap:
    chain: Chain
    majors: list[MajorNeed]
    enterprises: int
    key_enterprises: int
    universities: list[UniversityLead]

    @property
    def demand(self) -> int:
        return sum(m.demand for m in self.majors)

    @property
    def supply(self) -> int:
        return sum(m.supply for m in self.majors)

    @property
    def gap(self) -> int:
        return self.demand - self.supply

    @property
    def shortfall(self) -> int:
        return sum(max(m.gap, 0) for m in self.majors)


@dataclass
class TalentMap:
    as_of: dt.date
    city: str
    recent_years: int
    residents: int
    chains: list[ChainMap]

    def chain(self, key: str) -> ChainMap:
        for chain_map in self.chains:
            if chain_map.chain.key == key:
                return chain_map
        raise KeyError(key)


@dataclass(frozen=True)
class MajorCatalogue:
    """Major code → class, class → name, from the MOE catalogue (old codes map to their 2026 class)."""

    class_of_code: dict[str, str]
    class_names: dict[str, str]
    major_names: dict[str, str]

    def class_of(self, code: str) -> str | None:
        """The class of a class code or major code, or None when the catalogue does not know it.

        >>> catalogue().class_of("080901"), catalogue().class_of("0809"), catalogue().class_of("083203TK")
        ('0809', '0809', '1400')
        """
        code = code.strip().upper()
        if len(code) == 4:
            return code if code in self.class_names else None
        return self.class_of_code.get(code)


@functools.cache
def catalogue(reference_dir: Path = REFERENCE_DIR) -> MajorCatalogue:
    class_of, names, majors = {}, {}, {}
    with (reference_dir / "moe_undergrad_majors_2026.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names[row["class_code"]] = row["class_name"]
            for code in (row["major_code"], row["major_code_full"]):
                class_of[code] = row["class_code"]
                majors[code] = row["major_name"]
            if row["previous_code_full"]:
                class_of.setdefault(row["previous_code_full"], row["class_code"])
                class_of.setdefault(row["previous_code_full"].rstrip("TK"), row["class_code"])
                majors.setdefault(row["previous_code_full"], row["major_name"])
    return MajorCatalogue(class_of, names, majors)


def _register_reference(con, reference_dir: Path) -> None:
    majors, offerings, schools = (str(reference_dir / name) for name in (
        "moe_undergrad_majors_2026.csv", "major_offerings_undergrad.csv", "moe_universities_2024.csv"))  # fmt: skip
    con.execute(
        "CREATE OR REPLACE TEMP TABLE tm_major AS SELECT major_code, major_code_full, previous_code_full, "
        "class_code FROM read_csv(?, all_varchar = true, header = true)",
        [majors],
    )
    # The 5-digit code is shared by two schools in two cases: offerings are undergraduate, so prefer 本科.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE tm_school AS SELECT school_code, school_name, province, city, "
        "is_985 = 'true' AS is_985, is_211 = 'true' AS is_211, double_first_class = 'true' AS dfc "
        "FROM read_csv(?, all_varchar = true, header = true) "
        "QUALIFY row_number() OVER (PARTITION BY school_code ORDER BY level = '本科' DESC, school_id10) = 1",
        [schools],
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE tm_school_class AS SELECT o.school_code, m.class_code, "
        "count(DISTINCT o.major_code) AS n_majors FROM read_csv(?, all_varchar = true, header = true) o "
        "JOIN tm_major m USING (major_code) GROUP BY ALL",
        [offerings],
    )


def snapshot_as_of(con) -> dt.date:
    """The last day the snapshot speaks for: its latest insured month, else its latest graduation."""
    # A month is a date (the first day) in stored snapshots and "YYYY-MM" text in raw generator output.
    month = con.execute("SELECT max(CAST(month AS VARCHAR)) FROM social_insurance").fetchone()[0]
    if month is not None:
        first = dt.date(int(month[:4]), int(month[5:7]), 1)
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    latest = con.execute("SELECT max(graduation_date) FROM education").fetchone()[0]
    return latest or dt.date.today()


def _register_residents(con, city: str, as_of: dt.date, recent_years: int) -> int:
    first = as_of.year * 12 + as_of.month - 1 - 11  # the twelve months up to and including as_of's
    since = f"{first // 12:04d}-{first % 12 + 1:02d}"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE tm_resident AS "
        "SELECT id_number FROM persons WHERE starts_with(hukou_adcode, $city) UNION "
        "SELECT id_number FROM social_insurance WHERE starts_with(adcode, $city) AND CAST(month AS VARCHAR) >= $since",
        {"city": city, "since": since},
    )
    cutoff = _years_before(as_of, recent_years)
    # The graduate's class: a code moved in 2026 keeps its old code in the records; map it to the new class.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE tm_graduate AS SELECT e.id_number, e.degree, right(e.school_code, 5) AS "
        "school_code, coalesce(moved.class_code, substr(e.major_code, 1, 4)) AS class_code, "
        "e.graduation_date > $cutoff AS recent "
        "FROM education e JOIN tm_resident r USING (id_number) "
        "LEFT JOIN tm_major moved ON moved.previous_code_full = e.major_code "
        "WHERE e.graduation_date <= $as_of",
        {"cutoff": cutoff, "as_of": as_of},
    )
    return con.execute("SELECT count(*) FROM tm_resident").fetchone()[0]


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _supply(con) -> tuple[dict, dict, dict]:
    recent_by_degree: dict[str, dict[str, int]] = {}
    for class_code, degree, n in con.execute(
        "SELECT class_code, degree, count(DISTINCT id_number) FROM tm_graduate WHERE recent GROUP BY ALL"
    ).fetchall():
        recent_by_degree.setdefault(class_code, {})[degree] = n
    recent = dict(
        con.execute(
            "SELECT class_code, count(DISTINCT id_number) FROM tm_graduate WHERE recent GROUP BY ALL"
        ).fetchall()
    )
    total = dict(con.execute("SELECT class_code, count(DISTINCT id_number) FROM tm_graduate GROUP BY ALL").fetchall())
    return recent_by_degree, recent, total


def _enterprise_counts(con, city: str, seed: Seed) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {chain.key: [0, 0] for chain in seed.chains}
    rows = con.execute(
        "SELECT industry_chain, industry_code, key_enterprise, count(*) FROM enterprises "
        "WHERE starts_with(adcode, ?) GROUP BY ALL",
        [city],
    ).fetchall()
    for chain_key, industry_code, key, n in rows:
        chain = chain_key if chain_key in counts else None
        if chain is None and not chain_key:
            found = seed.chain_of_industry(industry_code or "")
            chain = found.key if found else None
        if chain is not None:
            counts[chain][0] += n
            counts[chain][1] += n if key else 0
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _needs(chain: Chain, demand: list[DemandItem], majors: MajorCatalogue) -> dict[str, MajorNeed]:
    needs = {
        m.class_code: MajorNeed(m.class_code, majors.class_names.get(m.class_code, ""), m.weight, m.reason)
        for m in chain.majors
    }
    for item in demand:
        class_code = majors.class_of(item.major_code)
        if class_code is None or item.count <= 0:
            continue
        need = needs.setdefault(class_code, MajorNeed(class_code, majors.class_names.get(class_code, "")))
        if item.source == "posting":
            need.posted += item.count
        else:
            need.reported += item.count
        need.demand_by_degree[item.degree] = need.demand_by_degree.get(item.degree, 0) + item.count
        name = majors.major_names.get(item.major_code.strip().upper())
        if name and name not in need.majors_named:
            need.majors_named.append(name)
    return needs


def _universities(con, needs: list[MajorNeed], limit: int) -> list[UniversityLead]:
    wanted = [(n.class_code, n.points) for n in needs if n.points > 0]
    if not wanted:
        return []
    con.execute("CREATE OR REPLACE TEMP TABLE tm_need (class_code VARCHAR, points INTEGER)")
    con.executemany("INSERT INTO tm_need VALUES (?, ?)", wanted)
    rows = con.execute(
        "WITH covered AS (SELECT sc.school_code, list(sc.class_code ORDER BY n.points DESC, sc.class_code) "
        "AS classes, sum(sc.n_majors) AS majors, sum(n.points) AS points FROM tm_school_class sc "
        "JOIN tm_need n USING (class_code) GROUP BY sc.school_code), "
        "alumni AS (SELECT school_code, count(DISTINCT id_number) AS alumni FROM tm_graduate GROUP BY ALL) "
        "SELECT c.school_code, s.school_name, s.province, s.city, s.dfc, s.is_985, s.is_211, c.classes, "
        "c.majors, c.points, coalesce(a.alumni, 0) FROM covered c JOIN tm_school s USING (school_code) "
        "LEFT JOIN alumni a USING (school_code) "
        "ORDER BY len(c.classes) DESC, s.dfc DESC, coalesce(a.alumni, 0) DESC, c.points DESC, c.majors DESC, "
        "c.school_code LIMIT ?",
        [limit],
    ).fetchall()
    return [UniversityLead(r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5]), bool(r[6]), tuple(r[7]), int(r[8]),
                           int(r[9]), int(r[10])) for r in rows]  # fmt: skip


def talent_map(
    con,
    seed: Seed,
    demand: Iterable[DemandItem],
    *,
    city: str = "3206",
    as_of: dt.date | None = None,
    recent_years: int = RECENT_YEARS,
    universities: int = UNIVERSITIES_SHOWN,
    reference_dir: Path = REFERENCE_DIR,
) -> TalentMap:
    """The talent map of every chain of the seed over the snapshot behind `con`."""
    majors = catalogue(reference_dir)
    as_of = as_of or snapshot_as_of(con)
    _register_reference(con, reference_dir)
    residents = _register_residents(con, city, as_of, recent_years)
    recent_by_degree, recent, total = _supply(con)
    enterprises = _enterprise_counts(con, city, seed)
    by_chain: dict[str, list[DemandItem]] = {}
    for item in demand:
        by_chain.setdefault(item.chain, []).append(item)
    chains = []
    for chain in seed.chains:
        needs = _needs(chain, by_chain.get(chain.key, []), majors)
        for need in needs.values():
            need.supply = recent.get(need.class_code, 0)
            need.supply_all = total.get(need.class_code, 0)
            need.supply_by_degree = recent_by_degree.get(need.class_code, {})
        ordered = sorted(needs.values(), key=lambda n: (-n.points, n.class_code))
        count, key_count = enterprises.get(chain.key, (0, 0))
        chains.append(ChainMap(chain, ordered, count, key_count, _universities(con, ordered, universities)))
    return TalentMap(as_of, city, recent_years, residents, chains)
