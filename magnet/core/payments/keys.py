"""The deterministic idempotency key of a payment instruction (SECURITY MN-5)."""

from __future__ import annotations

import hashlib
import re

from magnet.core.pii import redact

__all__ = ["KEY_PATTERN", "idempotency_key"]

KEY_PATTERN = re.compile(r"[0-9a-f]{32}")
_SEPARATOR = "\x1f"  # ASCII unit separator: cannot be typed into a form, refused inside a part
_DOMAIN = "magnet.payment-instruction.v1"  # keeps these digests apart from any other sha256 of the same text


def idempotency_key(person_ref: str, policy: str, period: str, version: int = 1) -> str:
    """The key of the one payment of `policy` for `period` to the person, as 32 lowercase hex characters.

    sha256 over `magnet.payment-instruction.v1␟person_ref␟policy␟period␟version` (␟ = U+001F, which no
    part may contain, so different parts can never give the same text). `person_ref` is the person's
    pseudonymous blind index (`magnet.core.pii.BlindIndex`), never an identity or phone number: the key
    travels to the bank. `version` starts at 1 and is raised only when a failed payment is retried with
    a new instruction, so one approved grant has exactly one key per attempt.

    >>> idempotency_key("9f2c" * 16, "living_subsidy", "2025-06")
    '13940399082f1b6bbafdeaaac653c5ae'
    """
    parts = {"person_ref": person_ref, "policy": policy, "period": period}
    for name, value in parts.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string")
        if _SEPARATOR in value:
            raise ValueError(f"{name} must not contain U+001F")
    if redact(person_ref) != person_ref:
        # The value is deliberately not repeated: it would put the number in a log.
        raise ValueError("person_ref looks like an identity or phone number; pass the person's blind index")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"version must be a positive integer, not {version!r}")
    text = _SEPARATOR.join([_DOMAIN, person_ref, policy, period, str(version)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
