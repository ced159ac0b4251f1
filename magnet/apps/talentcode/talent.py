"""The talent's own code: their tier by the policy book's tier rules, and a fresh signed code to show.

The tier comes from the `tiers` rules of the published demo book, evaluated for the talent's identity
number on the latest stored snapshot (`magnet.core.radar.engine.tier_of`, the same query as a screening),
and is cached per user, snapshot, book version and month so that the page's minute refresh only signs.
The code's subject is a pseudonym: an HMAC of the account's primary key under the blind-index key with its
own context, stable for the account and never derived from the identity number. Codes are issued every
minute, so issuing is not audited, and nothing here logs the code text.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from magnet.apps.common.errors import DomainError
from magnet.apps.common.pii import blind_index
from magnet.apps.feeds.selectors import snapshot_latest
from magnet.apps.radar.selectors import published_book
from magnet.apps.talentcode import services as keys
from magnet.apps.talentcode.models import Revocation, Service
from magnet.core import talentcode
from magnet.core.feeds import open_snapshot
from magnet.core.radar import Month, ScreeningRefused, connect
from magnet.core.radar.engine import tier_of, use_person

BOOK = "demo"
SUBJECT_CONTEXT = "talent-code-subject"
SUBJECT_BYTES = 15  # 120 bits: 24 base32 characters in the code
TIER_CACHE_SECONDS = 6 * 3600  # the key names the snapshot and book version, so new data is never hidden


class State:
    OK = "ok"
    UNBOUND = "unbound"  # no identity number bound yet
    UNVERIFIED = "unverified"  # bound, but not confirmed to be theirs: their data is not shown
    NO_SNAPSHOT = "no_snapshot"  # no department data loaded yet
    NOT_FOUND = "not_found"  # not in the latest persons feed
    NO_TIER = "no_tier"  # in the data, but no tier rule holds
    NO_RULES = "no_rules"  # the book has no tier rules
    REVOKED = "revoked"  # every code of this talent is revoked


@dataclass(frozen=True)
class TalentTier:
    """A talent's tier this month, with each tier rule as the engine evaluated it (no identity number)."""

    state: str
    tier: str | None = None
    month: str = ""
    snapshot_id: str = ""
    book_version: str = ""
    rules: tuple[dict, ...] = ()  # {tier, zh, en, text, passed, values: [{key, zh, en, value}]}

    @property
    def rule(self) -> dict | None:
        """The rule of the talent's tier (its wording is the tier's meaning)."""
        return next((r for r in self.rules if r["tier"] == self.tier), None)


@dataclass(frozen=True)
class IssuedCode:
    code_text: str
    expires_at: dt.datetime
    tier: str
    services: list[Service] = field(default_factory=list)
    subject: str = ""
    cti: str = ""  # hex


def today() -> dt.date:
    return timezone.localdate()


def talent_code_subject(user) -> str:
    """The talent's pseudonymous id in codes: stable per account, never the identity number.

    An HMAC (blind-index key, own context) of the primary key, so knowing someone's identity number or its
    blind index does not find their codes, and the subject can be revoked like any other."""
    digest = bytes.fromhex(blind_index().digest(str(user.pk), kind=SUBJECT_CONTEXT))
    return base64.b32encode(digest[:SUBJECT_BYTES]).decode("ascii")


def _tier_compute(*, id_number: str, snapshot_id: str, book, month) -> TalentTier:
    snapshot = open_snapshot(settings.MAGNET_DATA_DIR, snapshot_id)
    index = Path(settings.MAGNET_DATA_DIR) / "radar" / "person-index" / snapshot_id
    con = connect(threads=2)
    try:
        use_person(con, snapshot, index, id_number)  # the person's index bucket when built, else everything
        result = tier_of(con, book, month, id_number)
    except ScreeningRefused:
        return TalentTier(State.NO_RULES, month=str(month), snapshot_id=snapshot_id, book_version=book.version)
    finally:
        con.close()
    if not result.found:
        state = State.NOT_FOUND
    else:
        state = State.OK if result.tier else State.NO_TIER
    return TalentTier(state, result.tier, str(month), snapshot_id, book.version, tuple(result.rules))


def talent_tier(user) -> TalentTier:
    """The talent's tier for this month on the latest snapshot, by the published book (cached)."""
    if not user.id_number_cipher:
        return TalentTier(State.UNBOUND)
    if not user.is_identity_verified:
        return TalentTier(State.UNVERIFIED)
    snapshot = snapshot_latest()
    if snapshot is None:
        return TalentTier(State.NO_SNAPSHOT)
    day = today()
    month = Month(day.year, day.month)
    book = published_book(BOOK, month)
    key = f"talentcode:tier:{user.pk}:{snapshot.id}:{book.version}:{month}"
    tier = cache.get(key)
    if tier is None:
        tier = _tier_compute(id_number=user.id_number_plain(), snapshot_id=snapshot.id, book=book, month=month)
        cache.set(key, tier, TIER_CACHE_SECONDS)
    return tier


def services_for_tier(tier: str) -> list[Service]:
    """The active catalogue services open to a tier, by key."""
    return [s for s in Service.objects.filter(active=True).order_by("key") if tier in s.tiers]


def talent_code_issue(user, *, tier: TalentTier | None = None, now: int | None = None) -> IssuedCode:
    """A fresh code for the talent: their tier and its services, signed by the city's current key.

    Raises DomainError when the talent has no tier (the code names the state: unbound, no_tier …) or
    every code of theirs is revoked."""
    tier = tier or talent_tier(user)
    if tier.state != State.OK or tier.tier is None:
        raise DomainError(tier.state, _("暂时无法生成人才码。"), status=409)
    subject = talent_code_subject(user)
    if Revocation.objects.filter(subject=subject).exists():
        raise DomainError(State.REVOKED, _("您的人才码已被停用，请联系人才服务专席。"), status=409)
    offered = services_for_tier(tier.tier)
    claims = talentcode.TalentClaims.new(
        iss=settings.MAGNET_TALENT_CODE_ISSUER,
        sub=subject,
        tier=tier.tier,
        services=[s.key for s in offered],
        now=now,
        lifetime=settings.MAGNET_TALENT_CODE_TTL,
    )
    text = talentcode.issue(claims, keys.signing_key_current())
    expires_at = dt.datetime.fromtimestamp(claims.exp, tz=dt.UTC)
    return IssuedCode(text, expires_at, tier.tier, offered, subject, claims.cti.hex())
