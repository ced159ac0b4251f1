"""Background work of the radar: performing a queued run (by `db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def radar_run_task(run_id: str) -> str:
    """Screen (or what-if) a queued run, updating its progress; see `services.runs`."""
    from magnet.apps.radar.services import radar_run_perform

    return radar_run_perform(run_id=run_id)
