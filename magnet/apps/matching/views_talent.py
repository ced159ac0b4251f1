"""The talent's pages under /jobs/: recommended jobs (岗位推荐), search, a job with its score explained,
the job profile, and their applications with the messages on each."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from magnet.apps.common.access import roles
from magnet.apps.common.errors import DomainError
from magnet.apps.matching import engine, selectors, services
from magnet.apps.matching.forms import ApplyForm, FiltersForm, MessageForm, ProfileForm

PAGE_SIZE = 20


@roles("talent")
def recommended(request):
    profile = services.talent_profile_get(user=request.user)
    form = FiltersForm(request.GET or None)
    values = form.values() if request.GET else FiltersForm().values()
    values.pop("q")
    results = selectors.recommended_jobs(profile, k=20, **values)
    return render(request, "matching/talent/recommended.html", {
        "profile": profile, "form": form, "results": results, "applied": selectors.applied_job_ids(request.user),
    })  # fmt: skip


@roles("talent")
def search(request):
    form = FiltersForm(request.GET or None)
    values = form.values() if request.GET else FiltersForm().values()
    page = Paginator(selectors.job_search(**values), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "matching/talent/search.html", {
        "form": form, "page": page, "query": query.urlencode(), "applied": selectors.applied_job_ids(request.user),
    })  # fmt: skip


@roles("talent")
def job_detail(request, pk: int):
    job = get_object_or_404(selectors.jobs_open(), pk=pk)
    profile = services.talent_profile_get(user=request.user)
    application = selectors.talent_applications(request.user).filter(job=job).first()
    return render(request, "matching/talent/job.html", {
        "job": job, "match": engine.explain(profile, job), "application": application, "form": ApplyForm(),
    })  # fmt: skip


@roles("talent")
@require_POST
def apply(request, pk: int):
    job = get_object_or_404(selectors.jobs_open(), pk=pk)
    form = ApplyForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        application = services.application_create(job=job, talent=request.user, note=note, request=request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("matching:job", pk=pk)
    messages.success(request, _("已投递，企业处理后您会收到站内消息。"))
    return redirect("matching:application", pk=application.pk)


@roles("talent")
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = services.talent_profile_get(user=request.user, refresh_education=request.method == "GET")
    initial = {
        "skills": "、".join(profile.skills),
        "wish_adcodes": profile.wish_adcodes,
        "wish_chains": profile.wish_chains,
        "wish_pay": profile.wish_pay,
        "about": profile.about,
        "discoverable": profile.discoverable,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.talent_profile_save(user=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("求职档案已保存，岗位推荐已按新的档案更新。"))
        return redirect("matching:recommended")
    return render(request, "matching/talent/profile.html", {"profile": profile, "form": form})


@roles("talent")
def applications(request):
    return render(
        request, "matching/talent/applications.html", {"applications": selectors.talent_applications(request.user)}
    )


@roles("talent")
@require_http_methods(["GET", "POST"])
def application_detail(request, pk: int):
    application = selectors.talent_application(request.user, pk)
    if application is None:
        raise Http404
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
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
    return render(request, "matching/talent/application.html", context)
