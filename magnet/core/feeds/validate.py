"""Validating one feed with DuckDB, vectorised, and fetching the failing rows only when there are any.

A feed file is first exposed as a view over `read_parquet(..., file_row_number = true)` (CSV input has
already been turned into an ordered Parquet file of text columns by `inputs`), so row numbers are exact
for both formats. Validation then runs in two phases:

1. Counting (always): one aggregate over the rows for NULL tests and cross-column rules, one query per
   checked column over its DISTINCT values (a 30-million-row feed has about a million distinct identity
   numbers and a few hundred months, so the check-character arithmetic runs once per value, not per row),
   and a distinct count per unique column.
2. Locating (only for checks that failed): the first `limit` failing rows in row order, with a reason,
   and the exact number of failing rows.
"""

# SQL here is assembled from the contract's own names (quoted by sql.ident) and literals (quoted by
# sql.lit); no value read from a feed file is ever pasted into SQL text, hence:
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from . import sql
from .contract import AgreesWithIdBirthDate, AgreesWithIdGender, Column, Feed
from .problems import Problem

ROW = "file_row_number"  # 0-based, added by read_parquet


@dataclass
class Source:
    """A feed file ready for SQL: a view named `view` with the file's columns and `file_row_number`."""

    feed: Feed
    file: str  # name for messages, e.g. "persons.csv"
    view: str
    types: dict[str, str]  # contract column -> DuckDB type in the file

    def cols(self) -> dict[str, tuple[Column, str, str]]:
        """Column name -> (Column, source type, normalised SQL value); the view is aliased `s`."""
        return {
            c.name: (c, self.types[c.name], sql.normalized(self.types[c.name], "s." + sql.ident(c.name)))
            for c in self.feed.columns
        }


@dataclass
class FeedResult:
    """Validation outcome for one feed."""

    rows: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first ones, in row order
    total: int = 0


def open_source(
    con: duckdb.DuckDBPyConnection, feed: Feed, file: str, parquet: str
) -> tuple[Source | None, list[Problem], list[str]]:
    """Create the view for a feed's Parquet file and check its columns are there with usable types.

    Returns (source or None, problems, names of extra columns, which are ignored)."""
    view = f"src_{feed.name}"
    try:
        sql.run(
            con,
            f"CREATE OR REPLACE TEMP VIEW {view} AS "
            f"SELECT * FROM read_parquet({sql.lit(parquet)}, {ROW} = true)",
        )
        described = sql.run(con, f"DESCRIBE SELECT * FROM {view}")
    except duckdb.Error as exc:
        return None, [Problem(file, None, None, f"cannot be read: {_first_line(exc)}")], []
    found = {name: typ for name, typ, *_ in described if name != ROW}
    extras = [name for name in found if name not in feed.column_names]
    problems = [
        Problem(file, None, None, f"missing required column {c.name}")
        for c in feed.columns
        if c.name not in found
    ]
    for c in feed.columns:
        if c.name in found and not sql.accepts(c, found[c.name]):
            problems.append(
                Problem(file, None, c.name, f"column type {found[c.name]} cannot hold a {c.type.value} value")
            )
    if problems:
        return None, problems, extras
    return Source(feed, file, view, {c.name: found[c.name] for c in feed.columns}), [], extras


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


@dataclass
class _Check:
    """One counted check: `kind` is "row" (`reason` over the row), "distinct" (the wrong distinct values
    of `column` are in temp table `reason`) or "unique" (`reason` is the value to keep unique)."""

    column: str
    kind: str
    reason: str
    failing: int = 0


def _bad_table(src: Source, column: str) -> str:
    return f"bad_{src.feed.name}_{column}"


def _distinct_checks(con: duckdb.DuckDBPyConnection, src: Source) -> list[_Check]:
    """Check every column that needs more than a NULL test over its distinct values, keeping the wrong
    ones (with their reason) in a temp table per column."""
    checks = []
    for name, (col, typ, v) in src.cols().items():
        if not sql.has_value_checks(col, typ):
            continue
        values, bad = f"dv_{src.feed.name}_{name}", _bad_table(src, name)
        # Materialise the distinct values first: otherwise DuckDB pushes the check below the DISTINCT
        # and evaluates it once per row instead of once per value.
        sql.run(con, f"CREATE OR REPLACE TEMP TABLE {values} AS SELECT DISTINCT {v} AS v FROM {src.view} s")
        sql.run(con, f"CREATE OR REPLACE TEMP TABLE {bad} AS {sql.reasons_select(col, typ, values)}")
        sql.run(con, f"DROP TABLE {values}")
        failing = sql.run(con, f"SELECT count(*) FROM {bad}")[0][0]
        checks.append(_Check(name, "distinct", bad, failing))
    return checks


def _row_source(src: Source, distinct: list[_Check]) -> tuple[str, list[_Check]]:
    """FROM clause for row checks (joined to the wrong-value tables the rules need) and the row checks."""
    cols = src.cols()
    bad = {c.column: c.reason for c in distinct}
    needed: set[str] = set()  # columns whose validity a cross-column rule depends on
    for rule in src.feed.rules:
        if isinstance(rule, AgreesWithIdGender | AgreesWithIdBirthDate):
            needed |= {rule.column, rule.id_column} & bad.keys()
    joins = "".join(f" LEFT JOIN {bad[n]} b_{n} ON {cols[n][2]} = b_{n}.v" for n in sorted(needed))
    valid = {n: f"({cols[n][2]} IS NOT NULL{f' AND b_{n}.v IS NULL' if n in needed else ''})" for n in cols}
    checks = [
        _Check(name, "row", f"CASE WHEN {v} IS NULL THEN 'missing value' END")
        for name, (col, typ, v) in cols.items()
        if not col.nullable and name not in bad
    ]
    checks += [_Check(rule.column, "row", sql.rule_reason(rule, cols, valid)) for rule in src.feed.rules]
    return f"{src.view} s{joins}", checks


def validate_feed(con: duckdb.DuckDBPyConnection, src: Source, limit: int) -> FeedResult:
    """Check every row of `src` against the contract: counts, then (on failure) the first `limit` rows."""
    distinct = _distinct_checks(con, src)
    source, row_checks = _row_source(src, distinct)
    aggregates = ", ".join(
        ["count(*)"] + [f"count(*) FILTER (WHERE ({c.reason}) IS NOT NULL)" for c in row_checks]
    )
    counts = sql.run(con, f"SELECT {aggregates} FROM {source}")[0]
    for check, n in zip(row_checks, counts[1:], strict=True):
        check.failing = n
    unique = []
    for name in src.feed.unique:
        v = src.cols()[name][2]
        dupes = sql.run(con, f"SELECT count({v}) - count(DISTINCT {v}) FROM {src.view} s")[0][0]
        unique.append(_Check(name, "unique", v, dupes))
    result = FeedResult(rows=counts[0])
    order = {c.name: i for i, c in enumerate(src.feed.columns)}
    found: list[Problem] = []
    for check in distinct + row_checks + unique:
        if check.failing:
            problems, total = _locate(con, src, source, check, limit)
            found.extend(problems)
            result.total += total
    found.sort(key=lambda p: (p.row or 0, order.get(p.column or "", -1)))
    result.problems = found[:limit]
    return result


def _locate(
    con: duckdb.DuckDBPyConnection, src: Source, source: str, check: _Check, limit: int
) -> tuple[list[Problem], int]:
    """The first `limit` failing rows of one check, and how many rows fail it (error path only)."""
    v = src.cols()[check.column][2]
    if check.kind == "distinct":
        q = f"""
            SELECT s.{ROW} + 1, b.reason, count(*) OVER ()
            FROM {src.view} s JOIN {check.reason} b ON {v} IS NOT DISTINCT FROM b.v
            ORDER BY 1 LIMIT {int(limit)}"""
    elif check.kind == "unique":
        q = f"""
            SELECT r, 'duplicate {check.column}: the same value is already in row ' || CAST(first AS VARCHAR),
                   count(*) OVER ()
            FROM (SELECT s.{ROW} + 1 AS r, min(s.{ROW} + 1) OVER (PARTITION BY {v}) AS first
                  FROM {src.view} s WHERE {v} IS NOT NULL)
            WHERE r > first ORDER BY 1 LIMIT {int(limit)}"""
    else:
        q = f"""
            SELECT r, reason, count(*) OVER () FROM (
                SELECT s.{ROW} + 1 AS r, ({check.reason}) AS reason FROM {source})
            WHERE reason IS NOT NULL ORDER BY 1 LIMIT {int(limit)}"""
    rows = sql.run(con, q)
    problems = [Problem(src.file, int(r), check.column, reason) for r, reason, _ in rows]
    return problems, (rows[0][2] if rows else 0)


def catalogue_warnings(
    con: duckdb.DuckDBPyConnection, src: Source, catalogues: dict[str, set[str]], limit: int
) -> tuple[list[Problem], int]:
    """Valid codes missing from a caller-supplied catalogue: kept, but reported as warnings."""
    warnings: list[Problem] = []
    total = 0
    cols = src.cols()
    for col in src.feed.columns:
        known = catalogues.get(col.catalogue or "")
        if known is None:
            continue
        con.register("feeds_known", pa.table({"code": pa.array(sorted(known), pa.string())}))
        v = cols[col.name][2]
        well_formed = f"regexp_full_match({v}, {sql.lit(col.pattern.regex)})" if col.pattern else "true"
        rows = sql.run(
            con,
            f"""SELECT s.{ROW} + 1, {v}, count(*) OVER () FROM {src.view} s
                WHERE {v} IS NOT NULL AND {well_formed}
                  AND {v} NOT IN (SELECT code FROM feeds_known)
                ORDER BY 1 LIMIT {int(limit)}""",
        )
        warnings += [
            Problem(src.file, int(r), col.name, f"code {code} is not in the {col.catalogue} catalogue; kept")
            for r, code, _ in rows
        ]
        total += rows[0][2] if rows else 0
    return warnings, total
