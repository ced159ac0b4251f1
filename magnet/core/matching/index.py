"""The match index: open jobs and talent profiles as columns of numbers, scored both ways.

Each side keeps one slot per id: small integer keys (interned major, wished places, pay, chains …) in
numpy arrays, and its words as a sparse row (`text.Rows`). Changes show in the next query: a changed
job is one row weighed with the BM25 statistics of the last refresh, and every job is weighed again once
`STATS_SHARE` of them changed. Thread-safe (one lock). A digest with `workers` > 1 ranks the index as
it was when it started (forked processes); in one process, changes made meanwhile show in later blocks.

Candidates. For a talent, the jobs scored are those asking for the talent's major class or one of its
majors, for its discipline as a whole, or for any major (vectorised scans of the key arrays, not one
Python test per job), plus up to `N_EXTRA_JOBS` more that share the talent's rarest words (BM25 over
words in at most `RARE_SHARE` of the jobs, a sparse matrix product). A job asking only for other
classes is otherwise left out: it would get the discipline's points for the major at most, 0 outside
it. For a job, the talents scored are those of the classes and disciplines it asks for (everyone when
it asks for any major), plus the `N_EXTRA_TALENTS` with the most text in common among the rest.

The nightly digest scores talents in blocks of the same class: one candidate set per block, each part
a table gathered into a (talents × jobs) array, the text a sparse product, the best k per row by a
partition; `best_jobs` is the same computation for a block of one, so both give the same lists.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import score as S
from . import words as W
from .catalogue import Catalogue
from .model import Filters, Job, Match, Part, Talent, degree_level
from .ranking import fit_width, merge_rows, one_row, take_rows, top_rows
from .slots import Interner, Side, adcode_digits, adcode_prefix, factor, padded
from .text import Rows, Vocabulary, tokens

N_EXTRA_JOBS = 50
N_EXTRA_TALENTS = 200
RARE_SHARE, RARE_MIN = 0.005, 20  # a word is rare in at most max(RARE_MIN, RARE_SHARE · jobs) jobs
MERGE_MIN, MERGE_SHARE = 2_000, 0.02  # fold changed rows into the matrices past this many
STATS_MIN, STATS_SHARE = 100, 0.01  # weigh every job again (new idf, average length) past this many changes
GRID_CELLS = 6_000_000  # talents × jobs scored at once in the digest


class MatchIndex:
    """Open jobs and talent profiles, matched both ways (see the module docstring)."""

    def __init__(self, catalogue: Catalogue, *, today: date | None = None) -> None:
        self.catalogue = catalogue
        self.today = today
        self._lock = threading.RLock()
        self.vocab = Vocabulary()
        self.jobs = Side(
            {
                "set": np.int32,
                "deg": np.int8,
                "ad": np.int32,
                "pp": np.int32,
                "ck": np.int32,
                "posted": np.int32,
                "dl": np.float32,
            }
        )
        self.talents = Side({"tm": np.int32, "deg": np.int8, "wish": np.int32, "pay": np.int32, "chains": np.int32})
        self.job_rows, self.talent_rows = Rows(), Rows()
        self.df = np.zeros(0, dtype=np.int64)  # open jobs holding each word
        self.job_words_total = 0.0
        self._job_version = 0  # bumped by every job change; keys the caches below
        self._cache: dict[str, tuple[Any, Any]] = {}
        self._w = Rows()  # see _weights
        self._stats: tuple[np.ndarray, float] | None = None
        self._stats_changes = 0
        self._codes: dict[str, int] = {}
        self._chains: dict[str, int] = {}
        self._sets = Interner(self._set_arrays)
        self._tmajors = Interner(self._tmajor_arrays)
        self._ads = Interner(
            lambda v: (
                np.array([int(c.ljust(6, "0")) for c in v], np.int64),
                np.array([len(c) for c in v], np.int8),
            )
        )
        self._wishes = Interner(
            lambda v: (
                padded([[int(c.ljust(6, "0")) for c in w] for w in v], 0, np.int64),
                padded([[len(c) for c in w] for w in v], 0, np.int8),
            )
        )
        self._pps = Interner(lambda v: (np.array([p[0] for p in v], np.int64), np.array([p[1] for p in v], np.int64)))
        self._tpays = Interner(lambda v: (np.array(v, np.int64),))
        self._chainsets = Interner(lambda v: (padded([list(c) for c in v]),))
        self._cks = Interner(lambda v: (np.array([c[0] for c in v], np.int32), np.array([c[1] for c in v], bool)))

    # --- keys -------------------------------------------------------------------------------------

    def _code(self, code: str) -> int:
        return self._codes.setdefault(code, len(self._codes))

    def _set_arrays(self, sets: list[tuple[str, ...]]) -> tuple[np.ndarray, ...]:
        majors = [[self._code(c) for c in s if len(c) >= 6] for s in sets]
        classes = [[self._code(c[:4]) for c in s if len(c) >= 4] for s in sets]
        discs = [[self._code(c[:2]) for c in s] for s in sets]
        entries = [[self._code(c) for c in s if len(c) == 2] for s in sets]
        is_open = np.array([len(s) == 0 for s in sets], dtype=bool)
        return padded(majors), padded(classes), padded(discs), padded(entries), is_open

    def _tmajor_arrays(self, codes: list[str]) -> tuple[np.ndarray, ...]:
        maj = np.array([self._code(c) if len(c) >= 6 else -1 for c in codes], np.int32)
        cls = np.array([self._code(c[:4]) if len(c) >= 4 else -1 for c in codes], np.int32)
        disc = np.array([self._code(c[:2]) if c else -1 for c in codes], np.int32)
        return maj, cls, disc

    def _major(self, code: str | None, what: str) -> str:
        if code is None or str(code).strip() == "":
            return ""
        norm = self.catalogue.normalise(str(code))
        if norm is None:
            raise ValueError(f"{what} {code!r} is not a catalogue code (2, 4 or 6-7 digits, T/K allowed)")
        return norm

    def _job_keys(self, job: Job) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        majors = tuple(sorted({self._major(c, "major") for c in job.majors} - {""}))
        if job.pay_min is not None and job.pay_max is not None and job.pay_min > job.pay_max:
            raise ValueError(f"pay_min {job.pay_min} is above pay_max {job.pay_max}")
        chain = -1 if not job.chain else self._chains.setdefault(job.chain, len(self._chains))
        keys = {
            "set": self._sets(majors),
            "deg": degree_level(job.min_degree),
            "ad": self._ads(adcode_digits(job.adcode) if job.adcode else ""),
            "pp": self._pps(
                (-1 if job.pay_min is None else int(job.pay_min), -1 if job.pay_max is None else int(job.pay_max))
            ),
            "ck": self._cks((chain, bool(job.key_chain))),
            "posted": job.posted.toordinal() if job.posted else -1,
        }
        words = tokens(job.title) * 2 + tokens(" ".join(job.skills)) + tokens(job.description)
        ids, counts = self.vocab.counts(words)
        return keys, ids, counts

    def _talent_keys(self, talent: Talent, *, add: bool) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        major = self._major(talent.major_code, "major_code")
        chains = tuple(sorted({self._chains.setdefault(c, len(self._chains)) for c in talent.wish_chains if c}))
        keys = {
            "tm": self._tmajors(major),
            "deg": degree_level(talent.degree),
            "wish": self._wishes(tuple(sorted({adcode_digits(a) for a in talent.wish_adcodes}))),
            "pay": self._tpays(-1 if talent.wish_pay is None else int(talent.wish_pay)),
            "chains": self._chainsets(chains),
        }
        name = self.catalogue.name(major) if major else ""
        words = tokens(" ".join(talent.skills)) + tokens(name) + tokens(talent.about)
        ids, counts = self.vocab.counts(words, add=add)
        return keys, ids, counts

    # --- changes ----------------------------------------------------------------------------------

    def upsert_job(self, job: Job) -> None:
        """Add or replace an open job; it shows in the next query."""
        with self._lock:
            keys, ids, counts = self._job_keys(job)
            self._drop_job_words(job.id)
            slot = self.jobs.place(job.id)
            for name, value in keys.items():
                self.jobs.cols[name][slot] = value
            self.jobs.cols["dl"][slot] = counts.sum()
            if not self.jobs.live[slot]:
                self.jobs.live[slot] = True
                self.jobs.n_live += 1
            self.job_rows.set(slot, ids, counts)
            self._df()
            self.df[ids] += 1
            self.job_words_total += float(counts.sum())
            self._job_version += 1
            self._stats_changes += 1
            if self._stats is not None:
                self._w.set(slot, ids, self._weigh(ids, counts, np.full(len(ids), counts.sum(), np.float32)))

    def _drop_job_words(self, job_id: str) -> None:
        slot = self.jobs.slot.get(job_id)
        if slot is None or not self.jobs.live[slot]:
            return
        ids, counts = self.job_rows.row(slot)
        self.df[ids] -= 1
        self.job_words_total -= float(counts.sum())

    def remove_job(self, job_id: str) -> None:
        """Take a job out (closed, expired, withdrawn); unknown ids are ignored."""
        with self._lock:
            slot = self.jobs.slot.get(job_id)
            if slot is None or not self.jobs.live[slot]:
                return
            self._drop_job_words(job_id)
            self._job_version += 1
            self._stats_changes += 1
            self._w.delete(slot)
            self.jobs.live[slot] = False
            self.jobs.n_live -= 1
            self.job_rows.delete(slot)

    def upsert_talent(self, talent: Talent) -> None:
        """Add or replace a visible talent profile."""
        with self._lock:
            keys, ids, counts = self._talent_keys(talent, add=True)
            slot = self.talents.place(talent.id)
            for name, value in keys.items():
                self.talents.cols[name][slot] = value
            if not self.talents.live[slot]:
                self.talents.live[slot] = True
                self.talents.n_live += 1
            self.talent_rows.set(slot, ids, counts)

    def remove_talent(self, talent_id: str) -> None:
        """Take a talent out (profile hidden or deleted); unknown ids are ignored."""
        with self._lock:
            slot = self.talents.slot.get(talent_id)
            if slot is None or not self.talents.live[slot]:
                return
            self.talents.live[slot] = False
            self.talents.n_live -= 1
            self.talent_rows.delete(slot)

    def _prepare(self, force: bool = False) -> None:
        """Fold changed rows into the matrices when there are many (or when `force`)."""
        width = len(self.vocab)
        for side, rows in ((self.jobs, self.job_rows), (self.talents, self.talent_rows)):
            limit = max(MERGE_MIN, MERGE_SHARE * len(side))
            if rows.pending and (force or len(rows.pending) > limit):
                rows.merge(width)

    # --- shared numbers ---------------------------------------------------------------------------

    def _today(self) -> int:
        return (self.today or date.today()).toordinal()

    def _avg_len(self) -> float:
        return self.job_words_total / self.jobs.n_live if self.jobs.n_live and self.job_words_total > 0 else 1.0

    def _df(self) -> np.ndarray:
        if len(self.df) < len(self.vocab):
            self.df = np.concatenate([self.df, np.zeros(len(self.vocab) - len(self.df) + 4096, np.int64)])
        return self.df[: len(self.vocab)]

    def _cached(self, name: str, key: Any, make: Callable[[], Any]) -> Any:
        hit = self._cache.get(name)
        if hit is None or hit[0] != key:
            hit = self._cache[name] = (key, make())
        return hit[1]

    def _weights(self) -> Rows:
        """Every job's row of idf × BM25 term frequency. The corpus statistics (idf, average length) are
        those of the last refresh: a job changed since is an overlay row weighed with the same statistics,
        so a change costs one row, and every row is weighed again once STATS_SHARE of the jobs changed."""
        if self._stats is None or self._stats_changes > max(STATS_MIN, STATS_SHARE * self.jobs.n_live):
            n, df = self.jobs.n_live, self._df()
            idf = S.bm25_idf(df, n)
            idf[df > max(1.0, S.COMMON_SHARE * n)] = 0.0
            self._stats, self._stats_changes = (idf, self._avg_len()), 0
            rows = self.job_rows.take(np.arange(len(self.jobs)), len(self.vocab))
            dl = np.repeat(self.jobs.cols["dl"][: len(self.jobs)], np.diff(rows.indptr))
            w = Rows()
            w.base = sp.csr_matrix(
                (self._weigh(rows.indices, rows.data, dl), rows.indices, rows.indptr), shape=rows.shape
            )
            w.base_csc, w.stale = w.base.tocsc(), np.zeros(rows.shape[0], dtype=bool)
            self._w = w
        return self._w

    def _weigh(self, ids: np.ndarray, counts: np.ndarray, doc_len: np.ndarray) -> np.ndarray:
        """idf × BM25 term frequency with the statistics of the last refresh (words new since: today's idf)."""
        assert self._stats is not None
        idf, avg = self._stats
        weight = np.zeros(len(ids), dtype=np.float32)
        known = ids < len(idf)
        weight[known] = idf[ids[known]]
        if not known.all():
            n, df = self.jobs.n_live, self._df()[ids[~known]]
            weight[~known] = np.where(df > max(1.0, S.COMMON_SHARE * n), 0.0, S.bm25_idf(df, n))
        return (S.bm25_saturate(counts, doc_len, avg) * weight).astype(np.float32)

    def _job_weights(self, slots: np.ndarray) -> sp.csr_matrix:
        """Rows of jobs `slots`: idf times BM25's term-frequency part, one column per word."""
        return self._weights().take(slots, len(self.vocab))

    def _job_text(self, q: sp.csr_matrix) -> np.ndarray:
        """BM25 of one talent's words against every job slot (the same sums `_score_grid` makes)."""
        return self._weights().column_dot(q.indices, q.data, len(self.jobs), len(self.vocab))

    def _recency(self, posted: np.ndarray) -> np.ndarray:
        days = np.where(posted < 0, -1, self._today() - posted)
        return S.recency_points(days)

    def _recency_all(self) -> np.ndarray:
        key = (self._job_version, len(self.jobs), self._today())
        return self._cached("recency", key, lambda: self._recency(self.jobs.view("posted")))

    # --- the parts as tables ----------------------------------------------------------------------

    def _components(self, t: dict[str, np.ndarray], j: dict[str, np.ndarray]) -> dict[str, tuple]:
        """Per part: talents' and jobs' indices into a table of level codes over their distinct keys."""
        out = {}

        def part(name: str, tk: np.ndarray, jk: np.ndarray, n_t: int, n_j: int, table_of, points) -> None:
            it, ut = factor(tk, n_t)
            ij, uj = factor(jk, n_j)
            lev = table_of(ut, uj)
            out[name] = (it, ij, lev, points[lev])

        tmaj, tcls, tdisc = self._tmajors.arrays()
        smaj, scls, sdisc, _, sopen = self._sets.arrays()
        part(
            "major",
            t["tm"],
            j["set"],
            len(tmaj),
            len(sopen),
            lambda a, b: S.major_table(tmaj[a], tcls[a], tdisc[a], smaj[b], scls[b], sdisc[b], sopen[b]),
            S.MAJOR_POINTS,
        )
        part(
            "degree",
            t["deg"].astype(np.int32),
            j["deg"].astype(np.int32),
            5,
            5,
            lambda a, b: S.degree_table(a.astype(np.int8), b.astype(np.int8)),
            S.DEGREE_POINTS,
        )
        wcode, wlen = self._wishes.arrays()
        acode, alen = self._ads.arrays()
        part(
            "place",
            t["wish"],
            j["ad"],
            len(wcode),
            len(acode),
            lambda a, b: S.place_table(wcode[a], wlen[a], acode[b], alen[b]),
            S.PLACE_POINTS,
        )
        (tpay,) = self._tpays.arrays()
        pmin, pmax = self._pps.arrays()
        part(
            "pay",
            t["pay"],
            j["pp"],
            len(tpay),
            len(pmin),
            lambda a, b: S.pay_table(tpay[a], pmin[b], pmax[b]),
            S.PAY_POINTS,
        )
        (cset,) = self._chainsets.arrays()
        cchain, ckey = self._cks.arrays()
        part(
            "chain",
            t["chains"],
            j["ck"],
            len(cset),
            len(cchain),
            lambda a, b: S.chain_table(cset[a], cchain[b], ckey[b]),
            S.CHAIN_POINTS,
        )
        return out

    def _grid_points(
        self, t: dict[str, np.ndarray], j: dict[str, np.ndarray], out: np.ndarray, *, combine: bool
    ) -> None:
        """Add the table parts of talents `t` × jobs `j` to `out` (n_t, n_j), two by two. With `combine`, pairs
        of parts are summed over the distinct (talent, job) key combinations first, so fewer big gathers are
        made; without, they are gathered and then added (cheaper for few talents); the floats are the same."""
        comps = self._components(t, j)
        for group in (("major", "pay"), ("degree", "chain"), ("place",)):
            if len(group) == 1:
                it, ij, _, pts = comps[group[0]]
            elif not combine:  # gather both, then add: the same float sums as the combined table
                (it1, ij1, _, p1), (it2, ij2, _, p2) = comps[group[0]], comps[group[1]]
                out += np.take(p1[it1.ravel()], ij1.ravel(), axis=1) + np.take(p2[it2.ravel()], ij2.ravel(), axis=1)
                continue
            else:
                (it1, ij1, _, p1), (it2, ij2, _, p2) = comps[group[0]], comps[group[1]]
                ut, it = np.unique(it1.astype(np.int64) * p2.shape[0] + it2, return_inverse=True)
                uj, ij = np.unique(ij1.astype(np.int64) * p2.shape[1] + ij2, return_inverse=True)
                a1, a2 = ut // p2.shape[0], ut % p2.shape[0]
                b1, b2 = uj // p2.shape[1], uj % p2.shape[1]
                pts = p1[a1[:, None], b1[None, :]] + p2[a2[:, None], b2[None, :]]
            out += np.take(pts[it.ravel()], ij.ravel(), axis=1)

    def _pair_values(
        self, t: dict[str, np.ndarray], j: dict[str, np.ndarray]
    ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Level codes and points of each table part for pairs t[i], j[i]."""
        comps = self._components(t, j)
        return {name: (lev[it, ij], pts[it, ij]) for name, (it, ij, lev, pts) in comps.items()}

    def _talent_cols(self, slots: np.ndarray) -> dict[str, np.ndarray]:
        return {name: self.talents.cols[name][slots] for name in ("tm", "deg", "wish", "pay", "chains")}

    def _job_cols(self, slots: np.ndarray) -> dict[str, np.ndarray]:
        return {name: self.jobs.cols[name][slots] for name in ("set", "deg", "ad", "pp", "ck", "posted")}

    # --- candidates and filters -------------------------------------------------------------------

    def _job_pool(self, tm: int) -> np.ndarray:
        """Open jobs asking for talent-major `tm`'s class (or one of its majors), discipline, or any major."""
        live = self.jobs.live_view()
        _, tcls, tdisc = self._tmajors.arrays()
        cls, disc = int(tcls[tm]), int(tdisc[tm])
        if cls < 0:
            return live.copy()
        _, scls, _, sentry, sopen = self._sets.arrays()
        ok = (scls == cls).any(1) | sopen
        if disc >= 0:
            ok |= (sentry == disc).any(1)
        return live & ok[self.jobs.view("set")]

    def _job_filter(self, filters: Filters | None) -> np.ndarray:
        live = self.jobs.live_view().copy()
        if filters is None:
            return live
        if filters.adcode_prefix:
            prefix = adcode_prefix(filters.adcode_prefix)
            ok = np.array([bool(a) and a.startswith(prefix) for a in self._ads.values], dtype=bool)
            live &= ok[self.jobs.view("ad")]
        if filters.chain:
            chain = self._chains.get(filters.chain, -2)
            cchain, _ = self._cks.arrays()
            live &= (cchain == chain)[self.jobs.view("ck")]
        if filters.min_degree:
            live &= self.jobs.view("deg") >= degree_level(filters.min_degree)
        if filters.pay_at_least is not None:
            pmin, pmax = self._pps.arrays()
            live &= (np.maximum(pmin, pmax) >= filters.pay_at_least)[self.jobs.view("pp")]
        return live

    def _talent_filter(self, filters: Filters | None) -> np.ndarray:
        live = self.talents.live_view().copy()
        if filters is None:
            return live
        if filters.adcode_prefix:
            prefix = adcode_prefix(filters.adcode_prefix)
            ok = np.array(
                [not w or any(a.startswith(prefix) or prefix.startswith(a) for a in w) for w in self._wishes.values],
                dtype=bool,
            )
            live &= ok[self.talents.view("wish")]
        if filters.chain:
            chain = self._chains.get(filters.chain, -2)
            (cset,) = self._chainsets.arrays()
            live &= (cset == chain).any(1)[self.talents.view("chains")]
        if filters.min_degree:
            live &= self.talents.view("deg") >= degree_level(filters.min_degree)
        if filters.pay_at_least is not None:
            (tpay,) = self._tpays.arrays()
            live &= (tpay >= filters.pay_at_least)[self.talents.view("pay")]
        return live

    # --- ranking jobs for a block of talents ------------------------------------------------------

    def _rank_jobs(
        self, t: dict[str, np.ndarray], q: sp.csr_matrix, pool: np.ndarray, allowed: np.ndarray, k: int
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Best `k` jobs (slots, scores) for each talent of a block sharing one candidate `pool`."""
        cols = np.flatnonzero(pool & allowed)
        grid = self._score_grid(t, q, cols)
        best = top_rows(grid, cols, k)
        tix, jix = self._rare_extras(q, allowed & ~pool)
        if len(tix):
            extra = self._score_pairs(t, q, tix, jix)
            best = merge_rows(best, tix, jix, extra, k)
        return best

    def _score_grid(self, t: dict[str, np.ndarray], q: sp.csr_matrix, cols: np.ndarray) -> np.ndarray:
        n = len(t["tm"])
        if not len(cols):
            return np.zeros((n, 0), dtype=np.float32)
        j = self._job_cols(cols)
        if n == 1:  # one talent: its words' columns against every job, then the candidates
            total = S.text_points(self._job_text(q)[cols])[None, :]
        else:  # jobs × talents, so the big job matrix is not transposed; points on the stored values only
            w = self._job_weights(cols)
            text = (w @ fit_width(q, w.shape[1]).T.tocsr()).tocsr()
            text.data = S.text_points(text.data)
            total = text.toarray(order="F").T  # C-ordered talents × jobs without a transposing copy
        total += self._recency_all()[cols][None, :]
        self._grid_points(t, j, total, combine=n > 8)
        return total

    def _score_pairs(self, t: dict[str, np.ndarray], q: sp.csr_matrix, tix: np.ndarray, jix: np.ndarray) -> np.ndarray:
        tp = {name: arr[tix] for name, arr in t.items()}
        j = self._job_cols(jix)
        w = self._job_weights(jix)
        text = np.asarray(fit_width(q[tix], w.shape[1]).multiply(w).sum(axis=1), dtype=np.float32).ravel()
        return self._pair_total(tp, j, S.text_points(text))

    def _pair_total(self, t: dict[str, np.ndarray], j: dict[str, np.ndarray], text: np.ndarray) -> np.ndarray:
        """Scores of pairs, added in the order `_score_grid` adds them (so both give the same floats)."""
        val = self._pair_values(t, j)
        total = (text + self._recency(j["posted"])).astype(np.float32)  # same order as _score_grid
        total += val["major"][1] + val["pay"][1]
        total += val["degree"][1] + val["chain"][1]
        total += val["place"][1]
        return total

    def _rare_extras(self, q: sp.csr_matrix, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(talent row, job slot) pairs: per talent the N_EXTRA_JOBS `allowed` jobs sharing most rare words."""
        df = self._df()
        rare = (df > 0) & (df <= max(RARE_MIN, RARE_SHARE * self.jobs.n_live))
        words = np.unique(q.indices[rare[q.indices]]) if q.nnz else np.zeros(0, np.int32)
        if not len(words) or not N_EXTRA_JOBS:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        w = self._weights()
        parts = []
        if w.base.shape[0]:  # talents × jobs over the rare words only; rows changed since are in the overlay
            inside = words[words < w.base_csc.shape[1]]
            got = (q[:, inside] @ w.base_csc[:, inside].T).tocoo()
            keep = ~w.stale[got.col]
            parts.append((got.row[keep], got.col[keep], got.data[keep]))
        if w.pending:
            slots, fresh = w.overlay(len(self.vocab))
            got = (q[:, words] @ fresh[:, words].T).tocoo()
            parts.append((got.row, slots[got.col], got.data))
        row = np.concatenate([p[0] for p in parts]).astype(np.int64) if parts else np.zeros(0, np.int64)
        slot = np.concatenate([p[1] for p in parts]).astype(np.int64) if parts else np.zeros(0, np.int64)
        val = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.float32)
        keep = (val > 0) & (slot < len(self.jobs))
        keep[keep] = allowed[slot[keep]]
        row, slot, val = row[keep], slot[keep], val[keep]
        order = np.lexsort((slot, -val, row))
        row, slot = row[order], slot[order]
        rank = np.arange(len(row)) - np.searchsorted(row, row, side="left")
        take = rank < N_EXTRA_JOBS
        return row[take], slot[take]

    # --- public queries ---------------------------------------------------------------------------

    def best_jobs(self, talent: Talent, k: int = 20, filters: Filters | None = None) -> list[Match]:
        """The talent's best `k` open jobs, best first, each with its breakdown."""
        with self._lock:
            self._prepare()
            keys, ids, counts = self._talent_keys(talent, add=False)
            t = {name: np.array([value]) for name, value in keys.items()}
            q = one_row(ids, counts, len(self.vocab))
            pool = self._job_pool(keys["tm"])
            slots, scores = self._rank_jobs(t, q, pool, self._job_filter(filters), k)[0]
            if not len(slots):
                return []
            many = np.zeros(len(slots), dtype=np.int64)
            parts = self._describe(take_rows(t, many), q[many], self._job_cols(slots), self._job_weights(slots))
            return [
                Match(self.jobs.ids[s], round(float(sc), 3), p) for s, sc, p in zip(slots, scores, parts, strict=True)
            ]

    def best_talents(self, job: Job, k: int = 50, filters: Filters | None = None) -> list[Match]:
        """The job's best `k` visible talents, best first, each with its breakdown."""
        with self._lock:
            self._prepare()
            keys, ids, counts = self._job_keys(job)
            w = self._own_weights(ids, counts)
            n = len(self.talents)
            text_all = self.talent_rows.column_dot(w.indices[w.data > 0], w.data[w.data > 0], n, len(self.vocab))
            allowed = self._talent_filter(filters)
            pool = allowed & self._talent_pool(keys["set"])
            rest = np.flatnonzero(allowed & ~pool & (text_all > 0))
            if len(rest) > N_EXTRA_TALENTS:
                rest = rest[np.lexsort((rest, -text_all[rest]))[:N_EXTRA_TALENTS]]
            pool[rest] = True
            cands = np.flatnonzero(pool)
            t = self._talent_cols(cands)
            j = {name: np.array([keys[name]]) for name in ("set", "deg", "ad", "pp", "ck", "posted")}
            total = S.text_points(text_all[cands])[:, None] + self._recency(j["posted"])[None, :]
            self._grid_points(t, j, total, combine=False)
            slots, scores = top_rows(total.T, cands, k)[0]
            if not len(slots):
                return []
            many = np.zeros(len(slots), dtype=np.int64)
            q = self.talent_rows.take(slots, len(self.vocab))
            parts = self._describe(self._talent_cols(slots), q, take_rows(j, many), w[many])
            return [
                Match(self.talents.ids[s], round(float(sc), 3), p)
                for s, sc, p in zip(slots, scores, parts, strict=True)
            ]

    def _own_weights(self, ids: np.ndarray, counts: np.ndarray) -> sp.csr_matrix:
        """A job's row of idf × BM25 term frequency from its own words (as `_job_weights` for stored jobs)."""
        self._weights()  # the statistics of the last refresh
        data = self._weigh(ids, counts, np.full(len(ids), counts.sum(), np.float32))
        return sp.csr_matrix((data, ids, [0, len(ids)]), shape=(1, len(self.vocab)))

    def _talent_pool(self, set_id: int) -> np.ndarray:
        """Visible talents whose class or discipline the job set asks for (everyone when it asks for any)."""
        live = self.talents.live_view()
        smaj, scls, sdisc, sentry, sopen = self._sets.arrays()
        if sopen[set_id]:
            return live.copy()
        _, tcls, tdisc = self._tmajors.arrays()
        classes = scls[set_id][scls[set_id] >= 0]
        discs = sentry[set_id][sentry[set_id] >= 0]
        ok = np.isin(tcls, classes) | np.isin(tdisc, discs)
        return live & ok[self.talents.view("tm")]

    def explain(self, talent: Talent, job: Job) -> Match:
        """The score of one talent and one job, part by part (the job's id in the Match)."""
        with self._lock:
            tkeys, tids, tcounts = self._talent_keys(talent, add=False)
            jkeys, jids, jcounts = self._job_keys(job)
            t = {name: np.array([value]) for name, value in tkeys.items()}
            j = {name: np.array([jkeys[name]]) for name in ("set", "deg", "ad", "pp", "ck", "posted")}
            w = self._own_weights(jids, jcounts)
            q = one_row(tids, tcounts, w.shape[1])
            text = np.asarray(q.multiply(w).sum(axis=1), dtype=np.float32).ravel()
            score = float(self._pair_total(t, j, S.text_points(text))[0])
            return Match(job.id, round(score, 3), self._describe(t, q, j, w)[0])

    def _describe(self, t, q: sp.csr_matrix, j, w: sp.csr_matrix) -> list[tuple[Part, ...]]:
        """Parts of pairs t[i], j[i]: the tables' levels and points; the text's words in common.
        `q` holds the talents' word counts, `w` the jobs' idf × BM25 term frequencies, a row per pair."""
        width = max(q.shape[1], w.shape[1])
        q = sp.csr_matrix((q.data, q.indices, q.indptr), shape=(q.shape[0], width))
        w = sp.csr_matrix((w.data, w.indices, w.indptr), shape=(w.shape[0], width))
        both = q.multiply(w).tocsr()
        bm25 = np.asarray(both.sum(axis=1), dtype=np.float32).ravel()
        text = S.text_points(bm25)
        values = self._pair_values(t, j)
        recency = self._recency(j["posted"])
        cat, out = self.catalogue, []
        chains = {i: c for c, i in self._chains.items()}
        for i in range(len(bm25)):
            lo, hi = both.indptr[i], both.indptr[i + 1]
            top = np.argsort(-both.data[lo:hi], kind="stable")[:3]
            shared = [self.vocab.words[c] for c in both.indices[lo:hi][top]]
            lv = {name: int(level[i]) for name, (level, _) in values.items()}
            pt = {name: round(float(points[i]), 3) for name, (_, points) in values.items()}
            tm = self._tmajors.values[int(t["tm"][i])]
            jset = self._sets.values[int(j["set"][i])]
            ad = self._ads.values[int(j["ad"][i])] or None
            pmin, pmax = self._pps.values[int(j["pp"][i])]
            wish = self._tpays.values[int(t["pay"][i])]
            chain = chains.get(self._cks.values[int(j["ck"][i])][0])
            posted = int(j["posted"][i])
            out.append(
                (
                    W.major_part(cat, lv["major"], pt["major"], tm or None, jset),
                    W.degree_part(lv["degree"], pt["degree"], int(t["deg"][i]), int(j["deg"][i])),
                    W.place_part(lv["place"], pt["place"], ad),
                    W.pay_part(
                        lv["pay"],
                        pt["pay"],
                        None if wish < 0 else wish,
                        None if pmin < 0 else pmin,
                        None if pmax < 0 else pmax,
                    ),
                    W.text_part(round(float(text[i]), 3), shared),
                    W.recency_part(round(float(recency[i]), 3), -1 if posted < 0 else max(self._today() - posted, 0)),
                    W.chain_part(lv["chain"], pt["chain"], chain),
                )
            )
        return out

    # --- the nightly digest -----------------------------------------------------------------------

    def digest(self, k: int = 20, *, workers: int = 2) -> Iterator[tuple[str, list[str]]]:
        """Every visible talent's best `k` job ids (talents in blocks of one class, not in id order)."""
        with self._lock:
            self._prepare(force=True)
            self._weights(), self._recency_all()  # built once here, shared by the workers after fork
            tasks = self._digest_tasks()
        if workers <= 1 or len(tasks) < 2:
            for task in tasks:
                with self._lock:  # block by block: changes made meanwhile wait for one block only
                    block = self._digest_block(*task, k)
                yield from block
            return
        global _DIGEST
        _DIGEST = (self, k)
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            for result in pool.imap(_digest_worker, tasks, chunksize=1):
                yield from result
        _DIGEST = None

    def _digest_tasks(self) -> list[tuple[int, np.ndarray]]:
        """(talent major key, talent slots) blocks: talents whose candidate jobs are the same, in slices."""
        slots = np.flatnonzero(self.talents.live_view())
        _, tcls, tdisc = self._tmajors.arrays()
        tm = self.talents.view("tm")[slots]
        pool_key = np.where(tcls[tm] >= 0, tcls[tm].astype(np.int64) * 100_000 + tdisc[tm], -1)
        order = np.lexsort((slots, pool_key))
        slots, pool_key, tm = slots[order], pool_key[order], tm[order]
        tasks = []
        starts = np.flatnonzero(np.r_[True, pool_key[1:] != pool_key[:-1]]) if len(slots) else np.zeros(0, int)
        ends = np.r_[starts[1:], len(slots)]
        for lo, hi in zip(starts, ends, strict=True):
            size = int(self._job_pool(int(tm[lo])).sum())
            step = max(16, min(2048, GRID_CELLS // max(size, 1)))
            for a in range(lo, hi, step):
                tasks.append((int(tm[lo]), slots[a : min(hi, a + step)]))
        return tasks

    def _digest_block(self, tm: int, slots: np.ndarray, k: int) -> list[tuple[str, list[str]]]:
        t = self._talent_cols(slots)
        q = self.talent_rows.take(slots, len(self.vocab))
        best = self._rank_jobs(t, q, self._job_pool(tm), self.jobs.live_view(), k)
        ids = self.jobs.ids
        return [(self.talents.ids[s], [ids[j] for j in js]) for s, (js, _) in zip(slots, best, strict=True)]


_DIGEST: tuple[MatchIndex, int] | None = None


def _digest_worker(task: tuple[int, np.ndarray]) -> list[tuple[str, list[str]]]:
    assert _DIGEST is not None
    index, k = _DIGEST
    return index._digest_block(*task, k)
