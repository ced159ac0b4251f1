"""pytest fixtures shared by the apps' tests and the browser tests (imported by their conftest.py)."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from magnet.apps.accounts.models import Department, Enterprise, Role, ServicePoint, User
from magnet.apps.common.testing import EMPLOYER, write_cast_snapshot

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def magnet_test_settings(settings, tmp_path):
    from magnet.apps.accounts import sms

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MAGNET_SMS_BACKEND = "magnet.apps.accounts.sms.OutboxBackend"
    settings.MAGNET_DATA_DIR = tmp_path / "data"
    settings.MAGNET_DATA_DIR.mkdir()
    sms.outbox.clear()


@pytest.fixture
def cast_snapshot(db, tmp_path):
    """The cast's snapshot, loaded."""
    from magnet.apps.feeds.services import snapshot_load

    snapshot, _ = snapshot_load(src_dir=write_cast_snapshot(tmp_path / "cast"))
    return snapshot


def current_totp(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def make_user(role: str, username: str | None = None, **fields) -> User:
    username = username or f"{role}.test"
    if role == Role.ENTERPRISE and "enterprise" not in fields:
        fields["enterprise"] = Enterprise.objects.get_or_create(uscc=EMPLOYER, defaults={"name": "测试企业"})[0]
    if role == Role.VERIFIER and "service_point" not in fields:
        fields["service_point"] = ServicePoint.objects.get_or_create(name="测试网点", kind="bus", adcode="320613")[0]
    if role == Role.STAFF and "department" not in fields:
        fields["department"] = Department.objects.get_or_create(code="employment", defaults={"name": "就业处"})[0]
        fields.setdefault("districts", ["3206"])
    user = User(username=username, role=role, **fields)
    if role == Role.TALENT:
        from magnet.apps.accounts.services import talent_create

        return talent_create(phone=fields.get("phone", "13700000000"))
    user.set_password(PASSWORD)
    user.save()
    if role in {Role.STAFF, Role.AUDITOR, Role.ADMIN}:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def sign_in(client, user: User) -> None:
    """Sign a test client in as this user, second factor included, through the real pages."""
    if user.role == Role.TALENT:
        client.force_login(user, backend="magnet.apps.accounts.backends.RoleAwareModelBackend")
        return
    response = client.post("/accounts/login/password/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    if user.role in {Role.STAFF, Role.AUDITOR, Role.ADMIN}:
        response = client.post("/accounts/login/otp/", {"token": current_totp(user)})
        assert response.status_code == 302, response.content[:500]


ROLES = [Role.TALENT, Role.ENTERPRISE, Role.STAFF, Role.VERIFIER, Role.AUDITOR, Role.ADMIN]


@pytest.fixture
def client_as(db, client):
    """`client_as("staff")` → a test client signed in as a fresh user of that role."""

    def make(role: str, **fields):
        user = make_user(role, **fields)
        sign_in(client, user)
        client.user = user
        return client

    return make


@pytest.fixture
def flushable_audit(transactional_db):
    """For tests that commit (live server, concurrency): the audit triggers are lifted only for the
    flush that empties every table after the test, and restored (with the catalogues) before the next."""
    from django.apps import apps
    from django.db import connection

    from magnet.apps.audit import triggers
    from magnet.apps.grants import triggers as ledger_triggers
    from magnet.apps.reference.loading import load_all
    from magnet.apps.reference.models import Major

    triggers.apply(connection, triggers.CREATE)
    triggers.apply(connection, ledger_triggers.CREATE)
    if not Major.objects.exists():
        load_all(apps)  # the flush after a previous committing test emptied the catalogues too
    yield
    triggers.apply(connection, triggers.DROP)
    triggers.apply(connection, ledger_triggers.DROP)
