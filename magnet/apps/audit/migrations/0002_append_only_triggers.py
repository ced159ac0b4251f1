"""Database triggers that refuse UPDATE and DELETE on the audit log (LG-2), on SQLite and PostgreSQL.

The model refuses too, but a trigger also stops raw SQL, the shell and a compromised admin page."""

from django.db import migrations

from magnet.apps.audit.triggers import CREATE, DROP


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [
        migrations.RunPython(_run(CREATE), _run(DROP)),
    ]
