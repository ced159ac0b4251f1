"""Postings as demand: read from the matching app's jobs through `postings_for_chain` only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from magnet.apps.accounts.models import Enterprise
from magnet.apps.common.fixtures import make_user
from magnet.apps.talentmap import selectors

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _job(enterprise, *, majors, headcount, chain="", status="published", published=TODAY, degree="bachelor"):
    from django.apps import apps

    job_model = apps.get_model("matching", "Job")
    return job_model.objects.create(
        enterprise=enterprise, created_by=make_user("enterprise", f"hr.{enterprise.pk}.{headcount}",
                                                    enterprise=enterprise),
        title="船舶设计工程师", description="负责船体结构设计", majors=majors, min_degree=degree, adcode="320613",
        pay_min=8000, pay_max=12000, headcount=headcount, deadline=TODAY + dt.timedelta(days=30), chain=chain,
        status=status, published_at=timezone.make_aware(dt.datetime.combine(published, dt.time(9))),
    )  # fmt: skip


def test_without_the_matching_app_there_are_no_postings(monkeypatch):
    monkeypatch.setattr(selectors, "_job_model", lambda: None)
    assert selectors.postings_for_chain("ict") == []
    assert selectors.postings_for_chain(None, start=TODAY, end=TODAY) == []


def test_open_jobs_count_under_their_chain_and_spread_over_their_majors():
    ships = Enterprise.objects.create(uscc="91320602MA1ABC0021", name="远洋船舶", industry_code="C3731")
    soft = Enterprise.objects.create(uscc="91320602MA1ABC0022", name="江海软件", industry_chain="ict")
    _job(ships, majors=["081901", "0802", "08"], headcount=5)  # the discipline "08" names no class
    _job(soft, majors=["080901"], headcount=3, chain="ict")
    _job(soft, majors=["080902"], headcount=9, chain="ict", status="closed")
    _job(soft, majors=[], headcount=4, chain="ict")
    postings = selectors.postings_for_chain("shipbuilding_offshore")
    assert sorted((p.major_code, p.count) for p in postings) == [("0802", 2), ("081901", 3)]
    assert [(p.major_code, p.count) for p in selectors.postings_for_chain("ict")] == [("080901", 3)]
    # In a period: every job published in it, closed ones too.
    published = selectors.postings_for_chain(None, start=TODAY, end=TODAY)
    assert sum(p.count for p in published) == 5 + 3 + 9
    items = selectors.demand_items()
    assert sum(i.count for i in items if i.source == "posting") == 8
