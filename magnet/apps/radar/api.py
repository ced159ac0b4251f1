"""The radar's JSON API: runs (list, start, status with totals) and one person's explanation (audited)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from magnet.apps.common.api_auth import allow
from magnet.apps.common.errors import DomainError
from magnet.apps.feeds import selectors as feed_selectors
from magnet.apps.feeds.models import Snapshot
from magnet.apps.radar import selectors, services
from magnet.apps.radar.models import Run

router = Router(tags=["radar"], auth=allow("staff"))


class RunIn(Schema):
    snapshot: str = Field(description="snapshot id")
    month: str = Field(description="YYYY-MM", examples=["2024-06"])
    book: str = "demo"
    policies: list[str] | None = Field(None, description="policy ids; default every policy in force")


class RunStarted(Schema):
    id: uuid.UUID
    status: str


class RunTotalOut(Schema):
    policy: str
    district: str
    count: int
    amount: Decimal


class RunOut(Schema):
    id: uuid.UUID
    kind: str
    book: str
    book_version: str
    snapshot: str = Field(alias="snapshot_id")
    month: str
    policies: list[str]
    status: str
    progress: int
    stage: str
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    rows: int | None
    total_amount: Decimal | None


class RunDetailOut(RunOut):
    totals: list[RunTotalOut]
    comparison: dict


@router.get("/runs", response=list[RunOut])
def list_radar_runs(request):
    """Screening and what-if runs, newest first (the latest 100)."""
    return list(selectors.run_list()[:100])


@router.post("/runs", response={202: RunStarted})
def start_radar_run(request, payload: RunIn):
    """Queue a screening of a snapshot for a month by the book published for that month."""
    snapshot = Snapshot.objects.filter(pk=payload.snapshot).first()
    if snapshot is None:
        raise DomainError("snapshot_missing", "no such snapshot", {"field": "snapshot"}, status=404)
    run = services.radar_run_start(actor=request.user, snapshot=snapshot, month=payload.month, book=payload.book,
                                   policies=payload.policies, request=request)  # fmt: skip
    return Status(202, {"id": run.pk, "status": run.status})


@router.get("/runs/{run_id}", response=RunDetailOut)
def get_radar_run(request, run_id: uuid.UUID):
    """A run's status and progress; when done, its totals by policy and district and the comparison."""
    run = get_object_or_404(Run.objects.select_related("snapshot"), pk=run_id)
    fields = {f: getattr(run, f) for f in RunOut.model_fields if f != "snapshot"}
    return {**fields, "snapshot_id": run.snapshot_id, "totals": list(run.totals.all()), "comparison": run.comparison}


@router.get("/explain")
def explain_person(
    request, id_number: str, month: str, snapshot: str | None = None, book: str = "demo", reason: str = ""
):
    """One person's explanation for a month (identity number masked in the answer); audit-logged."""
    if snapshot is None:
        latest = feed_selectors.snapshot_latest()
        if latest is None:
            raise DomainError("snapshot_missing", "no snapshot is loaded", status=404)
        snapshot = latest.id
    result = services.radar_explain(request=request, snapshot_id=snapshot, month=month, id_number=id_number,
                                    book=book, reason=reason)  # fmt: skip
    if result is None:
        raise DomainError("not_found", "the person is not in the snapshot within your districts", status=404)
    return result
