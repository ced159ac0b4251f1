"""Issuing: talent claims -> COSE_Sign1 (EdDSA) -> the prefixed text shown in the QR code."""

from __future__ import annotations

import cbor2

from .claims import TalentClaims
from .cose import sign1
from .keys import SigningKey
from .transport import PREFIX, encode_code

__all__ = ["issue", "sign_claims"]


def sign_claims(claims: TalentClaims, key: SigningKey) -> bytes:
    """The bare COSE_Sign1 (tag 18) of the claims, signed with `key` (alg and kid in the protected header)."""
    return sign1(cbor2.dumps(claims.to_cwt()), key)


def issue(claims: TalentClaims, key: SigningKey, *, prefix: str = PREFIX) -> str:
    """The talent code for `claims`: `prefix + base45(zlib(COSE_Sign1))`.

    Build the claims with `TalentClaims.new(iss=…, sub=…, tier=…, services=…, now=…, lifetime=…)`; keep
    `claims.cti` and `claims.exp` to record the issue and to know when to refresh the code."""
    return encode_code(sign_claims(claims, key), prefix=prefix)
