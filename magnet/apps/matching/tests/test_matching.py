"""Matching both ways: Zhang Wei (computer science, Java) is recommended the shipyard's Java job above its
welding job, each score broken down in words; the shipyard finds him only if he opted in, under a masked
name until he applies; filters narrow both; the API says the same."""

from __future__ import annotations

import pytest

from magnet.apps.common.fixtures import make_user, sign_in
from magnet.apps.matching import selectors, services
from magnet.apps.matching.tests.matching_cast import li_na, other_enterprise_user, publish, zhang_wei

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipyard(cast_snapshot):
    return make_user("enterprise")


@pytest.fixture
def jobs(shipyard):
    java = publish(shipyard)
    welder = publish(
        shipyard,
        title="焊接工艺技术员",
        description="编制焊接工艺文件，指导现场焊接作业。",
        majors=["0802"],
        min_degree="associate",
        skills=["焊接", "识图"],
        pay_min=6000,
        pay_max=8000,
    )
    doctor = publish(
        shipyard,
        title="船舶流体力学研究员",
        description="开展船型水动力研究。",
        majors=["081901"],
        min_degree="doctor",
        skills=["CFD"],
        pay_min=20000,
        pay_max=30000,
    )
    sales = publish(
        shipyard,
        title="销售代表",
        description="负责船舶配套产品的客户开发与维护。",
        majors=[],
        min_degree="associate",
        skills=["沟通", "客户开发"],
        pay_min=5000,
        pay_max=8000,
    )
    return java, welder, doctor, sales


def test_the_talent_is_recommended_the_fitting_job_first_with_the_score_in_words(client, jobs):
    java, welder, doctor, sales = jobs
    talent = zhang_wei()
    sign_in(client, talent)
    response = client.get("/jobs/")
    results = response.context["results"]
    ids = [r.row.pk for r in results]
    assert ids == [java.pk, sales.pk]  # his class first, then a job open to any major
    assert doctor.pk not in ids  # a bachelor does not qualify for a job asking a doctorate
    assert welder.pk not in ids  # a job only for machinery majors would score nothing for the major
    best = results[0]
    assert best.score == round(sum(p.points for p in best.parts))
    page = response.content.decode()
    for part in best.parts:
        assert part.zh in page
    assert "计算机" in " ".join(p.zh for p in best.parts)  # the major fit is named


def test_filters_narrow_the_recommendations_and_the_search(client, jobs):
    java, welder, _, sales = jobs
    sign_in(client, zhang_wei())
    ids = [r.row.pk for r in client.get("/jobs/", {"pay": "9000"}).context["results"]]
    assert ids == [java.pk]
    assert client.get("/jobs/", {"place": "320681"}).context["results"] == []
    assert client.get("/jobs/", {"chain": "ict"}).context["results"] == []
    page = client.get("/jobs/search/", {"q": "焊接"}).context["page"]
    assert [j.pk for j in page] == [welder.pk]
    page = client.get("/jobs/search/", {"chain": "shipbuilding_offshore", "degree": "bachelor"}).context["page"]
    assert {j.pk for j in page} == {java.pk, welder.pk, sales.pk}


def test_a_job_page_explains_the_talents_score(client, jobs):
    java, *_ = jobs
    sign_in(client, zhang_wei())
    response = client.get(f"/jobs/{java.pk}/")
    assert response.status_code == 200
    assert response.context["match"].score > 0 and "投递简历" in response.content.decode()


def test_the_enterprise_finds_only_talents_who_opted_in_under_masked_names(client, shipyard, jobs):
    java, *_ = jobs
    found = zhang_wei(discoverable=True)
    hidden = li_na()
    sign_in(client, shipyard)
    page = client.get(f"/hiring/{java.pk}/candidates/").content.decode()
    rows = client.get(f"/hiring/{java.pk}/candidates/").context["rows"]
    assert [r["profile"].user_id for r in rows] == [found.pk]
    assert "张*" in page and "张伟" not in page and "南京大学" in page and "Java" in page
    assert hidden.pk not in [s.row.user_id for s in selectors.matched_candidates(java)]
    # After he applies, the shipyard sees his name.
    services.application_create(job=java, talent=found)
    assert "张伟" in client.get(f"/hiring/{java.pk}/candidates/").content.decode()


def test_a_talent_who_withdraws_consent_disappears_at_once_even_from_a_stale_index(shipyard, jobs):
    java, *_ = jobs
    talent = zhang_wei()
    assert [s.row.user_id for s in selectors.matched_candidates(java)] == [talent.pk]
    # Another process withdrew consent; this process's index has not heard yet: the database check wins.
    from magnet.apps.matching.models import TalentProfile

    TalentProfile.objects.filter(user=talent).update(discoverable=False)
    assert selectors.matched_candidates(java) == []


def test_the_enterprise_invites_a_candidate(client, shipyard, jobs):
    from magnet.apps.inbox.models import Notification

    java, *_ = jobs
    talent = zhang_wei()
    sign_in(client, shipyard)
    client.post(f"/hiring/{java.pk}/candidates/{talent.pk}/invite/")
    note = Notification.objects.get(user=talent, kind="job_invite")
    assert note.link == f"/jobs/{java.pk}/" and java.title in note.text
    hidden = li_na()
    client.post(f"/hiring/{java.pk}/candidates/{hidden.pk}/invite/")
    assert not Notification.objects.filter(user=hidden).exists()


def test_the_api_searches_recommends_applies_and_lists_candidates(client, shipyard, jobs):
    java, welder, *_ = jobs
    talent = zhang_wei()
    sign_in(client, talent)
    body = client.get("/api/v1/matching/jobs", {"q": "焊接"}).json()
    assert body["count"] == 1 and body["items"][0]["id"] == welder.pk and body["items"][0]["enterprise"]
    recommended = client.get("/api/v1/matching/recommendations").json()
    assert recommended[0]["job"]["id"] == java.pk
    assert recommended[0]["parts"] and {"name", "points", "zh", "en"} <= set(recommended[0]["parts"][0])
    response = client.post(f"/api/v1/matching/jobs/{java.pk}/apply", {"note": "你好"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "applied"
    assert (
        client.post(f"/api/v1/matching/jobs/{java.pk}/apply", {}, content_type="application/json").json()["error"][
            "code"
        ]
        == "already_applied"
    )
    assert client.get(f"/api/v1/matching/jobs/{java.pk}/candidates").status_code in (401, 403)
    client.logout()
    sign_in(client, shipyard)
    candidates = client.get(f"/api/v1/matching/jobs/{java.pk}/candidates").json()
    assert candidates[0]["name"] == "张伟" and candidates[0]["applied"]
    assert client.get("/api/v1/matching/recommendations").status_code in (401, 403)
    other = other_enterprise_user()
    client.logout()
    sign_in(client, other)
    assert client.get(f"/api/v1/matching/jobs/{java.pk}/candidates").status_code == 404


def test_the_candidates_api_masks_names_of_talents_who_did_not_apply(client, shipyard, jobs):
    java, *_ = jobs
    zhang_wei()
    sign_in(client, shipyard)
    [candidate] = client.get(f"/api/v1/matching/jobs/{java.pk}/candidates").json()
    assert candidate["name"] == "张*" and not candidate["applied"] and candidate["degree"] == "bachelor"


def test_a_job_above_the_talents_degree_is_explained_not_scored(client, jobs):
    _, _, doctor, _ = jobs
    sign_in(client, zhang_wei())
    page = client.get(f"/jobs/{doctor.pk}/").content.decode()
    assert "学历未达到岗位要求" in page and "学历低于要求" in page and "-1000000" not in page


def test_the_feed_education_replaces_the_declared_one_once_the_identity_is_bound(cast_snapshot):
    from magnet.apps.accounts.services import talent_create
    from magnet.apps.matching.tests.matching_cast import bind_zhang_wei

    user = talent_create(phone="13800000001")
    assert services.talent_profile_get(user=user).degree == ""
    bind_zhang_wei(user)
    profile = services.talent_profile_get(user=user)
    assert profile.education_verified and profile.school_name == "南京大学"


def test_the_score_is_explained_in_english_after_the_switch(client, jobs):
    java, *_ = jobs
    sign_in(client, zhang_wei())
    client.post("/i18n/setlang/", {"language": "en", "next": "/jobs/"})
    response = client.get(f"/jobs/{java.pk}/")
    page = response.content.decode()
    parts = response.context["match"].parts
    assert all(p.en in page for p in parts) and not any(p.zh in page for p in parts if p.zh != p.en)
