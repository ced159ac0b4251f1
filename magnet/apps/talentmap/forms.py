"""Forms: the monthly demand report (a month and several lines), the month picker of the reporting status,
and the quarter to publish. Line rules are the service's (`services.line_problems`), shown on the field."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from magnet.apps.talentmap import services
from magnet.apps.talentmap.models import Degree, Urgency

LINE_FIELDS = ("occupation_code", "occupation_name", "major_code", "degree", "count", "urgency")


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month input), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-07"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return dt.datetime.strptime(value.strip()[:7], "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(gettext("月份应为 YYYY-MM 格式")) from None


class ReportForm(forms.Form):
    month = MonthField(label=gettext_lazy("月份"))
    note = forms.CharField(label=gettext_lazy("说明（可选）"), max_length=200, required=False)


class LineForm(forms.Form):
    occupation_code = forms.CharField(
        label=gettext_lazy("职业代码"), max_length=10, widget=forms.TextInput(attrs={"placeholder": "2-02-10-03"})
    )
    occupation_name = forms.CharField(label=gettext_lazy("岗位名称"), max_length=60)
    major_code = forms.CharField(
        label=gettext_lazy("专业或专业类代码"),
        max_length=10,
        widget=forms.TextInput(attrs={"placeholder": "080901 / 0809"}),
    )
    degree = forms.ChoiceField(label=gettext_lazy("学历"), choices=Degree.choices, initial=Degree.BACHELOR)
    count = forms.IntegerField(label=gettext_lazy("需求人数"))
    urgency = forms.ChoiceField(label=gettext_lazy("紧缺程度"), choices=Urgency.choices, initial=Urgency.NORMAL)

    def clean(self):
        data = super().clean()
        if any(name not in data for name in LINE_FIELDS):
            return data  # a field already failed its own check
        for field, message in services.line_problems(self.line(data)).items():
            self.add_error(field, message)
        return data

    @staticmethod
    def line(data: dict) -> services.LineIn:
        return services.LineIn(data["occupation_code"], data["occupation_name"], data["major_code"], data["degree"],
                               data["count"], data["urgency"])  # fmt: skip


LineFormSet = formset_factory(LineForm, extra=0, min_num=1, validate_min=True, max_num=services.MAX_LINES,
                              validate_max=True)  # fmt: skip


def line_formset(data=None, *, initial: list[dict] | None = None, add_line: bool = False):
    """The lines of a report. With `add_line`, the lines typed so far come back unbound, plus an empty one."""
    if data is not None and not add_line:
        return LineFormSet(data, prefix="lines")
    if data is not None:
        total = int(data.get("lines-TOTAL_FORMS", "1") or 1)
        initial = [{f: data.get(f"lines-{i}-{f}", "") for f in LINE_FIELDS} for i in range(min(total, 49))]
    initial = initial or []
    formset_class = formset_factory(LineForm, extra=1 if add_line or not initial else 0, max_num=services.MAX_LINES)
    return formset_class(prefix="lines", initial=initial)


def lines_of(formset) -> list[services.LineIn]:
    return [LineForm.line(form.cleaned_data) for form in formset.forms if form.cleaned_data]


class StatusForm(forms.Form):
    month = MonthField(label=gettext_lazy("月份"), required=False)


def quarter_choices() -> list[tuple[str, str]]:
    """This quarter and the seven before it, newest first."""
    today = timezone.localdate()
    index = today.year * 4 + (today.month - 1) // 3
    return [(f"{i // 4}-{i % 4 + 1}", gettext("%(y)s年第%(q)s季度") % {"y": i // 4, "q": i % 4 + 1})
            for i in range(index, index - 8, -1)]  # fmt: skip


class QuarterForm(forms.Form):
    quarter = forms.ChoiceField(label=gettext_lazy("季度"), choices=quarter_choices)
    note = forms.CharField(label=gettext_lazy("说明（可选）"), max_length=300, required=False)

    def year_quarter(self) -> tuple[int, int]:
        year, quarter = self.cleaned_data["quarter"].split("-")
        return int(year), int(quarter)
