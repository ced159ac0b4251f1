"""The signed revocation list that verifiers download and keep for offline checks.

It is a COSE_Sign1 (EdDSA, signed by one of the city's keys, kid and alg protected) whose protected
header carries the content type `application/vnd.magnet.revocations+cbor`, so that a list can never be
shown as a talent code, nor a code passed off as a list. Its payload is a CBOR map with text keys:

    {"iss": text, "iat": uint, "revoked_cti": [bytes, …], "revoked_sub": [text, …]}

A code is revoked when its cti is listed, or its subject is (all of that talent's codes). Lists are
written sorted, so the same content always gives the same bytes. Which of two lists is newer is told by
`iat`; keeping the newest and refreshing it regularly is the caller's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import cbor2

from .cose import loads_exact, parse_sign1, sign1, verify_sign1
from .errors import Reason, RevocationListRefused
from .keys import EDDSA, ES256, SigningKey
from .keyset import KeySet

__all__ = ["CONTENT_TYPE", "MAX_LIST_BYTES", "RevocationList"]

CONTENT_TYPE = "application/vnd.magnet.revocations+cbor"
MAX_LIST_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class RevocationList:
    """Revoked code ids (cti) and subjects, as of `iat`, according to issuer `iss`."""

    iss: str
    iat: int
    ctis: frozenset[bytes] = field(default_factory=frozenset)
    subjects: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *, iss: str, iat: int, ctis: Iterable[bytes] = (), subjects: Iterable[str] = ()) -> RevocationList:
        return cls(iss, iat, frozenset(ctis), frozenset(subjects))

    def __post_init__(self) -> None:
        if not isinstance(self.iss, str) or not self.iss:
            raise ValueError("iss must be a non-empty text")
        if type(self.iat) is not int or self.iat < 0:
            raise ValueError("iat must be a non-negative integer")
        if not all(isinstance(c, bytes) for c in self.ctis) or not all(isinstance(s, str) for s in self.subjects):
            raise ValueError("ctis are bytes and subjects are texts")

    def revokes(self, cti: Any, sub: Any) -> bool:
        """Whether a code with this cti and subject is revoked."""
        return (isinstance(cti, bytes) and cti in self.ctis) or (isinstance(sub, str) and sub in self.subjects)

    def payload(self) -> bytes:
        return cbor2.dumps(
            {
                "iss": self.iss,
                "iat": self.iat,
                "revoked_cti": sorted(self.ctis),
                "revoked_sub": sorted(self.subjects),
            }
        )

    def sign(self, key: SigningKey) -> bytes:
        """The signed list (tagged COSE_Sign1 bytes) to publish."""
        return sign1(self.payload(), key, content_type=CONTENT_TYPE)

    @classmethod
    def verify(
        cls,
        data: bytes,
        keys: KeySet,
        *,
        issuer: str | None = None,
        algorithms: frozenset[int] = frozenset({EDDSA, ES256}),
    ) -> RevocationList:
        """Check a downloaded list's signature and shape; raise `RevocationListRefused` otherwise."""
        if not isinstance(data, bytes) or len(data) > MAX_LIST_BYTES:
            raise RevocationListRefused(Reason.MALFORMED, "a revocation list is bytes of bounded size")
        msg = parse_sign1(data, error=RevocationListRefused)
        if msg.content_type != CONTENT_TYPE:
            raise RevocationListRefused(Reason.WRONG_TYPE, "this COSE message is not a revocation list")
        verify_sign1(msg, keys, algorithms=algorithms, error=RevocationListRefused)
        try:
            body = loads_exact(msg.payload)
        except ValueError as exc:
            raise RevocationListRefused(Reason.BAD_CLAIMS, f"the list's payload is {exc}") from None
        if not isinstance(body, dict):
            raise RevocationListRefused(Reason.BAD_CLAIMS, "the list's payload is not a map")
        ctis, subjects = body.get("revoked_cti", []), body.get("revoked_sub", [])
        if not isinstance(ctis, list) or not isinstance(subjects, list):
            raise RevocationListRefused(Reason.BAD_CLAIMS, "revoked_cti and revoked_sub are arrays")
        try:
            revocations = cls(body.get("iss"), body.get("iat"), frozenset(ctis), frozenset(subjects))
        except (ValueError, TypeError) as exc:
            raise RevocationListRefused(Reason.BAD_CLAIMS, f"the list is malformed: {exc}") from None
        if issuer is not None and revocations.iss != issuer:
            raise RevocationListRefused(Reason.WRONG_ISSUER, f"the list was issued by {revocations.iss!r}")
        return revocations
