"""Jobs, talents' job profiles, applications and the messages on them.

`changed_at` on jobs and profiles is the watermark other processes read to bring their match index up to
date (see `engine.py`); it is indexed for that query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from magnet.apps.accounts.models import Enterprise

DEGREES = [("associate", _("专科")), ("bachelor", _("本科")), ("master", _("硕士")), ("doctor", _("博士"))]
DEGREE_RANK = {code: rank for rank, (code, _label) in enumerate(DEGREES)}

CHAINS = [
    ("shipbuilding_offshore", _("船舶海工")),
    ("high_end_textile", _("高端纺织")),
    ("new_materials", _("新材料")),
    ("ict", _("新一代信息技术")),
    ("aerospace", _("航空航天")),
    ("marine", _("海洋经济")),
]


class Job(models.Model):
    """A posting (招聘岗位) of one enterprise."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审核")
        PUBLISHED = "published", _("招聘中")
        CLOSED = "closed", _("已关闭")
        EXPIRED = "expired", _("已过期")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("企业"))
    # Empty for postings not typed in by a user of the enterprise (the demo city's, or imported ones).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发布人"),
    )
    title = models.CharField(_("岗位名称"), max_length=100)
    description = models.TextField(_("岗位描述"))
    # Codes of the MOE catalogue: a major (6 digits, "080901"), a class (4, "0809") or a discipline (2, "08").
    majors = models.JSONField(_("专业要求"), default=list, blank=True)
    min_degree = models.CharField(_("最低学历"), max_length=10, choices=DEGREES, blank=True)
    skills = models.JSONField(_("技能要求"), default=list, blank=True)
    adcode = models.CharField(_("工作地点"), max_length=6)
    pay_min = models.PositiveIntegerField(_("月薪下限（元）"))
    pay_max = models.PositiveIntegerField(_("月薪上限（元）"))
    headcount = models.PositiveSmallIntegerField(_("招聘人数"), default=1)
    deadline = models.DateField(_("截止日期"))
    # From the enterprise's record in the latest enterprises feed when the job is published.
    chain = models.CharField(_("产业链"), max_length=40, blank=True)
    key_enterprise = models.BooleanField(_("重点企业"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    flags = models.JSONField(_("疑似歧视内容"), default=list, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(condition=Q(pay_min__lte=F("pay_max")), name="job_pay_range_ordered"),
            models.CheckConstraint(condition=Q(pay_min__gt=0), name="job_pay_positive"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="job_headcount_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED


class TalentProfile(models.Model):
    """What a talent looks for, and whether enterprises may find them (they opt in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_profile", verbose_name=_("人才")
    )
    # Highest degree: from the education feed (学信) once the identity is verified, otherwise declared.
    degree = models.CharField(_("学历"), max_length=10, choices=DEGREES, blank=True)
    major_code = models.CharField(_("专业代码"), max_length=8, blank=True)
    major_name = models.CharField(_("专业"), max_length=100, blank=True)
    school_name = models.CharField(_("学校"), max_length=100, blank=True)
    education_verified = models.BooleanField(_("学历已核验"), default=False)
    skills = models.JSONField(_("技能"), default=list, blank=True)
    wish_adcodes = models.JSONField(_("意向地点"), default=list, blank=True)
    wish_chains = models.JSONField(_("意向产业链"), default=list, blank=True)
    wish_pay = models.PositiveIntegerField(_("期望月薪（元）"), null=True, blank=True)
    about = models.TextField(_("个人简介"), blank=True)
    discoverable = models.BooleanField(_("允许企业查找我"), default=False)
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("求职档案")
        verbose_name_plural = _("求职档案")

    def __str__(self) -> str:
        return str(self.user)


class Application(models.Model):
    """A talent's application to a job, moved along by the enterprise."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("已投递")
        VIEWED = "viewed", _("已查看")
        INTERVIEW = "interview", _("邀请面试")
        OFFER = "offer", _("已发录用意向")
        HIRED = "hired", _("已录用")
        DECLINED = "declined", _("未通过")

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="applications", verbose_name=_("岗位"))
    talent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="job_applications", verbose_name=_("人才")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    note = models.TextField(_("求职留言"), blank=True)
    score = models.PositiveSmallIntegerField(_("投递时匹配分"), null=True, blank=True)
    created_at = models.DateTimeField(_("投递时间"), auto_now_add=True)
    changed_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("岗位申请")
        verbose_name_plural = _("岗位申请")
        constraints = [models.UniqueConstraint(fields=["job", "talent"], name="application_once_per_job")]

    def __str__(self) -> str:
        return f"{self.talent} → {self.job}"


class Message(models.Model):
    """A message between the enterprise and the talent on an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="messages", verbose_name=_("申请")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发送人")
    )
    text = models.TextField(_("内容"), max_length=2000)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("沟通消息")
        verbose_name_plural = _("沟通消息")

    def __str__(self) -> str:
        return self.text[:40]
