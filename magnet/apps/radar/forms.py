"""Forms of the radar console: new runs, drafts, decisions, what-if and the explanation look-up."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from magnet.apps.feeds import selectors as feed_selectors
from magnet.apps.radar import selectors

MONTH_PATTERN = r"\d{4}-(0[1-9]|1[0-2])"


def this_month() -> str:
    return dt.date.today().strftime("%Y-%m")


class SnapshotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        persons = obj.row_counts.get("persons", 0)
        return f"{obj.short_id} · {obj.created_at:%Y-%m-%d %H:%M} · {persons:,} 人"


def _snapshot_field() -> SnapshotChoiceField:
    return SnapshotChoiceField(label=_("数据快照"), queryset=feed_selectors.snapshot_list(), empty_label=None)


def _month_field() -> forms.RegexField:
    return forms.RegexField(
        label=_("月份（YYYY-MM）"), regex=MONTH_PATTERN, max_length=7, initial=this_month,
        error_messages={"invalid": _("月份应为 YYYY-MM 格式，例如 2024-06。")},
        widget=forms.TextInput(attrs={"placeholder": "2024-06", "inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip


class RunForm(forms.Form):
    """A screening: snapshot, month, book, and which policies (default: those the snapshot can serve)."""

    snapshot = _snapshot_field()
    month = _month_field()
    book = forms.ChoiceField(label=_("政策手册"), initial="demo")
    policies = forms.MultipleChoiceField(label=_("筛查的政策"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["book"].choices = [(name, name) for name in selectors.book_names()]
        book = self.data.get("book") or "demo"
        try:
            policies = selectors.published_book(book).policies if book in selectors.book_names() else ()
        except Exception:  # an invalid book shows no choices; the run is refused with the reason
            policies = ()
        self.fields["policies"].choices = [(p.id, f"{p.names['zh']}（{p.id}）") for p in policies]


class WhatifForm(forms.Form):
    snapshot = _snapshot_field()
    month = _month_field()


class DraftForm(forms.Form):
    text = forms.CharField(
        label=_("政策文件（YAML）"), max_length=100_000, strip=False,
        widget=forms.Textarea(attrs={"rows": 28, "class": "code", "spellcheck": "false", "autocomplete": "off"}),
    )  # fmt: skip
    note = forms.CharField(label=_("修改说明"), max_length=500, required=False)


class ApproveForm(forms.Form):
    effective_from = forms.DateField(label=_("生效日期"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    reason = forms.CharField(label=_("审批意见"), max_length=500, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=500)


class ExplainForm(forms.Form):
    id_number = forms.CharField(label=_("公民身份号码"), max_length=18, min_length=18)
    month = _month_field()
    snapshot = _snapshot_field()
    book = forms.ChoiceField(label=_("政策手册"), initial="demo")
    reason = forms.CharField(label=_("查询理由"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["book"].choices = [(name, name) for name in selectors.book_names()]


class ResultsFilter(forms.Form):
    policy = forms.ChoiceField(label=_("政策"), required=False)
    district = forms.ChoiceField(label=_("区县"), required=False)
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args, policies=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [("", _("全部政策")), *policies]
        self.fields["district"].choices = [("", _("全部区县")), *districts]
