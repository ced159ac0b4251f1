"""The radar console in Chromium: a staff member starts a screening of the cast's snapshot, watches the
progress bar reach done and reads the totals; drafts a policy version checked as it is typed; explains one
person's result."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from magnet.apps.common.fixtures import PASSWORD, current_totp, make_user
from magnet.apps.common.testing import ZHANG_WEI
from tests.browser.conftest import SHOTS, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_staff(page):
    user = make_user("staff")
    page.goto("/accounts/login/")
    page.fill("#password-login input[name=username]", user.username)
    page.fill("#password-login input[name=password]", PASSWORD)
    page.click("#password-login button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/login/otp/"))
    page.fill("input[name=token]", current_totp(user))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    return user


def test_staff_runs_a_screening_and_sees_progress_reach_done_with_totals(page, cast_snapshot):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_staff(page)
    page.click("nav >> text=政策找人")
    page.wait_for_url("**/console/radar/")
    assert "青年人才生活补贴" in page.content()
    shot(page, "radar-console-index")
    page.click("text=新建筛查")
    page.wait_for_url("**/console/radar/runs/")
    page.fill("input[name=month]", "2022-06")
    page.press("input[name=month]", "Tab")  # the change asks which policies this snapshot can serve
    page.wait_for_selector("#policies >> text=快照缺少 property")
    assert page.is_checked("input[value=living_subsidy]") and not page.is_checked("input[value=rent_subsidy]")
    shot(page, "radar-console-new-run")
    page.click("#run-form button[type=submit]")
    page.wait_for_url(re.compile(r"/console/radar/runs/[0-9a-f-]{36}/$"))
    assert page.locator("progress.bar").count() == 1
    assert "排队中" in page.locator("#run-status").inner_text()
    # What `db_worker` does in production, here once, while the page polls.
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "default", verbosity=0)
    page.wait_for_selector("#totals", timeout=20000)
    assert page.locator("progress.bar").get_attribute("value") == "100"
    assert "已完成" in page.locator("#run-status").inner_text()
    totals = page.locator("#totals").inner_text()
    assert "青年人才生活补贴" in totals and "320613" in totals and "800.00" in totals
    results = page.locator("#results-table").inner_text()
    assert "3206**********" in results and ZHANG_WEI.id_number not in page.content()
    shot(page, "radar-console-run-done")
    page.click("#results-table >> text=说明")
    page.wait_for_selector("#explanation")
    assert "under the age limit on the first day of the month" in page.content()
    shot(page, "radar-console-explanation")
    page.locator("#policy-living_subsidy").screenshot(path=str(SHOTS / "radar-console-explanation-living.png"))


def test_staff_drafts_a_version_and_sees_the_problem_as_they_type(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_staff(page)
    page.goto("/console/radar/books/demo/living_subsidy/draft/")
    page.wait_for_selector("#validation >> text=测试用例全部通过")
    editor = page.locator("textarea[name=text]")
    text = editor.input_value().replace("when: highest_degree is not null", "when: highest_degre is not null")
    editor.fill(text)
    editor.press("End")  # a keyup: the check runs half a second after typing stops
    page.wait_for_selector("#validation .problems")
    assert "did you mean 'highest_degree'" in page.locator("#validation").inner_text()
    shot(page, "radar-console-draft-problem")
    editor.fill(text.replace("highest_degre is", "highest_degree is"))
    editor.press("End")
    page.wait_for_selector("#validation >> text=测试用例全部通过")
    page.fill("input[name=note]", "核对条件写法")
    page.click("#draft-form button[type=submit]")
    page.wait_for_url(re.compile(r"/console/radar/versions/\d+/$"))
    assert "提交审批" in page.content() and "核对条件写法" in page.content()
    shot(page, "radar-console-version")


def test_staff_tries_a_draft_against_the_published_book(page, tmp_path):
    from magnet.apps.radar import selectors, services
    from magnet.apps.radar.tests.radar_cast import load, replaced, write_radar_snapshot

    load(write_radar_snapshot(tmp_path / "radar-cast"))
    text = replaced(selectors.repository_files("demo")["living_subsidy.yaml"], ("value: 800,", "value: 1000,"),
                    ("value: 60,", "value: 12,"))  # fmt: skip
    draft = services.policy_version_save(actor=make_user("staff", username="staff.author"), book="demo",
                                         policy="living_subsidy", text=text)  # fmt: skip
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_staff(page)
    page.goto(f"/console/radar/versions/{draft.pk}/")
    page.fill("#whatif input[name=month]", "2022-06")
    page.click("#whatif button[type=submit]")
    page.wait_for_url(re.compile(r"/console/radar/runs/[0-9a-f-]{36}/$"))
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "default", verbosity=0)
    page.wait_for_selector("#whatif-summary", timeout=20000)
    summary = page.locator("#whatif-summary").inner_text()
    assert "200.00" in summary and "1,500.00" in summary
    shot(page, "radar-console-whatif")
    page.click("text=查看受影响的人员")
    page.wait_for_selector("#changes")
    assert "3206**********" in page.locator("#changes").inner_text()
    shot(page, "radar-console-whatif-people")
