"""Policy books and their versions.

The repository's books (`magnet/policybooks/<name>/`) are version 1 of every policy. Staff draft a new
version of one policy in the console; another staff member approves it with an effective date. The
book used for a month is the repository's, with each policy replaced by its latest approved version in
force on the month's first day (`selectors.published_book`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PolicyVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    book = models.CharField(_("政策手册"), max_length=40)
    policy = models.CharField(_("政策"), max_length=63)
    number = models.PositiveIntegerField(_("版本号"))
    text = models.TextField(_("政策文件（YAML）"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    cases_passed = models.BooleanField(_("测试用例通过"), default=False)
    cases_report = models.JSONField(_("测试用例结果"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人")
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    problems = models.JSONField(_("校验问题"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("提交审批时间"), null=True, blank=True)

    class Meta:
        ordering = ["book", "policy", "-number"]
        verbose_name = _("政策版本")
        verbose_name_plural = _("政策版本")
        constraints = [
            models.UniqueConstraint(fields=["book", "policy", "number"], name="radar_version_unique_number"),
            # the four-eyes rule, by the database: nobody approves their own draft
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("created_by")),
                name="radar_version_not_self_approved",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(effective_from__isnull=False, decided_by__isnull=False),
                name="radar_version_approved_has_date_and_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.book}/{self.policy} v{self.number}"

    @property
    def valid(self) -> bool:
        """The book loads with this text in place of the policy (checked on every save)."""
        return not self.problems

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class Run(models.Model):
    """One screening of a snapshot for a month by a book version (or a what-if of a draft against it).

    Results are never rows in the database: they are one Parquet file written atomically under
    `MAGNET_DATA_DIR/radar/runs/<id>.parquet`; the database keeps the totals by policy and district,
    written in the same transaction that marks the run done. A failed run has neither."""

    class Kind(models.TextChoices):
        SCREENING = "screening", _("筛查")
        WHATIF = "whatif", _("假设分析")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Stage(models.TextChoices):
        QUEUED = "queued", _("等待后台任务")
        LOADING_BOOK = "loading_book", _("载入政策手册")
        SCREENING = "screening", _("筛查")
        DISTRICTS = "districts", _("确定所属区县")
        WRITING = "writing", _("写入结果")
        COMPARING = "comparing", _("与上次结果比较")
        DONE = "done", _("完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.SCREENING)
    book = models.CharField(_("政策手册"), max_length=40)
    book_version = models.CharField(_("手册版本"), max_length=16)
    book_files = models.JSONField(_("手册文件"), default=dict)
    base_version = models.CharField(_("对照手册版本"), max_length=16, blank=True)
    base_files = models.JSONField(_("对照手册文件"), default=dict, blank=True)
    snapshot = models.ForeignKey(
        "feeds.Snapshot", on_delete=models.PROTECT, related_name="+", verbose_name=_("数据快照")
    )
    month = models.CharField(_("月份"), max_length=7)
    policies = models.JSONField(_("筛查的政策"), default=list, blank=True)
    draft = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="runs", verbose_name=_("草稿版本")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.QUEUED)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("结果条数"), null=True, blank=True)
    total_amount = models.DecimalField(_("金额合计"), max_digits=18, decimal_places=2, null=True, blank=True)
    result_file = models.CharField(_("结果文件"), max_length=200, blank=True)
    changes_file = models.CharField(_("变化明细文件"), max_length=200, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("比较的上次运行")
    )
    comparison = models.JSONField(_("比较结果"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("筛查运行")
        verbose_name_plural = _("筛查运行")
        indexes = [models.Index(fields=["book", "month", "kind", "status", "created_at"], name="radar_run_month")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="radar_run_progress_at_most_100"),
            models.CheckConstraint(
                condition=~Q(kind="whatif") | Q(draft__isnull=False), name="radar_run_whatif_has_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.book} {self.month} {self.get_kind_display()} {str(self.id)[:8]}"

    @property
    def short_id(self) -> str:
        return str(self.id)[:8]

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class RunTotal(models.Model):
    """A done run's count and amount for one policy and district (the district's adcode, or 'other')."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="totals")
    policy = models.CharField(_("政策"), max_length=63)
    district = models.CharField(_("区县"), max_length=12)
    count = models.PositiveIntegerField(_("人数"))
    amount = models.DecimalField(_("金额"), max_digits=18, decimal_places=2)

    class Meta:
        ordering = ["policy", "district"]
        verbose_name = _("筛查合计")
        verbose_name_plural = _("筛查合计")
        constraints = [
            models.UniqueConstraint(fields=["run", "policy", "district"], name="radar_total_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.district}: {self.count} / {self.amount}"
