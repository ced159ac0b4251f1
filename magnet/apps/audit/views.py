"""The auditor's pages: search the log, check the chain. Read-only: there is no edit or delete view."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from magnet.apps.audit.services import audit_chain_verify, audit_record, audit_search
from magnet.apps.common.access import roles
from magnet.apps.common.pii import id_number_index
from magnet.core.feeds.checks import id_number_problem


class SearchForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("操作人"), required=False, max_length=150)
    action = forms.CharField(label=gettext_lazy("操作（前缀，如 auth. 或 pii.）"), required=False, max_length=64)
    object_id = forms.CharField(label=gettext_lazy("对象"), required=False, max_length=200)
    id_number = forms.CharField(label=gettext_lazy("相关人员身份证号"), required=False, max_length=18)
    since = forms.DateField(
        label=gettext_lazy("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        if value and id_number_problem(value):
            raise forms.ValidationError(_("公民身份号码无效：%(p)s") % {"p": id_number_problem(value)})
        return value


@roles("auditor", "admin")
def search(request):
    form = SearchForm(request.GET or None)
    rows = audit_search()
    if form.is_valid():
        data = dict(form.cleaned_data)
        id_number = data.pop("id_number")
        subject = id_number_index(id_number) if id_number else ""
        if subject:
            audit_record(request=request, action="audit.search_by_id", subject_index=subject)
        rows = audit_search(subject_index=subject, **data)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()})


@roles("auditor", "admin")
def verify(request):
    report = audit_chain_verify()
    audit_record(
        request=request,
        action="audit.verify",
        result="ok" if report.ok else "broken",
        detail={"checked": report.checked, "first_broken_id": report.first_broken_id},
    )
    return render(request, "audit/verify.html", {"report": report})
