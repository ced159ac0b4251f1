"""The city's signing keys: encrypted at rest, published at a well-known URL, rotated and retired;
`python -m magnet code verify` checks codes against them and the signed revocation list."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from django.core.management import call_command

from magnet.apps.audit.models import AuditEntry
from magnet.apps.talentcode import services
from magnet.apps.talentcode.models import Revocation, SigningKey
from magnet.core import talentcode

pytestmark = pytest.mark.django_db


def _code(key: talentcode.SigningKey | None = None, **claims) -> tuple[str, talentcode.TalentClaims]:
    made = talentcode.TalentClaims.new(iss="https://talent.3206.example.gov.cn", sub="T7Q2ZK", tier="B",
                                       services=("bus", "library"), **claims)
    return talentcode.issue(made, key or services.signing_key_current()), made


def _verify(code: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        call_command("code", "verify", code)
    return exit_.value.code, out.getvalue()


def test_the_first_key_is_created_on_first_use_and_stored_encrypted():
    key = services.signing_key_current()
    row = SigningKey.objects.get()
    assert row.kid == key.kid.hex()
    assert key.private_bytes().hex() not in row.private_cipher and row.private_cipher.startswith("v1.")
    assert services.signing_key_current().kid == key.kid
    assert AuditEntry.objects.filter(action="talent_code.key_create").count() == 1


def test_published_key_set_is_public_cbor_that_verifies_codes(client):
    code, made = _code()
    response = client.get("/.well-known/magnet/talent-code-keys.cbor")
    assert response.status_code == 200 and response["Content-Type"] == "application/cose-key-set"
    keys = talentcode.KeySet.decode(response.content)
    assert talentcode.Verifier(keys).verify(code).sub == made.sub


def test_command_verifies_a_code_and_prints_its_claims():
    code, made = _code()
    status, out = _verify(code)
    assert status == 0
    claims = json.loads(out)
    assert claims["sub"] == "T7Q2ZK" and claims["tier"] == "B"


def test_command_refuses_a_tampered_code_with_the_reason():
    code, _ = _code()
    tampered = code[:-3] + ("A" if code[-3] != "A" else "B") + code[-2:]
    status, out = _verify(tampered)
    assert status == 1 and out.split(":")[0] in {"bad_signature", "bad_base45", "bad_compression", "not_cose",
                                                 "malformed"}


def test_rotation_keeps_old_codes_valid_until_the_old_key_is_retired(client):
    old_code, _ = _code()
    old_kid = services.signing_key_current().kid.hex()
    new_kid = services.signing_key_rotate()
    assert new_kid != old_kid and services.signing_key_current().kid.hex() == new_kid
    assert _verify(old_code)[0] == 0
    new_code, _ = _code()
    assert _verify(new_code)[0] == 0
    services.signing_key_retire(kid=old_kid)
    status, out = _verify(old_code)
    assert status == 1 and out.startswith("unknown_kid")
    assert _verify(new_code)[0] == 0
    keys = talentcode.KeySet.decode(client.get("/.well-known/magnet/talent-code-keys.cbor").content)
    assert [k.kid.hex() for k in keys] == [new_kid]


def test_the_current_key_cannot_be_retired():
    from magnet.apps.common.errors import DomainError

    kid = services.signing_key_current().kid.hex()
    with pytest.raises(DomainError) as refused:
        services.signing_key_retire(kid=kid)
    assert refused.value.code == "key_current"


def test_revoked_codes_and_subjects_are_refused(client):
    code, made = _code()
    Revocation.objects.create(cti=made.cti.hex(), reason="lost phone")
    status, out = _verify(code)
    assert status == 1 and out.startswith("revoked")
    signed = client.get("/.well-known/magnet/talent-code-revocations.cbor").content
    keys = talentcode.KeySet.decode(client.get("/.well-known/magnet/talent-code-keys.cbor").content)
    listing = talentcode.RevocationList.verify(signed, keys)
    assert listing.revokes(made.cti, made.sub)


def test_keys_command_writes_the_public_key_set(tmp_path):
    services.signing_key_current()
    out = tmp_path / "keys.cbor"
    with pytest.raises(SystemExit) as exit_:
        call_command("code", "keys", "--out", str(out))
    assert exit_.value.code == 0
    assert [k.kid for k in talentcode.KeySet.decode(out.read_bytes())] == [services.signing_key_current().kid]


def test_offline_verification_with_downloaded_keys_needs_no_platform(client, tmp_path):
    """A service point verifies with the key file it downloaded, in a process without the platform."""
    code, _ = _code()
    keys = tmp_path / "city-keys.cbor"
    keys.write_bytes(client.get("/.well-known/magnet/talent-code-keys.cbor").content)
    repo = Path(__file__).resolve().parents[4]
    result = subprocess.run([sys.executable, "-c", "import sys; from magnet.core.talentcode import cli; "
                             "sys.exit(cli.main(sys.argv[1:]))", "verify", "--keys", str(keys), code],
                            cwd=repo, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["sub"] == "T7Q2ZK"


def test_rotation_from_the_command_line(capsys):
    first = services.signing_key_current().kid.hex()
    call_command("code", "rotate")
    assert "now signing with key" in capsys.readouterr().out
    assert services.signing_key_current().kid.hex() != first
