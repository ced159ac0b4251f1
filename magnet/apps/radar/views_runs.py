"""Console pages of runs: start a screening or a what-if, watch its progress, read its totals, comparison
and results (masked identity numbers), and one person's explanation (audit-logged)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from magnet.apps.common.access import roles
from magnet.apps.common.errors import DomainError
from magnet.apps.feeds import selectors as feed_selectors
from magnet.apps.feeds.models import Snapshot
from magnet.apps.radar import results, selectors, services
from magnet.apps.radar.forms import ExplainForm, ResultsFilter, RunForm, WhatifForm
from magnet.apps.radar.models import PolicyVersion, Run
from magnet.core.feeds.checks import mask_id_number
from magnet.core.radar import missing_feeds, parse_month, sent_feeds

PAGE_SIZE = 50


@roles("staff")
def run_list(request):
    """The runs, newest first, and the form that starts one."""
    form = RunForm(request.POST or None, initial={"snapshot": feed_selectors.snapshot_latest()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.radar_run_start(
                actor=request.user,
                snapshot=data["snapshot"],
                month=data["month"],
                book=data["book"],
                policies=data["policies"] or None,
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("radar:run", run_id=run.pk)
    paginator = Paginator(selectors.run_list(), 30)
    return render(request, "radar/runs.html", {
        "form": form, "runs": paginator.get_page(request.GET.get("page")),
        "choices": _policy_choices(form),
    }, status=400 if form.errors else 200)  # fmt: skip


def _policy_choices(form, *, keep_checks: bool = True) -> list[dict]:
    """Each policy of the chosen book: whether it is in force in the month and the feeds the snapshot lacks;
    checked as the form was sent, or by default those in force that the snapshot can serve."""
    data = form.data if form.is_bound else {}
    book_name = data.get("book") or "demo"
    snapshot = None
    snapshot_id = data.get("snapshot") or (form.initial.get("snapshot").pk if form.initial.get("snapshot") else None)
    if snapshot_id:
        snapshot = Snapshot.objects.filter(pk=snapshot_id).first()
    month_text = data.get("month") or form.fields["month"].initial()
    try:
        month = parse_month(month_text)
        book = selectors.published_book(book_name, month)
    except Exception:  # a half-typed month or an unknown book: no list yet
        return []
    available = None
    if snapshot is not None:
        try:
            available = sent_feeds(selectors.snapshot_opened(snapshot.pk))
        except (FileNotFoundError, ValueError):
            available = None
    chosen = set(data.getlist("policies")) if keep_checks and form.is_bound and hasattr(data, "getlist") else None
    choices = []
    for policy in book.policies:
        lacking = []
        if available is not None:
            lacking = missing_feeds(book, month, available, [policy.id]).get(policy.id, [])
        in_force = policy.in_force(month)
        checked = (policy.id in chosen) if chosen is not None else (in_force and not lacking)
        choices.append({"policy": policy, "lacking": lacking, "in_force": in_force, "checked": checked})
    return choices


@roles("staff")
def run_policies(request):
    """htmx: the policy check boxes for the snapshot, month and book chosen (checked afresh for them)."""
    form = RunForm(request.GET)
    return render(request, "radar/_run_policies.html", {"choices": _policy_choices(form, keep_checks=False)})


def _run_or_404(run_id) -> Run:
    try:
        return selectors.run_get(run_id)
    except (Run.DoesNotExist, ValidationError):
        raise Http404 from None


@roles("staff")
def run_detail(request, run_id):
    """A run: progress while it runs (the body polls itself), then totals, comparison and results."""
    run = _run_or_404(run_id)
    context = {"run": run, **_done_context(request, run)}
    if request.headers.get("HX-Request"):
        return render(request, "radar/_run_body.html", context)
    names = {p.id: p.names["zh"] for p in selectors.book_from_files(run.book_files).policies}
    context["policy_names"] = [names.get(p, p) for p in run.policies]
    return render(request, "radar/run.html", context)


def _done_context(request, run: Run) -> dict:
    if run.status != Run.Status.DONE:
        return {}
    totals = selectors.run_totals(run)
    return {"totals": totals, **_results_context(request, run, totals["names"])}


def _results_context(request, run: Run, names: dict) -> dict:
    path = selectors.run_file(run)
    if path is None:
        return {"results_missing": True}
    policies = [(pid, f"{n.get('zh', pid)}") for pid, n in names.items()]
    districts = [(d, d) for d in results.districts_of(path)]
    form = ResultsFilter(request.GET or None, policies=policies, districts=districts)
    data = form.cleaned_data if form.is_valid() else {}
    page = data.get("page") or 1
    rows, total = results.page(path, policy=data.get("policy"), district=data.get("district"),
                               offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)  # fmt: skip
    for row in rows:
        row["masked"] = mask_id_number(row.pop("id_number"))
        row["names"] = names.get(row["policy"], {})
    pages = max(1, -(-total // PAGE_SIZE))
    return {"filter": form, "results": rows, "results_total": total, "page": page, "pages": pages,
            "filter_query": _query(data)}  # fmt: skip


def _query(data: dict) -> str:
    from urllib.parse import urlencode

    return urlencode({k: data[k] for k in ("policy", "district") if data.get(k)})


@roles("staff")
def run_results(request, run_id):
    """htmx: one page of the results, filtered by policy and district."""
    run = _run_or_404(run_id)
    if run.status != Run.Status.DONE:
        raise Http404
    names = {p.id: p.names for p in selectors.book_from_files(run.book_files).policies}
    return render(request, "radar/_results.html", {"run": run, **_results_context(request, run, names)})


@roles("staff")
def run_changes(request, run_id):
    """The people behind a comparison or a what-if: who changed, and how (masked identity numbers)."""
    run = _run_or_404(run_id)
    path = selectors.run_file(run, "changes")
    if run.status != Run.Status.DONE or path is None:
        raise Http404
    names = {p.id: p.names for p in selectors.book_from_files(run.book_files).policies}
    change = request.GET.get("change") or None
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    rows, total = results.page(path, policy=request.GET.get("policy") or None,
                               district=request.GET.get("district") or None, change=change,
                               offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)  # fmt: skip
    for row in rows:
        row["masked"] = mask_id_number(row.pop("id_number"))
        row["names"] = names.get(row["policy"], {})
    return render(request, "radar/changes.html", {
        "run": run, "rows": rows, "total": total, "page": page, "pages": max(1, -(-total // PAGE_SIZE)),
        "change": change or "", "policy": request.GET.get("policy") or "",
        "district": request.GET.get("district") or "",
        "policy_choices": [(pid, n.get("zh", pid)) for pid, n in names.items()],
    })  # fmt: skip


@roles("staff")
@require_POST
def run_retry(request, run_id):
    run = _run_or_404(run_id)
    try:
        again = services.radar_run_retry(run=run, actor=request.user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("radar:run", run_id=run.pk)
    return redirect("radar:run", run_id=again.pk)


@roles("staff")
@require_POST
def whatif_start(request, pk: int):
    draft = get_object_or_404(PolicyVersion, pk=pk)
    form = WhatifForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择数据快照并填写月份（YYYY-MM）。"))
        return redirect("radar:version", pk=pk)
    try:
        run = services.radar_whatif_start(
            actor=request.user,
            draft=draft,
            snapshot=form.cleaned_data["snapshot"],
            month=form.cleaned_data["month"],
            request=request,
        )
    except DomainError as error:
        if error.code == "feeds_missing":  # screen only what the snapshot can serve, the draft's policy included
            run = _whatif_servable(request, draft, form, error)
            if run is not None:
                return redirect("radar:run", run_id=run.pk)
        messages.error(request, error.message)
        return redirect("radar:version", pk=pk)
    return redirect("radar:run", run_id=run.pk)


def _whatif_servable(request, draft, form, error: DomainError) -> Run | None:
    missing = error.extra.get("missing", {})
    if draft.policy in missing:
        return None
    book = selectors.published_book(draft.book, parse_month(form.cleaned_data["month"]))
    policies = [p.id for p in book.policies if p.id not in missing]
    try:
        run = services.radar_whatif_start(
            actor=request.user,
            draft=draft,
            snapshot=form.cleaned_data["snapshot"],
            month=form.cleaned_data["month"],
            policies=policies,
            request=request,
        )
    except DomainError:
        return None
    messages.warning(request, gettext("数据快照缺少部分政策所需的数据，本次假设分析不含这些政策：%(p)s")
                     % {"p": ", ".join(sorted(missing))})  # fmt: skip
    return run


# ------------------------------------------------------------------------------------------ explain


@roles("staff")
def explain(request):
    """One person's explanation for a month: conditions pass or fail with the facts' values (audited)."""
    form = ExplainForm(request.POST or None, initial={"snapshot": feed_selectors.snapshot_latest()})
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.radar_explain(
                request=request,
                snapshot_id=data["snapshot"].pk,
                month=data["month"],
                id_number=data["id_number"],
                book=data["book"],
                reason=data["reason"],
            )
        except DomainError as error:
            form.add_error(error.extra.get("field"), error.message)
        else:
            context.update(explanation=result, not_found=result is None)
            # A fresh form: the number typed is not echoed back into the page.
            context["form"] = ExplainForm(initial={"month": data["month"], "snapshot": data["snapshot"],
                                                   "book": data["book"], "reason": data["reason"]})  # fmt: skip
    return render(request, "radar/explain.html", context)


@roles("staff")
def run_explain_row(request, run_id, row: int):
    """The explanation of one result row of a run, by the exact book texts the run used (audited)."""
    run = _run_or_404(run_id)
    path = selectors.run_file(run)
    found = results.row_at(path, row) if path is not None else None
    if found is None:
        raise Http404
    try:
        result = services.radar_explain(
            request=request,
            snapshot_id=run.snapshot_id,
            month=run.month,
            id_number=found["id_number"],
            files=run.book_files,
            run_id=str(run.pk),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("radar:run", run_id=run.pk)
    return render(request, "radar/explain.html", {"explanation": result, "not_found": result is None, "run": run})
