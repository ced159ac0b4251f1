"""Subsidy payments: idempotency keys, the bank file, the bank's return file and three-way reconciliation.

Approved grants are assembled into a batch of payment instructions; the batch is exported as a bank
file (CSV) in which every line carries a deterministic idempotency key, so re-exporting a batch after a
crash gives the same bytes and the bank can refuse a key it has already paid. The bank answers with a
return file; `parse_return_file` takes it whole or not at all, and `reconcile` compares grants,
instructions and returns three ways, listing every discrepancy (SECURITY B5: MN-3, MN-5, MN-7).

Money is `Decimal` with exactly two places; nothing here rounds, because nothing here computes an amount:
amounts arrive from the approved grants and are checked, never adjusted. Storing batches, settling
the ledger, approval (maker-checker), sending files and assigning discrepancies to people are left to
the app that wraps this package.

Public API:

- `idempotency_key(person_ref, policy, period, version=1)` -> 32 hex characters.
- `Instruction`; `export_bank_file(batch_id, instructions, *, created)` -> bytes, or `ExportRefused`;
  `read_bank_file(data)` -> (batch id, instructions), checking the trailer.
- `ReturnLine`; `parse_return_file(data, batch_id)` -> list of `ReturnLine`, or `ReturnRejected`.
- `Discrepancy`, `Reconciliation`; `reconcile(grants, instructions, returns, *, already_settled)`.
- `simulate_bank(export, *, fail_keys, seed)`: a fake bank for the demo and the tests.
"""

from .bankfile import ExportRefused, Instruction, export_bank_file, read_bank_file
from .keys import idempotency_key
from .reconcile import Discrepancy, Reconciliation, reconcile
from .returns import ReturnLine, ReturnRejected, parse_return_file
from .simulate import simulate_bank

__all__ = [
    "Discrepancy",
    "ExportRefused",
    "Instruction",
    "Reconciliation",
    "ReturnLine",
    "ReturnRejected",
    "export_bank_file",
    "idempotency_key",
    "parse_return_file",
    "read_bank_file",
    "reconcile",
    "simulate_bank",
]
