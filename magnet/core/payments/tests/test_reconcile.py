from dataclasses import replace
from decimal import Decimal

import pytest

from magnet.core.payments import (
    Discrepancy,
    ReturnLine,
    export_bank_file,
    parse_return_file,
    reconcile,
    simulate_bank,
)

from .factory import BATCH, CREATED, batch, instruction, paid_rows, return_file


def run(n: int = 10, *, fail: tuple[int, ...] = (), seed: int = 0):
    grants, instructions = batch(n)
    export = export_bank_file(BATCH, instructions, created=CREATED)
    returned = simulate_bank(export, fail_keys={instructions[i].key for i in fail}, seed=seed)
    return grants, instructions, returned


def kinds(result) -> list[tuple[str, str]]:
    return [(d.kind, d.key) for d in result.discrepancies]


def test_a_clean_file_gives_no_discrepancy_and_equal_totals_to_the_cent():
    grants, instructions, returned = run(25)
    result = reconcile(grants, instructions, parse_return_file(returned, BATCH))
    assert result.discrepancies == [] and result.clean
    assert sorted(result.paid) == sorted(ins.key for ins in instructions) and result.failed == []
    assert result.totals["approved"] == result.totals["expected"] == result.totals["returned_paid"]
    assert result.totals["returned_failed"] == Decimal("0.00")
    assert result.totals["expected"] == sum(ins.amount for ins in instructions)


def test_a_failed_line_is_reported_for_retry_with_the_banks_reason():
    grants, instructions, returned = run(10, fail=(3,))
    result = reconcile(grants, instructions, parse_return_file(returned, BATCH))
    key = instructions[3].key
    assert result.failed == [key] and key not in result.paid and len(result.paid) == 9
    (item,) = result.discrepancies
    assert item.kind == "failed" and item.key == key and item.expected == item.got == instructions[3].amount
    assert item.detail in {"账户已销户", "户名与账号不符", "账户已冻结", "账号不存在"} and item.line is not None
    assert result.totals["expected"] == result.totals["returned_paid"] + result.totals["returned_failed"]


def test_a_missing_return_line_is_reported():
    grants, instructions = batch(6)
    returned = return_file(paid_rows(instructions[:2] + instructions[3:]))
    result = reconcile(grants, instructions, parse_return_file(returned, BATCH))
    assert result.discrepancies == [
        Discrepancy("missing_return", instructions[2].key, instructions[2].amount, None, None,
                    "instruction line 3 has no return line")
    ]  # fmt: skip
    assert instructions[2].key not in result.paid + result.failed
    assert result.totals["expected"] - result.totals["returned_paid"] == instructions[2].amount


def test_an_amount_off_by_one_cent_is_reported_and_the_money_still_counts_as_paid():
    grants, instructions = batch(5)
    rows = paid_rows(instructions)
    rows[1] = (rows[1][0], "paid", "0.02", "REF2", "")  # instruction 2 is 0.01
    result = reconcile(grants, instructions, parse_return_file(return_file(rows), BATCH))
    (item,) = result.discrepancies
    assert (item.kind, item.key, item.expected, item.got, item.line) == (
        "amount_mismatch",
        instructions[1].key,
        Decimal("0.01"),
        Decimal("0.02"),
        3,
    )
    assert instructions[1].key in result.paid  # the bank moved money for it: never pay it again
    assert result.totals["returned_paid"] - result.totals["expected"] == Decimal("0.01")


def test_a_key_that_is_not_in_the_batch_is_reported_as_unknown():
    grants, instructions = batch(4)
    stranger = instruction(99)
    rows = paid_rows(instructions) + [(stranger.key, "paid", "50.00", "REF99", "")]
    result = reconcile(grants, instructions, parse_return_file(return_file(rows), BATCH))
    assert result.discrepancies == [
        Discrepancy(
            "unknown_line", stranger.key, None, Decimal("50.00"), 6, "paid line for a key that is not in the batch"
        )
    ]
    assert stranger.key not in result.paid


def test_a_key_returned_twice_in_one_sequence_is_reported_and_settled_once():
    grants, instructions = batch(3)
    lines = [ReturnLine(i + 2, ins.key, "paid", ins.amount, f"R{i}", "") for i, ins in enumerate(instructions)]
    lines.append(replace(lines[0], line=5, status="failed"))
    result = reconcile(grants, instructions, lines)
    assert kinds(result) == [("duplicate_return", instructions[0].key)]
    assert result.discrepancies[0].line == 5 and "first on line 2" in result.discrepancies[0].detail
    assert result.paid.count(instructions[0].key) == 1 and result.failed == []


def test_importing_the_same_file_twice_reports_duplicates_and_settles_nothing_new():
    grants, instructions, returned = run(8, fail=(2,))
    lines = parse_return_file(returned, BATCH)
    first = reconcile(grants, instructions, lines)
    settled = {key: "paid" for key in first.paid} | {key: "failed" for key in first.failed}
    second = reconcile(grants, instructions, parse_return_file(returned, BATCH), already_settled=settled)
    assert second.paid == [] and second.failed == []
    assert sorted(kinds(second)) == sorted(("duplicate_return", ins.key) for ins in instructions)
    flipped = next(d for d in second.discrepancies if d.key == instructions[2].key)
    assert "already settled as failed by an earlier import; now failed" in flipped.detail


def test_a_failed_payment_reported_paid_later_is_a_duplicate_not_a_second_settlement():
    grants, instructions = batch(2)
    rows = paid_rows(instructions)
    result = reconcile(grants, instructions, parse_return_file(return_file(rows), BATCH),
                       already_settled={instructions[0].key: "failed"})  # fmt: skip
    assert kinds(result) == [("duplicate_return", instructions[0].key)]
    assert "already settled as failed by an earlier import; now paid" in result.discrepancies[0].detail
    assert result.paid == [instructions[1].key]


def test_returns_split_over_two_files_settle_each_key_once():
    grants, instructions = batch(6)
    first = reconcile(grants, instructions, parse_return_file(return_file(paid_rows(instructions[:4])), BATCH))
    assert kinds(first) == [("missing_return", ins.key) for ins in instructions[4:]]  # late, for now
    settled = dict.fromkeys(first.paid, "paid")
    second = reconcile(grants, instructions, parse_return_file(return_file(paid_rows(instructions[4:])), BATCH),
                       already_settled=settled)  # fmt: skip
    assert second.clean and second.paid == [ins.key for ins in instructions[4:]]


def test_instruction_and_grant_must_agree():
    grants, instructions = batch(5)
    grants[instructions[0].key] = instructions[0].amount + Decimal("0.01")  # approved 1800.01, instructed 1800.00
    del grants[instructions[1].key]  # instructed without an approved grant
    orphan = instruction(42)
    grants[orphan.key] = Decimal("300.00")  # approved, never instructed
    result = reconcile(grants, instructions, parse_return_file(return_file(paid_rows(instructions)), BATCH))
    assert result.discrepancies == [
        Discrepancy("grant_mismatch", instructions[0].key, Decimal("1800.01"), Decimal("1800.00"), None,
                    "instruction line 1 pays 1800.00, the grant approved 1800.01"),
        Discrepancy("grant_mismatch", instructions[1].key, None, Decimal("0.01"), None,
                    "instruction line 2 has no approved grant"),
        Discrepancy("grant_mismatch", orphan.key, Decimal("300.00"), None, None,
                    "approved grant has no instruction in this batch"),
    ]  # fmt: skip


def test_every_seeded_fault_is_reported_at_once():
    grants, instructions = batch(12)
    stranger = instruction(77)
    grants[instructions[0].key] = Decimal("1799.99")  # grant off by a cent
    rows = paid_rows(instructions)
    rows[3] = (rows[3][0], "paid", "2500.01", "REF4", "")  # amount off by a cent
    rows[5] = (rows[5][0], "failed", rows[5][2], "REF6", "账户已销户")  # the bank refused
    del rows[8]  # no return for line 9
    rows.append((stranger.key, "paid", "10.00", "REFX", ""))  # not ours
    lines = parse_return_file(return_file(rows), BATCH)
    lines.append(replace(lines[0], line=99))  # a duplicate (parse refuses it in a file; reconcile checks anyway)
    settled = {instructions[10].key: "paid"}  # settled by an earlier file
    result = reconcile(grants, instructions, lines, already_settled=settled)
    assert sorted(kinds(result)) == sorted([
        ("grant_mismatch", instructions[0].key),
        ("amount_mismatch", instructions[3].key),
        ("failed", instructions[5].key),
        ("missing_return", instructions[8].key),
        ("unknown_line", stranger.key),
        ("duplicate_return", instructions[0].key),
        ("duplicate_return", instructions[10].key),
    ])  # fmt: skip
    assert set(result.paid).isdisjoint(result.failed)
    assert result.failed == [instructions[5].key]
    assert set(result.paid) == {ins.key for ins in instructions} - {
        instructions[5].key,
        instructions[8].key,
        instructions[10].key,
    }


def test_refuses_instructions_that_share_a_key_and_grants_that_are_not_cents():
    grants, instructions = batch(3)
    with pytest.raises(ValueError, match="share key"):
        reconcile(grants, [*instructions, replace(instructions[0], line_no=9)], [])
    with pytest.raises(ValueError, match="more than 2 decimal places"):
        reconcile({instructions[0].key: Decimal("1.005")}, instructions, [])
    with pytest.raises(ValueError, match="unknown status"):
        reconcile(grants, instructions, [ReturnLine(2, instructions[0].key, "maybe", Decimal("1.00"), "", "")])
