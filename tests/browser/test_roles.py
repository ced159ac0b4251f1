"""Each role signs in through the real pages in Chromium and reaches its home page."""

from __future__ import annotations

import re

import pytest

from magnet.apps.accounts import sms
from magnet.apps.accounts.models import Role
from magnet.apps.common.fixtures import PASSWORD, current_totp, make_user
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_TEXT = {
    Role.ENTERPRISE: "企业信息",
    Role.STAFF: "人社局工作台",
    Role.VERIFIER: "测试网点",
    Role.AUDITOR: "审计日志",
    Role.ADMIN: "人社局工作台",
}


@pytest.mark.parametrize("role", list(HOME_TEXT))
def test_password_roles_sign_in_and_reach_their_home(page, role):
    user = make_user(role)
    page.goto("/accounts/login/")
    page.fill("#password-login input[name=username]", user.username)
    page.fill("#password-login input[name=password]", PASSWORD)
    page.click("#password-login button[type=submit]")
    if role in {Role.STAFF, Role.AUDITOR, Role.ADMIN}:
        page.wait_for_url(re.compile(r"/accounts/login/otp/"))
        page.fill("input[name=token]", current_totp(user))
        page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert HOME_TEXT[role] in page.content()
    shot(page, f"home-{role}")


def test_talent_signs_in_with_an_sms_code(page, cast_snapshot):
    from magnet.apps.common.testing import ZHANG_WEI

    page.goto("/accounts/login/")
    shot(page, "login")
    page.fill("#talent-login input[name=phone]", ZHANG_WEI.phone)
    page.click("#send-code")
    page.wait_for_selector("#sms-status .msg")
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    page.fill("#talent-login input[name=code]", code)
    page.click("#talent-login button[type=submit]")
    page.wait_for_url(re.compile(r"/talent/"))
    assert "未绑定身份" in page.content()
    page.click("text=绑定身份证号")
    page.fill("input[name=id_number]", ZHANG_WEI.id_number)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/talent/"))
    assert "已核验" in page.content()
    assert ZHANG_WEI.id_number not in page.content()
    shot(page, "home-talent")


def test_talent_picks_a_major_from_the_catalogue(page):
    user = make_user(Role.TALENT)
    sms_phone = user.phone_plain()
    page.goto("/accounts/login/")
    page.fill("#talent-login input[name=phone]", sms_phone)
    page.click("#send-code")
    page.wait_for_selector("#sms-status .msg")
    page.fill("#talent-login input[name=code]", re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1))
    page.click("#talent-login button[type=submit]")
    page.wait_for_url(re.compile(r"/talent/"))
    page.fill("#q-university", "南京大学")
    page.click("#opts-university button:has-text('南京大学') >> nth=0")  # waits for the search's answer
    page.fill("#q-major", "计算机科学")
    page.click("#opts-major button:has-text('计算机科学与技术') >> nth=0")
    page.fill("input[name=graduation_date]", "2021-06-30")
    page.click("#education button[type=submit]")
    page.wait_for_selector("text=计算机科学与技术（080901）")
    assert "计算机科学与技术（080901）" in page.content()
    shot(page, "talent-education")


@pytest.mark.parametrize("role, forbidden", [(Role.TALENT, "/console/"), (Role.ENTERPRISE, "/console/audit/"),
                                             (Role.VERIFIER, "/talent/")])
def test_other_roles_pages_are_refused_in_the_browser(page, role, forbidden):
    user = make_user(role)
    if role == Role.TALENT:
        page.goto("/accounts/login/")
        page.fill("#talent-login input[name=phone]", user.phone_plain())
        page.click("#send-code")
        page.wait_for_selector("#sms-status .msg")
        page.fill("#talent-login input[name=code]", re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1))
        page.click("#talent-login button[type=submit]")
    else:
        page.goto("/accounts/login/")
        page.fill("#password-login input[name=username]", user.username)
        page.fill("#password-login input[name=password]", PASSWORD)
        page.click("#password-login button[type=submit]")
    page.wait_for_load_state("networkidle")
    response = page.goto(forbidden)
    assert response.status == 403
    assert "无权访问" in page.content()


def test_language_switch_to_english(page):
    page.goto("/")
    page.click("button[name=language]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "landing-en")
