"""The compiled demo book computes exactly what policy-book.md says, and explanations agree with the batch.

The reference is `policy_sql`, a plain DuckDB reading of the book written straight from its text (a
test oracle in the demo-city generator's tests), over the generator's own output; the engine reads the
stored snapshot of the same files.
"""

from __future__ import annotations

import random
import shutil
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from magnet.core.democity.tests import policy_sql
from magnet.core.democity.tests.test_policies import CAST, EXPECTED
from magnet.core.feeds import load_snapshot, open_snapshot
from magnet.core.radar import (
    OUTPUT_SCHEMA,
    ScreeningRefused,
    build,
    connect,
    explain,
    load_book_texts,
    render,
    screen,
    sent_feeds,
    write_output,
)

MONTHS = sorted({m for _, _, m, _ in EXPECTED} | {"2022-01", "2023-07", "2024-02", "2025-06", "2026-10"})


@pytest.fixture(scope="module")
def con(snapshot):
    connection = connect(snapshot)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def oracle(city_source):
    return policy_sql.connect(city_source)


def _rows(table) -> set[tuple]:
    return {(r["id_number"], r["policy"], r["period"], f"{r['amount']:.2f}") for r in table.to_pylist()}


@pytest.mark.parametrize("month", MONTHS)
def test_screening_equals_the_plain_reading_of_the_book(con, oracle, demo_book, month):
    got = screen(con, demo_book, month)
    assert got.schema == OUTPUT_SCHEMA
    want = set()
    for fn in policy_sql.POLICIES.values():
        want |= {(r[0], r[1], r[2], f"{r[3]:.2f}") for r in fn(oracle, month)}
    mine = _rows(got)
    assert mine == want, (sorted(mine - want)[:5], sorted(want - mine)[:5])
    assert len(mine) == len(got), "an entitlement appears twice"


@pytest.mark.parametrize(
    ("key", "policy", "month", "amount"), EXPECTED, ids=[f"{k}-{p}-{m}" for k, p, m, _ in EXPECTED]
)
def test_each_cast_edge_lands_on_its_side(con, demo_book, key, policy, month, amount):
    rows = [r for r in screen(con, demo_book, month, policies=[policy]).to_pylist() if r["id_number"] == CAST[key]]
    if amount is None:
        assert rows == []
    else:
        assert [r["amount"] for r in rows] == [Decimal(amount)]


@pytest.mark.parametrize("month", ["2023-02", "2024-09", "2025-06"])
def test_explanation_agrees_with_the_batch_for_a_random_sample(con, snapshot, demo_book, month):
    batch = {}
    for r in screen(con, demo_book, month).to_pylist():
        batch[(r["id_number"], r["policy"])] = r["amount"]
    persons = pq.read_table(snapshot.feeds["persons"], columns=["id_number"]).column(0).to_pylist()
    eligible = sorted({pid for pid, _ in batch})
    rng = random.Random(month)
    sample = rng.sample(eligible, 15) + rng.sample(persons, 15) + [CAST["leap_day"], CAST["doctor_turns_40"]]
    for pid in sample:
        result = explain(con, demo_book, month, pid)
        assert result.found
        assert result.book_version == demo_book.version
        for p in result.policies:
            assert p.eligible == ((pid, p.policy) in batch), (pid, p.policy)
            assert p.eligible == all(c.passed for c in p.conditions)
            if p.eligible:
                assert p.amount == batch[(pid, p.policy)]
            else:
                assert any(not c.passed for c in p.conditions)


def test_explanation_shows_the_facts_and_parameters_in_words(con, demo_book):
    result = explain(con, demo_book, "2023-03", CAST["leap_day"])
    living = next(p for p in result.policies if p.policy == "living_subsidy")
    age = next(c for c in living.conditions if c.name == "age")
    assert not age.passed and age.zh == "当月1日未超过年龄上限"
    values = {v["key"]: v["value"] for v in age.values}
    assert values["age_on(first_day(M))"] == 35
    assert values["age_limit"] == 35
    degree = next(c for c in living.conditions if c.name == "degree")
    assert degree.passed and {v["key"]: v["value"] for v in degree.values}["highest_degree"] in (
        "bachelor", "master", "doctor", "associate")  # fmt: skip
    params = {p["name"]: p for p in living.parameters}
    assert params["months"]["value"] == 36 and "policy-book.md" in params["months"]["source"]
    assert result.as_dict()["policies"][0]["policy"] == "living_subsidy"


def test_explaining_someone_not_in_the_snapshot_says_so(con, demo_book):
    result = explain(con, demo_book, "2024-01", "11010119900307663X")
    assert not result.found and result.policies == []


def test_a_snapshot_without_a_feed_a_policy_needs_is_refused_naming_both(city_source, tmp_path, demo_book):
    src = tmp_path / "src"
    shutil.copytree(city_source, src)
    (src / "property.parquet").unlink()
    (src / "skill_certs.parquet").unlink()
    stored = load_snapshot(src, tmp_path / "data")
    snap = open_snapshot(tmp_path / "data", stored.id)
    with connect(snap) as c, pytest.raises(ScreeningRefused) as refused:
        screen(c, demo_book, "2024-05", available=sent_feeds(snap))
    message = str(refused.value)
    assert "rent_subsidy needs property" in message
    assert "purchase_subsidy needs property" in message
    assert "skill_subsidy needs skill_certs" in message
    with connect(snap) as c:  # the policies that need only what was sent still run
        rows = screen(c, demo_book, "2024-05", policies=["living_subsidy"], available=sent_feeds(snap))
    assert len(rows) > 0


def test_a_month_that_is_not_a_month_is_refused(con, demo_book):
    for bad in ("2024-13", "2024-1", "24-01", "2024/01", ""):
        with pytest.raises(ScreeningRefused, match="YYYY-MM"):
            screen(con, demo_book, bad)


def test_an_amount_that_gives_nothing_is_refused_not_written(con, demo_book):
    files = dict(demo_book.files)
    files["rent_subsidy.yaml"] = files["rent_subsidy.yaml"].replace(
        "value: {associate: 300, bachelor: 500, master: 800, doctor: 1200}", "value: {doctor: 1200}"
    )
    book = load_book_texts(files)
    with pytest.raises(ScreeningRefused, match="no amount"):
        screen(con, book, "2024-06", policies=["rent_subsidy"])


def test_text_in_an_expression_stays_a_value_never_sql(con, demo_book):
    files = dict(demo_book.files)
    files["skill_subsidy.yaml"] = files["skill_subsidy.yaml"].replace(
        "when: employed_in_city(M)", 'when: employed_in_city(M) and gender != "x\'); DROP TABLE persons; --"'
    )
    book = load_book_texts(files)
    before = len(screen(con, demo_book, "2025-05", policies=["skill_subsidy"]))
    assert len(screen(con, book, "2025-05", policies=["skill_subsidy"])) == before
    assert con.sql("SELECT count(*) FROM persons").fetchall()[0][0] > 0


def test_output_files_have_exactly_the_books_output_columns(con, demo_book, tmp_path):
    table = screen(con, demo_book, "2025-06")
    write_output(table, tmp_path / "out.parquet")
    write_output(table, tmp_path / "out.csv")
    assert pq.read_table(tmp_path / "out.parquet").schema == OUTPUT_SCHEMA
    header = (tmp_path / "out.csv").read_text().splitlines()[0]
    assert header == '"id_number","policy","period","amount"' or header == "id_number,policy,period,amount"
    with pytest.raises(ScreeningRefused, match=".parquet or .csv"):
        write_output(table, tmp_path / "out.xlsx")
    assert not list(tmp_path.glob(".*partial"))


def test_the_query_renders_for_spark_without_duckdb_only_functions(demo_book):
    from magnet.core.radar.language import Month

    text = render(build(demo_book, Month(2025, 6))[0], "spark")
    for duck_only in ("LIST(", "LIST_FILTER", "ARG_MAX", "LIST_CONTAINS", "ARRAY_LENGTH"):
        assert duck_only not in text.upper().replace("COLLECT_LIST(", "")


def test_the_person_index_gives_the_same_explanations(con, snapshot, demo_book, tmp_path):
    from magnet.core.radar.engine import build_person_index, person_bucket, use_person

    index = build_person_index(snapshot, tmp_path / "index")
    assert build_person_index(snapshot, tmp_path / "index") == index  # built once
    persons = pq.read_table(snapshot.feeds["persons"], columns=["id_number"]).column(0).to_pylist()
    sample = random.Random(3).sample(persons, 25) + [CAST["home_seller"], CAST["graduate_founder"]]
    with connect() as by_bucket:
        for pid in sample:
            use_person(by_bucket, snapshot, index, pid)
            assert by_bucket.sql("SELECT count(DISTINCT id_number) FROM persons").fetchall()[0][0] < len(persons) / 50
            for month in ("2022-03", "2024-03"):
                assert (
                    explain(by_bucket, demo_book, month, pid).as_dict() == explain(con, demo_book, month, pid).as_dict()
                )
    assert person_bucket("11010119900307663X") == 663 % 256
    assert not list(tmp_path.glob(".index-*")), "no work folder is left behind"


def test_tiers_follow_the_books_rules_best_first(con, demo_book):
    from magnet.core.radar.engine import tier_of, tiers

    all_tiers = {r["id_number"]: r["tier"] for r in tiers(con, demo_book, "2026-10").to_pylist()}
    assert all_tiers[CAST["doctor_38"]] == "A"
    assert all_tiers[CAST["master_renting"]] == "B"
    assert {"A", "B", "C", "D", "E", None} == set(all_tiers.values())
    for pid in random.Random(5).sample(sorted(all_tiers), 20) + [CAST["skilled_worker"]]:
        result = tier_of(con, demo_book, "2026-10", pid)
        assert result.tier == all_tiers[pid]
        passed = [r["tier"] for r in result.rules if r["passed"]]
        assert (passed[0] if passed else None) == result.tier
    doctor = tier_of(con, demo_book, "2026-10", CAST["doctor_38"])
    assert doctor.rules[0]["passed"] and doctor.rules[0]["zh"].startswith("全日制博士")
    assert {v["key"]: v["value"] for v in doctor.rules[0]["values"]}["highest_degree"] == "doctor"


def test_tier_rules_are_checked_when_the_book_loads(demo_book):
    from magnet.core.radar import BookInvalid

    files = dict(demo_book.files)
    files["book.yaml"] = files["book.yaml"].replace("  - tier: B\n", "  - tier: F\n")
    with pytest.raises(BookInvalid, match="tier must be one of A, B, C, D, E"):
        load_book_texts(files)
    files = dict(demo_book.files)
    files["book.yaml"] = files["book.yaml"].replace("when: highest_degree == 'master' or best_cert_level == 1",
                                                    "when: best_cert_levle")  # fmt: skip
    with pytest.raises(BookInvalid) as invalid:
        load_book_texts(files)
    problem = invalid.value.problems[0]
    assert problem.file == "book.yaml" and problem.suggestion == "best_cert_level"
    assert files["book.yaml"].splitlines()[problem.line - 1].strip().startswith("when: best_cert_levle")


def test_same_named_parameters_of_two_policies_show_their_own_values(con, demo_book):
    result = explain(con, demo_book, "2025-06", CAST["flexible_graduate"])
    shown = {}
    for p in result.policies:
        for c in p.conditions:
            for v in c.values:
                if v["key"] == "months":
                    shown[p.policy] = v["value"]
    assert shown == {"living_subsidy": 36, "flexible_insurance_subsidy": 24}
