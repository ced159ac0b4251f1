"""100,000 instructions exported, answered by the simulated bank, parsed and reconciled.

The time is printed, not asserted (shared machines vary). The issue's budget is 60 s for export and
reconciliation of 100,000 lines; `bench/payments.py` measures the same in a process of its own.
"""

import time

import pytest

from magnet.core.payments import export_bank_file, parse_return_file, reconcile, simulate_bank

from .factory import BATCH, CREATED, batch

LINES = 100_000


@pytest.mark.slow
def test_one_hundred_thousand_lines_round_trip(capsys):
    grants, instructions = batch(LINES)
    failing = {ins.key for ins in instructions[::1000]}
    timings = {}
    started = time.perf_counter()
    export = export_bank_file(BATCH, instructions, created=CREATED)
    timings["export"] = time.perf_counter() - started
    started = time.perf_counter()
    returned = simulate_bank(export, fail_keys=failing, seed=1)
    timings["bank"] = time.perf_counter() - started
    started = time.perf_counter()
    lines = parse_return_file(returned, BATCH)
    timings["parse"] = time.perf_counter() - started
    started = time.perf_counter()
    result = reconcile(grants, instructions, lines)
    timings["reconcile"] = time.perf_counter() - started
    assert len(result.paid) == LINES - len(failing) and set(result.failed) == failing
    assert result.totals["expected"] == result.totals["returned_paid"] + result.totals["returned_failed"]
    with capsys.disabled():
        figures = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings.items())
        print(f"\n{LINES:,} lines: {figures}; export + reconcile {timings['export'] + timings['reconcile']:.2f} s"
              f" (budget 60 s); {len(export) / 2**20:.1f} MiB bank file")  # fmt: skip
