"""The public policy calculator (政策计算器): a situation described in a form, screened month by month.

Nothing here decides who is paid. The answers become a `Situation`; `hypothetical.build_feeds` turns it
into a one-person snapshot typed like a stored one; the radar's own query runs on it for each of the 36
months (`explain`: the screening restricted to that person, amounts and reasons together), exactly as for
the whole city. `calculate` needs no HTTP (only the
book for each month); `CalculatorForm` turns the answers into a `Situation` and the engine's complaints
into field errors in Chinese.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from magnet.apps.radar.reasons import PolicyWords, policy_words, words
from magnet.core.radar import Book, Explanation, Month, connect, explain
from magnet.core.radar.hypothetical import Situation, build_feeds, person_id_number, situation_problems

log = logging.getLogger(__name__)

MONTHS = 36
CITY = "3206"
RESULT_SECONDS = 600  # the same answers within ten minutes are not screened again


# ------------------------------------------------------------------------------------ computation


@dataclass(frozen=True)
class Payment:
    month: Month
    policy: str
    amount: Decimal


@dataclass
class Outcome:
    """One policy over the projection: how many months it pays, how much, and why (or why not)."""

    policy: str
    name: str
    mode_label: str
    months: int = 0
    total: Decimal = Decimal("0.00")
    first: Month | None = None
    last: Month | None = None
    explained_month: Month | None = None
    explained: PolicyWords | None = None


@dataclass
class Projection:
    start: Month
    months: list[Month]
    payments: list[Payment]
    outcomes: list[Outcome]
    book_versions: list[str]
    seconds: float = 0.0
    total: Decimal = field(init=False)

    def __post_init__(self) -> None:
        self.total = sum((p.amount for p in self.payments), Decimal("0.00"))

    @property
    def paid(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.months]

    @property
    def never_paid(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.months]

    def table(self) -> list[dict]:
        """One row per month: the amount of each paid policy (None when nothing) and the month's total."""
        by_month: dict[Month, dict[str, Decimal]] = {}
        for p in self.payments:
            by_month.setdefault(p.month, {})[p.policy] = p.amount
        rows = []
        for m in self.months:
            amounts = by_month.get(m, {})
            cells = [amounts.get(o.policy) for o in self.paid]
            rows.append({"month": m, "cells": cells, "total": sum(amounts.values(), Decimal("0.00"))})
        return rows


def months_from(start: Month, count: int = MONTHS) -> list[Month]:
    return [Month.from_index(start.index + i) for i in range(count)]


def first_day(month: Month) -> dt.date:
    return dt.date(month.year, month.month, 1)


def calculate(
    situation: Situation, start: Month, *, book_for: Callable[[Month], Book], count: int = MONTHS
) -> Projection:
    """What the book in force each month pays this person over `count` months from `start`, and why.

    Each month is `explain`: the screening query restricted to the person, so its amounts are the rows
    `screen` gives for them (tests check it month by month) and its reasons come with them. The engine keeps
    the compiled query of a book version and month, so only a month no one has asked about yet is compiled;
    `screen` would compile all 36 every time (about 0.1 s each). Raises ValueError (from `build_feeds`)
    when `situation_problems` finds anything."""
    began = time.perf_counter()
    months = months_from(start, count)
    books = {m: book_for(m) for m in months}
    id_number = person_id_number(situation)
    con = connect(threads=1)  # one person: a single thread is as fast and leaves the other cores alone
    try:
        register_situation(con, situation)
        explained = {m: explain(con, books[m], m, id_number) for m in months}
    finally:
        con.close()
    payments = [Payment(m, p.policy, p.amount) for m in months for p in explained[m].policies if p.eligible]
    outcomes = _outcomes(books, months, payments)
    _reasons(outcomes, months, explained)
    versions = list(dict.fromkeys(b.version for b in books.values()))
    projection = Projection(start, months, payments, outcomes, versions)
    projection.seconds = time.perf_counter() - began
    log.info("policy calculator: %d months explained in %.2fs", count, projection.seconds)
    return projection


def register_situation(con, situation: Situation) -> None:
    """The one-person snapshot as views named after the feeds, as `engine.run_case` does for a case."""
    for feed, table in build_feeds(situation).items():
        con.register(f"calc_{feed}", table)
        # feed names come from the contract, never from the user
        con.execute(f'CREATE TEMP VIEW "{feed}" AS SELECT * FROM "calc_{feed}"')  # noqa: S608


def _outcomes(books: dict[Month, Book], months: list[Month], payments: list[Payment]) -> list[Outcome]:
    outcomes: dict[str, Outcome] = {}
    for m in months:  # every policy in force at some month of the projection, in the book's order
        for policy in books[m].policies:
            if policy.id not in outcomes and policy.in_force(m):
                outcomes[policy.id] = Outcome(policy.id, words(policy.names), "")
    for p in payments:
        o = outcomes[p.policy]
        o.months += 1
        o.total += p.amount
        o.first = o.first or p.month
        o.last = p.month
    return list(outcomes.values())


def _reasons(outcomes: list[Outcome], months: list[Month], explained: dict[Month, Explanation]) -> None:
    """Each paid policy explained at its first month; each policy never paid at the month where the fewest
    of its conditions fail (the earliest of those), so the reasons shown are what is really missing."""
    by_policy = {(p.policy, m): p for m in months for p in explained[m].policies}
    for o in outcomes:
        if o.first:
            month = o.first
        else:
            fewest = [(sum(not c.passed for c in by_policy[(o.policy, m)].conditions), m.index, m)
                      for m in months if (o.policy, m) in by_policy]  # fmt: skip
            month = min(fewest)[2] if fewest else None
        if month is not None:
            o.explained_month = month
            o.explained = policy_words(by_policy[(o.policy, month)], month)
            o.mode_label = o.explained.mode_label


def calculate_cached(situation: Situation, start: Month, *, book_for: Callable[[Month], Book]) -> Projection:
    """`calculate`, remembered for a while by the answers, the books' versions and the page's language (the
    reasons are worded in it), so a reload or a repeated submission costs nothing."""
    books = {m: book_for(m) for m in months_from(start)}
    versions = ",".join(b.version for b in books.values())
    answers = f"{situation!r}|{start}|{versions}|{translation.get_language()}"
    key = "radar:calculator:" + hashlib.sha256(answers.encode()).hexdigest()
    projection = cache.get(key)
    if projection is None:
        projection = calculate(situation, start, book_for=books.__getitem__)
        cache.set(key, projection, RESULT_SECONDS)
    return projection


# ------------------------------------------------------------------------------------------- form

DEGREES = [
    ("none", _("无（没有全日制学历）")),
    ("associate", _("专科")),
    ("bachelor", _("本科")),
    ("master", _("硕士")),
    ("doctor", _("博士")),
]
EMPLOYMENT = [
    ("employee", _("在本市单位就业（职工社保）")),
    ("flexible", _("灵活就业（个人缴纳社保）")),
    ("none", _("暂不就业")),
]
SKILL_LEVELS = [
    ("", _("无")),
    ("1", _("一级（高级技师）")),
    ("2", _("二级（技师）")),
    ("3", _("三级（高级工）")),
    ("4", _("四级（中级工）")),
    ("5", _("五级（初级工）")),
]
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2099, 12, 31)

# Situation field -> form field, for the engine's complaints.
FIELDS = {
    "gender": "gender",
    "horizon": "start_month",
    "degree": "degree",
    "graduation_date": "graduation_date",
    "school_code": "school",
    "major_code": "major",
    "work_adcode": "district",
    "work_from": "start_month",
    "work_until": "start_month",
    "flexible_adcode": "district",
    "flexible_from": "start_month",
    "flexible_until": "start_month",
    "employer_uscc": "district",
    "monthly_base": "monthly_base",
    "home_adcode": "home_district",
    "home_contract_date": "home_date",
    "home_price": "home_price",
    "skill_level": "skill_level",
    "skill_issued": "skill_date",
    "skill_occupation_code": "skill_level",
    "business_adcode": "business_district",
    "business_registered": "business_date",
}
# The engine's complaints (English, for developers) as the page says them, by what they contain.
MESSAGES = [
    ("is required with degree", _("选择了学历，请填写毕业日期。")),
    ("is given but degree is None", _("未选择学历时不用填写毕业日期。")),
    ("before the 15th birthday", _("毕业日期早于15周岁生日，请核对出生日期和毕业日期。")),
    ("before the month of the 16th birthday", _("参保起始月早于16周岁生日所在月，请核对出生日期和起始月。")),
    ("after the horizon", _("起始月晚于测算期间。")),
    ("horizon", _("测算期间早于出生日期，请核对出生日期和起始月。")),
    ("before the birth date", _("这个日期早于出生日期。")),
    ("is required with", _("请把这一组信息填写完整。")),
    ("is given but", _("请把这一组信息填写完整。")),
    ("overlaps", _("灵活就业期间与单位就业期间重叠。")),
    ("division code", _("请从列表中选择示范城市的区县。")),
    ("positive amount", _("金额必须大于 0。")),
    ("too large", _("金额过大。")),
    ("decimal places", _("金额最多保留两位小数。")),
    ("skill_level", _("技能等级应为一级至五级。")),
    ("must be one of", _("请从列表中选择。")),
]


def city_districts() -> list[tuple[str, str]]:
    """The demo city's districts in use (GB/T 2260, from the reference catalogue), by code."""
    from magnet.apps.reference.models import Division  # noqa: PLC0415

    rows = Division.objects.filter(adcode__startswith=CITY, in_use=True, level="county").order_by("adcode")
    return [(d.adcode, f"{d.name}（{d.adcode}）") for d in rows]


def pick_shape(kind: str, row) -> tuple[str, str]:
    """(code, label) of a school or major, as the reference catalogue's pickers show it."""
    from magnet.apps.reference.views import PICKERS  # noqa: PLC0415

    return PICKERS[kind][1](row)


def engine_message(message: str) -> str:
    return str(next((zh for needle, zh in MESSAGES if needle in message), _("与其他填写内容不一致，请核对。")))


class DayField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(_("请填写 1900 年至 2099 年之间的日期。"))


class CalculatorForm(forms.Form):
    degree = forms.ChoiceField(label=_("最高学历（全日制）"), choices=DEGREES, initial="bachelor")
    full_time = forms.BooleanField(label=_("全日制"), required=False, initial=True)
    school = forms.CharField(label=_("毕业院校"), max_length=10, required=False, widget=forms.HiddenInput)
    major = forms.CharField(label=_("专业"), max_length=10, required=False, widget=forms.HiddenInput)
    graduation_date = DayField(label=_("毕业日期"))
    birth_date = DayField(label=_("出生日期"), required=True, error_messages={"required": _("请填写出生日期。")})
    gender = forms.ChoiceField(label=_("性别"), choices=[("F", _("女")), ("M", _("男"))])
    employment = forms.ChoiceField(label=_("就业方式"), choices=EMPLOYMENT, initial="employee")
    district = forms.ChoiceField(label=_("工作所在区县"), required=False)
    start_month = forms.CharField(
        label=_("从哪个月开始（年-月）"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2025-07"}),
    )
    monthly_base = forms.DecimalField(
        label=_("社保缴费基数（元/月）"),
        required=False,
        initial=Decimal("6000"),
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    home_district = forms.ChoiceField(label=_("购房所在区县"), required=False)
    home_date = DayField(label=_("购房网签日期"))
    home_price = forms.DecimalField(
        label=_("购房总价（元）"),
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    skill_level = forms.ChoiceField(label=_("职业技能等级证书"), choices=SKILL_LEVELS, required=False)
    skill_date = DayField(label=_("证书发证日期"))
    business_district = forms.ChoiceField(label=_("创业登记所在区县"), required=False)
    business_date = DayField(label=_("创业登记日期（本人为法定代表人）"))

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.today = today or dt.date.today()
        districts = city_districts()
        for name in ("district", "home_district", "business_district"):
            self.fields[name].choices = [("", _("请选择"))] + districts
            self.fields[name].error_messages["invalid_choice"] = _("请从列表中选择示范城市的区县。")
        self.fields["start_month"].initial = f"{self.today:%Y-%m}"
        self.situation: Situation | None = None
        self.start: Month | None = None
        self.picked: dict[str, tuple[str, str]] = {}  # field -> (code, label) of the school and major chosen

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value and value > self.today:
            raise forms.ValidationError(_("出生日期不能晚于今天。"))
        return value

    def clean_start_month(self):
        text = (self.cleaned_data.get("start_month") or "").strip()
        if not text:
            return None
        if not re.fullmatch(r"\d{4}-\d{2}", text):
            raise forms.ValidationError(_("请按“年-月”填写，例如 2025-07。"))
        try:
            month = Month.parse(text)
        except ValueError:
            raise forms.ValidationError(_("请按“年-月”填写，例如 2025-07。")) from None
        if not 2000 <= month.year <= self.today.year + 10:
            raise forms.ValidationError(_("起始月应在 2000 年至今后十年之间。"))
        return month

    def clean_school(self):
        from magnet.apps.reference.models import University  # noqa: PLC0415

        code = self.cleaned_data.get("school") or ""
        if not code:
            return None
        university = University.objects.filter(school_id10=code).first()
        if university is None:
            raise forms.ValidationError(_("学校不在教育部名单中，请从目录中选择。"))
        self.picked["school"] = pick_shape("university", university)
        return university

    def clean_major(self):
        from magnet.apps.reference.selectors import major_by_code  # noqa: PLC0415

        code = self.cleaned_data.get("major") or ""
        if not code:
            return None
        major = major_by_code(code)
        if major is None:
            raise forms.ValidationError(_("专业代码不在本科专业目录中，请从目录中选择。"))
        self.picked["major"] = pick_shape("major", major)
        return major

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        employment = data.get("employment")
        if employment != "none" and not data.get("district"):
            self.add_error("district", _("请选择工作所在区县。"))
        if data.get("degree") != "none" and not data.get("graduation_date"):
            self.add_error("graduation_date", _("选择了学历，请填写毕业日期。"))
        if self.errors:
            return data
        self.start = data.get("start_month") or Month(self.today.year, self.today.month)
        situation = self._situation(data, self.start)
        for name, message in situation_problems(situation):
            field_name = FIELDS.get(name)
            text = engine_message(message)
            if field_name is None or field_name not in self.fields:
                self.add_error(None, text)
            elif text not in self.errors.get(field_name, []):
                self.add_error(field_name, text)
        if not self.errors:
            self.situation = situation
        return data

    def _situation(self, data: dict, start: Month) -> Situation:
        degree = None if data["degree"] == "none" else data["degree"]
        university, major = (data.get("school"), data.get("major")) if degree else (None, None)
        employment, district = data["employment"], data.get("district") or None
        start_day = first_day(start)
        level = data.get("skill_level")
        return Situation(
            birth_date=data["birth_date"],
            horizon=first_day(Month.from_index(start.index + MONTHS - 1)),
            gender=data["gender"],
            degree=degree,
            full_time=bool(data.get("full_time")),
            school_code=university.school_id10 if university else "",
            school_name=university.name if university else "",
            double_first_class=bool(university and university.double_first_class),
            major_code=major.code_full if major else "",
            major_name=major.name if major else "",
            graduation_date=data.get("graduation_date") if degree else None,
            work_adcode=district if employment == "employee" else None,
            work_from=start_day if employment == "employee" else None,
            monthly_base=data.get("monthly_base") or Decimal("6000"),
            flexible_adcode=district if employment == "flexible" else None,
            flexible_from=start_day if employment == "flexible" else None,
            home_adcode=data.get("home_district") or None,
            home_contract_date=data.get("home_date"),
            home_price=data.get("home_price"),
            skill_level=int(level) if level else None,
            skill_issued=data.get("skill_date"),
            business_adcode=data.get("business_district") or None,
            business_registered=data.get("business_date"),
        )
