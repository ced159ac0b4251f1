"""EU Digital COVID Certificate test files (eu-digital-green-certificates/dgc-testdata, Apache-2.0; see
data/dcc/NOTICE.md): the same verifier reads a continent's ES256 and PS256 codes.

Each file holds the HC1 code (PREFIX), the signing certificate (TESTCTX.CERTIFICATE, base64 DER) and the
expected outcome. The trusted key's kid is the DCC's: the first 8 bytes of SHA-256 of the certificate.
"""

import base64
import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest

from magnet.core.talentcode import ES256, PS256, CodeRefused, KeySet, PublicKey, Verifier

DATA = Path(__file__).parent / "data" / "dcc"
HCERT = -260  # the DCC's claim: {1: the EU DCC JSON as CBOR}


def load(name: str) -> tuple[dict, Verifier, float]:
    case = json.loads((DATA / f"{name}.json").read_text())
    der = base64.b64decode(case["TESTCTX"]["CERTIFICATE"])
    key = PublicKey.from_x509(der)
    assert key.kid == hashlib.sha256(der).digest()[:8]
    at = datetime.fromisoformat(case["TESTCTX"]["VALIDATIONCLOCK"]).timestamp()
    return case, Verifier(KeySet.of(key), prefix="HC1:"), at


@pytest.mark.parametrize(("name", "alg"), [("CO3", ES256), ("CO1", PS256), ("CO28", ES256)])
def test_valid_certificates_verify(name, alg):
    case, verifier, at = load(name)
    assert case["EXPECTEDRESULTS"]["EXPECTEDVERIFY"] is True
    verified = verifier.verify_cwt(case["PREFIX"], at=at)
    assert verified.alg == alg
    hcert = verified.claims[HCERT][1]
    assert hcert["nam"]["fnt"] == case["JSON"]["nam"]["fnt"]
    # the bare COSE of the file verifies too, and so does the CBOR after our own base45 and zlib
    assert verifier.verify_cwt(bytes.fromhex(case["COSE"]), at=at).claims == verified.claims


def test_co28_has_both_cwt_and_cose_tags():
    case, verifier, at = load("CO28")
    assert case["COSE"].startswith("d83dd284")  # tag 61 (d8 3d) around tag 18 (d2)
    assert verifier.verify_cwt(case["PREFIX"], at=at).claims[1] == "SE"


def test_co5_bad_signature_is_refused():
    case, verifier, at = load("CO5")
    assert case["EXPECTEDRESULTS"]["EXPECTEDVERIFY"] is False
    with pytest.raises(CodeRefused) as info:
        verifier.verify_cwt(case["PREFIX"], at=at)
    assert info.value.reason == "bad_signature"


def test_co22_kid_not_matching_the_certificate_is_refused():
    # The protected kid is wrong ("foo"); the unprotected one is right but must not override it.
    case, verifier, at = load("CO22")
    assert case["EXPECTEDRESULTS"]["EXPECTEDVERIFY"] is False
    with pytest.raises(CodeRefused) as info:
        verifier.verify_cwt(case["PREFIX"], at=at)
    assert info.value.reason == "unknown_kid"
    assert info.value.message.endswith("666f6f")  # b"foo"


def test_dcc_codes_expire():
    case, verifier, at = load("CO3")
    with pytest.raises(CodeRefused) as info:
        verifier.verify_cwt(case["PREFIX"], at=at + 365 * 86400)
    assert info.value.reason == "expired"


def test_dcc_code_is_refused_with_magnet_prefix_and_keys(verifier):
    case, _, at = load("CO3")
    with pytest.raises(CodeRefused) as info:
        verifier.verify(case["PREFIX"], at=at)
    assert info.value.reason == "bad_prefix"


def test_cli_verifies_a_dcc_code(tmp_path, capsys):
    from magnet.core.talentcode.cli import main

    case, verifier, at = load("CO1")
    keyfile = tmp_path / "dsc.cbor"
    keyfile.write_bytes(verifier.keys.encode())
    assert main(["verify", "--keys", str(keyfile), "--prefix", "HC1:", "--at", str(at), case["PREFIX"]]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["iss"] == "AT" and shown["hcert"]["1"]["nam"]["fn"] == "Musterfrau-Gößinger"
