"""The talent code (人才码): a short-lived signed QR credential that service points verify offline.

Format: a CBOR Web Token (RFC 8392; claims in `claims.py`) in a COSE_Sign1 (RFC 9052, EdDSA/Ed25519,
alg and kid protected), zlib-compressed, base45-encoded (RFC 9285) behind the prefix "MG1:" — the
layout of the EU Digital COVID Certificate ("HC1:"), whose ES256 and PS256 codes the same verifier reads.

Public API (plain values in, plain values out; keys and times are arguments):

- `TalentClaims.new(iss=, sub=, tier=, services=, now=, lifetime=300, nbf=None, cti=None)`, then
  `issue(claims, signing_key, prefix="MG1:") -> str`; `sign_claims(claims, key) -> bytes` (bare COSE).
- `Verifier(keyset, revocations=None, issuer=None, prefix="MG1:", algorithms=…, leeway=0)`:
  `.verify(code, at=None) -> TalentClaims`, `.verify_bytes(cose, at=None) -> TalentClaims`,
  `.verify_cwt(code_or_cose, at=None) -> VerifiedCwt` (any CWT, e.g. DCC); all raise `CodeRefused`
  whose `.reason` is a `Reason` (`malformed`, `bad_prefix`, `bad_base45`, `bad_compression`, `not_cose`,
  `wrong_type`, `unsupported_alg`, `unknown_kid`, `bad_signature`, `bad_claims`, `wrong_issuer`,
  `expired`, `not_yet_valid`, `revoked`).
- Keys: `SigningKey.generate()` / `.from_private_bytes(raw)` / `.private_bytes()` / `.public`;
  `PublicKey` (COSE_Key `encode`/`decode`, `from_x509`); `KeySet` (COSE_KeySet `encode`/`decode`);
  `KeyRing` (current signing key + previous public keys; `rotate`, `retire`, `keyset`).
- `RevocationList.of(iss=, iat=, ctis=, subjects=)`, `.sign(key) -> bytes`,
  `RevocationList.verify(data, keyset, issuer=None)` (raises `RevocationListRefused`).
- `cli.main(argv, default_keys=…)`: `verify [--keys FILE] [--hex] [--at T] CODE` and `keys`.
"""

from .claims import CLAIM_NAMES, SERVICES, TIER, TIERS, ClaimsError, TalentClaims, looks_like_identity_number
from .cose import Sign1, parse_sign1, sign1, verify_sign1
from .errors import CodeRefused, Reason, Refused, RevocationListRefused
from .issuing import issue, sign_claims
from .keys import ALG_NAMES, EDDSA, ES256, PS256, KeyFormatError, PublicKey, SigningKey, thumbprint
from .keyset import KeyRing, KeySet
from .revocation import RevocationList
from .transport import PREFIX, decode_code, encode_code
from .verifier import DEFAULT_ALGORITHMS, VerifiedCwt, Verifier, claims_to_json

__all__ = [
    "ALG_NAMES",
    "CLAIM_NAMES",
    "DEFAULT_ALGORITHMS",
    "EDDSA",
    "ES256",
    "PREFIX",
    "PS256",
    "SERVICES",
    "TIER",
    "TIERS",
    "ClaimsError",
    "CodeRefused",
    "KeyFormatError",
    "KeyRing",
    "KeySet",
    "PublicKey",
    "Reason",
    "Refused",
    "RevocationList",
    "RevocationListRefused",
    "Sign1",
    "SigningKey",
    "TalentClaims",
    "VerifiedCwt",
    "Verifier",
    "claims_to_json",
    "decode_code",
    "encode_code",
    "issue",
    "looks_like_identity_number",
    "parse_sign1",
    "sign1",
    "sign_claims",
    "thumbprint",
    "verify_sign1",
]
