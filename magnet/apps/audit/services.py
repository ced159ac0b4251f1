"""Writing and checking the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from magnet.apps.audit.models import AuditEntry
from magnet.core.pii import redact

GENESIS = "0" * 64
_CHAIN_LOCK = 7_220_001  # advisory lock key that serialises appends to the chain on PostgreSQL


def client_ip(request) -> str | None:
    # Behind the city's reverse proxy the trusted address is set there; REMOTE_ADDR is what we trust.
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _actor_fields(actor, request) -> dict[str, Any]:
    user = actor
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if user is None:
        return {"actor_id": None, "actor_username": "", "actor_role": "", "scope": ""}
    return {
        "actor_id": user.pk,
        "actor_username": user.get_username(),
        "actor_role": getattr(user, "role", ""),
        "scope": getattr(user, "scope_label", lambda: "")(),
    }


def audit_record(
    *,
    action: str,
    request=None,
    actor=None,
    object_type: str = "",
    object_id: str = "",
    subject_index: str = "",
    result: str = "ok",
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. If it cannot be written, the exception propagates: callers do the sensitive
    action inside the same transaction, so no reveal or approval happens without its record (LG-3).

    Free text (the object id, the reason) is redacted: the person concerned is named only by
    `subject_index`, never by a number typed into a reason or a user-name field."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = AuditEntry(
            at=timezone.now(),
            ip=client_ip(request),
            request_id=getattr(request, "request_id", "") if request is not None else "",
            action=action,
            object_type=object_type,
            object_id=redact(str(object_id))[:200],
            subject_index=subject_index,
            result=result,
            reason=redact(reason)[:500],
            detail=detail or {},
            prev_hash=last or GENESIS,
            **_actor_fields(actor, request),
        )
        entry.hash = entry.compute_hash()
        entry.save()
        return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def audit_chain_verify() -> ChainReport:
    """Recompute every hash in order; report the first entry whose content or link was changed."""
    prev = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        # Reload `at` with full precision: the hash covers microseconds.
        if entry.prev_hash != prev or entry.compute_hash() != entry.hash:
            return ChainReport(checked, entry.id)
        prev = entry.hash
        checked += 1
    return ChainReport(checked, None)


def audit_search(*, actor: str = "", action: str = "", object_id: str = "", subject_index: str = "",
                 since: dt.date | None = None, until: dt.date | None = None):
    """Entries matching every filter given, newest first."""
    rows = AuditEntry.objects.all()
    if actor:
        rows = rows.filter(actor_username__icontains=actor)
    if action:
        rows = rows.filter(action__startswith=action)
    if object_id:
        rows = rows.filter(object_id=object_id)
    if subject_index:
        rows = rows.filter(subject_index=subject_index)
    if since:
        rows = rows.filter(at__date__gte=since)
    if until:
        rows = rows.filter(at__date__lte=until)
    return rows.order_by("-id")
