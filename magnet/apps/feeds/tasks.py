"""Background work of the feeds app: loading an uploaded snapshot (run by `db_worker`)."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.utils import timezone
from django_tasks import task

from magnet.apps.common.errors import DomainError


@task()
def feed_load_run(load_id: int) -> str:
    """Validate and store the files of an upload, recording the outcome on its FeedLoad row."""
    from magnet.apps.feeds.models import FeedLoad
    from magnet.apps.feeds.services import snapshot_load

    load = FeedLoad.objects.select_related("created_by").get(pk=load_id)
    if load.status != FeedLoad.Status.QUEUED:
        return load.status  # already handled: a retried task never loads twice
    load.status, load.started_at = FeedLoad.Status.RUNNING, timezone.now()
    load.save(update_fields=["status", "started_at"])
    try:
        snapshot, created = snapshot_load(src_dir=Path(load.work_dir), actor=load.created_by, source="upload")
        load.snapshot = snapshot
        load.status = FeedLoad.Status.LOADED if created else FeedLoad.Status.UNCHANGED
    except DomainError as error:
        load.status = FeedLoad.Status.REJECTED
        load.message = str(error.message)
        load.problems = error.extra.get("problems", [])
        load.total = error.extra.get("total", 0)
    except Exception as error:  # an unexpected failure is shown to staff, never a half-loaded snapshot
        load.status = FeedLoad.Status.FAILED
        load.message = f"{type(error).__name__}"
        raise
    finally:
        load.finished_at = timezone.now()
        load.save()
        shutil.rmtree(load.work_dir, ignore_errors=True)
    return load.status
