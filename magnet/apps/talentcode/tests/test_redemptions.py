"""Service points record uses of the talent code once, within the tiers and daily limits of the catalogue,
online one scan at a time or offline in batches that can be uploaded twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from magnet.apps.accounts.services import api_token_create
from magnet.apps.common.fixtures import make_user
from magnet.apps.talentcode import services
from magnet.apps.talentcode.models import Redemption, Revocation, Service
from magnet.core import talentcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def point_client(client):
    """A bus company's verifier with an API token, its point offering bus rides (A–E, 2 a day) and gyms (A–B)."""
    verifier = make_user("verifier")
    bus = Service.objects.create(key="bus", name="公交免费乘车", kind="transport", tiers=list("ABCDE"), daily_limit=2)
    gym = Service.objects.create(key="gym", name="健身馆", kind="sport", tiers=["A", "B"])
    Service.objects.create(key="museum", name="博物馆", kind="culture", tiers=list("ABCDE"))  # not at this point
    bus.points.add(verifier.service_point)
    gym.points.add(verifier.service_point)
    token = api_token_create(user=verifier, name="bus scanner 1")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    client.verifier = verifier
    return client


def code(sub="T7Q2ZK", tier="C", services_=("bus", "gym", "museum"), now=None, lifetime=300):
    claims = talentcode.TalentClaims.new(iss=settings.MAGNET_TALENT_CODE_ISSUER, sub=sub, tier=tier,
                                         services=services_, now=now, lifetime=lifetime)
    return talentcode.issue(claims, services.signing_key_current()), claims


def redeem(client, text, service="bus"):
    return client.post("/api/v1/talent-code/redemptions", {"code": text, "service": service},
                       content_type="application/json")


def test_a_scan_is_recorded_once_per_code_and_service(point_client):
    text, claims = code()
    first = redeem(point_client, text)
    assert first.status_code == 201 and first.json()["tier"] == "C"
    again = redeem(point_client, text)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_used"
    assert Redemption.objects.get().cti == claims.cti.hex()


@pytest.mark.parametrize("service, tier, services_, reason", [
    ("gym", "C", ("bus", "gym"), "tier_not_allowed"),
    ("bus", "C", ("gym",), "service_not_in_code"),
    ("museum", "C", ("museum",), "service_unavailable"),
    ("nothing", "C", ("bus",), "service_unavailable"),
])
def test_catalogue_rules_refuse_with_the_reason(point_client, service, tier, services_, reason):
    text, _ = code(tier=tier, services_=services_)
    response = redeem(point_client, text, service)
    assert response.status_code == 409 and response.json()["error"]["code"] == reason
    assert not Redemption.objects.exists()


def test_daily_limit_counts_every_code_of_the_talent(point_client):
    for _ in range(2):
        assert redeem(point_client, code()[0]).status_code == 201
    third = redeem(point_client, code()[0])
    assert third.status_code == 409 and third.json()["error"]["code"] == "daily_limit"
    assert redeem(point_client, code(sub="OTHER1")[0]).status_code == 201


@pytest.mark.parametrize("make, reason", [
    (lambda: code(now=int(dt.datetime.now(dt.UTC).timestamp()) - 3600)[0], "expired"),
    (lambda: "MG1:" + "A" * 40, "bad_compression"),
    (lambda: "garbage", "bad_prefix"),
    (lambda: talentcode.issue(talentcode.TalentClaims.new(iss=settings.MAGNET_TALENT_CODE_ISSUER, sub="X1",
                                                          tier="A", services=("bus",)),
                              talentcode.SigningKey.generate()), "unknown_kid"),
])
def test_bad_codes_are_refused_with_the_reason(point_client, make, reason):
    response = redeem(point_client, make())
    assert response.status_code == 409
    assert response.json()["error"]["code"] in {reason, "bad_base45", "not_cose", "malformed"}
    if reason in {"expired", "unknown_kid", "bad_prefix"}:
        assert response.json()["error"]["code"] == reason


def test_revoked_code_is_refused(point_client):
    text, claims = code()
    Revocation.objects.create(cti=claims.cti.hex(), reason="reported lost")
    assert redeem(point_client, text).json()["error"]["code"] == "revoked"


def test_offline_batch_verifies_each_scan_at_its_time_and_ignores_re_uploads(point_client):
    scanned = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    old_code, _ = code(now=int(scanned.timestamp()) - 60)  # valid when scanned, expired now
    scans = [{"code": old_code, "service": "bus", "scanned_at": scanned.isoformat()},
             {"code": code()[0], "service": "bus"},
             {"code": code(sub="OTHER2")[0], "service": "gym"}]  # tier C: refused
    body = {"scans": scans}
    first = point_client.post("/api/v1/talent-code/redemptions/batch", body, content_type="application/json").json()
    assert first["recorded"] == 2 and first["duplicates"] == 0
    assert [(r["index"], r["reason"]) for r in first["refused"]] == [(2, "tier_not_allowed")]
    again = point_client.post("/api/v1/talent-code/redemptions/batch", body, content_type="application/json").json()
    assert again["recorded"] == 0 and again["duplicates"] == 2
    assert Redemption.objects.count() == 2 and Redemption.objects.filter(offline=True).count() == 2


def test_services_of_the_point_are_listed(point_client):
    keys = [s["key"] for s in point_client.get("/api/v1/talent-code/services").json()]
    assert keys == ["bus", "gym"]


def test_only_verifiers_may_record(client_as):
    for role in ["talent", "enterprise", "staff"]:
        client = client_as(role)
        response = client.post("/api/v1/talent-code/redemptions", {"code": "x", "service": "bus"},
                               content_type="application/json")
        assert response.status_code in (401, 403), role
        client.logout()


def test_a_revoked_token_is_refused(point_client):
    from django.utils import timezone

    from magnet.apps.accounts.models import ApiToken

    ApiToken.objects.update(revoked_at=timezone.now())
    assert point_client.get("/api/v1/talent-code/services").status_code == 401


def test_large_uploads_take_the_bulk_path_and_still_record_once(point_client, monkeypatch):
    """Above the chunk size rows are written with COPY on PostgreSQL (bulk INSERT elsewhere)."""
    from magnet.apps.talentcode import redemptions

    monkeypatch.setattr(redemptions, "_CHUNK", 2)
    scans = [{"code": code(sub=f"BULK{i}")[0], "service": "bus"} for i in range(5)]
    body = {"scans": scans}
    first = point_client.post("/api/v1/talent-code/redemptions/batch", body, content_type="application/json").json()
    assert first["recorded"] == 5
    again = point_client.post("/api/v1/talent-code/redemptions/batch", body, content_type="application/json").json()
    assert again["duplicates"] == 5 and Redemption.objects.count() == 5
    assert Redemption.objects.filter(recorded_at__isnull=False, offline=True).count() == 5


def test_verifier_page_records_a_scan_and_shows_the_refusal_reason(client, point_client):
    from magnet.apps.common.fixtures import sign_in

    sign_in(client, point_client.verifier)
    page = client.get("/talent-code/point/").content.decode()
    assert "公交免费乘车" in page and "健身馆" in page
    text, _ = code()
    page = client.post("/talent-code/point/", {"code": text, "service": "bus"}).content.decode()
    assert "通过" in page and "T7Q2ZK" in page
    page = client.post("/talent-code/point/", {"code": text, "service": "bus"}).content.decode()
    assert "already_used" in page
    assert Redemption.objects.count() == 1


def test_staff_console_shows_catalogue_statistics_and_issues_a_token_once(client_as, point_client):
    from magnet.apps.accounts.models import ApiToken

    redeem(point_client, code()[0])
    staff = client_as("staff")
    page = staff.get("/talent-code/console/").content.decode()
    assert "公交免费乘车" in page and "verifier.test" in page
    assert "<td>1</td>" in page  # one use today
    page = staff.post("/talent-code/console/", {"verifier": point_client.verifier.pk}).content.decode()
    assert "mgt_" in page and ApiToken.objects.filter(user=point_client.verifier).count() == 2
    from magnet.apps.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(action="api_token.create").latest("id")
    assert entry.actor_username == "staff.test" and entry.object_id == str(point_client.verifier.pk)
