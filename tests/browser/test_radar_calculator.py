"""The public policy calculator in Chromium: a master from a chosen school works in the city and sees,
month by month, what the city would pay, without signing in."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anyone_fills_the_calculator_and_sees_the_monthly_table(page):
    cache.clear()  # the live server shares this process's cache: no rate-limit count left by other tests
    page.goto("/")
    page.click("text=政策计算器")
    page.wait_for_url("**/policies/calculator/")
    page.select_option("select[name=degree]", "master")
    page.fill("#q-school", "南通大学")
    page.click("#opts-school button >> nth=0")
    page.wait_for_selector("#pick-school input[name=school]", state="attached")
    page.fill("#q-major", "计算机科学")
    page.click("#opts-major button >> nth=0")
    page.wait_for_selector("#pick-major input[name=major]", state="attached")
    assert page.locator("#opts-school li").count() == 0  # the options close once one is chosen
    page.fill("input[name=graduation_date]", "2025-06-30")
    page.fill("input[name=birth_date]", "1999-03-01")
    page.select_option("select[name=district]", "320613")
    page.fill("input[name=start_month]", "2025-07")
    shot(page, "radar-calculator-form")
    page.click("#calculate")
    page.wait_for_selector("#monthly")
    rows = page.locator("#monthly tbody tr")
    assert rows.count() == 36
    assert rows.first.inner_text().split() == ["2025-07", "1,500.00", "800.00", "2,300.00"]
    assert "82,800.00" in page.locator("#totals").inner_text()
    assert "当月在任何地方均无职工社保" in page.content()
    assert page.locator("#pick-school input[name=school]").count() == 1  # the school is kept with the answers
    shot(page, "radar-calculator-result")


def test_a_wrong_answer_is_shown_next_to_its_field(page):
    cache.clear()
    page.goto("/policies/calculator/")
    page.fill("input[name=graduation_date]", "1990-06-30")
    page.fill("input[name=birth_date]", "1999-03-01")
    page.select_option("select[name=district]", "320612")
    page.click("#calculate")
    page.wait_for_selector("#id_graduation_date-errors")
    assert "毕业日期早于15周岁生日" in page.locator("#id_graduation_date-errors").inner_text()
    assert page.locator("#result").count() == 0
    shot(page, "radar-calculator-errors")
