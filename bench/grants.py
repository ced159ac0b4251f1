"""Benchmark: grants from a 1,000,000-person screening run, and a 100,000-line payment batch, on PostgreSQL.

    uv run python bench/grants.py [--persons 1000000] [--lines 100000] [--month 2025-06]

Uses the demo city stored by `bench/radar.py` (generated and stored on first use, not measured), a fresh
PostgreSQL database `magnet_bench` at 127.0.0.1:5432 (dropped and created; trust authentication) and a fresh
data folder. Not measured: migrating, the screening run itself (see `bench/radar.py`), and preparing the
batch (approving the grants and giving their people a payee account, which in real life takes weeks).
Measured, each in the same process, wall time:

1. `grants_from_run`: every entitlement of the run becomes a grant (identity numbers encrypted, blind
   index, the person's masked name from the snapshot), one per person, policy and period;
2. a batch of `--lines` approved grants: assembled, approved by a second staff member, exported as a bank
   file, the bank's return file (from the simulated bank) imported and reconciled.

Budgets (grants issue): grants for a 1,000,000-person run ≤ 60 s; a 100,000-line batch exported and
reconciled ≤ 60 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DB = "magnet_bench"
PG = "postgres://postgres@127.0.0.1:5432"


def child(data: str, month: str, lines: int) -> None:
    os.environ["MAGNET_DATA_DIR"] = data
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magnet.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from magnet.apps.common.fixtures import make_user
    from magnet.apps.common.pii import cipher
    from magnet.apps.feeds.models import Snapshot
    from magnet.apps.grants import services
    from magnet.apps.grants.models import Grant, PayeeAccount
    from magnet.apps.radar import services as radar
    from magnet.core.feeds import list_snapshots, open_snapshot
    from magnet.core.payments import simulate_bank

    snap_id = list_snapshots(Path(data))[0]
    snap = open_snapshot(Path(data), snap_id)
    Snapshot.objects.get_or_create(id=snap_id, defaults={"row_counts": snap.manifest["row_counts"]})
    maker, checker = make_user("staff", username="bench.maker"), make_user("staff", username="bench.checker")
    run = radar.radar_run_start(actor=maker, snapshot=Snapshot.objects.get(id=snap_id), month=month)
    started = time.perf_counter()
    radar.radar_run_perform(run_id=str(run.pk))
    run.refresh_from_db()
    print(f"screening run (not measured here): {time.perf_counter() - started:.1f} s, {run.rows:,} entitlements")

    started = time.perf_counter()
    made = services.grants_from_run(run, actor=maker)
    grants_s = time.perf_counter() - started
    print(f"grants_from_run: {made} in {grants_s:.1f} s", flush=True)

    # preparation, not measured: approve grants and give their people a payee account
    ids = list(Grant.objects.order_by("id").values_list("id", "person_index")[:lines])
    Grant.objects.filter(id__in=[i for i, _ in ids]).update(status="approved")
    field = cipher()
    accounts = [PayeeAccount(person_index=p, account_name="测试", account_number_cipher=field.encrypt(
        f"622202{n:013d}", context="bank_account"), account_masked="6222****", bank_code="ICBC")
        for n, (_, p) in enumerate(ids)]  # fmt: skip
    PayeeAccount.objects.bulk_create(accounts, ignore_conflicts=True, batch_size=5000)

    times = {}
    started = time.perf_counter()
    batch = services.batch_assemble(actor=maker, limit=lines)
    times["assemble"] = time.perf_counter() - started
    started = time.perf_counter()
    batch = services.batch_approve(batch, actor=checker)
    if batch.status == "first_approved":
        batch = services.batch_approve(batch, actor=make_user("staff", username="bench.third"))
    times["approve"] = time.perf_counter() - started
    started = time.perf_counter()
    exported = services.batch_export(batch, actor=checker)
    times["export"] = time.perf_counter() - started
    started = time.perf_counter()
    returned = simulate_bank(exported, fail_keys=set())
    times["bank (simulated)"] = time.perf_counter() - started
    started = time.perf_counter()
    summary = services.batch_import_return(batch, returned, actor=checker)
    times["import and reconcile"] = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"batch {batch.lines:,} lines, total {batch.total:,}: paid {summary['paid']:,}, "
          f"discrepancies {len(summary['discrepancies'])}")  # fmt: skip
    for name, seconds in times.items():
        print(f"{name}: {seconds:.1f} s")
    both = times["export"] + times["import and reconcile"]
    print(f"RESULT grants={grants_s:.1f} lines={batch.lines} export_reconcile={both:.1f} "
          f"assemble={times['assemble']:.1f} rss={rss:.2f}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--month", default="2025-06")
    parser.add_argument("--seed", type=int, default=1)
    default_cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "magnet-bench"
    parser.add_argument("--cache", type=Path, default=default_cache)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return 0
    from radar import stored

    source, snap_id = stored(args.persons, args.seed, args.cache)
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {DB}")
        con.execute(f"CREATE DATABASE {DB}")
    data = Path(tempfile.mkdtemp(prefix="grants-bench-", dir=args.cache))
    try:
        (data / "snapshots").mkdir()
        shutil.copytree(source / "snapshots" / snap_id, data / "snapshots" / snap_id)
        run = subprocess.run([sys.executable, __file__, "--child", str(data), args.month, str(args.lines)],  # noqa: S603
                             cwd=ROOT, check=True, capture_output=True, text=True)  # fmt: skip
    finally:
        shutil.rmtree(data, ignore_errors=True)
    sys.stderr.write(run.stdout)
    line = next(x for x in run.stdout.splitlines() if x.startswith("RESULT"))
    fields = dict(part.split("=") for part in line.split()[1:])
    print("| persons | grants created s | batch lines | export + reconcile s | assemble s | peak RSS GiB |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.persons:,} | {fields['grants']} | {int(fields['lines']):,} | {fields['export_reconcile']} "
          f"| {fields['assemble']} | {fields['rss']} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
