"""The DuckDB twins of the identifier checks give exactly the Python answers (checks.py), on the very SQL
path the validator runs (`sql.reasons_select` over a table of values)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from magnet.core.feeds import checks, sql
from magnet.core.feeds.checks import USCC_ALPHABET
from magnet.core.feeds.contract import FEEDS

from .factory import E1, P1, P2, P3, id_number, uscc

PYTHON = {"id_number": checks.id_number_problem, "uscc": checks.uscc_problem, "adcode": checks.adcode_problem}
COLUMNS = {
    "id_number": FEEDS["persons"].column("id_number"),
    "uscc": FEEDS["enterprises"].column("uscc"),
    "adcode": FEEDS["enterprises"].column("adcode"),
}


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    sql.install_macros(con)
    return con


def sql_reasons(con: duckdb.DuckDBPyConnection, kind: str, values: list[str]) -> dict[str, str | None]:
    """What the validator's SQL says about each value (None: valid); '' is read as NULL, like a feed cell."""
    con.register("vals", pa.table({"raw": pa.array(values, pa.string())}))
    query = sql.reasons_select(COLUMNS[kind], "VARCHAR", "(SELECT DISTINCT NULLIF(raw, '') AS v FROM vals)")
    bad = dict(sql.run(con, query))
    return {v: bad.get(v if v != "" else None) for v in values}


def assert_agree(con, kind: str, values: list[str]) -> None:
    got = sql_reasons(con, kind, values)
    for v in values:
        assert got[v] == PYTHON[kind](v), (kind, v)


DIGITS = "0123456789"
near_chars = st.sampled_from(DIGITS + "XxIOZ-" + USCC_ALPHABET + "é中 \t")


def mutated(valid: str) -> st.SearchStrategy[str]:
    """Values one edit away from a valid one: substitution, deletion, insertion."""
    pos = st.integers(0, len(valid) - 1)
    return st.one_of(
        st.tuples(pos, near_chars).map(lambda t: valid[: t[0]] + t[1] + valid[t[0] + 1 :]),
        pos.map(lambda i: valid[:i] + valid[i + 1 :]),
        st.tuples(pos, near_chars).map(lambda t: valid[: t[0]] + t[1] + valid[t[0] :]),
    )


valid_ids = st.builds(
    lambda area, day, seq: id_number(area, f"{day.year:04d}{day.month:02d}{day.day:02d}", seq),
    st.sampled_from(["320602", "110105", "000000", "999999"]),
    st.dates(),
    st.integers(0, 999),
)
valid_usccs = st.builds(
    lambda area, org: uscc(area, org),
    st.text(DIGITS, min_size=6, max_size=6),
    st.text(USCC_ALPHABET, min_size=9, max_size=9),
)
digit_strings = st.text(DIGITS + "X", min_size=16, max_size=20)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(st.text(max_size=24), digit_strings, valid_ids, valid_ids.flatmap(mutated)), max_size=20
    )
)
def test_sql_and_python_id_number_checks_agree(con, values):
    assert_agree(con, "id_number", values)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=24),
            st.text(USCC_ALPHABET + "IOSVZ", min_size=17, max_size=19),
            valid_usccs,
            valid_usccs.flatmap(mutated),
        ),
        max_size=20,
    )
)
def test_sql_and_python_uscc_checks_agree(con, values):
    assert_agree(con, "uscc", values)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=8), st.text(DIGITS, max_size=7)), max_size=20))
def test_sql_and_python_adcode_checks_agree(con, values):
    assert_agree(con, "adcode", values)


def test_sql_check_macros_agree_with_python_on_known_cases(con):
    cases = [P1, P2, P3, P3.lower(), P1[:17], "110105194902290021", "11010500000101002X", "", E1, E1.lower()]
    for v in cases:
        got = sql.run(con, f"SELECT feeds_id_number_problem({sql.lit(v)}), feeds_uscc_problem({sql.lit(v)})")[
            0
        ]
        assert got == (checks.id_number_problem(v), checks.uscc_problem(v)), v


@pytest.mark.parametrize("valid", [P1, P2, P3])
def test_every_single_character_substitution_of_an_id_number_is_rejected_by_sql(con, valid):
    mutants = sorted({valid[:i] + c + valid[i + 1 :] for i in range(18) for c in DIGITS + "Xx"} - {valid})
    got = sql_reasons(con, "id_number", mutants)
    assert all(got[m] is not None and got[m] == checks.id_number_problem(m) for m in mutants)


@pytest.mark.parametrize("valid", [E1, uscc("110000", "000000000")])
def test_every_single_character_substitution_of_a_uscc_is_rejected_by_sql(con, valid):
    mutants = sorted(
        {valid[:i] + c + valid[i + 1 :] for i in range(18) for c in USCC_ALPHABET + "IOSVZa"} - {valid}
    )
    got = sql_reasons(con, "uscc", mutants)
    assert all(got[m] is not None and got[m] == checks.uscc_problem(m) for m in mutants)
