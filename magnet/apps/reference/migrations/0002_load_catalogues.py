"""Load the reference catalogues shipped in magnet/data/reference/ (sources cited in SOURCES.md there)."""

from django.db import migrations


def load(apps, schema_editor):
    from magnet.apps.reference.loading import load_all

    load_all(apps)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
