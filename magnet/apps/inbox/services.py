"""Sending notifications: the inbox always, and an SMS through the pluggable backend when asked.

`notify` returns the notification; whether the SMS could be sent is recorded on it (a user without a
phone, or a gateway error, leaves `sms_sent` False, so callers can list people who cannot be reached).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from magnet.apps.inbox.models import Notification

logger = logging.getLogger(__name__)


def notify(user, *, kind: str, text: str, link: str = "", sms: bool = False) -> Notification:
    note = Notification.objects.create(user=user, kind=kind, text=text[:500], link=link[:300])
    if sms:
        phone = user.phone_plain() if getattr(user, "phone_cipher", "") else ""
        if phone:
            from magnet.apps.accounts.sms import sms_send

            def send() -> None:
                try:
                    sms_send(phone, f"{text} {link}".strip())
                except Exception:  # the gateway failed: the inbox has it; the caller sees sms_sent False
                    logger.exception("inbox: SMS to user %s failed", user.pk)
                    return
                Notification.objects.filter(pk=note.pk).update(sms_sent=True)

            transaction.on_commit(send)
    return note


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, ids=None) -> int:
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())
