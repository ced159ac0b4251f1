"""load_snapshot end to end: valid snapshots are stored, each kind of contract breach is rejected with
its file, row, column and reason, and nothing is ever left half-stored."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from magnet.core.feeds import (
    FEEDS,
    Limits,
    Problem,
    SnapshotRejected,
    list_snapshots,
    load_snapshot,
    open_snapshot,
    register_views,
)

from .factory import E1, P1, P2, P3, id_number, uscc, valid_rows, write_csv, write_parquet, write_snapshot


def snapshots_dir_entries(data: Path) -> list[str]:
    root = data / "snapshots"
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def rejected(src: Path, data: Path, **kwargs) -> SnapshotRejected:
    with pytest.raises(SnapshotRejected) as info:
        load_snapshot(src, data, **kwargs)
    assert snapshots_dir_entries(data) == [], "a rejected load must leave nothing behind"
    return info.value


def only_problem(exc: SnapshotRejected) -> Problem:
    assert exc.total == 1, exc.report()
    return exc.problems[0]


# ------------------------------------------------------------------------------------------ accepted


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_accepts_valid_snapshot_and_stores_every_feed(tmp_path, fmt):
    src = write_snapshot(tmp_path / "in", valid_rows(), fmt)
    snap = load_snapshot(src, tmp_path / "data")
    assert snap.created
    assert snap.row_counts == {name: len(rows) for name, rows in valid_rows().items()}
    assert snap.source_format == {name: fmt for name in FEEDS}
    assert sorted(p.name for p in snap.path.iterdir()) == sorted(
        [f"{n}.parquet" for n in FEEDS] + ["manifest.json"]
    )
    manifest = json.loads((snap.path / "manifest.json").read_text())
    assert manifest["id"] == snap.id and manifest["row_counts"] == snap.row_counts
    assert (
        manifest["sources"]["persons"]["format"] == fmt
        and len(manifest["sources"]["persons"]["sha256"]) == 64
    )
    assert snapshots_dir_entries(tmp_path / "data") == [snap.id]


def test_csv_and_parquet_inputs_give_identical_stored_tables(tmp_path):
    rows = valid_rows()
    stored = []
    for i, (fmt, native) in enumerate([("csv", True), ("parquet", True), ("parquet", False)]):
        snap = load_snapshot(
            write_snapshot(tmp_path / f"in{i}", rows, fmt, native=native), tmp_path / f"d{i}"
        )
        stored.append(
            {
                name: pq.read_table(path)
                for name, path in open_snapshot(tmp_path / f"d{i}", snap.id).feeds.items()
            }
        )
    for name in FEEDS:
        assert stored[0][name].equals(stored[1][name]), name
        assert stored[0][name].equals(stored[2][name]), name


def test_stored_types_are_canonical_and_empty_strings_become_null(tmp_path):
    src = write_snapshot(tmp_path / "in", valid_rows(), "csv")
    snap = load_snapshot(src, tmp_path / "data")
    con = duckdb.connect()
    register_views(con, open_snapshot(tmp_path / "data", snap.id))
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE social_insurance)").fetchall())
    assert types == {
        "id_number": "VARCHAR",
        "month": "DATE",
        "kind": "VARCHAR",
        "employer_uscc": "VARCHAR",
        "adcode": "VARCHAR",
        "base": "DECIMAL(18,2)",
    }
    assert con.execute("SELECT count(*) FROM social_insurance WHERE employer_uscc IS NULL").fetchone() == (1,)
    assert str(con.execute("SELECT min(month) FROM social_insurance").fetchone()[0]) == "2024-01-01"
    assert con.execute("SELECT level FROM skill_certs").fetchone() == (3,)
    assert con.execute("SELECT count(*) FROM property").fetchone() == (1,)


def test_missing_optional_feeds_are_stored_empty_with_their_schema(tmp_path):
    src = write_snapshot(tmp_path / "in", {"persons": valid_rows()["persons"]}, "csv")
    snap = load_snapshot(src, tmp_path / "data")
    assert snap.row_counts["education"] == 0 and snap.source_format["education"] is None
    table = pq.read_table(snap.path / "education.parquet")
    assert table.num_rows == 0 and table.column_names == list(FEEDS["education"].column_names)


def test_loading_the_same_folder_twice_is_a_no_op(tmp_path):
    src = write_snapshot(tmp_path / "in", valid_rows(), "csv")
    first = load_snapshot(src, tmp_path / "data")
    before = (first.path / "manifest.json").stat().st_mtime_ns
    second = load_snapshot(src, tmp_path / "data")
    assert (first.created, second.created) == (True, False)
    assert second.id == first.id and second.row_counts == first.row_counts
    assert (first.path / "manifest.json").stat().st_mtime_ns == before
    assert list_snapshots(tmp_path / "data") == [first.id]


def test_same_content_in_another_folder_has_the_same_id(tmp_path):
    a = load_snapshot(write_snapshot(tmp_path / "a", valid_rows(), "csv"), tmp_path / "d1")
    b = load_snapshot(write_snapshot(tmp_path / "b", valid_rows(), "csv"), tmp_path / "d2")
    assert a.id == b.id


def test_unknown_industry_code_is_a_warning_not_a_rejection(tmp_path):
    src = write_snapshot(tmp_path / "in", valid_rows(), "csv")
    snap = load_snapshot(src, tmp_path / "data", known_industry_codes={"C3731"})
    assert snap.created
    assert snap.warnings == [
        Problem("enterprises.csv", 2, "industry_code", "code C1711 is not in the industry catalogue; kept")
    ]
    again = load_snapshot(src, tmp_path / "data", known_industry_codes={"C3731", "C1711"})
    assert not again.created and again.warnings == []


def test_extra_files_and_columns_are_ignored_with_a_warning(tmp_path):
    rows = valid_rows()
    src = write_snapshot(tmp_path / "in", rows, "csv")
    (src / "README.txt").write_text("notes")
    write_csv(src, "persons", rows["persons"], list(FEEDS["persons"].column_names) + ["remark"])
    snap = load_snapshot(src, tmp_path / "data")
    assert Problem("README.txt", None, None, "not a feed of the contract; ignored") in snap.warnings
    assert Problem("persons.csv", None, "remark", "column not in the contract; ignored") in snap.warnings
    assert pq.read_table(snap.path / "persons.parquet").column_names == list(FEEDS["persons"].column_names)


def test_stale_work_directory_from_a_crash_is_removed_by_the_next_load(tmp_path):
    stale = tmp_path / "data" / "snapshots" / ".work-crashed"
    (stale / "out").mkdir(parents=True)
    (stale / "out" / "persons.parquet").write_bytes(b"half")
    snap = load_snapshot(write_snapshot(tmp_path / "in", valid_rows(), "csv"), tmp_path / "data")
    assert snapshots_dir_entries(tmp_path / "data") == [snap.id]


def test_register_views_exposes_every_feed_to_duckdb(tmp_path):
    snap = load_snapshot(write_snapshot(tmp_path / "in", valid_rows(), "parquet"), tmp_path / "data")
    con = duckdb.connect()
    names = register_views(con, open_snapshot(tmp_path / "data", snap.id), prefix="s_")
    assert names == [f"s_{n}" for n in FEEDS]
    assert con.execute("SELECT count(*) FROM s_persons JOIN s_education USING (id_number)").fetchone() == (2,)


def test_open_snapshot_refuses_an_id_that_is_not_a_content_hash(tmp_path):
    with pytest.raises(ValueError):
        open_snapshot(tmp_path, "../../etc")


# ------------------------------------------------------------------------------------------ bad values

BAD_ID = P2[:17] + ("1" if P2[17] != "1" else "2")


def _edit(feed: str, index: int, **changes):
    def apply(rows):
        rows[feed][index] = {**rows[feed][index], **changes}

    return apply


BAD_VALUES = {
    "bad_check_digit": (
        _edit("persons", 1, id_number=BAD_ID),
        "persons",
        2,
        "id_number",
        f"wrong check character: expected {P2[17]}, found {BAD_ID[17]}",
    ),
    "impossible_birth_date_in_id": (
        _edit("persons", 0, id_number=id_number("320602", "19900230", 123)),
        "persons",
        1,
        "id_number",
        "birth date 19900230 does not exist",
    ),
    "wrong_length": (
        _edit("persons", 0, id_number=P1[:17]),
        "persons",
        1,
        "id_number",
        "must be 18 characters, found 17",
    ),
    "lowercase_x": (
        _edit("persons", 2, id_number=P3.lower()),
        "persons",
        3,
        "id_number",
        "only digits are allowed, and an uppercase X as the last character",
    ),
    "gender_mismatch": (
        _edit("persons", 0, gender="F"),
        "persons",
        1,
        "gender",
        "gender F does not agree with the identity number, whose 17th digit is 3 (odd = M, even = F)",
    ),
    "birth_date_mismatch": (
        _edit("persons", 0, birth_date="1990-01-02"),
        "persons",
        1,
        "birth_date",
        "birth date 1990-01-02 does not agree with the identity number, whose digits 7-14 give 1990-01-01",
    ),
    "bad_uscc": (
        _edit("enterprises", 1, uscc=E1[:17] + ("0" if E1[17] != "0" else "1")),
        "enterprises",
        2,
        "uscc",
        "wrong check character",
    ),
    "bad_adcode": (
        _edit("persons", 1, hukou_adcode="32061"),
        "persons",
        2,
        "hukou_adcode",
        "must be 6 digits",
    ),
    "bad_enum": (
        _edit("education", 0, degree="phd"),
        "education",
        1,
        "degree",
        "must be one of associate, bachelor, master, doctor; found 'phd'",
    ),
    "bad_month": (
        _edit("social_insurance", 2, month="2024-13"),
        "social_insurance",
        3,
        "month",
        "not a valid month (YYYY-MM): found '2024-13'",
    ),
    "impossible_date": (
        _edit("education", 1, graduation_date="2010-02-30"),
        "education",
        2,
        "graduation_date",
        "not a valid date (YYYY-MM-DD): found '2010-02-30'",
    ),
    "decimal_with_3_places": (
        _edit("social_insurance", 0, base="8000.505"),
        "social_insurance",
        1,
        "base",
        "more than 2 decimal places: found '8000.505'",
    ),
    "bad_bool": (
        _edit("enterprises", 0, key_enterprise="yes"),
        "enterprises",
        1,
        "key_enterprise",
        "must be true or false, found 'yes'",
    ),
    "bad_int_level": (
        _edit("skill_certs", 0, level=7),
        "skill_certs",
        1,
        "level",
        "must be one of 1, 2, 3, 4, 5",
    ),
    "bad_major_code": (
        _edit("education", 0, major_code="08090"),
        "education",
        1,
        "major_code",
        "must be 6 digits",
    ),
    "missing_required_value": (_edit("persons", 2, name=""), "persons", 3, "name", "missing value"),
    "employee_without_employer": (
        _edit("social_insurance", 1, employer_uscc=None),
        "social_insurance",
        2,
        "employer_uscc",
        "required when kind is employee",
    ),
    "flexible_with_employer": (
        _edit("social_insurance", 2, employer_uscc=E1),
        "social_insurance",
        3,
        "employer_uscc",
        f"must be empty when kind is flexible, found '{E1}'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_rejects_snapshot_with_bad_value(tmp_path, case):
    edit, feed, row, column, reason = BAD_VALUES[case]
    rows = valid_rows()
    edit(rows)
    exc = rejected(write_snapshot(tmp_path / "in", rows, "csv"), tmp_path / "data")
    problem = only_problem(exc)
    assert (problem.file, problem.row, problem.column) == (f"{feed}.csv", row, column)
    assert reason in problem.reason


def test_rejects_snapshot_with_bad_check_digit_in_parquet_too(tmp_path):
    rows = valid_rows()
    rows["persons"][1]["id_number"] = BAD_ID
    exc = rejected(write_snapshot(tmp_path / "in", rows, "parquet"), tmp_path / "data")
    assert only_problem(exc) == Problem(
        "persons.parquet", 2, "id_number", f"wrong check character: expected {P2[17]}, found {BAD_ID[17]}"
    )


def test_rejects_duplicate_persons_id_number(tmp_path):
    rows = valid_rows()
    rows["persons"].append(dict(rows["persons"][0]))
    exc = rejected(write_snapshot(tmp_path / "in", rows, "csv"), tmp_path / "data")
    assert only_problem(exc) == Problem(
        "persons.csv", 4, "id_number", "duplicate id_number: the same value is already in row 1"
    )


def test_rejects_duplicate_enterprise_uscc(tmp_path):
    rows = valid_rows()
    rows["enterprises"][1]["uscc"] = E1
    exc = rejected(write_snapshot(tmp_path / "in", rows, "parquet"), tmp_path / "data")
    assert only_problem(exc).column == "uscc" and only_problem(exc).row == 2


def test_rejects_parquet_decimal_with_3_places_and_month_not_first_day(tmp_path):
    import datetime as dt
    from decimal import Decimal

    import pyarrow as pa

    rows = valid_rows()
    src = write_snapshot(tmp_path / "in", rows, "parquet")
    table = pq.read_table(src / "social_insurance.parquet")
    base = pa.array([Decimal("8000.505"), Decimal("1.000"), Decimal("2.500")], pa.decimal128(18, 3))
    month = pa.array([dt.date(2024, 1, 1), dt.date(2024, 2, 2), dt.date(2024, 3, 1)], pa.date32())
    table = table.set_column(table.column_names.index("base"), "base", base)
    table = table.set_column(table.column_names.index("month"), "month", month)
    pq.write_table(table, src / "social_insurance.parquet")
    exc = rejected(src, tmp_path / "data")
    assert [(p.row, p.column) for p in exc.problems] == [(1, "base"), (2, "month")]
    assert "more than 2 decimal places" in exc.problems[0].reason


# ------------------------------------------------------------------------------------------ bad files


def test_rejects_snapshot_without_persons_file(tmp_path):
    rows = valid_rows()
    del rows["persons"]
    exc = rejected(write_snapshot(tmp_path / "in", rows, "csv"), tmp_path / "data")
    assert only_problem(exc) == Problem(
        "persons", None, None, "the required persons feed is missing (persons.parquet or persons.csv)"
    )


def test_rejects_file_missing_a_required_column(tmp_path):
    rows = valid_rows()
    src = write_snapshot(tmp_path / "in", rows, "csv")
    write_csv(src, "persons", rows["persons"], [c for c in FEEDS["persons"].column_names if c != "name"])
    assert only_problem(rejected(src, tmp_path / "data")) == Problem(
        "persons.csv", None, None, "missing required column name"
    )


def test_rejects_parquet_missing_a_required_column(tmp_path):
    rows = valid_rows()
    src = write_snapshot(tmp_path / "in", rows, "parquet")
    table = pq.read_table(src / "education.parquet").drop_columns(["degree"])
    pq.write_table(table, src / "education.parquet")
    assert only_problem(rejected(src, tmp_path / "data")) == Problem(
        "education.parquet", None, None, "missing required column degree"
    )


def test_rejects_parquet_column_of_the_wrong_type(tmp_path):
    import pyarrow as pa

    src = write_snapshot(tmp_path / "in", valid_rows(), "parquet")
    table = pq.read_table(src / "persons.parquet")
    table = table.set_column(5, "phone", pa.array([1, 2, 3], pa.int64()))
    pq.write_table(table, src / "persons.parquet")
    problem = only_problem(rejected(src, tmp_path / "data"))
    assert (problem.file, problem.row, problem.column) == ("persons.parquet", None, "phone")
    assert "BIGINT" in problem.reason


def test_rejects_csv_with_a_byte_order_mark(tmp_path):
    src = write_snapshot(tmp_path / "in", valid_rows(), "csv")
    path = src / "persons.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    problem = only_problem(rejected(src, tmp_path / "data"))
    assert (problem.file, problem.row, problem.column) == ("persons.csv", None, None)
    assert "byte order mark" in problem.reason


def test_rejects_csv_with_invalid_utf8_naming_row_and_column(tmp_path):
    src = write_snapshot(tmp_path / "in", valid_rows(), "csv")
    path = src / "persons.csv"
    path.write_bytes(path.read_bytes().replace("李娜".encode(), b"\xe6\x9d\xff"))
    assert only_problem(rejected(src, tmp_path / "data")) == Problem(
        "persons.csv", 2, "name", "not valid UTF-8 (byte 1 of the value)"
    )


def test_rejects_csv_row_with_the_wrong_number_of_fields(tmp_path):
    src = write_snapshot(tmp_path / "in", valid_rows(), "csv")
    path = src / "education.csv"
    lines = path.read_text().splitlines()
    lines[2] += ",extra"
    path.write_text("\n".join(lines) + "\n")
    assert only_problem(rejected(src, tmp_path / "data")) == Problem(
        "education.csv", 2, None, "expected 9 fields, found 10 fields"
    )


def test_csv_value_spanning_lines_keeps_row_numbers_exact(tmp_path):
    rows = valid_rows()
    rows["persons"][0]["name"] = "张\n伟"
    rows["persons"][2]["hukou_adcode"] = "1101"
    exc = rejected(write_snapshot(tmp_path / "in", rows, "csv"), tmp_path / "data")
    assert (only_problem(exc).row, only_problem(exc).column) == (3, "hukou_adcode")


def test_rejects_renamed_non_parquet_file(tmp_path):
    rows = valid_rows()
    src = write_snapshot(tmp_path / "in", rows, "csv")
    (src / "persons.csv").rename(src / "persons.parquet")
    assert only_problem(rejected(src, tmp_path / "data")) == Problem(
        "persons.parquet", None, None, "not a Parquet file: it does not start and end with PAR1"
    )


def test_rejects_parquet_file_named_csv(tmp_path):
    src = write_snapshot(tmp_path / "in", valid_rows(), "parquet")
    (src / "persons.parquet").rename(src / "persons.csv")
    assert "Parquet file, not CSV" in only_problem(rejected(src, tmp_path / "data")).reason


def test_rejects_feed_sent_in_both_formats(tmp_path):
    rows = valid_rows()
    src = write_snapshot(tmp_path / "in", rows, "csv")
    write_parquet(src, "education", rows["education"])
    assert "both education.csv and education.parquet" in only_problem(rejected(src, tmp_path / "data")).reason


def test_rejects_feed_with_unknown_file_type(tmp_path):
    src = write_snapshot(tmp_path / "in", valid_rows(), "csv")
    (src / "property.xlsx").write_bytes(b"PK\x03\x04")
    problem = only_problem(rejected(src, tmp_path / "data"))
    assert (problem.file, problem.column) == ("property.xlsx", None) and "unknown file type" in problem.reason


def test_rejects_feed_file_that_is_a_symlink(tmp_path):
    rows = valid_rows()
    src = write_snapshot(tmp_path / "in", rows, "csv")
    (src / "education.csv").rename(tmp_path / "elsewhere.csv")
    (src / "education.csv").symlink_to(tmp_path / "elsewhere.csv")
    assert "not a regular file" in only_problem(rejected(src, tmp_path / "data")).reason


def test_rejects_oversize_file_and_too_many_rows(tmp_path):
    src = write_snapshot(tmp_path / "in", valid_rows(), "csv")
    exc = rejected(src, tmp_path / "d1", limits=Limits(max_file_bytes=200))
    assert any("over the limit of 200 bytes" in p.reason for p in exc.problems)
    exc = rejected(src, tmp_path / "d2", limits=Limits(max_rows=2))
    assert Problem("persons.csv", None, None, "more than 2 rows, the limit") in exc.problems


def test_rejects_parquet_that_decompresses_over_the_limit(tmp_path):
    src = write_snapshot(tmp_path / "in", valid_rows(), "parquet")
    exc = rejected(src, tmp_path / "data", limits=Limits(max_parquet_uncompressed_bytes=100))
    assert any("decompresses to" in p.reason for p in exc.problems)


def test_reports_problems_of_every_file_in_file_then_row_order(tmp_path):
    rows = valid_rows()
    rows["enterprises"][0]["adcode"] = "x"
    rows["persons"][2]["gender"] = "M"
    rows["persons"][0]["hukou_adcode"] = ""
    rows["social_insurance"][0]["kind"] = "other"
    exc = rejected(write_snapshot(tmp_path / "in", rows, "csv"), tmp_path / "data")
    assert [(p.file, p.row, p.column) for p in exc.problems] == [
        ("persons.csv", 1, "hukou_adcode"),
        ("persons.csv", 3, "gender"),
        ("social_insurance.csv", 1, "kind"),
        ("enterprises.csv", 1, "adcode"),
    ]
    assert exc.total == 4


def test_caps_problems_at_max_problems_and_counts_them_all(tmp_path):
    rows = valid_rows()
    bad = [
        {**rows["persons"][0], "id_number": id_number("320602", "19900101", i)[:17] + "Y", "gender": "F"}
        for i in range(150)
    ]
    rows["persons"] = bad
    exc = rejected(write_snapshot(tmp_path / "in", rows, "csv"), tmp_path / "data")
    assert exc.total == 150 and len(exc.problems) == 100
    assert [p.row for p in exc.problems] == list(range(1, 101))
    assert exc.report().splitlines()[0] == "Snapshot rejected: 150 problems (the first 100 are listed)."
    assert exc.as_dict()["total"] == 150 and exc.as_dict()["shown"] == 100
    small = rejected(write_snapshot(tmp_path / "in", rows, "csv"), tmp_path / "d2", max_problems=5)
    assert (small.total, len(small.problems)) == (150, 5)


def test_rejection_report_is_readable(tmp_path):
    rows = valid_rows()
    rows["persons"][1]["id_number"] = BAD_ID
    exc = rejected(write_snapshot(tmp_path / "in", rows, "csv"), tmp_path / "data")
    assert exc.report() == (
        "Snapshot rejected: 1 problem.\n"
        "- persons.csv, row 2, column id_number: "
        f"wrong check character: expected {P2[17]}, found {BAD_ID[17]}"
    )


def test_employer_uscc_is_checked_in_social_insurance(tmp_path):
    rows = valid_rows()
    rows["social_insurance"][0]["employer_uscc"] = uscc()[:-1] + "I"
    problem = only_problem(rejected(write_snapshot(tmp_path / "in", rows, "csv"), tmp_path / "data"))
    assert problem == Problem(
        "social_insurance.csv", 1, "employer_uscc", "characters not allowed in a USCC: I"
    )
