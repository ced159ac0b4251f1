"""The feed checks as vectorised DuckDB SQL.

`install_macros` defines `feeds_id_number_problem(v)`, `feeds_uscc_problem(v)` and
`feeds_adcode_problem(v)` on a connection: SQL twins of `checks.id_number_problem`,
`checks.uscc_problem` and `checks.adcode_problem` that return the very same English reasons (a
hypothesis test holds them to that). They are macros, so DuckDB inlines them into each query and
evaluates them a vector at a time.

The other functions build SQL expression text for one contract column given the DuckDB type the
source file has for it: `normalized` (empty string -> NULL), `value_reason` (why a value is wrong, or
NULL), `typed` (the canonical stored value) and `rule_reason` for the cross-column rules. Column
names are always quoted with `ident`, literals with `lit`; nothing from a file's content is ever
pasted into SQL text.
"""

# SQL here is assembled from the contract's own names (quoted by sql.ident) and literals (quoted by
# sql.lit); no value read from a feed file is ever pasted into SQL text, hence:
# ruff: noqa: S608

from __future__ import annotations

import re

import duckdb

from .checks import ID_CHECK_CHARS, ID_WEIGHTS, USCC_ALPHABET, USCC_WEIGHTS
from .contract import (
    AgreesWithIdBirthDate,
    AgreesWithIdGender,
    Check,
    Column,
    ColumnType,
    EmptyWhen,
    RequiredWhen,
    RowRule,
)

DECIMAL_TYPE = "DECIMAL(18,2)"
MAX_DECIMAL = 10**16  # DECIMAL(18,2) holds 16 digits before the point
INTEGER_TYPES = frozenset(
    "TINYINT SMALLINT INTEGER BIGINT HUGEINT UTINYINT USMALLINT UINTEGER UBIGINT UHUGEINT".split()
)
FLOAT_TYPES = frozenset({"FLOAT", "DOUBLE"})
STORED_TYPES = {
    ColumnType.STRING: "VARCHAR",
    ColumnType.DATE: "DATE",
    ColumnType.MONTH: "DATE",
    ColumnType.BOOL: "BOOLEAN",
    ColumnType.DECIMAL: DECIMAL_TYPE,
    ColumnType.INT: "INTEGER",
}


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: str) -> str:
    """A quoted SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _digit(v: str, position: int) -> str:
    """The digit at 1-based `position` of `v` as an integer (ascii('0') = 48); only used once
    the value is known to be made of ASCII digits there."""
    return f"(ascii(substr({v}, {position}, 1)) - 48)"


def _id_sum_sql(n: str) -> str:
    """MOD 11-2 weighted digit sum of the 17-digit integer `n` (digits by integer arithmetic: much faster
    in DuckDB than 17 substrings)."""
    return " + ".join(f"(({n} // {10 ** (16 - i)}) % 10) * {w}" for i, w in enumerate(ID_WEIGHTS))


def _uscc_sum_sql(v: str) -> str:
    alphabet = lit(USCC_ALPHABET)
    return " + ".join(
        f"(strpos({alphabet}, substr({v}, {i + 1}, 1)) - 1) * {w}" for i, w in enumerate(USCC_WEIGHTS)
    )


_USCC_CLASS = "[" + USCC_ALPHABET + "]"

# Performance note: DuckDB evaluates CASE branches lazily and does not share common subexpressions inside
# them, so the weighted sums (`feeds_id_sum`, `feeds_uscc_sum`) are meant to be computed in a projection
# *below* the CASE that uses them (see `prepared`); `feeds_*_problem(v)` compose the two for convenience.
MACROS = f"""
CREATE OR REPLACE MACRO feeds_days_in_month(y, m) AS
    CASE WHEN m IN (4, 6, 9, 11) THEN 30
         WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
         ELSE 31 END;
-- ymd: the integer YYYYMMDD (or NULL). True when that day exists in the proleptic Gregorian calendar,
-- years 1-9999 as Python's datetime.date.
CREATE OR REPLACE MACRO feeds_ymd_ok(ymd) AS coalesce(
    ymd // 10000 >= 1 AND ymd // 10000 <= 9999
    AND (ymd // 100) % 100 BETWEEN 1 AND 12
    AND ymd % 100 BETWEEN 1 AND feeds_days_in_month(ymd // 10000, (ymd // 100) % 100),
    false);
CREATE OR REPLACE MACRO feeds_id_sum(v) AS {_id_sum_sql("TRY_CAST(left(v, 17) AS BIGINT)")};
CREATE OR REPLACE MACRO feeds_id_reason(v, id_sum) AS CASE
    WHEN v IS NULL OR v = '' THEN 'missing identity number'
    WHEN length(v) <> 18 THEN 'must be 18 characters, found ' || CAST(length(v) AS VARCHAR)
    WHEN NOT regexp_full_match(v, '[0-9]{{17}}[0-9X]')
        THEN 'only digits are allowed, and an uppercase X as the last character'
    WHEN NOT feeds_ymd_ok(TRY_CAST(substr(v, 7, 8) AS INTEGER))
        THEN 'birth date ' || substr(v, 7, 8) || ' does not exist'
    WHEN substr(v, 18, 1) <> substr({lit(ID_CHECK_CHARS)}, 1 + CAST(id_sum % 11 AS INTEGER), 1)
        THEN 'wrong check character: expected '
            || substr({lit(ID_CHECK_CHARS)}, 1 + CAST(id_sum % 11 AS INTEGER), 1)
            || ', found ' || substr(v, 18, 1)
    END;
CREATE OR REPLACE MACRO feeds_id_number_problem(v) AS feeds_id_reason(v, feeds_id_sum(v));
CREATE OR REPLACE MACRO feeds_uscc_sum(v) AS {_uscc_sum_sql("v")};
CREATE OR REPLACE MACRO feeds_uscc_reason(v, uscc_sum) AS CASE
    WHEN v IS NULL OR v = '' THEN 'missing unified social credit code'
    WHEN length(v) <> 18 THEN 'must be 18 characters, found ' || CAST(length(v) AS VARCHAR)
    WHEN NOT regexp_full_match(v, '{_USCC_CLASS}{{18}}')
        THEN 'characters not allowed in a USCC: ' || array_to_string(list_sort(list_distinct(
            string_split(regexp_replace(v, '{_USCC_CLASS}', '', 'g'), ''))), ' ')
    WHEN NOT regexp_full_match(substr(v, 3, 6), '[0-9]{{6}}')
        THEN 'characters 3-8 must be the registering authority''s division code'
    WHEN substr(v, 18, 1) <> substr({lit(USCC_ALPHABET)}, 1 + CAST((31 - uscc_sum % 31) % 31 AS INTEGER), 1)
        THEN 'wrong check character: expected '
            || substr({lit(USCC_ALPHABET)}, 1 + CAST((31 - uscc_sum % 31) % 31 AS INTEGER), 1)
            || ', found ' || substr(v, 18, 1)
    END;
CREATE OR REPLACE MACRO feeds_uscc_problem(v) AS feeds_uscc_reason(v, feeds_uscc_sum(v));
CREATE OR REPLACE MACRO feeds_adcode_problem(v) AS CASE
    WHEN v IS NULL OR v = '' THEN 'missing division code'
    WHEN NOT regexp_full_match(v, '[0-9]{{6}}') THEN 'must be 6 digits'
    END;
"""

# check -> (SQL for the reason over `v` and its prepared helper columns, helper columns over `v`)
_CHECK_SQL = {
    Check.ID_NUMBER: ("feeds_id_reason(v, id_sum)", {"id_sum": "feeds_id_sum(v)"}),
    Check.USCC: ("feeds_uscc_reason(v, uscc_sum)", {"uscc_sum": "feeds_uscc_sum(v)"}),
    Check.ADCODE: ("feeds_adcode_problem(v)", {}),
}


def run(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple]:
    """Execute `query` and fetch its whole result (DuckDB refuses new work while a result is unfinished)."""
    return con.execute(query).fetchall()


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the `feeds_*` check macros on `con` (idempotent)."""
    for statement in MACROS.split(";\n"):
        if statement.strip():
            run(con, statement)


def _found(v: str) -> str:
    """SQL text: `'<first 40 characters of v>'`, for reasons that show what was found."""
    return f"'''' || left(CAST({v} AS VARCHAR), 40) || ''''"


def _base_type(src_type: str) -> str:
    return re.sub(r"\(.*\)$", "", src_type.strip().upper())


def accepts(column: Column, src_type: str) -> bool:
    """Whether a source column of DuckDB type `src_type` can carry `column` (text always can,
    except into nothing; native Parquet types only where they mean the same thing)."""
    base = _base_type(src_type)
    if base == "VARCHAR":
        return True
    return {
        ColumnType.STRING: False,
        ColumnType.DATE: base == "DATE",
        ColumnType.MONTH: base == "DATE",
        ColumnType.BOOL: base == "BOOLEAN",
        ColumnType.DECIMAL: base in INTEGER_TYPES or base in FLOAT_TYPES or base == "DECIMAL",
        ColumnType.INT: base in INTEGER_TYPES,
    }[column.type]


def normalized(src_type: str, v: str) -> str:
    """SQL for the source value with the empty string read as NULL (feeds.md: both mean empty)."""
    return f"NULLIF({v}, '')" if _base_type(src_type) == "VARCHAR" else v


def _integer_digits(src_type: str) -> int:
    """How many digits before the point a source numeric type can hold (100 when unbounded)."""
    base = _base_type(src_type)
    if base == "DECIMAL":
        match = re.search(r"\((\d+)\s*,\s*(\d+)\)", src_type)
        return int(match.group(1)) - int(match.group(2)) if match else 100
    return {"TINYINT": 3, "SMALLINT": 5, "INTEGER": 10, "UTINYINT": 3, "USMALLINT": 5, "UINTEGER": 10}.get(
        base, 100
    )


def _decimal_scale(src_type: str) -> int:
    match = re.search(r",\s*(\d+)\)", src_type)
    return int(match.group(1)) if match else 0


def _parse_reason(column: Column, src_type: str, v: str) -> list[tuple[str, str]]:
    """(condition, reason) pairs, in order, that reject a non-NULL value that does not parse as the type."""
    base = _base_type(src_type)
    t = column.type
    if base == "VARCHAR":
        if t is ColumnType.DATE:
            ok = (
                f"regexp_full_match({v}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')"
                f" AND feeds_ymd_ok(TRY_CAST(replace({v}, '-', '') AS INTEGER))"
            )
            return [(f"NOT ({ok})", f"'not a valid date (YYYY-MM-DD): found ' || {_found(v)}")]
        if t is ColumnType.MONTH:
            ok = (
                f"regexp_full_match({v}, '[0-9]{{4}}-[0-9]{{2}}')"
                f" AND feeds_ymd_ok(TRY_CAST(replace({v}, '-', '') || '01' AS INTEGER))"
            )
            return [(f"NOT ({ok})", f"'not a valid month (YYYY-MM): found ' || {_found(v)}")]
        if t is ColumnType.BOOL:
            return [(f"{v} NOT IN ('true', 'false')", f"'must be true or false, found ' || {_found(v)}")]
        if t is ColumnType.DECIMAL:
            return [
                (
                    f"regexp_full_match({v}, '-?[0-9]+\\.[0-9]{{3,}}')",
                    f"'more than 2 decimal places: found ' || {_found(v)}",
                ),
                (
                    f"NOT regexp_full_match({v}, '-?[0-9]+(\\.[0-9]{{1,2}})?')",
                    f"'not a decimal number like 1234.50: found ' || {_found(v)}",
                ),
                (
                    f"NOT regexp_full_match({v}, '-?[0-9]{{1,16}}(\\.[0-9]{{1,2}})?')",
                    f"'out of range (at most 16 digits before the decimal point): found ' || {_found(v)}",
                ),
            ]
        if t is ColumnType.INT:
            return [
                (
                    f"TRY_CAST({v} AS INTEGER) IS NULL OR NOT regexp_full_match({v}, '-?[0-9]{{1,10}}')",
                    f"'not a whole number: found ' || {_found(v)}",
                )
            ]
        return []
    if t is ColumnType.MONTH:  # a native DATE must name a month by its first day
        return [(f"day({v}) <> 1", f"'a month must be given as its first day, found ' || {_found(v)}")]
    if t is ColumnType.DECIMAL:
        pairs = []
        if base in FLOAT_TYPES:
            pairs.append((f"isnan({v}) OR isinf({v})", f"'not a decimal number: found ' || {_found(v)}"))
        if base in FLOAT_TYPES or (base == "DECIMAL" and _decimal_scale(src_type) > 2):
            pairs.append((f"round({v}, 2) <> {v}", f"'more than 2 decimal places: found ' || {_found(v)}"))
        if _integer_digits(src_type) > 16:  # a DECIMAL(p, s) with p - s <= 16 always fits DECIMAL(18,2)
            pairs.append(
                (
                    f"abs({v}) >= {MAX_DECIMAL}",
                    f"'out of range (at most 16 digits before the decimal point): found ' || {_found(v)}",
                )
            )
        return pairs
    if t is ColumnType.INT:
        return [(f"{v} NOT BETWEEN -2147483648 AND 2147483647", f"'out of range: found ' || {_found(v)}")]
    return []


def has_value_checks(column: Column, src_type: str) -> bool:
    """Whether `column` needs more than a NULL test (then it is checked over its distinct values)."""
    return bool(column.check or column.pattern or column.values or _parse_reason(column, src_type, "v"))


def typed(column: Column, src_type: str, v: str) -> str:
    """SQL for the canonical stored value of a (validated, normalised) source value `v`."""
    base = _base_type(src_type)
    t = column.type
    if base == "VARCHAR":
        return {
            ColumnType.STRING: v,
            ColumnType.DATE: f"CAST({v} AS DATE)",
            ColumnType.MONTH: f"CAST({v} || '-01' AS DATE)",
            ColumnType.BOOL: f"CASE {v} WHEN 'true' THEN true WHEN 'false' THEN false END",
            ColumnType.DECIMAL: f"CAST({v} AS {DECIMAL_TYPE})",
            ColumnType.INT: f"CAST({v} AS INTEGER)",
        }[t]
    if t is ColumnType.DECIMAL and base in FLOAT_TYPES:
        return f"CAST(round({v}, 2) AS {DECIMAL_TYPE})"
    return f"CAST({v} AS {STORED_TYPES[t]})"


def value_reason(column: Column, src_type: str) -> str:
    """SQL CASE giving why the normalised source value `v` is wrong for `column`, or NULL.

    Only looks at the one value (a column named `v`, plus the helper columns of `prepared`), so it is
    evaluated once per DISTINCT value of a large feed: see `reasons_select`.
    """
    v = "v"
    missing = {
        Check.ID_NUMBER: "missing identity number",
        Check.USCC: "missing unified social credit code",
        Check.ADCODE: "missing division code",
    }.get(column.check, "missing value")
    whens: list[tuple[str, str]] = []
    if not column.nullable:
        whens.append((f"{v} IS NULL", lit(missing)))
    whens += _parse_reason(column, src_type, v)
    if column.check is not None:
        reason = _CHECK_SQL[column.check][0]
        whens.append((f"{reason} IS NOT NULL", reason))
    if column.pattern is not None:
        whens.append(
            (
                f"NOT regexp_full_match({v}, {lit(column.pattern.regex)})",
                f"{lit('must be ' + column.pattern.described + ', found ')} || {_found(v)}",
            )
        )
    if column.values is not None:
        tv = typed(column, src_type, v)
        listed = ", ".join(str(x) if isinstance(x, int) else lit(x) for x in column.values)
        shown = ", ".join(str(x) for x in column.values)
        whens.append(
            (f"{tv} NOT IN ({listed})", f"{lit('must be one of ' + shown + '; found ')} || {_found(v)}")
        )
    if not whens:
        return "CAST(NULL AS VARCHAR)"
    body = " ".join(f"WHEN {cond} THEN {reason}" for cond, reason in whens)
    # The NULL guard keeps every parse/format test away from empty values, which are valid when nullable.
    return f"CASE {'' if not column.nullable else f'WHEN {v} IS NULL THEN NULL '}{body} END"


def prepared(column: Column) -> dict[str, str]:
    """Helper columns (name -> SQL over `v`) that `value_reason` reads for `column`."""
    return dict(_CHECK_SQL[column.check][1]) if column.check is not None else {}


def reasons_select(column: Column, src_type: str, values: str) -> str:
    """SQL selecting (v, reason) for the values of relation `values` (one column `v`) that are wrong.

    The helper columns are computed in a projection of their own, below the CASE that reads them, so
    DuckDB computes each weighted sum once per value.
    """
    helpers = "".join(f", {expr} AS {name}" for name, expr in prepared(column).items())
    return (
        f"SELECT v, reason FROM (SELECT v, {value_reason(column, src_type)} AS reason"
        f" FROM (SELECT v{helpers} FROM {values})) WHERE reason IS NOT NULL"
    )


def try_typed(column: Column, src_type: str, v: str) -> str:
    """Like `typed` but NULL instead of an error for a value that does not parse."""
    return typed(column, src_type, v).replace("CAST(", "TRY_CAST(", 1)


def rule_reason(rule: RowRule, cols: dict[str, tuple[Column, str, str]], valid: dict[str, str]) -> str:
    """SQL giving why a row breaks a cross-column rule, or NULL.

    `cols` maps column name -> (Column, source type, normalised SQL value); `valid[name]` is SQL that is
    true when that column's value is present and passes its own checks. A rule comparing two columns only
    fires when both are valid, so that one wrong value is reported once. Nested CASEs (not AND) make sure
    the comparison is only evaluated on such rows.
    """
    if isinstance(rule, AgreesWithIdGender | AgreesWithIdBirthDate):
        col, src, v = cols[rule.column]
        _, _, id_v = cols[rule.id_column]
        both_valid = f"{valid[rule.column]} AND {valid[rule.id_column]}"
        if isinstance(rule, AgreesWithIdGender):
            expected = f"CASE WHEN {_digit(id_v, 17)} % 2 = 1 THEN 'M' ELSE 'F' END"
            return (
                f"CASE WHEN NOT ({both_valid}) THEN NULL WHEN {v} <> {expected} THEN "
                f"'gender ' || {v} || ' does not agree with the identity number, whose 17th digit is ' "
                f"|| substr({id_v}, 17, 1) || ' (odd = M, even = F)' END"
            )
        tv = try_typed(col, src, v)
        from_id = f"CAST(try_strptime(substr({id_v}, 7, 8), '%Y%m%d') AS DATE)"
        return (
            f"CASE WHEN NOT ({both_valid}) THEN NULL WHEN {tv} <> {from_id} THEN "
            f"'birth date ' || CAST({tv} AS VARCHAR) || ' does not agree with the identity number, "
            f"whose digits 7-14 give ' || CAST({from_id} AS VARCHAR) END"
        )
    col, _, v = cols[rule.column]
    _, _, when_v = cols[rule.when_column]
    if isinstance(rule, RequiredWhen):
        return (
            f"CASE WHEN {when_v} = {lit(rule.when_value)} AND {v} IS NULL THEN "
            f"{lit(f'required when {rule.when_column} is {rule.when_value}')} END"
        )
    assert isinstance(rule, EmptyWhen)
    return (
        f"CASE WHEN {when_v} = {lit(rule.when_value)} AND {v} IS NOT NULL THEN "
        f"{lit(f'must be empty when {rule.when_column} is {rule.when_value}, found ')} || {_found(v)} END"
    )
