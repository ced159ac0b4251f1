"""Command line: write a demo-city snapshot.

python -m magnet.core.democity OUT_DIR --persons N --seed S [--format csv] [--as-of YYYY-MM]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from .generate import generate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m magnet.core.democity", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", dest="fmt", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--as-of", default="2026-10")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(args.out_dir, persons=args.persons, seed=args.seed, fmt=args.fmt, as_of=args.as_of)
    for feed, rows in counts.items():
        print(f"{feed:24} {rows:>12,}")
    print(f"{'seconds':24} {time.perf_counter() - started:>12.1f}")


if __name__ == "__main__":
    main()
