"""Jobs in Chromium, the whole way: the shipyard's HR posts a job (first with a pay range the form refuses),
Zhang Wei finds it among his recommended jobs with the score in words and applies, and the HR opens the
application, invites him to an interview and writes to him; he sees the new status and the message."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from magnet.apps.accounts import sms
from magnet.apps.common.fixtures import PASSWORD, make_user
from magnet.apps.common.testing import ZHANG_WEI
from magnet.apps.matching import engine
from magnet.apps.matching.models import Application, Job
from magnet.apps.matching.tests.matching_cast import zhang_wei
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_password(page, user) -> None:
    page.goto("/accounts/login/")
    page.fill("#password-login input[name=username]", user.username)
    page.fill("#password-login input[name=password]", PASSWORD)
    page.click("#password-login button[type=submit]")
    page.wait_for_url(re.compile(r"/enterprise/"))


def sign_in_with_sms(page, phone: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#talent-login input[name=phone]", phone)
    page.click("#send-code")
    page.wait_for_selector("#sms-status .msg")
    page.fill("#talent-login input[name=code]", re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1))
    page.click("#talent-login button[type=submit]")
    page.wait_for_url(re.compile(r"/talent/"))


def fill_posting(page, *, pay_min: str, pay_max: str) -> None:
    page.fill("input[name=title]", "Java后端开发工程师")
    page.fill(
        "textarea[name=description]",
        "负责船厂生产管理系统的后端开发，编写接口文档和单元测试。欢迎应届毕业生，提供人才公寓。",
    )
    page.fill("input[name=skills]", "Java、SQL、Spring Boot")
    page.fill("#q-majors", "计算机")
    page.click("#opts-majors button:has-text('计算机类（专业类）')")
    page.wait_for_selector("#majors-chosen input[value='0809']", state="attached")
    page.select_option("select[name=min_degree]", "bachelor")
    page.fill("#q-adcode", "崇川")
    page.click("#opts-adcode button >> nth=0")
    page.wait_for_selector("#pick-adcode input[name=adcode]", state="attached")
    page.fill("input[name=pay_min]", pay_min)
    page.fill("input[name=pay_max]", pay_max)
    page.fill("input[name=headcount]", "2")
    page.fill("input[name=deadline]", (timezone.localdate() + dt.timedelta(days=30)).isoformat())


def test_post_find_apply_and_invite_to_interview(page, browser, live_server, cast_snapshot):
    engine.holder.reset()  # the index of an earlier test's database must not leak into this one
    hr = make_user("enterprise", display_name="船厂人事 陈静")
    zhang_wei(phone=ZHANG_WEI.phone)

    # The HR posts the job; a pay range upside down is refused next to its field.
    sign_in_with_password(page, hr)
    page.click("nav.nav >> text=岗位管理")
    page.click("#new-job")
    fill_posting(page, pay_min="15000", pay_max="9000")
    page.click("#publish")
    page.wait_for_selector("#id_pay_max_error")
    assert "月薪上限不能低于下限" in page.locator("#id_pay_max_error").inner_text()
    assert page.locator("#majors-chosen input[value='0809']").is_checked()  # the chosen major is kept
    shot(page, "matching-post-refused")
    page.fill("input[name=pay_min]", "9000")
    page.fill("input[name=pay_max]", "15000")
    shot(page, "matching-post-form")
    # Leave the number field first: Chromium driven over CDP scrolls back to a focused field it had
    # revealed when that field blurs on the button's mousedown, and the click would land beside the button.
    page.locator("input[name=pay_max]").blur()
    page.click("#publish")
    page.wait_for_selector("#job-status")
    assert "招聘中" in page.locator("#job-status").inner_text()
    job = Job.objects.get()
    assert job.chain == "shipbuilding_offshore" and job.majors == ["0809"]
    shot(page, "matching-posted")
    page.click("#candidates-link")  # he opted in: the shipyard finds him, under a masked name
    page.wait_for_selector("#candidates .candidate")
    assert "张*" in page.locator("#candidates").inner_text() and "张伟" not in page.content()
    shot(page, "matching-candidates")

    # Zhang Wei finds it first among his recommended jobs, with the score in words, and applies.
    talent_context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 412, "height": 900}
    )
    talent = talent_context.new_page()
    talent.set_default_timeout(15000)
    sign_in_with_sms(talent, ZHANG_WEI.phone)
    talent.click("nav.nav >> text=岗位推荐")
    talent.wait_for_selector(f"#job-{job.pk}")
    card = talent.locator("#results .job-card").first
    assert "Java后端开发工程师" in card.inner_text() and "计算机" in card.locator(".score-parts").inner_text()
    shot(talent, "matching-recommended")
    card.locator("h3 a").click()
    talent.fill("textarea[name=note]", "我熟悉Java和SQL，希望加入贵公司。")
    shot(talent, "matching-job")
    talent.click("#apply-button")
    talent.wait_for_selector("#application-status")
    assert "已投递" in talent.locator("#application-status").inner_text()
    shot(talent, "matching-applied")

    # The HR sees the application, opens it, invites him to an interview and writes to him.
    page.click("nav.nav >> text=候选人/申请")
    page.click("#applications a:has-text('张伟')")
    page.wait_for_selector("#moves")
    assert "南京大学" in page.locator("#talent").inner_text()
    page.click("#move-interview")
    page.wait_for_selector("#application-status")
    assert "邀请面试" in page.locator("#application-status").inner_text()
    page.fill("#conversation textarea[name=text]", "请于下周一上午十点到崇川区总部三楼面试。")
    page.click("#send-message")
    page.wait_for_selector("#conversation .chat li")
    shot(page, "matching-interview")
    assert Application.objects.get().status == "interview"

    # Zhang Wei is told: the unread count in the menu, the status and the message on his application.
    talent.goto("/jobs/applications/")
    assert "邀请面试" in talent.locator("#applications").inner_text()
    assert re.search(r"消息 \(\d+\)", talent.locator("nav.nav").inner_text())
    talent.click("#applications a")
    assert "总部三楼" in talent.locator("#conversation").inner_text()
    shot(talent, "matching-talent-sees-interview")
    talent_context.close()


def test_a_discriminatory_posting_goes_to_the_moderation_queue_and_back(page, browser, live_server, cast_snapshot):
    from magnet.apps.common.fixtures import current_totp
    from magnet.apps.matching import services
    from magnet.apps.matching.tests.matching_cast import job_data

    engine.holder.reset()
    hr = make_user("enterprise")
    job = services.job_save(
        actor=hr, data=job_data(title="焊接技术员", description="负责船体焊接。限男性，35岁以下，本地户口。")
    )
    services.job_publish(job=job, actor=hr)
    staff = make_user("staff")
    page.goto("/accounts/login/")
    page.fill("#password-login input[name=username]", staff.username)
    page.fill("#password-login input[name=password]", PASSWORD)
    page.click("#password-login button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/login/otp/"))
    page.fill("input[name=token]", current_totp(staff))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/console/"))
    page.click("nav.nav >> text=岗位审核")
    assert "限男性" in page.locator("#queue").inner_text()
    shot(page, "matching-moderation-queue")
    page.click("#queue a")
    assert page.locator(".flagged-text mark").count() == 3
    page.fill("textarea[name=note]", "请删去性别、年龄和户籍要求后重新发布。")
    shot(page, "matching-moderation-review")
    page.click("#reject")
    page.wait_for_url(re.compile(r"/console/jobs/$"))
    job.refresh_from_db()
    assert job.status == "draft" and "性别" in job.review_note
