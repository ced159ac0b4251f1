"""Template filters for feed values: Chinese labels of the contract's codes."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {
    "associate": _("专科"), "bachelor": _("本科"), "master": _("硕士"), "doctor": _("博士"),
    "employee": _("职工参保"), "flexible": _("灵活就业"),
    "residential": _("住宅"), "commercial": _("商业"),
    "legal_rep": _("法定代表人"), "shareholder": _("股东"),
    "M": _("男"), "F": _("女"),
    "shipbuilding_offshore": _("船舶海工"), "high_end_textile": _("高端纺织"), "new_materials": _("新材料"),
    "ict": _("新一代信息技术"), "aerospace": _("航空航天"), "marine": _("海洋经济"),
}


@register.filter
def feed_label(value):
    """The label of a coded feed value (`bachelor` → 本科), or the value itself."""
    return LABELS.get(value, value)
