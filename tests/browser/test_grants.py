"""Grants in Chromium: Zhang Wei adds a payee account in his own name (another name is refused at the field)
and confirms a grant; a batch goes from assembly (staff A) to approval (staff B), export, a simulated bank
return and reconciliation. The public publicity list shows masked identity numbers only."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from magnet.apps.accounts.models import IdentityStatus, User
from magnet.apps.common.fixtures import PASSWORD, current_totp, make_user
from magnet.apps.common.pii import cipher, id_number_index
from magnet.apps.common.testing import ZHANG_WEI
from magnet.apps.grants import services
from magnet.apps.grants.models import Grant, PaymentBatch
from magnet.apps.grants.tests.test_lifecycle import ACCOUNT, bound_talent, to_approved
from magnet.apps.radar import services as radar
from magnet.apps.radar.tests.radar_cast import EXTRA, MONTH, load, write_radar_snapshot
from magnet.core.feeds.checks import mask_id_number_public
from tests.browser.conftest import shot
from tests.browser.test_talent_code_page import sign_in_by_sms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def people(flushable_audit):
    return {name: make_user("staff", username=name) for name in ("maker", "checker")}


@pytest.fixture
def run(tmp_path, people):
    snapshot = load(write_radar_snapshot(tmp_path / "radar-cast"))
    started = radar.radar_run_start(actor=people["maker"], snapshot=snapshot, month=MONTH)
    radar.radar_run_perform(run_id=str(started.pk))
    started.refresh_from_db()
    return started


def sign_in_staff(page, user) -> None:
    page.goto("/accounts/login/")
    page.fill("#password-login input[name=username]", user.username)
    page.fill("#password-login input[name=password]", PASSWORD)
    page.click("#password-login button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/login/otp/"))
    page.fill("input[name=token]", current_totp(user))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_talent_adds_a_payee_account_and_confirms_a_grant(page, run, people):
    cache.clear()  # the live server shares this process's cache (SMS rate limits)
    services.grants_from_run(run, actor=people["maker"])
    # the cast's entitlements are all 免申即享: here the living subsidy needs the person's confirmation
    Grant.objects.filter(policy="living_subsidy").update(mode="confirm")
    services.notify_matched(actor=people["maker"])
    sign_in_by_sms(page, ZHANG_WEI.phone)
    user = User.objects.get(phone_index__isnull=False)
    user.id_number_cipher = cipher().encrypt(ZHANG_WEI.id_number, context="id_number")
    user.id_number_index = id_number_index(ZHANG_WEI.id_number)
    user.identity_status = IdentityStatus.VERIFIED
    user.save()

    page.click("nav >> text=我的补贴")
    page.wait_for_url("**/grants/")
    living = Grant.objects.get(person_index=user.id_number_index, policy="living_subsidy")
    card = page.locator(f"#g{living.pk}")
    assert "青年人才生活补贴" in card.inner_text() and "已通知" in card.inner_text()
    assert "请先填写本人名下的收款账户" in card.inner_text()
    shot(page, "grants-talent-notified")

    page.fill("#id_account_name", "李四")
    page.fill("#id_account_number", ACCOUNT)
    page.select_option("#id_bank_code", "ICBC")
    page.click("#account-form button[type=submit]")
    page.wait_for_selector("#id_account_name-errors")
    assert "户名须与本人姓名一致" in page.locator("#id_account_name-errors").inner_text()
    page.locator("#account").scroll_into_view_if_needed()
    shot(page, "grants-talent-account-refused")

    page.fill("#id_account_name", ZHANG_WEI.name)
    page.fill("#id_account_number", ACCOUNT)
    page.click("#account-form button[type=submit]")
    page.wait_for_selector("#account-current")
    assert "6222****3445" in page.locator("#account-current").inner_text()
    page.click(f"#confirm-{living.pk}")
    page.wait_for_selector(".msg.success")
    assert "已确认" in page.locator(f"#g{living.pk}").inner_text()
    living.refresh_from_db()
    assert living.status == Grant.Status.CONFIRMED
    assert ZHANG_WEI.id_number not in page.content() and ACCOUNT not in page.content()
    shot(page, "grants-talent-confirmed")
    page.set_viewport_size(WIDE)
    shot(page, "grants-talent-confirmed-wide")


def test_a_batch_goes_from_assembly_to_approval_export_simulated_return_and_reconciled(page, browser, live_server,
                                                                                        run, people):  # fmt: skip
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    to_approved(people)

    page.set_viewport_size(WIDE)
    sign_in_staff(page, people["maker"])
    page.click("nav >> text=补贴发放")
    page.wait_for_url("**/console/grants/")
    shot(page, "grants-console-dashboard")
    page.click(".subnav >> text=发放批次")
    page.wait_for_url("**/console/grants/batches/")
    shot(page, "grants-console-batches")
    page.click("#assemble-form button[type=submit]")
    page.wait_for_url(re.compile(r"/console/grants/batches/\d+/$"))
    batch = PaymentBatch.objects.get()
    assert "待审批" in page.locator("#batch-status").inner_text()
    assert page.locator("#maker-note").is_visible() and page.locator("#approve").count() == 0
    lines = page.locator("#lines").inner_text()
    assert "3206**********" in lines and ZHANG_WEI.id_number not in page.content()
    shot(page, "grants-console-batch-assembled")

    checker = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=WIDE)
    other = checker.new_page()
    other.set_default_timeout(15000)
    try:
        sign_in_staff(other, people["checker"])
        other.goto(f"/console/grants/batches/{batch.pk}/")
        other.click("#approve")
        other.wait_for_selector(".msg.success")
        assert "已审批" in other.locator("#batch-status").inner_text()
        with other.expect_download() as download:
            other.click("#export")
        assert download.value.suggested_filename == f"magnet-batch-{batch.pk}.csv"
        other.reload()
        assert "已导出" in other.locator("#batch-status").inner_text()
        assert "仅用于开发和演示" in other.locator("#simulate-form").inner_text()
        shot(other, "grants-console-batch-exported")
        other.fill("#simulate-form input[name=fail]", "1")
        other.click("#simulate")
        other.wait_for_selector(".msg.success")
        assert "模拟回盘已导入" in other.locator(".msg.success").inner_text()
        assert "已对账" in other.locator("#batch-status").inner_text()
        reconciliation = other.locator("#reconciliation").inner_text()
        assert "已付" in reconciliation and "失败" in reconciliation
        shot(other, "grants-console-batch-reconciled")
        batch.refresh_from_db()
        assert batch.status == PaymentBatch.Status.RECONCILED
        other.goto("/console/grants/")
        assert "全部重新发放" in other.content()
        shot(other, "grants-console-dashboard-failed")
        other.goto("/console/grants/ledger/")
        shot(other, "grants-console-ledger")
        other.goto("/console/grants/budget/")
        assert "青年人才生活补贴" in other.locator("#budget").inner_text()
        shot(other, "grants-console-budget")
        appeal = services.appeal_file(zhang, policy="rent_subsidy", period=MONTH, text="我名下没有住房，请复核租房补贴")
        other.goto(f"/console/grants/appeals/{appeal.pk}/")
        other.wait_for_selector("#explanation")
        assert ZHANG_WEI.id_number not in other.content()
        shot(other, "grants-console-appeal")
    finally:
        checker.close()


def test_the_public_publicity_list_shows_masked_identity_numbers(page, run, people):
    cache.clear()
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    services.notify_matched(actor=people["maker"])
    services.publicity_start(actor=people["maker"])
    page.goto("/grants/publicity/")
    page.wait_for_selector(".publicity-list")
    html = page.content()
    assert mask_id_number_public(ZHANG_WEI.id_number) in html
    for persona in [ZHANG_WEI, *EXTRA]:
        assert persona.id_number not in html and persona.name not in html
    shot(page, "grants-publicity")
    page.locator("details.objection summary").first.click()
    page.locator("details.objection[open] textarea").fill("此人已离开本市工作")
    shot(page, "grants-publicity-objection-form")
    page.locator("details.objection[open] button[type=submit]").click()
    page.wait_for_selector(".msg.success")
    shot(page, "grants-publicity-objection")
    page.set_viewport_size(WIDE)
    shot(page, "grants-publicity-wide")
