"""Pluggable SMS backends. The console backend prints (demo); the outbox keeps messages for tests.

A real gateway is a class with `send(phone, text)`; name it in MAGNET_SMS_BACKEND.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from magnet.core.feeds.checks import mask_phone


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str


class ConsoleBackend:
    """Writes each message to standard error, where `make demo` shows it (development only)."""

    def send(self, phone: str, text: str) -> None:
        # The number is masked even here: logs never carry a full phone number (DP-3).
        print(f"[SMS to {mask_phone(phone)}] {text}", file=sys.stderr, flush=True)


outbox: list[SmsMessage] = []


class OutboxBackend:
    """Keeps messages in `magnet.apps.accounts.sms.outbox`, like Django's locmem mail backend."""

    def send(self, phone: str, text: str) -> None:
        outbox.append(SmsMessage(phone, text))


@cache
def _backend(path: str):
    return import_string(path)()


def sms_send(phone: str, text: str) -> None:
    _backend(settings.MAGNET_SMS_BACKEND).send(phone, text)
