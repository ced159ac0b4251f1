"""The named personas exist in every snapshot with the properties their descriptions claim."""

# ruff: noqa: S608 - SQL built from paths this test controls
from __future__ import annotations

import datetime as dt
import json
import re

import duckdb
import pytest

from magnet.core.democity import personas
from magnet.core.feeds import checks

KEYS = [
    "bachelor_2021",
    "doctor_38",
    "master_renting",
    "home_buyer",
    "home_seller",
    "flexible_graduate",
    "skilled_worker",
    "graduate_founder",
    "enterprise_founder",
    "leap_day",
    "no_phone",
]


@pytest.fixture(scope="module")
def con(city):
    con = duckdb.connect()
    for path in city.glob("*.parquet"):
        con.execute(f"CREATE VIEW {path.stem} AS SELECT * FROM read_parquet('{path}')")
    return con


@pytest.fixture(scope="module")
def cast():
    return {p.key: p for p in personas(7)}


def q(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_personas_are_listed_in_personas_json_and_in_the_persons_feed(city, con, cast):
    assert list(cast) == KEYS
    written = json.loads((city / "personas.json").read_text("utf-8"))
    assert [p["key"] for p in written] == KEYS
    for p in written:
        person = cast[p["key"]]
        assert p["id_number"] == person.id_number and p["phone"] == person.phone
        assert p["description"] and p["description_zh"]
        assert checks.id_number_problem(person.id_number) is None
        assert q(
            con, "SELECT name, gender, birth_date, phone FROM persons WHERE id_number = ?", person.id_number
        ) == [(person.name, person.gender, person.birth_date, person.phone)]
        if person.key != "no_phone":
            assert re.fullmatch(r"1[3-9][0-9]{9}", person.phone)


def test_the_cast_does_not_depend_on_the_seed_but_follows_the_as_of_month():
    assert personas(1) == personas(2)
    later = {p.key: p for p in personas(1, as_of="2028-03")}
    assert (dt.date(2028, 3, 1) - later["doctor_38"].birth_date).days // 365.25 == 38


def test_bachelor_2021_from_a_double_first_class_school_works_in_the_city_since_2021(con, cast):
    id_number = cast["bachelor_2021"].id_number
    assert q(
        con,
        "SELECT degree, full_time, double_first_class, year(graduation_date) FROM education "
        "WHERE id_number = ?",
        id_number,
    ) == [("bachelor", True, True, 2021)]
    months = q(
        con,
        "SELECT count(*), min(month) FROM social_insurance WHERE id_number = ? AND kind = 'employee' "
        "AND adcode LIKE '3206%'",
        id_number,
    )
    assert months == [(64, "2021-07")]  # every month from 2021-07 to 2026-10


def test_doctor_aged_38_arrived_recently(con, cast):
    p = cast["doctor_38"]
    assert (dt.date(2026, 10, 31) - p.birth_date).days // 365.25 == 38
    assert q(
        con, "SELECT max(degree) FROM education WHERE id_number = ? AND degree = 'doctor'", p.id_number
    ) == [("doctor",)]
    assert q(
        con,
        "SELECT min(month) FROM social_insurance WHERE id_number = ? AND adcode LIKE '3206%'",
        p.id_number,
    ) == [("2026-06",)]


def test_master_rents_and_home_owners_bought_within_five_years(con, cast):
    master = cast["master_renting"].id_number
    assert q(con, "SELECT count(*) FROM education WHERE id_number = ? AND degree = 'master'", master) == [
        (1,)
    ]
    assert q(con, "SELECT count(*) FROM property WHERE id_number = ?", master) == [(0,)]
    for key, sold in (("home_buyer", False), ("home_seller", True)):
        rows = q(
            con,
            """SELECT p.contract_date, p.sold_date IS NOT NULL, e.graduation_date FROM property p
                         JOIN education e USING (id_number) WHERE p.id_number = ? AND p.adcode LIKE '3206%'
                         AND p.use = 'residential'""",
            cast[key].id_number,
        )
        ((contract, is_sold, graduated),) = rows
        assert graduated < contract <= graduated.replace(year=graduated.year + 5) and is_sold is sold


def test_flexible_graduate_skilled_worker_and_founders(con, cast):
    flex = cast["flexible_graduate"].id_number
    ((graduated,),) = q(con, "SELECT graduation_date FROM education WHERE id_number = ?", flex)
    assert graduated >= dt.date(2024, 10, 31)
    assert q(
        con, "SELECT count(*) > 6 FROM social_insurance WHERE id_number = ? AND kind = 'flexible'", flex
    ) == [(True,)]
    worker = cast["skilled_worker"].id_number
    assert q(con, "SELECT count(*) FROM education WHERE id_number = ?", worker) == [(0,)]
    assert (2,) in q(con, "SELECT level FROM skill_certs WHERE id_number = ?", worker)
    founder = cast["graduate_founder"].id_number
    assert q(
        con,
        """SELECT count(*) FROM business_registrations b JOIN education e USING (id_number)
                     WHERE b.id_number = ? AND b.role = 'legal_rep' AND b.registered > e.graduation_date""",
        founder,
    ) == [(2,)]
    boss = cast["enterprise_founder"].id_number
    assert q(
        con,
        """SELECT e.name, e.key_enterprise FROM business_registrations b JOIN enterprises e USING (uscc)
                     WHERE b.id_number = ? AND b.role = 'legal_rep'""",
        boss,
    ) == [("南通海晟船舶重工有限公司", True)]


def test_leap_day_birth_and_no_phone(con, cast):
    assert cast["leap_day"].birth_date == dt.date(1988, 2, 29)
    assert cast["leap_day"].id_number[6:14] == "19880229"
    assert cast["no_phone"].phone is None
    assert q(con, "SELECT phone FROM persons WHERE id_number = ?", cast["no_phone"].id_number) == [(None,)]
