"""Reads: the talent map of the latest snapshot, demand from reports and postings, who has not reported,
the rows a quarter's catalogue would hold, and the published catalogues."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from magnet.apps.accounts.models import Enterprise, Role
from magnet.apps.talentmap.chains import Seed, shipped_seed
from magnet.apps.talentmap.compute import DemandItem, TalentMap, catalogue, talent_map
from magnet.apps.talentmap.models import URGENCY_RANK, DemandCatalogue, DemandLine, DemandReport, Urgency

CITY = "3206"
OTHER_CHAIN = ""  # demand of enterprises on none of the key chains


@dataclass(frozen=True)
class Posting:
    """An open or published job of the matching app, as the talent map needs it."""

    enterprise_id: int
    chain: str
    major_code: str
    degree: str
    count: int
    title: str


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def quarter_months(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First day of the quarter's first month and of its last month.

    >>> quarter_months(2026, 3)
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 1))
    """
    first = dt.date(year, 3 * quarter - 2, 1)
    return first, dt.date(year, 3 * quarter, 1)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def enterprise_chain(enterprise: Enterprise, seed: Seed | None = None) -> str:
    """The key chain of an enterprise: as the enterprises feed labelled it, else by its industry class."""
    seed = seed or shipped_seed()
    if enterprise.industry_chain in {c.key for c in seed.chains}:
        return enterprise.industry_chain
    found = seed.chain_of_industry(enterprise.industry_code)
    return found.key if found else OTHER_CHAIN


def chain_name(key: str, seed: Seed | None = None) -> str:
    from django.utils.translation import gettext

    if not key:
        return gettext("其他行业")
    try:
        return (seed or shipped_seed()).chain(key).name
    except KeyError:
        return key


# --- postings: the only place that reads the matching app ---------------------------------------------------


def _job_model():
    if not apps.is_installed("magnet.apps.matching"):
        return None
    try:
        return apps.get_model("matching", "Job")
    except LookupError:
        return None


def _split(headcount: int, parts: int) -> list[int]:
    """A posting's headcount spread over its majors, remainder to the first ones.

    >>> _split(5, 2), _split(1, 3)
    ([3, 2], [1, 0, 0])
    """
    return [headcount // parts + (1 if i < headcount % parts else 0) for i in range(parts)]


def postings_for_chain(
    chain: str | None = None, *, start: dt.date | None = None, end: dt.date | None = None
) -> list[Posting]:
    """Postings as demand: with a period, the jobs published in it; without, the jobs open today.

    `chain=None` gives every chain (and jobs on none, with chain ""). Returns [] while the matching app has
    no Job model. A job naming several majors spreads its headcount over their classes; a job naming no
    major (or only a discipline) counts under no class."""
    job_model = _job_model()
    if job_model is None:
        return []
    jobs = job_model.objects.select_related("enterprise")
    if start is not None and end is not None:
        jobs = jobs.filter(published_at__date__gte=start, published_at__date__lte=end)
    else:
        jobs = jobs.filter(status="published", deadline__gte=timezone.localdate())
    seed, majors, out = shipped_seed(), catalogue(), []
    for job in jobs:
        key = job.chain if job.chain in {c.key for c in seed.chains} else enterprise_chain(job.enterprise, seed)
        if chain is not None and key != chain:
            continue
        codes, seen = [], set()
        for code in job.majors or []:
            class_code = majors.class_of(str(code))
            if class_code and class_code not in seen:
                seen.add(class_code)
                codes.append(str(code))
        for code, count in zip(codes, _split(job.headcount, len(codes)) if codes else [], strict=True):
            if count:
                out.append(Posting(job.enterprise_id, key, code, job.min_degree or "", count, job.title))
    return out


# --- monthly reports ----------------------------------------------------------------------------------------


def report_list(*, enterprise: Enterprise) -> QuerySet[DemandReport]:
    return (DemandReport.objects.filter(enterprise=enterprise).select_related("filed_by")
            .prefetch_related("lines").order_by("-month", "-version"))  # fmt: skip


def latest_reports(*, start: dt.date | None = None, end: dt.date | None = None) -> list[DemandReport]:
    """Each enterprise's current report of its latest month (within [start, end] when given): a monthly
    report states the demand open that month, so months are never added up."""
    reports = DemandReport.objects.filter(current=True)
    if start is not None:
        reports = reports.filter(month__gte=start)
    if end is not None:
        reports = reports.filter(month__lte=end)
    latest: dict[int, DemandReport] = {}
    lines = Prefetch("lines", queryset=DemandLine.objects.order_by("id"))
    for report in reports.select_related("enterprise").prefetch_related(lines).order_by("enterprise_id", "-month"):
        latest.setdefault(report.enterprise_id, report)
    return list(latest.values())


def demand_items(*, since: dt.date | None = None) -> list[DemandItem]:
    """Demand for the talent map: the latest report of each enterprise (the last twelve months) and the
    postings open today."""
    since = since or month_start(timezone.localdate() - dt.timedelta(days=365))
    seed = shipped_seed()
    items = []
    for report in latest_reports(start=since):
        key = enterprise_chain(report.enterprise, seed)
        items += [DemandItem(key, line.major_code, line.degree, line.count, "report") for line in report.lines.all()]
    items += [DemandItem(p.chain, p.major_code, p.degree, p.count, "posting") for p in postings_for_chain()]
    return items


def reporting_status(*, month: dt.date, user) -> list[dict]:
    """The enterprises with platform accounts, in the staff member's districts, and their report for the
    month (None when they have not reported)."""
    enterprises = Enterprise.objects.filter(users__role=Role.ENTERPRISE, users__is_active=True).distinct()
    covers_city = any(CITY.startswith(prefix) for prefix in user.districts)
    reports = {r.enterprise_id: r for r in DemandReport.objects.filter(month=month, current=True)
               .prefetch_related("lines")}  # fmt: skip
    rows = []
    for enterprise in enterprises.order_by("name"):
        in_scope = user.covers_adcode(enterprise.adcode) if enterprise.adcode else covers_city
        if in_scope:
            rows.append({"enterprise": enterprise, "chain": enterprise_chain(enterprise),
                         "report": reports.get(enterprise.pk)})  # fmt: skip
    rows.sort(key=lambda row: (row["report"] is not None, row["enterprise"].name))
    return rows


# --- the talent map -------------------------------------------------------------------------------------------

_CACHE: dict[tuple, TalentMap] = {}
_CACHE_LOCK = threading.Lock()


def _demand_fingerprint() -> tuple:
    reports = DemandReport.objects.order_by("-id").values_list("id", flat=True).first()
    job_model = _job_model()
    jobs = job_model.objects.order_by("-changed_at").values_list("changed_at", flat=True).first() if job_model else None
    return reports, str(jobs), timezone.localdate()


def current_map() -> tuple[TalentMap | None, object | None]:
    """The talent map over the latest snapshot with today's demand, and that snapshot (None, None when no
    snapshot is loaded). Cached per snapshot and demand state: the map reads the whole education feed."""
    from magnet.apps.feeds.selectors import snapshot_latest
    from magnet.core.feeds import open_snapshot
    from magnet.core.radar import connect

    latest = snapshot_latest()
    if latest is None:
        return None, None
    key = (latest.id, _demand_fingerprint())
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key], latest
    con = connect(open_snapshot(settings.MAGNET_DATA_DIR, latest.id), threads=2)
    try:
        result = talent_map(con, shipped_seed(), demand_items(), city=CITY)
    finally:
        con.close()
    with _CACHE_LOCK:
        _CACHE.clear()  # one entry: the newest state is the only one pages ask for
        _CACHE[key] = result
    return result, latest


# --- the quarter's catalogue ---------------------------------------------------------------------------------


def catalogue_rows(*, year: int, quarter: int) -> tuple[list[dict], dict]:
    """The rows a catalogue of the quarter holds, and what they were built from.

    Each enterprise's latest report within the quarter, plus the jobs published in the quarter, grouped by
    chain, occupation, major class and degree; the urgency is the highest any enterprise gave."""
    first, last = quarter_months(year, quarter)
    quarter_end = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    seed, majors = shipped_seed(), catalogue()
    order = {chain.key: i for i, chain in enumerate(seed.chains)}
    groups: dict[tuple, dict] = {}

    def add(
        chain: str,
        occupation_code: str,
        occupation_name: str,
        major_code: str,
        degree: str,
        count: int,
        urgency: str,
        enterprise_id: int,
        source: str,
    ) -> None:
        class_code = majors.class_of(major_code) or major_code[:4]
        key = (chain, occupation_code, class_code, degree)
        row = groups.setdefault(key, {
            "chain": chain, "chain_name": str(chain_name(chain, seed)), "occupation_code": occupation_code,
            "names": Counter(), "major_class_code": class_code,
            "major_class_name": majors.class_names.get(class_code, ""), "majors": [], "degree": degree,
            "reported": 0, "posted": 0, "urgency": Urgency.NORMAL.value, "enterprises": set(),
        })  # fmt: skip
        row["names"][occupation_name] += count
        row[source] += count
        row["enterprises"].add(enterprise_id)
        if URGENCY_RANK[Urgency(urgency)] > URGENCY_RANK[Urgency(row["urgency"])]:
            row["urgency"] = urgency
        name = majors.major_names.get(major_code.upper())
        if name and len(major_code) > 4 and name not in row["majors"]:
            row["majors"].append(name)

    reports = latest_reports(start=first, end=last)
    for report in reports:
        chain = enterprise_chain(report.enterprise, seed)
        for line in report.lines.all():
            add(
                chain,
                line.occupation_code,
                line.occupation_name,
                line.major_code,
                line.degree,
                line.count,
                line.urgency,
                report.enterprise_id,
                "reported",
            )
    postings = postings_for_chain(None, start=first, end=quarter_end)
    for posting in postings:
        add(
            posting.chain,
            "",
            posting.title,
            posting.major_code,
            posting.degree,
            posting.count,
            Urgency.NORMAL.value,
            posting.enterprise_id,
            "posted",
        )
    rows = []
    for row in groups.values():
        names = row.pop("names")
        row["occupation_name"] = names.most_common(1)[0][0] if names else ""
        row["enterprises"] = len(row["enterprises"])
        row["count"] = row["reported"] + row["posted"]
        rows.append(row)
    rows.sort(key=lambda r: (order.get(r["chain"], len(order)), -URGENCY_RANK[Urgency(r["urgency"])], -r["count"],
                             r["occupation_code"], r["major_class_code"], r["degree"]))  # fmt: skip
    sources = {"reports": len(reports), "enterprises": len({r.enterprise_id for r in reports}),
               "postings": len({(p.enterprise_id, p.title) for p in postings})}  # fmt: skip
    return rows, sources


def catalogue_list() -> QuerySet[DemandCatalogue]:
    return DemandCatalogue.objects.select_related("published_by").order_by("-year", "-quarter")
