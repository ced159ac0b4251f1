"""Reads of the matching app: jobs, recommendations and candidates (the engine's results joined to their
rows, checked against the database again), applications and the moderation queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from magnet.apps.matching import engine
from magnet.apps.matching.models import Application, Job, TalentProfile

if TYPE_CHECKING:
    from magnet.core.matching import Match


def mask_name(name: str) -> str:
    """A person's name as enterprises see it before the person applies to them.

    >>> mask_name("张伟"), mask_name("欧阳娜娜"), mask_name("")
    ('张*', '欧***', '**')
    """
    name = (name or "").strip()
    if not name:
        return "**"
    return name[0] + "*" * (len(name) - 1)


def jobs_open(today: dt.date | None = None) -> QuerySet[Job]:
    """Published jobs whose deadline has not passed (a job past it counts as expired even before the task
    marks it)."""
    today = today or timezone.localdate()
    return Job.objects.filter(status=Job.Status.PUBLISHED, deadline__gte=today).select_related("enterprise")


def job_search(
    *, q: str = "", adcode_prefix: str = "", chain: str = "", min_degree: str = "", pay_at_least: int | None = None
) -> QuerySet[Job]:
    """Open jobs by words in the title, description or enterprise name and the filters, newest first."""
    from magnet.apps.matching.models import DEGREE_RANK

    rows = jobs_open()
    for word in q.split()[:5]:
        rows = rows.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(enterprise__name__icontains=word)
        )
    if adcode_prefix:
        rows = rows.filter(adcode__startswith=adcode_prefix)
    if chain:
        rows = rows.filter(chain=chain)
    if min_degree:
        # "A talent with this degree qualifies": jobs asking no more than it.
        allowed = [code for code, rank in DEGREE_RANK.items() if rank <= DEGREE_RANK[min_degree]]
        rows = rows.filter(Q(min_degree="") | Q(min_degree__in=allowed))
    if pay_at_least:
        rows = rows.filter(pay_max__gte=pay_at_least)
    return rows.order_by("-published_at", "-pk")


@dataclass(frozen=True)
class Scored:
    """A row with its match: `job` or `profile`, the score and its parts."""

    row: object
    match: Match

    @property
    def score(self) -> int:
        return round(self.match.score)

    @property
    def parts(self):
        return self.match.parts


def recommended_jobs(profile: TalentProfile, *, k: int = 20, **filters) -> list[Scored]:
    """The engine's best open jobs for the talent, each checked open in the database again."""
    matches = engine.best_jobs(profile, k=k, filters=engine.filters(**filters))
    rows = jobs_open().in_bulk(engine.ids(matches))
    return [Scored(rows[int(m.id)], m) for m in matches if int(m.id) in rows]


def matched_candidates(job: Job, *, k: int = 50, min_degree: str = "") -> list[Scored]:
    """The engine's best talents for a job, among those who opted in: the database is asked again, so a
    talent who withdrew consent a moment ago in another process is never shown."""
    matches = engine.best_talents(job, k=k, filters=engine.filters(min_degree=min_degree))
    profiles = {
        p.user_id: p
        for p in TalentProfile.objects.filter(
            user_id__in=engine.ids(matches), discoverable=True, user__is_active=True
        ).select_related("user")
    }
    return [Scored(profiles[int(m.id)], m) for m in matches if int(m.id) in profiles]


def enterprise_jobs(enterprise) -> QuerySet[Job]:
    return (
        Job.objects.filter(enterprise=enterprise)
        .annotate(
            applicants=Count("applications"),
            waiting=Count("applications", filter=Q(applications__status=Application.Status.APPLIED)),
        )
        .order_by("-created_at")
    )


def enterprise_job(enterprise, pk: int) -> Job | None:
    """One of the enterprise's own jobs, or None (another enterprise's job is as good as missing)."""
    return Job.objects.filter(enterprise=enterprise, pk=pk).select_related("enterprise").first()


def enterprise_applications(enterprise, *, job: Job | None = None, status: str = "") -> QuerySet[Application]:
    rows = Application.objects.filter(job__enterprise=enterprise).select_related("job", "talent", "talent__job_profile")
    if job is not None:
        rows = rows.filter(job=job)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at")


def enterprise_application(enterprise, pk: int) -> Application | None:
    return enterprise_applications(enterprise).filter(pk=pk).first()


def talent_applications(user) -> QuerySet[Application]:
    return Application.objects.filter(talent=user).select_related("job", "job__enterprise").order_by("-changed_at")


def talent_application(user, pk: int) -> Application | None:
    return talent_applications(user).filter(pk=pk).first()


def applied_job_ids(user) -> set[int]:
    return set(Application.objects.filter(talent=user).values_list("job_id", flat=True))


def moderation_queue() -> QuerySet[Job]:
    return (
        Job.objects.filter(status=Job.Status.REVIEW).select_related("enterprise", "created_by").order_by("changed_at")
    )


def highlighted(text: str, flags: list[dict], offset: int = 0) -> list[tuple[str, bool]]:
    """The text cut into (piece, flagged) so a template can mark the flagged words without marking up HTML.

    >>> highlighted("限男性，会焊接", [{"start": 0, "end": 3}])
    [('限男性', True), ('，会焊接', False)]
    """
    pieces, at = [], 0
    for flag in sorted(flags, key=lambda f: f["start"]):
        start, end = flag["start"] - offset, flag["end"] - offset
        if start < at or end > len(text) or start < 0:
            continue
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
