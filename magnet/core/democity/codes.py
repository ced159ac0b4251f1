"""Identifiers built in bulk: identity numbers, unified social credit codes, fixed-width strings.

The arithmetic is the one of `magnet.core.feeds.checks` (GB 11643 MOD 11-2, GB 32100 MOD 31),
vectorised with numpy because a million-person city cannot afford a Python call per identifier;
`assert_agrees_with_checks` compares both on a sample every time a snapshot is generated.

Strings travel as `uint8` matrices of ASCII codes (one row per value) until the last moment,
when `ascii_strings` wraps the matrix as an Arrow string array without copying per value.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from magnet.core.feeds import checks

_ID_WEIGHTS = np.array(checks.ID_WEIGHTS, dtype=np.int64)
_ID_CHECK = np.frombuffer(checks.ID_CHECK_CHARS.encode(), dtype=np.uint8)
_USCC_WEIGHTS = np.array(checks.USCC_WEIGHTS, dtype=np.int64)
USCC_ALPHABET = np.frombuffer(checks.USCC_ALPHABET.encode(), dtype=np.uint8)
# Value of each ASCII code in the USCC alphabet (-1: not allowed).
_USCC_VALUE = np.full(128, -1, dtype=np.int64)
_USCC_VALUE[USCC_ALPHABET] = np.arange(31)
# GB 11714 organisation code (characters 9-17 of a USCC): digits 0-9, letters A=10 ... Z=35.
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ORG_VALUE = np.full(128, -1, dtype=np.int64)
_ORG_VALUE[48:58] = np.arange(10)
_ORG_VALUE[65:91] = np.arange(10, 36)


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal digits of non-negative integers as an ASCII matrix.

    >>> digits(np.array([7, 320612]), 6).tobytes()
    b'000007320612'
    """
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((np.asarray(values, dtype=np.int64)[:, None] // powers) % 10 + 48).astype(np.uint8)


def ascii_strings(matrix: np.ndarray, valid: np.ndarray | None = None) -> pa.StringArray:
    """Each row of an `(n, width)` ASCII matrix as one Arrow string, without a Python loop.

    Rows where `valid` is False become nulls (their bytes stay in the buffer, unseen).
    """
    matrix = np.ascontiguousarray(matrix, dtype=np.uint8)
    n, width = matrix.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    if valid is None or valid.all():
        return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(matrix))
    bitmap = pa.py_buffer(np.packbits(valid.astype(np.uint8), bitorder="little"))
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(matrix), bitmap, int(n - valid.sum())
    )


def id_check_chars(first17: np.ndarray) -> np.ndarray:
    """MOD 11-2 check character (ASCII code) of each row of a `(n, 17)` digit matrix."""
    total = (first17.astype(np.int64) - 48) @ _ID_WEIGHTS
    return _ID_CHECK[total % 11]


def id_numbers(first17: np.ndarray) -> np.ndarray:
    """17-digit integers (address, birth date, sequence) -> `(n, 18)` ASCII identity numbers."""
    body = digits(first17, 17)
    return np.concatenate([body, id_check_chars(body)[:, None]], axis=1)


def org_check_chars(body8: np.ndarray) -> np.ndarray:
    """GB 11714 check character of each 8-character organisation-code body (ASCII matrix)."""
    total = _ORG_VALUE[body8] @ _ORG_WEIGHTS
    check = 11 - total % 11  # 10 is written X, 11 is written 0
    out = (check + 48).astype(np.uint8)
    out[check == 10] = ord("X")
    out[check == 11] = ord("0")
    return out


def uscc_check_chars(first17: np.ndarray) -> np.ndarray:
    """GB 32100 check character of each row of a `(n, 17)` ASCII matrix."""
    total = _USCC_VALUE[first17] @ _USCC_WEIGHTS
    return USCC_ALPHABET[(31 - total % 31) % 31]


def usccs(authority: np.ndarray, kind: np.ndarray, adcode: np.ndarray, org_body: np.ndarray) -> np.ndarray:
    """Assemble `(n, 18)` USCCs: authority (`9`, `1`, `5` ...), kind, 6-digit adcode, org code, check."""
    n = len(adcode)
    out = np.empty((n, 18), dtype=np.uint8)
    out[:, 0] = np.asarray(authority, dtype=np.uint8)
    out[:, 1] = np.asarray(kind, dtype=np.uint8)
    out[:, 2:8] = digits(adcode, 6)
    out[:, 8:16] = org_body
    out[:, 16] = org_check_chars(org_body)
    out[:, 17] = uscc_check_chars(out[:, :17])
    return out


def assert_agrees_with_checks(ids: np.ndarray, codes: np.ndarray, sample: int = 200) -> None:
    """The vectorised check characters equal `magnet.core.feeds.checks` on a spread-out sample."""
    for matrix, check_char in ((ids, checks.id_number_check_char), (codes, checks.uscc_check_char)):
        if len(matrix) == 0:
            continue
        rows = np.unique(np.linspace(0, len(matrix) - 1, min(sample, len(matrix))).astype(np.int64))
        for row in matrix[rows]:
            text = row.tobytes().decode("ascii")
            if check_char(text[:17]) != text[17]:
                raise AssertionError(f"vectorised check character disagrees with checks.py for {text}")
