"""Monthly demand reports (用工台账): filing through the page, refusals on the field at fault, one report
per enterprise and month, corrections as new versions, and staff seeing who has not reported."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from magnet.apps.accounts.models import Enterprise
from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.errors import DomainError
from magnet.apps.common.fixtures import make_user
from magnet.apps.talentmap import selectors, services
from magnet.apps.talentmap.models import DemandLine, DemandReport
from magnet.apps.talentmap.services import LineIn

pytestmark = pytest.mark.django_db

THIS_MONTH = timezone.localdate().replace(day=1)
LINE = {"occupation_code": "2-02-10-03", "occupation_name": "软件工程师", "major_code": "080901",
        "degree": "bachelor", "count": "5", "urgency": "urgent"}  # fmt: skip


def _post(lines: list[dict], month: str | None = None, **extra) -> dict:
    data = {"month": month or f"{THIS_MONTH:%Y-%m}", "note": "", "lines-TOTAL_FORMS": str(len(lines)),
            "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1", "lines-MAX_NUM_FORMS": "50", **extra}  # fmt: skip
    for i, line in enumerate(lines):
        data.update({f"lines-{i}-{k}": v for k, v in line.items()})
    return data


def _file(enterprise, month=THIS_MONTH, lines=None, actor=None) -> DemandReport:
    lines = lines or [LineIn("2-02-10-03", "软件工程师", "080901", "bachelor", 5, "urgent")]
    return services.demand_report_file(enterprise=enterprise, month=month, lines=lines, actor=actor)


def test_enterprise_files_a_report_with_several_lines(client_as):
    client = client_as("enterprise")
    second = dict(LINE, occupation_code="6-18-02-04", occupation_name="船体装配工", major_code="0819",
                  degree="associate", count="12", urgency="very_urgent")  # fmt: skip
    response = client.post("/enterprise/demand/new/", _post([LINE, second]))
    assert response.status_code == 302, response.content.decode()[:2000]
    report = DemandReport.objects.get()
    assert report.enterprise == client.user.enterprise and report.filed_by == client.user
    assert report.month == THIS_MONTH and report.version == 1 and report.current
    lines = list(report.lines.order_by("id").values_list("major_code", "major_class_code", "count", "urgency"))
    assert lines == [("080901", "0809", 5, "urgent"), ("0819", "0819", 12, "very_urgent")]
    assert AuditEntry.objects.filter(action="talentmap.report.file", object_id=str(report.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "船体装配工" in page and "急需紧缺" in page and ">17<" in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("occupation_code", "2021003", "职业分类大典格式"),
    ("occupation_code", "7-01-01-01", "军队人员"),
    ("major_code", "089999", "本科专业目录中没有代码 089999"),
    ("major_code", "计算机", "专业代码应为"),
    ("count", "-3", "需求人数应为正整数"),
    ("count", "0", "需求人数应为正整数"),
    ("degree", "phd", "phd"),
])  # fmt: skip
def test_a_bad_line_is_refused_on_its_field(client_as, field, value, message):
    client = client_as("enterprise")
    response = client.post("/enterprise/demand/new/", _post([LINE, dict(LINE, **{field: value})]))
    assert response.status_code == 400
    formset = response.context["formset"]
    assert not formset.forms[0].errors
    assert list(formset.forms[1].errors) == [field]
    assert message in " ".join(formset.forms[1].errors[field])
    assert 'id="line-2"' in response.content.decode()
    assert not DemandReport.objects.exists()


def test_the_service_names_the_line_and_field_it_refuses():
    enterprise = Enterprise.objects.create(uscc="91320602MA1XYW1230", name="测试")
    with pytest.raises(DomainError) as caught:
        _file(
            enterprise,
            lines=[
                LineIn("2-02-10-03", "软件工程师", "080901", "bachelor", 2),
                LineIn("2-02-10-03", "软件工程师", "080901", "bachelor", -1),
            ],
        )
    assert caught.value.code == "line_invalid" and caught.value.extra["line"] == 2
    assert caught.value.extra["field"] == "count" and "第2行 需求人数" in caught.value.message
    with pytest.raises(DomainError) as caught:
        services.demand_report_file(enterprise=enterprise, month=THIS_MONTH, lines=[], actor=None)
    assert caught.value.code == "report_empty"


def test_one_report_per_enterprise_and_month(client_as):
    client = client_as("enterprise")
    _file(client.user.enterprise, actor=client.user)
    response = client.post("/enterprise/demand/new/", _post([LINE]))
    assert response.status_code == 400
    assert "已填报" in " ".join(response.context["form"].errors["month"])
    with pytest.raises(DomainError) as caught:
        _file(client.user.enterprise)
    assert caught.value.code == "report_exists"
    # The database holds the rule too: a second current report of the month cannot be written.
    with pytest.raises(IntegrityError), transaction.atomic():
        DemandReport.objects.create(enterprise=client.user.enterprise, month=THIS_MONTH, version=2)
    # Another month is fine.
    last_month = (THIS_MONTH - dt.timedelta(days=1)).replace(day=1)
    assert _file(client.user.enterprise, month=last_month).version == 1


def test_a_future_month_is_refused(client_as):
    client = client_as("enterprise")
    future = (THIS_MONTH + dt.timedelta(days=40)).replace(day=1)
    response = client.post("/enterprise/demand/new/", _post([LINE], month=f"{future:%Y-%m}"))
    assert response.status_code == 400 and "未来月份" in " ".join(response.context["form"].errors["month"])


def test_a_correction_is_a_new_version_and_keeps_the_old_one(client_as):
    client = client_as("enterprise")
    first = _file(client.user.enterprise, actor=client.user)
    page = client.get(f"/enterprise/demand/{first.pk}/correct/")
    assert page.status_code == 200 and 'value="软件工程师"' in page.content.decode()
    data = _post([dict(LINE, count="8")])
    data["lines-INITIAL_FORMS"] = "1"
    response = client.post(f"/enterprise/demand/{first.pk}/correct/", data)
    assert response.status_code == 302
    first.refresh_from_db()
    corrected = DemandReport.objects.get(current=True)
    assert not first.current and corrected.version == 2 and corrected.month == first.month
    assert first.lines.get().count == 5 and corrected.lines.get().count == 8
    assert AuditEntry.objects.filter(action="talentmap.report.correct").exists()
    # The replaced version cannot be corrected again.
    assert client.post(f"/enterprise/demand/{first.pk}/correct/", data).status_code == 302
    assert DemandReport.objects.count() == 2
    with pytest.raises(DomainError) as caught:
        services.demand_report_correct(
            report=first, lines=[LineIn("2-02-10-03", "x", "0809", "master", 1)], actor=client.user
        )
    assert caught.value.code == "report_superseded"


def test_add_a_line_keeps_what_was_typed(client_as):
    client = client_as("enterprise")
    response = client.post("/enterprise/demand/new/", _post([LINE], add_line="1"))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == 2 and formset.forms[0].initial["occupation_name"] == "软件工程师"
    assert not DemandReport.objects.exists()


def test_an_enterprise_sees_only_its_own_reports(client_as):
    other = Enterprise.objects.create(uscc="91320602MA1ABC0001", name="别家企业")
    theirs = _file(other)
    client = client_as("enterprise")
    assert client.get(f"/enterprise/demand/{theirs.pk}/").status_code == 404
    assert client.get(f"/enterprise/demand/{theirs.pk}/correct/").status_code == 404
    assert "别家企业" not in client.get("/enterprise/demand/").content.decode()


def test_staff_see_who_has_not_reported(client_as):
    reporting = make_user("enterprise", "hr.reporting")
    reporting.enterprise.adcode = "320613"
    reporting.enterprise.industry_chain = "ict"
    reporting.enterprise.save()
    silent = Enterprise.objects.create(
        uscc="91320602MA1ABC0002", name="未报企业", adcode="320612", industry_code="C3731"
    )
    make_user("enterprise", "hr.silent", enterprise=silent)
    Enterprise.objects.create(uscc="91320602MA1ABC0003", name="无账户企业", adcode="320612")
    elsewhere = Enterprise.objects.create(uscc="91320500MA1ABC0004", name="外市企业", adcode="320505")
    make_user("enterprise", "hr.elsewhere", enterprise=elsewhere)
    _file(reporting.enterprise)
    client = client_as("staff")
    response = client.get("/console/talentmap/reports/")
    rows = response.context["rows"]
    assert [r["enterprise"].name for r in rows] == ["未报企业", "测试企业"]
    assert rows[0]["report"] is None and rows[0]["chain"] == "shipbuilding_offshore"
    assert rows[1]["report"].total == 5
    page = response.content.decode()
    assert "未报" in page and "无账户企业" not in page and "外市企业" not in page
    last_month = (THIS_MONTH - dt.timedelta(days=1)).replace(day=1)
    earlier = client.get(f"/console/talentmap/reports/?month={last_month:%Y-%m}").context
    assert len(earlier["missing"]) == 2


def test_an_enterprise_chain_comes_from_the_feed_label_or_its_industry():
    labelled = Enterprise(industry_chain="marine", industry_code="C3731")
    by_industry = Enterprise(industry_chain="", industry_code="I6513")
    neither = Enterprise(industry_chain="", industry_code="F5211")
    assert selectors.enterprise_chain(labelled) == "marine"
    assert selectors.enterprise_chain(by_industry) == "ict"
    assert selectors.enterprise_chain(neither) == ""


def test_reports_feed_the_talent_map_with_each_enterprises_latest_month(cast_snapshot):
    enterprise = Enterprise.objects.create(uscc="91320602MA1ABC0005", name="软件公司", industry_code="I6513")
    last_month = (THIS_MONTH - dt.timedelta(days=1)).replace(day=1)
    _file(enterprise, month=last_month, lines=[LineIn("2-02-10-03", "软件工程师", "080901", "bachelor", 50)])
    _file(
        enterprise,
        lines=[
            LineIn("2-02-10-03", "软件工程师", "080901", "bachelor", 7),
            LineIn("2-02-10-03", "测试工程师", "0809", "master", 3),
        ],
    )
    items = selectors.demand_items()
    assert sorted((i.chain, i.major_code, i.count) for i in items) == [("ict", "0809", 3), ("ict", "080901", 7)]
    result, _ = selectors.current_map()
    computing = next(m for m in result.chain("ict").majors if m.class_code == "0809")
    assert computing.reported == 10 and computing.gap == 10 - computing.supply
    assert DemandLine.objects.count() == 3
