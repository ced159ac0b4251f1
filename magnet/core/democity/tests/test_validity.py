"""Every row of the demo city is valid against `feeds.md` and the real catalogues."""

# ruff: noqa: S608 - SQL built from feed names this test controls
from __future__ import annotations

import csv
import re

import duckdb
import pytest

from magnet.core.democity.reference import REFERENCE_DIR
from magnet.core.feeds import checks

from .conftest import SIZE

AS_OF_END = "2026-10-31"


def scalar(con, sql):
    return con.sql(sql).fetchall()[0][0]


def _csv(name):
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def con(city):
    con = duckdb.connect()
    for path in city.glob("*.parquet"):
        con.execute(f"CREATE VIEW {path.stem} AS SELECT * FROM read_parquet('{path}')")
    return con


def test_identity_numbers_are_valid_unique_and_agree_with_gender_and_birth_date(con):
    rows = con.sql("SELECT id_number, gender, birth_date FROM persons").fetchall()
    assert len(rows) == SIZE == len({r[0] for r in rows})
    for id_number, gender, birth in rows:
        assert checks.id_number_problem(id_number) is None, id_number
        assert checks.id_number_gender(id_number) == gender
        assert checks.id_number_birth_date(id_number) == birth
        assert dt_range(birth)


def dt_range(birth) -> bool:
    return 1960 <= birth.year <= 2006


def test_every_feed_refers_to_listed_persons(con):
    for feed in ("education", "social_insurance", "property", "skill_certs", "business_registrations"):
        assert con.sql(
            f"SELECT count(*) FROM {feed} WHERE id_number NOT IN (SELECT id_number FROM persons)"
        ).fetchall() == [(0,)], feed


def test_usccs_are_valid_and_employers_are_known(con):
    usccs = con.sql(
        "SELECT uscc FROM enterprises UNION ALL SELECT DISTINCT uscc FROM business_registrations"
    ).fetchall()
    for (uscc,) in usccs:
        assert checks.uscc_problem(uscc) is None, uscc
    assert con.sql("SELECT count(*) = count(DISTINCT uscc) FROM enterprises").fetchall() == [(True,)]
    assert con.sql(
        "SELECT count(*) FROM social_insurance WHERE kind = 'employee' AND employer_uscc NOT IN "
        "(SELECT uscc FROM enterprises)"
    ).fetchall() == [(0,)]
    assert con.sql(
        "SELECT count(*) FROM social_insurance WHERE kind = 'flexible' AND employer_uscc IS NOT NULL"
    ).fetchall() == [(0,)]


def test_phones_are_mainland_mobiles_unique_and_mostly_present(con):
    phones = [p for (p,) in con.sql("SELECT phone FROM persons").fetchall()]
    present = [p for p in phones if p is not None]
    assert len(present) == len(set(present))
    assert all(re.fullmatch(r"1[3-9][0-9]{9}", p) for p in present)
    assert 0.9 < len(present) / len(phones) < 1


def test_addresses_mix_city_retired_codes_jiangsu_and_elsewhere(con):
    prefixes = dict(con.sql("SELECT substr(id_number, 1, 6), count(*) FROM persons GROUP BY 1").fetchall())
    city = sum(v for k, v in prefixes.items() if k.startswith("3206"))
    assert 0.4 < city / SIZE < 0.6
    assert all(prefixes.get(code, 0) > 0 for code in ("320602", "320611", "320684"))
    assert sum(v for k, v in prefixes.items() if not k.startswith("32")) / SIZE > 0.2


def test_schools_majors_and_offerings_come_from_the_catalogues(con):
    schools = {(r["school_code"], r["school_name"]): r for r in _csv("moe_universities_2024.csv")}
    schools.update({(r["school_id10"], r["school_name"]): r for r in _csv("moe_universities_2024.csv")})
    majors = {}
    for r in _csv("moe_undergrad_majors_2026.csv"):
        majors[r["major_code_full"]] = r
        if r["previous_code_full"]:
            majors[r["previous_code_full"]] = r
    offered = {}
    for r in _csv("major_offerings_undergrad.csv"):
        offered.setdefault(r["school_code"], set()).add(r["major_code"])
    rows = con.sql(
        "SELECT DISTINCT school_code, school_name, double_first_class, major_code, major_name, degree "
        "FROM education"
    ).fetchall()
    for code, name, dfc, major, major_name, degree in rows:
        school = schools[(code, name)]
        assert len(code) in (5, 10)
        assert (school["double_first_class"] == "true") == dfc
        assert re.fullmatch(r"[0-9]{6}[TK]{0,2}", major), major
        assert majors[major]["major_name"] == major_name
        if school["level"] == "本科" and school["school_code"] in offered and degree != "associate":
            assert majors[major]["major_code"] in offered[school["school_code"]], (name, major)


def test_degrees_follow_each_other_and_part_time_ones_exist(con):
    shares = dict(con.sql("SELECT degree || '/' || full_time, count(*) FROM education GROUP BY 1").fetchall())
    assert (
        shares["bachelor/true"] > shares["associate/true"] > shares["master/true"] > shares["doctor/true"] > 0
    )
    assert shares["bachelor/false"] > 0 and shares["master/false"] > 0
    # A master's or doctor's degree comes after a lower full-time degree (bar the odd direct PhD).
    orphans = scalar(
        con,
        """SELECT count(*) FROM education e WHERE e.full_time AND e.degree IN ('master', 'doctor')
           AND NOT EXISTS (SELECT 1 FROM education b WHERE b.id_number = e.id_number
                           AND b.degree = 'bachelor' AND b.graduation_date < e.graduation_date)""",
    )
    assert orphans < 0.02 * shares["master/true"]
    june = scalar(con, "SELECT avg((month(graduation_date) = 6)::INT) FROM education WHERE full_time")
    assert june > 0.75
    with_degree = scalar(con, "SELECT count(DISTINCT id_number) FROM education")
    assert with_degree / SIZE > 0.7


def test_nothing_happens_after_the_as_of_month(con):
    for feed, column in (
        ("education", "graduation_date"),
        ("property", "contract_date"),
        ("property", "sold_date"),
        ("skill_certs", "issued"),
        ("business_registrations", "registered"),
        ("business_registrations", "deregistered"),
        ("enterprises", "established"),
        ("persons", "birth_date"),
    ):
        assert scalar(con, f"SELECT count(*) FROM {feed} WHERE {column} > DATE '{AS_OF_END}'") == 0
    months = con.sql("SELECT min(month), max(month) FROM social_insurance").fetchall()
    assert months == [("2019-01", "2026-10")]


def test_social_insurance_volume_kinds_overlaps_and_bases(con):
    rows = scalar(con, "SELECT count(*) FROM social_insurance")
    assert 25 < rows / SIZE < 36  # a million persons must give about thirty million rows
    lo, hi = con.sql("SELECT min(base), max(base) FROM social_insurance").fetchall()[0]
    assert lo >= 4000 and hi <= 30000
    both = scalar(
        con,
        "SELECT count(*) FROM (SELECT id_number, month FROM social_insurance GROUP BY ALL "
        "HAVING count(DISTINCT kind) = 2)",
    )
    twice = scalar(
        con,
        "SELECT count(*) FROM (SELECT id_number, month FROM social_insurance WHERE kind = 'flexible' "
        "GROUP BY ALL HAVING count(*) > 1)",
    )
    dup = scalar(
        con,
        "SELECT count(*) FROM (SELECT id_number, month, employer_uscc FROM social_insurance "
        "WHERE kind = 'employee' GROUP BY ALL HAVING count(*) > 1)",
    )
    assert both > 0 and twice > 0 and dup == 0
    outside = scalar(con, "SELECT avg((adcode NOT LIKE '3206%')::INT) FROM social_insurance")
    assert 0.1 < outside < 0.5


def test_enterprises_lean_on_the_key_chains_and_some_codes_are_unknown(con):
    classes = {r["code_with_section"] for r in _csv("gbt4754_2017_industries.csv") if r["level"] == "class"}
    rows = con.sql("SELECT industry_code, industry_chain, adcode, uscc FROM enterprises").fetchall()
    assert 0.02 < len(rows) / SIZE < 0.04
    unknown = [r for r in rows if r[0] not in classes]
    assert 1 <= len(unknown) <= 10
    assert all(re.fullmatch(r"[A-T][0-9]{4}", r[0]) for r in rows)
    chains = {r[1] for r in rows}
    assert {
        "shipbuilding_offshore",
        "high_end_textile",
        "new_materials",
        "ict",
        "aerospace",
        "marine",
    } <= chains
    assert all(r[2].startswith("3206") for r in rows if r[1])
    assert {r[3][0] for r in rows} == {"1", "5", "9"}
    assert any(r[0].startswith("C373") for r in rows)


def test_property_certificates_and_businesses_look_real(con):
    lo, hi, sold, two, ties = con.sql("""
        SELECT min(price), max(price), count(sold_date),
               (SELECT count(*) FROM (SELECT id_number FROM property GROUP BY 1 HAVING count(*) > 1)),
               (SELECT count(*) FROM (SELECT id_number, contract_date FROM property GROUP BY ALL
                                      HAVING count(*) > 1))
        FROM property""").fetchall()[0]
    assert lo >= 800_000 and hi <= 4_000_000 and sold > 0 and two > 0 and ties > 0
    assert con.sql("SELECT count(*) FROM property WHERE sold_date <= contract_date").fetchall() == [(0,)]
    assert con.sql("SELECT count(DISTINCT property_id) = count(*) FROM property").fetchall() == [(True,)]
    codes = con.sql("SELECT occupation_code, level FROM skill_certs").fetchall()
    assert all(re.fullmatch(r"[1-8]-[0-9]{2}-[0-9]{2}-[0-9]{2}", c) and 1 <= lv <= 5 for c, lv in codes)
    roles = dict(con.sql("SELECT role, count(*) FROM business_registrations GROUP BY 1").fetchall())
    assert roles["legal_rep"] > roles["shareholder"] > 0
    assert con.sql(
        "SELECT count(*) FROM business_registrations WHERE deregistered < registered"
    ).fetchall() == [(0,)]


def test_people_start_paying_after_their_highest_full_time_degree(con):
    early = scalar(
        con,
        """WITH g AS (SELECT id_number, max(graduation_date) AS gd FROM education WHERE full_time GROUP BY 1)
           SELECT avg((s.month < strftime(g.gd, '%Y-%m'))::INT)
           FROM social_insurance s JOIN g USING (id_number)""",
    )
    assert early < 0.001  # only cast members who went back to school
