"""Benchmark: issue and verify talent codes on one core (`magnet.core.talentcode`).

    uv run python bench/talentcode.py [--codes 20000] [--revoked 10000] [--rounds 3]

Pinned to one CPU (os.sched_setaffinity) and single-threaded. Issue = claims → CBOR → Ed25519
COSE_Sign1 → zlib → base45 → "MG1:" text. Verify = prefix, base45, inflate, COSE parse, signature,
claims, expiry, and a look-up in a signed revocation list of `--revoked` code ids (plus 1,000 revoked
subjects), with three keys in the key set as during a rotation. Each figure is the best of `--rounds`
rounds over `--codes` distinct codes (the best, because other processes on a shared machine only ever
slow a round down). Targets (issue 6): verify ≥ 5,000 codes/s, issue ≥ 2,000 codes/s.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from magnet.core.talentcode import (  # noqa: E402
    KeyRing,
    RevocationList,
    SigningKey,
    TalentClaims,
    Verifier,
    issue,
)

VERIFY_TARGET, ISSUE_TARGET = 5000, 2000
CITY = "https://talent.demo-city.example"
SERVICES = ("bus", "gym", "library", "museum", "youth-station")


def _pin() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def _machine() -> tuple[int, str]:
    cpu = platform.processor() or "?"
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)  # type: ignore[union-attr]
    except (OSError, AttributeError):
        pass
    return os.cpu_count() or 0, cpu


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=20000)
    parser.add_argument("--revoked", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pinning = _pin()

    ring = KeyRing.from_keys(SigningKey.generate(), [SigningKey.generate(), SigningKey.generate()])
    now = int(time.time())
    tiers = "ABCDE"

    issue_rates, codes = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        codes = [
            issue(
                TalentClaims.new(
                    iss=CITY, sub=f"t_{i:08X}", tier=tiers[i % 5], services=SERVICES[: 1 + i % 5], now=now
                ),
                ring.current,
            )
            for i in range(args.codes)
        ]
        issue_rates.append(_rate(args.codes, time.perf_counter() - started))

    revoked = RevocationList.of(
        iss=CITY,
        iat=now,
        ctis=(os.urandom(16) for _ in range(args.revoked)),
        subjects=(f"r_{i:08X}" for i in range(1000)),
    )
    signed_list = revoked.sign(ring.current)
    started = time.perf_counter()
    revocations = RevocationList.verify(signed_list, ring.keyset, issuer=CITY)
    list_seconds = time.perf_counter() - started
    verifier = Verifier(ring.keyset, revocations, issuer=CITY)

    verify_rates = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for code in codes:
            verifier.verify(code, at=now + 1)
        verify_rates.append(_rate(len(codes), time.perf_counter() - started))

    nproc, cpu = _machine()
    verify, issued = max(verify_rates), max(issue_rates)
    command = "uv run python bench/talentcode.py " + " ".join(sys.argv[1:])
    print("| what | figure |")
    print("| --- | --- |")
    print(f"| machine | nproc {nproc}, {cpu}; {pinning}; Python {platform.python_version()} |")
    print(f"| command | `{command.strip()}` |")
    print(f"| codes | {args.codes:,} distinct codes, {len(codes[0])} characters each |")
    print(
        f"| revocation list | {args.revoked:,} cti + 1,000 subjects, {len(signed_list):,} bytes, verified in "
        f"{list_seconds * 1000:.1f} ms |"
    )
    ok_v = "meets" if verify >= VERIFY_TARGET else "BELOW"
    ok_i = "meets" if issued >= ISSUE_TARGET else "BELOW"
    print(
        f"| verify (best of {args.rounds}) | {verify:,.0f} codes/s ({ok_v} target {VERIFY_TARGET:,}); "
        f"rounds: {', '.join(f'{r:,.0f}' for r in verify_rates)} |"
    )
    print(
        f"| issue (best of {args.rounds}) | {issued:,.0f} codes/s ({ok_i} target {ISSUE_TARGET:,}); "
        f"rounds: {', '.join(f'{r:,.0f}' for r in issue_rates)} |"
    )


if __name__ == "__main__":
    main()
