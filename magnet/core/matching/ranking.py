"""Picking the best per row: top k with ties to the lower slot, merging extra pairs, sparse row helpers."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from . import score as S


def fit_width(q: sp.csr_matrix, width: int) -> sp.csr_matrix:
    """`q` with `width` columns: columns past it (words no job had when the weights were built) dropped."""
    if q.shape[1] == width:
        return q
    q = q.tocoo()
    keep = q.col < width
    return sp.csr_matrix((q.data[keep], (q.row[keep], q.col[keep])), shape=(q.shape[0], width))


def take_rows(values: dict[str, np.ndarray], index: np.ndarray) -> dict[str, np.ndarray]:
    return {name: arr[index] for name, arr in values.items()}


def top_rows(scores: np.ndarray, cols: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per row the best `k` (column value, score), ties to the lower column value; excluded pairs dropped."""
    n, width = scores.shape
    if width == 0 or k <= 0:
        return [(np.zeros(0, np.int64), np.zeros(0, np.float32)) for _ in range(n)]
    kk = min(k, width)
    kth = np.partition(scores, width - kk, axis=1)[:, width - kk]
    flat = np.flatnonzero((scores >= kth[:, None]).ravel())  # the k best of each row, and any ties
    rows, at = flat // width, flat % width
    vals = scores.ravel()[flat]
    keep = vals > S.EXCLUDED / 2
    rows, at, vals = rows[keep], at[keep], vals[keep]
    order = np.lexsort((cols[at], -vals, rows))
    rows, at, vals = rows[order], at[order], vals[order]
    bounds = np.searchsorted(rows, np.arange(n + 1))
    out = []
    for r in range(n):
        lo = bounds[r]
        hi = min(bounds[r + 1], lo + k)
        out.append((cols[at[lo:hi]].astype(np.int64), vals[lo:hi]))
    return out


def merge_rows(best, tix: np.ndarray, jix: np.ndarray, extra: np.ndarray, k: int):
    """Add scored extra pairs to each row's best list and keep the best `k`."""
    order = np.argsort(tix, kind="stable")
    tix, jix, extra = tix[order], jix[order], extra[order]
    bounds = np.searchsorted(tix, np.arange(len(best) + 1))
    out = []
    for r, (slots, scores) in enumerate(best):
        lo, hi = bounds[r], bounds[r + 1]
        if lo == hi:
            out.append((slots, scores))
            continue
        ok = extra[lo:hi] > S.EXCLUDED / 2
        all_slots = np.concatenate([slots, jix[lo:hi][ok]])
        all_scores = np.concatenate([scores, extra[lo:hi][ok]])
        pick = np.lexsort((all_slots, -all_scores))[:k]
        out.append((all_slots[pick], all_scores[pick]))
    return out


def one_row(ids: np.ndarray, counts: np.ndarray, width: int) -> sp.csr_matrix:
    keep = ids < width
    return sp.csr_matrix((counts[keep], ids[keep], [0, int(keep.sum())]), shape=(1, width), dtype=np.float32)
