"""The bank's return file: what happened to each instruction of one batch, taken whole or not at all.

Format (version 1), read by `parse_return_file` and written by `simulate_bank`:

- UTF-8 (a leading byte-order mark is ignored); lines end with LF or CRLF; RFC 4180 quoting.
- Line 1 is the header, exactly::

      batch_id,idempotency_key,status,amount,bank_ref,reason

- Then one line per instruction the bank has dealt with, in any order: `batch_id` the batch's id, the
  same on every line; `idempotency_key` the key of the instruction (32 lowercase hex characters), at most
  once in the file; `status` `paid` or `failed` (lowercase); `amount` the instruction's amount as a plain
  decimal with exactly 2 places (`2500.00`), positive; `bank_ref` the bank's reference for the transfer,
  required when paid; `reason` why it failed (e.g. `账户已销户`, the account is closed), free text.
- The last line is the trailer: `#TOTAL,<count>,<sum>` with the number of lines between header and
  trailer and the sum of their amounts. Nothing may follow it, not even an empty line.

Every field is data: a value such as `=HYPERLINK(...)` or `@SUM(1+1)` is kept as text and never evaluated;
whoever later writes it into a spreadsheet escapes it there.

A file with any problem is rejected whole (`ReturnRejected`, listing every problem with its line), so a
half-read file can never settle half a batch. Whether each key belongs to the batch is `reconcile`'s
question: this module knows only the batch id.

Example::

    batch_id,idempotency_key,status,amount,bank_ref,reason
    2025-06-A,13940399082f1b6bbafdeaaac653c5ae,paid,2500.00,ICBC20250701000123,
    2025-06-A,8b1f0c2d9e3a4b5c6d7e8f9012345678,failed,1800.00,ICBC20250701000124,账户已销户
    #TOTAL,2,4300.00
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from .amounts import format_amount, parse_amount, parse_total, total
from .bankfile import BATCH_ID_PATTERN, TRAILER_TAG
from .errors import ReturnRejected
from .keys import KEY_PATTERN

__all__ = ["RETURN_HEADER", "STATUSES", "ReturnLine", "ReturnRejected", "parse_return_file"]

RETURN_HEADER = ["batch_id", "idempotency_key", "status", "amount", "bank_ref", "reason"]
STATUSES = ("paid", "failed")
_COUNT = re.compile(r"0|[1-9][0-9]{0,17}")


@dataclass(frozen=True)
class ReturnLine:
    """One line of a return file; `line` is its line number in the file (the header is line 1)."""

    line: int
    key: str
    status: str  # "paid" | "failed"
    amount: Decimal
    bank_ref: str
    reason: str


def _show(text: str) -> str:
    """A value quoted for a problem message, cut short so a garbage line cannot flood a report."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _decode(data: bytes, problems: list[tuple[int, str]]) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # A byte 0x0A never occurs inside a UTF-8 sequence, so splitting the bytes finds the bad lines.
        for number, raw in enumerate(data.split(b"\n"), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                problems.append((number, "not UTF-8 (a GBK export? the bank must send UTF-8)"))
        text = data.decode("utf-8", errors="replace")  # read on, to report the other problems too
    return text.removeprefix("\ufeff")


class _Reader:
    """The state of one pass over a return file."""

    def __init__(self, batch_id: str) -> None:
        self.batch_id = batch_id
        self.problems: list[tuple[int, str]] = []
        self.lines: list[ReturnLine] = []
        self.amounts: list[Decimal] = []
        self.all_amounts_read = True
        self.data_rows = 0
        self.first_line_of_key: dict[str, int] = {}
        self.trailer: tuple[int, list[str]] | None = None

    def header(self, number: int, row: list[str]) -> bool:
        """Check line 1; True when it is a data line written without a header."""
        if row == RETURN_HEADER:
            return False
        if len(row) == len(RETURN_HEADER) and row[0] == self.batch_id:
            self.problems.append((number, "missing header: expected " + ",".join(RETURN_HEADER)))
            return True
        self.problems.append(
            (number, f"wrong header: expected {','.join(RETURN_HEADER)}, found {_show(','.join(row))}")
        )
        return False

    def row(self, number: int, row: list[str]) -> None:
        if self.trailer is not None:
            self.problems.append((number, f"line after the trailer (line {self.trailer[0]})"))
        elif not row:
            self.problems.append((number, "empty line"))
        elif row[0] == TRAILER_TAG:
            self.trailer = (number, row)
        elif row[0].startswith("#"):
            self.problems.append((number, f"unknown control line {_show(row[0])}"))
        else:
            self.data_rows += 1
            self.data(number, row)

    def data(self, number: int, row: list[str]) -> None:
        if len(row) != len(RETURN_HEADER):
            self.problems.append((number, f"{len(row)} fields instead of {len(RETURN_HEADER)}"))
            self.all_amounts_read = False
            return
        batch, key, status, amount_text, bank_ref, reason = row
        before = len(self.problems)
        if batch != self.batch_id:
            self.problems.append((number, f"line of batch {_show(batch)}, not of batch {self.batch_id!r}"))
        if not KEY_PATTERN.fullmatch(key):
            self.problems.append((number, f"idempotency key {_show(key)} is not 32 lowercase hex characters"))
        elif key in self.first_line_of_key:
            self.problems.append(
                (number, f"duplicate idempotency key {key}, already on line {self.first_line_of_key[key]}")
            )
        else:
            self.first_line_of_key[key] = number
        if status not in STATUSES:
            self.problems.append((number, f"unknown status {_show(status)}: expected paid or failed"))
        amount = parse_amount(amount_text)
        if amount is None or amount <= 0:
            self.problems.append((number, f"bad amount {_show(amount_text)}: expected a positive decimal like 2500.00"))
            self.all_amounts_read = False
        else:
            self.amounts.append(amount)
        if status == "paid" and not bank_ref.strip():
            self.problems.append((number, "a paid line has no bank_ref"))
        if amount is not None and len(self.problems) == before:
            self.lines.append(ReturnLine(number, key, status, amount, bank_ref, reason))

    def check_trailer(self, last_line: int) -> None:
        if self.trailer is None:
            self.problems.append(
                (last_line + 1, f"missing trailer {TRAILER_TAG},<count>,<sum> (the file ends at line {last_line})")
            )
            return
        number, row = self.trailer
        if len(row) != 3:
            self.problems.append(
                (number, f"the trailer has {len(row)} fields instead of 3: {TRAILER_TAG},<count>,<sum>")
            )
            return
        count_text, sum_text = row[1], row[2]
        if not _COUNT.fullmatch(count_text):
            self.problems.append((number, f"trailer count {_show(count_text)} is not a whole number"))
        elif int(count_text) != self.data_rows:
            self.problems.append((number, f"trailer count {count_text} but the file has {self.data_rows} lines"))
        stated = parse_total(sum_text)
        if stated is None:
            self.problems.append((number, f"trailer sum {_show(sum_text)} is not a decimal like 4300.00"))
        elif self.all_amounts_read and stated != total(self.amounts):
            found = format_amount(total(self.amounts))
            self.problems.append((number, f"trailer sum {sum_text} but the lines add up to {found}"))


def parse_return_file(data: bytes, batch_id: str) -> list[ReturnLine]:
    """Every line of the return file for `batch_id`, in file order; or `ReturnRejected` listing every problem.

    The format is in the module docstring. The problems reported: not UTF-8, malformed CSV, a wrong or
    missing header, a line of another batch, a malformed or duplicate key, an unknown status, a bad
    amount, a paid line without bank reference, a wrong field count, an empty or unknown line, a missing
    trailer or one whose count or sum does not match, anything after the trailer.
    """
    if not isinstance(data, bytes):
        raise TypeError("the return file must be given as bytes")
    if not BATCH_ID_PATTERN.fullmatch(batch_id):
        raise ValueError(f"{batch_id!r} is not a batch id")
    reader = _Reader(batch_id)
    text = _decode(data, reader.problems)
    if not text:
        raise ReturnRejected([(1, "the file is empty")])
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for row in rows:
            number, start = start, rows.line_num + 1
            if number == 1 and not reader.header(number, row):
                continue
            reader.row(number, row)
    except csv.Error as exc:
        reader.problems.append((start, f"malformed CSV ({exc}); the rest of the file was not read"))
    else:
        reader.check_trailer(start - 1)
    if reader.problems:
        raise ReturnRejected(reader.problems)
    return reader.lines
