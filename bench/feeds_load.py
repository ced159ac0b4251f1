"""Benchmark: validate and store a demo-city snapshot with `magnet.core.feeds.load_snapshot`.

    uv run python bench/feeds_load.py --persons 1000000 --format parquet
    uv run python bench/feeds_load.py --persons 1000000 --format csv

The input snapshot is generated once per (persons, seed, format) into a cache folder (default
`$XDG_CACHE_HOME/magnet-bench`, else `~/.cache/magnet-bench`) by `magnet.core.democity.generate`, the
demo-city generator (about 31 social-insurance rows per person). The load then runs as a separate process under
`/usr/bin/time -v` into a fresh data directory, and one Markdown table row is printed with the wall
time, the peak RSS and the machine. The budget (feeds.md at 1M persons): 60 s wall, 4 GiB peak RSS.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from magnet.core import democity  # noqa: E402


def cached_input(persons: int, seed: int, fmt: str, cache: Path) -> tuple[Path, str]:
    """The input folder for these parameters, generated on first use; and which generator made it."""
    folder = cache / f"feeds-{persons}-{seed}-{fmt}-democity"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        counts = democity.generate(folder, persons=persons, seed=seed, fmt=fmt)
        (folder / ".complete").write_text(repr(counts))
        print(f"generated {folder} in {time.perf_counter() - started:.1f} s: {counts}", file=sys.stderr)
    return folder, "magnet.core.democity.generate"


def _child(src: str, data: str, memory_limit: str) -> None:
    """The measured process: one load_snapshot call."""
    from magnet.core.feeds import load_snapshot

    started = time.perf_counter()
    snap = load_snapshot(Path(src), Path(data), memory_limit=memory_limit)
    print(f"load_snapshot {time.perf_counter() - started:.1f} s rows={snap.row_counts}", file=sys.stderr)


def _machine() -> str:
    cpu = platform.processor() or "?"
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)  # type: ignore[union-attr]
    except (OSError, AttributeError):
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} × {cpu}, {ram:.0f} GiB RAM"


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB memory_limit for the load")
    default_cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "magnet-bench"
    parser.add_argument("--cache", type=Path, default=default_cache)
    parser.add_argument("--child", nargs=2, metavar=("SRC", "DATA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child, args.memory_limit)
        return 0
    src, who = cached_input(args.persons, args.seed, args.format, args.cache)
    data = Path(tempfile.mkdtemp(prefix="feeds-bench-data-", dir=args.cache))
    cmd = ["/usr/bin/time", "-v", sys.executable, __file__, "--child", str(src), str(data)]
    cmd += ["--memory-limit", args.memory_limit]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603 - our own argv
    finally:
        shutil.rmtree(data, ignore_errors=True)
    sys.stderr.write(run.stderr)
    if run.returncode != 0:
        return run.returncode
    wall = _elapsed(re.search(r"Elapsed \(wall clock\) time.*: (\S+)", run.stderr).group(1))  # type: ignore[union-attr]
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 2**20  # type: ignore[union-attr]
    counts = eval((src / ".complete").read_text())  # noqa: S307 - our own repr of a dict of ints
    ok = "yes" if wall <= 60 and rss <= 4 else "NO"
    command = f"uv run python bench/feeds_load.py --persons {args.persons} --format {args.format}"
    print(
        "| persons | format | social_insurance rows | input MiB | wall s | peak RSS GiB | ≤ 60 s & 4 GiB "
        "| machine | input | command |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.persons:,} | {args.format} | {counts.get('social_insurance', 0):,} "
        f"| {_folder_mb(src):,.0f} "
        f"| {wall:.1f} | {rss:.2f} | {ok} | {_machine()} | {who} | `{command}` |"
    )
    return 0


def _elapsed(text: str) -> float:
    """Seconds from GNU time's `[h:]m:ss.ss`."""
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


if __name__ == "__main__":
    raise SystemExit(main())
