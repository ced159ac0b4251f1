"""Background work of the matching app (run by `db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def job_expire_task(job_id: int) -> int:
    """Queued for the day after a job's deadline: mark it expired if it is still published."""
    from magnet.apps.matching.services import jobs_expire

    return jobs_expire(job_ids=[job_id])


@task()
def jobs_expire_all_task() -> int:
    """Mark every published job past its deadline as expired (for a scheduler, or by hand)."""
    from magnet.apps.matching.services import jobs_expire

    return jobs_expire()
