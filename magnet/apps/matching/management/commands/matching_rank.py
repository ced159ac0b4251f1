"""`python -m magnet matching rank --jobs JOBS.jsonl --talents TALENTS.jsonl --top K --out OUT.jsonl`.

Ranks every talent's best K jobs from files, with no database (for evaluation and other cities' data).
A refused line exits 1 with `line N: reason` on stderr (and the file it was in).
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from magnet.core.matching import InputRejected, rank_files


class Command(BaseCommand):
    help = "Rank each talent's best jobs from JSON Lines files, without a database."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--jobs", type=Path, required=True, help="jobs, one JSON object a line")
        parser.add_argument("--talents", type=Path, required=True, help="talents, one JSON object a line")
        parser.add_argument("--top", type=int, default=20, help="jobs per talent (default 20)")
        parser.add_argument("--out", type=Path, required=True, help='output: {"talent_id", "job_ids"} lines')
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="date for recency (YYYY-MM-DD)")
        parser.add_argument("--workers", type=int, default=2, help="processes for ranking (default 2)")

    def handle(self, *args, jobs: Path, talents: Path, top: int, out: Path, today, workers: int, **options):
        for path in (jobs, talents):
            if not path.is_file():
                raise CommandError(f"{path} is not a file")
        if top < 1:
            raise CommandError("--top must be at least 1")
        try:
            count = rank_files(jobs, talents, top, out, today=today, workers=workers)
        except InputRejected as error:
            self.stderr.write(f"{error.path}: line {error.line}: {error.message}")
            raise SystemExit(1) from None
        self.stdout.write(f"ranked {count} talents, best {top} jobs each, into {out}")
