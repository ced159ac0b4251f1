"""Properties over random batches: the whole round trip export → bank → parse → reconcile, and fuzzing."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from magnet.core.payments import (
    Instruction,
    ReturnRejected,
    export_bank_file,
    idempotency_key,
    parse_return_file,
    read_bank_file,
    reconcile,
    simulate_bank,
)

from .factory import BATCH, CREATED, person_ref

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cents = st.integers(min_value=1, max_value=99_999_999_999_999).map(lambda c: Decimal(c).scaleb(-2))
text = st.text(
    alphabet=st.one_of(
        st.sampled_from(",\"=+-@'#; 张三李四账户"), st.characters(min_codepoint=0x20, max_codepoint=0x7E)
    ),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip())


@st.composite
def batches(draw):
    n = draw(st.integers(min_value=1, max_value=40))
    line_nos = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    rows = [
        Instruction(
            key=idempotency_key(person_ref(i), "living_subsidy", "2025-06"),
            line_no=line_no,
            account_name=draw(text),
            account_number=draw(st.from_regex(r"[0-9]{8,19}", fullmatch=True)),
            bank_code=draw(st.sampled_from(["ICBC", "ABC", "BOC", "CCB"])),
            amount=draw(cents),
            memo=draw(st.one_of(st.just(""), text)),
        )
        for i, line_no in enumerate(line_nos)
    ]
    failing = draw(st.sets(st.sampled_from([ins.key for ins in rows])))
    return rows, failing


@PROPERTY
@given(batch=batches(), seed=st.integers(0, 2**32))
def test_every_key_ends_paid_or_failed_exactly_once_with_totals_equal_to_the_cent(batch, seed):
    instructions, failing = batch
    grants = {ins.key: ins.amount for ins in instructions}
    export = export_bank_file(BATCH, instructions, created=CREATED)
    assert read_bank_file(export) == (BATCH, sorted(instructions, key=lambda i: i.line_no))
    lines = parse_return_file(simulate_bank(export, fail_keys=failing, seed=seed), BATCH)
    result = reconcile(grants, instructions, lines)
    paid, failed = set(result.paid), set(result.failed)
    assert paid | failed == set(grants) and not paid & failed
    assert len(result.paid) == len(paid) and len(result.failed) == len(failed)
    assert failed == failing
    assert [(d.kind, d.key) for d in result.discrepancies] == [("failed", line.key) for line in lines
                                                               if line.status == "failed"]  # fmt: skip
    totals = result.totals
    assert totals["expected"] == totals["returned_paid"] + totals["returned_failed"] == totals["approved"]
    assert totals["returned_failed"] == sum((grants[key] for key in failing), Decimal("0.00"))
    assert all(isinstance(value, Decimal) and value.as_tuple().exponent == -2 for value in totals.values())
    again = reconcile(
        grants, instructions, lines, already_settled=dict.fromkeys(paid, "paid") | dict.fromkeys(failed, "failed")
    )
    assert again.paid == again.failed == [] and {d.kind for d in again.discrepancies} == {"duplicate_return"}
    assert len(again.discrepancies) == len(instructions)


@PROPERTY
@given(batch=batches(), seed=st.integers(0, 1000))
def test_export_bytes_do_not_depend_on_the_order_of_the_instructions(batch, seed):
    import random

    instructions, _ = batch
    shuffled = instructions[:]
    random.Random(seed).shuffle(shuffled)
    assert export_bank_file(BATCH, shuffled, created=CREATED) == export_bank_file(BATCH, instructions, created=CREATED)


@PROPERTY
@given(batch=batches(), data=st.data())
def test_a_damaged_return_file_is_refused_whole_or_read_whole_never_half(batch, data):
    instructions, failing = batch
    returned = simulate_bank(export_bank_file(BATCH, instructions, created=CREATED), fail_keys=failing)
    position = data.draw(st.integers(0, len(returned) - 1))
    replacement = data.draw(st.binary(min_size=0, max_size=3))
    damaged = returned[:position] + replacement + returned[position + 1 :]
    try:
        lines = parse_return_file(damaged, BATCH)
    except ReturnRejected as refused:
        assert refused.problems and all(isinstance(line, int) and line >= 1 for line, _ in refused.problems)
        return
    # Accepted: the damage hit free text (a reference or a reason), or changed nothing that matters.
    assert len(lines) == len(instructions)
    assert sum(line.amount for line in lines) == sum(ins.amount for ins in instructions)


@pytest.mark.parametrize("boundary", ["0.004", "0.005", "0.015", "2.675", "1.005"])
def test_amounts_between_cents_are_refused_not_rounded(boundary):
    from magnet.core.payments.amounts import amount_problem

    assert "more than 2 decimal places" in amount_problem(Decimal(boundary))
