"""Zhang Wei signs in with an SMS code, opens "my talent code" from the menu and sees the QR code with his
tier and services; a minute later the page has fetched a new code by itself."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from magnet.apps.accounts import sms
from magnet.apps.accounts.models import IdentityStatus, User
from magnet.apps.common.pii import cipher, id_number_index
from magnet.apps.common.testing import ZHANG_WEI
from magnet.apps.talentcode.models import Service
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_by_sms(page, phone: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#talent-login input[name=phone]", phone)
    page.click("#send-code")
    page.wait_for_selector("#sms-status .msg")
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    page.fill("#talent-login input[name=code]", code)
    page.click("#talent-login button[type=submit]")
    page.wait_for_url(re.compile(r"/talent/"))


def test_bound_talent_sees_the_qr_code_the_tier_and_the_services(page, cast_snapshot):
    cache.clear()  # the live server shares this process's cache
    Service.objects.create(key="bus", name="公交免费乘车", kind="transport", tiers=list("ABCDE"), daily_limit=2)
    Service.objects.create(key="library", name="图书馆", kind="culture", tiers=["C", "D", "E"], daily_limit=5)
    Service.objects.create(key="gym", name="健身馆", kind="sport", tiers=["A", "B"])
    page.clock.install()  # htmx's "every 60s" runs on the page's clock, moved forward below
    sign_in_by_sms(page, ZHANG_WEI.phone)
    user = User.objects.get(phone_index__isnull=False)
    user.id_number_cipher = cipher().encrypt(ZHANG_WEI.id_number, context="id_number")
    user.id_number_index = id_number_index(ZHANG_WEI.id_number)
    user.identity_status = IdentityStatus.VERIFIED
    user.save()

    page.click("nav >> text=我的人才码")
    page.wait_for_url("**/talent-code/mine/")
    qr = page.locator("#talent-code svg.qr")
    qr.wait_for()
    box = qr.bounding_box()
    assert box["width"] >= 200 and abs(box["width"] - box["height"]) < 1  # big enough to scan, square
    assert "C 类人才" in page.locator("#talent-code").inner_text()
    assert "双一流高校全日制本科，或技师" in page.locator("#tier").inner_text()
    services = page.locator("#services").inner_text()
    assert "公交免费乘车" in services and "每日 2 次" in services and "健身馆" not in services
    assert ZHANG_WEI.id_number not in page.content()
    shot(page, "talent-code-mine")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "talent-code-mine-wide")

    first = page.locator("#talent-code path").last.get_attribute("d")
    with page.expect_response(re.compile(r"/talent-code/mine/code/$")):
        page.clock.fast_forward("01:01")
    page.wait_for_function(
        "d => document.querySelector('#talent-code path:last-of-type').getAttribute('d') !== d", arg=first
    )
    assert page.locator("#talent-code svg.qr").count() == 1
