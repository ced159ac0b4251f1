"""The reference catalogues are loaded with their sources, and forms pick from them."""

from __future__ import annotations

import pytest

from magnet.apps.reference.models import DeclaredEducation, Division, Industry, Major, University
from magnet.apps.reference.selectors import major_by_code

pytestmark = pytest.mark.django_db


def test_catalogues_are_loaded_in_full():
    assert Major.objects.count() == 883
    assert University.objects.count() == 2868
    assert Industry.objects.filter(level="class").count() == 1381
    assert Division.objects.filter(in_use=True).count() == 3213
    assert University.objects.filter(double_first_class=True).count() == 144


def test_spot_checks_match_the_sources():
    assert Major.objects.get(code_full="080901").name == "计算机科学与技术"
    nju = University.objects.get(school_id10="4132010284")
    assert nju.name == "南京大学" and nju.double_first_class and nju.is_985
    assert Industry.objects.get(code_with_section="C3731").name == "金属船舶制造"
    assert Division.objects.get(adcode="320613").name == "崇川区"
    retired = Division.objects.get(adcode="320602")
    assert not retired.in_use and "320613" in retired.successors


def test_a_major_moved_in_2026_is_still_found_by_its_old_code():
    assert major_by_code("101011T").code_full == "140007T"


def test_sources_page_cites_every_catalogue(client):
    page = client.get("/reference/").content.decode()
    for name in ["moe_undergrad_majors_2026.csv", "moe_universities_2024.csv", "gbt4754_2017_industries.csv",
                 "gbt2260_adcodes_2024.csv"]:
        assert name in page


def test_major_picker_finds_by_name_and_code(client_as):
    client = client_as("talent")
    assert "080901" in client.get("/reference/pick/major/", {"q": "计算机科学"}).content.decode()
    assert "计算机科学与技术" in client.get("/reference/pick/major/", {"q": "080901"}).content.decode()
    chosen = client.get("/reference/pick/major/choose/", {"code": "080901", "field": "major"}).content.decode()
    assert 'name="major" value="080901"' in chosen


def test_pickers_need_a_signed_in_user(client):
    assert client.get("/reference/pick/major/", {"q": "计算机"}).status_code == 302


def test_talent_declares_education_picked_from_the_catalogue(client_as):
    client = client_as("talent")
    response = client.post("/reference/education/", {"degree": "bachelor", "university": "4132010284",
                                                     "major": "080901", "graduation_date": "2021-06-30"})
    assert response.status_code == 302
    declared = DeclaredEducation.objects.get()
    assert declared.major.name == "计算机科学与技术" and declared.university.name == "南京大学"
    assert "待核验" in client.get("/talent/").content.decode()


@pytest.mark.parametrize("field, value, message", [
    ("major", "999999", "专业代码不在本科专业目录中"),
    ("major", "计算机科学与技术", "专业代码不在本科专业目录中"),
    ("university", "0000000000", "学校不在教育部名单中"),
])
def test_a_major_or_school_not_in_the_catalogue_is_refused(client_as, field, value, message):
    client = client_as("talent")
    data = {"degree": "bachelor", "university": "4132010284", "major": "080901", "graduation_date": "2021-06-30",
            field: value}
    response = client.post("/reference/education/", data, follow=True)
    assert message in response.content.decode()
    assert not DeclaredEducation.objects.exists()


def test_api_searches_majors(client_as):
    client = client_as("enterprise")
    rows = client.get("/api/v1/reference/majors", {"q": "船舶"}).json()
    assert any(row["code_full"] == "081901" for row in rows)
