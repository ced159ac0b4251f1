"""The talent's own talent code: Zhang Wei (a double-first-class bachelor, tier C) opens "my talent code" and
gets a fresh signed code every minute that a service point accepts; Wang Fang, with no degree or
certificate, is told why no tier holds; a talent without a bound identity is asked to bind it first."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from magnet.apps.accounts.models import IdentityStatus
from magnet.apps.accounts.services import api_token_create, talent_create
from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.errors import DomainError
from magnet.apps.common.fixtures import ROLES, make_user
from magnet.apps.common.pii import cipher, id_number_index
from magnet.apps.common.testing import LI_NA, WANG_FANG, ZHANG_WEI
from magnet.apps.radar.selectors import published_book
from magnet.apps.talentcode import services as keys
from magnet.apps.talentcode import talent
from magnet.apps.talentcode.models import Redemption, Revocation, Service
from magnet.core import talentcode
from magnet.core.feeds import open_snapshot
from magnet.core.radar import Month, connect
from magnet.core.radar.engine import tier_of

pytestmark = pytest.mark.django_db

PAGE = "/talent-code/mine/"
FRAGMENT = "/talent-code/mine/code/"


def bind(user, id_number: str, *, verified: bool = True) -> None:
    """The state identity binding leaves (accounts.services.identity_bind is tested in accounts)."""
    user.id_number_cipher = cipher().encrypt(id_number, context="id_number")
    user.id_number_index = id_number_index(id_number)
    user.identity_status = IdentityStatus.VERIFIED if verified else IdentityStatus.UNVERIFIED
    user.save()


@pytest.fixture(autouse=True)
def catalogue(db):
    """Bus rides for every tier (2 a day), gyms for A–B, libraries for C–E; a closed museum."""
    cache.clear()  # tiers are cached per user and snapshot; test databases reuse both
    point = make_user("verifier", username="verifier.library").service_point
    services = [
        Service.objects.create(key="bus", name="公交免费乘车", kind="transport", tiers=list("ABCDE"), daily_limit=2),
        Service.objects.create(key="gym", name="健身馆", kind="sport", tiers=["A", "B"]),
        Service.objects.create(key="library", name="图书馆", kind="culture", tiers=["C", "D", "E"], daily_limit=5),
        Service.objects.create(key="museum", name="博物馆", kind="culture", tiers=list("ABCDE"), active=False),
    ]
    for service in services:
        service.points.add(point)
    return services


@pytest.fixture
def zhang_wei(client_as, cast_snapshot):
    client = client_as("talent")
    bind(client.user, ZHANG_WEI.id_number)
    return client


def keyset(client) -> talentcode.KeySet:
    return talentcode.KeySet.decode(client.get("/.well-known/magnet/talent-code-keys.cbor").content)


def verify(client, code: str) -> talentcode.TalentClaims:
    verifier = talentcode.Verifier(keyset(client), issuer=settings.MAGNET_TALENT_CODE_ISSUER)
    return verifier.verify(code)


def expected_tier(snapshot_id: str, id_number: str) -> str | None:
    today = talent.today()
    month = Month(today.year, today.month)
    con = connect(open_snapshot(settings.MAGNET_DATA_DIR, snapshot_id))
    try:
        return tier_of(con, published_book("demo", month), month, id_number).tier
    finally:
        con.close()


def test_bound_talent_gets_a_code_the_published_keys_verify(zhang_wei, cast_snapshot):
    before = int(dt.datetime.now(dt.UTC).timestamp())
    response = zhang_wei.get(PAGE)
    assert response.status_code == 200
    issued = response.context["issued"]
    claims = verify(zhang_wei, issued.code_text)
    assert claims.iss == settings.MAGNET_TALENT_CODE_ISSUER
    assert claims.tier == issued.tier == expected_tier(cast_snapshot.id, ZHANG_WEI.id_number) == "C"
    assert claims.services == ("bus", "library")  # active services open to tier C
    # A pseudonym: neither the identity number nor its blind index, nor anything shaped like one.
    assert claims.sub != ZHANG_WEI.id_number and ZHANG_WEI.id_number not in claims.sub
    assert ZHANG_WEI.id_number[-8:] not in claims.sub
    assert claims.sub != id_number_index(ZHANG_WEI.id_number)
    assert not talentcode.looks_like_identity_number(claims.sub)
    # Short-lived: the code expires within the configured lifetime.
    assert claims.exp - claims.iat == settings.MAGNET_TALENT_CODE_TTL
    after = int(dt.datetime.now(dt.UTC).timestamp())
    assert before <= claims.iat <= after and claims.exp <= after + settings.MAGNET_TALENT_CODE_TTL
    assert issued.expires_at == dt.datetime.fromtimestamp(claims.exp, tz=dt.UTC)
    page = response.content.decode()
    assert '<svg viewBox="0 0' in page and 'class="qr"' in page
    assert "双一流高校全日制本科，或技师" in page  # the tier's wording
    assert "公交免费乘车" in page and "每日 2 次" in page and "图书馆" in page and "每日 5 次" in page
    assert "健身馆" not in page and "博物馆" not in page
    assert ZHANG_WEI.id_number not in page and issued.code_text not in page  # the code is drawn, not written


def test_the_qr_code_encodes_the_issued_code(zhang_wei):
    issued = zhang_wei.get(PAGE).context["issued"]
    # segno picks the QR alphanumeric mode for base45 text: the densest mode, so the code stays scannable.
    assert talentcode.decode_code(issued.code_text)
    import segno

    assert segno.make(issued.code_text, error="m", micro=False).mode == "alphanumeric"


def test_a_code_from_the_page_is_redeemable_for_a_service_of_the_tier(zhang_wei):
    issued = zhang_wei.get(PAGE).context["issued"]
    verifier = make_user("verifier", username="verifier.bus")
    for service in Service.objects.all():
        service.points.add(verifier.service_point)
    point = Client()
    point.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_token_create(user=verifier, name='bus scanner')}"
    url = "/api/v1/talent-code/redemptions"
    bus = point.post(url, {"code": issued.code_text, "service": "bus"}, content_type="application/json")
    assert bus.status_code == 201, bus.content
    assert bus.json()["tier"] == "C" and bus.json()["subject"] == issued.subject
    gym = point.post(url, {"code": issued.code_text, "service": "gym"}, content_type="application/json")
    assert gym.status_code == 409 and gym.json()["error"]["code"] == "tier_not_allowed"
    assert Redemption.objects.get().subject == talent.talent_code_subject(zhang_wei.user)


def test_each_request_signs_a_new_code_for_the_same_subject(zhang_wei):
    first = verify(zhang_wei, zhang_wei.get(PAGE).context["issued"].code_text)
    second = verify(zhang_wei, zhang_wei.get(FRAGMENT).context["issued"].code_text)
    assert first.cti != second.cti
    assert first.sub == second.sub


def test_the_fragment_refreshes_itself_every_minute(zhang_wei):
    page = zhang_wei.get(PAGE).content.decode()
    assert 'hx-get="/talent-code/mine/code/"' in page and 'hx-trigger="every 60s"' in page
    fragment = zhang_wei.get(FRAGMENT)
    body = fragment.content.decode()
    assert fragment.status_code == 200 and body.lstrip().startswith('<section id="talent-code"')
    assert 'hx-trigger="every 60s"' in body and "<svg" in body and "<html" not in body
    assert fragment["Cache-Control"] == "no-store"


def test_subjects_differ_between_talents_and_stay_stable(client_as, cast_snapshot):
    zhang = client_as("talent")
    bind(zhang.user, ZHANG_WEI.id_number)
    li = talent_create(phone=LI_NA.phone)
    bind(li, LI_NA.id_number)
    assert talent.talent_code_subject(zhang.user) == talent.talent_code_subject(zhang.user)
    assert talent.talent_code_subject(zhang.user) != talent.talent_code_subject(li)
    li_code = talent.talent_code_issue(li)
    assert li_code.tier == "A" == expected_tier(cast_snapshot.id, LI_NA.id_number)
    assert [s.key for s in li_code.services] == ["bus", "gym"]


def test_the_tier_is_computed_once_per_snapshot_and_month(zhang_wei, monkeypatch):
    calls = []
    real = talent.tier_of

    def counted(*args):
        calls.append(args[-1])
        return real(*args)

    monkeypatch.setattr(talent, "tier_of", counted)
    for _ in range(3):
        assert zhang_wei.get(FRAGMENT).context["issued"].tier == "C"
    assert len(calls) == 1


def test_issuing_is_not_audited_and_the_code_is_never_logged(zhang_wei, caplog):
    keys.signing_key_current()  # the city's first key is created (and audited) on first use
    audited = AuditEntry.objects.count()
    with caplog.at_level(logging.DEBUG):
        issued = zhang_wei.get(PAGE).context["issued"]
        zhang_wei.get(FRAGMENT)
    assert issued.code_text not in caplog.text and issued.code_text[4:40] not in caplog.text
    assert AuditEntry.objects.count() == audited
    cached = [talent.talent_tier(zhang_wei.user)]
    assert ZHANG_WEI.id_number not in repr(cached)  # the cached tier holds no identity number


def test_unbound_talent_is_asked_to_bind_their_identity(client_as, cast_snapshot):
    client = client_as("talent")
    response = client.get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200 and response.context["issued"] is None
    assert 'id="bind-identity"' in page and 'href="/accounts/identity/"' in page
    assert "<svg" not in page
    assert "<svg" not in client.get(FRAGMENT).content.decode()


def test_unverified_identity_gets_no_code(client_as, cast_snapshot):
    client = client_as("talent")
    bind(client.user, ZHANG_WEI.id_number, verified=False)
    response = client.get(PAGE)
    assert response.context["issued"] is None and 'id="unverified"' in response.content.decode()


def test_a_talent_with_no_tier_is_told_each_rule_and_the_values_read(client_as, cast_snapshot):
    client = client_as("talent")
    bind(client.user, WANG_FANG.id_number)
    response = client.get(PAGE)
    page = response.content.decode()
    assert response.context["issued"] is None and "<svg" not in page
    assert 'id="no-tier"' in page and "暂不符合 A 至 E 任何一类" in page
    rules = response.context["rules"]
    assert [r.tier for r in rules] == list("ABCDE") and not any(r.passed for r in rules)
    assert "最高全日制学历：无记录" in rules[0].values
    month = talent.today().strftime("%Y-%m")
    assert f"当月在本市参加职工社保（{month}）：否" in rules[-1].values
    for text in ["全日制博士，或高级技师且在本市就业", "最高全日制学历：无记录", f"（{month}）：否"]:
        assert text in page
    with pytest.raises(DomainError) as refused:
        talent.talent_code_issue(client.user)
    assert refused.value.code == "no_tier"


def test_a_talent_not_in_the_data_is_told_so(client_as, cast_snapshot):
    from magnet.apps.common.testing import make_id_number

    client = client_as("talent")
    bind(client.user, make_id_number("320602", "19950101", "123"))
    response = client.get(PAGE)
    assert response.context["tier"].state == "not_found" and 'id="no-record"' in response.content.decode()


def test_no_code_without_department_data(client_as):
    client = client_as("talent")
    bind(client.user, ZHANG_WEI.id_number)
    response = client.get(PAGE)
    assert response.context["tier"].state == "no_snapshot" and response.context["issued"] is None


def test_a_revoked_talent_gets_no_code(zhang_wei):
    Revocation.objects.create(subject=talent.talent_code_subject(zhang_wei.user), reason="lost phone")
    response = zhang_wei.get(PAGE)
    page = response.content.decode()
    assert response.context["issued"] is None and "<svg" not in page
    assert "您的人才码已被停用" in page
    assert "hx-trigger" not in zhang_wei.get(FRAGMENT).content.decode()  # nothing left to refresh


@pytest.mark.parametrize("role", [r for r in ROLES if r != "talent"])
def test_other_roles_are_refused_the_page_and_the_fragment(client_as, role):
    client = client_as(role)
    assert client.get(PAGE).status_code == 403
    assert client.get(FRAGMENT).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (PAGE, FRAGMENT):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_is_linked_from_the_talent_menu(zhang_wei):
    page = zhang_wei.get("/talent/").content.decode()
    assert 'href="/talent-code/mine/"' in page and "我的人才码" in page
