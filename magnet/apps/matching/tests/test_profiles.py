"""Talents' job profiles: the education comes from the feed once the identity is bound (verified), otherwise
from what the talent declared (marked unverified); consent to be found is theirs and audited."""

from __future__ import annotations

import datetime as dt

import pytest

from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.fixtures import make_user
from magnet.apps.matching import services
from magnet.apps.matching.tests.matching_cast import bind_zhang_wei
from magnet.apps.reference.models import DeclaredEducation, Major, University

pytestmark = pytest.mark.django_db


def test_a_verified_talent_has_the_education_of_the_feed(cast_snapshot):
    user = make_user("talent")
    bind_zhang_wei(user)
    profile = services.talent_profile_get(user=user)
    assert (profile.degree, profile.major_code, profile.school_name) == ("bachelor", "080901", "南京大学")
    assert profile.major_name == "计算机科学与技术" and profile.education_verified


def test_an_unbound_talent_declares_an_education_shown_as_unverified(cast_snapshot):
    user = make_user("talent")
    DeclaredEducation.objects.create(
        user=user,
        degree="bachelor",
        university=University.objects.get(name="南通大学"),
        major=Major.objects.get(code="081901"),
        graduation_date=dt.date(2023, 6, 30),
    )
    DeclaredEducation.objects.create(
        user=user,
        degree="master",
        university=University.objects.get(name="南通大学"),
        major=Major.objects.get(code="081902"),
        graduation_date=dt.date(2025, 6, 30),
    )
    profile = services.talent_profile_get(user=user)
    assert (profile.degree, profile.major_code, profile.education_verified) == ("master", "081902", False)


def test_a_bound_but_unverified_talent_keeps_the_declared_education(cast_snapshot):
    from magnet.apps.accounts.models import IdentityStatus

    user = make_user("talent")
    bind_zhang_wei(user)
    user.identity_status = IdentityStatus.UNVERIFIED
    user.save()
    profile = services.talent_profile_get(user=user)
    assert profile.degree == "" and not profile.education_verified


def test_the_profile_page_saves_wishes_and_consent(client_as, cast_snapshot):
    client = client_as("talent")
    bind_zhang_wei(client.user)
    page = client.get("/jobs/profile/").content.decode()
    assert "南京大学" in page and "学信已核验" in page and "崇川区" in page
    response = client.post(
        "/jobs/profile/",
        {
            "skills": "Java， SQL、Python",
            "wish_adcodes": ["320613", "3206"],
            "wish_chains": ["ict"],
            "wish_pay": "9000",
            "about": "",
            "discoverable": "on",
        },
    )
    assert response.status_code == 302
    profile = client.user.job_profile
    assert profile.skills == ["Java", "SQL", "Python"] and profile.wish_adcodes == ["320613", "3206"]
    assert profile.discoverable and profile.wish_pay == 9000
    assert AuditEntry.objects.filter(action="matching.discoverable", result="on", actor_id=client.user.pk).exists()
    client.post("/jobs/profile/", {"skills": "Java", "wish_pay": ""})
    profile.refresh_from_db()
    assert not profile.discoverable
    assert AuditEntry.objects.filter(action="matching.discoverable", result="off").exists()


def test_bad_profile_input_names_its_field(client_as, db):
    client = client_as("talent")
    response = client.post("/jobs/profile/", {"wish_pay": "-5", "wish_adcodes": ["999999"]})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"wish_pay", "wish_adcodes"}
