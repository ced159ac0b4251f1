"""The city's talent-code keys and revocation list."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from magnet.apps.audit.services import audit_record
from magnet.apps.common.errors import DomainError
from magnet.apps.common.pii import cipher
from magnet.apps.talentcode.models import Revocation, SigningKey
from magnet.core import talentcode

_CONTEXT = "talent_code_signing_key"


def _store(key: talentcode.SigningKey, *, actor) -> SigningKey:
    return SigningKey.objects.create(
        kid=key.kid.hex(),
        private_cipher=cipher().encrypt(key.private_bytes().hex(), context=_CONTEXT),
        public_cose=key.public.encode(),
        created_by=actor,
    )


def _load(row: SigningKey) -> talentcode.SigningKey:
    raw = bytes.fromhex(cipher().decrypt(row.private_cipher, context=_CONTEXT))
    return talentcode.SigningKey.from_private_bytes(raw)


def signing_key_current() -> talentcode.SigningKey:
    """The key that signs codes now; the first one is created on first use."""
    with transaction.atomic():
        row = SigningKey.objects.select_for_update().filter(superseded_at__isnull=True).first()
        if row is None:
            row = _store(talentcode.SigningKey.generate(), actor=None)
            audit_record(action="talent_code.key_create", object_type="signing_key", object_id=row.kid)
    return _load(row)


def signing_key_rotate(*, actor=None, request=None) -> str:
    """Start signing with a new key; the previous one stays published so its codes still verify."""
    with transaction.atomic():
        SigningKey.objects.select_for_update().filter(superseded_at__isnull=True).update(superseded_at=timezone.now())
        row = _store(talentcode.SigningKey.generate(), actor=actor)
        audit_record(request=request, actor=actor, action="talent_code.key_rotate", object_type="signing_key",
                     object_id=row.kid)
    return row.kid


def signing_key_retire(*, kid: str, actor=None, request=None) -> None:
    """Stop publishing a superseded key: every code it signed is refused from now on."""
    with transaction.atomic():
        row = SigningKey.objects.select_for_update().filter(kid=kid, retired_at__isnull=True).first()
        if row is None:
            raise DomainError("key_unknown", f"no published key {kid}")
        if row.superseded_at is None:
            raise DomainError("key_current", "the current signing key cannot be retired: rotate first")
        row.retired_at = timezone.now()
        row.save(update_fields=["retired_at"])
        audit_record(request=request, actor=actor, action="talent_code.key_retire", object_type="signing_key",
                     object_id=kid)


def published_keyset() -> talentcode.KeySet:
    """Every key whose codes verifiers must accept: the current one and superseded, unretired ones."""
    signing_key_current()
    rows = SigningKey.objects.filter(retired_at__isnull=True).order_by("created_at")
    return talentcode.KeySet.of(*(talentcode.PublicKey.decode(bytes(row.public_cose)) for row in rows))


def revocation_list() -> talentcode.RevocationList:
    ctis = [bytes.fromhex(c) for c in Revocation.objects.exclude(cti="").values_list("cti", flat=True)]
    subjects = list(Revocation.objects.exclude(subject="").values_list("subject", flat=True))
    return talentcode.RevocationList.of(iss=settings.MAGNET_TALENT_CODE_ISSUER, iat=int(time.time()), ctis=ctis,
                                        subjects=subjects)


def revocation_list_signed() -> bytes:
    """The revocation list as verifiers download it: a COSE_Sign1 by the current key."""
    return revocation_list().sign(signing_key_current())
