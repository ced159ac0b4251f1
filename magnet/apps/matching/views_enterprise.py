"""The enterprise's pages under /hiring/: postings (岗位管理) with the form, matched candidates (masked
until they apply) and applicants (候选人/申请), each application with its status and messages.

Every query starts from the user's own enterprise: another enterprise's job or applicant is a 404.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from magnet.apps.common.access import roles
from magnet.apps.common.errors import DomainError
from magnet.apps.matching import engine, selectors, services
from magnet.apps.matching.forms import JobForm, MessageForm, StatusForm
from magnet.apps.matching.models import DEGREE_RANK, DEGREES, Application, Job
from magnet.apps.reference.models import Division, Major


def _job_or_404(request, pk: int) -> Job:
    job = selectors.enterprise_job(request.user.enterprise, pk)
    if job is None:
        raise Http404
    return job


@roles("enterprise")
def postings(request):
    services.jobs_expire(enterprise=request.user.enterprise)  # on read, besides the task queued at publication
    return render(
        request, "matching/enterprise/postings.html", {"jobs": selectors.enterprise_jobs(request.user.enterprise)}
    )


def _form_page(request, form: JobForm, job: Job | None):
    adcode = form["adcode"].value() or ""
    division = Division.objects.filter(adcode=adcode).first() if adcode else None
    return render(request, "matching/enterprise/job_form.html", {
        "form": form, "job": job, "majors_chosen": form.majors_chosen(),
        "place_chosen": (division.adcode, f"{division.adcode} {division.full_name}") if division else None,
    })  # fmt: skip


@roles("enterprise")
@require_http_methods(["GET", "POST"])
def job_new(request):
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = services.job_save(actor=request.user, data=form.cleaned_data, request=request)
        return _after_save(request, job)
    return _form_page(request, form, None)


@roles("enterprise")
@require_http_methods(["GET", "POST"])
def job_edit(request, pk: int):
    job = _job_or_404(request, pk)
    if job.status != Job.Status.DRAFT:
        messages.error(request, _("只有草稿可以修改。"))
        return redirect("hiring:job", pk=pk)
    initial = {name: getattr(job, name) for name in services.jobs.JOB_FIELDS}
    initial["skills"] = "、".join(job.skills)
    form = JobForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = services.job_save(actor=request.user, data=form.cleaned_data, job=job, request=request)
        return _after_save(request, job)
    return _form_page(request, form, job)


def _after_save(request, job: Job):
    if "publish" in request.POST:
        return _publish(request, job)
    messages.success(request, _("草稿已保存。"))
    return redirect("hiring:job", pk=job.pk)


def _publish(request, job: Job):
    try:
        job = services.job_publish(job=job, actor=request.user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if job.status == Job.Status.PUBLISHED:
            messages.success(request, _("岗位已发布，一分钟内出现在人才的岗位推荐中。"))
        else:
            messages.warning(request, _("岗位描述中有疑似就业歧视的内容，已提交人社局审核，审核通过后发布。"))
    return redirect("hiring:job", pk=job.pk)


@roles("enterprise")
def job_detail(request, pk: int):
    job = _job_or_404(request, pk)
    return render(request, "matching/enterprise/job.html", {
        "job": job, "applications": selectors.enterprise_applications(request.user.enterprise, job=job)[:50],
    })  # fmt: skip


@roles("enterprise")
@require_POST
def job_publish(request, pk: int):
    return _publish(request, _job_or_404(request, pk))


@roles("enterprise")
@require_POST
def job_close(request, pk: int):
    job = _job_or_404(request, pk)
    try:
        services.job_close(job=job, actor=request.user, request=request)
        messages.success(request, _("岗位已关闭，不再出现在推荐和搜索中。"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("hiring:job", pk=pk)


@roles("enterprise")
def candidates(request, pk: int):
    """Talents who opted in, best first, with masked names: education, skills and the score in words."""
    job = _job_or_404(request, pk)
    degree = request.GET.get("degree", "")
    degree = degree if degree in DEGREE_RANK else ""
    results = selectors.matched_candidates(job, k=50, min_degree=degree)
    applied = dict(Application.objects.filter(job=job).values_list("talent_id", "pk"))
    rows = [
        {
            "scored": s,
            "profile": s.row,
            "masked": selectors.mask_name(s.row.user.display_name),
            "application_id": applied.get(s.row.user_id),
        }
        for s in results
    ]
    return render(
        request, "matching/enterprise/candidates.html", {"job": job, "rows": rows, "degree": degree, "degrees": DEGREES}
    )


@roles("enterprise")
@require_POST
def candidate_invite(request, pk: int, talent_id: int):
    job = _job_or_404(request, pk)
    from magnet.apps.accounts.models import User

    talent = User.objects.filter(pk=talent_id, role="talent").first()
    try:
        if talent is None:
            raise DomainError("not_discoverable", _("该人才未开放查找。"), status=404)
        services.candidate_invite(job=job, talent=talent, actor=request.user, request=request)
        messages.success(request, _("已邀请该人才投递本岗位。"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("hiring:candidates", pk=pk)


@roles("enterprise")
def applications(request):
    enterprise = request.user.enterprise
    status = request.GET.get("status", "")
    status = status if status in Application.Status.values else ""
    job = None
    if request.GET.get("job", "").isdigit():
        job = selectors.enterprise_job(enterprise, int(request.GET["job"]))
    rows = selectors.enterprise_applications(enterprise, job=job, status=status)[:200]
    return render(request, "matching/enterprise/applications.html", {
        "applications": rows, "status": status, "job": job, "statuses": Application.Status.choices,
    })  # fmt: skip


# What the buttons that move an application say (the statuses' names describe the result, not the action).
MOVE_LABELS = {
    Application.Status.VIEWED: _l("标为已查看"), Application.Status.INTERVIEW: _l("邀请面试"),
    Application.Status.OFFER: _l("发录用意向"), Application.Status.HIRED: _l("确认录用"),
    Application.Status.DECLINED: _l("不合适"),
}  # fmt: skip


def _application_or_404(request, pk: int) -> Application:
    application = selectors.enterprise_application(request.user.enterprise, pk)
    if application is None:
        raise Http404
    return application


@roles("enterprise")
def application_detail(request, pk: int):
    application = _application_or_404(request, pk)
    services.application_open(application=application, actor=request.user, request=request)
    profile = services.talent_profile_get(user=application.talent)
    return render(request, "matching/enterprise/application.html", {
        "application": application, "profile": profile, "match": engine.explain(profile, application.job),
        "moves": [(s, MOVE_LABELS[s]) for s in services.MOVES[application.status]],
        "form": MessageForm(), "messages_list": application.messages.select_related("sender"),
        "post_url": f"{request.path}messages/", "me": request.user,
    })  # fmt: skip


@roles("enterprise")
@require_POST
def application_status(request, pk: int):
    application = _application_or_404(request, pk)
    form = StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("bad_move", _("未知的申请状态。"))
        services.application_move(
            application=application, actor=request.user, status=form.cleaned_data["status"], request=request
        )
        messages.success(
            request, _("已更新为“%(status)s”，并通知了人才。") % {"status": application.get_status_display()}
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("hiring:application", pk=pk)


@roles("enterprise")
@require_POST
def application_message(request, pk: int):
    application = _application_or_404(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        services.message_send(application=application, sender=request.user, text=form.cleaned_data["text"])
        form = MessageForm()
    context = {
        "application": application,
        "form": form,
        "messages_list": application.messages.select_related("sender"),
        "post_url": request.path,
        "me": request.user,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "matching/_conversation.html", context)
    return redirect("hiring:application", pk=pk)


# ------------------------------------------------------------------------------------------ the picker

PICK_LIMIT = 25


@roles("enterprise")
@require_GET
def pick_majors(request):
    """htmx: disciplines, classes and majors matching the typed text, each one click from being required."""
    q = request.GET.get("q", "").strip()[:30]
    options: list[tuple[str, str]] = []
    if q:
        if re.fullmatch(r"\d{1,6}[TKtk]{0,2}", q):
            rows = Major.objects.filter(Q(code__startswith=q[:6]) | Q(code_full__istartswith=q))
        else:
            rows = Major.objects.filter(
                Q(name__icontains=q) | Q(class_name__icontains=q) | Q(discipline_name__icontains=q)
            )
        seen: set[str] = set()
        for major in rows.order_by("code")[:200]:
            for code, label in (
                (major.discipline_code, f"{major.discipline_name}（{_('学科门类，全部专业')}）"),
                (major.class_code, f"{major.class_name}（{_('专业类')}）"),
                (major.code, f"{major.name}（{major.code_full}）"),
            ):
                wanted = q.isdigit() and code.startswith(q[: len(code)]) or q in label
                if code not in seen and wanted:
                    seen.add(code)
                    options.append((code, label))
        options.sort(key=lambda o: (len(o[0]), o[0]))
    return render(request, "matching/enterprise/_major_options.html", {"options": options[:PICK_LIMIT], "q": q})


@roles("enterprise")
@require_GET
def pick_major(request):
    """htmx: the chosen code as a checked box in the form (unticking it removes the requirement)."""
    from magnet.apps.matching.forms import major_code_known, major_label

    code = major_code_known(request.GET.get("code", "")[:8])
    return render(
        request, "matching/enterprise/_major_chosen.html", {"code": code, "label": major_label(code) if code else ""}
    )
