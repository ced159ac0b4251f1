"""The bureau's moderation queue (岗位审核) under /console/jobs/: postings held because the detector found
wording that may discriminate, with the words marked; staff publish them or send them back."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from magnet.apps.common.access import roles
from magnet.apps.common.errors import DomainError
from magnet.apps.matching import selectors, services
from magnet.apps.matching.forms import ReviewForm
from magnet.apps.matching.models import Job
from magnet.apps.matching.moderation import CATEGORIES


@roles("staff")
def queue(request):
    return render(request, "matching/staff/queue.html", {"jobs": selectors.moderation_queue()})


def _flag_words(job: Job) -> list[dict]:
    return [{**f, "label": CATEGORIES.get(f["category"], (f["category"],))[0]} for f in job.flags]


@roles("staff")
def review(request, pk: int, form: ReviewForm | None = None):
    job = get_object_or_404(Job.objects.select_related("enterprise", "created_by", "reviewed_by"), pk=pk)
    description_at = len(job.title) + 1
    skills_at = description_at + len(job.description) + 1
    return render(request, "matching/staff/review.html", {
        "job": job, "flags": _flag_words(job), "form": form or ReviewForm(),
        "title_pieces": selectors.highlighted(job.title, job.flags),
        "description_pieces": selectors.highlighted(job.description, job.flags, description_at),
        "skills_pieces": selectors.highlighted("、".join(job.skills), job.flags, skills_at),
    })  # fmt: skip


@roles("staff")
@require_POST
def decide(request, pk: int):
    job = get_object_or_404(Job, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return review(request, pk, form)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.job_review(
            job=job, reviewer=request.user, approve=approve, note=form.cleaned_data["note"], request=request
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("jobs_console:review", pk=pk)
    messages.success(request, _("已发布。") if approve else _("已退回企业修改。"))
    return redirect("jobs_console:queue")
