"""The bank file: one batch of payment instructions as UTF-8 CSV.

Format (version 1), written by `export_bank_file` and checked by `read_bank_file`:

- UTF-8 without a byte-order mark; every line ends with LF (`\\n`); fields are separated by commas and
  quoted as RFC 4180 does (`"` around a field holding a comma or a quote, `""` for a quote inside).
- Line 1 is the header, exactly::

      batch_id,line_no,idempotency_key,account_name,account_number,bank_code,amount,currency,memo

- Then one line per instruction, sorted by `line_no` (a positive integer, unique in the batch):
  `batch_id` the batch's id (letters, digits, `.`, `_`, `-`; at most 64); `idempotency_key` 32 lowercase
  hex characters, unique in the batch and stable across re-exports (see `keys.py`), which the bank uses
  to refuse a second payment of the same key; `account_name`, `account_number`, `bank_code` the payee's
  account as recorded (never empty); `amount` a plain decimal with exactly 2 places (`1200.00`, no sign,
  no exponent, no thousands separator), positive; `currency` always `CNY`; `memo` free text, may be empty.
  No field contains a line break or another control character, so each instruction is one line.
- The last line is the trailer: `#TOTAL,<count>,<sum>,<sha256>` with the number of instruction lines,
  the sum of their amounts (2 places) and the lowercase hex sha256 of every byte before the trailer
  (header and instruction lines, with their line ends). Whoever receives the file can check that it is
  complete and unaltered before paying anything.

Example::

    batch_id,line_no,idempotency_key,account_name,account_number,bank_code,amount,currency,memo
    2025-06-A,1,13940399082f1b6bbafdeaaac653c5ae,张三,6222020000000001,ICBC,2500.00,CNY,生活补贴 2025-06
    #TOTAL,1,2500.00,<64 hex characters>

Text is written exactly as given: a leading `=`, `+`, `-` or `@` is not escaped, because the bank
matches the account name character for character. The file is for the bank's machine, not a spreadsheet;
`magnet.core.reporting` produces the human-readable lists.

Exporting the same instructions twice gives identical bytes, whatever order they come in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .amounts import amount_problem, format_amount, parse_amount, total
from .errors import ExportRefused
from .keys import KEY_PATTERN

__all__ = [
    "BATCH_ID_PATTERN",
    "CURRENCY",
    "HEADER",
    "TRAILER_TAG",
    "ExportRefused",
    "Instruction",
    "export_bank_file",
    "read_bank_file",
]

HEADER = (
    "batch_id",
    "line_no",
    "idempotency_key",
    "account_name",
    "account_number",
    "bank_code",
    "amount",
    "currency",
    "memo",
)
CURRENCY = "CNY"
TRAILER_TAG = "#TOTAL"
BATCH_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_LINE_NO = re.compile(r"[1-9][0-9]{0,17}")
# C0 and C1 controls, line and paragraph separators, zero-width and bidirectional formatting characters:
# none belongs in a bank field, and the last ones can make one name display as another.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


@dataclass(frozen=True)
class Instruction:
    """One line of a bank file: pay `amount` CNY to the account, once, under `key`."""

    key: str
    line_no: int
    account_name: str
    account_number: str
    bank_code: str
    amount: Decimal
    memo: str


def _instruction_problems(ins: Instruction) -> list[str]:
    found: list[str] = []
    if not isinstance(ins.key, str) or not KEY_PATTERN.fullmatch(ins.key):
        found.append("idempotency key must be 32 lowercase hex characters")
    for name in ("account_name", "account_number", "bank_code"):
        value = getattr(ins, name)
        if not isinstance(value, str) or not value.strip():
            found.append(f"{name} is empty")
        elif CONTROL.search(value):
            found.append(f"{name} contains a line break or control character")
    if not isinstance(ins.memo, str):
        found.append("memo must be a string")
    elif CONTROL.search(ins.memo):
        found.append("memo contains a line break or control character")
    problem = amount_problem(ins.amount)
    if problem:
        found.append(problem)
    return found


def _check_batch(batch_id: str, instructions: list[Instruction]) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    if not isinstance(batch_id, str) or not BATCH_ID_PATTERN.fullmatch(batch_id):
        problems.append((0, "batch_id must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"))
    if not instructions:
        problems.append((0, "the batch has no instructions"))
    first_line_of_key: dict[str, int] = {}
    seen_lines: set[int] = set()
    for ins in instructions:
        line = ins.line_no
        if isinstance(line, bool) or not isinstance(line, int) or line < 1:
            problems.append((0, f"line_no must be a positive integer, not {line!r}"))
            continue
        if line in seen_lines:
            problems.append((line, "line_no appears more than once"))
        seen_lines.add(line)
        problems.extend((line, reason) for reason in _instruction_problems(ins))
        if not isinstance(ins.key, str):
            continue
        if ins.key in first_line_of_key:
            problems.append((line, f"idempotency key {ins.key} already used on line {first_line_of_key[ins.key]}"))
        else:
            first_line_of_key[ins.key] = line
    return problems


def export_bank_file(batch_id: str, instructions: Iterable[Instruction], *, created: datetime) -> bytes:
    """The batch as a bank file (format in the module docstring), or `ExportRefused` listing every problem.

    `created` is the batch's own creation time as stored with it (never "now"), and must be timezone-aware.
    The version-1 format has no field for it, so it is checked but not written: the bytes depend only on
    the batch id and the instructions, and a batch re-exported after a crash gives the same file.
    """
    if not isinstance(created, datetime) or created.utcoffset() is None:
        raise ValueError("created must be a timezone-aware datetime")
    rows = list(instructions)
    problems = _check_batch(batch_id, rows)
    if problems:
        raise ExportRefused(problems)
    rows.sort(key=lambda ins: ins.line_no)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(
        (batch_id, ins.line_no, ins.key, ins.account_name, ins.account_number, ins.bank_code,
         format_amount(ins.amount), CURRENCY, ins.memo)
        for ins in rows
    )  # fmt: skip
    body = out.getvalue().encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()
    trailer = f"{TRAILER_TAG},{len(rows)},{format_amount(total(ins.amount for ins in rows))},{digest}\n"
    return body + trailer.encode("ascii")


def read_bank_file(data: bytes) -> tuple[str, list[Instruction]]:
    """The batch id and instructions of a bank file, after checking its header, trailer, hash and totals.

    Raises ValueError naming the first line that is wrong. This is what the bank does on receipt; the
    platform does it too before sending a stored file.
    """
    if not data.endswith(b"\n"):
        raise ValueError("the file does not end with a line break after the trailer")
    head, _, last = data[:-1].rpartition(b"\n")
    body = head + b"\n" if head else b""
    trailer_line = body.count(b"\n") + 1
    trailer = last.decode("ascii", errors="replace").split(",")
    if len(trailer) != 4 or trailer[0] != TRAILER_TAG:
        raise ValueError(f"line {trailer_line}: the last line is not a {TRAILER_TAG},count,sum,sha256 trailer")
    if hashlib.sha256(body).hexdigest() != trailer[3]:
        raise ValueError(f"line {trailer_line}: sha256 of the preceding bytes does not match the trailer")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise ValueError(f"line {line}: not UTF-8") from None
    try:
        return _read_lines(text, trailer, trailer_line)
    except csv.Error as exc:
        raise ValueError(f"malformed CSV: {exc}") from None


def _read_lines(text: str, trailer: list[str], trailer_line: int) -> tuple[str, list[Instruction]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    if next(reader, None) != list(HEADER):
        raise ValueError("line 1: the header is not " + ",".join(HEADER))
    batch_id = ""
    rows: list[Instruction] = []
    keys: set[str] = set()
    for number, row in enumerate(reader, start=2):
        ins = _instruction_from_row(number, row)
        if number == 2:
            batch_id = row[0]
        elif row[0] != batch_id:
            raise ValueError(f"line {number}: batch {row[0]!r} differs from line 2's {batch_id!r}")
        if ins.key in keys:
            raise ValueError(f"line {number}: idempotency key {ins.key} appears twice")
        keys.add(ins.key)
        rows.append(ins)
    if not rows:
        raise ValueError(f"line {trailer_line}: the file has no instruction lines")
    if str(len(rows)) != trailer[1] or format_amount(total(ins.amount for ins in rows)) != trailer[2]:
        raise ValueError(f"line {trailer_line}: count or sum does not match the instruction lines")
    return batch_id, rows


def _instruction_from_row(number: int, row: list[str]) -> Instruction:
    if len(row) != len(HEADER):
        raise ValueError(f"line {number}: {len(row)} fields instead of {len(HEADER)}")
    _, line_no, key, name, account, bank, amount_text, currency, memo = row
    amount = parse_amount(amount_text)
    if not _LINE_NO.fullmatch(line_no) or amount is None or currency != CURRENCY:
        raise ValueError(f"line {number}: line_no, amount or currency is malformed")
    return Instruction(key, int(line_no), name, account, bank, amount, memo)
