"""CSV and Parquet outputs hold the same data, and the CSV follows the letter of `feeds.md`."""

# ruff: noqa: S608 - SQL built from paths this test controls
from __future__ import annotations

import re

import duckdb
import pytest

from magnet.core.democity.output import FEEDS


@pytest.mark.parametrize("feed", FEEDS)
def test_csv_and_parquet_hold_the_same_rows(city, city_csv, feed):
    con = duckdb.connect()
    con.execute(f"CREATE VIEW p AS SELECT * FROM read_parquet('{city / f'{feed}.parquet'}')")
    # Read the CSV with the Parquet file's types, so that codes keep their leading zeros.
    types = dict(con.sql("SELECT column_name, column_type FROM (DESCRIBE p)").fetchall())
    columns = ", ".join(f"'{k}': '{v}'" for k, v in types.items())
    con.execute(
        f"CREATE VIEW c AS SELECT * FROM read_csv('{city_csv / f'{feed}.csv'}', header = true, "
        f"columns = {{{columns}}}, nullstr = '')"
    )
    assert con.sql("SELECT count(*) FROM p").fetchall() == con.sql("SELECT count(*) FROM c").fetchall()
    assert con.sql("SELECT count(*) FROM (SELECT * FROM p EXCEPT ALL SELECT * FROM c)").fetchall() == [(0,)]
    assert con.sql("SELECT count(*) FROM (SELECT * FROM c EXCEPT ALL SELECT * FROM p)").fetchall() == [(0,)]


def test_csv_text_is_plain_utf8_with_iso_dates_bools_and_two_decimals(city_csv):
    raw = (city_csv / "property.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and b'"' not in raw
    lines = raw.decode("utf-8").splitlines()
    assert lines[0] == "id_number,property_id,adcode,use,contract_date,price,sold_date"
    assert all(
        re.fullmatch(
            r"[0-9X]{18},[0-9A-Z]{28},[0-9]{6},(residential|commercial),"
            r"[0-9]{4}-[0-9]{2}-[0-9]{2},[0-9]+\.[0-9]{2},([0-9]{4}-[0-9]{2}-[0-9]{2})?",
            line,
        )
        for line in lines[1:]
    )
    education = (city_csv / "education.csv").read_text("utf-8").splitlines()
    assert {line.split(",")[2] for line in education[1:]} == {"true", "false"}
    insurance = (city_csv / "social_insurance.csv").read_text("utf-8").splitlines()[1:2000]
    assert all(
        re.fullmatch(
            r"[0-9X]{18},20[0-9]{2}-[0-9]{2},(employee,[0-9A-Z]{18}|flexible,),[0-9]{6},"
            r"[0-9]+\.[0-9]{2}",
            line,
        )
        for line in insurance
    )
