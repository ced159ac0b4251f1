"""Benchmark: screen a whole stored snapshot with the demo policy book, and explain single persons.

    uv run python bench/radar.py --persons 100000 300000 1000000 --month 2025-06

For each size the demo city (`magnet.core.democity.generate`, seed 1) is generated and stored once into
a cache folder (default `~/.cache/magnet-bench`, not measured), with a migrated SQLite database beside it
so the command reads the published book exactly as on a server. Then the measured process is the real
command, run three times under `/usr/bin/time -v`:

    MAGNET_DATA_DIR=<cache> python -m magnet radar run --snapshot ID --month 2025-06 --out OUT.parquet

from the stored snapshot to the entitlements written. The explanation benchmark builds the snapshot's
person index (timed, once) and then explains `--explain` random persons, one at a time, in one process,
reporting p50 and p95 (the first call, which compiles the query, included). Budgets (policy-radar issue):
1,000,000 persons in at most 6 s and 4 GiB as a whole process; one explanation p95 at most 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from feeds_load import _elapsed, _machine, cached_input  # noqa: E402


def stored(persons: int, seed: int, cache: Path) -> tuple[Path, str]:
    """The data folder holding this city's stored snapshot and a migrated database; and the snapshot id."""
    from magnet.core.feeds import list_snapshots, load_snapshot

    src, _ = cached_input(persons, seed, "parquet", cache)
    data = cache / f"radar-data-{persons}-{seed}"
    ids = list_snapshots(data)
    if not ids:
        snap = load_snapshot(src, data)
        ids = [snap.id]
    env = {**os.environ, "MAGNET_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "-m", "magnet", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    return data, ids[0]


def screen_once(data: Path, snapshot: str, month: str, out: Path) -> tuple[float, float, str]:
    env = {**os.environ, "MAGNET_DATA_DIR": str(data)}
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "magnet", "radar", "run", "--snapshot", snapshot,
           "--month", month, "--out", str(out)]  # fmt: skip
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if run.returncode != 0:
        sys.stderr.write(run.stderr)
        raise SystemExit(run.returncode)
    wall = _elapsed(re.search(r"Elapsed \(wall clock\) time.*: (\S+)", run.stderr).group(1))  # type: ignore[union-attr]
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 2**20  # type: ignore[union-attr]
    summary = next((line for line in run.stderr.splitlines() if line.startswith("radar run:")), "")
    return wall, rss, summary


def explain_child(data: str, snapshot_id: str, month: str, samples: int) -> None:
    """The measured explanation process: build the index, then explain random persons one by one."""
    import pyarrow.parquet as pq

    from magnet.core.feeds import open_snapshot
    from magnet.core.radar import connect, explain, load_book
    from magnet.core.radar.engine import build_person_index, use_person

    snap = open_snapshot(Path(data), snapshot_id)
    book = load_book(ROOT / "magnet" / "policybooks" / "demo")
    started = time.perf_counter()
    index = build_person_index(snap, Path(data) / "radar" / "person-index" / snap.id)
    built = time.perf_counter() - started
    ids = pq.read_table(snap.feeds["persons"], columns=["id_number"]).column(0).to_pylist()
    con = connect()
    times = []
    for pid in random.Random(1).sample(ids, samples):
        t = time.perf_counter()
        use_person(con, snap, index, pid)
        result = explain(con, book, month, pid)
        times.append(time.perf_counter() - t)
        assert result.found
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"index {built:.1f} p50 {statistics.median(times) * 1000:.1f} p95 {p95 * 1000:.1f} max {times[-1] * 1000:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--month", default="2025-06")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--explain", type=int, default=200, help="persons explained (0: skip)")
    default_cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "magnet-bench"
    parser.add_argument("--cache", type=Path, default=default_cache)
    parser.add_argument("--explain-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.explain_child:
        data, snap, month, samples = args.explain_child
        explain_child(data, snap, month, int(samples))
        return 0
    print(f"machine: {_machine()}; month {args.month}; best and median of {args.rounds} runs\n")
    print(
        "| persons | entitlements | wall s (best / median) | peak RSS GiB | ≤ 6 s & 4 GiB | explain p50 / p95 ms "
        "| person index s |"
    )
    print("|---:|---:|---:|---:|---|---:|---:|")
    for persons in args.persons:
        data, snap = stored(persons, args.seed, args.cache)
        walls, rsss, summary = [], [], ""
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.rounds):
                wall, rss, summary = screen_once(data, snap, args.month, Path(tmp) / "out.parquet")
                walls.append(wall)
                rsss.append(rss)
        rows = re.search(r"radar run: ([\d,]+) entitlements", summary)
        explain_cell = index_cell = "—"
        if args.explain:
            child = subprocess.run(  # noqa: S603 - our own argv
                [sys.executable, __file__, "--explain-child", str(data), snap, args.month, str(args.explain)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            m = re.search(r"index ([\d.]+) p50 ([\d.]+) p95 ([\d.]+)", child.stdout)
            index_cell, explain_cell = m.group(1), f"{m.group(2)} / {m.group(3)}"  # type: ignore[union-attr]
        ok = "yes" if min(walls) <= 6 and max(rsss) <= 4 else "NO"
        print(f"| {persons:,} | {rows.group(1) if rows else '?'} | {min(walls):.2f} / {statistics.median(walls):.2f} "
              f"| {max(rsss):.2f} | {ok} | {explain_cell} | {index_cell} |", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
