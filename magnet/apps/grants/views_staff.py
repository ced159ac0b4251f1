"""The staff console of grants (补贴发放), mounted at /console/grants/.

The dashboard's work lists (runs to turn into grants, people to notify, people who cannot be reached,
publicity to start and to close, objections, appeals, failed payments), the publicity lists, batches
(assembled by one staff member, approved by another, exported, reconciled with the bank's return file),
the ledger and the budget. Every change is a POST through `services`, which audits it; a refusal by a
domain rule is shown as its message and changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from magnet.apps.common.access import roles
from magnet.apps.common.errors import DomainError
from magnet.apps.grants import selectors, services
from magnet.apps.grants.forms import (
    AppealDecideForm,
    BatchAssembleForm,
    BatchCancelForm,
    ObjectionResolveForm,
    PublicityForm,
    ReturnFileForm,
    SimulateForm,
)
from magnet.apps.grants.models import PaymentBatch

B = PaymentBatch.Status


def _done(request, message: str, to: str = "grants_staff:dashboard", **kwargs):
    messages.success(request, message)
    return redirect(to, **kwargs)


def _refused(request, error: DomainError, to: str = "grants_staff:dashboard", **kwargs):
    messages.error(request, error.message)
    return redirect(to, **kwargs)


# --------------------------------------------------------------------------------------- dashboard


@roles("staff")
@require_GET
def dashboard(request):
    """What waits for whom: each work list with its action."""
    return render(request, "grants/console/dashboard.html", {
        **selectors.work_lists(), "publicity_form": PublicityForm(), "resolve_form": ObjectionResolveForm(),
        "decide_form": AppealDecideForm(), "publicity_days": settings.MAGNET_PUBLICITY_DAYS,
    })  # fmt: skip


def _run(run_id):
    from magnet.apps.radar.models import Run

    return get_object_or_404(Run, pk=run_id)


@roles("staff")
@require_POST
def run_grants(request, run_id):
    """Create the grants of a done screening run (a second time adds nothing)."""
    try:
        counts = services.grants_from_run(_run(run_id), actor=request.user, request=request)
    except DomainError as error:
        return _refused(request, error)
    message = gettext("已生成补贴 %(created)s 笔（本次筛查共 %(entitlements)s 条结果，已存在 %(existing)s 笔）。")
    return _done(request, message % counts)


@roles("staff")
@require_POST
def run_changes(request, run_id):
    """Apply a later run of the same month: those no longer eligible are refused, reversed or recovered."""
    try:
        counts = services.changes_from_run(_run(run_id), actor=request.user, request=request)
    except DomainError as error:
        return _refused(request, error)
    message = gettext("已按本次筛查核对：不予发放 %(refused)s 笔，冲正 %(reversed)s 笔，转入追回 %(recovery)s 笔。")
    return _done(request, message % counts)


@roles("staff")
@require_POST
def notify(request):
    try:
        counts = services.notify_matched(actor=request.user, request=request)
    except DomainError as error:
        return _refused(request, error)
    return _done(request, gettext("已通知 %(notified)s 人确认，免申即享 %(auto)s 笔，无法联系 %(unreachable)s 笔。")
                 % counts)  # fmt: skip


@roles("staff")
@require_POST
def publicity_start(request):
    form = PublicityForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("公示天数应为 1 至 60 天。"))
        return redirect("grants_staff:dashboard")
    try:
        count = services.publicity_start(actor=request.user, days=form.cleaned_data["days"], request=request)
    except DomainError as error:
        return _refused(request, error)
    return _done(
        request,
        gettext("%(count)s 笔补贴进入公示，公示 %(days)s 天。") % {"count": count, "days": form.cleaned_data["days"]},
    )


@roles("staff")
@require_POST
def approve(request):
    """Grants whose publicity ended without an open objection are approved (the ledger books the expense)."""
    try:
        count = services.approve_after_publicity(actor=request.user, request=request)
    except DomainError as error:
        return _refused(request, error)
    return _done(request, gettext("公示期满无异议，已审批 %(count)s 笔。") % {"count": count})


@roles("staff")
@require_POST
def retry(request):
    """Failed payments go back to approved, to be paid in a new batch."""
    ids = [int(v) for v in request.POST.getlist("grant") if v.isdigit()] or None
    try:
        count = services.retry_failed(actor=request.user, grant_ids=ids, request=request)
    except DomainError as error:
        return _refused(request, error)
    return _done(request, gettext("%(count)s 笔发放失败的补贴已重新审批，将编入新批次。") % {"count": count})


@roles("staff")
@require_POST
def objection_resolve(request, pk: int):
    objection = selectors.objection_get(pk)
    if objection is None:
        raise Http404
    form = ObjectionResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择处理结果并填写处理意见。"))
        return redirect(reverse("grants_staff:dashboard") + "#objections")
    try:
        services.objection_resolve(objection, actor=request.user, request=request, **form.cleaned_data)
    except DomainError as error:
        return _refused(request, error)
    return _done(request, gettext("异议已处理，处理意见已记录。"))


@roles("staff")
@require_POST
def appeal_decide(request, pk: int):
    appeal = selectors.appeal_get(pk)
    if appeal is None:
        raise Http404
    form = AppealDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择复核结论并填写复核意见。"))
        return redirect("grants_staff:appeal", pk=pk)
    try:
        services.appeal_decide(appeal, actor=request.user, request=request, **form.cleaned_data)
    except DomainError as error:
        return _refused(request, error, "grants_staff:appeal", pk=pk)
    return _done(request, gettext("复核结论已记录，并已通知申诉人。"))


@roles("staff")
@require_GET
def appeal_detail(request, pk: int):
    """An appeal with the radar's explanation of the person's month (as the run that found them read it, or
    on the latest snapshot), so the reviewer decides on the same facts. Viewing it is audited."""
    appeal = selectors.appeal_get(pk)
    if appeal is None:
        raise Http404
    explanation, problem = _explanation(request, appeal)
    if explanation:  # the appealed policy only (the whole month is one click away in the radar console)
        explanation["policies"] = [p for p in explanation["policies"] if p["policy"] == appeal.policy] or explanation[
            "policies"
        ]
    names = selectors.PolicyNames()
    appeal.policy_name = names(appeal.grant.book if appeal.grant else selectors.BOOK, appeal.policy, appeal.period)
    return render(request, "grants/console/appeal.html", {
        "appeal": appeal, "explanation": explanation, "problem": problem,
        "id_masked": appeal.user.id_number_masked, "decide_form": AppealDecideForm(),
    })  # fmt: skip


def _explanation(request, appeal) -> tuple[dict | None, str]:
    from magnet.apps.feeds.selectors import snapshot_latest
    from magnet.apps.radar import services as radar

    grant, run = appeal.grant, appeal.grant.run if appeal.grant else None
    id_number = grant.id_number_plain() if grant else appeal.user.id_number_plain()
    if len(appeal.period) != 7:
        return None, gettext("该补贴按年度结算，请在“政策找人”中按月份逐月查看说明。")
    try:
        if run is not None:
            result = radar.radar_explain(request=request, snapshot_id=run.snapshot_id, month=appeal.period,
                                         id_number=id_number, files=run.book_files, run_id=str(run.pk),
                                         reason=f"申诉复核 {appeal.pk}")  # fmt: skip
        else:
            latest = snapshot_latest()
            if latest is None:
                return None, gettext("暂无数据快照，无法生成说明。")
            result = radar.radar_explain(request=request, snapshot_id=latest.pk, month=appeal.period,
                                         id_number=id_number, book=selectors.BOOK,
                                         reason=f"申诉复核 {appeal.pk}")  # fmt: skip
    except DomainError as error:
        return None, error.message
    if result is None:
        return None, gettext("在您辖区的该数据快照中没有找到此人。")
    return result, ""


@roles("staff")
@require_GET
def publicity(request):
    """The publicity lists now open, as the public sees them but with the console's masking and the number of
    open objections per line."""
    context = selectors.publicity_page(request.GET.get("page"), staff=True)
    return render(request, "grants/console/publicity.html", context)


# ----------------------------------------------------------------------------------------- batches


@roles("staff")
@require_GET
def batches(request):
    form = BatchAssembleForm(policies=selectors.grant_policies())
    names = selectors.PolicyNames()
    batches = list(selectors.batch_list()[:100])
    for batch in batches:
        batch.policy_name = names(selectors.BOOK, batch.policy) if batch.policy else ""
    return render(request, "grants/console/batches.html", {
        "batches": batches, "form": form, "payable": selectors.payable_counts(),
    })  # fmt: skip


@roles("staff")
@require_POST
def batch_assemble(request):
    form = BatchAssembleForm(request.POST, policies=selectors.grant_policies())
    if not form.is_valid():
        messages.error(request, gettext("请检查政策和笔数。"))
        return redirect("grants_staff:batches")
    try:
        batch = services.batch_assemble(actor=request.user, policy=form.cleaned_data["policy"] or None,
                                        limit=form.cleaned_data["limit"], request=request)  # fmt: skip
    except DomainError as error:
        return _refused(request, error, "grants_staff:batches")
    return _done(request, gettext("批次已生成，请另一名工作人员审批。"), "grants_staff:batch", pk=batch.pk)


def _batch(pk: int) -> PaymentBatch:
    batch = selectors.batch_get(pk)
    if batch is None:
        raise Http404
    return batch


def simulation_allowed() -> bool:
    """The simulated bank is for development and demonstrations only, never in production."""
    return settings.MAGNET_ENV != "production"


def _batch_page(request, batch: PaymentBatch, *, problems=None, error: str = "", status: int = 200):
    user = request.user
    batch.policy_name = selectors.PolicyNames()(selectors.BOOK, batch.policy) if batch.policy else ""
    may_approve = (
        batch.status == B.ASSEMBLED
        or (batch.status == B.FIRST_APPROVED and batch.approved_by_id != user.pk)
    ) and batch.created_by_id != user.pk  # fmt: skip
    return render(request, "grants/console/batch.html", {
        "batch": batch, **selectors.batch_lines(batch, request.GET.get("page")),
        **selectors.batch_reconciliation(batch), "is_maker": batch.created_by_id == user.pk,
        "may_approve": may_approve, "cancel_form": BatchCancelForm(), "return_form": ReturnFileForm(),
        "simulate_form": SimulateForm(), "simulation": simulation_allowed(), "problems": problems,
        "return_error": error,
    }, status=status)  # fmt: skip


@roles("staff")
@require_GET
def batch_detail(request, pk: int):
    return _batch_page(request, _batch(pk))


@roles("staff")
@require_POST
def batch_approve(request, pk: int):
    """Maker-checker: the batch's maker is refused; above the threshold a third person approves again."""
    batch = _batch(pk)
    try:
        batch = services.batch_approve(batch, actor=request.user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
        return _batch_page(request, batch, status=error.status)
    if batch.status == B.FIRST_APPROVED:
        return _done(request, gettext("一级审批通过；金额超过限额，还需第三人二级审批。"), "grants_staff:batch", pk=pk)
    return _done(request, gettext("批次已审批，可以导出银行文件。"), "grants_staff:batch", pk=pk)


@roles("staff")
@require_POST
def batch_cancel(request, pk: int):
    batch = _batch(pk)
    form = BatchCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请填写作废理由。"))
        return redirect("grants_staff:batch", pk=pk)
    try:
        services.batch_cancel(batch, actor=request.user, reason=form.cleaned_data["reason"], request=request)
    except DomainError as error:
        return _refused(request, error, "grants_staff:batch", pk=pk)
    return _done(request, gettext("批次已作废，其中的补贴回到待编批状态。"), "grants_staff:batch", pk=pk)


@roles("staff")
@require_POST
def batch_export(request, pk: int):
    """The bank file of an approved batch, as a download (the same bytes every time it is asked for)."""
    batch = _batch(pk)
    try:
        data = services.batch_export(batch, actor=request.user, request=request)
    except DomainError as error:
        return _refused(request, error, "grants_staff:batch", pk=pk)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="magnet-batch-{batch.pk}.csv"'
    return response


@roles("staff")
@require_POST
def batch_return(request, pk: int):
    """Import the bank's return file: refused whole, with the lines named, when any line is wrong."""
    batch = _batch(pk)
    form = ReturnFileForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return _batch_page(request, batch, error=" ".join(errors), status=400)
    return _import(request, batch, form.cleaned_data["file"].read())


def _import(request, batch: PaymentBatch, data: bytes, *, simulated: bool = False):
    try:
        summary = services.batch_import_return(batch, data, actor=request.user, request=request)
    except DomainError as error:
        batch.refresh_from_db()
        return _batch_page(request, batch, problems=error.extra.get("problems", []), error=error.message,
                           status=error.status)  # fmt: skip
    if summary.get("duplicate_file"):
        messages.warning(request, gettext("这份回盘文件已导入过，本次未作任何改动。"))
    else:
        words = gettext("模拟回盘已导入") if simulated else gettext("回盘已导入")
        messages.success(request, gettext("%(what)s：已付 %(paid)s 笔，失败 %(failed)s 笔，待回盘 %(pending)s 笔。")
                         % {"what": words, **summary})  # fmt: skip
    return redirect(reverse("grants_staff:batch", kwargs={"pk": batch.pk}) + "#reconciliation")


@roles("staff")
@require_POST
def batch_simulate(request, pk: int):
    """Development only: a simulated bank answers the exported file (the first N lines failing), and the
    answer is imported like a real return file. Refused in production."""
    batch = _batch(pk)
    if not simulation_allowed():
        messages.error(request, gettext("生产环境不能模拟银行回盘。"))
        return _batch_page(request, batch, status=403)
    if batch.status != B.EXPORTED:
        return _refused(request, DomainError("batch_state", gettext("只有已导出、尚未对账的批次可以模拟回盘。")),
                        "grants_staff:batch", pk=pk)  # fmt: skip
    from magnet.core.payments import simulate_bank

    form = SimulateForm(request.POST)
    fail = (form.cleaned_data["fail"] or 0) if form.is_valid() else 0
    try:
        data = services.batch_export(batch, actor=request.user, request=request)  # the same bytes as exported
    except DomainError as error:
        return _refused(request, error, "grants_staff:batch", pk=pk)
    keys = list(batch.instructions.filter(status="pending").order_by("line_no").values_list("key", flat=True))
    returned = simulate_bank(data, fail_keys=set(keys[:fail]), seed=batch.pk)
    return _import(request, batch, returned, simulated=True)


# ---------------------------------------------------------------------------------- ledger, budget


@roles("staff")
@require_GET
def ledger(request):
    return render(request, "grants/console/ledger.html", {
        "accounts": selectors.ledger_balances(), "entries": selectors.ledger_recent(),
    })  # fmt: skip


@roles("staff")
@require_GET
def budget(request):
    today = timezone.localdate()
    years = selectors.budget_years()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if year not in years:
        year = today.year
    return render(request, "grants/console/budget.html", {
        **selectors.budget(year, today), "years": years, "as_of": today, "this_year": year == today.year,
    })  # fmt: skip
