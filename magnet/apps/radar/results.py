"""A run's results as files: districts, totals, comparisons and paged reads, all in DuckDB over Arrow/Parquet.

No Django here (the services pass paths and values in), so each step can be tested and reasoned about
on its own. Results are written atomically: a `.partial` file renamed into place, so a reader never sees
half a file and a crash leaves at most a `.partial` behind (removed by the next run).
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from magnet.core.radar import Month

RESULT_SCHEMA = pa.schema(
    [
        ("id_number", pa.string()),
        ("policy", pa.string()),
        ("period", pa.string()),
        ("amount", pa.decimal128(18, 2)),
        ("district", pa.string()),
    ]
)
CHANGES_SCHEMA = pa.schema(
    [
        ("id_number", pa.string()),
        ("policy", pa.string()),
        ("district", pa.string()),
        ("change", pa.string()),
        ("before", pa.decimal128(18, 2)),
        ("after", pa.decimal128(18, 2)),
    ]
)
ZERO = Decimal("0.00")
OTHER = "other"  # the district of a person neither employed nor registered (hukou) in the city
PARTIAL = ".partial"


def with_districts(con: duckdb.DuckDBPyConnection, table: pa.Table, month: Month, city: str) -> pa.Table:
    """The entitlements with each person's district for the month, sorted by policy, district and person.

    The district is the adcode of the person's in-city employee social-insurance row for the month (the
    smallest if several), else their hukou adcode when it is in the city, else 'other'. `con` has the
    snapshot's feeds as views."""
    con.register("radar_entitlements", table)
    try:
        result = con.sql(
            """
            WITH si AS (
                SELECT id_number, min(adcode) AS adcode FROM social_insurance
                WHERE kind = 'employee' AND month = $month AND starts_with(adcode, $city)
                GROUP BY id_number
            )
            SELECT r.id_number, r.policy, r.period, r.amount,
                   coalesce(si.adcode,
                            CASE WHEN starts_with(p.hukou_adcode, $city) THEN p.hukou_adcode END,
                            $other) AS district
            FROM radar_entitlements r
            LEFT JOIN si ON si.id_number = r.id_number
            LEFT JOIN persons p ON p.id_number = r.id_number
            ORDER BY r.policy, district, r.id_number
            """,
            params={"month": dt.date(month.year, month.month, 1), "city": city, "other": OTHER},
        ).to_arrow_table()
    finally:
        con.unregister("radar_entitlements")
    return result.cast(RESULT_SCHEMA)


def totals(con: duckdb.DuckDBPyConnection, table: pa.Table) -> list[dict]:
    """[{policy, district, count, amount}] of a table with districts."""
    con.register("radar_totals_in", table)
    try:
        rows = con.execute(
            "SELECT policy, district, count(*), coalesce(sum(amount), 0) FROM radar_totals_in "
            "GROUP BY policy, district ORDER BY policy, district"
        ).fetchall()
    finally:
        con.unregister("radar_totals_in")
    return [{"policy": p, "district": d, "count": n, "amount": Decimal(a)} for p, d, n, a in rows]


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write Parquet to `<path>.partial`, flush it to disk, then rename it into place."""
    import pyarrow.parquet as pq

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + PARTIAL)
    pq.write_table(table, tmp)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    tmp.replace(path)


def compare(
    con: duckdb.DuckDBPyConnection, new: pa.Table, old_path: Path, policies: list[str]
) -> tuple[list[dict], pa.Table]:
    """What changed from the old results (a Parquet file) to the new ones, over `policies`.

    Returns the summary by policy and district ({policy, district, new, new_amount, gone, gone_amount,
    changed, changed_amount}) and the changed entitlements (`CHANGES_SCHEMA`; change is new, gone or
    changed; the district is the new one, or the old one for those no longer eligible)."""
    con.register("radar_new", new)
    try:
        changes = con.sql(
            """
            WITH n AS (SELECT * FROM radar_new WHERE list_contains($policies, policy)),
                 o AS (SELECT * FROM read_parquet($old) WHERE list_contains($policies, policy))
            SELECT coalesce(n.id_number, o.id_number) AS id_number,
                   coalesce(n.policy, o.policy) AS policy,
                   coalesce(n.district, o.district) AS district,
                   CASE WHEN o.id_number IS NULL THEN 'new' WHEN n.id_number IS NULL THEN 'gone'
                        ELSE 'changed' END AS change,
                   o.amount AS before, n.amount AS after
            FROM n FULL OUTER JOIN o ON n.id_number = o.id_number AND n.policy = o.policy
            WHERE o.id_number IS NULL OR n.id_number IS NULL OR n.amount <> o.amount
            ORDER BY policy, district, change, id_number
            """,
            params={"policies": policies, "old": str(old_path)},
        ).to_arrow_table()
    finally:
        con.unregister("radar_new")
    changes = changes.cast(CHANGES_SCHEMA)
    summary: dict[tuple[str, str], dict] = {}
    for row in _grouped(con, changes):
        entry = summary.setdefault(
            (row["policy"], row["district"]),
            {"policy": row["policy"], "district": row["district"], "new": 0, "new_amount": ZERO,
             "gone": 0, "gone_amount": ZERO, "changed": 0, "changed_amount": ZERO},
        )  # fmt: skip
        kind = row["change"]
        entry[kind] = row["count"]
        entry[f"{kind}_amount"] = {"new": row["after"], "gone": row["before"]}.get(kind, row["after"] - row["before"])
    return list(summary.values()), changes


def whatif(con: duckdb.DuckDBPyConnection, base: pa.Table, draft: pa.Table) -> tuple[list[dict], pa.Table]:
    """Who gains and who loses when the draft replaces the published book.

    Returns the summary by policy and district ({policy, district, gainers, gain, losers, loss, cost,
    before, after}: gain and loss are sums of the increases and decreases, cost their net) and every
    person whose amount differs (`CHANGES_SCHEMA`, change is gain or loss; no entitlement counts as 0)."""
    con.register("radar_base", base)
    con.register("radar_draft", draft)
    try:
        changes = con.sql(
            """
            SELECT coalesce(d.id_number, b.id_number) AS id_number, coalesce(d.policy, b.policy) AS policy,
                   coalesce(d.district, b.district) AS district,
                   CASE WHEN coalesce(d.amount, 0) > coalesce(b.amount, 0) THEN 'gain' ELSE 'loss' END AS change,
                   b.amount AS before, d.amount AS after
            FROM radar_draft d FULL OUTER JOIN radar_base b ON d.id_number = b.id_number AND d.policy = b.policy
            WHERE coalesce(d.amount, 0) <> coalesce(b.amount, 0)
            ORDER BY policy, district, change, id_number
            """
        ).to_arrow_table()
        sums = con.execute(
            """
            SELECT policy, district, sum(b) AS before, sum(a) AS after FROM (
                SELECT policy, district, amount AS b, 0 AS a FROM radar_base
                UNION ALL SELECT policy, district, 0, amount FROM radar_draft)
            GROUP BY policy, district
            """
        ).fetchall()
    finally:
        con.unregister("radar_base")
        con.unregister("radar_draft")
    changes = changes.cast(CHANGES_SCHEMA)
    summary: dict[tuple[str, str], dict] = {
        (p, d): {"policy": p, "district": d, "gainers": 0, "gain": ZERO, "losers": 0, "loss": ZERO,
                 "cost": Decimal(after) - Decimal(before), "before": Decimal(before), "after": Decimal(after)}
        for p, d, before, after in sums
    }  # fmt: skip
    for row in _grouped(con, changes):
        entry = summary[(row["policy"], row["district"])]
        delta = row["after"] - row["before"]
        if row["change"] == "gain":
            entry["gainers"], entry["gain"] = row["count"], delta
        else:
            entry["losers"], entry["loss"] = row["count"], -delta
    return [summary[key] for key in sorted(summary)], changes


def _grouped(con: duckdb.DuckDBPyConnection, changes: pa.Table) -> list[dict]:
    con.register("radar_changes", changes)
    try:
        rows = con.execute(
            "SELECT policy, district, change, count(*), coalesce(sum(before), 0), coalesce(sum(after), 0) "
            "FROM radar_changes GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    finally:
        con.unregister("radar_changes")
    return [
        {"policy": p, "district": d, "change": c, "count": n, "before": Decimal(b), "after": Decimal(a)}
        for p, d, c, n, b, a in rows
    ]


def add_up(rows: list[dict], keys: list[str]) -> dict:
    """The sum of `keys` over rows (for a summary's total line)."""
    return {key: sum((row[key] for row in rows), ZERO if _is_amount(rows, key) else 0) for key in keys}


def _is_amount(rows: list[dict], key: str) -> bool:
    return bool(rows) and isinstance(rows[0][key], Decimal)


# ----------------------------------------------------------------------------------------- reading


def page(
    path: Path,
    *,
    policy: str | None = None,
    district: str | None = None,
    change: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[dict], int]:
    """One page of a result (or changes) file, filtered; each row with its `row` number in the file."""
    con = duckdb.connect(config={"threads": 2, "autoload_known_extensions": False})
    try:
        columns = {r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet($p)", {"p": str(path)}).fetchall()}
        where = ["($policy IS NULL OR policy = $policy)", "($district IS NULL OR district = $district)"]
        params: dict = {"p": str(path), "policy": policy or None, "district": district or None}
        if "change" in columns:
            where.append("($change IS NULL OR change = $change)")
            params["change"] = change or None
        condition = " AND ".join(where)  # fixed fragments; every value is bound
        base = f"FROM read_parquet($p, file_row_number = true) WHERE {condition}"  # noqa: S608
        total = con.execute(f"SELECT count(*) {base}", params).fetchone()[0]  # noqa: S608
        cursor = con.execute(
            f"SELECT * {base} ORDER BY file_row_number LIMIT $limit OFFSET $offset",  # noqa: S608
            {**params, "limit": limit, "offset": offset},
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    finally:
        con.close()
    for row in rows:
        row["row"] = row.pop("file_row_number")
    return rows, total


def row_at(path: Path, row: int) -> dict | None:
    """The row numbered `row` (0-based) of a result file."""
    con = duckdb.connect(config={"threads": 1, "autoload_known_extensions": False})
    try:
        cursor = con.execute(
            "SELECT * EXCLUDE (file_row_number) FROM read_parquet($p, file_row_number = true) "
            "WHERE file_row_number = $row",
            {"p": str(path), "row": row},
        )
        names = [d[0] for d in cursor.description]
        found = cursor.fetchone()
    finally:
        con.close()
    return dict(zip(names, found, strict=True)) if found else None


def districts_of(path: Path) -> list[str]:
    con = duckdb.connect(config={"threads": 1, "autoload_known_extensions": False})
    try:
        return [r[0] for r in con.execute("SELECT DISTINCT district FROM read_parquet($p) ORDER BY 1",
                                          {"p": str(path)}).fetchall()]  # fmt: skip
    finally:
        con.close()


def remove_partials(folder: Path, keep: set[str]) -> list[Path]:
    """Remove `.partial` files left by crashed runs, except those whose run id is in `keep` (still running)."""
    removed = []
    if not folder.is_dir():
        return removed
    for path in folder.glob(f"*{PARTIAL}"):
        run_id = path.name.split(".", 1)[0]
        if run_id not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
