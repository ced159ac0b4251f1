from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Major(models.Model):
    """普通高等学校本科专业目录（2026年）: one undergraduate major, with its class and discipline."""

    code_full = models.CharField(_("专业代码"), max_length=10, unique=True)  # as printed, with T/K
    code = models.CharField(max_length=8, db_index=True)  # numeric part
    name = models.CharField(_("专业名称"), max_length=100, db_index=True)
    class_code = models.CharField(_("专业类代码"), max_length=4, db_index=True)
    class_name = models.CharField(_("专业类"), max_length=100)
    discipline_code = models.CharField(_("学科门类代码"), max_length=2, db_index=True)
    discipline_name = models.CharField(_("学科门类"), max_length=50)
    previous_code_full = models.CharField(_("原专业代码"), max_length=10, blank=True, db_index=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("本科专业")
        verbose_name_plural = _("本科专业")

    def __str__(self) -> str:
        return f"{self.name}（{self.code_full}）"


class University(models.Model):
    """全国普通高等学校名单 (2024-06-20) with 985 / 211 / 双一流 flags."""

    school_id10 = models.CharField(_("学校标识码"), max_length=10, unique=True)
    school_code = models.CharField(max_length=5, db_index=True)  # the common 5-digit tail; not unique
    name = models.CharField(_("学校名称"), max_length=100, db_index=True)
    province = models.CharField(_("省份"), max_length=20)
    city = models.CharField(_("所在地"), max_length=40)
    level = models.CharField(_("办学层次"), max_length=10)
    is_985 = models.BooleanField(default=False)
    is_211 = models.BooleanField(default=False)
    double_first_class = models.BooleanField(_("双一流"), default=False)

    class Meta:
        ordering = ["school_code"]
        verbose_name = _("高等学校")
        verbose_name_plural = _("高等学校")

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """GB/T 4754-2017 国民经济行业分类: sections, divisions, groups and classes."""

    code = models.CharField(_("代码"), max_length=4, unique=True)
    code_with_section = models.CharField(max_length=5, db_index=True)
    level = models.CharField(max_length=10)
    name = models.CharField(_("名称"), max_length=100)
    parent_code = models.CharField(max_length=4, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code_with_section"]
        verbose_name = _("行业")
        verbose_name_plural = _("行业")

    def __str__(self) -> str:
        return f"{self.code_with_section} {self.name}"


class Division(models.Model):
    """GB/T 2260 行政区划 (county level and above), current (2024) and retired codes since 1981."""

    adcode = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(max_length=12)
    province_name = models.CharField(max_length=30, blank=True)
    prefecture_name = models.CharField(max_length=30, blank=True)
    in_use = models.BooleanField(default=True)
    start_year = models.PositiveSmallIntegerField(null=True)
    end_year = models.PositiveSmallIntegerField(null=True)
    successors = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["adcode"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return f"{self.adcode} {self.full_name}"

    @property
    def full_name(self) -> str:
        parts = [
            self.province_name,
            self.prefecture_name if self.prefecture_name not in ("", "直辖") else "",
            self.name,
        ]
        seen: list[str] = []
        for part in parts:
            if part and part not in seen:
                seen.append(part)
        return "".join(seen)


class DeclaredEducation(models.Model):
    """A degree a talent declares before their identity is verified; shown as unverified."""

    DEGREES = [("associate", _("专科")), ("bachelor", _("本科")), ("master", _("硕士")), ("doctor", _("博士"))]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_education")
    degree = models.CharField(_("学历"), max_length=10, choices=DEGREES)
    university = models.ForeignKey(University, on_delete=models.PROTECT, verbose_name=_("学校"))
    major = models.ForeignKey(Major, on_delete=models.PROTECT, verbose_name=_("专业"))
    graduation_date = models.DateField(_("毕业日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["graduation_date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "degree", "university", "major"], name="declared_education_once")
        ]
