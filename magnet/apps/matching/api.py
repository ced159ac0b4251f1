"""The matching API: search published jobs, a talent's recommendations and applications, an enterprise's
postings and matched candidates (its own jobs only)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status

from magnet.apps.common.api_auth import allow
from magnet.apps.common.errors import DomainError
from magnet.apps.matching import selectors, services
from magnet.apps.matching.forms import JobForm
from magnet.apps.matching.models import Application
from magnet.apps.matching.schemas import (
    ApplicationOut,
    ApplyIn,
    CandidateOut,
    JobIn,
    JobPage,
    JobSaved,
    RecommendationOut,
)

router = Router(tags=["matching"])
PAGE_SIZE = 20


class JobQuery(Schema):
    q: str = ""
    place: str = ""
    chain: str = ""
    degree: str = ""
    pay: int | None = None
    page: int = 1


def _filters(query: JobQuery) -> dict:
    return {
        "adcode_prefix": query.place[:6],
        "chain": query.chain[:40],
        "min_degree": query.degree if query.degree in ("associate", "bachelor", "master", "doctor") else "",
        "pay_at_least": query.pay,
    }


def _parts(match) -> list[dict]:
    return [{"name": p.name, "points": p.points, "zh": p.zh, "en": p.en} for p in match.parts]


@router.get("/jobs", response=JobPage, auth=allow())
def search_jobs(request, query: Query[JobQuery]):
    """Published, unexpired jobs by keywords and filters, newest first, 20 a page (any signed-in user)."""
    rows = selectors.job_search(q=query.q[:50], **_filters(query))
    page = Paginator(rows, PAGE_SIZE).get_page(query.page)
    return {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages, "items": list(page)}


@router.post("/jobs", response={201: JobSaved}, auth=allow("enterprise"))
def post_job(request, payload: JobIn):
    """Save a posting of the caller's enterprise as a draft, or publish it; bad input names its fields."""
    data = payload.dict(exclude={"publish"})
    data["skills"] = "、".join(data["skills"])
    data = {name: value for name, value in data.items() if value is not None}
    form = JobForm(data)
    if not form.is_valid():
        errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
        first = next(iter(errors))
        raise DomainError("job_invalid", f"{first}: {errors[first][0]}", {"fields": errors}, status=422)
    job = services.job_save(actor=request.auth, data=form.cleaned_data, request=request)
    if payload.publish:
        job = services.job_publish(job=job, actor=request.auth, request=request)
    return Status(201, {"id": job.pk, "status": job.status, "flags": job.flags})


@router.get("/recommendations", response=list[RecommendationOut], auth=allow("talent"))
def recommend_jobs(request, query: Query[JobQuery]):
    """The best open jobs for the signed-in talent's profile, each score broken down in words."""
    profile = services.talent_profile_get(user=request.auth)
    results = selectors.recommended_jobs(profile, k=20, **_filters(query))
    return [{"job": r.row, "score": r.match.score, "parts": _parts(r.match)} for r in results]


@router.post("/jobs/{job_id}/apply", response={201: ApplicationOut}, auth=allow("talent"))
def apply_to_job(request, job_id: int, payload: ApplyIn):
    """Apply to an open job (once); the enterprise is notified."""
    job = get_object_or_404(selectors.jobs_open(), pk=job_id)
    application = services.application_create(job=job, talent=request.auth, note=payload.note[:1000], request=request)
    return Status(201, application)


@router.get("/jobs/{job_id}/candidates", response=list[CandidateOut], auth=allow("enterprise"))
def job_candidates(request, job_id: int, degree: str = ""):
    """Talents who opted in, best first, for one of the caller's own jobs: names masked unless they applied."""
    job = selectors.enterprise_job(request.auth.enterprise, job_id)
    if job is None:
        raise Http404
    degree = degree if degree in ("associate", "bachelor", "master", "doctor") else ""
    applied = set(Application.objects.filter(job__enterprise=job.enterprise).values_list("talent_id", flat=True))
    out = []
    for scored in selectors.matched_candidates(job, min_degree=degree):
        profile = scored.row
        has_applied = profile.user_id in applied
        name = str(profile.user) if has_applied else selectors.mask_name(profile.user.display_name)
        out.append(
            {
                "talent": profile.user_id,
                "name": name,
                "applied": has_applied,
                "degree": profile.degree,
                "major_name": profile.major_name,
                "school_name": profile.school_name,
                "education_verified": profile.education_verified,
                "skills": profile.skills,
                "score": scored.match.score,
                "parts": _parts(scored.match),
            }
        )
    return out
