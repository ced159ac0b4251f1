"""An enterprise's HR registers with the USCC on record; bureau staff approve before it can sign in."""

from __future__ import annotations

import pytest

from magnet.apps.accounts.models import Role, User
from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.testing import EMPLOYER, OUT_OF_FEED_USCC

pytestmark = pytest.mark.django_db

FORM = {"uscc": EMPLOYER, "enterprise_name": "南通远洋船舶制造有限公司", "display_name": "赵人事",
        "username": "hr.yuanyang", "password": "shipyard-hiring-2026", "password2": "shipyard-hiring-2026"}


def test_registration_waits_for_approval_then_signs_in(client, client_as, cast_snapshot):
    page = client.post("/accounts/enterprise/register/", FORM).content.decode()
    assert "注册申请已提交" in page
    user = User.objects.get(username="hr.yuanyang")
    assert not user.is_active and user.registration_status == "pending" and user.enterprise.in_feed
    refused = client.post("/accounts/login/password/", {"username": "hr.yuanyang", "password": FORM["password"]})
    assert refused.status_code == 200  # inactive: the same refusal as a wrong password
    staff = client_as(Role.STAFF)
    assert "hr.yuanyang" in staff.get("/accounts/enterprise/requests/").content.decode()
    staff.post("/accounts/enterprise/requests/", {"user": user.pk, "decision": "approve"})
    user.refresh_from_db()
    assert user.is_active and user.registration_status == "approved"
    assert AuditEntry.objects.filter(action="enterprise.approve", object_id=str(user.pk)).exists()
    staff.logout()
    client.post("/accounts/login/password/", {"username": "hr.yuanyang", "password": FORM["password"]})
    assert "南通远洋船舶制造有限公司" in client.get("/enterprise/").content.decode()


@pytest.mark.parametrize("change, message", [
    ({"uscc": EMPLOYER[:17] + ("0" if EMPLOYER[17] != "0" else "1")}, "统一社会信用代码无效"),
    ({"uscc": OUT_OF_FEED_USCC}, "法人库中没有"),
    ({"enterprise_name": "南通远洋船舶有限公司"}, "名称与法人库登记的名称不一致"),
    ({"username": "admin"}, "用户名"),
    ({"password": "12345678", "password2": "12345678"}, "密码"),
    ({"password2": "something-else-entirely"}, "两次输入的密码不一致"),
])
def test_bad_registrations_are_refused_and_create_nothing(client, cast_snapshot, change, message):
    page = client.post("/accounts/enterprise/register/", {**FORM, **change}).content.decode()
    assert message in page
    assert not User.objects.filter(role=Role.ENTERPRISE).exists()


def test_rejected_registration_never_signs_in(client, client_as, cast_snapshot):
    client.post("/accounts/enterprise/register/", FORM)
    user = User.objects.get(username="hr.yuanyang")
    client_as(Role.STAFF).post("/accounts/enterprise/requests/", {"user": user.pk, "decision": "reject"})
    user.refresh_from_db()
    assert not user.is_active and user.registration_status == "rejected"


def test_only_staff_decide_registrations(client_as, cast_snapshot):
    for role in [Role.ENTERPRISE, Role.AUDITOR, Role.TALENT]:
        client = client_as(role)
        assert client.get("/accounts/enterprise/requests/").status_code in (302, 403), role
        client.logout()
