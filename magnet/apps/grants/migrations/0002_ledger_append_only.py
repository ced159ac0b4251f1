"""Triggers that refuse UPDATE and DELETE on journal entries, postings and grant events (MN-4)."""

from django.db import migrations

from magnet.apps.grants.triggers import CREATE, DROP


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
