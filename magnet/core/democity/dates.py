"""Calendar arithmetic on numpy arrays: months as integers, days as `datetime64[D]`.

A month is the integer `year * 12 + month - 1` (so `2026-10` is 24321): consecutive months are
consecutive integers and "G + 60" is plain addition. Days are `datetime64[D]`; NaT means "none".
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pyarrow as pa

NAT = np.datetime64("NaT", "D")
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


def parse_month(text: str) -> int:
    """`"2026-10"` -> month number.

    >>> parse_month("2026-10") - parse_month("2021-10")
    60
    """
    match = _MONTH.fullmatch(text)
    if not match:
        raise ValueError(f"a month is written YYYY-MM, found {text!r}")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_label(month: int) -> str:
    """Month number -> `YYYY-MM`.

    >>> month_label(parse_month("2019-01"))
    '2019-01'
    """
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def month_labels(first: int, last: int) -> pa.StringArray:
    """Labels of the months `first..last` as an Arrow array, indexed by `month - first`."""
    return pa.array([month_label(m) for m in range(first, last + 1)], pa.string())


def month_start(months: np.ndarray | int) -> np.ndarray:
    """First day of each month number."""
    return (np.asarray(months, dtype=np.int64) - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]")


def month_end(months: np.ndarray | int) -> np.ndarray:
    """Last day of each month number.

    >>> str(month_end(parse_month("2024-02")))
    '2024-02-29'
    """
    return month_start(np.asarray(months, dtype=np.int64) + 1) - np.timedelta64(1, "D")


def month_of(days: np.ndarray) -> np.ndarray:
    """Month number of each day (NaT gives a meaningless value: mask it yourself)."""
    return days.astype("datetime64[M]").astype(np.int64) + 1970 * 12


def year_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[Y]").astype(np.int64) + 1970


def make_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Dates from year, month (1-12) and day; a day past the month's end becomes its last day."""
    months = np.asarray(year, dtype=np.int64) * 12 + np.asarray(month, dtype=np.int64) - 1
    first = month_start(months)
    length = (month_start(months + 1) - first).astype(np.int64)
    return first + np.minimum(np.asarray(day, dtype=np.int64), length) - 1


def add_years(days: np.ndarray, years: np.ndarray | int) -> np.ndarray:
    """Same day `years` later; 29 February maps to 28 February in a common year (the policy book's rule).

    >>> str(add_years(np.array(["2020-02-29"], "datetime64[D]"), 5)[0])
    '2025-02-28'
    """
    month_num = month_of(days)
    day = (days - month_start(month_num)).astype(np.int64) + 1
    return make_dates(month_num // 12 + years, month_num % 12 + 1, day)


def to_date(text: str) -> np.datetime64:
    return np.datetime64(dt.date.fromisoformat(text), "D")


def date32(days: np.ndarray) -> pa.Array:
    """`datetime64[D]` (NaT = null) -> Arrow date32."""
    days = np.asarray(days, dtype="datetime64[D]")
    mask = np.isnat(days)
    values = days.astype(np.int64)
    values[mask] = 0
    return pa.array(values.astype(np.int32), pa.date32(), mask=mask if mask.any() else None)
