"""The quarterly talent-demand catalogue: built from the quarter's reports, frozen at publication, public
as a page, XLSX and PDF (with its Chinese text), publication audit-logged and reserved to staff."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.utils import timezone

from magnet.apps.accounts.models import Enterprise
from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.errors import DomainError
from magnet.apps.common.fixtures import make_user
from magnet.apps.talentmap import selectors, services
from magnet.apps.talentmap.models import DemandCatalogue
from magnet.apps.talentmap.services import LineIn

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR, QUARTER = selectors.quarter_of(TODAY)
FIRST, LAST = selectors.quarter_months(YEAR, QUARTER)


@pytest.fixture
def reports():
    """Two enterprises of two chains report in the current quarter; one also in the quarter before."""
    ships = Enterprise.objects.create(
        uscc="91320602MA1ABC0011", name="远洋船舶", industry_chain="shipbuilding_offshore"
    )
    soft = Enterprise.objects.create(uscc="91320602MA1ABC0012", name="江海软件", industry_code="I6513")
    services.demand_report_file(enterprise=ships, month=FIRST, actor=None, lines=[
        LineIn("6-18-02-04", "船体装配工", "081901", "associate", 12, "very_urgent"),
        LineIn("2-02-07-01", "船舶设计工程师", "0819", "bachelor", 4, "urgent"),
    ])  # fmt: skip
    services.demand_report_file(enterprise=soft, month=FIRST, actor=None, lines=[
        LineIn("2-02-10-03", "软件工程师", "080901", "bachelor", 6, "normal"),
        LineIn("2-02-10-03", "后端工程师", "080902", "bachelor", 4, "urgent"),
    ])  # fmt: skip
    before = (FIRST - dt.timedelta(days=1)).replace(day=1)
    services.demand_report_file(enterprise=soft, month=before, actor=None, lines=[
        LineIn("2-02-10-03", "软件工程师", "080901", "bachelor", 99, "normal")])  # fmt: skip
    return ships, soft


def test_rows_group_the_quarters_latest_reports_by_chain_occupation_class_and_degree(reports):
    rows, sources = selectors.catalogue_rows(year=YEAR, quarter=QUARTER)
    assert sources == {"reports": 2, "enterprises": 2, "postings": 0}
    keys = [
        (r["chain"], r["occupation_code"], r["major_class_code"], r["degree"], r["count"], r["urgency"]) for r in rows
    ]
    assert keys == [
        ("shipbuilding_offshore", "6-18-02-04", "0819", "associate", 12, "very_urgent"),
        ("shipbuilding_offshore", "2-02-07-01", "0819", "bachelor", 4, "urgent"),
        ("ict", "2-02-10-03", "0809", "bachelor", 10, "urgent"),  # two lines of one occupation and class, 99 not
    ]  # fmt: skip
    software = rows[2]
    assert software["majors"] == ["计算机科学与技术", "软件工程"] and software["occupation_name"] == "软件工程师"
    assert software["chain_name"] == "新一代信息技术" and software["major_class_name"] == "计算机类"


def test_publication_freezes_the_rows_and_is_audited(client_as, reports):
    client = client_as("staff")
    preview = client.get(f"/console/talentmap/catalogues/?quarter={YEAR}-{QUARTER}")
    assert preview.status_code == 200 and "船体装配工" in preview.content.decode()
    response = client.post("/console/talentmap/catalogues/publish/", {"quarter": f"{YEAR}-{QUARTER}", "note": "首期"})
    assert response.status_code == 302
    published = DemandCatalogue.objects.get()
    assert response["Location"] == f"/talent-demand/{published.pk}/"
    assert published.published_by == client.user and published.total == 26 and len(published.rows) == 3
    entry = AuditEntry.objects.get(action="talentmap.catalogue.publish")
    assert entry.actor_username == client.user.username and entry.detail["rows"] == 3
    # A correction filed after publication changes what a new catalogue would hold, not the published one.
    ships = reports[0]
    current = ships.demand_reports.get(current=True)
    services.demand_report_correct(report=current, actor=None, lines=[
        LineIn("6-18-02-04", "船体装配工", "081901", "associate", 30, "very_urgent")])  # fmt: skip
    published.refresh_from_db()
    assert published.total == 26 and published.rows[0]["count"] == 12
    assert selectors.catalogue_rows(year=YEAR, quarter=QUARTER)[0][0]["count"] == 30
    # One catalogue per quarter.
    again = client.post("/console/talentmap/catalogues/publish/", {"quarter": f"{YEAR}-{QUARTER}"})
    assert again.status_code == 302 and DemandCatalogue.objects.count() == 1
    with pytest.raises(DomainError) as caught:
        services.demand_catalogue_publish(year=YEAR, quarter=QUARTER, actor=client.user)
    assert caught.value.code == "catalogue_exists"


def test_an_empty_or_future_quarter_is_not_published():
    staff = make_user("staff")
    with pytest.raises(DomainError) as caught:
        services.demand_catalogue_publish(year=YEAR, quarter=QUARTER, actor=staff)
    assert caught.value.code == "catalogue_empty"
    with pytest.raises(DomainError) as caught:
        services.demand_catalogue_publish(year=YEAR + 1, quarter=1, actor=staff)
    assert caught.value.code == "quarter_not_started"


@pytest.fixture
def published(reports):
    return services.demand_catalogue_publish(year=YEAR, quarter=QUARTER, actor=make_user("staff"))


def test_anyone_reads_the_published_catalogue(client, published):
    listing = client.get("/talent-demand/")
    assert listing.status_code == 200 and published.label in listing.content.decode()
    page = client.get(f"/talent-demand/{published.pk}/").content.decode()
    assert "人才需求目录" in page and "船体装配工" in page and "急需紧缺" in page and "6-18-02-04" in page
    assert client.get("/talent-demand/999/").status_code == 404


def test_the_workbook_opens_and_holds_the_rows(client, published):
    response = client.get(f"/talent-demand/{published.pk}/catalogue.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    values = list(sheet.iter_rows(values_only=True))
    assert "人才需求目录" in values[0][0]
    assert values[1][:3] == ("产业链", "职业代码", "岗位名称")
    body = values[2:5]
    assert [row[1] for row in body] == ["6-18-02-04", "2-02-07-01", "2-02-10-03"]
    assert [row[7] for row in body] == [12, 4, 10] and body[0][10] == "急需紧缺" and body[0][6] == "专科"


def test_the_pdf_carries_the_chinese_text(client, published, tmp_path):
    response = client.get(f"/talent-demand/{published.pk}/catalogue.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "catalogue.pdf"
    path.write_bytes(response.content)
    assert shutil.which("pdftotext"), "poppler-utils is needed to read the PDF back (apt-get install poppler-utils)"
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for words in [
        "人才需求目录",
        f"{YEAR}年第{QUARTER}季度",
        "产业链",
        "岗位名称",
        "船体装配工",
        "新一代信息技术",
        "急需紧缺",
        "计算机科学与技术",
    ]:
        assert words in text, words
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts  # the CJK font is embedded, not a fallback


@pytest.mark.parametrize("role", ["talent", "enterprise", "verifier", "auditor", "admin"])
def test_only_staff_publish_or_see_the_map(client_as, role, reports):
    client = client_as(role)
    assert client.post("/console/talentmap/catalogues/publish/", {"quarter": f"{YEAR}-{QUARTER}"}).status_code == 403
    for page in [
        "/console/talentmap/",
        "/console/talentmap/chains/ict/",
        "/console/talentmap/talent-map.xlsx",
        "/console/talentmap/reports/",
        "/console/talentmap/catalogues/",
    ]:
        assert client.get(page).status_code == 403, page
    assert not DemandCatalogue.objects.exists()


@pytest.mark.parametrize("role", ["talent", "staff", "verifier", "auditor", "admin"])
def test_only_enterprises_file_reports(client_as, role):
    client = client_as(role)
    assert client.get("/enterprise/demand/").status_code == 403
    assert client.post("/enterprise/demand/new/", {"month": "2026-01"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for page in ["/console/talentmap/", "/enterprise/demand/new/"]:
        response = client.get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
