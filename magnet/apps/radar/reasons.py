"""One person's explanation (`magnet.core.radar.explain`) in words, for the talent's pages.

Each condition in the page's language (the policy book's zh or en wording) with the facts it read, e.g.
"某日的周岁年龄（2025-06-01）：36" and "年龄上限（博士40周岁，其他35周岁）：35". The engine decides; this module
only words its answer. Parameters are left out: the book does not label them (the condition's wording
already states them, as in "至少6个月"), and their values are shown per policy in the book itself.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from magnet.apps.common.templatetags.magnet import LABELS
from magnet.core.radar import Month
from magnet.core.radar.engine import ConditionResult, PolicyExplanation

MODES = {"auto": gettext_lazy("免申即享"), "confirm": gettext_lazy("需确认")}
FEEDS = {
    "persons": gettext_lazy("人口信息"),
    "education": gettext_lazy("学历信息"),
    "social_insurance": gettext_lazy("社保参保"),
    "enterprises": gettext_lazy("企业信息"),
    "property": gettext_lazy("不动产登记"),
    "skill_certs": gettext_lazy("职业技能等级证书"),
    "business_registrations": gettext_lazy("市场主体登记"),
}
SHOWN_KINDS = ("fact", "definition", "eligible")  # quantifiers' keys are whole expressions; parameters unlabelled
_CALL = re.compile(r"([a-z_]+)\((.*)\)", re.S)
_SHIFT = re.compile(r"M\s*([+-])\s*(\d+)")
_DAY = re.compile(r"(first_day|last_day)\(M\)")


@dataclass
class Reason:
    text: str
    passed: bool
    unknown: bool
    values: list[str] = field(default_factory=list)


@dataclass
class PolicyWords:
    policy: str
    name: str
    eligible: bool
    amount: Decimal | None
    period: str
    mode: str
    mode_label: str
    reasons: list[Reason]  # every condition, in the book's order
    missing_feeds: list[str] = field(default_factory=list)  # labels of feeds the snapshot did not receive

    @property
    def failing(self) -> list[Reason]:
        return [r for r in self.reasons if not r.passed]


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


def words(texts: dict | object, *, zh: str = "zh", en: str = "en") -> str:
    """The English or Chinese text of a {zh, en} mapping (or of an object's zh/en attributes)."""
    get = texts.get if isinstance(texts, dict) else lambda key, default="": getattr(texts, key, default)
    chosen = get(en, "") if english() else get(zh, "")
    return chosen or get(zh, "") or get(en, "")


def show_value(value: object) -> str:
    """A fact's value for people: 是/否, 无记录, 本科 for bachelor, the rest as written."""
    if value is None:
        return _("无记录")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, str) and value in LABELS:
        return str(LABELS[value])
    return str(value)


def _argument(text: str, month: Month, known: dict[str, object]) -> str | None:
    """An argument of a fact, as a date or month of the screened period: `first_day(M)` → 2025-06-01."""
    text = text.strip()
    if text == "M":
        return str(month)
    if shift := _SHIFT.fullmatch(text):
        n = int(shift.group(2)) * (1 if shift.group(1) == "+" else -1)
        return str(Month.from_index(month.index + n))
    if day := _DAY.fullmatch(text):
        last = calendar.monthrange(month.year, month.month)[1]
        return dt.date(month.year, month.month, 1 if day.group(1) == "first_day" else last).isoformat()
    if known.get(text) is not None:
        return show_value(known[text])
    return None


def _split(arguments: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in arguments:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    return [*parts, current] if current.strip() else parts


def label(value: dict, month: Month, known: dict[str, object]) -> str:
    """The value's label with its argument: 某日的周岁年龄（2025-06-01）."""
    name = words(value)
    call = _CALL.fullmatch(value["key"])
    if not call:
        return name
    shown = [_argument(a, month, known) for a in _split(call.group(2))]
    if not shown or None in shown:
        return name
    if len(shown) == 2 and all(re.fullmatch(r"\d{4}-\d{2}", s) for s in shown):
        argument = _("%(first)s 至 %(last)s") % {"first": shown[0], "last": shown[1]}
    else:
        argument = "，".join(shown) if not english() else ", ".join(shown)
    return _("%(name)s（%(argument)s）") % {"name": name, "argument": argument}


def reason(condition: ConditionResult, month: Month, known: dict[str, object]) -> Reason:
    values = [
        _("%(label)s：%(value)s") % {"label": label(v, month, known), "value": show_value(v["value"])}
        for v in condition.values
        if v["kind"] in SHOWN_KINDS
    ]
    return Reason(words(condition), condition.passed, condition.unknown, values)


def policy_words(explained: PolicyExplanation, month: Month, *, missing_feeds: list[str] = ()) -> PolicyWords:
    """One policy's result for one person and month, in the page's language."""
    known = {v["key"]: v["value"] for c in explained.conditions for v in c.values}
    known.update({v["key"]: v["value"] for v in explained.amount_values})
    return PolicyWords(
        explained.policy,
        words(explained.names),
        explained.eligible,
        explained.amount,
        explained.period,
        explained.mode,
        str(MODES.get(explained.mode, explained.mode)),
        [reason(c, month, known) for c in explained.conditions],
        [str(FEEDS.get(f, f)) for f in missing_feeds],
    )
