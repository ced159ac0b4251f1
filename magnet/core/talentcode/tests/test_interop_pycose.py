"""Interoperability with an independent COSE implementation, pycose (1.1.0 needs cbor2 < 6: its issue #141).

pycose verifies what Magnet signs, with Magnet's published COSE_Key; Magnet verifies what pycose signs
(EdDSA, ES256, PS256), with pycose's COSE_Key read through Magnet's key-set decoder.
"""

import cbor2
import pytest
from pycose.algorithms import EdDSA, Es256, Ps256
from pycose.headers import KID, Algorithm
from pycose.keys import CoseKey, EC2Key, OKPKey, RSAKey
from pycose.keys.curves import P256, Ed25519
from pycose.messages import CoseMessage, Sign1Message

from magnet.core.talentcode import (
    CodeRefused,
    KeySet,
    RevocationList,
    Verifier,
    decode_code,
    sign_claims,
)

from .conftest import CITY, NOW


def test_pycose_verifies_a_magnet_code(code, key):
    message = CoseMessage.decode(decode_code(code))
    assert isinstance(message, Sign1Message)
    assert message.phdr[KID] == key.kid and message.phdr[Algorithm] is EdDSA
    message.key = CoseKey.decode(key.public.encode())  # the published COSE_Key, as pycose reads it
    assert message.verify_signature()
    claims = cbor2.loads(message.payload)
    assert claims[1] == CITY and claims[-65537] == "B"


def test_pycose_refuses_a_tampered_magnet_code(claims, key):
    cose = bytearray(sign_claims(claims, key))
    cose[-1] ^= 1  # last byte of the signature
    message = CoseMessage.decode(bytes(cose))
    message.key = CoseKey.decode(key.public.encode())
    assert not message.verify_signature()


def test_pycose_verifies_a_magnet_revocation_list(key):
    message = CoseMessage.decode(RevocationList.of(iss=CITY, iat=NOW, ctis=[b"\1" * 16]).sign(key))
    message.key = CoseKey.decode(key.public.encode())
    assert message.verify_signature()


def _public_cose_key(private) -> bytes:
    # pycose's encoding of its own key; Magnet's decoder ignores the private parameters.
    return private.encode()


@pytest.mark.parametrize(
    ("make_key", "alg"),
    [
        (lambda: OKPKey.generate_key(crv=Ed25519), EdDSA),
        (lambda: EC2Key.generate_key(crv=P256), Es256),
        (lambda: RSAKey.generate_key(key_bits=2048), Ps256),
    ],
    ids=["EdDSA", "ES256", "PS256"],
)
def test_magnet_verifies_pycose_signed_codes(make_key, alg, claims):
    private = make_key()
    keys = KeySet.decode(_public_cose_key(private))
    (public,) = keys
    message = Sign1Message(phdr={Algorithm: alg, KID: public.kid}, payload=cbor2.dumps(claims.to_cwt()))
    message.key = private
    signed = message.encode()
    verifier = Verifier(keys, issuer=CITY)
    assert verifier.verify_bytes(signed, at=NOW) == claims
    untagged = message.encode(tag=False)
    assert verifier.verify_bytes(untagged, at=NOW) == claims
    tampered = bytearray(signed)
    tampered[-1] ^= 1
    with pytest.raises(CodeRefused) as info:
        verifier.verify_bytes(bytes(tampered), at=NOW)
    assert info.value.reason == "bad_signature"
