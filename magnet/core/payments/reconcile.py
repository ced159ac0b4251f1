"""Three-way reconciliation: approved grants ↔ exported instructions ↔ the bank's return lines (SECURITY MN-7).

`reconcile` settles nothing itself: it says which keys the bank reports paid or failed for the first
time, and lists every discrepancy for a person to resolve. Recording settlements in the ledger and
assigning each discrepancy an owner are left to the app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from .amounts import amount_problem, format_amount, total
from .bankfile import Instruction
from .returns import STATUSES, ReturnLine

__all__ = ["KINDS", "Discrepancy", "Reconciliation", "reconcile"]

KINDS = ("grant_mismatch", "unknown_line", "duplicate_return", "amount_mismatch", "failed", "missing_return")
_NOTHING_SETTLED: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Discrepancy:
    """One thing a person must look at.

    `kind` is one of:

    - `grant_mismatch`: the instruction's amount differs from the approved grant's, the instruction has no
      approved grant, or an approved grant of the batch has no instruction (then `got` is None);
    - `unknown_line`: a return line whose key is not an instruction of the batch;
    - `duplicate_return`: a key returned twice in this file, or already settled by an earlier import;
    - `amount_mismatch`: the returned amount differs from the instruction's, by as little as 0.01;
    - `failed`: the bank refused the payment (`detail` holds its reason); it needs a retry;
    - `missing_return`: an instruction with no return line yet (none in this file, none settled before).

    `expected` is the amount we hold (the grant's, or the instruction's), `got` the one found (the
    instruction's, or the bank's); `line` is the line number in the return file when the discrepancy
    comes from a return line, else None (`detail` then names the instruction's line).
    """

    kind: str
    key: str
    expected: Decimal | None
    got: Decimal | None
    line: int | None
    detail: str


@dataclass(frozen=True)
class Reconciliation:
    """The outcome of one return file.

    `paid` and `failed`: keys of the batch that this file settles for the first time, in file order. A key
    whose returned amount is off is still listed under its status (the bank did move that money, so it must
    never be paid again) and also reported as `amount_mismatch`.
    `totals`: `approved` (sum of the grants), `expected` (sum of the instructions), `returned_paid` and
    `returned_failed` (sums of this file's lines by status, every line counted, as in its trailer).
    A clean file has no discrepancies and expected == returned_paid + returned_failed to the cent.
    """

    paid: list[str]
    failed: list[str]
    discrepancies: list[Discrepancy]
    totals: dict[str, Decimal]

    @property
    def clean(self) -> bool:
        return not self.discrepancies


def _money(value: Decimal | None) -> str:
    return "none" if value is None else format_amount(value)


def _grant_discrepancies(grants: Mapping[str, Decimal], by_key: Mapping[str, Instruction]) -> list[Discrepancy]:
    found: list[Discrepancy] = []
    for key, ins in by_key.items():
        approved = grants.get(key)
        if approved is None:
            detail = f"instruction line {ins.line_no} has no approved grant"
            found.append(Discrepancy("grant_mismatch", key, None, ins.amount, None, detail))
        elif approved != ins.amount:
            detail = f"instruction line {ins.line_no} pays {_money(ins.amount)}, the grant approved {_money(approved)}"
            found.append(Discrepancy("grant_mismatch", key, approved, ins.amount, None, detail))
    for key in sorted(grants.keys() - by_key.keys()):
        detail = "approved grant has no instruction in this batch"
        found.append(Discrepancy("grant_mismatch", key, grants[key], None, None, detail))
    return found


def _index(instructions: Sequence[Instruction]) -> dict[str, Instruction]:
    by_key: dict[str, Instruction] = {}
    for ins in sorted(instructions, key=lambda i: i.line_no):
        if ins.key in by_key:
            raise ValueError(f"instruction lines {by_key[ins.key].line_no} and {ins.line_no} share key {ins.key}")
        by_key[ins.key] = ins
    return by_key


def _return_discrepancy(
    ret: ReturnLine, sent: Instruction | None, returned_here: Mapping[str, int], already_settled: Mapping[str, str]
) -> Discrepancy | None:
    """Why this return line settles nothing (unknown or duplicate), or None when it settles its key."""
    if sent is None:
        detail = f"{ret.status} line for a key that is not in the batch"
        return Discrepancy("unknown_line", ret.key, None, ret.amount, ret.line, detail)
    if ret.key in returned_here:
        detail = f"returned again ({ret.status}); first on line {returned_here[ret.key]}"
        return Discrepancy("duplicate_return", ret.key, sent.amount, ret.amount, ret.line, detail)
    if ret.key in already_settled:
        detail = f"already settled as {already_settled[ret.key]} by an earlier import; now {ret.status}"
        return Discrepancy("duplicate_return", ret.key, sent.amount, ret.amount, ret.line, detail)
    return None


def reconcile(
    grants: Mapping[str, Decimal],
    instructions: Sequence[Instruction],
    returns: Sequence[ReturnLine],
    *,
    already_settled: Mapping[str, str] = _NOTHING_SETTLED,
) -> Reconciliation:
    """Compare one batch three ways and list every discrepancy.

    `grants`: key -> approved amount, for the grants this batch was assembled from; `instructions`: the
    lines of the exported bank file; `returns`: the lines of one return file (`parse_return_file`);
    `already_settled`: key -> status recorded by earlier imports. Importing the same file twice therefore
    reports every line as `duplicate_return` and settles nothing new. Discrepancies come in this order:
    grant ↔ instruction by instruction line, then return lines in file order, then missing returns.
    """
    for key, amount in grants.items():
        problem = amount_problem(amount)
        if problem:
            raise ValueError(f"grant {key}: {problem}")
    by_key = _index(instructions)
    found = _grant_discrepancies(grants, by_key)
    paid: list[str] = []
    failed: list[str] = []
    returned_here: dict[str, int] = {}
    for ret in returns:
        if ret.status not in STATUSES:
            raise ValueError(f"return line {ret.line}: unknown status {ret.status!r}")
        sent = by_key.get(ret.key)
        refused = _return_discrepancy(ret, sent, returned_here, already_settled)
        returned_here.setdefault(ret.key, ret.line)
        if refused is not None:
            found.append(refused)
        if refused is not None or sent is None:
            continue
        if ret.amount != sent.amount:
            detail = f"bank reports {_money(ret.amount)} {ret.status} for instruction line {sent.line_no}"
            found.append(Discrepancy("amount_mismatch", ret.key, sent.amount, ret.amount, ret.line, detail))
        if ret.status == "paid":
            paid.append(ret.key)
        else:
            failed.append(ret.key)
            detail = ret.reason or "the bank gave no reason"
            found.append(Discrepancy("failed", ret.key, sent.amount, ret.amount, ret.line, detail))
    for key, sent in by_key.items():
        if key not in returned_here and key not in already_settled:
            detail = f"instruction line {sent.line_no} has no return line"
            found.append(Discrepancy("missing_return", key, sent.amount, None, None, detail))
    totals = {
        "approved": total(grants.values()),
        "expected": total(ins.amount for ins in by_key.values()),
        "returned_paid": total(r.amount for r in returns if r.status == "paid"),
        "returned_failed": total(r.amount for r in returns if r.status == "failed"),
    }
    return Reconciliation(paid, failed, found, totals)
