"""Database triggers that keep the ledger immutable: journal entries and postings are never updated or
deleted (a correction is a reversing entry). Like the audit log's, kept here so tests that must empty
every table can lift them for the flush only."""

from __future__ import annotations

TABLES = ("grants_journalentry", "grants_posting", "grants_grantevent")

SQLITE = [
    stmt
    for table in TABLES
    for stmt in (
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: post a reversing entry'); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: post a reversing entry'); END",
    )
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {t}_{k}" for t in TABLES for k in ("no_update", "no_delete")]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION grants_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'the ledger is append-only: post a reversing entry'; END $$""",
    *[
        stmt
        for table in TABLES
        for stmt in (
            f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION grants_append_only()",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION grants_append_only()",
        )
    ],
]
POSTGRES_REVERSE = [
    *[f"DROP TRIGGER IF EXISTS {t}_{k} ON {t}" for t in TABLES for k in ("no_change", "no_truncate")],
    "DROP FUNCTION IF EXISTS grants_append_only()",
]
CREATE = {"sqlite": SQLITE, "postgresql": POSTGRES}
DROP = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}
