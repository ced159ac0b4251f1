"""Benchmark: validate and store a demo-city snapshot with `magnet.core.feeds.load_snapshot`.

    uv run python bench/feeds_load.py --persons 1000000 --format parquet
    uv run python bench/feeds_load.py --persons 1000000 --format csv

The input snapshot is generated once per (persons, seed, format) into a cache folder (default
`$XDG_CACHE_HOME/magnet-bench`, else `~/.cache/magnet-bench`): by `magnet.core.democity.generate` when
that exists, else by the simple numpy/pyarrow generator below (about 30 social-insurance rows per
person, valid identity numbers and credit codes). The load then runs as a separate process under
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

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from magnet.core.feeds.checks import ID_CHECK_CHARS, ID_WEIGHTS, USCC_ALPHABET, USCC_WEIGHTS  # noqa: E402

CITY_ADCODES = np.array([320602, 320611, 320612, 320613, 320623, 320681, 320682, 320685])
BIRTH_ADCODES = np.concatenate([CITY_ADCODES, [110105, 310104, 420106, 510107, 320102, 341302]])
INDUSTRIES = ["C3731", "C1711", "C3821", "I6510", "C2929", "F4710", "M7320", "G5191"]
CHAINS = ["shipbuilding_offshore", "high_end_textile", "new_materials", "ict", "aerospace", "marine", None]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂")
EPOCH = np.datetime64("1970-01-01", "D")


# --------------------------------------------------------------------------------------------- strings


def _strings(matrix: np.ndarray) -> pa.Array:
    """Fixed-width ASCII rows (uint8 matrix n x w) as an Arrow string array, without Python objects."""
    n, width = matrix.shape
    offsets = pa.py_buffer((np.arange(n + 1, dtype=np.int32) * width).tobytes())
    return pa.StringArray.from_buffers(n, offsets, pa.py_buffer(np.ascontiguousarray(matrix).tobytes()))


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """n x width matrix of the decimal digits (as integers) of non-negative `values`."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers) % 10


def _id_numbers(adcode: np.ndarray, birth_days: np.ndarray, seq: np.ndarray) -> pa.Array:
    ymd = np.datetime_as_string(EPOCH + birth_days.astype("timedelta64[D]")).astype("U10")
    ymd_int = np.char.replace(ymd, "-", "").astype(np.int64)
    first17 = np.hstack([_digits(adcode, 6), _digits(ymd_int, 8), _digits(seq, 3)])
    check = np.frombuffer(ID_CHECK_CHARS.encode(), np.uint8)[(first17 * np.array(ID_WEIGHTS)).sum(1) % 11]
    return _strings(np.hstack([(first17 + 48).astype(np.uint8), check[:, None]]))


def _usccs(rng: np.random.Generator, n: int) -> pa.Array:
    alphabet = np.frombuffer(USCC_ALPHABET.encode(), np.uint8)
    head = np.stack([np.full(n, 9), np.full(n, 1)], 1)  # 91: registered with market regulation, enterprise
    area = _digits(rng.choice(CITY_ADCODES, n), 6)
    body = rng.integers(0, 31, (n, 9))
    body[:, 0] = np.arange(n) % 10  # make codes distinct: position 9 + the index below
    values = np.hstack([head, area, body])
    values[:, 9:17] = (np.arange(n)[:, None] // 31 ** np.arange(8)) % 31
    check = (31 - (values * np.array(USCC_WEIGHTS)).sum(1) % 31) % 31
    return _strings(alphabet[np.hstack([values, check[:, None]])])


def _decimal(cents: np.ndarray) -> pa.Array:
    """DECIMAL(18,2) array from integer cents (non-negative, < 2**63)."""
    words = np.zeros((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(cents), [None, pa.py_buffer(words.tobytes())])


def _months(month_index: np.ndarray) -> pa.Array:
    """'YYYY-MM' strings for months counted from 1970-01."""
    year, month = 1970 + month_index // 12, month_index % 12 + 1
    return _strings(
        np.hstack([_digits(year, 4), np.full((len(year), 1), -3), _digits(month, 2)]).astype(np.uint8) + 48
    )


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), pa.date32())


def _pick(rng: np.random.Generator, options: list, n: int) -> pa.Array:
    return pa.array(options).take(pa.array(rng.integers(0, len(options), n)))


# --------------------------------------------------------------------------------------------- feeds


def generate(out_dir: Path, *, persons: int, seed: int, fmt: str = "parquet") -> dict[str, int]:
    """A valid snapshot of `persons` people with ~30 social-insurance months each; returns row counts."""
    rng = np.random.default_rng(seed)
    n = persons
    space = len(BIRTH_ADCODES) * 16_000 * 1000  # (birth adcode, birth day, sequence) triples
    key = rng.choice(space, size=n, replace=False)
    adcode = BIRTH_ADCODES[key % len(BIRTH_ADCODES)]
    birth = (key // len(BIRTH_ADCODES)) % 16_000 - 5_000  # 1956 .. 2000
    seq = key // (len(BIRTH_ADCODES) * 16_000)
    ids = _id_numbers(adcode, birth, seq)
    male = seq % 2 == 1
    phones = pa.array(np.char.add("13", rng.integers(0, 10**9, n).astype("U9")).astype(object))
    tables = {
        "persons": pa.table(
            {
                "id_number": ids,
                "name": pa.array(np.char.add(rng.choice(SURNAMES, n), rng.choice(GIVEN, n)).astype(object)),
                "gender": pa.array(np.where(male, "M", "F").astype(object)),
                "birth_date": _dates(birth),
                "hukou_adcode": pa.array(rng.choice(CITY_ADCODES, n).astype(str).astype(object)),
                "phone": pc.if_else(pa.array(rng.random(n) < 0.1), pa.scalar(None, pa.string()), phones),
            }
        )
    }
    n_ent = max(10, n // 20)
    usccs = _usccs(rng, n_ent)
    tables["enterprises"] = pa.table(
        {
            "uscc": usccs,
            "name": pa.array([f"企业{i}有限公司" for i in range(n_ent)]),
            "industry_code": _pick(rng, INDUSTRIES, n_ent),
            "industry_chain": _pick(rng, CHAINS, n_ent),
            "adcode": pa.array(rng.choice(CITY_ADCODES, n_ent).astype(str).astype(object)),
            "key_enterprise": pa.array(rng.random(n_ent) < 0.05),
            "established": _dates(rng.integers(5_000, 19_000, n_ent)),
        }
    )
    tables["social_insurance"] = _social_insurance(rng, ids, usccs)
    tables["education"] = _education(rng, ids)
    return _write(out_dir, tables, fmt)


def _social_insurance(rng: np.random.Generator, ids: pa.Array, usccs: pa.Array) -> pa.Table:
    """~30 consecutive months per person, one employer per person (80 %) or self-paid (20 %)."""
    n = len(ids)
    months = rng.integers(0, 61, n)  # 0..60, mean 30
    who = np.repeat(np.arange(n), months)
    start = rng.integers(600, 660 - 0, n)  # 2020-01 .. 2024-12
    step = np.arange(len(who)) - np.repeat(np.cumsum(months) - months, months)
    employee = np.repeat(rng.random(n) < 0.8, months)
    employer = np.repeat(rng.integers(0, len(usccs), n), months)
    employer_col = pc.if_else(
        pa.array(employee), usccs.take(pa.array(employer)), pa.scalar(None, pa.string())
    )
    return pa.table(
        {
            "id_number": ids.take(pa.array(who)),
            "month": _months(np.repeat(start, months) + step),
            "kind": pa.array(np.where(employee, "employee", "flexible").astype(object)),
            "employer_uscc": employer_col,
            "adcode": pa.array(CITY_ADCODES.astype(str).astype(object)).take(
                pa.array(rng.integers(0, len(CITY_ADCODES), len(who)))
            ),
            "base": _decimal(np.repeat(rng.integers(300_000, 3_000_000, n), months)),
        }
    )


def _education(rng: np.random.Generator, ids: pa.Array) -> pa.Table:
    n = len(ids)
    who = np.flatnonzero(rng.random(n) < 0.6)
    m = len(who)
    return pa.table(
        {
            "id_number": ids.take(pa.array(who)),
            "degree": _pick(rng, ["associate", "bachelor", "master", "doctor"], m),
            "full_time": pa.array(rng.random(m) < 0.9),
            "school_code": _pick(rng, ["4132010284", "10285", "4132010286", "11117"], m),
            "school_name": _pick(rng, ["南京大学", "苏州大学", "东南大学", "扬州大学"], m),
            "double_first_class": pa.array(rng.random(m) < 0.3),
            "major_code": _pick(rng, ["080901", "120203K", "080910T", "510101"], m),
            "major_name": _pick(
                rng, ["计算机科学与技术", "会计学", "数据科学与大数据技术", "电子信息工程技术"], m
            ),
            "graduation_date": _dates(rng.integers(10_000, 19_500, m)),
        }
    )


def _write(out_dir: Path, tables: dict[str, pa.Table], fmt: str) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        if fmt == "parquet":
            pq.write_table(table, out_dir / f"{name}.parquet", compression="zstd", row_group_size=1_000_000)
        else:
            pacsv.write_csv(table, out_dir / f"{name}.csv")
    return {name: t.num_rows for name, t in tables.items()}


# --------------------------------------------------------------------------------------------- runner


def cached_input(persons: int, seed: int, fmt: str, cache: Path) -> tuple[Path, str]:
    """The input folder for these parameters, generated on first use; and which generator made it."""
    try:
        from magnet.core import democity  # another engineer's generator, used once it exists

        gen, who = democity.generate, "magnet.core.democity.generate"  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        gen, who = generate, "bench/feeds_load.py generator"
    folder = cache / f"feeds-{persons}-{seed}-{fmt}-{'democity' if 'democity' in who else 'bench'}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        counts = gen(folder, persons=persons, seed=seed, fmt=fmt)
        (folder / ".complete").write_text(repr(counts))
        print(f"generated {folder} in {time.perf_counter() - started:.1f} s: {counts}", file=sys.stderr)
    return folder, who


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
