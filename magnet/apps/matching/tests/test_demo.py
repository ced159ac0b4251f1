"""The demo build's postings: realistic published jobs of the city's key enterprises, replaced on a rerun,
which a talent of the cast is recommended at once."""

import pytest

from magnet.apps.matching import selectors
from magnet.apps.matching.demo import TEMPLATES, seed_demo
from magnet.apps.matching.forms import major_code_known
from magnet.apps.matching.models import Job
from magnet.apps.matching.moderation import detect
from magnet.apps.matching.tests.matching_cast import li_na

pytestmark = pytest.mark.django_db


def test_seed_demo_publishes_jobs_a_talent_is_recommended(cast_snapshot):
    assert seed_demo(n_jobs=30) == 30
    assert seed_demo(n_jobs=30) == 30  # a rerun replaces the demo postings
    jobs = Job.objects.all()
    assert jobs.count() == 30 and {j.status for j in jobs} == {"published"}
    assert {j.chain for j in jobs} == {"shipbuilding_offshore"}  # the cast's one key enterprise
    assert all(j.pay_min <= j.pay_max and j.adcode.startswith("3206") for j in jobs)
    profile = li_na().job_profile  # a doctor in naval architecture
    assert selectors.recommended_jobs(profile)


def test_the_demo_templates_name_catalogue_majors_and_pass_the_detector(db):
    for templates in TEMPLATES.values():
        for template in templates:
            assert all(major_code_known(code) for code in template.majors), template.title
            assert detect(template.title + template.duties) == [], template.title
