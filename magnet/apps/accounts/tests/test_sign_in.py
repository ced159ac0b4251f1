"""Sign-in: phone + SMS code for talents, password + TOTP for staff; lock-out and sessions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from magnet.apps.accounts import sms
from magnet.apps.accounts.models import Role, SmsCode, User
from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.fixtures import PASSWORD, current_totp, make_user

pytestmark = pytest.mark.django_db


def _last_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)


def test_talent_signs_in_with_phone_and_sms_code_and_the_account_is_created(client):
    response = client.post("/accounts/login/sms/send/", {"phone": "138 0000 0001"})
    assert "验证码已发送" in response.content.decode()
    assert sms.outbox[-1].phone == "13800000001"
    response = client.post("/accounts/login/sms/", {"phone": "13800000001", "code": _last_code()})
    assert response.status_code == 302
    user = User.objects.get(role=Role.TALENT)
    assert user.phone_plain() == "13800000001"
    assert "13800000001" not in user.phone_cipher
    assert client.get("/talent/").status_code == 200


def test_sms_code_is_single_use(client):
    client.post("/accounts/login/sms/send/", {"phone": "13800000001"})
    code = _last_code()
    assert client.post("/accounts/login/sms/", {"phone": "13800000001", "code": code}).status_code == 302
    client.logout()
    client.cookies.clear()
    response = client.post("/accounts/login/sms/", {"phone": "13800000001", "code": code})
    assert response.status_code == 200 and "验证码不正确或已过期" in response.content.decode()


def test_sms_code_expires_after_five_minutes(client):
    with freeze_time("2026-11-01 10:00:00"):
        client.post("/accounts/login/sms/send/", {"phone": "13800000001"})
        code = _last_code()
    with freeze_time("2026-11-01 10:05:01"):
        response = client.post("/accounts/login/sms/", {"phone": "13800000001", "code": code})
    assert "验证码不正确或已过期" in response.content.decode()


def test_sms_code_is_bound_to_the_sign_in_attempt(client, django_user_model):
    from django.test import Client

    client.post("/accounts/login/sms/send/", {"phone": "13800000001"})
    other = Client()
    response = other.post("/accounts/login/sms/", {"phone": "13800000001", "code": _last_code()})
    assert "验证码不正确或已过期" in response.content.decode()


def test_five_wrong_sms_codes_lock_the_phone(client):
    client.post("/accounts/login/sms/send/", {"phone": "13800000001"})
    code = _last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post("/accounts/login/sms/", {"phone": "13800000001", "code": wrong})
    response = client.post("/accounts/login/sms/", {"phone": "13800000001", "code": code})
    assert "锁定" in response.content.decode()
    assert AuditEntry.objects.filter(action="auth.sms_login", result="locked").exists()


def test_sms_sending_is_rate_limited(client, settings):
    settings.MAGNET_SMS_RESEND_INTERVAL = 0
    for _ in range(5):
        client.post("/accounts/login/sms/send/", {"phone": "13800000001"})
    response = client.post("/accounts/login/sms/send/", {"phone": "13800000001"})
    assert "过于频繁" in response.content.decode()
    assert SmsCode.objects.count() == 5


def test_resend_too_soon_is_refused(client):
    client.post("/accounts/login/sms/send/", {"phone": "13800000001"})
    response = client.post("/accounts/login/sms/send/", {"phone": "13800000001"})
    assert "稍候" in response.content.decode()


def test_bad_phone_is_refused_with_a_clear_message(client):
    response = client.post("/accounts/login/sms/send/", {"phone": "12345"})
    assert "11 位" in response.content.decode()
    assert not sms.outbox


def test_staff_needs_the_second_factor_for_every_page(client):
    staff = make_user(Role.STAFF)
    response = client.post("/accounts/login/password/", {"username": staff.username, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/login/otp/")
    for page in ["/console/", "/console/feeds/", "/console/feeds/person/", "/console/feeds/upload/"]:
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/otp/"), page
    assert client.get("/api/v1/feeds/snapshots").status_code == 401
    response = client.post("/accounts/login/otp/", {"token": "000000" if current_totp(staff) != "000000" else "111111"})
    assert "不正确" in response.content.decode()
    # django-otp throttles a device for a second after a wrong code; step past it.
    TOTPDevice.objects.filter(user=staff).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    client.post("/accounts/login/otp/", {"token": current_totp(staff)})
    assert client.get("/console/").status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(client):
    make_user(Role.ENTERPRISE, username="hr.one")
    wrong = client.post("/accounts/login/password/", {"username": "hr.one", "password": "nope-nope-nope"})
    unknown = client.post("/accounts/login/password/", {"username": "nobody.here", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 200
    assert "账号或密码不正确" in wrong.content.decode() and "账号或密码不正确" in unknown.content.decode()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    make_user(Role.ENTERPRISE, username="hr.one")
    for _ in range(5):
        client.post("/accounts/login/password/", {"username": "hr.one", "password": "wrong-password-x"})
    response = client.post("/accounts/login/password/", {"username": "hr.one", "password": PASSWORD})
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="auth.login", result="locked").exists()
    assert AuditEntry.objects.filter(action="auth.login", result="failed").count() == 5


def test_talents_cannot_sign_in_with_a_password(client):
    user = make_user(Role.TALENT)
    user.set_password(PASSWORD)
    user.save()
    response = client.post("/accounts/login/password/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200


def test_idle_session_is_signed_out(client_as, settings):
    with freeze_time("2026-11-01 10:00:00") as clock:
        client = client_as(Role.ENTERPRISE)
        assert client.get("/enterprise/").status_code == 200
        clock.tick(dt.timedelta(minutes=31))
        response = client.get("/enterprise/")
    assert response.status_code == 302 and "timeout=1" in response["Location"]


def test_staff_idle_limit_is_fifteen_minutes(client_as):
    with freeze_time("2026-11-01 10:00:00") as clock:
        client = client_as(Role.STAFF)
        clock.tick(dt.timedelta(minutes=16))
        response = client.get("/console/")
    assert response.status_code == 302 and "timeout=1" in response["Location"]


def test_disabled_account_loses_its_sessions_at_once(client_as):
    client = client_as(Role.ENTERPRISE)
    User.objects.filter(pk=client.user.pk).update(is_active=False)
    response = client.get("/enterprise/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_role_removed_takes_effect_on_next_request(client_as):
    client = client_as(Role.ENTERPRISE)
    User.objects.filter(pk=client.user.pk).update(role=Role.TALENT, enterprise=None)
    assert client.get("/enterprise/").status_code == 403


def test_expired_staff_password_must_be_changed(client_as):
    client = client_as(Role.STAFF)
    User.objects.filter(pk=client.user.pk).update(password_changed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"


def test_logout_deletes_the_server_side_session(client_as):
    from django.contrib.sessions.models import Session

    client = client_as(Role.ENTERPRISE)
    assert Session.objects.count() == 1
    client.post("/accounts/logout/")
    assert Session.objects.count() == 0


def test_sign_in_events_are_audited(client_as):
    client_as(Role.STAFF)
    assert AuditEntry.objects.filter(action="auth.login", result="ok").exists()
    assert AuditEntry.objects.filter(action="auth.otp", result="ok").exists()


def test_staff_password_must_be_twelve_characters():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    staff = User(username="s", role=Role.STAFF)
    with pytest.raises(ValidationError):
        validate_password("short-pw-9x", staff)
    validate_password("a-much-longer-pass-phrase", staff)
