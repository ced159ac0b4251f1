"""Applications and the messages on them; both sides are told through the inbox."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from magnet.apps.audit.services import audit_record
from magnet.apps.common.errors import DomainError
from magnet.apps.inbox.services import notify
from magnet.apps.matching import engine
from magnet.apps.matching.models import Application, Job, Message
from magnet.apps.matching.services.profiles import talent_profile_get

Status = Application.Status

# Where the enterprise may move an application from each status.
MOVES: dict[str, tuple[str, ...]] = {
    Status.APPLIED: (Status.VIEWED, Status.INTERVIEW, Status.DECLINED),
    Status.VIEWED: (Status.INTERVIEW, Status.DECLINED),
    Status.INTERVIEW: (Status.OFFER, Status.DECLINED),
    Status.OFFER: (Status.HIRED, Status.DECLINED),
    Status.HIRED: (),
    Status.DECLINED: (),
}


def _talent_link(application: Application) -> str:
    return reverse("matching:application", args=[application.pk])


def _enterprise_link(application: Application) -> str:
    return reverse("hiring:application", args=[application.pk])


def _notify_enterprise(application: Application, *, kind: str, text: str) -> None:
    for user in application.job.enterprise.users.filter(is_active=True):
        notify(user, kind=kind, text=text, link=_enterprise_link(application))


def application_create(*, job: Job, talent, note: str = "", request=None) -> Application:
    """A talent applies to an open job, once; the enterprise's users are notified."""
    if talent.role != "talent":
        raise DomainError("not_talent", _("只有人才账户可以投递岗位。"), status=403)
    if job.status != Job.Status.PUBLISHED or job.deadline < timezone.localdate():
        raise DomainError("job_not_open", _("该岗位已停止招聘。"))
    profile = talent_profile_get(user=talent, refresh_education=True)
    score = engine.explain(profile, job).score
    try:
        with transaction.atomic():
            application = Application.objects.create(
                job=job, talent=talent, note=note.strip(), score=max(0, min(100, round(score)))
            )
            audit_record(
                request=request,
                actor=talent,
                action="matching.apply",
                object_type="application",
                object_id=application.pk,
                subject_index=talent.id_number_index or "",
                detail={"job": job.pk, "enterprise": job.enterprise.uscc},
            )
            _notify_enterprise(
                application,
                kind="application_new",
                text=_("%(name)s 投递了岗位“%(title)s”。") % {"name": talent, "title": job.title},
            )
    except IntegrityError:
        raise DomainError("already_applied", _("您已投递过这个岗位。")) from None
    return application


def _enterprise_side(application: Application, actor) -> None:
    if actor.role != "enterprise" or application.job.enterprise_id != actor.enterprise_id:
        raise DomainError("not_your_applicant", _("只能处理本企业岗位的申请。"), status=404)


def application_open(*, application: Application, actor, request=None) -> Application:
    """The enterprise opens an application: the first time, it becomes "viewed" and the talent is told.
    Every opening is in the audit log (an enterprise reading a person's application)."""
    _enterprise_side(application, actor)
    with transaction.atomic():
        audit_record(
            request=request,
            actor=actor,
            action="matching.application_view",
            object_type="application",
            object_id=application.pk,
            subject_index=application.talent.id_number_index or "",
        )
        if application.status == Status.APPLIED:
            application.status = Status.VIEWED
            application.save(update_fields=["status", "changed_at"])
            notify(
                application.talent,
                kind="application_status",
                link=_talent_link(application),
                text=_("%(enterprise)s 已查看您对“%(title)s”的申请。")
                % {"enterprise": application.job.enterprise.name, "title": application.job.title},
            )
    return application


def application_move(*, application: Application, actor, status: str, request=None) -> Application:
    """The enterprise moves an application on (interview, offer, hired, declined); the talent is told."""
    _enterprise_side(application, actor)
    if status not in MOVES.get(application.status, ()):
        raise DomainError(
            "bad_move",
            _("不能从“%(old)s”改为“%(new)s”。")
            % {
                "old": application.get_status_display(),
                "new": Status(status).label if status in Status.values else status,
            },
            {"field": "status"},
        )
    old = application.status
    application.status = status
    with transaction.atomic():
        application.save(update_fields=["status", "changed_at"])
        audit_record(
            request=request,
            actor=actor,
            action="matching.application_move",
            object_type="application",
            object_id=application.pk,
            subject_index=application.talent.id_number_index or "",
            detail={"from": old, "to": status},
        )
        notify(
            application.talent,
            kind="application_status",
            link=_talent_link(application),
            text=_("您对“%(title)s”的申请：%(status)s。")
            % {"title": application.job.title, "status": application.get_status_display()},
        )
    return application


def message_send(*, application: Application, sender, text: str) -> Message:
    """A message on an application, from the talent or a user of the job's enterprise; the other side is told."""
    text = text.strip()
    if not text:
        raise DomainError("message_empty", _("请输入消息内容。"), {"field": "text"})
    from_talent = sender.pk == application.talent_id
    if not from_talent:
        _enterprise_side(application, sender)
    with transaction.atomic():
        message = Message.objects.create(application=application, sender=sender, text=text[:2000])
        if from_talent:
            _notify_enterprise(
                application,
                kind="message",
                text=_("%(name)s 就“%(title)s”发来消息。") % {"name": sender, "title": application.job.title},
            )
        else:
            notify(
                application.talent,
                kind="message",
                link=_talent_link(application),
                text=_("%(enterprise)s 就“%(title)s”发来消息。")
                % {"enterprise": application.job.enterprise.name, "title": application.job.title},
            )
    return message


def candidate_invite(*, job: Job, talent, actor, request=None) -> None:
    """The enterprise invites a talent who opted in to apply to an open job (the talent is told; nothing
    about them is disclosed to the enterprise by this)."""
    from magnet.apps.matching.models import TalentProfile

    if actor.role != "enterprise" or job.enterprise_id != actor.enterprise_id:
        raise DomainError("not_your_job", _("只能管理本企业的岗位。"), status=404)
    if job.status != Job.Status.PUBLISHED:
        raise DomainError("job_not_open", _("岗位发布后才能邀请候选人。"))
    if not TalentProfile.objects.filter(user=talent, discoverable=True).exists():
        raise DomainError("not_discoverable", _("该人才未开放查找。"), status=404)
    with transaction.atomic():
        audit_record(
            request=request,
            actor=actor,
            action="matching.invite",
            object_type="job",
            object_id=job.pk,
            subject_index=talent.id_number_index or "",
        )
        notify(
            talent,
            kind="job_invite",
            link=reverse("matching:job", args=[job.pk]),
            text=_("%(enterprise)s 邀请您投递岗位“%(title)s”。")
            % {"enterprise": job.enterprise.name, "title": job.title},
        )
