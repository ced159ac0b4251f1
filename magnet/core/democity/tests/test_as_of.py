"""Other as-of months: nothing dated after them, and the cast still fits its descriptions."""

# ruff: noqa: S608 - SQL built from paths and months this test controls
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from magnet.core.democity import generate, personas

DATES = {"education": "graduation_date", "property": "contract_date", "skill_certs": "issued",
         "business_registrations": "registered", "enterprises": "established"}  # fmt: skip


@pytest.mark.parametrize(("as_of", "end"), [("2025-03", "2025-03-31"), ("2030-12", "2030-12-31")])
def test_snapshot_stops_at_the_as_of_month(tmp_path, as_of, end):
    generate(tmp_path, persons=2000, seed=3, as_of=as_of)
    con = duckdb.connect()
    for feed, column in DATES.items():
        late = con.sql(
            f"SELECT count(*) FROM read_parquet('{tmp_path / feed}.parquet') WHERE {column} > '{end}'"
        )
        assert late.fetchall() == [(0,)], feed
    months = con.sql(f"SELECT max(month) FROM read_parquet('{tmp_path}/social_insurance.parquet')")
    assert months.fetchall() == [(as_of,)]
    doctor = {p.key: p for p in personas(as_of=as_of)}["doctor_38"]
    assert (dt.date.fromisoformat(end) - doctor.birth_date).days // 365.25 == 38
