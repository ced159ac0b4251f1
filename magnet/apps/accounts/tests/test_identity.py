"""Binding an identity number once, verified against the latest persons feed; enterprises by USCC."""

from __future__ import annotations

import pytest

from magnet.apps.accounts.models import IdentityStatus, Role, User
from magnet.apps.accounts.services import enterprise_get_or_create, talent_create
from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.errors import DomainError
from magnet.apps.common.fixtures import sign_in
from magnet.apps.common.pii import id_number_index
from magnet.apps.common.testing import EMPLOYER, LI_NA, OUT_OF_FEED_USCC, WANG_FANG, ZHANG_WEI

pytestmark = pytest.mark.django_db


def _talent(client, phone: str) -> User:
    user = talent_create(phone=phone)
    sign_in(client, user)
    return user


def test_binding_with_the_phone_on_record_verifies_the_identity(client, cast_snapshot):
    user = _talent(client, ZHANG_WEI.phone)
    response = client.post("/accounts/identity/", {"id_number": ZHANG_WEI.id_number})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.identity_status == IdentityStatus.VERIFIED
    assert user.id_number_plain() == ZHANG_WEI.id_number
    assert user.id_number_index == id_number_index(ZHANG_WEI.id_number)
    assert ZHANG_WEI.id_number not in user.id_number_cipher
    assert user.display_name == ZHANG_WEI.name
    page = client.get("/talent/").content.decode()
    assert ZHANG_WEI.id_number not in page
    assert "3206**********" in page
    assert AuditEntry.objects.filter(action="identity.bind", result="verified").exists()


def test_binding_with_another_phone_leaves_the_account_unverified(client, cast_snapshot):
    user = _talent(client, "13600000009")
    client.post("/accounts/identity/", {"id_number": LI_NA.id_number})
    user.refresh_from_db()
    assert user.identity_status == IdentityStatus.UNVERIFIED


def test_person_without_phone_on_record_stays_unverified(client, cast_snapshot):
    user = _talent(client, "13600000010")
    client.post("/accounts/identity/", {"id_number": WANG_FANG.id_number})
    user.refresh_from_db()
    assert user.identity_status == IdentityStatus.UNVERIFIED


def test_number_not_in_the_feed_stays_unverified(client, cast_snapshot):
    from magnet.apps.common.testing import make_id_number

    user = _talent(client, ZHANG_WEI.phone)
    client.post("/accounts/identity/", {"id_number": make_id_number("320602", "19950101", "555")})
    user.refresh_from_db()
    assert user.identity_status == IdentityStatus.UNVERIFIED


@pytest.mark.parametrize("bad, reason", [
    (ZHANG_WEI.id_number[:17] + ("0" if ZHANG_WEI.id_number[17] != "0" else "1"), "wrong check character"),
    ("320602199902301234", "does not exist"),
    ("32060219990315131", "18 characters"),
    ("32060219990315A31X", "only digits"),
])
def test_bad_identity_numbers_are_refused_and_nothing_is_stored(client, cast_snapshot, bad, reason):
    user = _talent(client, ZHANG_WEI.phone)
    response = client.post("/accounts/identity/", {"id_number": bad})
    assert response.status_code == 200
    assert reason in response.content.decode()
    user.refresh_from_db()
    assert user.identity_status == IdentityStatus.UNBOUND and not user.id_number_cipher


def test_identity_is_bound_only_once(client, cast_snapshot):
    user = _talent(client, ZHANG_WEI.phone)
    client.post("/accounts/identity/", {"id_number": ZHANG_WEI.id_number})
    response = client.post("/accounts/identity/", {"id_number": LI_NA.id_number})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.id_number_plain() == ZHANG_WEI.id_number


def test_a_number_bound_by_another_account_is_refused(client, cast_snapshot):
    from django.test import Client

    first = Client()
    _talent(first, ZHANG_WEI.phone)
    first.post("/accounts/identity/", {"id_number": ZHANG_WEI.id_number})
    _talent(client, "13600000011")
    response = client.post("/accounts/identity/", {"id_number": ZHANG_WEI.id_number})
    assert "已被其他账户绑定" in response.content.decode()


def test_enterprise_is_matched_to_the_enterprises_feed(cast_snapshot):
    enterprise = enterprise_get_or_create(uscc=EMPLOYER, name="ignored")
    assert enterprise.name == "南通远洋船舶制造有限公司"
    assert enterprise.industry_code == "C3731" and enterprise.in_feed
    outsider = enterprise_get_or_create(uscc=OUT_OF_FEED_USCC, name="外地公司")
    assert not outsider.in_feed


@pytest.mark.parametrize("uscc", [EMPLOYER[:17] + ("0" if EMPLOYER[17] != "0" else "1"), "91320602MA1XYW12I",
                                  EMPLOYER[:-1]])
def test_bad_usccs_are_refused(cast_snapshot, uscc):
    with pytest.raises(DomainError) as refused:
        enterprise_get_or_create(uscc=uscc, name="x")
    assert refused.value.code == "uscc_invalid"


def test_only_talents_may_bind(client_as):
    client = client_as(Role.ENTERPRISE)
    assert client.post("/accounts/identity/", {"id_number": ZHANG_WEI.id_number}).status_code == 403


def test_admin_refuses_an_enterprise_with_a_bad_uscc_and_matches_a_good_one(client_as, cast_snapshot, settings):
    from django.contrib.auth.models import Permission

    from magnet.apps.accounts.models import Enterprise

    client = client_as(Role.ADMIN)
    client.user.user_permissions.add(*Permission.objects.filter(content_type__app_label="accounts"))
    url = "/" + settings.MAGNET_ADMIN_PATH + "accounts/enterprise/add/"
    bad = EMPLOYER[:17] + ("0" if EMPLOYER[17] != "0" else "1")
    page = client.post(url, {"uscc": bad, "name": "x"}).content.decode()
    assert "统一社会信用代码无效" in page and not Enterprise.objects.exists()
    assert client.post(url, {"uscc": EMPLOYER, "name": "x"}).status_code == 302
    assert Enterprise.objects.get().feed_snapshot_id == cast_snapshot.id


def test_key_rotation_re_encrypts_everything_and_keeps_it_readable(settings, capsys):
    import base64
    import os

    from django.core.management import call_command

    from magnet.apps.common import pii

    user = talent_create(phone=ZHANG_WEI.phone)
    old_spec = settings.MAGNET_FIELD_KEYS
    settings.MAGNET_FIELD_KEYS = f"k2:{base64.b64encode(os.urandom(32)).decode()},{old_spec}"
    pii.cipher.cache_clear()
    try:
        user.refresh_from_db()
        assert user.phone_plain() == ZHANG_WEI.phone  # old rows still decrypt
        call_command("pii_rotate")
        assert "re-encrypted 1 value(s); 0 left" in capsys.readouterr().out
        user.refresh_from_db()
        assert user.phone_cipher.startswith("v1.k2.") and user.phone_plain() == ZHANG_WEI.phone
        assert AuditEntry.objects.filter(action="pii.rotate").exists()
    finally:
        settings.MAGNET_FIELD_KEYS = old_spec
        pii.cipher.cache_clear()


def test_verified_talent_sees_the_degrees_of_the_education_feed(client, cast_snapshot):
    _talent(client, ZHANG_WEI.phone)
    assert "我的学历（学信数据）" not in client.get("/talent/").content.decode()
    client.post("/accounts/identity/", {"id_number": ZHANG_WEI.id_number})
    page = client.get("/talent/").content.decode()
    assert "我的学历（学信数据）" in page and "南京大学" in page and "计算机科学与技术（080901）" in page
