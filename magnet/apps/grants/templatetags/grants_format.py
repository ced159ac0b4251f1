"""Template filters of the grants pages: a status's colour and its meaning in words, a bank's name, and a
return-file problem split into its kind (in words) and its technical detail."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from magnet.apps.grants.forms import BANK_NAMES

register = template.Library()

CLASSES = {
    "paid": "ok", "recovered": "ok", "confirmed": "ok", "approved": "ok",
    "notified": "warn", "objected": "warn", "publicity": "warn", "in_batch": "warn", "matched": "warn",
    "failed": "bad", "refused": "bad", "reversed": "bad", "recovery": "bad",
    "assembled": "warn", "first_approved": "warn", "exported": "warn", "reconciled": "ok", "cancelled": "bad",
    "pending": "warn",
}  # fmt: skip

HINTS = {
    "matched": _("已找到您符合条件，等待通知。"),
    "notified": _("需要您确认：填写本人名下的收款账户后点“确认领取”，系统会按最新数据重新核验条件。"),
    "confirmed": _("已确认，等待公示。"),
    "approved": _("公示期满无异议，已审批，等待银行发放。"),
    "in_batch": _("已交银行发放，请留意到账。"),
    "paid": _("已发放到您的收款账户。"),
    "failed": _("银行退回了这笔款项（原因见付款记录），将重新发放；如账户有变，请更新收款账户。"),
    "objected": _("公示期间收到异议，工作人员正在核实。"),
    "refused": _("不予发放。对结果有疑问的，可以申请人工复核。"),
    "reversed": _("已冲正，不再发放。"),
    "recovery": _("需要追回：请按通知退回已发放的款项。"),
    "recovered": _("已追回。"),
}

PROBLEM_KINDS = {
    "unknown_line": _("不属于本批次的行"),
    "amount_mismatch": _("金额与指令不符"),
    "duplicate_return": _("重复回盘"),
    "grant_mismatch": _("与审批金额不符"),
    "missing_return": _("银行未回盘"),
    "failed": _("银行退回"),
}


@register.filter
def status_class(status: str) -> str:
    """The tag colour of a grant's, batch's or instruction's status."""
    return CLASSES.get(status, "")


@register.filter
def status_hint(grant) -> str:
    """What a grant's status means for the person, in a sentence."""
    if grant.status == "publicity" and grant.publicity_until:
        return gettext("公示中，截至 %(date)s；公示期满无异议后审批发放。") % {
            "date": date_format(grant.publicity_until, "Y-m-d")
        }
    return str(HINTS.get(grant.status, ""))


@register.filter
def bank_name(code: str) -> str:
    return str(BANK_NAMES.get(code, code))


@register.filter
def problem_kind(problem: str) -> str:
    """`amount_mismatch: line 3 …` → the kind in words (empty when the problem names no known kind)."""
    kind = problem.split(":", 1)[0] if ":" in problem else ""
    return str(PROBLEM_KINDS.get(kind, ""))


@register.filter
def problem_detail(problem: str) -> str:
    kind, _sep, rest = problem.partition(":")
    return rest.strip() if kind in PROBLEM_KINDS else problem


@register.filter
def kind_words(kind: str) -> str:
    """A reconciliation discrepancy's kind in words."""
    return str(PROBLEM_KINDS.get(kind, kind))
