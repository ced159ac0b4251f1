"""The index follows changes: this process's at once (after commit), another process's from the `changed_at`
watermark within the refresh interval; it is rebuilt from the database at start; expired jobs drop out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from magnet.apps.common.fixtures import make_user
from magnet.apps.matching import engine, services
from magnet.apps.matching.models import Job, TalentProfile
from magnet.apps.matching.tests.matching_cast import li_na, publish, zhang_wei

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def job_ids(holder, profile):
    return [m.id for m in holder.index().best_jobs(engine.talent_value(profile), k=50)]


def talent_ids(holder, job):
    return [m.id for m in holder.index().best_talents(engine.job_value(job), k=50)]


@pytest.fixture
def shipyard(cast_snapshot):
    return make_user("enterprise")


def test_the_index_is_built_from_the_database_on_first_use(shipyard):
    open_job = publish(shipyard)
    closed = publish(shipyard, title="已关闭的岗位")
    services.job_close(job=closed, actor=shipyard)
    draft = services.job_save(
        actor=shipyard,
        data={
            "title": "草稿",
            "description": "草稿",
            "adcode": "320613",
            "pay_min": 1,
            "pay_max": 2,
            "headcount": 1,
            "deadline": timezone.localdate(),
        },
    )
    past = publish(shipyard, title="昨天截止")
    Job.objects.filter(pk=past.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    talent = zhang_wei()
    hidden = li_na()
    holder = engine.IndexHolder()
    assert not holder.built
    assert job_ids(holder, talent.job_profile) == [str(open_job.pk)]
    assert talent_ids(holder, open_job) == [str(talent.pk)]
    assert str(draft.pk) not in job_ids(holder, talent.job_profile) and str(hidden.pk) not in talent_ids(
        holder, open_job
    )


def test_a_change_in_one_process_shows_in_another_within_the_refresh_interval(
    shipyard, django_capture_on_commit_callbacks
):
    talent = zhang_wei()
    clock_a, clock_b = Clock(), Clock()
    here = engine.IndexHolder(clock=clock_a)  # the process that publishes
    there = engine.IndexHolder(clock=clock_b)  # another web worker
    assert job_ids(here, talent.job_profile) == [] and job_ids(there, talent.job_profile) == []
    engine.holder = here  # the services tell this process's holder after commit
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = publish(shipyard)
    finally:
        engine.holder = engine.IndexHolder()
    assert job_ids(here, talent.job_profile) == [str(job.pk)]  # at once where it happened
    clock_b.now += engine.REFRESH_SECONDS - 1
    assert job_ids(there, talent.job_profile) == []  # not yet looked
    clock_b.now += 1
    assert job_ids(there, talent.job_profile) == [str(job.pk)]  # within 30 s (well inside the minute)
    # Closing, and a talent withdrawing consent, reach the other process the same way.
    services.job_close(job=job, actor=shipyard)
    TalentProfile.objects.filter(user=talent).update(discoverable=False, changed_at=timezone.now())
    clock_b.now += engine.REFRESH_SECONDS
    assert job_ids(there, talent.job_profile) == []
    assert talent_ids(there, job) == []


def test_a_job_drops_out_of_the_index_after_its_deadline(shipyard, monkeypatch):
    job = publish(shipyard, deadline=timezone.localdate())
    talent = zhang_wei()
    clock = Clock()
    holder = engine.IndexHolder(clock=clock)
    assert job_ids(holder, talent.job_profile) == [str(job.pk)]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    clock.now += engine.REFRESH_SECONDS
    assert job_ids(holder, talent.job_profile) == []


def test_services_update_this_process_index_after_commit(shipyard, django_capture_on_commit_callbacks):
    talent = zhang_wei()
    assert engine.best_jobs(talent.job_profile) == []  # builds the process-wide index
    with django_capture_on_commit_callbacks(execute=True):
        job = publish(shipyard)
    assert [m.id for m in engine.best_jobs(talent.job_profile)] == [str(job.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        services.job_close(job=job, actor=shipyard)
    assert engine.best_jobs(talent.job_profile) == []
