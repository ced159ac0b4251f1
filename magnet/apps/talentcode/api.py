"""The service points' API: record a scan online, upload offline scans in a batch, list the services."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema
from ninja.responses import Status

from magnet.apps.common.api_auth import allow
from magnet.apps.common.errors import DomainError
from magnet.apps.talentcode.redemptions import Scan, redemption_record

router = Router(tags=["talentcode"], auth=allow("verifier"))
MAX_BATCH = 100_000


class ScanIn(Schema):
    code: str = Field(max_length=4096)
    service: str = Field(max_length=40)
    scanned_at: dt.datetime | None = None


class BatchIn(Schema):
    scans: list[ScanIn] = Field(max_length=MAX_BATCH)


class RedeemedOut(Schema):
    recorded: bool
    subject: str
    tier: str
    services: list[str]


class RefusalOut(Schema):
    index: int
    reason: str
    message: str


class BatchOut(Schema):
    recorded: int
    duplicates: int
    refused: list[RefusalOut]


class ServiceOut(Schema):
    key: str
    name: str
    kind: str
    tiers: list[str]
    daily_limit: int | None


@router.get("/services", response=list[ServiceOut])
def list_services(request):
    """The services this service point offers, with the tiers admitted and daily limits."""
    return list(request.auth.service_point.services.filter(active=True).order_by("key"))


@router.post("/redemptions", response={201: RedeemedOut})
def redeem(request, scan: ScanIn):
    """Verify a scanned code now and record its use of a service (once per code and service)."""
    outcome = redemption_record(scans=[Scan(scan.code, scan.service)], point=request.auth.service_point,
                                verifier_user=request.auth, offline=False)
    if outcome.refused:
        _, reason, message = outcome.refused[0]
        raise DomainError(reason, message, status=409)
    claims = outcome.claims[0]
    body = {"recorded": True, "subject": claims.sub, "tier": claims.tier, "services": list(claims.services)}
    return Status(201, body)


@router.post("/redemptions/batch", response=BatchOut)
def upload_offline_scans(request, batch: BatchIn):
    """Scans made offline, each verified as of its scan time; re-uploaded scans are ignored."""
    scans = [Scan(s.code, s.service, s.scanned_at or dt.datetime.now(dt.UTC)) for s in batch.scans]
    outcome = redemption_record(scans=scans, point=request.auth.service_point, verifier_user=request.auth,
                                offline=True)
    return {"recorded": outcome.recorded, "duplicates": outcome.duplicates,
            "refused": [{"index": i, "reason": r, "message": m} for i, r, m in outcome.refused]}


