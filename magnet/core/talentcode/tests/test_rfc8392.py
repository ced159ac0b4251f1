"""RFC 8392 Appendix A.3: the signed CWT example (ES256) verifies with the key of Appendix A.2.3.

The hex strings are copied from the RFC text (Figures 10 and 7). The example's kid is in the unprotected
header, and its claims include an audience; it is valid from nbf = iat = 1443944944 to exp = 1444064944.
"""

import json

import pytest

from magnet.core.talentcode import ES256, CodeRefused, KeySet, PublicKey, Verifier
from magnet.core.talentcode.cli import main

SIGNED_CWT = bytes.fromhex(
    "d28443a10126a104524173796d6d657472696345434453413235365850a70175"
    "636f61703a2f2f61732e6578616d706c652e636f6d02656572696b7703781863"
    "6f61703a2f2f6c696768742e6578616d706c652e636f6d041a5612aeb0051a56"
    "10d9f0061a5610d9f007420b7158405427c1ff28d23fbad1f29c4c7c6a555e60"
    "1d6fa29f9179bc3d7438bacaca5acd08c8d4d4f96131680c429a01f85951ecee"
    "743a52b9b63632c57209120e1c9e30"
)
# A.2.3: the ECDSA P-256 COSE_Key, private part (d, label -4) included; only the public part is used.
COSE_KEY = bytes.fromhex(
    "a72358206c1382765aec5358f117733d281c1c7bdc39884d04a45a1e6c67c858"
    "bc206c1922582060f7f1a780d8a783bfb7a2dd6b2796e8128dbbcef9d3d168db"
    "9529971a36e7b9215820143329cce7868e416927599cf65a34f3ce2ffda55a7e"
    "ca69ed8919a394d42f0f2001010202524173796d6d6574726963454344534132"
    "35360326"
)
IAT, EXP = 1443944944, 1444064944


def verifier() -> Verifier:
    return Verifier(KeySet.decode(COSE_KEY))


def test_key_of_a_2_3():
    key = PublicKey.decode(COSE_KEY)
    assert key.kid == b"AsymmetricECDSA256" and key.alg == ES256


def test_signed_cwt_of_a_3_verifies_within_its_validity():
    verified = verifier().verify_cwt(SIGNED_CWT, at=IAT + 60)
    assert verified.kid == b"AsymmetricECDSA256" and verified.alg == ES256
    assert verified.claims == {
        1: "coap://as.example.com",
        2: "erikw",
        3: "coap://light.example.com",
        4: EXP,
        5: IAT,
        6: IAT,
        7: bytes.fromhex("0b71"),
    }


@pytest.mark.parametrize(("at", "reason"), [(EXP, "expired"), (IAT - 1, "not_yet_valid"), (None, "expired")])
def test_outside_its_validity(at, reason):
    with pytest.raises(CodeRefused) as info:
        verifier().verify_cwt(SIGNED_CWT, at=at)
    assert info.value.reason == reason


def test_any_flipped_bit_is_refused():
    for i in range(len(SIGNED_CWT)):
        tampered = bytearray(SIGNED_CWT)
        tampered[i] ^= 0x04
        with pytest.raises(CodeRefused):
            verifier().verify_cwt(bytes(tampered), at=IAT + 60)


def test_cli_verifies_it_as_hex(tmp_path, capsys):
    keyfile = tmp_path / "a23.cbor"
    keyfile.write_bytes(COSE_KEY)
    assert main(["verify", "--keys", str(keyfile), "--hex", "--at", str(IAT + 60), SIGNED_CWT.hex()]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {
        "iss": "coap://as.example.com",
        "sub": "erikw",
        "aud": "coap://light.example.com",
        "exp": EXP,
        "nbf": IAT,
        "iat": IAT,
        "cti": "0b71",
    }
    assert main(["verify", "--keys", str(keyfile), "--hex", SIGNED_CWT.hex()]) == 1
    assert capsys.readouterr().out.startswith("expired: ")
