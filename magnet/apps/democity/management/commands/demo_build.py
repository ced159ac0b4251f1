"""`python -m magnet demo build --persons N --seed S`: the demo city, its snapshot and demo accounts."""

from django.core.management.base import BaseCommand

from magnet.apps.common.errors import DomainError
from magnet.apps.democity.services import demo_build


class Command(BaseCommand):
    help = "Generate and load the demo city's feed snapshot and create demo accounts for every role."

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")

    def handle(self, *args, persons: int, seed: int, format: str, **options):
        if persons < 50:
            self.stderr.write("--persons must be at least 50 (the demo cast alone needs a dozen)")
            raise SystemExit(2)
        try:
            snapshot, logins = demo_build(persons=persons, seed=seed, fmt=format)
        except DomainError as error:
            self.stderr.write(f"demo build failed: {error.message} {error.extra}")
            raise SystemExit(1) from None
        self.stdout.write(f"snapshot {snapshot.id}")
        for feed, count in snapshot.row_counts.items():
            self.stdout.write(f"  {feed:<24} {count:>12,} rows")
        self.stdout.write("")
        self.stdout.write(logins_table(logins))


def logins_table(logins) -> str:
    lines = ["Demo log-ins (http://127.0.0.1:8000/accounts/login/):", ""]
    for login in logins:
        lines.append(f"  {login.role:<10} {login.username:<18} {login.secret}")
        if login.totp_secret:
            lines.append(f"  {'':<10} {'':<18} TOTP secret {login.totp_secret}  "
                         f"(current code: uv run python -m magnet demo otp {login.username})")
        lines.append(f"  {'':<10} {'':<18} {login.note}")
    return "\n".join(lines)
