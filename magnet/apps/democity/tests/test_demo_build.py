"""`python -m magnet demo build`: a loaded snapshot and a working log-in for every role."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from magnet.apps.accounts import sms
from magnet.apps.accounts.models import IdentityStatus, Role, User
from magnet.apps.feeds.models import Snapshot
from magnet.core import democity

pytestmark = pytest.mark.django_db


def _build(capsys) -> str:
    call_command("demo_build", "--persons", "300", "--seed", "7")
    return capsys.readouterr().out


def test_demo_build_loads_a_snapshot_and_prints_a_log_in_for_every_role(capsys):
    out = _build(capsys)
    snapshot = Snapshot.objects.get()
    assert snapshot.row_counts["persons"] == 300 and snapshot.source == "demo"
    for role in Role.values:
        assert User.objects.filter(role=role, is_active=True).exists(), role
        assert re.search(rf"^\s+{role}\s", out, re.M), role
    assert "TOTP secret" in out


def test_demo_build_twice_changes_nothing_and_keeps_the_printed_passwords(capsys):
    first = _build(capsys)
    second = _build(capsys)
    assert Snapshot.objects.count() == 1
    assert first.splitlines()[-20:] == second.splitlines()[-20:]


def test_printed_staff_log_in_works_with_password_and_totp(client, capsys):
    from magnet.apps.common.fixtures import current_totp

    out = _build(capsys)
    password = re.search(r"staff\.city\s+(\S+)", out).group(1)
    response = client.post("/accounts/login/password/", {"username": "staff.city", "password": password})
    assert response["Location"].startswith("/accounts/login/otp/")
    client.post("/accounts/login/otp/", {"token": current_totp(User.objects.get(username="staff.city"))})
    assert client.get("/console/").status_code == 200


def test_demo_talent_signs_in_by_sms_and_binds_the_printed_identity(client, capsys):
    _build(capsys)
    persona = democity.personas(7)[0]
    client.post("/accounts/login/sms/send/", {"phone": persona.phone})
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    assert client.post("/accounts/login/sms/", {"phone": persona.phone, "code": code}).status_code == 302
    client.post("/accounts/identity/", {"id_number": persona.id_number})
    user = User.objects.get(display_name=persona.name)
    assert user.identity_status == IdentityStatus.VERIFIED


def test_demo_enterprises_are_confirmed_by_the_enterprises_feed(capsys):
    _build(capsys)
    hr = User.objects.filter(role=Role.ENTERPRISE).select_related("enterprise").first()
    assert hr.enterprise.in_feed and hr.enterprise.key_enterprise


def test_administrator_cannot_reveal_personal_numbers(capsys):
    _build(capsys)
    sysadmin = User.objects.get(username="sysadmin.city")
    assert not sysadmin.is_superuser and not sysadmin.has_perm("accounts.reveal_pii")
    assert User.objects.get(username="staff.city").has_perm("accounts.reveal_pii")
