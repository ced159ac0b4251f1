"""The calculator's one-person snapshot: stored types, accepted by the loader, right months, clear problems."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from magnet.core.democity import generate
from magnet.core.feeds import FEEDS, load_snapshot
from magnet.core.feeds.checks import (
    USCC_ALPHABET,
    id_number_birth_date,
    id_number_gender,
    id_number_problem,
    uscc_check_char,
    uscc_problem,
)
from magnet.core.feeds.contract import MAJOR_CODE, OCCUPATION_CODE, SCHOOL_CODE
from magnet.core.radar.hypothetical import (
    DEGREES,
    Situation,
    build_feeds,
    generated_uscc,
    person_id_number,
    situation_problems,
)

BASE = Situation(date(2001, 3, 1), date(2026, 10, 1), graduation_date=date(2023, 6, 30))

FULL = replace(
    BASE,
    gender="M",
    degree="master",
    school_code="10286",
    school_name="东南大学",
    double_first_class=True,
    major_code="080901",
    major_name="计算机科学与技术",
    work_adcode="320612",
    work_from=date(2023, 7, 10),
    work_until=date(2025, 2, 28),
    monthly_base=Decimal("8500.50"),
    flexible_adcode="320611",
    flexible_from=date(2025, 3, 1),
    home_adcode="320602",
    home_contract_date=date(2024, 5, 20),
    home_price=Decimal("1650000.00"),
    skill_level=3,
    skill_issued=date(2024, 9, 1),
    business_adcode="320613",
    business_registered=date(2026, 1, 5),
)


def write(tables: dict[str, pa.Table], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, table in tables.items():
        pq.write_table(table, folder / f"{name}.parquet")
    return folder


@pytest.fixture(scope="module")
def stored_schemas(tmp_path_factory) -> dict[str, pa.Schema]:
    tmp = tmp_path_factory.mktemp("democity")
    generate(tmp / "src", persons=50, seed=1, fmt="parquet")
    snap = load_snapshot(tmp / "src", tmp / "data")
    return {name: pq.read_schema(snap.path / f"{name}.parquet") for name in FEEDS}


def test_every_feed_has_the_stored_snapshots_schema(stored_schemas):
    tables = build_feeds(FULL)
    assert list(tables) == list(FEEDS)
    for name, table in tables.items():
        assert table.schema.equals(stored_schemas[name]), name
        assert table.column_names == list(FEEDS[name].column_names)
    assert {n: t.num_rows for n, t in build_feeds(replace(BASE, degree=None, graduation_date=None)).items()} == {
        "persons": 1,
        **{n: 0 for n in list(FEEDS)[1:]},
    }


def test_built_feeds_are_accepted_and_stored_unchanged(tmp_path):
    tables = build_feeds(FULL)
    snap = load_snapshot(write(tables, tmp_path / "src"), tmp_path / "data")
    # employee 2023-07..2025-02 (20 months), flexible 2025-03..2026-10 (20 months)
    assert snap.row_counts == {
        "persons": 1,
        "education": 1,
        "social_insurance": 40,
        "enterprises": 1,
        "property": 1,
        "skill_certs": 1,
        "business_registrations": 1,
    }
    for name, table in tables.items():
        assert pq.read_table(snap.path / f"{name}.parquet").equals(table), name


def test_rows_follow_the_situation():
    t = {name: table.to_pylist() for name, table in build_feeds(FULL).items()}
    pid = person_id_number(FULL)
    assert t["persons"] == [
        {
            "id_number": pid,
            "name": "测算用户",
            "gender": "M",
            "birth_date": date(2001, 3, 1),
            "hukou_adcode": "320602",
            "phone": None,
        }
    ]
    employer = t["enterprises"][0]["uscc"]
    assert uscc_problem(employer) is None and employer.startswith("91320612")
    assert t["enterprises"][0]["adcode"] == "320612" and t["enterprises"][0]["key_enterprise"] is False
    employee = [r for r in t["social_insurance"] if r["kind"] == "employee"]
    flexible = [r for r in t["social_insurance"] if r["kind"] == "flexible"]
    assert {(r["employer_uscc"], r["adcode"], r["base"]) for r in employee} == {
        (employer, "320612", Decimal("8500.50"))
    }
    assert {(r["employer_uscc"], r["adcode"]) for r in flexible} == {(None, "320611")}
    assert t["property"] == [
        {
            "id_number": pid,
            "property_id": "H1",
            "adcode": "320602",
            "use": "residential",
            "contract_date": date(2024, 5, 20),
            "price": Decimal("1650000.00"),
            "sold_date": None,
        }
    ]
    business = t["business_registrations"][0]
    assert (business["role"], business["adcode"], business["deregistered"]) == ("legal_rep", "320613", None)
    assert uscc_problem(business["uscc"]) is None and business["uscc"] != employer
    given_uscc = generated_uscc("320602", "given")
    tables = build_feeds(replace(FULL, employer_uscc=given_uscc))
    assert tables["enterprises"]["uscc"].to_pylist() == [given_uscc]


def test_placeholders_fill_unanswered_required_columns():
    (row,) = build_feeds(BASE)["education"].to_pylist()
    assert (row["school_code"], row["school_name"], row["major_code"], row["major_name"]) == (
        "00000",
        "未填写",
        "000000",
        "未填写",
    )


@pytest.mark.parametrize(
    ("birth", "gender"),
    [(date(2001, 3, 1), "F"), (date(2000, 2, 29), "M"), (date(1999, 12, 31), "F"), (date(1985, 1, 9), "M")],
)
def test_id_number_is_valid_and_agrees_with_birth_date_and_gender(birth, gender):
    s = replace(BASE, birth_date=birth, gender=gender)
    pid = person_id_number(s)
    assert id_number_problem(pid) is None
    assert pid[:6] == "320602"
    assert id_number_birth_date(pid) == birth
    assert id_number_gender(pid) == gender
    assert build_feeds(s)["persons"]["id_number"].to_pylist() == [pid]


def test_months_across_a_year_boundary():
    s = replace(
        BASE,
        horizon=date(2025, 5, 20),
        work_adcode="320602",
        work_from=date(2024, 11, 15),
        work_until=date(2025, 2, 3),
        flexible_adcode="320623",
        flexible_from=date(2025, 3, 31),
    )
    rows = build_feeds(s)["social_insurance"].to_pylist()
    assert [(r["month"], r["kind"]) for r in rows] == [
        (date(2024, 11, 1), "employee"),
        (date(2024, 12, 1), "employee"),
        (date(2025, 1, 1), "employee"),
        (date(2025, 2, 1), "employee"),
        (date(2025, 3, 1), "flexible"),
        (date(2025, 4, 1), "flexible"),
        (date(2025, 5, 1), "flexible"),
    ]
    # work_until past the horizon stops at the horizon; no work_until runs through it
    s = replace(BASE, horizon=date(2025, 1, 1), work_adcode="320602", work_from=date(2023, 12, 31))
    assert build_feeds(s)["social_insurance"].num_rows == 14
    assert build_feeds(replace(s, work_until=date(2030, 6, 1)))["social_insurance"].num_rows == 14


BAD_USCC = generated_uscc("320602", "x")[:-1] + ("0" if generated_uscc("320602", "x")[-1] != "0" else "1")
WORK = {"work_adcode": "320602", "work_from": date(2023, 7, 1)}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"birth_date": date(2000, 2, 29), "graduation_date": date(2014, 6, 30)},
            "graduation_date",
            "graduation_date 2014-06-30 is before the 15th birthday (2015-03-01)",
        ),
        ({"degree": None}, "graduation_date", "graduation_date 2023-06-30 is given but degree is None"),
        ({"graduation_date": None}, "graduation_date", "graduation_date is required with degree bachelor"),
        (
            {"degree": "phd"},
            "degree",
            "degree must be one of associate, bachelor, master, doctor or None, found 'phd'",
        ),
        ({"gender": "X"}, "gender", "gender must be M or F, found 'X'"),
        (
            {"school_code": "123"},
            "school_code",
            "school_code '123' must be a 10-digit MOE institution code or its 5-digit tail",
        ),
        (
            {"major_code": "0809"},
            "major_code",
            "major_code '0809' must be 6 digits, optionally followed by T, K or TK",
        ),
        ({"horizon": date(2000, 1, 1)}, "horizon", "horizon 2000-01-01 is before the birth date 2001-03-01"),
        ({**WORK, "work_adcode": "32060"}, "work_adcode", "work_adcode '32060' is not a 6-digit division code"),
        ({"work_adcode": "320602"}, "work_from", "work_from is required with work_adcode"),
        ({"work_from": date(2023, 7, 1)}, "work_adcode", "work_adcode is required with work_from"),
        ({"work_until": date(2024, 1, 1)}, "work_until", "work_until is given but work_from is not"),
        (
            {**WORK, "work_until": date(2023, 6, 30)},
            "work_until",
            "work_until 2023-06-30 is before work_from 2023-07-01",
        ),
        (
            {**WORK, "work_from": date(2026, 11, 1)},
            "work_from",
            "work_from 2026-11-01 is after the horizon 2026-10-01: no month to generate",
        ),
        (
            {**WORK, "work_from": date(2017, 2, 28)},
            "work_from",
            "work_from 2017-02-28 is before the month of the 16th birthday (2017-03-01)",
        ),
        (
            {
                **WORK,
                "work_until": date(2024, 12, 1),
                "flexible_adcode": "320611",
                "flexible_from": date(2024, 6, 1),
                "flexible_until": date(2025, 1, 1),
            },
            "flexible_from",
            "the flexible period 2024-06..2025-01 overlaps the employee period 2023-07..2024-12",
        ),
        (
            {**WORK, "employer_uscc": BAD_USCC},
            "employer_uscc",
            f"employer_uscc '{BAD_USCC}' is not a valid USCC: wrong check character: "
            f"expected {generated_uscc('320602', 'x')[-1]}, found {BAD_USCC[-1]}",
        ),
        (
            {"employer_uscc": generated_uscc("320602", "x")},
            "employer_uscc",
            "employer_uscc is given but work_adcode is not",
        ),
        ({"monthly_base": Decimal("0")}, "monthly_base", "monthly_base must be a positive amount, found 0"),
        ({"monthly_base": 6000.0}, "monthly_base", "monthly_base must be a Decimal, found float"),
        (
            {"monthly_base": Decimal("6000.125")},
            "monthly_base",
            "monthly_base 6000.125 has more than 2 decimal places",
        ),
        (
            {"home_adcode": "320602", "home_contract_date": date(2024, 1, 1), "home_price": Decimal("-1")},
            "home_price",
            "home_price must be a positive amount, found -1",
        ),
        (
            {"home_adcode": "320602", "home_contract_date": date(2024, 1, 1), "home_price": Decimal("1e17")},
            "home_price",
            "home_price 1E+17 is too large (at most 16 digits before the decimal point)",
        ),
        (
            {"home_adcode": "320602", "home_contract_date": date(2024, 1, 1)},
            "home_price",
            "home_price is required with home_adcode and home_contract_date",
        ),
        (
            {"home_adcode": "320602", "home_contract_date": date(2000, 1, 1), "home_price": Decimal("1")},
            "home_contract_date",
            "home_contract_date 2000-01-01 is before the birth date 2001-03-01",
        ),
        (
            {"skill_level": 6, "skill_issued": date(2024, 1, 1)},
            "skill_level",
            "skill_level must be 1 to 5, found 6",
        ),
        ({"skill_level": 2}, "skill_issued", "skill_issued is required with skill_level"),
        (
            {"skill_level": 2, "skill_issued": date(2024, 1, 1), "skill_occupation_code": "6-18-01"},
            "skill_occupation_code",
            "skill_occupation_code '6-18-01' must be an occupation code like 6-18-01-01",
        ),
        (
            {"business_registered": date(2024, 1, 1)},
            "business_adcode",
            "business_adcode is required with business_registered",
        ),
    ],
)
def test_each_problem_is_reported_on_its_field(changes, field, message):
    s = replace(BASE, **changes)
    assert situation_problems(s) == [(field, message)]
    with pytest.raises(ValueError, match="inconsistent") as info:
        build_feeds(s)
    assert message in str(info.value)


def test_every_problem_is_listed_not_just_the_first():
    s = replace(BASE, gender="?", degree="phd", skill_level=9, skill_issued=date(2024, 1, 1))
    assert [f for f, _ in situation_problems(s)] == ["gender", "degree", "skill_level"]


# ------------------------------------------------------------------------------------------ property

ADCODES = st.sampled_from(["320602", "320611", "320612", "320623", "320681", "110105"]) | st.from_regex(
    r"[0-9]{6}", fullmatch=True
)
AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999999999.99"), places=2)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)


@st.composite
def valid_usccs(draw) -> str:
    first17 = (
        draw(st.sampled_from(USCC_ALPHABET))
        + draw(st.sampled_from(USCC_ALPHABET))
        + draw(st.from_regex(r"[0-9]{6}", fullmatch=True))
        + "".join(draw(st.lists(st.sampled_from(USCC_ALPHABET), min_size=9, max_size=9)))
    )
    return first17 + uscc_check_char(first17)


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


@st.composite
def situations(draw) -> Situation:
    birth = draw(st.dates(date(1950, 1, 1), date(2008, 12, 31)))
    horizon = draw(st.dates(date(birth.year + 17, 1, 1), date(2040, 12, 31)))
    earliest = date(birth.year + 17, 1, 1)  # past the 16th birthday
    degree = draw(st.sampled_from([None, *DEGREES]))
    fields: dict = {
        "gender": draw(st.sampled_from("MF")),
        "degree": degree,
        "full_time": draw(st.booleans()),
        "school_code": draw(st.just("") | st.from_regex(SCHOOL_CODE.regex, fullmatch=True)),
        "school_name": draw(TEXT),
        "double_first_class": draw(st.booleans()),
        "major_code": draw(st.just("") | st.from_regex(MAJOR_CODE.regex, fullmatch=True)),
        "major_name": draw(TEXT),
        "graduation_date": draw(st.dates(date(birth.year + 16, 1, 1), horizon)) if degree else None,
        "monthly_base": draw(AMOUNTS),
    }
    kinds = draw(st.permutations(["work", "flexible"]))[: draw(st.integers(0, 2))]
    start = earliest
    for kind in kinds:
        if start > horizon:
            break
        fields[f"{kind}_adcode"] = draw(ADCODES)
        fields[f"{kind}_from"] = draw(st.dates(start, horizon))
        until = draw(st.none() | st.dates(fields[f"{kind}_from"], date(2045, 1, 1)))
        fields[f"{kind}_until"] = until
        if until is None or until >= horizon:
            break
        start = _next_month(until)
    if fields.get("work_adcode") and draw(st.booleans()):
        fields["employer_uscc"] = draw(valid_usccs())
    if draw(st.booleans()):
        fields |= {
            "home_adcode": draw(ADCODES),
            "home_contract_date": draw(st.dates(birth, date(2045, 1, 1))),
            "home_price": draw(AMOUNTS),
        }
    if draw(st.booleans()):
        fields |= {
            "skill_level": draw(st.integers(1, 5)),
            "skill_issued": draw(st.dates(birth, date(2045, 1, 1))),
            "skill_occupation_code": draw(st.from_regex(OCCUPATION_CODE.regex, fullmatch=True)),
        }
    if draw(st.booleans()):
        fields |= {"business_adcode": draw(ADCODES), "business_registered": draw(st.dates(birth, date(2045, 1, 1)))}
    return Situation(birth, horizon, **fields)


@settings(max_examples=30, deadline=None)
@given(situations())
def test_random_valid_situations_always_load(s):
    assert situation_problems(s) == []
    tables = build_feeds(s)
    with tempfile.TemporaryDirectory() as tmp:
        snap = load_snapshot(write(tables, Path(tmp) / "src"), Path(tmp) / "data")
    assert snap.row_counts == {name: t.num_rows for name, t in tables.items()}
