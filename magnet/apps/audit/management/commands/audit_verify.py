"""`python -m magnet audit verify`: recompute the audit hash chain; exit 1 at the first broken entry."""

from django.core.management.base import BaseCommand

from magnet.apps.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain."

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if report.ok:
            self.stdout.write(f"audit chain intact: {report.checked} entries")
            return
        self.stderr.write(f"audit chain broken at entry #{report.first_broken_id} (after {report.checked} good)")
        raise SystemExit(1)
