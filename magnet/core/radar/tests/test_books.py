"""The shipped policy books: each loads, each of its cases passes, the Nantong book uses every rule kind
the engine knows, and a broken book is refused with file, line, column and a suggestion."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import magnet
from magnet.core.radar import BookInvalid, load_book, load_book_texts, screen
from magnet.core.radar.engine import case_tables, connect, run_case

BOOKS = Path(magnet.__file__).parent / "policybooks"
FOLDERS = sorted(p for p in BOOKS.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


@cache
def _book(folder: Path):
    return load_book(folder)


def _case_params() -> list:
    params = []
    for folder in FOLDERS:
        try:
            book = _book(folder)
        except BookInvalid:
            continue  # test_book_loads reports it
        for policy in book.policies:
            for n in range(len(policy.cases)):
                params.append(pytest.param(folder, policy.id, n, id=f"{folder.name}/{policy.id}/{n + 1}"))
    return params


@pytest.fixture(scope="module")
def con():
    connection = connect(threads=1)
    yield connection
    connection.close()


def test_books_are_found():
    assert {"demo", "nantong"} <= {f.name for f in FOLDERS}


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_book_loads(folder):
    assert (folder / "book.yaml").is_file(), f"{folder} has no book.yaml"
    try:
        book = _book(folder)
    except BookInvalid as e:
        pytest.fail("\n".join(str(p) for p in e.problems))
    assert book.policies
    assert all(policy.cases for policy in book.policies), "every policy carries cases"


@pytest.mark.parametrize(("folder", "policy_id", "index"), _case_params())
def test_case_passes(con, folder, policy_id, index):
    book = _book(folder)
    case = book.policy(policy_id).cases[index]
    result = run_case(con, book, policy_id, case)
    assert result.passed, f"{result.file}:{result.line}: {result.case}: {result.difference}"


# ------------------------------------------------------------------------------------ the Nantong book


@pytest.fixture(scope="module")
def nantong():
    return _book(BOOKS / "nantong")


def test_nantong_is_the_real_city(nantong):
    assert nantong.name == "nantong"
    assert nantong.city == "3206"
    assert nantong.title["zh"] and nantong.title["en"]


def test_nantong_uses_every_rule_kind(nantong):
    policies = nantong.policies
    pools = [p for p in policies if p.budget_pool and p.budget_pool["order"] == "first_come"]
    assert pools and all(p.budget_pool["amount"] > 0 for p in pools)
    assert any(p.direction == "recovery" for p in policies)
    assert any(p.period == "previous_year" and p.kind == "annual" for p in policies)
    assert any(p.needs_feeds for p in policies)
    assert any("starts_with(employer_uscc" in c.text for p in policies for c in p.conditions)
    assert any("sum_of(social_insurance" in d.text for p in policies for d in p.definitions.values())
    assert any(p.caps.get("periods") for p in policies)
    assert any(p.not_with for p in policies)


def test_nantong_cites_its_sources(nantong):
    for policy in nantong.policies:
        assert policy.basis.get("document") and policy.basis.get("url"), policy.id
        assert len(policy.cases) >= 2, policy.id
        for name, parameter in policy.parameters.items():
            for _, _, source in parameter.values:
                assert source.strip(), f"{policy.id}.{name} has no source"
        for feed, why in policy.needs_feeds.items():
            assert why.strip(), f"{policy.id}: needs_feeds.{feed} must say why"


def test_annual_settlement_is_labelled_with_the_previous_year(con, nantong):
    policy = nantong.policy("flexible_insurance_subsidy")
    case = next(c for c in policy.cases if str(c.month) == "2025-03")
    tables, _ = case_tables(case)
    for feed, table in tables.items():
        con.register(f"case_{feed}", table)
        con.execute(f'CREATE OR REPLACE TEMP VIEW "{feed}" AS SELECT * FROM "case_{feed}"')
    try:
        result = screen(con, nantong, case.month, policies=[policy.id])
    finally:
        for feed in tables:
            con.unregister(f"case_{feed}")
    assert len(result) > 0
    assert set(result.column("period").to_pylist()) == {"2024"}


# ------------------------------------------------------------------------------ books that do not load

BOOK = """\
name: t
title: {zh: 测试, en: Test}
city: "3206"
policies: [subsidy]
"""

POLICY = """\
id: subsidy
names: {zh: 测试补贴, en: Test subsidy}
basis: {document: test}
kind: monthly
mode: auto
effective: {from: 2022-01-01}
conditions:
  - name: degree
    zh: 有学历
    en: has a degree
    when: WHEN
amount: 100
"""


def _load(policy: str):
    return load_book_texts({"book.yaml": BOOK, "subsidy.yaml": policy})


def _problems(policy: str):
    with pytest.raises(BookInvalid) as raised:
        _load(policy)
    return raised.value.problems


def _position(text: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_a_small_book_loads():
    book = _load(POLICY.replace("WHEN", "highest_degree is not null"))
    assert [p.id for p in book.policies] == ["subsidy"]


def test_a_misspelt_fact_gives_its_place_and_a_suggestion():
    text = POLICY.replace("WHEN", "highest_degre is not null")
    [problem] = _problems(text)
    assert (problem.file, problem.line, problem.column) == ("subsidy.yaml", *_position(text, "highest_degre "))
    assert problem.suggestion == "highest_degree"
    assert "unknown name 'highest_degre'" in problem.message and "did you mean 'highest_degree'" in problem.message


def test_a_misspelt_fact_inside_a_literal_block_is_placed_on_its_own_line():
    text = POLICY.replace("WHEN", "|-\n      highest_degree is not null\n      and graduation_mont <= M")
    [problem] = _problems(text)
    assert (problem.line, problem.column) == _position(text, "graduation_mont ")
    assert problem.suggestion == "graduation_month"


def test_a_misspelt_fact_inside_a_folded_block_is_placed_on_its_own_line():
    text = POLICY.replace("WHEN", ">-\n      highest_degree is not null\n      and graduation_mont <= M")
    [problem] = _problems(text)
    assert (problem.line, problem.column) == _position(text, "graduation_mont ")


def test_a_type_error_names_the_argument():
    text = POLICY.replace("WHEN", "age_on(M) < 35")
    [problem] = _problems(text)
    assert (problem.file, problem.line, problem.column) == ("subsidy.yaml", *_position(text, "M)"))
    assert "argument 1 of age_on must be a date, not a month" in problem.message


def test_an_unknown_key_in_a_policy_file():
    text = POLICY.replace("WHEN", "highest_degree is not null").replace("amount: 100", "amout: 100")
    problems = _problems(text)
    unknown = [p for p in problems if "unknown key 'amout'" in p.message]
    assert len(unknown) == 1
    assert (unknown[0].file, unknown[0].line, unknown[0].column) == ("subsidy.yaml", *_position(text, "amout"))
    assert unknown[0].suggestion == "amount"
    assert any("a policy needs 'amount'" in p.message for p in problems)


def test_a_condition_that_is_not_true_or_false():
    text = POLICY.replace("WHEN", "graduation_month + 1")
    [problem] = _problems(text)
    assert (problem.file, problem.line, problem.column) == ("subsidy.yaml", *_position(text, "graduation_month + 1"))
    assert "condition degree must be true or false, not a month" in problem.message


# ------------------------------------------------------------- engine gaps found writing the Nantong book

CASE = """\
cases:
  - name: a graduate of 2023 employed in the city
    month: 2024-06
    feeds:
      persons:
        - {person: a, birth_date: 2000-01-01}
      education:
        - {person: a, degree: bachelor, graduation_date: 2023-06-30}
      social_insurance:
        - {person: a, months: 2024-06..2024-06}
    expect: {a: 100}
"""


def _case_result(policy: str):
    book = _load(policy + CASE)
    with connect(threads=1) as connection:
        return run_case(connection, book, "subsidy", book.policy("subsidy").cases[0])


def test_the_gap_probes_pass_when_written_around_the_gaps():
    result = _case_result(POLICY.replace("WHEN", "year(M) - 1 == 2023 and year(graduation_month) == 2023"))
    assert result.passed, result.difference


def test_year_of_a_date():
    result = _case_result(POLICY.replace("WHEN", "year(graduation_date) == 2023"))
    assert result.passed, result.difference


def test_a_degree_table_indexed_by_a_written_degree():
    policy = POLICY.replace("WHEN", "highest_degree is not null").replace(
        "amount: 100",
        "parameters:\n  rates:\n    type: table[degree, decimal]\n    values:\n"
        "      - {from: 2022-01-01, value: {bachelor: 100, master: 100}, source: test}\namount: rates['master']",
    )
    result = _case_result(policy)
    assert result.passed, result.difference


def test_year_of_a_feed_month():
    result = _case_result(POLICY.replace("WHEN", "any(social_insurance, year(month) == 2024)"))
    assert result.passed, result.difference


def test_months_between_the_month_and_a_feed_month():
    result = _case_result(POLICY.replace("WHEN", "any(social_insurance, M - month == 0)"))
    assert result.passed, result.difference
