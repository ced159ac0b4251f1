import os

import cbor2
import pytest

from magnet.core.talentcode import KeySet, RevocationList, RevocationListRefused, SigningKey, sign1
from magnet.core.talentcode.revocation import CONTENT_TYPE

from .conftest import CITY, NOW


def refused(reason, data, keys, **kwargs):
    with pytest.raises(RevocationListRefused) as info:
        RevocationList.verify(data, keys, **kwargs)
    assert info.value.reason == reason, repr(info.value)


def test_round_trip(key):
    ctis = {os.urandom(16) for _ in range(100)}
    revocations = RevocationList.of(iss=CITY, iat=NOW, ctis=ctis, subjects=["t_1", "t_2"])
    signed = revocations.sign(key)
    back = RevocationList.verify(signed, KeySet.of(key), issuer=CITY)
    assert back == revocations
    assert back.revokes(next(iter(ctis)), "t_9") and back.revokes(b"x", "t_2") and not back.revokes(b"x", "t_9")
    assert not back.revokes(None, None) and not back.revokes(["list"], {"map": 1})
    assert signed == revocations.sign(key)  # deterministic: Ed25519 and sorted lists


def test_payload_layout(key):
    signed = RevocationList.of(iss=CITY, iat=NOW, ctis=[b"\2", b"\1"], subjects=["b", "a"]).sign(key)
    protected, _, payload, _ = cbor2.loads(signed).value
    assert cbor2.loads(protected) == {1: -8, 3: CONTENT_TYPE, 4: key.kid}
    assert cbor2.loads(payload) == {"iss": CITY, "iat": NOW, "revoked_cti": [b"\1", b"\2"], "revoked_sub": ["a", "b"]}


def test_refusals(key):
    keys = KeySet.of(key)
    signed = RevocationList.of(iss=CITY, iat=NOW).sign(key)
    refused("unknown_kid", signed, KeySet.of(SigningKey.generate()))
    refused("wrong_issuer", signed, keys, issuer="https://elsewhere.example")
    tampered = bytearray(signed)
    tampered[-1] ^= 1
    refused("bad_signature", bytes(tampered), keys)
    refused("not_cose", b"\xff", keys)
    refused("malformed", "text", keys)
    # a talent code (no content type) is not a list
    refused("wrong_type", sign1(cbor2.dumps({"iss": CITY, "iat": NOW}), key), keys)


@pytest.mark.parametrize(
    "body",
    [
        [1, 2],
        {"iss": CITY},
        {"iss": CITY, "iat": "yesterday"},
        {"iss": CITY, "iat": NOW, "revoked_cti": "abc"},
        {"iss": CITY, "iat": NOW, "revoked_cti": [[1]]},
        {"iss": CITY, "iat": NOW, "revoked_cti": ["text"]},
        {"iss": CITY, "iat": NOW, "revoked_sub": [b"bytes"]},
    ],
)
def test_bad_bodies(key, body):
    refused("bad_claims", sign1(cbor2.dumps(body), key, content_type=CONTENT_TYPE), KeySet.of(key))


def test_invalid_construction():
    with pytest.raises(ValueError):
        RevocationList.of(iss="", iat=NOW)
    with pytest.raises(ValueError):
        RevocationList.of(iss=CITY, iat=NOW, ctis=["not bytes"])
