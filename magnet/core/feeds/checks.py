"""Check characters and formats of the identifiers the feeds carry.

- `id_number`: resident identity number, GB 11643-1999 (ISO 7064 MOD 11-2 check character).
- `uscc`: unified social credit code, GB 32100-2015 (MOD 31 check character over a 31-symbol alphabet).
- `adcode`: administrative division code, GB/T 2260 (six digits).

Each `*_problem` function returns None for a valid value or a short English reason for an invalid one,
so that a feed report can say exactly what is wrong; `is_valid_*` wrap them.
"""

from __future__ import annotations

import datetime as dt
import re

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"  # index = (sum of weighted digits) mod 11

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_ID_BODY = re.compile(r"[0-9]{17}[0-9X]")
_ADCODE = re.compile(r"[0-9]{6}")
_USCC_VALUES = {c: i for i, c in enumerate(USCC_ALPHABET)}


def id_number_check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits of an identity number.

    >>> id_number_check_char("11010519491231002")
    'X'
    """
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def id_number_problem(value: object) -> str | None:
    """Why `value` is not a valid 18-character identity number, or None.

    >>> id_number_problem("11010519491231002X") is None
    True
    >>> id_number_problem("110105194912310021")
    'wrong check character: expected X, found 1'
    """
    if not isinstance(value, str) or value == "":
        return "missing identity number"
    if len(value) != 18:
        return f"must be 18 characters, found {len(value)}"
    if not _ID_BODY.fullmatch(value):
        return "only digits are allowed, and an uppercase X as the last character"
    if id_number_birth_date(value) is None:
        return f"birth date {value[6:14]} does not exist"
    expected = id_number_check_char(value[:17])
    if value[17] != expected:
        return f"wrong check character: expected {expected}, found {value[17]}"
    return None


def is_valid_id_number(value: object) -> bool:
    return id_number_problem(value) is None


def id_number_birth_date(value: str) -> dt.date | None:
    """The birth date in digits 7-14, or None when it is not a real date.

    >>> id_number_birth_date("11010519491231002X")
    datetime.date(1949, 12, 31)
    """
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_number_gender(value: str) -> str:
    """'M' when the 17th digit is odd, 'F' when it is even."""
    return "M" if int(value[16]) % 2 else "F"


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a USCC.

    >>> uscc_check_char("91350100M000100Y4")
    '3'
    """
    total = sum(_USCC_VALUES[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(value: object) -> str | None:
    """Why `value` is not a valid unified social credit code, or None.

    >>> uscc_problem("91350100M000100Y43") is None
    True
    """
    if not isinstance(value, str) or value == "":
        return "missing unified social credit code"
    if len(value) != 18:
        return f"must be 18 characters, found {len(value)}"
    bad = sorted({c for c in value if c not in _USCC_VALUES})
    if bad:
        return "characters not allowed in a USCC: " + " ".join(bad)
    if not value[2:8].isdigit():
        return "characters 3-8 must be the registering authority's division code"
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        return f"wrong check character: expected {expected}, found {value[17]}"
    return None


def is_valid_uscc(value: object) -> bool:
    return uscc_problem(value) is None


def adcode_problem(value: object) -> str | None:
    """Why `value` is not a six-digit division code, or None."""
    if not isinstance(value, str) or value == "":
        return "missing division code"
    if not _ADCODE.fullmatch(value):
        return "must be 6 digits"
    return None


def mask_id_number(value: str) -> str:
    """Mask an identity number for display: the birth date (digits 7-14) is never shown.

    >>> mask_id_number("32060219900101123X")
    '3206**********123X'
    """
    return value[:4] + "*" * 10 + value[-4:]


def mask_id_number_public(value: str) -> str:
    """Mask for public notices (公示): only the first two and the last two characters.

    >>> mask_id_number_public("32060219900101123X")
    '32**************3X'
    """
    return value[:2] + "*" * 14 + value[-2:]


def mask_phone(value: str) -> str:
    """Mask a phone number: `138****1234`."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
