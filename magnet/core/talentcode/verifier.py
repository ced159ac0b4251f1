"""The verifier: a scanned code in, verified claims out, or `CodeRefused` with the reason.

Order of checks, each one refusing with its reason:
decode (`malformed`, `bad_prefix`, `bad_base45`, `bad_compression`) → COSE_Sign1 (`not_cose`,
`wrong_type`) → signature (`unsupported_alg`, `unknown_kid`, `bad_signature`) → claims (`bad_claims`,
`wrong_issuer`) → time (`not_yet_valid`, `expired`) → revocation (`revoked`).

Nothing is parsed from the payload before its signature has been checked. Time is a parameter (`at=`,
unix seconds, default now), so an audit of a past scan or a published test vector can be checked as of
its own time. `leeway` (seconds) tolerates service-point clocks that are a little off.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .claims import CLAIM_NAMES, CTI, EXP, ISS, NBF, SUB, ClaimsError, TalentClaims
from .cose import loads_exact, parse_sign1, verify_sign1
from .errors import CodeRefused, Reason
from .keys import ALG_NAMES, EDDSA, ES256, PS256
from .keyset import KeySet
from .revocation import RevocationList
from .transport import MAX_DECOMPRESSED, PREFIX, decode_code

__all__ = ["DEFAULT_ALGORITHMS", "MAX_COSE_BYTES", "VerifiedCwt", "Verifier", "claims_to_json"]

DEFAULT_ALGORITHMS = frozenset({EDDSA, ES256, PS256})
MAX_COSE_BYTES = MAX_DECOMPRESSED
# Content types that say "this is a CWT" (CoAP content format 61, or its media type); absent is fine too.
_CWT_TYPES = (61, "application/cwt")


@dataclass(frozen=True)
class VerifiedCwt:
    """A CWT whose signature, type, issuer, times and revocation status have been checked."""

    claims: dict  # the claims map as decoded (integer keys for registered claims)
    kid: bytes
    alg: int

    def to_json(self) -> dict[str, Any]:
        return claims_to_json(self.claims)


def _when(t: float) -> str:
    try:
        return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds")
    except (OverflowError, ValueError, OSError):
        return str(t)


def _numeric_date(value: Any) -> bool:
    # RFC 8392 NumericDate: an integer or a floating-point number of seconds (not bool, not NaN).
    return type(value) is int or (type(value) is float and math.isfinite(value))


class Verifier:
    """Checks codes offline against a key set and, optionally, a revocation list.

    `keys`: the trusted public keys (all keys of the rotation). `revocations`: a `RevocationList`
    already checked with `RevocationList.verify`. `issuer`: if given, the required `iss`. `prefix`: the
    code's prefix ("MG1:"; "HC1:" reads DCC codes). `algorithms`: accepted COSE algorithms."""

    def __init__(
        self,
        keys: KeySet,
        revocations: RevocationList | None = None,
        *,
        issuer: str | None = None,
        prefix: str = PREFIX,
        algorithms: frozenset[int] = DEFAULT_ALGORITHMS,
        leeway: int = 0,
        max_size: int = MAX_DECOMPRESSED,
    ) -> None:
        if not isinstance(keys, KeySet):
            raise TypeError("keys must be a KeySet")
        if not set(algorithms) <= set(ALG_NAMES):
            raise ValueError(f"supported algorithms are {sorted(ALG_NAMES)}")
        self.keys, self.revocations, self.issuer, self.prefix = keys, revocations, issuer, prefix
        self.algorithms, self.leeway, self.max_size = frozenset(algorithms), leeway, max_size

    # -- public entry points -------------------------------------------------------------------------
    def verify(self, code: str, *, at: float | None = None) -> TalentClaims:
        """Verify a talent code (the scanned text) and return its claims."""
        now = self._now(at)
        return self._talent(self._check(decode_code(code, prefix=self.prefix, max_size=self.max_size), now), now)

    def verify_bytes(self, cose: bytes, *, at: float | None = None) -> TalentClaims:
        """Verify a talent code given as bare COSE_Sign1 bytes (no prefix, base45 or compression)."""
        now = self._now(at)
        return self._talent(self._check(self._bounded(cose), now), now)

    def verify_cwt(self, code: str | bytes, *, at: float | None = None) -> VerifiedCwt:
        """Verify any CWT in COSE_Sign1: text goes through prefix/base45/zlib, bytes are a bare COSE_Sign1.

        Used for foreign codes (the EU DCC, RFC 8392's examples): requires exp but no Magnet claims."""
        now = self._now(at)
        if isinstance(code, str):
            return self._check(decode_code(code, prefix=self.prefix, max_size=self.max_size), now)
        return self._check(self._bounded(code), now)

    # -- the steps ----------------------------------------------------------------------------------
    def _bounded(self, cose: Any) -> bytes:
        if not isinstance(cose, bytes | bytearray | memoryview):
            raise CodeRefused(Reason.MALFORMED, "a COSE_Sign1 is bytes")
        if len(cose) > self.max_size:
            raise CodeRefused(Reason.MALFORMED, f"the COSE_Sign1 is larger than {self.max_size} bytes")
        return bytes(cose)

    def _now(self, at: float | None) -> float:
        if at is None:
            return time.time()
        if not _numeric_date(at):
            raise TypeError("at is unix seconds (int or float)")
        return at

    def _check(self, data: bytes, now: float) -> VerifiedCwt:
        msg = parse_sign1(data)
        if msg.content_type is not None and msg.content_type not in _CWT_TYPES:
            raise CodeRefused(Reason.WRONG_TYPE, f"content type {msg.content_type!r} is not a CWT")
        key = verify_sign1(msg, self.keys, algorithms=self.algorithms)
        try:
            claims = loads_exact(msg.payload)
        except ValueError as exc:
            raise CodeRefused(Reason.BAD_CLAIMS, f"the payload is {exc}") from None
        if not isinstance(claims, dict):
            raise CodeRefused(Reason.BAD_CLAIMS, "the payload is not a CWT claims map")
        if self.issuer is not None and claims.get(ISS) != self.issuer:
            raise CodeRefused(Reason.WRONG_ISSUER, f"the code was issued by {claims.get(ISS)!r}")
        exp, nbf = claims.get(EXP), claims.get(NBF)
        if not _numeric_date(exp):
            raise CodeRefused(Reason.BAD_CLAIMS, "no valid expiry (exp)")
        if nbf is not None and not _numeric_date(nbf):
            raise CodeRefused(Reason.BAD_CLAIMS, "nbf is not a time")
        if nbf is not None and now < nbf - self.leeway:
            raise CodeRefused(Reason.NOT_YET_VALID, f"the code is valid from {_when(nbf)}")
        if now >= exp + self.leeway:  # RFC 8392 §3.1.4: not accepted on or after exp
            raise CodeRefused(Reason.EXPIRED, f"the code expired at {_when(exp)}")
        if self.revocations is not None and self.revocations.revokes(claims.get(CTI), claims.get(SUB)):
            raise CodeRefused(Reason.REVOKED, "the code or its holder has been revoked")
        return VerifiedCwt(claims, key.kid, msg.alg)

    def _talent(self, verified: VerifiedCwt, now: float) -> TalentClaims:
        try:
            claims = TalentClaims.from_cwt(verified.claims)
        except ClaimsError as exc:
            raise CodeRefused(Reason.BAD_CLAIMS, str(exc)) from None
        # A talent code is not used before it was issued (a code from a clock far ahead is suspect).
        if now < claims.iat - self.leeway:
            raise CodeRefused(Reason.NOT_YET_VALID, f"the code was issued in the future ({_when(claims.iat)})")
        return claims


def _plain(value: Any) -> Any:
    """A JSON-ready copy of a decoded CBOR value (bytes as hex, tags as {"tag", "value"})."""
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "tag") and hasattr(value, "value"):
        return {"tag": value.tag, "value": _plain(value.value)}
    return str(value)


def claims_to_json(claims: dict) -> dict[str, Any]:
    """CWT claims as JSON: registered and Magnet keys by name (iss, sub, …, tier, services), others as text."""
    return {CLAIM_NAMES.get(k, str(k)) if isinstance(k, int) else str(k): _plain(v) for k, v in claims.items()}
