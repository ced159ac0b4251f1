import io
import json

import pytest

from magnet.core.talentcode import KeySet, RevocationList, SigningKey, issue, sign_claims
from magnet.core.talentcode.cli import main

from .conftest import CITY, NOW


@pytest.fixture
def keyfile(tmp_path, key):
    path = tmp_path / "keys.cbor"
    path.write_bytes(KeySet.of(key).encode())
    return path


def run(argv, **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, stdout=out, stderr=err, **kwargs)
    return status, out.getvalue(), err.getvalue()


def test_verify_prints_claims(keyfile, code, claims):
    status, out, _ = run(["verify", "--keys", str(keyfile), "--at", str(NOW + 5), code])
    assert status == 0
    assert json.loads(out) == claims.to_json()


def test_verify_refused_prints_reason(keyfile, code, claims):
    status, out, _ = run(["verify", "--keys", str(keyfile), "--at", str(claims.exp), code])
    assert status == 1 and out.startswith("expired: ")
    status, out, _ = run(["verify", "--keys", str(keyfile), "garbage"])
    assert status == 1 and out.startswith("bad_prefix: ")


def test_verify_hex(keyfile, key, claims):
    cose = sign_claims(claims, key).hex()
    status, out, _ = run(["verify", "--keys", str(keyfile), "--hex", "--at", str(NOW), cose])
    assert status == 0 and json.loads(out)["tier"] == "B" and json.loads(out)["services"] == list(claims.services)
    status, out, _ = run(["verify", "--keys", str(keyfile), "--hex", "--at", str(NOW), "zz"])
    assert status == 1 and out.startswith("malformed: ")
    status, out, _ = run(["verify", "--keys", str(keyfile), "--hex", "--at", str(NOW), cose[:-2]])
    assert status == 1 and out.startswith("not_cose: ")


def test_default_keys_and_revocations(key, code, claims):
    status, out, _ = run(["verify", "--at", str(NOW), code], default_keys=lambda: KeySet.of(key))
    assert status == 0
    revoked = RevocationList.of(iss=CITY, iat=NOW, ctis=[claims.cti])
    status, out, _ = run(
        ["verify", "--at", str(NOW), code], default_keys=lambda: KeySet.of(key), default_revocations=lambda: revoked
    )
    assert status == 1 and out.startswith("revoked: ")


def test_revocations_file(tmp_path, keyfile, key, code, claims):
    path = tmp_path / "revoked.cose"
    path.write_bytes(RevocationList.of(iss=CITY, iat=NOW, subjects=[claims.sub]).sign(key))
    status, out, _ = run(["verify", "--keys", str(keyfile), "--revocations", str(path), "--at", str(NOW), code])
    assert status == 1 and out.startswith("revoked: ")
    path.write_bytes(RevocationList.of(iss=CITY, iat=NOW).sign(SigningKey.generate()))
    status, _, err = run(["verify", "--keys", str(keyfile), "--revocations", str(path), code])
    assert status == 2 and "unknown_kid" in err


def test_other_prefix(keyfile, key, claims):
    code = issue(claims, key, prefix="HC1:")
    status, out, _ = run(["verify", "--keys", str(keyfile), "--prefix", "HC1:", "--at", str(NOW), code])
    assert status == 0 and json.loads(out)["sub"] == claims.sub


def test_usage_errors(tmp_path, code):
    assert run(["verify", code])[0] == 2  # no keys at all
    status, _, err = run(["verify", "--keys", str(tmp_path / "missing"), code])
    assert status == 2 and "cannot read" in err
    bad = tmp_path / "bad.cbor"
    bad.write_bytes(b"\xff")
    assert run(["verify", "--keys", str(bad), code])[0] == 2
    assert run([])[0] == 2
    assert run(["verify", "--at", "yesterday", code])[0] == 2


def test_keys_writes_the_key_set(tmp_path, key, keyfile):
    other = SigningKey.generate()
    out_path = tmp_path / "published.cbor"
    assert run(["keys", "--out", str(out_path)], default_keys=lambda: KeySet.of(key, other))[0] == 0
    assert [k.kid for k in KeySet.decode(out_path.read_bytes())] == [key.kid, other.kid]
    status, out, _ = run(["keys", "--keys", str(keyfile), "--json"])
    assert status == 0 and json.loads(out) == [{"kid": key.kid.hex(), "kty": 1, "alg": "EdDSA"}]


def test_keys_to_binary_stdout(key):
    class Stdout(io.StringIO):
        buffer = io.BytesIO()

    out = Stdout()
    assert main(["keys"], default_keys=lambda: KeySet.of(key), stdout=out) == 0
    assert KeySet.decode(Stdout.buffer.getvalue()).keys[0].kid == key.kid
    assert run(["keys"], default_keys=lambda: KeySet.of(key))[0] == 2  # text-only stdout
