"""Policy versions: staff draft a new text of one policy, submit it, and another staff member approves it.

A draft is checked on every save: the book must load with the draft in place of the policy (the
published book of the month it would take effect, or of this month), and the policy's own test cases
must pass. A draft that does not load, or whose cases fail, cannot be submitted or approved; approval
checks again, against the book of the month the version takes effect. Nobody approves their own draft
(here, and by a database constraint).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from magnet.apps.audit.services import audit_record
from magnet.apps.common.errors import DomainError
from magnet.apps.radar import selectors
from magnet.apps.radar.models import PolicyVersion
from magnet.core.radar import BookInvalid, CaseResult, Month, run_cases

MAX_TEXT = 100_000  # characters of one policy file
FIRST_DB_NUMBER = 2  # the repository's text is version 1


@dataclass(frozen=True)
class VersionCheck:
    """The outcome of checking a policy text in its book."""

    problems: list[dict]
    cases: list[dict]

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def cases_passed(self) -> bool:
        return self.valid and bool(self.cases) and all(c["passed"] for c in self.cases)


def case_dict(result: CaseResult) -> dict:
    return {
        "case": result.case,
        "passed": result.passed,
        "expected": result.expected,
        "got": result.got,
        "error": result.error,
        "line": result.line,
        "difference": result.difference,
    }


def policy_version_check(*, book: str, policy: str, text: str, month: Month | None = None) -> VersionCheck:
    """Load the book with `text` in place of the policy's file and run the policy's cases. A read: no audit."""
    try:
        files = selectors.published_files(book, month)
    except KeyError:
        raise DomainError("unknown_book", _("没有名为 %(book)s 的政策手册。") % {"book": book}, status=404) from None
    filename = f"{policy}.yaml"
    if filename not in files:
        raise DomainError("unknown_policy", _("政策手册中没有政策 %(policy)s。") % {"policy": policy}, status=404)
    if len(text) > MAX_TEXT:
        return VersionCheck([{"file": filename, "line": 1, "column": 1, "suggestion": None,
                              "message": f"the policy file is longer than {MAX_TEXT} characters"}], [])  # fmt: skip
    files[filename] = text.replace("\r\n", "\n")
    try:
        loaded = selectors.book_from_files(files)
    except BookInvalid as invalid:
        return VersionCheck([asdict(p) for p in invalid.problems], [])
    return VersionCheck([], [case_dict(r) for r in run_cases(loaded, policies=[policy])])


def _next_number(book: str, policy: str) -> int:
    latest = PolicyVersion.objects.filter(book=book, policy=policy).aggregate(n=Max("number"))["n"]
    return max(FIRST_DB_NUMBER, (latest or 0) + 1)


def policy_version_save(
    *, actor, book: str, policy: str, text: str, note: str = "", version: PolicyVersion | None = None, request=None
) -> PolicyVersion:
    """Save a draft (a new one, or the actor's own draft again), checked and with its cases run."""
    text = text.replace("\r\n", "\n")
    if version is not None:
        _require_own_draft(version, actor)
        book, policy = version.book, version.policy
    check = policy_version_check(book=book, policy=policy, text=text)
    with transaction.atomic():
        if version is None:
            version = PolicyVersion(book=book, policy=policy, number=_next_number(book, policy), created_by=actor)
        version.text, version.note = text, note
        version.problems, version.cases_report, version.cases_passed = check.problems, check.cases, check.cases_passed
        version.submitted_at = None  # a changed draft is reviewed again
        version.save()
        audit_record(request=request, actor=actor, action="radar.version.save", object_type="policy_version",
                     object_id=version.pk, detail=_detail(version))  # fmt: skip
    return version


def policy_version_submit(*, version: PolicyVersion, actor, request=None) -> PolicyVersion:
    """The author asks for approval; only a draft that loads and passes its cases may be submitted."""
    _require_own_draft(version, actor)
    _require_sound(version)
    with transaction.atomic():
        version.submitted_at = timezone.now()
        version.save(update_fields=["submitted_at", "updated_at"])
        audit_record(request=request, actor=actor, action="radar.version.submit", object_type="policy_version",
                     object_id=version.pk, detail=_detail(version))  # fmt: skip
    return version


def policy_version_withdraw(*, version: PolicyVersion, actor, request=None) -> PolicyVersion:
    _require_own_draft(version, actor)
    with transaction.atomic():
        version.status = PolicyVersion.Status.WITHDRAWN
        version.save(update_fields=["status", "updated_at"])
        audit_record(request=request, actor=actor, action="radar.version.withdraw", object_type="policy_version",
                     object_id=version.pk, detail=_detail(version))  # fmt: skip
    return version


def policy_version_approve(
    *, version: PolicyVersion, approver, effective_from: dt.date | None, reason: str = "", request=None
) -> PolicyVersion:
    """Another staff member approves a submitted draft from a date. It is checked again against the book
    of the month it takes effect, and refused if it does not load or a case fails."""
    _require_decidable(version, approver)
    if effective_from is None:
        raise DomainError("effective_date_required", _("批准时必须填写生效日期。"), {"field": "effective_from"})
    check = policy_version_check(book=version.book, policy=version.policy, text=version.text,
                                 month=Month(effective_from.year, effective_from.month))  # fmt: skip
    if check.problems != version.problems or check.cases != version.cases_report:
        version.problems, version.cases_report, version.cases_passed = check.problems, check.cases, check.cases_passed
        version.save(update_fields=["problems", "cases_report", "cases_passed", "updated_at"])
    _require_sound(version)
    with transaction.atomic():
        locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != PolicyVersion.Status.DRAFT:
            raise DomainError("not_a_draft", _("该版本已处理，不能再审批。"), status=409)
        locked.status = PolicyVersion.Status.APPROVED
        locked.effective_from, locked.decided_by, locked.decided_at = effective_from, approver, timezone.now()
        locked.decision_reason = reason
        locked.save()
        audit_record(
            request=request,
            actor=approver,
            action="radar.version.approve",
            object_type="policy_version",
            object_id=locked.pk,
            detail={**_detail(locked), "effective_from": effective_from.isoformat()},
        )
    return locked


def policy_version_reject(*, version: PolicyVersion, approver, reason: str, request=None) -> PolicyVersion:
    """Another staff member sends a submitted draft back, saying why."""
    _require_decidable(version, approver)
    if not reason.strip():
        raise DomainError("reason_required", _("退回时必须说明理由。"), {"field": "reason"})
    with transaction.atomic():
        version.status = PolicyVersion.Status.REJECTED
        version.decided_by, version.decided_at, version.decision_reason = approver, timezone.now(), reason.strip()
        version.save()
        audit_record(request=request, actor=approver, action="radar.version.reject", object_type="policy_version",
                     object_id=version.pk, reason=reason.strip(), detail=_detail(version))  # fmt: skip
    return version


def _detail(version: PolicyVersion) -> dict:
    return {"book": version.book, "policy": version.policy, "number": version.number, "valid": version.valid,
            "cases_passed": version.cases_passed}  # fmt: skip


def _require_own_draft(version: PolicyVersion, actor) -> None:
    if version.status != PolicyVersion.Status.DRAFT:
        raise DomainError("not_a_draft", _("只有草稿可以修改、提交或撤回。"), status=409)
    if version.created_by_id != actor.pk:
        raise DomainError("not_the_author", _("只有起草人可以修改、提交或撤回自己的草稿。"), status=403)


def _require_decidable(version: PolicyVersion, approver) -> None:
    if version.status != PolicyVersion.Status.DRAFT:
        raise DomainError("not_a_draft", _("该版本已处理，不能再审批。"), status=409)
    if version.created_by_id == approver.pk:
        raise DomainError("self_approval", _("不能审批自己起草的版本，须由另一名工作人员审批。"), status=403)
    if not version.submitted:
        raise DomainError("not_submitted", _("起草人尚未提交审批。"), status=409)


def _require_sound(version: PolicyVersion) -> None:
    if not version.valid:
        raise DomainError("version_invalid", _("政策文件未通过校验，不能提交或批准。"),
                          {"problems": version.problems[:20]})  # fmt: skip
    if not version.cases_passed:
        raise DomainError("cases_failed", _("测试用例未全部通过（或没有测试用例），不能提交或批准。"),
                          {"failed": [c["case"] for c in version.cases_report if not c["passed"]]})  # fmt: skip
