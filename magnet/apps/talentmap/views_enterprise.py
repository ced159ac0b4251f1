"""Enterprise pages: the monthly demand report (用工台账): the list, filing a month, a report, a correction."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from magnet.apps.common.access import roles
from magnet.apps.common.errors import DomainError
from magnet.apps.talentmap import selectors, services
from magnet.apps.talentmap.forms import LINE_FIELDS, ReportForm, line_formset, lines_of
from magnet.apps.talentmap.models import DemandReport


def _apply(error: DomainError, form, formset) -> None:
    """Show a refusal on the field it names (a line's field, the month), else above the form."""
    line, field = error.extra.get("line"), error.extra.get("field")
    if line and field and line <= len(formset.forms):
        formset.forms[line - 1].add_error(field, error.extra.get("problems", {}).get(field, error.message))
    elif field in form.fields:
        form.add_error(field, error.message)
    else:
        form.add_error(None, error.message)


@roles("enterprise")
def report_list(request):
    enterprise = request.user.enterprise
    reports = selectors.report_list(enterprise=enterprise)
    this_month = timezone.localdate().replace(day=1)
    return render(request, "talentmap/enterprise_reports.html", {
        "enterprise": enterprise, "reports": reports, "this_month": this_month,
        "filed_this_month": any(r.month == this_month and r.current for r in reports),
        "chain": selectors.chain_name(selectors.enterprise_chain(enterprise)),
    })  # fmt: skip


@roles("enterprise")
def report_new(request):
    """File a month: a month and several lines; "add a line" comes back with the lines typed so far."""
    add_line = "add_line" in request.POST
    initial_month = timezone.localdate().strftime("%Y-%m")
    form = ReportForm(request.POST or None, initial={"month": initial_month})
    formset = line_formset(request.POST if request.method == "POST" else None, add_line=add_line)
    if add_line:
        form = ReportForm(initial={"month": request.POST.get("month", initial_month),
                                   "note": request.POST.get("note", "")})  # fmt: skip
    elif request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            report = services.demand_report_file(
                enterprise=request.user.enterprise,
                month=form.cleaned_data["month"],
                lines=lines_of(formset),
                actor=request.user,
                request=request,
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _apply(error, form, formset)
        else:
            messages.success(request, gettext("%(month)s 的用工需求已提交。") % {"month": f"{report.month:%Y-%m}"})
            return redirect("talentmap_enterprise:detail", pk=report.pk)
    status = 400 if request.method == "POST" and not add_line else 200
    return render(
        request,
        "talentmap/enterprise_report_form.html",
        {"form": form, "formset": formset, "correcting": None},
        status=status,
    )


def _own_report(request, pk: int) -> DemandReport:
    return get_object_or_404(DemandReport.objects.select_related("filed_by").prefetch_related("lines"),
                             pk=pk, enterprise=request.user.enterprise)  # fmt: skip


@roles("enterprise")
def report_detail(request, pk: int):
    report = _own_report(request, pk)
    versions = DemandReport.objects.filter(enterprise=report.enterprise, month=report.month).order_by("-version")
    return render(request, "talentmap/enterprise_report.html", {"report": report, "versions": versions})


@roles("enterprise")
def report_correct(request, pk: int):
    """A correction: the current version's lines, edited, filed as the next version of the month."""
    report = _own_report(request, pk)
    if not report.current:
        messages.error(request, gettext("该版本已被更正，请在现行版本上更正。"))
        return redirect("talentmap_enterprise:detail", pk=pk)
    add_line = "add_line" in request.POST
    initial = [{f: getattr(line, f) for f in LINE_FIELDS} for line in report.lines.all()]
    form = ReportForm(request.POST or None, initial={"month": f"{report.month:%Y-%m}", "note": ""})
    formset = line_formset(request.POST if request.method == "POST" else None, initial=initial, add_line=add_line)
    if add_line:
        form = ReportForm(initial={"month": f"{report.month:%Y-%m}", "note": request.POST.get("note", "")})
    elif request.method == "POST" and formset.is_valid():
        try:
            corrected = services.demand_report_correct(
                report=report,
                lines=lines_of(formset),
                actor=request.user,
                request=request,
                note=request.POST.get("note", "")[:200],
            )
        except DomainError as error:
            _apply(error, form, formset)
        else:
            messages.success(request, gettext("更正已提交（第%(v)s版）。") % {"v": corrected.version})
            return redirect("talentmap_enterprise:detail", pk=corrected.pk)
    status = 400 if request.method == "POST" and not add_line else 200
    return render(
        request,
        "talentmap/enterprise_report_form.html",
        {"form": form, "formset": formset, "correcting": report},
        status=status,
    )
