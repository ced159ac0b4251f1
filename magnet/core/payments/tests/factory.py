"""Batches for the payment tests: instructions with their approved grants, and hand-written return files."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from magnet.core.payments import Instruction, idempotency_key

BATCH = "2025-06-A"
CREATED = datetime(2025, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
AMOUNTS = [Decimal("2500.00"), Decimal("1800.00"), Decimal("0.01"), Decimal("1234.56"), Decimal("99999.99")]
NAMES = ["张三", "李四, 王五", 'Anne "Nan" Lee', '=HYPERLINK("http://x","y")', "欧阳娜娜"]


def person_ref(i: int) -> str:
    """Stands in for a person's blind index (an HMAC digest): 64 hex characters, no identity number."""
    return hashlib.sha256(f"person-{i}".encode()).hexdigest()


def instruction(i: int, *, amount: Decimal | None = None, policy: str = "living_subsidy") -> Instruction:
    return Instruction(
        key=idempotency_key(person_ref(i), policy, "2025-06"),
        line_no=i,
        account_name=NAMES[i % len(NAMES)],
        account_number=f"62220200{i:08d}",
        bank_code="ICBC",
        amount=AMOUNTS[i % len(AMOUNTS)] if amount is None else amount,
        memo="生活补贴 2025-06",
    )


def batch(n: int) -> tuple[dict[str, Decimal], list[Instruction]]:
    """n instructions, lines 1..n, with the grants they were built from."""
    rows = [instruction(i) for i in range(1, n + 1)]
    return {ins.key: ins.amount for ins in rows}, rows


def return_file(
    rows: Iterable[Sequence[object]],
    *,
    batch_id: str = BATCH,
    trailer: Sequence[object] | None = None,
    header: Sequence[str] | None = None,
) -> bytes:
    """A return file from `(key, status, amount, bank_ref, reason)` rows, with a correct trailer unless one is given."""
    rows = list(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header or ["batch_id", "idempotency_key", "status", "amount", "bank_ref", "reason"])
    for row in rows:
        writer.writerow([batch_id, *row])
    if trailer is None:
        trailer = ["#TOTAL", len(rows), f"{sum((Decimal(str(r[2])) for r in rows), Decimal('0.00')):.2f}"]
    writer.writerow(trailer)
    return out.getvalue().encode("utf-8")


def paid_rows(instructions: Iterable[Instruction]) -> list[tuple[str, str, str, str, str]]:
    return [(ins.key, "paid", f"{ins.amount:.2f}", f"REF{ins.line_no}", "") for ins in instructions]
