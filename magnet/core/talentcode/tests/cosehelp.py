"""Test helpers: take codes apart, and sign arbitrary COSE_Sign1 messages (also with ES256 and PS256)."""

from __future__ import annotations

import zlib

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from magnet.core.talentcode import decode_code
from magnet.core.talentcode.base45 import b45encode
from magnet.core.talentcode.cose import sig_structure


def cose_of(code: str) -> list:
    """The four items of a code's COSE_Sign1."""
    return cbor2.loads(decode_code(code)).value


def code_of(items: list, *, tag: bool = True, prefix: str = "MG1:") -> str:
    cose = cbor2.dumps(cbor2.CBORTag(18, items) if tag else items)
    return prefix + b45encode(zlib.compress(cose))


def sign_with(
    private, alg: int, payload: bytes, *, protected: dict | None = None, unprotected: dict | None = None
) -> bytes:
    """A tagged COSE_Sign1 signed by any cryptography private key (Ed25519, P-256 or RSA)."""
    protected_bytes = cbor2.dumps(protected if protected is not None else {1: alg}) if protected != {} else b""
    tbs = sig_structure(protected_bytes, payload)
    if isinstance(private, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(private.sign(tbs, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    elif isinstance(private, rsa.RSAPrivateKey):
        signature = private.sign(tbs, padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256())
    else:
        signature = private.sign(tbs)
    return cbor2.dumps(cbor2.CBORTag(18, [protected_bytes, unprotected or {}, payload, signature]))
