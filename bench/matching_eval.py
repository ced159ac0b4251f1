"""Evaluation of the match score on a hand-labelled set: nDCG@10 and recall@50, full score vs BM25 alone.

    uv run python bench/matching_eval.py

`bench/data/matching_eval_jobs.jsonl` holds 300 postings written by hand after the kind of jobs Nantong's
employers advertise (30 trades from ship structure design to nursing, ten postings each, varied in place,
degree, pay and wording); `bench/data/matching_eval_talents.jsonl` 53 graduates' profiles, each with
`relevant`: the jobs judged relevant for that person, 2 = a good fit, 1 = a plausible one. The judgement
(see docs/benchmarks.md) was made per person: which trades they could do well or plausibly, then lowered
one grade for a job outside the cities they name, paying under four fifths of their wish, or asking for
an associate degree from a master; a job asking for a higher degree than they hold is not relevant. The
scorer played no part in it.

Rankings compared, each over all 300 jobs for every talent:
- full: `MatchIndex.best_jobs` as the platform serves it (candidates, then the whole score);
- full, every job scored: the same score over all jobs, no candidate step (what candidates cost);
- BM25 (engine): the score's text part alone, the same jieba words and BM25;
- BM25 (bm25s): the bm25s library over the same words (no common-word skipping), a reference;
- without text: the whole score less its text part (exhaustive, through `explain`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import bm25s
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from magnet.core.matching import Catalogue, MatchIndex, read_jobs, read_talents  # noqa: E402
from magnet.core.matching.ranking import one_row  # noqa: E402
from magnet.core.matching.synthetic import TODAY  # noqa: E402
from magnet.core.matching.text import tokens  # noqa: E402

DATA = ROOT / "bench" / "data"


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(j, 0) - 1) / math.log2(i + 2) for i, j in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = 50) -> float:
    return len(set(ranked[:k]) & set(grades)) / len(grades) if grades else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=Path, default=DATA / "matching_eval_jobs.jsonl")
    parser.add_argument("--talents", type=Path, default=DATA / "matching_eval_talents.jsonl")
    args = parser.parse_args()
    catalogue = Catalogue.from_csv()
    jobs = read_jobs(args.jobs, catalogue)
    talents = read_talents(args.talents, catalogue)
    labels = {}
    for line in args.talents.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[row["id"]] = {j: int(g) for j, g in row["relevant"].items()}
    index = MatchIndex(catalogue, today=TODAY)
    for job in jobs:
        index.upsert_job(job)
    ids = [j.id for j in jobs]
    docs = [tokens(j.title) * 2 + tokens(" ".join(j.skills)) + tokens(j.description) for j in jobs]
    reference = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    reference.index(docs, show_progress=False)

    results: dict[str, list[tuple[float, float]]] = {
        "full": [],
        "full, every job scored": [],
        "BM25 (engine)": [],
        "BM25 (bm25s)": [],
        "without text": [],
    }
    for talent in talents:
        grades = labels[talent.id]
        full = [m.id for m in index.best_jobs(talent, 50)]
        keys, word_ids, counts = index._talent_keys(talent, add=False)
        text = index._job_text(one_row(word_ids, counts, len(index.vocab)))[: len(ids)]
        engine = [ids[i] for i in np.lexsort((np.arange(len(ids)), -text))]
        query = tokens(" ".join(talent.skills)) + tokens(catalogue.name(catalogue.normalise(talent.major_code) or ""))
        query += tokens(talent.about)
        lib = reference.get_scores(query)
        library = [ids[i] for i in np.lexsort((np.arange(len(ids)), -lib))]
        rest = []
        for job in jobs:
            match = index.explain(talent, job)
            rest.append(match.score - next(p.points for p in match.parts if p.name == "text"))
        rest_arr = np.array(rest)
        live = index.jobs.live_view()
        t = {name: np.array([value]) for name, value in keys.items()}
        slots, _ = index._rank_jobs(t, one_row(word_ids, counts, len(index.vocab)), live, live, 50)[0]
        every = [index.jobs.ids[s] for s in slots]
        no_text = [ids[i] for i in np.lexsort((np.arange(len(ids)), -rest_arr)) if rest_arr[i] > -1000]
        for name, ranked in (
            ("full", full),
            ("full, every job scored", every),
            ("BM25 (engine)", engine),
            ("BM25 (bm25s)", library),
            ("without text", no_text),
        ):
            results[name].append((ndcg(ranked, grades), recall(ranked, grades)))

    n_rel = [len(labels[t.id]) for t in talents]
    print(
        f"{len(talents)} talents, {len(jobs)} jobs; relevant jobs per talent: mean {np.mean(n_rel):.1f}, "
        f"min {min(n_rel)}, max {max(n_rel)}"
    )
    print("| ranking | nDCG@10 | recall@50 |")
    print("|---|---:|---:|")
    for name, values in results.items():
        arr = np.array(values)
        print(f"| {name} | {arr[:, 0].mean():.3f} | {arr[:, 1].mean():.3f} |")


if __name__ == "__main__":
    main()
