"""The map's arithmetic on a small generated city (no database) and on the cast's snapshot (through the app)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow.parquet as pq
import pytest

from magnet.apps.talentmap.chains import shipped_seed
from magnet.apps.talentmap.compute import DemandItem, catalogue, talent_map

FEEDS = ("persons", "education", "enterprises", "social_insurance")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A generated city of 1,500 persons (as of 2026-10), its feeds as DuckDB views."""
    from magnet.core import democity

    folder = tmp_path_factory.mktemp("city")
    democity.generate(folder, persons=1500, seed=11)
    return folder


def _connect(folder):
    con = duckdb.connect()
    for feed in FEEDS:
        con.execute(f"CREATE VIEW {feed} AS SELECT * FROM read_parquet('{folder / feed}.parquet')")
    return con


def _expected_supply(folder, class_code: str, as_of: dt.date, years: int) -> int:
    """The same count in plain Python: residents who graduated in the class in the last `years` years."""
    persons = pq.read_table(folder / "persons.parquet").to_pylist()
    insured = pq.read_table(folder / "social_insurance.parquet", columns=["id_number", "month", "adcode"]).to_pylist()
    first = f"{as_of.year - 1}-{as_of.month + 1:02d}" if as_of.month < 12 else f"{as_of.year}-01"
    residents = {p["id_number"] for p in persons if p["hukou_adcode"].startswith("3206")}
    residents |= {r["id_number"] for r in insured if r["adcode"].startswith("3206") and str(r["month"]) >= first}
    cutoff = as_of.replace(year=as_of.year - years)
    classes = catalogue()
    return len({
        e["id_number"] for e in pq.read_table(folder / "education.parquet").to_pylist()
        if e["id_number"] in residents and cutoff < e["graduation_date"] <= as_of
        and (classes.class_of(e["major_code"]) or e["major_code"][:4]) == class_code
    })  # fmt: skip


def test_supply_counts_recent_graduates_living_in_the_city(city):
    result = talent_map(_connect(city), shipped_seed(), [])
    assert result.as_of == dt.date(2026, 10, 31) and result.recent_years == 3
    computing = next(m for m in result.chain("ict").majors if m.class_code == "0809")
    assert computing.supply == _expected_supply(city, "0809", result.as_of, 3) > 0
    assert computing.supply_all >= computing.supply
    assert sum(computing.supply_by_degree.values()) >= computing.supply
    ships = next(m for m in result.chain("shipbuilding_offshore").majors if m.class_code == "0819")
    assert ships.supply == _expected_supply(city, "0819", result.as_of, 3)


def test_demand_adds_reports_and_postings_and_the_gap_is_demand_minus_supply(city):
    demand = [
        DemandItem("ict", "080901", "bachelor", 40, "report"),
        DemandItem("ict", "0809", "master", 5, "posting"),
        DemandItem("ict", "120203K", "bachelor", 2, "report"),  # 会计学: a class the seed does not name
        DemandItem("marine", "090601", "bachelor", 3, "report"),
    ]
    result = talent_map(_connect(city), shipped_seed(), demand)
    ict = result.chain("ict")
    computing = ict.majors[0]
    assert computing.class_code == "0809" and computing.seed_weight == "core"
    assert (computing.reported, computing.posted, computing.demand) == (40, 5, 45)
    assert computing.points == 3 + 45 and computing.gap == 45 - computing.supply
    assert computing.demand_by_degree == {"bachelor": 40, "master": 5}
    assert computing.majors_named == ["计算机科学与技术"]
    accounting = next(m for m in ict.majors if m.class_code == "1202")
    assert accounting.seed_weight == "" and accounting.points == 2
    assert ict.demand == 47 and ict.gap == ict.demand - ict.supply
    assert ict.shortfall == sum(max(m.gap, 0) for m in ict.majors) >= computing.gap
    # Demand of one chain stays in that chain.
    assert result.chain("aerospace").demand == 0
    assert next(m for m in result.chain("marine").majors if m.class_code == "0906").reported == 3


def test_universities_to_visit_are_ranked_by_coverage_then_double_first_class_then_alumni(city):
    result = talent_map(_connect(city), shipped_seed(), [])
    for chain_map in result.chains:
        leads = chain_map.universities
        assert 0 < len(leads) <= 15
        keys = [(-len(u.classes), not u.double_first_class, -u.alumni) for u in leads]
        assert keys == sorted(keys), chain_map.chain.key
        needed = {m.class_code for m in chain_map.majors}
        assert all(set(u.classes) <= needed for u in leads)
    ships = result.chain("shipbuilding_offshore").universities
    assert ships[0].double_first_class and "0819" in ships[0].classes
    # Nantong University teaches every textile class and many of the city's residents studied there.
    textile = {u.name: u for u in result.chain("high_end_textile").universities}
    assert "南通大学" in textile and textile["南通大学"].alumni > 0


def test_enterprises_of_each_chain_are_counted_from_the_feed(city):
    result = talent_map(_connect(city), shipped_seed(), [])
    con = _connect(city)
    expected = dict(
        con.execute(
            "SELECT industry_chain, count(*) FROM enterprises WHERE starts_with(adcode, '3206') "
            "AND industry_chain IS NOT NULL GROUP BY ALL"
        ).fetchall()
    )
    for chain_map in result.chains:
        assert chain_map.enterprises >= expected.get(chain_map.chain.key, 0)
        assert chain_map.key_enterprises <= chain_map.enterprises


def test_codes_moved_in_2026_count_under_their_new_class():
    assert catalogue().class_of("083203TK") == "1400"
    assert catalogue().class_of("140003TK") == "1400"
    assert catalogue().class_of("9999") is None and catalogue().class_of("999999") is None


@pytest.mark.django_db
def test_map_of_the_cast_snapshot_counts_zhang_wei_as_computing_supply(cast_snapshot):
    from magnet.apps.talentmap import selectors

    result, snapshot = selectors.current_map()
    assert snapshot.id == cast_snapshot.id
    # The cast's snapshot speaks for 2022-12 (its last insured month); Li Na graduates in 2024: not yet.
    assert result.as_of == dt.date(2022, 12, 31) and result.residents == 2
    assert next(m for m in result.chain("ict").majors if m.class_code == "0809").supply == 1
    assert next(m for m in result.chain("shipbuilding_offshore").majors if m.class_code == "0819").supply == 0
    assert result.chain("shipbuilding_offshore").enterprises == 1
