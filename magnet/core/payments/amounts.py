"""Amounts of money as text and back: `Decimal` with exactly two places, never float (SECURITY MN-3).

Nothing in this package rounds: amounts come from approved grants already rounded half up to the cent
by the policy engine, and an amount that is not a whole number of cents is refused, not adjusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, Inexact, localcontext

__all__ = ["CENT", "MAX_AMOUNT", "amount_problem", "format_amount", "parse_amount", "parse_total", "total"]

CENT = Decimal("0.01")
# A sanity bound, not a business limit (those belong to approval): twelve digits before the point keep
# every sum of up to 10^15 lines exact within Decimal's default 28-digit precision.
MAX_AMOUNT = Decimal("999999999999.99")
_AMOUNT_TEXT = re.compile(r"(?:0|[1-9][0-9]{0,11})\.[0-9]{2}")
_TOTAL_TEXT = re.compile(r"(?:0|[1-9][0-9]{0,17})\.[0-9]{2}")


def amount_problem(value: object) -> str | None:
    """What is wrong with `value` as the amount of one payment, or None when it is fine.

    >>> amount_problem(Decimal("12.50")), amount_problem(Decimal("0.005")), amount_problem(Decimal("0"))
    (None, 'amount 0.005 has more than 2 decimal places', 'amount 0 is not positive')
    """
    if not isinstance(value, Decimal):
        return f"amount must be a Decimal, not {type(value).__name__}"
    if not value.is_finite():
        return f"amount {value} is not a number"
    if value <= 0:
        return f"amount {value} is not positive"
    if value > MAX_AMOUNT:
        return f"amount {value} is larger than {MAX_AMOUNT}"
    if value != value.quantize(CENT):
        return f"amount {value} has more than 2 decimal places"
    return None


def format_amount(value: Decimal) -> str:
    """Plain decimal text with two places, no exponent and no thousands separator.

    >>> format_amount(Decimal("1E+3")), format_amount(Decimal("7.5"))
    ('1000.00', '7.50')
    """
    return format(value.quantize(CENT), "f")


def parse_amount(text: str) -> Decimal | None:
    """The amount written as `digits.dd` (no sign, no exponent, no leading zeros), or None.

    >>> parse_amount("1200.00"), parse_amount("1200"), parse_amount("1e3"), parse_amount("-1.00")
    (Decimal('1200.00'), None, None, None)
    """
    if not _AMOUNT_TEXT.fullmatch(text):
        return None
    return Decimal(text)


def parse_total(text: str) -> Decimal | None:
    """A sum as written in a trailer: like `parse_amount`, with up to 18 digits before the point.

    >>> parse_total("1000000000000.00"), parse_amount("1000000000000.00")
    (Decimal('1000000000000.00'), None)
    """
    if not _TOTAL_TEXT.fullmatch(text):
        return None
    return Decimal(text)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum with two places; raises `decimal.Inexact` rather than ever rounding a sum.

    >>> total([Decimal("0.10"), Decimal("0.20")])
    Decimal('0.30')
    """
    with localcontext() as ctx:
        ctx.traps[Inexact] = True
        return sum(amounts, Decimal("0.00")).quantize(CENT)
