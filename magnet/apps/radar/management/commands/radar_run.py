"""`python -m magnet radar run`: screen a snapshot for a month and write the entitlements to a file.

    python -m magnet radar run --snapshot ID --month YYYY-MM [--book NAME] [--policy ID ...] [--out FILE]
    python -m magnet radar run --feeds DIR --month YYYY-MM [--book NAME] [--policy ID ...] [--out FILE]

`--snapshot` screens a stored snapshot (its id, or an unambiguous prefix of at least 6 characters) by the
book published for the month, as the console does. `--feeds` validates a folder of feed files exactly as
a load would (into a temporary data folder, so nothing is stored) and screens it. Without a database
(an analyst's machine) the repository's texts of the book are used, and the summary says so. `--out`
writes Parquet or CSV (by extension) with the columns id_number, policy, period, amount; without it the
count and amount by policy go to stdout. A one-line summary goes to stderr. Exit status 0 when the
screening ran, 1 when it was refused (the reason on stderr).

Kept fast for the 1,000,000-person benchmark: no ORM work proportional to rows, heavy imports inside
`handle`, DuckDB on every core.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand


class Refused(Exception):
    """The run cannot be done as asked; the message says why."""


class Command(BaseCommand):
    help = "Screen a snapshot (stored, or a folder of feed files) for a month and write the entitlements."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--snapshot", help="id of a stored snapshot (or an unambiguous prefix)")
        source.add_argument("--feeds", type=Path, help="a folder of feed files not yet loaded")
        parser.add_argument("--month", required=True, help="the month screened, YYYY-MM")
        parser.add_argument("--book", default="demo", help="the policy book (default: demo)")
        parser.add_argument(
            "--policy",
            action="append",
            dest="policies",
            metavar="ID",
            help="screen only this policy (repeatable; default: every policy in force)",
        )
        parser.add_argument("--out", type=Path, help="write the entitlements to FILE.parquet or FILE.csv")

    def handle(self, *args, snapshot=None, feeds=None, month, book, policies=None, out=None, **options):
        started = time.monotonic()
        try:
            summary = self._run(snapshot, feeds, month, book, policies, out)
        except Refused as refused:
            self.stderr.write(f"radar run refused: {refused}")
            raise SystemExit(1) from None
        summary["seconds"] = time.monotonic() - started
        self.stderr.write(
            "radar run: {rows:,} entitlements, total {total:,.2f}, book {book} version {version}"
            "{fallback}, month {month}, snapshot {snapshot}, {seconds:.2f} s".format(**summary)
        )

    def _run(self, snapshot_ref, feeds_dir, month_text, book_name, policies, out) -> dict:
        from magnet.core.radar import ScreeningRefused, parse_month

        try:
            month = parse_month(month_text)
        except ScreeningRefused as e:
            raise Refused(str(e)) from None
        if out is not None and out.suffix.lower() not in (".parquet", ".csv"):
            raise Refused(f"--out must end in .parquet or .csv, not {out.name!r}")
        if out is not None and not out.parent.is_dir():
            raise Refused(f"the folder of --out does not exist: {out.parent}")
        book, fallback = _book(book_name, month)
        if feeds_dir is not None:
            import tempfile

            with tempfile.TemporaryDirectory(prefix="radar-feeds-") as data_dir:
                snapshot = _load_folder(feeds_dir, Path(data_dir))
                summary = self._screen(snapshot, book, month, policies, out)
        else:
            summary = self._screen(_stored(snapshot_ref), book, month, policies, out)
        summary["fallback"] = fallback
        return summary

    def _screen(self, snapshot, book, month, policies, out) -> dict:
        import pyarrow.compute as pc

        from magnet.core.radar import ScreeningRefused, connect, screen, sent_feeds, write_output

        con = connect(snapshot, threads=None)
        try:
            table = screen(con, book, month, policies=policies, available=sent_feeds(snapshot))
        except ScreeningRefused as e:
            raise Refused(str(e)) from None
        finally:
            con.close()
        if out is not None:
            write_output(table, out)
        total = pc.sum(table.column("amount")).as_py() if len(table) else 0
        if out is None:
            self._print_counts(table)
        return {"rows": len(table), "total": total or 0, "book": book.name, "version": book.version,
                "month": str(month), "snapshot": snapshot.id[:12]}  # fmt: skip

    def _print_counts(self, table) -> None:
        """Without --out: entitlements and amount by policy, on stdout."""
        if not len(table):
            return
        grouped = table.group_by("policy").aggregate([("amount", "count"), ("amount", "sum")])
        for row in sorted(grouped.to_pylist(), key=lambda r: r["policy"]):
            self.stdout.write(f"{row['policy']:<32} {row['amount_count']:>10,} {row['amount_sum']:>18,.2f}")


def _book(name: str, month):
    """The book published for the month (as the console uses); without a database, the repository's."""
    from django.db import DatabaseError

    from magnet.apps.radar import selectors
    from magnet.core.radar import BookInvalid

    try:
        if name not in selectors.book_names():
            raise Refused(f"there is no policy book {name!r} (books: {', '.join(selectors.book_names())})")
        fallback = ""
        try:
            files = selectors.published_files(name, month)
        except DatabaseError:  # no database (an analyst's machine): no approved versions to apply
            files, fallback = selectors.repository_files(name), " (no database: the repository's texts)"
        return selectors.book_from_files(files), fallback
    except BookInvalid as invalid:
        lines = "\n".join(f"  {p}" for p in invalid.problems[:20])
        raise Refused(f"the policy book {name!r} is not valid:\n{lines}") from None


def _stored(ref: str):
    from django.conf import settings

    from magnet.core.feeds import list_snapshots, open_snapshot

    ids = list_snapshots(settings.MAGNET_DATA_DIR)
    matches = [i for i in ids if i == ref] or ([i for i in ids if i.startswith(ref)] if len(ref) >= 6 else [])
    if not matches:
        raise Refused(f"there is no stored snapshot {ref!r} in {settings.MAGNET_DATA_DIR}")
    if len(matches) > 1:
        raise Refused(f"{ref!r} is the start of {len(matches)} snapshot ids; give more of it")
    return open_snapshot(settings.MAGNET_DATA_DIR, matches[0])


def _load_folder(folder: Path, data_dir: Path):
    """Validate a feeds folder exactly as a load does, into a throw-away data folder."""
    from magnet.core.feeds import SnapshotRejected, load_snapshot, open_snapshot

    if not folder.is_dir():
        raise Refused(f"{folder} is not a folder")
    try:
        stored = load_snapshot(folder, data_dir)
    except SnapshotRejected as rejected:
        raise Refused(f"the feeds in {folder} are not valid; nothing was screened.\n{rejected.report()}") from None
    return open_snapshot(data_dir, stored.id)
