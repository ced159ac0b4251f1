"""The one place that talks to the matching engine (`magnet.core.matching`).

It turns rows into the engine's values (`job_value`, `talent_value`) and keeps one index per process:

- built lazily from the database on first use (published, unexpired jobs; talents who opted in);
- kept current in this process by the services, which call `job_changed` / `talent_changed` once their
  transaction has committed (`transaction.on_commit`);
- brought up to date with the other processes' changes (the web server runs several workers, the task
  worker another) from the `changed_at` watermark, at most every `REFRESH_SECONDS` per process, so a
  change shows everywhere within a minute.

Ids in the index are the rows' primary keys as text: jobs `"<pk>"`, talents the user's `"<pk>"`.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING

from django.utils import timezone

from magnet.apps.reference.loading import DATA as REFERENCE_DATA

if TYPE_CHECKING:
    from magnet.core.matching import Catalogue, Filters, Match, MatchIndex, Part
    from magnet.core.matching import Job as EngineJob
    from magnet.core.matching import Talent as EngineTalent

__all__ = [
    "IndexHolder",
    "holder",
    "job_value",
    "talent_value",
    "explain",
    "best_jobs",
    "best_talents",
    "job_changed",
    "talent_changed",
    "filters",
]

REFRESH_SECONDS = 30
# Rows are read again from a little before the watermark: a transaction that set `changed_at` before the
# last refresh but committed after it would otherwise be missed. Upserts are idempotent, so the overlap
# costs only a few rows read twice.
SLACK = dt.timedelta(seconds=60)
MAJORS_CSV = REFERENCE_DATA / "moe_undergrad_majors_2026.csv"


def _core():
    # Imported on first use, not with this module: the pages and the rest of the platform load even where
    # the engine cannot (and a failure names the engine, at the first page that needs it).
    import magnet.core.matching as core

    return core


@cache
def catalogue() -> Catalogue:
    """The MOE undergraduate catalogue the engine reads major, class and discipline codes from."""
    return _core().Catalogue.from_csv(MAJORS_CSV)


def job_value(job) -> EngineJob:
    return _core().Job(
        id=str(job.pk),
        title=job.title,
        description=job.description,
        majors=tuple(job.majors),
        min_degree=job.min_degree or None,
        skills=tuple(job.skills),
        adcode=job.adcode or None,
        pay_min=job.pay_min,
        pay_max=job.pay_max,
        chain=job.chain or None,
        posted=timezone.localdate(job.published_at) if job.published_at else None,
        key_chain=bool(job.key_enterprise and job.chain),
    )


def talent_value(profile) -> EngineTalent:
    return _core().Talent(
        id=str(profile.user_id),
        degree=profile.degree or None,
        major_code=profile.major_code or None,
        skills=tuple(profile.skills),
        wish_adcodes=tuple(profile.wish_adcodes),
        wish_pay=profile.wish_pay,
        wish_chains=tuple(profile.wish_chains),
        about=profile.about,
    )


def _open_jobs(today: dt.date):
    from magnet.apps.matching.models import Job

    return Job.objects.filter(status=Job.Status.PUBLISHED, deadline__gte=today)


def _job_is_open(job, today: dt.date) -> bool:
    from magnet.apps.matching.models import Job

    return job.status == Job.Status.PUBLISHED and job.deadline >= today


class IndexHolder:
    """One process's index and the watermark of the changes it has seen."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, refresh_seconds: float = REFRESH_SECONDS):
        self.clock = clock
        self.refresh_seconds = refresh_seconds
        self._lock = threading.RLock()
        self._index: MatchIndex | None = None
        self._deadlines: dict[str, dt.date] = {}  # open jobs in the index → their deadline, to drop them after it
        self._watermark: dt.datetime | None = None
        self._checked = 0.0

    @property
    def built(self) -> bool:
        return self._index is not None

    def index(self) -> MatchIndex:
        """The index, built on first use and refreshed from the database when the last check is old."""
        with self._lock:
            if self._index is None:
                self._build()
            elif self.clock() - self._checked >= self.refresh_seconds:
                self.refresh()
            assert self._index is not None
            return self._index

    def reset(self) -> None:
        with self._lock:
            self._index, self._deadlines, self._watermark = None, {}, None

    def _build(self) -> None:
        from magnet.apps.matching.models import TalentProfile

        started, today = timezone.now(), timezone.localdate()
        index = _core().MatchIndex(catalogue())
        deadlines: dict[str, dt.date] = {}
        for job in _open_jobs(today).iterator(chunk_size=1000):
            index.upsert_job(job_value(job))
            deadlines[str(job.pk)] = job.deadline
        for profile in TalentProfile.objects.filter(discoverable=True).iterator(chunk_size=1000):
            index.upsert_talent(talent_value(profile))
        self._index, self._deadlines, self._watermark, self._checked = index, deadlines, started, self.clock()

    def refresh(self) -> None:
        """Apply every job and profile changed since the watermark (by any process), and drop expired jobs."""
        from magnet.apps.matching.models import Job, TalentProfile

        with self._lock:
            if self._index is None or self._watermark is None:
                self._build()
                return
            started, today = timezone.now(), timezone.localdate()
            since = self._watermark - SLACK
            for job in Job.objects.filter(changed_at__gte=since).iterator(chunk_size=1000):
                self._apply_job(job, today)
            for profile in TalentProfile.objects.filter(changed_at__gte=since).iterator(chunk_size=1000):
                self._apply_talent(profile)
            for job_id in [i for i, deadline in self._deadlines.items() if deadline < today]:
                self._index.remove_job(job_id)
                del self._deadlines[job_id]
            self._watermark, self._checked = started, self.clock()

    def _apply_job(self, job, today: dt.date) -> None:
        assert self._index is not None
        key = str(job.pk)
        if _job_is_open(job, today):
            self._index.upsert_job(job_value(job))
            self._deadlines[key] = job.deadline
        elif key in self._deadlines:
            self._index.remove_job(key)
            del self._deadlines[key]

    def _apply_talent(self, profile) -> None:
        assert self._index is not None
        if profile.discoverable:
            self._index.upsert_talent(talent_value(profile))
        else:
            self._index.remove_talent(str(profile.user_id))

    # Called by the services after their transaction committed: this process sees the change at once.
    def job_changed(self, job) -> None:
        with self._lock:
            if self._index is not None:
                self._apply_job(job, timezone.localdate())

    def talent_changed(self, profile) -> None:
        with self._lock:
            if self._index is not None:
                self._apply_talent(profile)


holder = IndexHolder()


def job_changed(job) -> None:
    holder.job_changed(job)


def talent_changed(profile) -> None:
    holder.talent_changed(profile)


def best_jobs(profile, *, k: int = 20, filters: Filters | None = None) -> list[Match]:
    """The best open jobs for a talent's profile (the talent need not have opted in to be found)."""
    return holder.index().best_jobs(talent_value(profile), k=k, filters=filters)


def best_talents(job, *, k: int = 50, filters: Filters | None = None) -> list[Match]:
    """The best talents who opted in, for a job (published or not: an enterprise may look before publishing)."""
    return holder.index().best_talents(job_value(job), k=k, filters=filters)


def explain(profile, job) -> Match:
    """The score of one talent for one job, part by part."""
    return holder.index().explain(talent_value(profile), job_value(job))


def filters(
    *, adcode_prefix: str = "", chain: str = "", min_degree: str = "", pay_at_least: int | None = None
) -> Filters | None:
    """The engine's filters from form values; None when nothing is filtered."""
    if not (adcode_prefix or chain or min_degree or pay_at_least):
        return None
    return _core().Filters(
        adcode_prefix=adcode_prefix or None,
        chain=chain or None,
        min_degree=min_degree or None,
        pay_at_least=pay_at_least or None,
    )


def part_words(part: Part, language: str) -> str:
    return part.en if language == "en" else part.zh


def ids(matches: Iterable[Match]) -> list[int]:
    return [int(m.id) for m in matches]
