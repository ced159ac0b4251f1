from decimal import Decimal

import pytest

from magnet.core.payments import ReturnLine, ReturnRejected, export_bank_file, parse_return_file, simulate_bank

from .factory import BATCH, CREATED, batch, paid_rows, return_file


def rejected(data: bytes, batch_id: str = BATCH) -> list[tuple[int, str]]:
    with pytest.raises(ReturnRejected) as info:
        parse_return_file(data, batch_id)
    assert isinstance(info.value, ValueError)
    return info.value.problems


def test_reads_every_line_of_a_clean_file_with_its_line_number():
    _, instructions = batch(3)
    data = return_file(paid_rows(instructions))
    lines = parse_return_file(data, BATCH)
    assert lines == [
        ReturnLine(2, instructions[0].key, "paid", Decimal("1800.00"), "REF1", ""),
        ReturnLine(3, instructions[1].key, "paid", Decimal("0.01"), "REF2", ""),
        ReturnLine(4, instructions[2].key, "paid", Decimal("1234.56"), "REF3", ""),
    ]


def test_reads_what_the_simulated_bank_sends_including_failures():
    _, instructions = batch(20)
    export = export_bank_file(BATCH, instructions, created=CREATED)
    lines = parse_return_file(simulate_bank(export, fail_keys={instructions[4].key}), BATCH)
    assert len(lines) == 20
    failed = [line for line in lines if line.status == "failed"]
    assert [line.key for line in failed] == [instructions[4].key] and failed[0].reason


def test_accepts_crlf_line_ends_and_a_byte_order_mark():
    _, instructions = batch(3)
    data = return_file(paid_rows(instructions))
    assert parse_return_file(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), BATCH) == parse_return_file(data, BATCH)


def test_formula_characters_are_kept_as_data():
    _, instructions = batch(4)
    texts = ['=HYPERLINK("http://evil","点我")', "@SUM(1+1)", "+1-1", "-2+3"]
    rows = [(ins.key, "failed", f"{ins.amount:.2f}", text, text) for ins, text in zip(instructions, texts, strict=True)]
    lines = parse_return_file(return_file(rows), BATCH)
    assert [line.reason for line in lines] == texts and [line.bank_ref for line in lines] == texts


def test_an_empty_answer_is_a_valid_file():
    assert parse_return_file(return_file([]), BATCH) == []


K = ["a" * 32, "b" * 32, "c" * 32]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (return_file([(K[0], "paid", "1.00", "R", "")], header=["batch", "key", "status", "amount", "ref", "reason"]),
         [(1, "wrong header: expected batch_id,idempotency_key,status,amount,bank_ref,reason, found 'batch,")]),
        (b"2025-06-A," + K[0].encode() + b",paid,1.00,R,\n#TOTAL,1,1.00\n",
         [(1, "missing header: expected batch_id,idempotency_key,status,amount,bank_ref,reason")]),
        (return_file([(K[0], "paid", "1.00", "R", "")], batch_id="2025-05-B"),
         [(2, "line of batch '2025-05-B', not of batch '2025-06-A'")]),
        (return_file([(K[0], "PAID", "1.00", "R", "")]), [(2, "unknown status 'PAID': expected paid or failed")]),
        (return_file([(K[0], "pending", "1.00", "R", "")]), [(2, "unknown status 'pending': expected paid or failed")]),
        (return_file([(K[0], "paid", "1.00", "R", ""), (K[0], "failed", "1.00", "R", "x")]),
         [(3, f"duplicate idempotency key {K[0]}, already on line 2")]),
        (return_file([("ABC", "paid", "1.00", "R", "")]),
         [(2, "idempotency key 'ABC' is not 32 lowercase hex characters")]),
        (return_file([(K[0], "paid", "1.00", "", "")]), [(2, "a paid line has no bank_ref")]),
        (return_file([(K[0], "paid", "1.00", "R", ""), (K[1], "paid", "2.00", "R", "")], trailer=["#TOTAL", 3, "3.00"]),
         [(4, "trailer count 3 but the file has 2 lines")]),
        (return_file([(K[0], "paid", "1.00", "R", ""), (K[1], "paid", "2.00", "R", "")], trailer=["#TOTAL", 2, "3.01"]),
         [(4, "trailer sum 3.01 but the lines add up to 3.00")]),
        (return_file([(K[0], "paid", "1.00", "R", "")], trailer=["#TOTAL", "one", "1.00"]),
         [(3, "trailer count 'one' is not a whole number")]),
        (return_file([(K[0], "paid", "1.00", "R", "")], trailer=["#TOTAL", 1]),
         [(3, "the trailer has 2 fields instead of 3: #TOTAL,<count>,<sum>")]),
        (return_file([(K[0], "paid", "1.00", "R", "")])[: -len(b"#TOTAL,1,1.00\n")],
         [(3, "missing trailer #TOTAL,<count>,<sum> (the file ends at line 2)")]),
        (return_file([(K[0], "paid", "1.00", "R", "")]) + b"\n", [(4, "line after the trailer (line 3)")]),
        (return_file([(K[0], "paid", "1.00", "R", "")]) + b"#TOTAL,1,1.00\n", [(4, "line after the trailer (line 3)")]),
        (return_file([(K[0], "paid", "1.00", "R", "")]).replace(b"#TOTAL", b"#NOTE,hi\n#TOTAL"),
         [(3, "unknown control line '#NOTE'")]),
        (b"batch_id,idempotency_key,status,amount,bank_ref,reason\n\n#TOTAL,0,0.00\n", [(2, "empty line")]),
        (return_file([(K[0], "paid", "1.00", "R")]), [(2, "5 fields instead of 6")]),
        (b"batch_id,idempotency_key,status,amount,bank_ref,reason\n2025-06-A,\"" + K[0].encode() + b",paid\n",
         [(2, "malformed CSV (unexpected end of data); the rest of the file was not read")]),
        (b"", [(1, "the file is empty")]),
    ],
    ids=["wrong-header", "missing-header", "other-batch", "status-case", "unknown-status", "duplicate-key",
         "malformed-key", "paid-without-ref", "trailer-count", "trailer-sum", "trailer-count-text", "trailer-fields",
         "missing-trailer", "empty-line-after-trailer", "second-trailer", "unknown-control-line", "empty-line",
         "field-count", "unclosed-quote", "empty-file"],
)  # fmt: skip
def test_refuses_the_whole_file_naming_the_line(data, expected):
    problems = rejected(data)
    assert [line for line, _ in problems] == [line for line, _ in expected], problems
    for (_, reason), (_, want) in zip(problems, expected, strict=True):
        assert reason.startswith(want), reason


@pytest.mark.parametrize("amount", ["1e3", "-5.00", "12.5", "12.500", "abc", "", "0.00", "01.00", "1,000.00", " 1.00",
                                    "１.００", "NaN", "1234567890123.00"])  # fmt: skip
def test_refuses_a_bad_amount(amount):
    problems = rejected(return_file([(K[0], "paid", amount, "R", "")], trailer=["#TOTAL", 1, "1.00"]))
    assert problems == [(2, f"bad amount {amount!r}: expected a positive decimal like 2500.00")]


def test_refuses_a_file_that_is_not_utf8_naming_each_bad_line_and_still_reading_the_rest():
    data = return_file([(K[0], "failed", "1.00", "R", "账户已销户"), (K[1], "paid", "2.00", "R", ""),
                        (K[2], "failed", "3.00", "R", "户名不符")], trailer=["#TOTAL", 3, "9.99"])  # fmt: skip
    gbk = data.decode("utf-8").encode("gbk")
    assert rejected(gbk) == [(2, "not UTF-8 (a GBK export? the bank must send UTF-8)"),
                             (4, "not UTF-8 (a GBK export? the bank must send UTF-8)"),
                             (5, "trailer sum 9.99 but the lines add up to 6.00")]  # fmt: skip


def test_lists_every_problem_at_once_and_returns_nothing():
    data = return_file(
        [
            (K[0], "paid", "10.00", "R1", ""),  # line 2: fine
            (K[1], "paid", "10.001", "R2", ""),  # line 3: bad amount
            (K[0], "paid", "10.00", "R3", ""),  # line 4: duplicate of line 2
            (K[2], "refused", "5.00", "R4", ""),  # line 5: unknown status
            ("z" * 32, "paid", "5.00", "R5", ""),  # line 6: malformed key
        ],
        trailer=["#TOTAL", 9, "1.00"],  # line 7: count wrong (sum not compared: an amount was unreadable)
    )
    data = data.replace(b"2025-06-A,ccc", b"2025-05-B,ccc")  # line 5: another batch too
    problems = rejected(data)
    assert [line for line, _ in problems] == [3, 4, 5, 5, 6, 7]
    reasons = " | ".join(reason for _, reason in problems)
    for fragment in ["bad amount '10.001'", "duplicate idempotency key", "line of batch '2025-05-B'",
                     "unknown status 'refused'", "'zzzz", "trailer count 9 but the file has 5 lines"]:  # fmt: skip
        assert fragment in reasons


def test_a_value_in_a_problem_is_cut_short():
    problems = rejected(return_file([(K[0], "x" * 5000, "1.00", "R", "")]))
    assert len(problems[0][1]) < 120


def test_refuses_a_batch_id_argument_that_is_not_one_and_text_instead_of_bytes():
    with pytest.raises(ValueError, match="not a batch id"):
        parse_return_file(return_file([]), "a,b")
    with pytest.raises(TypeError):
        parse_return_file(return_file([]).decode(), BATCH)  # type: ignore[arg-type]
