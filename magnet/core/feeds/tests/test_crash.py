"""All-or-nothing storage (SECURITY.md IN-2, DP-11): a loader killed with SIGKILL at random moments
leaves either no snapshot or the complete one, and the next load succeeds and cleans up."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from magnet.core.feeds import FEEDS, load_snapshot, open_snapshot

from .factory import many_persons, write_snapshot

REPO = Path(__file__).resolve().parents[4]
CHILD = """
import sys, time
from pathlib import Path
from magnet.core.feeds import load_snapshot
print("ready", flush=True)
started = time.perf_counter()
load_snapshot(Path(sys.argv[1]), Path(sys.argv[2]))
print(time.perf_counter() - started, flush=True)
"""
KILLS = 20


def start_loader(src: Path, data: Path) -> subprocess.Popen:
    """A loader in its own process; returns once its imports are done and it starts loading."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD, str(src), str(data)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def assert_nothing_or_complete(data: Path) -> list[str]:
    """Every entry under snapshots/ is a loader's work dir or a complete snapshot; return the snapshots."""
    root = data / "snapshots"
    complete = []
    for entry in sorted(root.iterdir()) if root.exists() else []:
        if entry.name.startswith(".work-"):
            continue  # a crashed loader's private work: never read, removed by the next load
        snap = open_snapshot(data, entry.name)
        assert sorted(p.name for p in entry.iterdir()) == sorted(
            [f"{n}.parquet" for n in FEEDS] + ["manifest.json"]
        )
        for name, path in snap.feeds.items():
            assert pq.read_metadata(path).num_rows == snap.manifest["row_counts"][name]
        complete.append(entry.name)
    return complete


def stored_tables(data: Path, snapshot_id: str) -> dict:
    return {name: pq.read_table(path) for name, path in open_snapshot(data, snapshot_id).feeds.items()}


def test_sigkill_at_random_points_leaves_nothing_or_a_complete_snapshot(tmp_path):
    src = write_snapshot(tmp_path / "in", many_persons(3000, months=12), "csv")
    reference = tmp_path / "reference"
    proc = start_loader(src, reference)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    duration = float(out.strip())
    expected_id = assert_nothing_or_complete(reference)[0]
    expected = stored_tables(reference, expected_id)

    rng = random.Random(20251122)
    outcomes = {"nothing": 0, "complete": 0}
    for i in range(KILLS):
        data = tmp_path / f"data{i}"
        proc = start_loader(src, data)
        time.sleep(rng.uniform(0, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        found = assert_nothing_or_complete(data)
        outcomes["complete" if found else "nothing"] += 1
        snap = load_snapshot(src, data)  # recovery: the next load succeeds
        assert snap.id == expected_id and snap.created == (not found)
        assert [p.name for p in (data / "snapshots").iterdir()] == [expected_id], "work dirs are cleaned up"
        assert stored_tables(data, expected_id) == expected
        manifest = json.loads((data / "snapshots" / expected_id / "manifest.json").read_text())
        assert manifest["row_counts"]["social_insurance"] == 3000 * 12
    assert outcomes["nothing"] > 0, outcomes  # the kills did land during loads
