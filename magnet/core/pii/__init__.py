"""Personal-data protection: AES-256-GCM field encryption with key ids, and an HMAC blind index.

Identity numbers and phones are stored only as ciphertext (`v1.<kid>.<base64 nonce+ciphertext>`) plus
a keyed hash for look-ups and joins. Keys are supplied by the caller; where they live (environment,
secret files, a KMS) is left to the settings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["BlindIndex", "CipherError", "FieldCipher", "parse_keys", "redact"]


class CipherError(ValueError):
    """A key set is malformed, or a ciphertext cannot be decrypted with the keys held."""


def _b64key(text: str, what: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise CipherError(f"{what} is not valid base64") from None
    if len(key) != 32:
        raise CipherError(f"{what} must be 32 bytes (256 bits), found {len(key)}")
    return key


def parse_keys(spec: str) -> tuple[str, dict[str, bytes]]:
    """Parse `kid:base64,kid:base64` (current key first) into (current kid, {kid: key}).

    >>> kid, keys = parse_keys("k2:" + "A" * 43 + "=," + "k1:" + "B" * 43 + "=")
    >>> kid, sorted(keys)
    ('k2', ['k1', 'k2'])
    """
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        kid, sep, b64 = part.partition(":")
        if not sep or not kid.isalnum():
            raise CipherError("each key must be written kid:base64 with an alphanumeric kid")
        if kid in keys:
            raise CipherError(f"key id {kid} appears twice")
        keys[kid] = _b64key(b64, f"key {kid}")
        order.append(kid)
    if not order:
        raise CipherError("no field-encryption key given")
    return order[0], keys


@dataclass(frozen=True)
class FieldCipher:
    """Encrypts short text fields with AES-256-GCM; the key id travels with the ciphertext for rotation."""

    current_kid: str
    keys: dict[str, bytes]

    @classmethod
    def from_spec(cls, spec: str) -> FieldCipher:
        kid, keys = parse_keys(spec)
        return cls(kid, keys)

    def encrypt(self, plaintext: str, *, context: str = "") -> str:
        """Encrypt; `context` (e.g. the column name) is bound as associated data so a value cannot be
        moved to another column unnoticed."""
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[self.current_kid]).encrypt(nonce, plaintext.encode(), context.encode())
        return f"v1.{self.current_kid}.{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, context: str = "") -> str:
        try:
            version, kid, body = token.split(".", 2)
        except ValueError:
            raise CipherError("not a Magnet ciphertext") from None
        if version != "v1":
            raise CipherError(f"unknown ciphertext version {version}")
        key = self.keys.get(kid)
        if key is None:
            raise CipherError(f"no key with id {kid}")
        raw = base64.b64decode(body)
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], context.encode()).decode()
        except InvalidTag:
            raise CipherError("ciphertext was altered or encrypted with another key") from None

    def key_id(self, token: str) -> str:
        return token.split(".", 2)[1]

    def needs_rotation(self, token: str) -> bool:
        return self.key_id(token) != self.current_kid


@dataclass(frozen=True)
class BlindIndex:
    """A keyed hash (HMAC-SHA256) of a normalised value: equal values give equal digests, and without
    the key nobody can test a guess (identity numbers have far too little entropy for a plain hash)."""

    key: bytes

    @classmethod
    def from_b64(cls, text: str) -> BlindIndex:
        return cls(_b64key(text, "blind-index key"))

    def digest(self, value: str, *, kind: str) -> str:
        message = f"{kind}:{value.strip().upper()}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()


_ID_LIKE = re.compile(r"(?<![0-9A-Za-z+/=])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")
_PHONE_LIKE = re.compile(r"(?<![0-9A-Za-z+/=])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9A-Za-z])")


def redact(text: str) -> str:
    """Mask anything shaped like an identity number or a mainland mobile number in free text, so that
    reasons typed by staff and user names typed at sign-in never put one in a log or the audit log.

    >>> redact("核对 32060219900101123X 的申请，电话 13800001234")
    '核对 3206**********123X 的申请，电话 138****1234'
    """
    text = _ID_LIKE.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(2)[-4:], text)
    return _PHONE_LIKE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
