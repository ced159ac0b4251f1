from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from magnet.apps.common.api_auth import allow
from magnet.apps.feeds import selectors

router = Router(tags=["feeds"], auth=allow("staff", "admin"))


class SnapshotOut(Schema):
    id: str
    created_at: dt.datetime
    source: str
    row_counts: dict[str, int]
    warnings: list[dict]


@router.get("/snapshots", response=list[SnapshotOut])
def list_snapshots(request):
    """Stored snapshots, newest first."""
    return list(selectors.snapshot_list()[:100])


@router.get("/snapshots/{snapshot_id}", response=SnapshotOut)
def get_snapshot(request, snapshot_id: str):
    return get_object_or_404(selectors.snapshot_list(), id=snapshot_id)
