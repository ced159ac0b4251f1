"""Words and sparse rows: jieba tokens (rjieba) and the row store both sides of the index keep them in.

`Rows` keeps one sparse row per slot (a job's or a talent's token counts) as a merged CSR/CSC pair plus
a small overlay of rows changed since the last merge, so an upsert or a removal shows in the very next
query while the big matrices are rebuilt only now and then (like a search engine's segments).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import rjieba
import scipy.sparse as sp
from bm25s.stopwords import STOPWORDS_CHINESE

_WORD = re.compile(r"\w")
# Words of postings and profiles that say nothing about the work (added to bm25s's Chinese list).
_STOP = frozenset(STOPWORDS_CHINESE) | frozenset(
    "负责 相关 优先 以上 具有 具备 能够 良好 熟悉 熟练 掌握 了解 工作 经验 能力 要求 岗位 职位 公司 企业 "
    "我们 本人 专业 学历 毕业 进行 参与 完成 协助 提供 以及 及其 其他 左右 年 月".split()
)


def tokens(text: str) -> list[str]:
    """jieba words of `text`, lower-cased, without punctuation, single Chinese characters or stop words.

    >>> tokens("熟悉Python和船舶结构设计，有CAD经验")
    ['python', '船舶', '结构设计', 'cad']
    """
    out = []
    for word in rjieba.cut(text):
        word = word.strip().lower()
        if not word or not _WORD.search(word) or word in _STOP:
            continue
        if len(word) == 1 and not word.isascii():
            continue
        out.append(word)
    return out


class Vocabulary:
    """Token -> column number, growing as new words arrive."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []

    def __len__(self) -> int:
        return len(self.words)

    def counts(self, words: Iterable[str], *, add: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Sorted column numbers of `words` and how often each occurs (unknown words dropped if not `add`)."""
        cols = []
        for word in words:
            col = self.ids.get(word)
            if col is None:
                if not add:
                    continue
                col = self.ids[word] = len(self.words)
                self.words.append(word)
            cols.append(col)
        ids, counts = np.unique(np.asarray(cols, dtype=np.int32), return_counts=True)
        return ids.astype(np.int32), counts.astype(np.float32)


def _csr(rows: list[tuple[np.ndarray, np.ndarray]], width: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(ids) for ids, _ in rows])
    if rows:
        indices = np.concatenate([ids for ids, _ in rows]).astype(np.int32)
        if len(indices) and indices.max() >= width:
            raise ValueError(f"a row has column {indices.max()}, past the {width} columns asked for")
        data = np.concatenate([vals for _, vals in rows]).astype(np.float32)
    else:
        indices, data = np.zeros(0, np.int32), np.zeros(0, np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), width))


class Rows:
    """Sparse rows by slot: a merged CSR (and its CSC) plus the rows changed since the merge."""

    def __init__(self) -> None:
        self.base = sp.csr_matrix((0, 0), dtype=np.float32)
        self.base_csc = self.base.tocsc()
        self.stale = np.zeros(0, dtype=bool)  # slot's base row is outdated (changed or removed)
        self.pending: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._pending_cache: tuple[np.ndarray, sp.csr_matrix] | None = None

    def __len__(self) -> int:
        return max(self.base.shape[0], max(self.pending, default=-1) + 1)

    def row(self, slot: int) -> tuple[np.ndarray, np.ndarray]:
        """Column numbers and values of one slot's current row (empty if none)."""
        if slot in self.pending:
            return self.pending[slot]
        if slot < self.base.shape[0] and not self.stale[slot]:
            lo, hi = self.base.indptr[slot], self.base.indptr[slot + 1]
            return self.base.indices[lo:hi], self.base.data[lo:hi]
        return np.zeros(0, np.int32), np.zeros(0, np.float32)

    def set(self, slot: int, ids: np.ndarray, vals: np.ndarray) -> None:
        self.pending[slot] = (ids, vals)
        if slot < len(self.stale):
            self.stale[slot] = True
        self._pending_cache = None

    def delete(self, slot: int) -> None:
        self.set(slot, np.zeros(0, np.int32), np.zeros(0, np.float32))

    def overlay(self, width: int) -> tuple[np.ndarray, sp.csr_matrix]:
        """The slots changed since the merge and their rows as a CSR, cached until the next change."""
        if self._pending_cache is None or self._pending_cache[1].shape[1] != width:
            slots = np.array(sorted(self.pending), dtype=np.int64)
            self._pending_cache = slots, _csr([self.pending[int(s)] for s in slots], width)
        return self._pending_cache

    def merge(self, width: int) -> None:
        """Fold the changed rows into the merged matrices."""
        n = len(self)
        slots, fresh = self.overlay(width)
        base = self.base
        keep = np.ones(base.shape[0], dtype=bool)
        keep[slots[slots < base.shape[0]]] = False
        base = sp.csr_matrix(base.multiply(keep[:, None].astype(np.float32))) if not keep.all() else base
        base = sp.csr_matrix((base.data, base.indices, base.indptr), shape=(base.shape[0], width))
        base.resize((n, width))
        placed = sp.csr_matrix((fresh.data, fresh.indices, fresh.indptr), shape=fresh.shape)
        scatter = sp.csr_matrix(
            (np.ones(len(slots), np.float32), (slots, np.arange(len(slots)))), shape=(n, len(slots))
        )
        merged = (base + scatter @ placed).tocsr().astype(np.float32)
        merged.sum_duplicates()
        merged.sort_indices()
        self.base, self.base_csc = merged, merged.tocsc()
        self.stale = np.zeros(n, dtype=bool)
        self.pending, self._pending_cache = {}, None

    def take(self, slots: np.ndarray, width: int) -> sp.csr_matrix:
        """The current rows of `slots`, in that order."""
        slots = np.asarray(slots, dtype=np.int64)
        base = self.base
        inside = slots < base.shape[0]
        fresh = ~inside
        fresh[inside] = self.stale[slots[inside]]
        old = np.flatnonzero(~fresh)
        part = base[slots[old]] if len(old) else sp.csr_matrix((0, width), dtype=np.float32)
        part = sp.csr_matrix((part.data, part.indices, part.indptr), shape=(len(old), width))
        if not fresh.any():
            return part
        new = np.flatnonzero(fresh)
        ov_slots, ov = self.overlay(width)
        rows = ov[np.searchsorted(ov_slots, slots[new])]
        both = sp.vstack([part, sp.csr_matrix((rows.data, rows.indices, rows.indptr), shape=(len(new), width))]).tocsr()
        return both[np.argsort(np.concatenate([old, new]), kind="stable")]

    def column_dot(self, cols: np.ndarray, weights: np.ndarray, n: int, width: int) -> np.ndarray:
        """Dense over `n` slots: each row's sum of `weights[c] * value[c]` over `cols` (sorted, < `width`,
        the number of words, which every row's columns are below)."""
        out = np.zeros(n, dtype=np.float32)
        if self.base.shape[0] and len(cols):
            inside = cols < self.base_csc.shape[1]
            sub = self.base_csc[:, cols[inside]]
            part = (sub @ weights[inside].astype(np.float32)).astype(np.float32)
            out[: len(part)] = part
            out[: len(self.stale)][self.stale] = 0.0
        if self.pending and len(cols):
            slots, fresh = self.overlay(width)
            dense = np.zeros(width, dtype=np.float32)
            dense[cols] = weights
            out[slots] = fresh @ dense
        return out
