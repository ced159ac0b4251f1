"""`python -m magnet talentmap_demo`: monthly demand reports of the demo city's key enterprises."""

from django.core.management.base import BaseCommand

from magnet.apps.feeds.selectors import snapshot_latest
from magnet.apps.talentmap.demo import demand_demo_seed


class Command(BaseCommand):
    help = "File demo demand reports (last months) for the key enterprises of the latest snapshot's chains."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--months", type=int, default=3)

    def handle(self, *args, seed: int, months: int, **options):
        snapshot = snapshot_latest()
        if snapshot is None:
            self.stderr.write("no snapshot loaded: run `python -m magnet demo build` first")
            raise SystemExit(1)
        filed = demand_demo_seed(snapshot=snapshot, seed=seed, months=months)
        self.stdout.write(f"{filed} demand reports filed")
