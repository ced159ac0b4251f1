"""Benchmark: apply an upload of 100,000 offline talent-code scans on PostgreSQL.

    uv run python bench/talentcode_redemptions.py [--scans 100000] [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Creates a scratch database (`magnet_bench_redemptions`, dropped afterwards) on the server of
--database-url, migrates it, issues the codes (not timed), then times `redemption_record` over the
whole batch as a service point's upload would run it: every scan verified at its scan time (signature,
expiry, revocation list of 10,000 ids), checked against the catalogue and the daily limits, and
recorded once. A second upload of the same batch measures the duplicate path. Target (talent-code
issue): ≤ 30 s for 100,000 scans.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _scratch_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=100_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    import psycopg

    name = "magnet_bench_redemptions"
    with psycopg.connect(args.database_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = _scratch_url(args.database_url, name)
    os.environ.setdefault("MAGNET_DATA_DIR", str(ROOT / "var" / "bench"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "magnet.config.settings"
    try:
        return _run(args.scans)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(args.database_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")


def _run(n: int) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from magnet.apps.accounts.models import ServicePoint, User
    from magnet.apps.talentcode import services
    from magnet.apps.talentcode.models import Redemption, Revocation, Service
    from magnet.apps.talentcode.redemptions import Scan, redemption_record
    from magnet.core import talentcode

    point = ServicePoint.objects.create(name="城市公交集团", kind="bus", adcode="320613")
    verifier = User.objects.create(username="verifier.bench", role="verifier", service_point=point)
    bus = Service.objects.create(key="bus", name="公交", kind="transport", tiers=list("ABCDE"), daily_limit=2)
    bus.points.add(point)
    Revocation.objects.bulk_create(Revocation(cti=os.urandom(16).hex(), reason="bench") for _ in range(10_000))
    key = services.signing_key_current()
    now = int(time.time())
    started = time.perf_counter()
    scans = []
    for i in range(n):
        claims = talentcode.TalentClaims.new(iss=settings.MAGNET_TALENT_CODE_ISSUER, sub=f"T{i:07d}",
                                             tier="ABCDE"[i % 5], services=("bus",), now=now - 120)
        scans.append(Scan(talentcode.issue(claims, key), "bus"))
    issued = time.perf_counter() - started

    started = time.perf_counter()
    first = redemption_record(scans=scans, point=point, verifier_user=verifier, offline=True)
    upload = time.perf_counter() - started
    started = time.perf_counter()
    again = redemption_record(scans=scans, point=point, verifier_user=verifier, offline=True)
    reupload = time.perf_counter() - started
    assert first.recorded == n and not first.refused, (first.recorded, first.refused[:3])
    assert again.recorded == 0 and again.duplicates == n
    assert Redemption.objects.count() == n

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print("| scans | first upload | re-upload (all duplicates) | ≤ 30 s | machine | command |")
    print("|---:|---:|---:|---|---|---|")
    print(f"| {n:,} | {upload:.1f} s | {reupload:.1f} s | {'yes' if upload <= 30 else 'no'} | "
          f"{os.cpu_count()} × {cpu}, PostgreSQL | `uv run python bench/talentcode_redemptions.py --scans {n}` |")
    print(f"(issuing the {n:,} codes beforehand took {issued:.1f} s, not counted)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
