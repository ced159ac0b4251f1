"""COSE_Sign1 (RFC 9052 §4.2): making and checking single-signer signed messages.

    COSE_Sign1 = [protected: bstr .cbor header_map, unprotected: header_map, payload: bstr, signature: bstr]

The signature covers Sig_structure = ["Signature1", protected, external_aad = b"", payload], with the
protected bytes exactly as received. Messages are read tagged (tag 18) or untagged, optionally wrapped
in the CWT tag 61 (RFC 8392 §6), as the DCC files do; Magnet writes tag 18.

Headers: `alg` (1) must be in the protected header (so it is signed and cannot be switched); `kid` (4) is
taken from the protected header, else from the unprotected one (the DCC puts it in either; when both are
there, the protected one wins, so an unsigned kid cannot override a signed one); a `crit` (2) header
naming a label other than alg, content type or kid is refused, as RFC 9052 §3.1 requires.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import cbor2

from .errors import CodeRefused, Reason, Refused
from .keys import ALG_NAMES, PublicKey, SigningKey
from .keyset import KeySet

__all__ = ["CWT_TAG", "SIGN1_TAG", "Sign1", "loads_exact", "parse_sign1", "sign1", "verify_sign1"]

SIGN1_TAG = 18
CWT_TAG = 61
HDR_ALG, HDR_CRIT, HDR_CTY, HDR_KID = 1, 2, 3, 4
_UNDERSTOOD = frozenset({HDR_ALG, HDR_CTY, HDR_KID})


def _understood(label: Any) -> bool:
    # Labels are ints or texts; anything else (a list, say) would not even be hashable.
    return isinstance(label, int | str) and label in _UNDERSTOOD


def loads_exact(data: bytes) -> Any:
    """Decode exactly one CBOR item filling `data`; raise ValueError for anything else.

    cbor2 raises many exception types on hostile input (ValueError, OverflowError, RecursionError for deep
    nesting, ZeroDivisionError from tag 30 …), so everything is mapped to ValueError here."""
    fp = io.BytesIO(data)
    try:
        value = cbor2.CBORDecoder(fp).decode()
    except Exception as exc:
        raise ValueError(f"not CBOR ({type(exc).__name__})") from None
    if fp.tell() != len(data):
        raise ValueError("bytes follow the CBOR item")
    return value


@dataclass(frozen=True, slots=True)
class Sign1:
    """A parsed, not yet verified, COSE_Sign1."""

    protected: bytes  # the serialized protected header, as signed
    headers: dict  # the protected header map
    unprotected: dict
    payload: bytes
    signature: bytes

    @property
    def alg(self) -> Any:
        return self.headers.get(HDR_ALG)

    @property
    def kid(self) -> Any:
        kid = self.headers.get(HDR_KID)
        return self.unprotected.get(HDR_KID) if kid is None else kid

    @property
    def content_type(self) -> Any:
        return self.headers.get(HDR_CTY)

    def to_be_signed(self) -> bytes:
        return sig_structure(self.protected, self.payload)


_SIG1_HEAD = b"\x84\x6aSignature1"  # array(4), text(10) "Signature1"


def _bstr_head(n: int) -> bytes:
    if n < 24:
        return bytes((0x40 | n,))
    if n < 0x100:
        return b"\x58" + n.to_bytes(1, "big")
    if n < 0x10000:
        return b"\x59" + n.to_bytes(2, "big")
    if n < 0x100000000:
        return b"\x5a" + n.to_bytes(4, "big")
    return b"\x5b" + n.to_bytes(8, "big")


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """CBOR of ["Signature1", protected, b"", payload], written directly: it is on the verifier's hot path,
    and cbor2 would take several times longer to encode the same four items."""
    return b"".join((_SIG1_HEAD, _bstr_head(len(protected)), protected, b"\x40", _bstr_head(len(payload)), payload))


def parse_sign1(data: bytes, *, error: type[Refused] = CodeRefused) -> Sign1:
    """Parse COSE_Sign1 bytes (tag 18 or untagged, inside tag 61 or not), or raise `error(not_cose)`."""
    try:
        value = loads_exact(data)
    except ValueError as exc:
        raise error(Reason.NOT_COSE, f"not a COSE_Sign1: {exc}") from None
    if isinstance(value, cbor2.CBORTag) and value.tag == CWT_TAG:
        value = value.value
    if isinstance(value, cbor2.CBORTag):
        if value.tag != SIGN1_TAG:
            raise error(Reason.NOT_COSE, f"CBOR tag {value.tag} is not COSE_Sign1 (18)")
        value = value.value
    if not isinstance(value, list) or len(value) != 4:
        raise error(Reason.NOT_COSE, "a COSE_Sign1 is an array of four items")
    protected, unprotected, payload, signature = value
    if not isinstance(protected, bytes) or not isinstance(unprotected, dict):
        raise error(Reason.NOT_COSE, "the COSE headers are malformed")
    if not isinstance(payload, bytes):
        raise error(Reason.NOT_COSE, "the payload is missing (detached payloads are not supported)")
    if not isinstance(signature, bytes):
        raise error(Reason.NOT_COSE, "the signature is not a byte string")
    if protected:
        try:
            headers = loads_exact(protected)
        except ValueError as exc:
            raise error(Reason.NOT_COSE, f"the protected header is {exc}") from None
        if not isinstance(headers, dict):
            raise error(Reason.NOT_COSE, "the protected header is not a map")
    else:
        headers = {}
    crit = headers.get(HDR_CRIT)
    if crit is not None:
        if not isinstance(crit, list) or not crit or not all(_understood(label) for label in crit):
            raise error(Reason.NOT_COSE, f"critical header parameters not understood: {crit!r}")
    return Sign1(protected, headers, unprotected, payload, signature)


def verify_sign1(
    msg: Sign1, keys: KeySet, *, algorithms: frozenset[int], error: type[Refused] = CodeRefused
) -> PublicKey:
    """Check the signature with the key named by kid; return that key, or raise `error`.

    Reasons, in the order checked: `unknown_kid` (no kid, a kid that is not a byte string, or one not in
    `keys`), `unsupported_alg` (alg missing from the protected header, not in `algorithms`, or not the
    key's), `bad_signature`."""
    kid = msg.kid
    if kid is None:
        raise error(Reason.UNKNOWN_KID, "no key id (kid) in the headers")
    if not isinstance(kid, bytes):
        raise error(Reason.UNKNOWN_KID, f"the key id {kid!r} is not a byte string")
    key = keys.get(kid)
    if key is None:
        raise error(Reason.UNKNOWN_KID, f"no trusted key has the id {kid.hex()}")
    alg = msg.alg
    if alg is None:
        raise error(Reason.UNSUPPORTED_ALG, "no algorithm in the protected header")
    if type(alg) is not int or alg not in algorithms:
        raise error(Reason.UNSUPPORTED_ALG, f"algorithm {alg!r} is not accepted")
    if not key.accepts(alg):
        raise error(Reason.UNSUPPORTED_ALG, f"key {kid.hex()} is not for {ALG_NAMES.get(alg, alg)}")
    if not key.verify(alg, msg.signature, msg.to_be_signed()):
        raise error(Reason.BAD_SIGNATURE, f"the signature does not verify with key {kid.hex()}")
    return key


def sign1(payload: bytes, key: SigningKey, *, content_type: int | str | None = None) -> bytes:
    """A tagged COSE_Sign1 of `payload`, EdDSA, with alg, kid (and content type, if given) protected."""
    headers: dict[int, Any] = {HDR_ALG: key.alg, HDR_KID: key.kid}
    if content_type is not None:
        headers[HDR_CTY] = content_type
    protected = cbor2.dumps(headers, canonical=True)
    signature = key.sign(sig_structure(protected, payload))
    return cbor2.dumps(cbor2.CBORTag(SIGN1_TAG, [protected, {}, payload, signature]))
