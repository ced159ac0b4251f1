"""The talent map in Chromium: a staff member opens 引才图谱 from the menu over a small generated city with
its key enterprises' demand reports, reads the chains' chart, and opens one chain: its majors with supply,
demand and gap, its chart, and the universities to visit first."""

from __future__ import annotations

import re

import pytest

from magnet.apps.common.fixtures import PASSWORD, current_totp, make_user
from tests.browser.conftest import SHOTS, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(tmp_path):
    from magnet.apps.feeds.services import snapshot_load
    from magnet.apps.talentmap.demo import demand_demo_seed
    from magnet.core import democity

    democity.generate(tmp_path / "city", persons=1500, seed=5)
    snapshot, _ = snapshot_load(src_dir=tmp_path / "city")
    assert demand_demo_seed(snapshot=snapshot, seed=5, months=2) > 0
    return snapshot


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


def test_staff_reads_the_talent_map_and_one_chain(page, demo_city):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_staff(page)
    page.click("nav >> text=引才图谱")
    page.wait_for_url("**/console/talentmap/")
    chart = page.locator("#chains-chart svg")
    assert chart.count() == 1 and chart.locator("rect").count() >= 12
    table = page.locator("#chains").inner_text()
    for name in ["船舶海工", "高端纺织", "新材料", "新一代信息技术", "航空航天", "海洋经济"]:
        assert name in table
    assert "缺口 = 需求 − 供给" in page.content()
    shot(page, "talentmap-index")
    page.click("#chains >> text=船舶海工")
    page.wait_for_url("**/console/talentmap/chains/shipbuilding_offshore/")
    majors = page.locator("#majors").inner_text()
    assert "海洋工程类" in majors and "机械类" in majors
    assert int(page.locator("#demand-total").inner_text()) > 0
    assert page.locator("#majors-chart svg rect").count() >= 10
    universities = page.locator("#universities tbody tr")
    assert universities.count() >= 5 and "双一流" in universities.first.inner_text()
    shot(page, "talentmap-chain-shipbuilding")
    page.locator("#majors-chart").screenshot(path=str(SHOTS / "talentmap-chain-chart.png"))
    page.set_viewport_size({"width": 412, "height": 900})
    shot(page, "talentmap-chain-shipbuilding-mobile")


def test_enterprise_files_a_report_and_the_public_reads_the_published_catalogue(page, browser, live_server):
    from magnet.apps.talentmap import services

    user = make_user("enterprise")
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto("/accounts/login/")
    page.fill("#password-login input[name=username]", user.username)
    page.fill("#password-login input[name=password]", PASSWORD)
    page.click("#password-login button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click("nav >> text=用工需求")
    page.click("main a.button >> nth=0")
    page.fill("input[name=lines-0-occupation_code]", "2-02-10-03")
    page.fill("input[name=lines-0-occupation_name]", "软件工程师")
    page.fill("input[name=lines-0-major_code]", "080901")
    page.fill("input[name=lines-0-count]", "-2")
    page.click("button[name=add_line]")
    page.wait_for_selector("#line-2")
    page.fill("input[name=lines-1-occupation_code]", "6-18-02-04")
    page.fill("input[name=lines-1-occupation_name]", "船体装配工")
    page.fill("input[name=lines-1-major_code]", "0819")
    page.select_option("select[name=lines-1-degree]", "associate")
    page.fill("input[name=lines-1-count]", "12")
    page.select_option("select[name=lines-1-urgency]", "very_urgent")
    page.click("#report-form button[type=submit]:not([name])")
    page.wait_for_selector("#line-1 .has-error")
    assert "需求人数应为正整数" in page.locator("#line-1").inner_text()
    shot(page, "talentmap-report-refused")
    page.fill("input[name=lines-0-count]", "5")
    page.click("#report-form button[type=submit]:not([name])")
    page.wait_for_selector("#lines")
    assert "船体装配工" in page.locator("#lines").inner_text()
    shot(page, "talentmap-report-filed")
    today = services.timezone.localdate()
    catalogue = services.demand_catalogue_publish(
        year=today.year, quarter=(today.month - 1) // 3 + 1, actor=make_user("staff")
    )
    anonymous = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 412, "height": 900})
    public = anonymous.new_page()
    public.goto("/")
    public.click("text=人才需求目录")
    public.click(f"text={catalogue.label}")
    public.wait_for_selector("#catalogue")
    assert "急需紧缺" in public.locator("#catalogue").inner_text()
    shot(public, "talentmap-public-catalogue")
    anonymous.close()
