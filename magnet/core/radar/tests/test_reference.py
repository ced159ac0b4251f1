"""Property test: the compiled demo book and a plain reading of the policy book agree on random snapshots.

Hypothesis draws small snapshots crowded with the book's edges (29 February, the 35/40 age limits, G + 60,
ties on graduation and contract dates, homes sold, employee and flexible rows in one month, several
certificates and businesses) and a month near them; the engine's rows must equal those of `policy_sql`,
the test oracle written straight from `shared/spec/policy-book.md` (SECURITY.md MN-2: two implementations,
the same rows).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from magnet.core.democity.tests import policy_sql
from magnet.core.radar import connect, screen
from magnet.core.radar.book import Case, Origin
from magnet.core.radar.engine import case_tables
from magnet.core.radar.language import Month

EXAMPLES = 2000
DEGREES = ("associate", "bachelor", "master", "doctor")
CITY, ELSEWHERE = "320602", "320502"


def _dates(lo: int, hi: int):
    """Dates in [lo, hi] years, with month ends, 1 March and 29 February much more likely than by chance."""
    special = st.sampled_from([(2, 28), (2, 29), (3, 1), (6, 30), (7, 1), (12, 31), (1, 1)])
    any_day = st.tuples(st.integers(1, 12), st.integers(1, 28))
    return st.builds(lambda y, md: _valid(y, *md), st.integers(lo, hi), st.one_of(special, any_day))


def _valid(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29 February of a common year
        return dt.date(year, 2, 28)


def _month(d: dt.date, shift: int = 0) -> str:
    m = Month(d.year, d.month).index + shift
    return str(Month.from_index(m))


def _days(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


@st.composite
def person(draw, alias: str):
    """One person's rows, told as a story around a graduation date `g` so that the policies' windows are hit."""
    g = draw(_dates(2016, 2025))
    years = draw(st.sampled_from((22, 23, 25, 28, 31, 33, 34, 35, 36, 38, 39)))
    birth = _valid(g.year - years, *draw(st.sampled_from([(2, 29), (3, 1), (2, 28), (g.month, g.day), (1, 15)])))
    rows = {"persons": [{"person": alias, "birth_date": birth}]}
    interesting = [g]
    for k in range(draw(st.integers(0, 3))):
        grad = g if k == 0 else draw(st.sampled_from([g, _days(g, -1), _days(g, 365), _days(g, -730), _days(g, 30)]))
        rows.setdefault("education", []).append({
            "person": alias, "degree": draw(st.sampled_from(DEGREES)),
            "full_time": draw(st.sampled_from((True, True, True, False))),
            "double_first_class": draw(st.booleans()), "graduation_date": grad,
        })  # fmt: skip
    for _ in range(draw(st.integers(0, 3))):
        start = _month(g, draw(st.integers(-2, 62)))
        length = draw(st.integers(0, 40))
        kind = draw(st.sampled_from(("employee", "employee", "employee", "flexible")))
        rows.setdefault("social_insurance", []).append({
            "person": alias, "months": f"{start}..{_month(dt.date.fromisoformat(start + '-01'), length)}",
            "kind": kind, "adcode": draw(st.sampled_from((CITY, CITY, CITY, ELSEWHERE))),
            "base": draw(st.sampled_from(("4000", "4000.04", "4100.21", "5000", "8333.33"))),
        })  # fmt: skip
        interesting.append(dt.date.fromisoformat(start + "-01"))
    for n in range(draw(st.integers(0, 2))):
        contract = _days(g, draw(st.sampled_from((0, -1, 30, 400, 900, 1825, 1826, 1827, 2000))))
        sold = draw(st.sampled_from((None, None, 0, 1, 200)))
        rows.setdefault("property", []).append({
            "person": alias, "property_id": draw(st.sampled_from(("9", "10", f"P{n}", "A1"))),
            "contract_date": contract, "price": draw(st.sampled_from(("1234567.30", "900000", "4000000", "8000000"))),
            "sold_date": None if sold is None else _days(contract, sold + 1),
            "use": draw(st.sampled_from(("residential", "residential", "commercial"))),
            "adcode": draw(st.sampled_from((CITY, CITY, ELSEWHERE))),
        })  # fmt: skip
        interesting.append(contract)
        if draw(st.booleans()):  # employed around the purchase: 5, 6 or more of the 12 months before it
            before = draw(st.sampled_from((-11, -6, -5, -4)))
            rows.setdefault("social_insurance", []).append({
                "person": alias, "months": f"{_month(contract, before)}..{_month(contract, 1)}",
                "kind": "employee", "adcode": CITY, "base": "6000",
            })  # fmt: skip
    for _ in range(draw(st.integers(0, 2))):
        issued = _days(g, draw(st.integers(-300, 2000)))
        rows.setdefault("skill_certs", []).append({"person": alias, "level": draw(st.integers(1, 5)), "issued": issued})
        interesting.append(issued)
    for _ in range(draw(st.integers(0, 2))):
        registered = _days(g, draw(st.sampled_from((-1, 0, 100, 1000, 1826, 1827))))
        closed = draw(st.sampled_from((None, None, 0, 20, 400)))
        rows.setdefault("business_registrations", []).append({
            "person": alias, "registered": registered,
            "deregistered": None if closed is None else _days(registered, closed),
            "role": draw(st.sampled_from(("legal_rep", "legal_rep", "shareholder"))),
            "adcode": draw(st.sampled_from((CITY, CITY, ELSEWHERE))),
        })  # fmt: skip
        interesting.append(registered)
    return rows, interesting


@st.composite
def snapshots(draw):
    feeds: dict[str, list] = {}
    interesting = []
    for i in range(draw(st.integers(1, 3))):
        rows, dates = draw(person(f"p{i}"))
        interesting += dates
        for feed, more in rows.items():
            feeds.setdefault(feed, []).extend(more)
    # a month near what the rows make interesting: graduation + 0/23/24/60, starts of employment, contracts …
    base = draw(st.sampled_from(interesting[1:] or interesting)) if draw(st.booleans()) else interesting[0]
    shift = 0 if draw(st.booleans()) else draw(st.sampled_from((1, 5, 6, 11, 23, 24, 35, 36, 60, 61, -1)))
    month = _month(base, shift)
    return feeds, month


@pytest.fixture(scope="module")
def engines():
    return connect(threads=1), duckdb.connect()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(snapshots())
def test_engine_equals_the_plain_reading_on_random_snapshots(engines, demo_book, example):
    feeds, month = example
    tables, _ = case_tables(Case("random", Month.parse(month), feeds, {}, Origin("random", 1, 1)))
    engine_con, oracle_con = engines
    for feed, table in tables.items():
        engine_con.register(f"t_{feed}", table)
        engine_con.execute(f'CREATE OR REPLACE TEMP VIEW "{feed}" AS SELECT * FROM "t_{feed}"')  # noqa: S608
        oracle_con.register(f"t_{feed}", table)
        # the oracle reads the generator's files, where a month is text 'YYYY-MM'
        select = "* REPLACE (strftime(month, '%Y-%m') AS month)" if feed == "social_insurance" else "*"
        oracle_con.execute(f'CREATE OR REPLACE TEMP VIEW "{feed}" AS SELECT {select} FROM "t_{feed}"')  # noqa: S608
    got = {(r["id_number"], r["policy"], r["period"], f"{r['amount']:.2f}")
           for r in screen(engine_con, demo_book, month).to_pylist()}  # fmt: skip
    want = set()
    for fn in policy_sql.POLICIES.values():
        want |= {(r[0], r[1], r[2], f"{r[3]:.2f}") for r in fn(oracle_con, month)}
    assert got == want, (month, feeds)
    for policy in policy_sql.POLICIES:  # steer generation towards snapshots where every policy pays
        target(float(sum(1 for row in got if row[1] == policy)), label=policy)
