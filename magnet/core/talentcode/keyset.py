"""Key sets and rotation.

- `KeySet`: the public keys a verifier trusts, by kid; encoded as a COSE_KeySet (RFC 9052 §7: a CBOR array
  of COSE_Keys), which is what the platform publishes and what `--keys FILE` reads (a lone COSE_Key too).
- `KeyRing`: rotation — one current signing key, plus older public keys that verifiers still accept
  until the last code signed with them has expired.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import cbor2

from .keys import KeyFormatError, PublicKey, SigningKey, loads_key_bytes

__all__ = ["KeyRing", "KeySet"]


@dataclass(frozen=True)
class KeySet:
    """The public keys a verifier trusts, by kid. Encoded as a COSE_KeySet; reads a COSE_Key too."""

    keys: tuple[PublicKey, ...] = ()

    def __post_init__(self) -> None:
        by_kid: dict[bytes, PublicKey] = {}
        for key in self.keys:
            if not isinstance(key, PublicKey):
                raise TypeError("a KeySet holds PublicKey objects")
            if key.kid in by_kid:
                raise KeyFormatError(f"two keys share the kid {key.kid.hex()}")
            by_kid[key.kid] = key
        object.__setattr__(self, "_by_kid", by_kid)

    @classmethod
    def of(cls, *keys: PublicKey | SigningKey) -> KeySet:
        return cls(tuple(k.public if isinstance(k, SigningKey) else k for k in keys))

    def get(self, kid: bytes) -> PublicKey | None:
        return self._by_kid.get(kid)  # type: ignore[attr-defined]

    def __contains__(self, kid: object) -> bool:
        return kid in self._by_kid  # type: ignore[attr-defined]

    def __iter__(self) -> Iterator[PublicKey]:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def __or__(self, other: KeySet) -> KeySet:
        return KeySet(self.keys + tuple(k for k in other.keys if k.kid not in self))

    def encode(self) -> bytes:
        """The CBOR COSE_KeySet, e.g. for the platform's well-known URL or `--keys FILE`."""
        return cbor2.dumps([k.to_cose() for k in self.keys], canonical=True)

    @classmethod
    def decode(cls, data: bytes) -> KeySet:
        """Read a CBOR COSE_KeySet (array) or a single COSE_Key (map)."""
        value = loads_key_bytes(data)
        if isinstance(value, dict):
            return cls((PublicKey.from_cose(value),))
        if isinstance(value, list):
            return cls(tuple(PublicKey.from_cose(item) for item in value))
        raise KeyFormatError("a COSE_KeySet is a CBOR array of COSE_Key maps")


@dataclass(frozen=True)
class KeyRing:
    """Rotation: the current signing key, plus older public keys that verifiers still accept.

    Rotate well before codes signed by the old key expire: the old public key stays in `keyset` (and so in
    what is published) until `retire` drops it once its last code has expired."""

    current: SigningKey
    previous: tuple[PublicKey, ...] = ()

    @property
    def keyset(self) -> KeySet:
        return KeySet((self.current.public, *self.previous))

    def rotate(self, new: SigningKey, *, keep_previous: bool = True) -> KeyRing:
        kept = (self.current.public, *self.previous) if keep_previous else self.previous
        return KeyRing(new, tuple(k for k in kept if k.kid != new.kid))

    def retire(self, kid: bytes) -> KeyRing:
        if kid == self.current.kid:
            raise ValueError("the current signing key cannot be retired; rotate first")
        return KeyRing(self.current, tuple(k for k in self.previous if k.kid != kid))

    @classmethod
    def from_keys(cls, current: SigningKey, previous: Iterable[PublicKey | SigningKey] = ()) -> KeyRing:
        return cls(current, tuple(k.public if isinstance(k, SigningKey) else k for k in previous))
