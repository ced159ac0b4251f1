"""The public policy calculator: a situation becomes a one-person snapshot screened by the radar itself.

Amounts are those of shared/spec/policy-book.md: a master is paid 1500 (living) and 800 (rent) a month for
36 months from arrival; a first home in the city stops the rent subsidy from its month and is paid 2.5% of
the price once, capped at 80,000 for a master, if insured in the city 6 of the last 12 months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache

from magnet.apps.radar import views_talent
from magnet.apps.radar.calculator import CalculatorForm, calculate, register_situation
from magnet.apps.radar.selectors import published_book
from magnet.core.radar import Month, connect, screen
from magnet.core.radar.hypothetical import Situation

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 10)
MASTER = Situation(
    birth_date=dt.date(1999, 3, 1),
    horizon=dt.date(2028, 6, 1),
    gender="F",
    degree="master",
    graduation_date=dt.date(2025, 6, 30),
    work_adcode="320613",
    work_from=dt.date(2025, 7, 1),
)
ANSWERS = {
    "degree": "master", "full_time": "on", "graduation_date": "2025-06-30", "birth_date": "1999-03-01",
    "gender": "F", "employment": "employee", "district": "320613", "start_month": "2025-07", "monthly_base": "6000",
}  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    cache.clear()  # rate-limit counters and remembered results
    monkeypatch.setattr(views_talent, "today", lambda: TODAY)
    yield
    cache.clear()


def demo_book(month: Month):
    return published_book("demo", month)


def by_policy(projection) -> dict[str, tuple[int, Decimal]]:
    return {o.policy: (o.months, o.total) for o in projection.paid}


def test_a_master_working_in_the_city_gets_living_and_rent_subsidies_for_36_months():
    projection = calculate(MASTER, Month(2025, 7), book_for=demo_book)
    assert [str(m) for m in (projection.months[0], projection.months[-1])] == ["2025-07", "2028-06"]
    assert by_policy(projection) == {
        "living_subsidy": (36, Decimal("54000.00")),
        "rent_subsidy": (36, Decimal("28800.00")),
    }
    assert {(p.policy, p.amount) for p in projection.payments} == {
        ("living_subsidy", Decimal("1500.00")),
        ("rent_subsidy", Decimal("800.00")),
    }
    assert projection.total == Decimal("82800.00")
    assert all(row["total"] == Decimal("2300.00") for row in projection.table())
    living = next(o for o in projection.paid if o.policy == "living_subsidy")
    assert living.explained_month == Month(2025, 7) and all(r.passed for r in living.explained.reasons)
    never = {o.policy: o for o in projection.never_paid}
    assert set(never) == {"purchase_subsidy", "flexible_insurance_subsidy", "skill_subsidy", "startup_subsidy"}
    flexible = [r.text for r in never["flexible_insurance_subsidy"].explained.failing]
    assert "当月在任何地方均无职工社保" in flexible


def test_a_home_stops_the_rent_subsidy_and_adds_a_purchase_subsidy_of_two_and_a_half_percent():
    bought = Situation(**{**MASTER.__dict__, "home_adcode": "320612", "home_contract_date": dt.date(2026, 3, 15),
                          "home_price": Decimal("1234567.30")})  # fmt: skip
    projection = calculate(bought, Month(2025, 7), book_for=demo_book)
    assert by_policy(projection) == {
        "living_subsidy": (36, Decimal("54000.00")),
        "rent_subsidy": (8, Decimal("6400.00")),  # 2025-07 … 2026-02: from March 2026 a home is held
        "purchase_subsidy": (1, Decimal("30864.18")),  # 1,234,567.30 × 2.5% = 30,864.1825, half up
    }
    purchase = next(o for o in projection.paid if o.policy == "purchase_subsidy")
    assert purchase.first == Month(2026, 3) and purchase.mode_label == "需确认"
    rent = next(o for o in projection.paid if o.policy == "rent_subsidy")
    assert rent.last == Month(2026, 2)


def test_the_calculator_agrees_with_a_screening_of_the_same_one_person_snapshot_every_month():
    situation = Situation(**{**MASTER.__dict__, "home_adcode": "320612", "home_contract_date": dt.date(2026, 3, 15),
                             "home_price": Decimal("1234567.30"), "skill_level": 2,
                             "skill_issued": dt.date(2025, 11, 20)})  # fmt: skip
    projection = calculate(situation, Month(2025, 7), book_for=demo_book)
    con = connect()
    register_situation(con, situation)
    screened = set()
    for m in projection.months:
        screened |= {
            (r["policy"], Month.parse(r["period"]), r["amount"]) for r in screen(con, demo_book(m), m).to_pylist()
        }
    assert {(p.policy, p.month, p.amount) for p in projection.payments} == screened
    assert ("skill_subsidy", Month(2025, 11), Decimal("3000.00")) in screened


def test_the_purchase_subsidy_is_capped_by_degree():
    bought = Situation(**{**MASTER.__dict__, "home_adcode": "320612", "home_contract_date": dt.date(2026, 3, 15),
                          "home_price": Decimal("4000000")})  # fmt: skip
    projection = calculate(bought, Month(2026, 3), book_for=demo_book, count=1)
    assert by_policy(projection)["purchase_subsidy"] == (1, Decimal("80000.00"))  # not 100,000


def test_a_home_bought_too_soon_says_which_condition_fails():
    bought = Situation(**{**MASTER.__dict__, "home_adcode": "320612", "home_contract_date": dt.date(2025, 9, 1),
                          "home_price": Decimal("1000000")})  # fmt: skip
    projection = calculate(bought, Month(2025, 7), book_for=demo_book, count=6)
    purchase = next(o for o in projection.never_paid if o.policy == "purchase_subsidy")
    assert purchase.explained_month == Month(2025, 9)  # the month of the contract, not the first month
    [insured] = purchase.explained.failing
    assert insured.text == "近12个月中至少6个月在本市参加职工社保"
    assert "期间内在本市参加职工社保的月数（2024-10 至 2025-09）：3" in insured.values


def test_the_form_gives_the_engine_the_situation_and_the_school_decides_double_first_class():
    from magnet.apps.reference.models import University

    nju = University.objects.get(name="南京大学")
    form = CalculatorForm({**ANSWERS, "degree": "bachelor", "school": nju.school_id10, "major": "080901"},
                          today=TODAY)  # fmt: skip
    assert form.is_valid(), form.errors
    s = form.situation
    assert s.double_first_class and s.school_code == nju.school_id10 and s.major_name == "计算机科学与技术"
    assert (s.work_adcode, s.work_from, s.horizon) == ("320613", dt.date(2025, 7, 1), dt.date(2028, 6, 1))
    assert form.start == Month(2025, 7)


def test_the_page_shows_the_monthly_table_totals_and_reasons(client):
    response = client.post("/policies/calculator/", ANSWERS)
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["projection"].total == Decimal("82800.00")
    monthly = page.split('id="monthly"')[1].split("</table>")[0]
    assert monthly.count('<td class="nowrap">20') == 36
    assert "82,800.00" in page and "1,500.00" in page and "800.00" in page
    assert "青年人才生活补贴" in page and "租房补贴" in page and "当月在任何地方均无职工社保" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"graduation_date": "1990-06-30"}, "graduation_date", "毕业日期早于15周岁生日"),
        ({"district": "110105"}, "district", "请从列表中选择示范城市的区县"),
        ({"district": "320602"}, "district", "请从列表中选择示范城市的区县"),  # 崇川区's code until 2020
        ({"home_district": "320612", "home_date": "2026-03-15", "home_price": "0"}, "home_price", "金额必须大于 0"),
        ({"home_date": "2026-03-15"}, "home_district", "请把这一组信息填写完整"),
        ({"birth_date": ""}, "birth_date", "请填写出生日期"),
        ({"start_month": "2025-13"}, "start_month", "请按“年-月”填写"),
    ],
)
def test_bad_answers_are_shown_next_to_their_fields_and_nothing_is_computed(client, changes, field, message):
    response = client.post("/policies/calculator/", {**ANSWERS, **changes})
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert response.context["projection"] is None
    page = response.content.decode()
    assert message in page and "测算结果" not in page


def test_a_flood_of_submissions_is_refused_with_429(client, monkeypatch):
    monkeypatch.setattr(views_talent, "CALCULATIONS_PER_WINDOW", 2)
    for _ in range(2):
        assert client.post("/policies/calculator/", {}).status_code == 200
    response = client.post("/policies/calculator/", ANSWERS)
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "提交过于频繁" in response.content.decode() and response.context["projection"] is None
    assert client.get("/policies/calculator/").status_code == 200  # reading the page is not counted


def test_the_calculator_is_public_and_linked_from_the_home_page(client):
    response = client.get("/policies/calculator/")
    assert response.status_code == 200 and "政策计算器" in response.content.decode()
    assert 'href="/policies/calculator/"' in client.get("/").content.decode()


def test_the_pickers_are_public_and_choose_a_school(client):
    from magnet.apps.reference.models import University

    nju = University.objects.get(name="南京大学")
    options = client.get("/policies/calculator/pick/university/", {"q": "南京大学"}).content.decode()
    assert "南京大学" in options and "双一流" in options
    chosen = client.get("/policies/calculator/pick/university/", {"code": nju.school_id10}).content.decode()
    assert f'name="school" value="{nju.school_id10}"' in chosen
    assert client.get("/policies/calculator/pick/division/", {"q": "3206"}).status_code == 404
