"""Postings: saving a draft, publishing (or holding for review when the wording discriminates), staff
review, closing, and expiry after the deadline."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from magnet.apps.audit.services import audit_record
from magnet.apps.common.errors import DomainError
from magnet.apps.matching import engine
from magnet.apps.matching.models import Job
from magnet.apps.matching.moderation import detect

JOB_FIELDS = (
    "title",
    "description",
    "majors",
    "min_degree",
    "skills",
    "adcode",
    "pay_min",
    "pay_max",
    "headcount",
    "deadline",
)


def _owned(job: Job, actor) -> None:
    if actor.role != "enterprise" or job.enterprise_id != actor.enterprise_id:
        raise DomainError("not_your_job", _("只能管理本企业的岗位。"), status=404)


def _after_commit(job: Job) -> None:
    transaction.on_commit(lambda: engine.job_changed(job))


def enterprise_chain(enterprise) -> tuple[str, bool]:
    """The enterprise's industry chain and key-enterprise flag: from its USCC in the latest enterprises feed,
    or its own record when the feed does not list it."""
    from magnet.apps.feeds.selectors import enterprise_feed_lookup

    row, _snapshot = enterprise_feed_lookup(enterprise.uscc)
    if row is not None:
        return (row.get("industry_chain") or ""), bool(row.get("key_enterprise"))
    return enterprise.industry_chain, enterprise.key_enterprise


def job_save(*, actor, data: dict, job: Job | None = None, request=None) -> Job:
    """Create a draft, or change one (only drafts change: a published posting is closed and posted anew)."""
    if actor.role != "enterprise" or actor.enterprise_id is None:
        raise DomainError("not_enterprise", _("只有企业用户可以发布岗位。"), status=403)
    if job is None:
        job = Job(enterprise_id=actor.enterprise_id, created_by=actor)
    else:
        _owned(job, actor)
        if job.status != Job.Status.DRAFT:
            raise DomainError("job_not_draft", _("只有草稿可以修改。"))
    for name in JOB_FIELDS:
        if name in data:
            setattr(job, name, data[name])
    job.min_degree = job.min_degree or ""
    with transaction.atomic():
        job.save()
        audit_record(request=request, actor=actor, action="matching.job_save", object_type="job", object_id=job.pk)
    return job


def job_publish(*, job: Job, actor, request=None, today: dt.date | None = None) -> Job:
    """Publish a draft, or hold it for staff review when the detector finds discriminatory wording."""
    _owned(job, actor)
    today = today or timezone.localdate()
    if job.status != Job.Status.DRAFT:
        raise DomainError("job_not_draft", _("只有草稿可以发布。"))
    if job.deadline < today:
        raise DomainError("deadline_past", _("截止日期已过，请先修改截止日期。"), {"field": "deadline"})
    findings = detect("\n".join([job.title, job.description, "、".join(job.skills)]))
    job.chain, job.key_enterprise = enterprise_chain(job.enterprise)
    job.flags = [f.as_dict() for f in findings]
    job.review_note = ""
    if findings:
        job.status = Job.Status.REVIEW
    else:
        job.status, job.published_at = Job.Status.PUBLISHED, timezone.now()
    with transaction.atomic():
        job.save()
        audit_record(
            request=request,
            actor=actor,
            action="matching.job_publish",
            object_type="job",
            object_id=job.pk,
            result=job.status,
            detail={"flags": [f.text for f in findings]} if findings else None,
        )
        _after_commit(job)
        if job.status == Job.Status.PUBLISHED:
            _schedule_expiry(job)
    return job


def job_review(*, job: Job, reviewer, approve: bool, note: str = "", request=None) -> Job:
    """Staff decide on a held posting: publish it, or send it back to the enterprise with what to change."""
    if job.status != Job.Status.REVIEW:
        raise DomainError("job_not_in_review", _("该岗位不在待审核状态。"))
    if not approve and not note.strip():
        raise DomainError("note_required", _("退回时请写明需要修改的内容。"), {"field": "note"})
    job.reviewed_by, job.review_note = reviewer, note.strip()
    if approve:
        job.status, job.published_at = Job.Status.PUBLISHED, timezone.now()
        text = _("岗位“%(title)s”已通过审核并发布。") % {"title": job.title}
    else:
        job.status = Job.Status.DRAFT
        text = _("岗位“%(title)s”未通过审核，请修改后重新发布：%(note)s") % {
            "title": job.title,
            "note": job.review_note,
        }
    with transaction.atomic():
        job.save()
        audit_record(
            request=request,
            actor=reviewer,
            action="matching.job_review",
            object_type="job",
            object_id=job.pk,
            result="approved" if approve else "rejected",
            reason=job.review_note,
            detail={"flags": [f["text"] for f in job.flags]},
        )
        _notify_enterprise(job, kind="job_review", text=text, link=reverse("hiring:job", args=[job.pk]))
        _after_commit(job)
        if approve:
            _schedule_expiry(job)
    return job


def job_close(*, job: Job, actor, request=None) -> Job:
    _owned(job, actor)
    if job.status not in (Job.Status.PUBLISHED, Job.Status.REVIEW):
        raise DomainError("job_not_open", _("该岗位未在招聘中。"))
    job.status = Job.Status.CLOSED
    with transaction.atomic():
        job.save()
        audit_record(request=request, actor=actor, action="matching.job_close", object_type="job", object_id=job.pk)
        _after_commit(job)
    return job


def jobs_expire(*, today: dt.date | None = None, job_ids=None, enterprise=None) -> int:
    """Mark published jobs past their deadline as expired; the number marked."""
    today = today or timezone.localdate()
    due = Job.objects.filter(status=Job.Status.PUBLISHED, deadline__lt=today)
    if job_ids is not None:
        due = due.filter(pk__in=job_ids)
    if enterprise is not None:
        due = due.filter(enterprise=enterprise)
    with transaction.atomic():
        expired = list(due.select_for_update())
        if not expired:
            return 0
        # A bulk update skips auto_now: the watermark other processes read must move too.
        Job.objects.filter(pk__in=[j.pk for j in expired]).update(status=Job.Status.EXPIRED, changed_at=timezone.now())
        for job in expired:
            job.status = Job.Status.EXPIRED
            _after_commit(job)
    return len(expired)


def _schedule_expiry(job: Job) -> None:
    """Queue the expiry for the day after the deadline (the index also drops the job on that day by itself)."""
    from magnet.apps.matching.tasks import job_expire_task

    day_after = dt.datetime.combine(job.deadline + dt.timedelta(days=1), dt.time(0, 5))
    run_after = timezone.make_aware(day_after)
    transaction.on_commit(lambda: job_expire_task.using(run_after=run_after).enqueue(job.pk))


def _notify_enterprise(job: Job, *, kind: str, text: str, link: str) -> None:
    from magnet.apps.inbox.services import notify

    for user in job.enterprise.users.filter(is_active=True):
        notify(user, kind=kind, text=text, link=link)
