"""The platform's field cipher and blind index, built once from settings."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from magnet.core.pii import BlindIndex, FieldCipher


@cache
def cipher() -> FieldCipher:
    return FieldCipher.from_spec(settings.MAGNET_FIELD_KEYS)


@cache
def blind_index() -> BlindIndex:
    return BlindIndex.from_b64(settings.MAGNET_INDEX_KEY)


def id_number_index(id_number: str) -> str:
    return blind_index().digest(id_number, kind="id_number")


def phone_index(phone: str) -> str:
    return blind_index().digest(phone, kind="phone")
