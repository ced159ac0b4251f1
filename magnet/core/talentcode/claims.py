"""The talent code's claims: a CBOR Web Token (RFC 8392) claims set.

Claim keys (CBOR map keys of the COSE payload):

| claim    | key    | CBOR type                     | notes                                               |
|----------|--------|-------------------------------|-----------------------------------------------------|
| iss      | 1      | text                          | the city, e.g. "https://talent.ningbo.example"      |
| sub      | 2      | text                          | pseudonymous talent id; never an identity number    |
| exp      | 4      | uint (unix seconds)           | required: codes live minutes                        |
| nbf      | 5      | uint                          | optional                                            |
| iat      | 6      | uint                          | required                                            |
| cti      | 7      | bytes (1–64)                  | unique per code: redemptions are de-duplicated by it |
| tier     | -65537 | text, one of "A" … "E"        | private claim                                       |
| services | -65538 | array of text (service keys)  | private claim                                       |

iss … cti are the registered CWT claims (RFC 8392 §3.1). The two private claims use negative integer
keys below -65536, the range the IANA "CBOR Web Token Claims" registry reserves for private use
(RFC 8392 §9.1), so they can never collide with a registered claim. Other claims in a payload are ignored.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CLAIM_NAMES",
    "CTI",
    "EXP",
    "IAT",
    "ISS",
    "NBF",
    "SERVICES",
    "SUB",
    "TIER",
    "TIERS",
    "ClaimsError",
    "TalentClaims",
    "looks_like_identity_number",
]

ISS, SUB, AUD, EXP, NBF, IAT, CTI = 1, 2, 3, 4, 5, 6, 7
TIER, SERVICES = -65537, -65538
# Names used when claims are shown as JSON (-260 is the DCC's registered "hcert" claim).
CLAIM_NAMES = {
    ISS: "iss",
    SUB: "sub",
    AUD: "aud",
    EXP: "exp",
    NBF: "nbf",
    IAT: "iat",
    CTI: "cti",
    TIER: "tier",
    SERVICES: "services",
    -260: "hcert",
}
TIERS = ("A", "B", "C", "D", "E")
CTI_BYTES = 16
MAX_SERVICES = 64
DEFAULT_LIFETIME = 300  # seconds: long enough to walk to the gate, short enough that a screenshot is useless

_SERVICE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
# 18-character resident identity number (17 digits and a digit or X check character), and the old
# 15-digit form. Separators a person might type are ignored before comparing.
_IDENTITY_NUMBER = re.compile(r"\d{17}[\dXx]|\d{15}")
_SEPARATORS = str.maketrans("", "", " -_.")


class ClaimsError(ValueError):
    """Claims that a talent code cannot carry (the message says which and why)."""


def looks_like_identity_number(text: str) -> bool:
    """True if `text` is shaped like a PRC resident identity number (which must never be a code's sub)."""
    return _IDENTITY_NUMBER.fullmatch(text.translate(_SEPARATORS)) is not None


def _is_int(value: Any) -> bool:
    return type(value) is int  # bool is an int subclass, and True is not a time


@dataclass(frozen=True, slots=True)
class TalentClaims:
    """The verified content of a talent code (or the content of one to issue)."""

    iss: str
    sub: str
    iat: int
    exp: int
    cti: bytes
    tier: str
    services: tuple[str, ...] = ()
    nbf: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.iss, str) or not 0 < len(self.iss) <= 256:
            raise ClaimsError("iss must be a text of 1 to 256 characters")
        if not isinstance(self.sub, str) or not 0 < len(self.sub) <= 128:
            raise ClaimsError("sub must be a text of 1 to 128 characters")
        if looks_like_identity_number(self.sub):
            raise ClaimsError("sub looks like an identity number; use the talent's pseudonymous id")
        for name in ("iat", "exp"):
            if not _is_int(getattr(self, name)) or getattr(self, name) < 0:
                raise ClaimsError(f"{name} must be a non-negative integer (unix seconds)")
        if self.nbf is not None and (not _is_int(self.nbf) or self.nbf < 0):
            raise ClaimsError("nbf must be a non-negative integer (unix seconds)")
        if self.exp <= self.iat:
            raise ClaimsError("exp must come after iat")
        if not isinstance(self.cti, bytes) or not 0 < len(self.cti) <= 64:
            raise ClaimsError("cti must be 1 to 64 bytes")
        if self.tier not in TIERS:
            raise ClaimsError(f"tier must be one of {', '.join(TIERS)}")
        if not isinstance(self.services, tuple):
            raise ClaimsError("services must be a tuple of service keys")
        if len(self.services) > MAX_SERVICES:
            raise ClaimsError(f"at most {MAX_SERVICES} services")
        for key in self.services:
            if not isinstance(key, str) or _SERVICE_KEY.fullmatch(key) is None:
                raise ClaimsError(f"bad service key {key!r}")
        if len(set(self.services)) != len(self.services):
            raise ClaimsError("a service is listed twice")

    @classmethod
    def new(
        cls,
        *,
        iss: str,
        sub: str,
        tier: str,
        services: tuple[str, ...] | list[str] = (),
        now: int | None = None,
        lifetime: int = DEFAULT_LIFETIME,
        nbf: int | None = None,
        cti: bytes | None = None,
    ) -> TalentClaims:
        """Claims for a fresh code: iat = now, exp = now + lifetime, a random 16-byte cti."""
        iat = int(time.time()) if now is None else now
        if not _is_int(lifetime) or lifetime <= 0:
            raise ClaimsError("lifetime must be a positive number of seconds")
        return cls(
            iss=iss,
            sub=sub,
            iat=iat,
            exp=iat + lifetime,
            cti=os.urandom(CTI_BYTES) if cti is None else cti,
            tier=tier,
            services=tuple(services),
            nbf=nbf,
        )

    def to_cwt(self) -> dict[int, Any]:
        """The CWT claims map (integer keys), ready for CBOR."""
        cwt: dict[int, Any] = {ISS: self.iss, SUB: self.sub, EXP: self.exp, IAT: self.iat, CTI: self.cti}
        if self.nbf is not None:
            cwt[NBF] = self.nbf
        cwt[TIER] = self.tier
        cwt[SERVICES] = list(self.services)
        return cwt

    @classmethod
    def from_cwt(cls, cwt: Any) -> TalentClaims:
        """Read a CWT claims map; raise ClaimsError if it is not a valid talent code's."""
        if not isinstance(cwt, dict):
            raise ClaimsError("the payload is not a CWT claims map")
        missing = [CLAIM_NAMES[k] for k in (ISS, SUB, EXP, IAT, CTI, TIER, SERVICES) if k not in cwt]
        if missing:
            raise ClaimsError(f"missing claims: {', '.join(missing)}")
        services = cwt[SERVICES]
        if not isinstance(services, list):
            raise ClaimsError("services must be an array")
        return cls(
            iss=cwt[ISS],
            sub=cwt[SUB],
            iat=cwt[IAT],
            exp=cwt[EXP],
            cti=cwt[CTI],
            tier=cwt[TIER],
            services=tuple(services),
            nbf=cwt.get(NBF),
        )

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready values (cti as hex)."""
        out: dict[str, Any] = {
            "iss": self.iss,
            "sub": self.sub,
            "iat": self.iat,
            "exp": self.exp,
            "cti": self.cti.hex(),
            "tier": self.tier,
            "services": list(self.services),
        }
        if self.nbf is not None:
            out["nbf"] = self.nbf
        return out
