"""Recording uses of the talent code, one scan online or a batch of offline scans.

Each scan is verified as of its scan time with the published keys and the revocation list, checked
against the service catalogue (offered at this point, for the code's tier, named in the code), and
recorded once: a code is used at most once per service, and daily limits count every point. Offline
batches are applied whole under one lock; a scan already recorded is a duplicate and is ignored."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from magnet.apps.audit.services import audit_record
from magnet.apps.talentcode import services as keys
from magnet.apps.talentcode.models import Redemption, Service
from magnet.core import talentcode

_LOCK = 7_220_002  # advisory lock serialising redemption writes on PostgreSQL (daily limits)
_CHUNK = 5000


@dataclass(frozen=True)
class Scan:
    code: str
    service: str
    scanned_at: dt.datetime | None = None  # None: now (an online scan)


@dataclass
class Outcome:
    recorded: int = 0
    duplicates: int = 0
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (index, reason, message)
    claims: list[talentcode.TalentClaims | None] = field(default_factory=list)


class ScanRefused(Exception):
    """A valid code that this service or point may not accept (catalogue rules, not cryptography)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason, self.message = reason, message


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _check(scan: Scan, verifier, catalogue: dict[str, Service], offered: set[int], now: dt.datetime):
    """Verify one scan; return (claims, service, scan time) or raise CodeRefused / ScanRefused."""
    at = scan.scanned_at or now
    if at > now + dt.timedelta(minutes=5):
        raise ScanRefused("future_scan", "scan time is in the future")
    claims = verifier.verify(scan.code, at=at.timestamp())
    service = catalogue.get(scan.service)
    if service is None or not service.active or service.pk not in offered:
        raise ScanRefused("service_unavailable", f"service {scan.service[:40]} is not offered here")
    if claims.tier not in service.tiers:
        raise ScanRefused("tier_not_allowed", f"tier {claims.tier} may not use {service.key}")
    if service.key not in claims.services:
        raise ScanRefused("service_not_in_code", f"the code does not open {service.key}")
    return claims, service, at


def redemption_record(*, scans: list[Scan], point, verifier_user, offline: bool) -> Outcome:
    """Verify and record scans at a service point (see the module docstring for the rules)."""
    verifier = talentcode.Verifier(keys.published_keyset(), keys.revocation_list(),
                                   issuer=settings.MAGNET_TALENT_CODE_ISSUER)
    catalogue = {s.key: s for s in Service.objects.all()}
    offered = set(point.services.values_list("pk", flat=True))
    outcome = Outcome(claims=[None] * len(scans))
    now = timezone.now()

    def check(index_scan):
        index, scan = index_scan
        try:
            return index, _check(scan, verifier, catalogue, offered, now), None
        except (talentcode.CodeRefused, ScanRefused) as refused:
            return index, None, (index, str(refused.reason), refused.message)

    checked = [check(pair) for pair in enumerate(scans)]
    candidates = []
    for index, passed, refusal in checked:
        if refusal is not None:
            outcome.refused.append(refusal)
            continue
        claims, service, at = passed
        outcome.claims[index] = claims
        candidates.append((index, claims, service, at))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        rows = _accept(candidates, outcome, point, verifier_user, offline)
        _insert(rows)
        outcome.recorded = len(rows)
        audit_record(actor=verifier_user, action="talent_code.redeem", object_type="service_point",
                     object_id=point.pk, detail={"recorded": outcome.recorded, "duplicates": outcome.duplicates,
                                                 "refused": len(outcome.refused), "offline": offline})
    return outcome


def _accept(candidates, outcome: Outcome, point, verifier_user, offline: bool) -> list[Redemption]:
    """Apply duplicates and daily limits in order, against what is already recorded."""
    used = _already_used(candidates)
    counts = _daily_counts(candidates)
    rows = []
    for index, claims, service, at in candidates:
        key = (claims.cti.hex(), service.pk)
        if key in used:
            if offline:
                outcome.duplicates += 1  # the same scan uploaded again: nothing to do
            else:
                outcome.refused.append((index, "already_used", f"this code was already used for {service.key}"))
            continue
        day = _day(at)
        if service.daily_limit is not None and counts[(claims.sub, service.pk, day)] >= service.daily_limit:
            outcome.refused.append((index, "daily_limit", f"{service.key}: {service.daily_limit} a day already used"))
            continue
        used.add(key)
        counts[(claims.sub, service.pk, day)] += 1
        rows.append(Redemption(cti=key[0], subject=claims.sub, tier=claims.tier, service=service, point=point,
                               verifier=verifier_user, scanned_at=at, scanned_day=day, offline=offline))
    return rows


def _insert(rows: list[Redemption]) -> None:
    """Insert the accepted rows: COPY on PostgreSQL (a 100,000-scan upload in a second or two), bulk
    INSERT elsewhere. The unique constraint still guards against any double use."""
    if connection.vendor != "postgresql" or len(rows) < _CHUNK:
        Redemption.objects.bulk_create(rows, batch_size=_CHUNK)
        return
    columns = ["cti", "subject", "tier", "service_id", "point_id", "verifier_id", "scanned_at", "scanned_day",
               "recorded_at", "offline"]
    now = timezone.now()
    table = connection.ops.quote_name(Redemption._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row((r.cti, r.subject, r.tier, r.service_id, r.point_id, r.verifier_id, r.scanned_at,
                            r.scanned_day, now, r.offline))


def _already_used(candidates) -> set[tuple[str, int]]:
    ctis = sorted({c[1].cti.hex() for c in candidates})
    used: set[tuple[str, int]] = set()
    for start in range(0, len(ctis), _CHUNK):
        used.update(Redemption.objects.filter(cti__in=ctis[start:start + _CHUNK]).values_list("cti", "service_id"))
    return used


def _daily_counts(candidates) -> Counter:
    limited = [c for c in candidates if c[2].daily_limit is not None]
    subjects = sorted({c[1].sub for c in limited})
    days = sorted({_day(c[3]) for c in limited})
    counts: Counter = Counter()
    for start in range(0, len(subjects), _CHUNK):
        rows = Redemption.objects.filter(subject__in=subjects[start:start + _CHUNK], scanned_day__in=days)
        counts.update(rows.values_list("subject", "service_id", "scanned_day"))
    return counts
