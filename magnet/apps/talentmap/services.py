"""Writes: enterprises file and correct their monthly demand report; staff publish the quarter's catalogue.

Each action owns its transaction and writes one audit entry naming the acting user."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from magnet.apps.accounts.models import Enterprise
from magnet.apps.audit.services import audit_record
from magnet.apps.common.errors import DomainError
from magnet.apps.talentmap import selectors
from magnet.apps.talentmap.compute import catalogue
from magnet.apps.talentmap.models import Degree, DemandCatalogue, DemandLine, DemandReport, Urgency

# 职业分类大典 codes: major category (大类) 1-8, then middle, small and detailed categories of two digits.
OCCUPATION_CODE = re.compile(r"([1-8])-[0-9]{2}-[0-9]{2}-[0-9]{2}")
MAX_LINES = 50


@dataclass(frozen=True)
class LineIn:
    occupation_code: str
    occupation_name: str
    major_code: str
    degree: str
    count: int
    urgency: str = Urgency.NORMAL.value


def occupation_code_problem(code: str) -> str | None:
    match = OCCUPATION_CODE.fullmatch(code.strip())
    if match is None:
        return gettext("职业代码应为职业分类大典格式，如 2-02-10-03")
    if match.group(1) == "7":
        return gettext("第7大类为军队人员，企业用工需求不使用")
    return None


def major_code_problem(code: str) -> str | None:
    code = code.strip().upper()
    if not re.fullmatch(r"[0-9]{4}|[0-9]{6,7}(T|K|TK)?", code):
        return gettext("专业代码应为4位专业类代码（如 0809）或本科专业代码（如 080901）")
    if catalogue().class_of(code) is None:
        return gettext("本科专业目录中没有代码 %(code)s") % {"code": code}
    return None


def line_problems(line: LineIn) -> dict[str, str]:
    """Field → what is wrong with it, for one line (empty when the line is valid)."""
    problems = {}
    if problem := occupation_code_problem(line.occupation_code):
        problems["occupation_code"] = problem
    if not line.occupation_name.strip():
        problems["occupation_name"] = gettext("请填写岗位名称")
    if problem := major_code_problem(line.major_code):
        problems["major_code"] = problem
    if line.degree not in Degree.values:
        problems["degree"] = gettext("学历应为专科、本科、硕士或博士")
    if not isinstance(line.count, int) or line.count < 1:
        problems["count"] = gettext("需求人数应为正整数")
    if line.urgency not in Urgency.values:
        problems["urgency"] = gettext("紧缺程度应为一般、紧缺或急需紧缺")
    return problems


def _check_lines(lines: list[LineIn]) -> None:
    if not lines:
        raise DomainError("report_empty", gettext("月报至少需要一行需求"))
    if len(lines) > MAX_LINES:
        raise DomainError("report_too_long", gettext("每份月报最多 %(n)s 行") % {"n": MAX_LINES})
    for number, line in enumerate(lines, start=1):
        problems = line_problems(line)
        if problems:
            field, message = next(iter(problems.items()))
            raise DomainError("line_invalid", gettext("第%(n)s行 %(field)s：%(message)s") % {
                "n": number, "field": str(DemandLine._meta.get_field(field).verbose_name), "message": message,
            }, extra={"line": number, "field": field, "problems": problems})  # fmt: skip


def _check_month(month: dt.date) -> dt.date:
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise DomainError("month_in_future", gettext("不能填报未来月份的用工需求"), extra={"field": "month"})
    return month


def _save_lines(report: DemandReport, lines: list[LineIn]) -> None:
    majors = catalogue()
    DemandLine.objects.bulk_create([
        DemandLine(report=report, occupation_code=line.occupation_code.strip(),
                   occupation_name=line.occupation_name.strip(), major_code=line.major_code.strip().upper(),
                   major_class_code=majors.class_of(line.major_code) or "", degree=line.degree, count=line.count,
                   urgency=line.urgency)
        for line in lines
    ])  # fmt: skip


def _audit(report: DemandReport, action: str, actor, request) -> None:
    audit_record(action=action, actor=actor, request=request, object_type="demand_report", object_id=str(report.pk),
                 detail={"enterprise": report.enterprise.uscc, "month": f"{report.month:%Y-%m}",
                         "version": report.version, "lines": report.lines.count(), "total": report.total})  # fmt: skip


def demand_report_file(
    *, enterprise: Enterprise, month: dt.date, lines: list[LineIn], actor, request=None, note: str = ""
) -> DemandReport:
    """File the enterprise's report for a month; refused when the month already has one (correct it instead)."""
    month = _check_month(month)
    _check_lines(lines)
    try:
        with transaction.atomic():
            if DemandReport.objects.filter(enterprise=enterprise, month=month).exists():
                raise DomainError("report_exists", gettext("%(month)s 的月报已填报，如需修改请提交更正") % {
                    "month": f"{month:%Y-%m}"}, extra={"field": "month"})  # fmt: skip
            report = DemandReport.objects.create(enterprise=enterprise, month=month, filed_by=actor, note=note)
            _save_lines(report, lines)
            _audit(report, "talentmap.report.file", actor, request)
    except IntegrityError:  # a second filing of the same month that raced this one
        raise DomainError("report_exists", gettext("%(month)s 的月报已填报，如需修改请提交更正") % {
            "month": f"{month:%Y-%m}"}, extra={"field": "month"}) from None  # fmt: skip
    return report


def demand_report_correct(
    *, report: DemandReport, lines: list[LineIn], actor, request=None, note: str = ""
) -> DemandReport:
    """A corrected report: a new version of the month; the one it replaces is kept, no longer current."""
    _check_lines(lines)
    with transaction.atomic():
        previous = DemandReport.objects.select_for_update().get(pk=report.pk)
        if not previous.current:
            raise DomainError("report_superseded", gettext("该版本已被更正，请在现行版本上更正"))
        previous.current = False
        previous.save(update_fields=["current"])
        corrected = DemandReport.objects.create(
            enterprise=previous.enterprise,
            month=previous.month,
            version=previous.version + 1,
            filed_by=actor,
            note=note,
        )
        _save_lines(corrected, lines)
        _audit(corrected, "talentmap.report.correct", actor, request)
    return corrected


def demand_catalogue_publish(*, year: int, quarter: int, actor, request=None, note: str = "") -> DemandCatalogue:
    """Publish the quarter's catalogue: its rows are computed now and frozen in the record."""
    if not 1 <= quarter <= 4:
        raise DomainError("quarter_invalid", gettext("季度应为1至4"), extra={"field": "quarter"})
    if (year, quarter) > selectors.quarter_of(timezone.localdate()):
        raise DomainError("quarter_not_started", gettext("该季度尚未开始"), extra={"field": "quarter"})
    rows, sources = selectors.catalogue_rows(year=year, quarter=quarter)
    if not rows:
        raise DomainError("catalogue_empty", gettext("该季度没有企业月报或岗位，无法发布目录"))
    try:
        with transaction.atomic():
            if DemandCatalogue.objects.filter(year=year, quarter=quarter).exists():
                raise DomainError("catalogue_exists", gettext("该季度的人才需求目录已发布"))
            published = DemandCatalogue.objects.create(
                year=year, quarter=quarter, published_by=actor, rows=rows, sources=sources, note=note
            )
            audit_record(action="talentmap.catalogue.publish", actor=actor, request=request,
                         object_type="demand_catalogue", object_id=str(published.pk),
                         detail={"year": year, "quarter": quarter, "rows": len(rows), "total": published.total,
                                 **sources})  # fmt: skip
    except IntegrityError:
        raise DomainError("catalogue_exists", gettext("该季度的人才需求目录已发布")) from None
    return published
