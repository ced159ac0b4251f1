"""Keys: public keys as COSE_Key (RFC 9052 §7), the city's Ed25519 signing keys, key ids.

- `PublicKey`: an Ed25519 (OKP), P-256 (EC2) or RSA (≥ 2048 bits) public key with its key id (`kid`) and
  optionally the one algorithm it may be used with. It checks signatures: EdDSA (-8), ES256 (-7, the
  raw r‖s form of RFC 9053, not DER) and PS256 (-37, RFC 8230: PSS, SHA-256, MGF1, 32-byte salt).
  Ed25519 signatures are checked with libsodium (PyNaCl) rather than `cryptography`: on the reference
  machine OpenSSL's Ed25519 verify alone took 140–220 µs, about the whole budget of the 5,000 codes/s
  target, and libsodium's 90–115 µs. libsodium is also the stricter of the two (it refuses small-order
  public keys and R points besides non-canonical S), and the tests check that both agree on honest,
  tampered and malleated signatures.
- `SigningKey`: an Ed25519 private key with its kid; Magnet issues with EdDSA only.
(`KeySet` and `KeyRing`, in `keyset.py`, gather keys for verification and rotation.)

Key ids: Magnet's kid is the first 8 bytes of the key's COSE Key Thumbprint (RFC 9679: SHA-256 over the
deterministic CBOR of the required public parameters), so anybody holding the public key can recompute
it. `PublicKey.from_x509` follows the DCC convention instead: the first 8 bytes of SHA-256 of the
certificate's DER. Private parameters found in a COSE_Key (such as the `d` of RFC 8392's example key)
are ignored on reading, and never written.
"""

from __future__ import annotations

import hashlib
from typing import Any

import cbor2
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from nacl.bindings import crypto_sign_open
from nacl.exceptions import CryptoError

__all__ = [
    "ALG_NAMES",
    "EDDSA",
    "ES256",
    "PS256",
    "KeyFormatError",
    "PublicKey",
    "SigningKey",
    "thumbprint",
]

# COSE algorithm identifiers (IANA "COSE Algorithms").
EDDSA = -8
ES256 = -7
PS256 = -37
ALG_NAMES = {EDDSA: "EdDSA", ES256: "ES256", PS256: "PS256"}

# COSE_Key labels and values (RFC 9052 §7, RFC 9053 §7, RFC 8230 §4).
KTY, KID, ALG = 1, 2, 3
OKP, EC2, RSA = 1, 2, 3
CRV, X, Y, N, E = -1, -2, -3, -1, -2
P256, ED25519 = 1, 6
KID_BYTES = 8
MIN_RSA_BITS = 2048

_KTY_ALG = {OKP: EDDSA, EC2: ES256, RSA: PS256}
_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


class KeyFormatError(ValueError):
    """A COSE_Key or COSE_KeySet cannot be read, or a key is of a kind Magnet does not handle."""


def _uint_bytes(value: int) -> bytes:
    return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")


def _required_params(key: Any) -> dict[int, Any]:
    """The public parameters RFC 9679 hashes (kty plus what defines the key), from a cryptography key."""
    if isinstance(key, Ed25519PublicKey):
        return {KTY: OKP, CRV: ED25519, X: key.public_bytes(Encoding.Raw, PublicFormat.Raw)}
    if isinstance(key, ec.EllipticCurvePublicKey):
        numbers = key.public_numbers()
        return {KTY: EC2, CRV: P256, X: numbers.x.to_bytes(32, "big"), Y: numbers.y.to_bytes(32, "big")}
    if isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()
        return {KTY: RSA, N: _uint_bytes(numbers.n), E: _uint_bytes(numbers.e)}
    raise KeyFormatError(f"unsupported key type {type(key).__name__}")


def thumbprint(key: Any) -> bytes:
    """The COSE Key Thumbprint (RFC 9679) of a cryptography public key: SHA-256 of its required parameters."""
    return hashlib.sha256(cbor2.dumps(_required_params(key), canonical=True)).digest()


class PublicKey:
    """A public key that verifies COSE signatures, with its kid and, if it is pinned to one, its alg."""

    __slots__ = ("_raw", "_verify", "alg", "key", "kid", "kty")

    def __init__(self, key: Any, *, kid: bytes | None = None, alg: int | None = None) -> None:
        if isinstance(key, Ed25519PublicKey):
            kty = OKP
        elif isinstance(key, ec.EllipticCurvePublicKey):
            if not isinstance(key.curve, ec.SECP256R1):
                raise KeyFormatError(f"unsupported curve {key.curve.name}; only P-256")
            kty = EC2
        elif isinstance(key, rsa.RSAPublicKey):
            if key.key_size < MIN_RSA_BITS:
                raise KeyFormatError(f"RSA keys must have at least {MIN_RSA_BITS} bits (RFC 8230)")
            kty = RSA
        else:
            raise KeyFormatError(f"unsupported key type {type(key).__name__}")
        if alg is not None and alg != _KTY_ALG[kty]:
            raise KeyFormatError(f"algorithm {alg} does not fit a key of type {kty}")
        if kid is None:
            kid = thumbprint(key)[:KID_BYTES]
        if not isinstance(kid, bytes) or not kid:
            raise KeyFormatError("a kid is a non-empty byte string")
        self.key, self.kid, self.alg, self.kty = key, kid, alg, kty
        self._raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw) if kty == OKP else b""
        self._verify = {OKP: self._verify_eddsa, EC2: self._verify_es256, RSA: self._verify_ps256}[kty]

    # -- verification ---------------------------------------------------------------------------
    def accepts(self, alg: int) -> bool:
        """Whether a signature made with `alg` may be checked with this key (no algorithm switching)."""
        return alg == _KTY_ALG[self.kty] and (self.alg is None or alg == self.alg)

    def verify(self, alg: int, signature: bytes, data: bytes) -> bool:
        """True when `signature` is a valid `alg` signature of `data` under this key, else False."""
        if not self.accepts(alg):
            return False
        try:
            self._verify(signature, data)
        except (InvalidSignature, CryptoError, ValueError):
            return False
        return True

    def _verify_eddsa(self, signature: bytes, data: bytes) -> None:
        if len(signature) != 64:
            raise InvalidSignature
        crypto_sign_open(signature + data, self._raw)  # libsodium's "signed message" is signature ‖ message

    def _verify_es256(self, signature: bytes, data: bytes) -> None:
        # COSE carries ECDSA signatures as fixed-length r‖s (RFC 9053 §2.1); cryptography wants DER.
        if len(signature) != 64:
            raise InvalidSignature
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        self.key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))

    def _verify_ps256(self, signature: bytes, data: bytes) -> None:
        self.key.verify(signature, data, _PSS, hashes.SHA256())

    # -- COSE_Key ---------------------------------------------------------------------------------
    def to_cose(self) -> dict[int, Any]:
        """This key as a COSE_Key map (public parameters only)."""
        cose = _required_params(self.key)
        cose[KID] = self.kid
        cose[ALG] = self.alg if self.alg is not None else _KTY_ALG[self.kty]
        return cose

    def encode(self) -> bytes:
        """This key as a CBOR-encoded COSE_Key."""
        return cbor2.dumps(self.to_cose(), canonical=True)

    @classmethod
    def from_cose(cls, cose: Any) -> PublicKey:
        """Read a COSE_Key map (private parameters, if any, are ignored)."""
        if not isinstance(cose, dict):
            raise KeyFormatError("a COSE_Key is a CBOR map")
        kty, kid, alg = cose.get(KTY), cose.get(KID), cose.get(ALG)
        if kid is not None and (not isinstance(kid, bytes) or not kid):
            raise KeyFormatError("kid must be a non-empty byte string")
        if alg is not None and (type(alg) is not int or alg not in ALG_NAMES):
            raise KeyFormatError(f"unsupported algorithm {alg!r}")
        try:
            if kty == OKP:
                if cose.get(CRV) != ED25519 or not isinstance(cose.get(X), bytes) or len(cose[X]) != 32:
                    raise KeyFormatError("an OKP key must be Ed25519 with a 32-byte x")
                key: Any = Ed25519PublicKey.from_public_bytes(cose[X])
            elif kty == EC2:
                x, y = cose.get(X), cose.get(Y)
                if cose.get(CRV) != P256 or not isinstance(x, bytes) or len(x) != 32:
                    raise KeyFormatError("an EC2 key must be P-256 with a 32-byte x")
                if isinstance(y, bool):  # point compression: y is the sign bit (RFC 9053 §7.1.1)
                    point = bytes((3 if y else 2,)) + x
                elif isinstance(y, bytes) and len(y) == 32:
                    point = b"\x04" + x + y
                else:
                    raise KeyFormatError("an EC2 key needs a 32-byte y or a sign bit")
                key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
            elif kty == RSA:
                n, e = cose.get(N), cose.get(E)
                if not isinstance(n, bytes) or not isinstance(e, bytes) or not n or not e:
                    raise KeyFormatError("an RSA key needs n and e as byte strings")
                key = rsa.RSAPublicNumbers(int.from_bytes(e, "big"), int.from_bytes(n, "big")).public_key()
            else:
                raise KeyFormatError(f"unsupported key type {kty!r}")
        except KeyFormatError:
            raise
        except (ValueError, TypeError) as exc:  # not a point on the curve, bad RSA numbers, …
            raise KeyFormatError(f"invalid public key: {exc}") from None
        return cls(key, kid=kid, alg=alg)

    @classmethod
    def decode(cls, data: bytes) -> PublicKey:
        """Read a CBOR-encoded COSE_Key."""
        return cls.from_cose(loads_key_bytes(data))

    @classmethod
    def from_x509(cls, der: bytes, *, kid: bytes | None = None) -> PublicKey:
        """The public key of a DER X.509 certificate; kid defaults to the DCC's SHA-256(DER)[:8]."""
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError as exc:
            raise KeyFormatError(f"not a DER certificate: {exc}") from None
        return cls(cert.public_key(), kid=hashlib.sha256(der).digest()[:8] if kid is None else kid)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and self.to_cose() == other.to_cose()

    def __hash__(self) -> int:
        return hash(self.kid)

    def __repr__(self) -> str:
        return f"PublicKey(kid={self.kid.hex()}, kty={self.kty}, alg={self.alg})"


class SigningKey:
    """An Ed25519 private key with its kid. Store `private_bytes()` somewhere safe; publish `public`."""

    __slots__ = ("_key", "kid", "public")

    def __init__(self, key: Ed25519PrivateKey, *, kid: bytes | None = None) -> None:
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyFormatError("Magnet signs with Ed25519 keys only")
        self._key = key
        self.public = PublicKey(key.public_key(), kid=kid, alg=EDDSA)
        self.kid = self.public.kid

    alg = EDDSA

    @classmethod
    def generate(cls, *, kid: bytes | None = None) -> SigningKey:
        return cls(Ed25519PrivateKey.generate(), kid=kid)

    @classmethod
    def from_private_bytes(cls, raw: bytes, *, kid: bytes | None = None) -> SigningKey:
        """From the 32-byte Ed25519 seed written by `private_bytes()`."""
        try:
            return cls(Ed25519PrivateKey.from_private_bytes(raw), kid=kid)
        except (ValueError, TypeError) as exc:
            raise KeyFormatError(f"not an Ed25519 private key: {exc}") from None

    def private_bytes(self) -> bytes:
        return self._key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    def __repr__(self) -> str:  # never shows the private key
        return f"SigningKey(kid={self.kid.hex()})"


def loads_key_bytes(data: bytes) -> Any:
    """Decode key material from CBOR, turning every decoder error into KeyFormatError."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise KeyFormatError("keys are read from CBOR bytes")
    try:
        return cbor2.loads(bytes(data))
    except Exception as exc:  # cbor2 raises many types on bad input (ValueError, OverflowError, …)
        raise KeyFormatError(f"not CBOR: {exc}") from None
