"""Benchmark: export, pay (simulated bank), parse and reconcile one batch of payment instructions.

    uv run python bench/payments.py [--lines 100000] [--fail-every 1000]

Builds `--lines` instructions with their approved grants (idempotency keys from random blind-index
stand-ins; not measured), then times, in this process: `export_bank_file`, `simulate_bank` (the fake
bank, failing every `--fail-every`-th line), `parse_return_file` and `reconcile`, and checks the outcome
(every key paid or failed once, totals equal to the cent). Prints one Markdown table row: lines, the four
times, export + reconcile against the issue's budget (100,000 lines in at most 60 s), the wall time of
the four steps, the process's peak RSS (resource.getrusage, so it includes building the input) and the
machine. The column names go to stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import resource
import sys
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from magnet.core.payments import (  # noqa: E402
    Instruction,
    export_bank_file,
    idempotency_key,
    parse_return_file,
    reconcile,
    simulate_bank,
)

BUDGET_SECONDS = 60
COLUMNS = ("| lines | export | bank (simulated) | parse | reconcile | export + reconcile | wall (4 steps) "
           "| peak RSS | within budget | machine |\n|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")  # fmt: skip


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)  # type: ignore[union-attr]
    except (OSError, AttributeError):
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} × {cpu}, {ram:.0f} GiB RAM, Python {platform.python_version()}"


def build(lines: int) -> tuple[dict[str, Decimal], list[Instruction]]:
    amounts = [Decimal("2500.00"), Decimal("1800.00"), Decimal("1234.56"), Decimal("0.01"), Decimal("15000.00")]
    rows = []
    for i in range(1, lines + 1):
        ref = hashlib.sha256(f"bench-person-{i}".encode()).hexdigest()
        key = idempotency_key(ref, "living_subsidy", "2025-06")
        account = f"62220200{i:011d}"
        rows.append(Instruction(key, i, f"测试{i}", account, "ICBC", amounts[i % len(amounts)], "生活补贴 2025-06"))
    return {ins.key: ins.amount for ins in rows}, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--fail-every", type=int, default=1000)
    args = parser.parse_args()
    grants, instructions = build(args.lines)
    failing = {ins.key for ins in instructions[:: args.fail_every]}
    created = datetime(2025, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    times = []
    started = first = time.perf_counter()
    export = export_bank_file("BENCH-1", instructions, created=created)
    times.append(time.perf_counter() - started)
    started = time.perf_counter()
    returned = simulate_bank(export, fail_keys=failing, seed=1)
    times.append(time.perf_counter() - started)
    started = time.perf_counter()
    lines = parse_return_file(returned, "BENCH-1")
    times.append(time.perf_counter() - started)
    started = time.perf_counter()
    result = reconcile(grants, instructions, lines)
    times.append(time.perf_counter() - started)
    wall = time.perf_counter() - first
    totals = result.totals
    if (set(result.paid) | set(result.failed) != set(grants) or set(result.failed) != failing
            or totals["expected"] != totals["returned_paid"] + totals["returned_failed"]):  # fmt: skip
        print("reconciliation is wrong", file=sys.stderr)
        return 1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10  # KiB on Linux
    ok = "yes" if times[0] + times[3] <= BUDGET_SECONDS else "no"
    print(COLUMNS, file=sys.stderr)
    cells = " | ".join(f"{seconds:.2f} s" for seconds in times)
    spent = f"{times[0] + times[3]:.2f} s | {wall:.2f} s"
    print(f"| {args.lines:,} | {cells} | {spent} | {rss:.0f} MiB | {ok} | {machine()} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
