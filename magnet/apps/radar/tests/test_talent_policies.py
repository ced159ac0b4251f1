"""A talent's "My policies" page: Zhang Wei (a 2021 double-first-class bachelor working in 3206 from 2021-07
to 2022-12) is paid the living and rent subsidies in 2022, and is told in words why not the others."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from magnet.apps.accounts.models import IdentityStatus, Role
from magnet.apps.common.pii import cipher, id_number_index
from magnet.apps.common.testing import LI_NA, ZHANG_WEI, make_id_number
from magnet.apps.radar import views_talent
from magnet.apps.radar.selectors import published_book
from magnet.core.feeds import open_snapshot
from magnet.core.radar import Month, connect, screen

pytestmark = pytest.mark.django_db


def bind(user, id_number: str, *, verified: bool = True) -> None:
    """The state identity binding leaves (accounts.services.identity_bind is tested in accounts)."""
    user.id_number_cipher = cipher().encrypt(id_number, context="id_number")
    user.id_number_index = id_number_index(id_number)
    user.identity_status = IdentityStatus.VERIFIED if verified else IdentityStatus.UNVERIFIED
    user.save()


@pytest.fixture
def in_june_2022(monkeypatch):
    monkeypatch.setattr(views_talent, "today", lambda: dt.date(2022, 6, 15))


@pytest.fixture
def zhang_wei(client_as, cast_snapshot, in_june_2022):
    client = client_as("talent")
    bind(client.user, ZHANG_WEI.id_number)
    return client


def test_bound_talent_sees_entitlements_with_amounts_and_failing_conditions_in_words(zhang_wei):
    response = zhang_wei.get("/policies/mine/?month=2022-06")
    assert response.status_code == 200
    result = response.context["result"]
    assert {p.policy: p.amount for p in result.entitled} == {
        "living_subsidy": Decimal("800.00"),  # bachelor of a double-first-class school
        "rent_subsidy": Decimal("500.00"),
    }
    living = result.entitled[0]
    assert living.period == "2022-06" and living.mode == "auto" and living.mode_label == "免申即享"
    page = response.content.decode()
    assert "青年人才生活补贴" in page and "¥800.00" in page and "免申即享" in page
    # The flexible-employment subsidy fails because he has an employee row: said in words, with the value read.
    flexible = next(p for p in result.not_entitled if p.policy == "flexible_insurance_subsidy")
    failing = {r.text: r.values for r in flexible.failing}
    assert "当月在任何地方均无职工社保" in failing
    assert failing["当月在任何地方均无职工社保"] == ["当月在任何地方参加职工社保（2022-06）：是"]
    assert "当月在任何地方均无职工社保" in page and "当月在任何地方参加职工社保（2022-06）：是" in page
    # The cast snapshot has no property, certificate or business feed: those policies cannot be judged.
    assert {p.policy for p in result.no_data} == {"purchase_subsidy", "skill_subsidy", "startup_subsidy"}
    assert "不动产登记" in page
    assert ZHANG_WEI.id_number not in page


def test_a_month_outside_the_window_names_the_failing_condition_with_its_values(zhang_wei):
    result = zhang_wei.get("/policies/mine/?month=2021-12").context["result"]
    assert result.entitled == []
    living = next(p for p in result.not_entitled if p.policy == "living_subsidy")
    [window] = living.failing  # arrived 2021-07: paid from January 2022 only
    assert window.text == "在补贴期内（自起始月起最多36个月）"
    assert "来本市就业月份：2021-07" in window.values
    assert "补贴起始月（来本市就业月与2022年1月中较晚者）：2022-01" in window.values


@pytest.mark.parametrize("month", ["2021-12", "2022-06"])
def test_the_page_agrees_with_a_screening_of_the_snapshot(zhang_wei, cast_snapshot, month):
    shown = zhang_wei.get(f"/policies/mine/?month={month}").context["result"]
    con = connect(open_snapshot(settings.MAGNET_DATA_DIR, cast_snapshot.id))
    rows = screen(con, published_book("demo", Month.parse(month)), month).to_pylist()
    screened = {(r["policy"], r["period"], r["amount"]) for r in rows if r["id_number"] == ZHANG_WEI.id_number}
    assert {(p.policy, p.period, p.amount) for p in shown.entitled} == screened


def test_the_page_speaks_english_after_the_switch(zhang_wei):
    zhang_wei.post("/i18n/setlang/", {"language": "en", "next": "/policies/mine/"})
    page = zhang_wei.get("/policies/mine/?month=2022-06").content.decode()
    assert "not employed anywhere in the month" in page
    assert "当月在任何地方均无职工社保" not in page


def test_the_month_picker_offers_the_last_twelve_months(zhang_wei):
    response = zhang_wei.get("/policies/mine/?month=2020-01")  # not offered: this month instead
    assert [str(m) for m in response.context["months"]][:2] == ["2022-06", "2022-05"]
    assert len(response.context["months"]) == 12 and str(response.context["month"]) == "2022-06"
    assert 'value="2021-07"' in response.content.decode()


def test_unbound_talent_is_asked_to_bind_their_identity(client_as, cast_snapshot):
    response = client_as("talent").get("/policies/mine/")
    assert response.status_code == 200 and response.context["state"] == "unbound"
    assert "请先绑定身份" in response.content.decode() and 'href="/accounts/identity/"' in response.content.decode()


def test_unverified_identity_shows_no_one_elses_data(client_as, cast_snapshot):
    client = client_as("talent")
    bind(client.user, ZHANG_WEI.id_number, verified=False)
    response = client.get("/policies/mine/")
    assert response.context["state"] == "unverified" and response.context["result"] is None
    assert "身份尚未通过核验" in response.content.decode()


def test_talent_not_in_the_snapshot_is_told_the_data_has_no_record_yet(client_as, cast_snapshot):
    client = client_as("talent")
    bind(client.user, make_id_number("320612", "20000101", "017"))
    response = client.get("/policies/mine/")
    assert response.context["state"] == "not_found"
    assert "数据中还没有您的记录" in response.content.decode()


def test_doctor_without_work_in_the_city_is_told_which_conditions_fail(client_as, cast_snapshot, in_june_2022):
    client = client_as("talent")
    bind(client.user, LI_NA.id_number)
    result = client.get("/policies/mine/").context["result"]
    living = next(p for p in result.not_entitled if p.policy == "living_subsidy")
    texts = [r.text for r in living.failing]
    # graduated 2024-06: in June 2022 she has no degree yet, as of that month
    assert texts[0] == "有全日制最高学历"
    assert "最高全日制学历：无记录" in living.failing[0].values


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.STAFF, Role.VERIFIER, Role.AUDITOR, Role.ADMIN])
def test_other_roles_are_refused(client_as, role):
    assert client_as(role).get("/policies/mine/").status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/policies/mine/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_talent_navigation_and_home_link_my_policies(client_as):
    page = client_as("talent").get("/talent/").content.decode()
    assert 'href="/policies/mine/"' in page and "我的政策" in page
    assert 'href="/policies/calculator/"' in page
