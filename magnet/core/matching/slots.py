"""Columns of small integer keys: interned values, slots by id, and the helpers that gather over them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


class Interner:
    """Value -> small integer, with numpy arrays built from the values when asked (cached)."""

    def __init__(self, build: Callable[[list[Any]], tuple[np.ndarray, ...]]) -> None:
        self.ids: dict[Any, int] = {}
        self.values: list[Any] = []
        self._build = build
        self._arrays: tuple[int, tuple[np.ndarray, ...]] | None = None

    def __call__(self, value: Any) -> int:
        i = self.ids.get(value)
        if i is None:
            i = self.ids[value] = len(self.values)
            self.values.append(value)
        return i

    def arrays(self) -> tuple[np.ndarray, ...]:
        if self._arrays is None or self._arrays[0] != len(self.values):
            self._arrays = (len(self.values), self._build(self.values))
        return self._arrays[1]


def padded(rows: list[list[int]], fill: int = -1, dtype: Any = np.int32) -> np.ndarray:
    width = max([len(r) for r in rows] + [1])
    out = np.full((len(rows), width), fill, dtype=dtype)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


def adcode_digits(code: str) -> str:
    """An adcode's significant digits: `320600` -> `3206`, `320000` -> `32`; raises on anything else."""
    code = str(code).strip()
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise ValueError(f"adcode {code!r} is not 2, 4 or 6 digits")
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def adcode_prefix(code: str) -> str:
    """An adcode filter's significant digits (`320600` -> `3206`); other text as it is."""
    code = code.strip()
    try:
        return adcode_digits(code)
    except ValueError:
        return code


def factor(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Inverse indices and distinct values of small non-negative integer keys (no sort)."""
    present = np.zeros(n, dtype=bool)
    present[keys] = True
    uniq = np.flatnonzero(present)
    remap = np.zeros(n, dtype=np.int32)
    remap[uniq] = np.arange(len(uniq), dtype=np.int32)
    return remap[keys], uniq


class Side:
    """Slots of one side: ids, liveness and integer key columns, grown by doubling."""

    def __init__(self, columns: dict[str, Any]) -> None:
        self.ids: list[str] = []
        self.slot: dict[str, int] = {}
        self.dtypes = columns
        self.cols = {name: np.zeros(0, dtype=dt) for name, dt in columns.items()}
        self.live = np.zeros(0, dtype=bool)
        self.n_live = 0

    def __len__(self) -> int:
        return len(self.ids)

    def place(self, id_: str) -> int:
        slot = self.slot.get(id_)
        if slot is not None:
            return slot
        slot = self.slot[id_] = len(self.ids)
        self.ids.append(id_)
        if slot >= len(self.live):
            size = max(1024, 2 * len(self.live))
            self.live = np.concatenate([self.live, np.zeros(size - len(self.live), dtype=bool)])
            for name, arr in self.cols.items():
                self.cols[name] = np.concatenate([arr, np.zeros(size - len(arr), dtype=arr.dtype)])
        return slot

    def view(self, name: str) -> np.ndarray:
        return self.cols[name][: len(self.ids)]

    def live_view(self) -> np.ndarray:
        return self.live[: len(self.ids)]
