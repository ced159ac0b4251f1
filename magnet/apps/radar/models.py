"""Policy books and their versions.

The repository's books (`magnet/policybooks/<name>/`) are version 1 of every policy. Staff draft a new
version of one policy in the console; another staff member approves it with an effective date. The
book used for a month is the repository's, with each policy replaced by its latest approved version in
force on the month's first day (`selectors.published_book`).
"""

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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("起草人"))
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

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
