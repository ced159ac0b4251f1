"""`python -m magnet feeds load DIR`: validate a snapshot folder and store it, all or nothing."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from magnet.apps.common.errors import DomainError
from magnet.apps.feeds.services import snapshot_load


class Command(BaseCommand):
    help = "Validate a feed snapshot folder against shared/spec/feeds.md and store it (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="folder with persons.csv|parquet and the other feeds")
        parser.add_argument("--json", action="store_true", help="print the result or the problems as JSON")

    def handle(self, *args, directory: Path, json: bool = False, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder")
        try:
            snapshot, created = snapshot_load(src_dir=directory, source="cli")
        except DomainError as error:
            self._report_rejection(error, as_json=json)
            raise SystemExit(1) from None
        if json:
            self.stdout.write(_dumps({"snapshot": snapshot.id, "created": created, "row_counts": snapshot.row_counts,
                                      "warnings": snapshot.warnings}))
            return
        verb = "stored" if created else "already stored (nothing changed)"
        self.stdout.write(f"snapshot {snapshot.id} {verb}")
        for feed, count in snapshot.row_counts.items():
            self.stdout.write(f"  {feed:<24} {count:>12,} rows")
        for warning in snapshot.warnings:
            self.stdout.write(f"  warning: {warning['file']} row {warning.get('row')} {warning.get('column') or ''}: "
                              f"{warning['reason']}")

    def _report_rejection(self, error: DomainError, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(_dumps({"rejected": True, **error.extra}))
            return
        problems = error.extra.get("problems", [])
        total = error.extra.get("total", len(problems))
        self.stderr.write(f"snapshot rejected: {total} problem(s); nothing was stored")
        for p in problems:
            where = f"row {p['row']}" if p.get("row") else "file"
            column = f" column {p['column']}" if p.get("column") else ""
            self.stderr.write(f"  {p['file']} {where}{column}: {p['reason']}")
        if total > len(problems):
            self.stderr.write(f"  … and {total - len(problems)} more")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
