"""Words for the matching pages: score parts in the page's language, places, degrees, chains, pay."""

from __future__ import annotations

from functools import cache

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from magnet.apps.matching.models import CHAINS, DEGREES

register = template.Library()


@cache
def _division_names() -> dict[str, str]:
    from magnet.apps.reference.models import Division

    return {d.adcode: d.full_name for d in Division.objects.filter(in_use=True)}


@register.filter
def place(adcode: str) -> str:
    """`320613` → 江苏省南通市崇川区; a prefix such as `3206` → 南通市."""
    if not adcode:
        return _("不限")
    names = _division_names()
    if adcode in names:
        return names[adcode]
    padded = adcode.ljust(6, "0")
    return names.get(padded, adcode)


@register.filter
def part_words(part) -> str:
    return part.en if (get_language() or "").startswith("en") else part.zh


@register.filter
def degree(code: str) -> str:
    return str(dict(DEGREES).get(code, _("不限"))) if code else _("不限")


@register.filter
def chain(code: str) -> str:
    return str(dict(CHAINS).get(code, code)) if code else "—"


@register.filter
def pay(job) -> str:
    """The pay range of a job: `8,000–12,000 元/月`."""
    return f"{job.pay_min:,}–{job.pay_max:,} " + _("元/月")


@register.filter
def major_words(code: str) -> str:
    from magnet.apps.matching.forms import major_label

    return major_label(code)
