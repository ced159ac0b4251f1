import csv
import hashlib
import io
import random
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest

from magnet.core.payments import ExportRefused, export_bank_file, read_bank_file

from .factory import BATCH, CREATED, batch, instruction

HEADER = "batch_id,line_no,idempotency_key,account_name,account_number,bank_code,amount,currency,memo"


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_bank_file_is_a_header_then_one_line_per_instruction_by_line_no_then_the_trailer():
    _, instructions = batch(7)
    data = export_bank_file(BATCH, reversed(instructions), created=CREATED)
    rows = rows_of(data)
    assert ",".join(rows[0]) == HEADER
    assert [int(r[1]) for r in rows[1:-1]] == list(range(1, 8))
    first = rows[1]
    assert first == [BATCH, "1", instructions[0].key, instructions[0].account_name, "6222020000000001", "ICBC",
                     "1800.00", "CNY", "生活补贴 2025-06"]  # fmt: skip
    assert {r[6] for r in rows[1:-1]} == {"2500.00", "1800.00", "0.01", "1234.56", "99999.99"}
    assert all(r[7] == "CNY" for r in rows[1:-1])
    assert data.endswith(b"\n") and b"\r" not in data


def test_trailer_counts_sums_and_hashes_the_preceding_bytes():
    _, instructions = batch(12)
    data = export_bank_file(BATCH, instructions, created=CREATED)
    body, trailer = data[:-1].rsplit(b"\n", 1)
    tag, count, total, digest = trailer.decode().split(",")
    assert tag == "#TOTAL" and int(count) == 12
    assert Decimal(total) == sum(ins.amount for ins in instructions)
    assert digest == hashlib.sha256(body + b"\n").hexdigest()


def test_exporting_the_same_batch_twice_gives_identical_bytes_whatever_the_order():
    _, instructions = batch(50)
    first = export_bank_file(BATCH, instructions, created=CREATED)
    shuffled = instructions[:]
    random.Random(3).shuffle(shuffled)
    assert export_bank_file(BATCH, shuffled, created=CREATED) == first
    assert export_bank_file(BATCH, iter(instructions), created=CREATED) == first


def test_commas_quotes_and_formula_characters_are_quoted_and_come_back_unchanged():
    _, instructions = batch(5)
    data = export_bank_file(BATCH, instructions, created=CREATED)
    assert '"李四, 王五"' in data.decode()
    assert read_bank_file(data) == (BATCH, instructions)
    assert rows_of(data)[3][3] == '=HYPERLINK("http://x","y")'  # written as data, not escaped


def test_amounts_with_fewer_places_are_written_with_two():
    data = export_bank_file(BATCH, [instruction(1, amount=Decimal("7.5")), instruction(2, amount=Decimal("1E+3"))],
                            created=CREATED)  # fmt: skip
    assert [r[6] for r in rows_of(data)[1:-1]] == ["7.50", "1000.00"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"amount": Decimal("0.00")}, "amount 0.00 is not positive"),
        ({"amount": Decimal("-5.00")}, "amount -5.00 is not positive"),
        ({"amount": Decimal("10.005")}, "amount 10.005 has more than 2 decimal places"),
        ({"amount": Decimal("NaN")}, "amount NaN is not a number"),
        ({"amount": 12.5}, "amount must be a Decimal, not float"),
        ({"amount": 12}, "amount must be a Decimal, not int"),
        ({"amount": Decimal("1000000000000.00")}, "is larger than"),
        ({"account_number": ""}, "account_number is empty"),
        ({"account_number": "   "}, "account_number is empty"),
        ({"account_name": ""}, "account_name is empty"),
        ({"bank_code": ""}, "bank_code is empty"),
        ({"memo": "two\nlines"}, "memo contains a line break"),
        ({"account_name": "张\u202e三"}, "account_name contains a line break or control character"),
        ({"key": "not-a-key"}, "idempotency key must be 32 lowercase hex characters"),
    ],
)
def test_refuses_a_bad_instruction_naming_its_line(change, reason):
    _, instructions = batch(5)
    instructions[2] = replace(instructions[2], **change)
    with pytest.raises(ExportRefused, match="line 3: ") as info:
        export_bank_file(BATCH, instructions, created=CREATED)
    assert isinstance(info.value, ValueError)
    assert len(info.value.problems) == 1
    assert info.value.problems[0][0] == 3 and reason in info.value.problems[0][1]


def test_refuses_a_duplicate_key_naming_both_lines():
    _, instructions = batch(5)
    instructions[4] = replace(instructions[4], key=instructions[1].key)
    with pytest.raises(ExportRefused) as info:
        export_bank_file(BATCH, instructions, created=CREATED)
    assert info.value.problems == [(5, f"idempotency key {instructions[1].key} already used on line 2")]


def test_refuses_a_duplicate_line_no():
    _, instructions = batch(5)
    instructions[4] = replace(instructions[4], line_no=2)
    with pytest.raises(ExportRefused) as info:
        export_bank_file(BATCH, instructions, created=CREATED)
    assert info.value.problems == [(2, "line_no appears more than once")]


def test_lists_every_problem_of_the_batch_at_once():
    _, instructions = batch(6)
    instructions[0] = replace(instructions[0], amount=Decimal("0"))
    instructions[2] = replace(instructions[2], account_number="")
    instructions[3] = replace(instructions[3], amount=Decimal("1.001"), bank_code="")
    instructions[5] = replace(instructions[5], key=instructions[4].key)
    with pytest.raises(ExportRefused) as info:
        export_bank_file(BATCH, instructions, created=CREATED)
    assert [line for line, _ in info.value.problems] == [1, 3, 4, 4, 6]


@pytest.mark.parametrize("line_no", [0, -1, True, "3"])
def test_refuses_a_line_no_that_is_not_a_positive_integer(line_no):
    _, instructions = batch(3)
    instructions[1] = replace(instructions[1], line_no=line_no)
    with pytest.raises(ExportRefused, match="line_no must be a positive integer"):
        export_bank_file(BATCH, instructions, created=CREATED)


@pytest.mark.parametrize("batch_id", ["", "a,b", "-lead", "x" * 65, "批次1"])
def test_refuses_a_bad_batch_id(batch_id):
    _, instructions = batch(2)
    with pytest.raises(ExportRefused, match="line 0: batch_id"):
        export_bank_file(batch_id, instructions, created=CREATED)


def test_refuses_an_empty_batch_and_a_naive_creation_time():
    with pytest.raises(ExportRefused, match="no instructions"):
        export_bank_file(BATCH, [], created=CREATED)
    with pytest.raises(ValueError, match="timezone-aware"):
        export_bank_file(BATCH, batch(1)[1], created=datetime(2025, 7, 1, 9, 30))  # noqa: DTZ001


def test_reading_back_detects_any_change_to_the_file():
    _, instructions = batch(10)
    data = export_bank_file(BATCH, instructions, created=CREATED)
    assert read_bank_file(data) == (BATCH, instructions)
    lines = data.split(b"\n")
    tampered = data.replace(b"2500.00", b"2500.01", 1)
    dropped = b"\n".join(lines[:3] + lines[4:])
    for bad in (tampered, dropped, data[:-1], data.replace(b"#TOTAL", b"#TOTALS")):
        with pytest.raises(ValueError, match="line"):
            read_bank_file(bad)
