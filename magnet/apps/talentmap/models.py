from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Degree(models.TextChoices):
    ASSOCIATE = "associate", _("专科")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧缺")
    VERY_URGENT = "very_urgent", _("急需紧缺")


URGENCY_RANK = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2}


class DemandReport(models.Model):
    """用工台账: an enterprise's labour demand for one month. One current report per enterprise and month;
    a correction is a new version and the one it replaces stays, marked not current."""

    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.PROTECT, related_name="demand_reports", verbose_name=_("企业")
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    current = models.BooleanField(_("现行版本"), default=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("填报人")
    )  # empty for reports loaded by the demo
    filed_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-month", "enterprise_id", "-version"]
        verbose_name = _("用工需求月报")
        verbose_name_plural = _("用工需求月报")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month", "version"], name="demand_report_version_once"),
            models.UniqueConstraint(
                fields=["enterprise", "month"], condition=Q(current=True), name="demand_report_one_current_per_month"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="demand_report_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.month:%Y-%m} v{self.version}"

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines.all())


class DemandLine(models.Model):
    """One line of a monthly report: how many people of an occupation, major and degree, how urgently."""

    report = models.ForeignKey(DemandReport, on_delete=models.CASCADE, related_name="lines")
    occupation_code = models.CharField(_("职业代码"), max_length=10)  # 职业分类大典 format, e.g. 2-02-10-03
    occupation_name = models.CharField(_("岗位名称"), max_length=60)
    major_code = models.CharField(_("专业或专业类代码"), max_length=10)  # as the catalogue prints it
    major_class_code = models.CharField(_("专业类代码"), max_length=4, db_index=True)
    degree = models.CharField(_("学历"), max_length=10, choices=Degree.choices)
    count = models.PositiveIntegerField(_("需求人数"))
    urgency = models.CharField(_("紧缺程度"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)

    class Meta:
        ordering = ["report_id", "id"]
        verbose_name = _("用工需求明细")
        verbose_name_plural = _("用工需求明细")
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="demand_line_count_positive"),
            models.CheckConstraint(condition=Q(degree__in=Degree.values), name="demand_line_degree_known"),
            models.CheckConstraint(condition=Q(urgency__in=Urgency.values), name="demand_line_urgency_known"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation_code} {self.major_code} {self.degree} ×{self.count}"


class DemandCatalogue(models.Model):
    """人才需求目录: the quarter's demand, published by staff; its rows are frozen at publication."""

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    rows = models.JSONField(_("目录条目"), default=list)
    sources = models.JSONField(_("来源统计"), default=dict)  # reports and postings counted
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("人才需求目录")
        verbose_name_plural = _("人才需求目录")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="demand_catalogue_once_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="demand_catalogue_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _("%(year)s年第%(quarter)s季度") % {"year": self.year, "quarter": self.quarter}

    @property
    def total(self) -> int:
        return sum(row.get("count", 0) for row in self.rows)
