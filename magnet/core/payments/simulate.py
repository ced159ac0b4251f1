"""A fake bank for the demo and the tests: it reads a bank file and answers with a return file."""

from __future__ import annotations

import csv
import hashlib
import io
import random
from collections.abc import Set

from .amounts import format_amount, total
from .bankfile import TRAILER_TAG, read_bank_file
from .returns import RETURN_HEADER

__all__ = ["FAILURE_REASONS", "simulate_bank"]

FAILURE_REASONS = (
    "账户已销户",
    "户名与账号不符",
    "账户已冻结",
    "账号不存在",
)  # closed, name mismatch, frozen, no such account


def simulate_bank(export: bytes, *, fail_keys: Set[str] = frozenset(), seed: int = 0) -> bytes:
    """The return file a bank would send for `export`: every line paid except those whose key is in `fail_keys`.

    Checks the file as a bank would (`read_bank_file`: header, trailer, sha256, totals; ValueError if
    wrong). The answer is deterministic for a given `seed`, which chooses the order of the lines (banks
    answer in their own order), the failure reasons and the bank references.
    """
    batch_id, instructions = read_bank_file(export)
    unknown = set(fail_keys) - {ins.key for ins in instructions}
    if unknown:
        raise ValueError(f"fail_keys not in the bank file: {sorted(unknown)[:5]}")
    rng = random.Random(seed)  # nosec B311: a fake bank's choices, nothing secret
    order = list(instructions)
    rng.shuffle(order)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RETURN_HEADER)
    for ins in order:
        ref = "SIM" + hashlib.sha256(f"{seed}:{ins.key}".encode()).hexdigest()[:16].upper()
        if ins.key in fail_keys:
            writer.writerow((batch_id, ins.key, "failed", format_amount(ins.amount), ref, rng.choice(FAILURE_REASONS)))
        else:
            writer.writerow((batch_id, ins.key, "paid", format_amount(ins.amount), ref, ""))
    writer.writerow((TRAILER_TAG, len(order), format_amount(total(ins.amount for ins in order))))
    return out.getvalue().encode("utf-8")
