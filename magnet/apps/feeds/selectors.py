"""Reads of snapshots: the list, and people and enterprises in the latest one (through DuckDB)."""

from __future__ import annotations

from pathlib import Path

import duckdb
from django.conf import settings
from django.db.models import QuerySet

from magnet.apps.feeds.models import Snapshot


def snapshot_list() -> QuerySet[Snapshot]:
    return Snapshot.objects.select_related("loaded_by").order_by("-created_at")


def snapshot_latest() -> Snapshot | None:
    return snapshot_list().first()


def snapshot_dir(snapshot_id: str) -> Path:
    return Path(settings.MAGNET_DATA_DIR) / "snapshots" / snapshot_id


def _query(snapshot_id: str, feed: str, where: str, params: list, columns: str = "*") -> list[dict]:
    path = snapshot_dir(snapshot_id) / f"{feed}.parquet"
    if not path.exists():
        return []
    con = duckdb.connect()
    try:
        cursor = con.execute(f"SELECT {columns} FROM read_parquet(?) WHERE {where}", [str(path), *params])  # noqa: S608 (fixed SQL, values bound)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def person_feed_lookup(id_number: str) -> tuple[dict | None, str | None]:
    """The persons row for an identity number in the latest snapshot, and that snapshot's id."""
    latest = snapshot_latest()
    if latest is None:
        return None, None
    rows = _query(latest.id, "persons", "id_number = ?", [id_number])
    return (rows[0] if rows else None), latest.id


def enterprise_feed_lookup(uscc: str) -> tuple[dict | None, str | None]:
    latest = snapshot_latest()
    if latest is None:
        return None, None
    rows = _query(latest.id, "enterprises", "uscc = ?", [uscc])
    return (rows[0] if rows else None), latest.id


def person_record(snapshot_id: str, id_number: str) -> dict | None:
    """Everything the snapshot holds on one person: persons row, degrees, insurance months, homes,
    certificates and businesses."""
    person = _query(snapshot_id, "persons", "id_number = ?", [id_number])
    if not person:
        return None
    return {
        "person": person[0],
        "education": _query(snapshot_id, "education", "id_number = ? ORDER BY graduation_date", [id_number]),
        "social_insurance": _query(snapshot_id, "social_insurance", "id_number = ? ORDER BY month DESC",
                                   [id_number]),
        "property": _query(snapshot_id, "property", "id_number = ? ORDER BY contract_date", [id_number]),
        "skill_certs": _query(snapshot_id, "skill_certs", "id_number = ? ORDER BY issued", [id_number]),
        "business_registrations": _query(snapshot_id, "business_registrations",
                                         "id_number = ? ORDER BY registered", [id_number]),
    }


def person_education(id_number: str) -> list[dict]:
    """The person's degrees in the latest snapshot (学信 data), oldest first."""
    latest = snapshot_latest()
    if latest is None:
        return []
    return _query(latest.id, "education", "id_number = ? ORDER BY graduation_date", [id_number])


def key_enterprises_in_city(snapshot_id: str, *, city: str = "3206", limit: int = 3) -> list[dict]:
    """Key enterprises of the city in a snapshot, by USCC (the demo gives the first ones HR accounts)."""
    return _query(snapshot_id, "enterprises", "key_enterprise AND starts_with(adcode, ?) ORDER BY uscc LIMIT ?",
                  [city, limit])
