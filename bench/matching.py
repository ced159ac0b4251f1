"""Benchmark of the matching engine on demo data (`magnet.core.matching.synthetic`, seed 1).

    uv run python bench/matching.py --jobs 200000 --talents 1000000

Builds the index the way the app does at start (one upsert per job and talent, then the first query
folds them into the sparse matrices), then measures in the same process:

- `best_jobs(k=20)` for `--talent-samples` random talents and `best_talents(k=50)` for `--job-samples`
  random jobs, one after another, breakdowns included: p50 and p95;
- how many of the 20 jobs `best_jobs` returns an exhaustive scoring of every open job would also return
  (the price of scoring candidates only), on 200 of those talents;
- changes: 200 postings added or closed one at a time, each followed by `best_jobs` for a talent it
  concerns: whether the change shows, and how long that first query after it takes;
- the nightly digest: every talent's best 20 job ids with `--workers` processes, the whole run timed;
- CPU time and peak resident memory (the parent's, and the largest worker's: workers share the index's
  pages with the parent after fork, so the two are not to be added up).

Budgets (matching issue, 2-core machine): best jobs p95 ≤ 50 ms, best talents p95 ≤ 200 ms, digest ≤ 15
minutes, at most 6 GiB resident.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from feeds_load import _machine  # noqa: E402

from magnet.core.matching import DEGREES, Catalogue, Job, MatchIndex, synthetic  # noqa: E402


def rss_now() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 2**20
    return 0.0


def peak(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 2**20


def cpu(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values) * 1000, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200_000)
    parser.add_argument("--talents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--talent-samples", type=int, default=1000)
    parser.add_argument("--job-samples", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-digest", action="store_true")
    args = parser.parse_args()
    print(f"machine: {_machine()}", flush=True)
    rng = random.Random(7)
    pick_t = set(rng.sample(range(args.talents), min(args.talent_samples, args.talents)))
    pick_j = set(rng.sample(range(args.jobs), min(args.job_samples, args.jobs)))
    index = MatchIndex(Catalogue.from_csv(), today=synthetic.TODAY)
    sample_jobs, sample_talents = [], []
    gen_seconds = 0.0
    started, cpu0 = time.perf_counter(), cpu()
    # the generator's time is measured apart and taken out: the build is the upserts and the first merge
    mark = time.perf_counter()
    for i, job in enumerate(synthetic.jobs(args.jobs, args.seed)):
        now = time.perf_counter()
        gen_seconds += now - mark
        index.upsert_job(job)
        if i in pick_j:
            sample_jobs.append(job)
        mark = time.perf_counter()
    for i, talent in enumerate(synthetic.talents(args.talents, args.seed)):
        now = time.perf_counter()
        gen_seconds += now - mark
        index.upsert_talent(talent)
        if i in pick_t:
            sample_talents.append(talent)
        mark = time.perf_counter()
    index._prepare(force=True)  # what the first query does
    built = time.perf_counter() - started - gen_seconds
    print(
        f"index: {args.jobs:,} jobs, {args.talents:,} talents, {len(index.vocab):,} words; built in {built:.1f} s "
        f"(generating the data took another {gen_seconds:.1f} s); RSS {rss_now():.2f} GiB, peak {peak():.2f} GiB",
        flush=True,
    )

    times = []
    for talent in sample_talents:
        t0 = time.perf_counter()
        index.best_jobs(talent, 20)
        times.append(time.perf_counter() - t0)
    print(
        f"best_jobs k=20, {len(times)} talents: p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms, "
        f"max {pct(times, 100):.1f} ms",
        flush=True,
    )
    times = []
    for job in sample_jobs:
        t0 = time.perf_counter()
        index.best_talents(job, 50)
        times.append(time.perf_counter() - t0)
    print(
        f"best_talents k=50, {len(times)} jobs: p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms, "
        f"max {pct(times, 100):.1f} ms",
        flush=True,
    )

    overlap = []
    live = index.jobs.live_view()
    for talent in sample_talents[:200]:
        got = [m.id for m in index.best_jobs(talent, 20)]
        keys, ids, counts = index._talent_keys(talent, add=False)
        t = {name: np.array([value]) for name, value in keys.items()}
        q = index_row(index, ids, counts)
        slots, _ = index._rank_jobs(t, q, live, live, 20)[0]
        every = {index.jobs.ids[s] for s in slots}
        overlap.append(len(every & set(got)) / max(1, len(every)))
    print(
        f"candidates: the 20 best of an exhaustive scoring are in best_jobs for {100 * np.mean(overlap):.1f} % "
        f"(200 talents; min {100 * min(overlap):.0f} %)",
        flush=True,
    )

    # changes: a new posting (a copy of a talent's best job, posted today) must show in that talent's
    # next best_jobs; a closed one must be gone from it; each query right after its change is timed
    times, shown = [], 0
    for n, talent in enumerate(sample_talents[200:400]):
        best = index.best_jobs(talent, 20)
        if not best:
            continue
        slot = index.jobs.slot[best[0].id]
        if n % 2 == 0:
            new = replace(_job_like(index, slot), id=f"NEW-{n}", posted=synthetic.TODAY)
            index.upsert_job(new)
            t0 = time.perf_counter()
            got = index.best_jobs(talent, 20)
            times.append(time.perf_counter() - t0)
            shown += any(m.id == new.id for m in got)
        else:
            index.remove_job(best[0].id)
            t0 = time.perf_counter()
            got = index.best_jobs(talent, 20)
            times.append(time.perf_counter() - t0)
            shown += all(m.id != best[0].id for m in got)
    print(
        f"changes: {len(times)} postings added or closed one at a time, each seen by the next best_jobs in "
        f"{shown} cases; that query p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms",
        flush=True,
    )

    if not args.no_digest:
        t0, c0 = time.perf_counter(), cpu() + cpu(resource.RUSAGE_CHILDREN)
        count = sum(1 for _ in index.digest(20, workers=args.workers))
        seconds = time.perf_counter() - t0
        cpu_s = cpu() + cpu(resource.RUSAGE_CHILDREN) - c0
        print(
            f"digest k=20, {count:,} talents, {args.workers} workers: {seconds:.1f} s ({seconds / 60:.1f} min), "
            f"CPU {cpu_s:.0f} s",
            flush=True,
        )
    print(
        f"peak RSS: parent {peak():.2f} GiB, largest worker {peak(resource.RUSAGE_CHILDREN):.2f} GiB; "
        f"CPU {cpu() - cpu0:.0f} s in the parent",
        flush=True,
    )


def _job_like(index: MatchIndex, slot: int) -> Job:
    """A Job equal in every scored respect to the one in `slot` (rebuilt from the index's own keys)."""
    ids, counts = index.job_rows.row(slot)
    words = [w for i, c in zip(ids, counts, strict=True) for w in [index.vocab.words[i]] * int(c)]
    cols = index._job_cols(np.array([slot]))
    pmin, pmax = index._pps.values[int(cols["pp"][0])]
    chain_id, key = index._cks.values[int(cols["ck"][0])]
    chain = next((c for c, i in index._chains.items() if i == chain_id), None)
    return Job(
        id="",
        description=" ".join(words),
        majors=index._sets.values[int(cols["set"][0])],
        min_degree=DEGREES[int(cols["deg"][0]) - 1] if cols["deg"][0] else None,
        adcode=index._ads.values[int(cols["ad"][0])] or None,
        pay_min=None if pmin < 0 else pmin,
        pay_max=None if pmax < 0 else pmax,
        chain=chain,
        key_chain=bool(key),
    )


def index_row(index: MatchIndex, ids: np.ndarray, counts: np.ndarray):
    from magnet.core.matching.ranking import one_row

    return one_row(ids, counts, len(index.vocab))


if __name__ == "__main__":
    main()
