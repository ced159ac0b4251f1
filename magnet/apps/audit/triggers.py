"""The database triggers that refuse UPDATE and DELETE on the audit log, on SQLite and PostgreSQL.

Kept here (not only in the migration) so that tests which must empty every table between cases can
lift them for the flush and put them back."""

from __future__ import annotations

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$""",
    """DROP TRIGGER IF EXISTS audit_no_change ON audit_auditentry""",
    """CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    """DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditentry""",
    """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_no_change ON audit_auditentry",
    "DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_append_only()",
]


CREATE = {"sqlite": SQLITE, "postgresql": POSTGRES}
DROP = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}


def apply(connection, statements_by_vendor) -> None:
    with connection.cursor() as cursor:
        for sql in statements_by_vendor.get(connection.vendor, []):
            cursor.execute(sql)
