"""Refusals: every way a code or a revocation list can be rejected, as a machine-readable reason.

A verifier only ever raises `CodeRefused` (for codes) or `RevocationListRefused` (for downloaded
revocation lists), both subclasses of `Refused`. Service-point software switches on `reason` (a
`Reason`, which is also a plain `str`), and shows `message` to staff.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CodeRefused", "Reason", "Refused", "RevocationListRefused"]


class Reason(StrEnum):
    """Why a code was refused. The values are stable: they are logged, counted and sent by service points."""

    MALFORMED = "malformed"  # not a string / bytes of sane size, or bad hex
    BAD_PREFIX = "bad_prefix"  # does not start with the expected prefix (e.g. "MG1:")
    BAD_BASE45 = "bad_base45"  # not valid RFC 9285 base45
    BAD_COMPRESSION = "bad_compression"  # broken, truncated or oversized zlib stream
    NOT_COSE = "not_cose"  # not a CBOR COSE_Sign1 (tag 18, optionally inside CWT tag 61)
    WRONG_TYPE = "wrong_type"  # a COSE_Sign1 of another content type (e.g. a revocation list shown as a code)
    UNSUPPORTED_ALG = "unsupported_alg"  # no protected alg, an alg not accepted, or one that does not fit the key
    UNKNOWN_KID = "unknown_kid"  # no key id, or one that is not in the verifier's key set
    BAD_SIGNATURE = "bad_signature"  # the signature does not verify with the key named by kid
    BAD_CLAIMS = "bad_claims"  # payload not a CWT claims map, or required claims missing or of the wrong type
    WRONG_ISSUER = "wrong_issuer"  # signed by a known key but for another issuer
    EXPIRED = "expired"  # at or after exp
    NOT_YET_VALID = "not_yet_valid"  # before nbf (or, for talent codes, before iat)
    REVOKED = "revoked"  # its cti or its subject is on the revocation list


class Refused(Exception):
    """Base of the refusals; `reason` is a `Reason`, `message` a sentence for people."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = Reason(reason)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.reason.value!r}, {self.message!r})"


class CodeRefused(Refused):
    """A talent code (or another CWT) was not accepted."""


class RevocationListRefused(Refused):
    """A downloaded revocation list was not accepted (bad signature, unknown key, wrong issuer, …)."""
