"""Template filters of the radar console: districts, money, and looking a key up in a dict."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def district(value):
    """A district's adcode, or the words for 'not in the city' (`other`)."""
    return _("其他（不在本市）") if value == "other" else value


@register.filter
def money(value):
    """`1234.5` → `1,234.50`; empty stays empty."""
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return value


@register.filter
def get(mapping, key):
    """`names|get:policy` — a dict's value by a variable key."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


LABELS = {
    "monthly": _("按月"), "one_time": _("一次性"), "annual": _("按年"),
    "auto": _("免申即享"), "confirm": _("确认后发放"),
    "payment": _("发放"), "recovery": _("追回"),
    "new": _("新增享受"), "gone": _("不再享受"), "changed": _("金额变化"),
    "gain": _("增加"), "loss": _("减少"),
    "fact": _("事实"), "parameter": _("参数"), "definition": _("定义"),
    "associate": _("专科"), "bachelor": _("本科"), "master": _("硕士"), "doctor": _("博士"),
}  # fmt: skip


@register.filter
def radar_label(value):
    """The Chinese label of a code of the radar (`monthly` → 按月), or the value itself."""
    return LABELS.get(value, value)


@register.filter
def param_value(value):
    """A parameter's value for reading: a table as `key: value` pairs."""
    if isinstance(value, dict):
        return "; ".join(f"{LABELS.get(k, k)}: {v}" for k, v in value.items())
    return value


@register.filter
def fact_value(value):
    """A fact's value for reading: yes or no, a degree's name, a dash for nothing."""
    if value is None:
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    return LABELS.get(value, value) if isinstance(value, str) else value
