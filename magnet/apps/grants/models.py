"""Grants: from an entitlement found by the radar to money paid, never twice.

- `Grant`: one per person, policy and period (a database constraint on the person's blind index), with
  its lifecycle status. Its history is `GrantEvent` rows (append-only).
- The ledger: `JournalEntry` with `Posting`s that sum to zero (double entry). Entries and postings are
  never updated or deleted (database triggers); a correction is a reversing entry; balances are sums.
  Every entry has a unique `key`, so a step retried after a crash, or run twice at once, posts once.
- `PaymentBatch` of `PaymentInstruction`s: assembled by one staff member, approved by another (and a
  second time above a threshold); amounts and accounts are frozen in the instructions; each line has a
  deterministic idempotency key; at most one live instruction per grant (a partial unique constraint).
- `ReturnImport`: a bank return file applied once per batch and file content.
- `PayeeAccount`: where a person is paid (bank account in their own name, encrypted).
- `Objection` (during publicity) and `Appeal` (human review of a refusal, PIPL art. 24).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class Grant(models.Model):
    class Status(models.TextChoices):
        MATCHED = "matched", _("已匹配")
        NOTIFIED = "notified", _("已通知")
        CONFIRMED = "confirmed", _("已确认")
        PUBLICITY = "publicity", _("公示中")
        APPROVED = "approved", _("已审批")
        IN_BATCH = "in_batch", _("发放中")
        PAID = "paid", _("已发放")
        FAILED = "failed", _("发放失败")
        OBJECTED = "objected", _("有异议")
        REFUSED = "refused", _("不予发放")
        REVERSED = "reversed", _("已冲正")
        RECOVERY = "recovery", _("待追回")
        RECOVERED = "recovered", _("已追回")

    person_index = models.CharField(max_length=64, db_index=True)  # blind index of the identity number
    id_number_cipher = models.TextField()
    name_masked = models.CharField(_("姓名"), max_length=40, blank=True)
    district = models.CharField(_("区县"), max_length=12, blank=True)
    policy = models.CharField(_("政策"), max_length=63)
    period = models.CharField(_("期间"), max_length=7)
    amount = models.DecimalField(_("金额"), **MONEY)
    mode = models.CharField(_("方式"), max_length=10)  # auto (免申即享) or confirm
    direction = models.CharField(max_length=10, default="payment")
    book = models.CharField(max_length=40)
    book_version = models.CharField(max_length=16)
    run = models.ForeignKey("radar.Run", null=True, blank=True, on_delete=models.PROTECT, related_name="grants")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.MATCHED, db_index=True)
    attempt = models.PositiveIntegerField(default=0)  # payment attempts (a failed payment is retried)
    publicity_until = models.DateField(_("公示截止"), null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unreachable = models.BooleanField(_("无法联系"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period", "policy", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_index", "policy", "period"], name="grants_one_per_person_policy_period"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_amount_positive"),
        ]
        indexes = [models.Index(fields=["policy", "period", "status"]), models.Index(fields=["status", "district"])]
        verbose_name = _("补贴")
        verbose_name_plural = _("补贴")

    def __str__(self) -> str:
        return f"{self.policy} {self.period} #{self.pk}"

    def id_number_plain(self) -> str:
        from magnet.apps.common.pii import cipher

        return cipher().decrypt(self.id_number_cipher, context="id_number")


class GrantEvent(models.Model):
    """One step of a grant's life, append-only (a database trigger refuses changes)."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "id"]


class LedgerAccount(models.Model):
    """`expense:<policy>`, `payable:grants`, `clearing:bank`, `cash:treasury`, `receivable:recovery`."""

    code = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.code


class JournalEntry(models.Model):
    class Kind(models.TextChoices):
        APPROVE = "approve", _("审批入账")
        SEND = "send", _("发送银行")
        SETTLE = "settle", _("银行已付")
        FAIL = "fail", _("银行退回")
        REVERSE = "reverse", _("冲正")
        RECOVER = "recover", _("追回立项")
        RECOVERED = "recovered", _("追回到账")

    key = models.CharField(max_length=120, unique=True)  # one entry per step: a retried step posts once
    kind = models.CharField(max_length=12, choices=Kind.choices)
    grant = models.ForeignKey(Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    batch = models.ForeignKey("PaymentBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]


class Posting(models.Model):
    """A signed amount on an account: debits positive, credits negative; an entry's postings sum to 0."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="postings")
    amount = models.DecimalField(**MONEY)
    # the grant this posting is for (a batch step is one entry with a posting per grant and one contra posting)
    grant = models.ForeignKey(Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="postings")

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="grants_posting_not_zero")]


class PayeeAccount(models.Model):
    """A person's bank account for subsidies, in their own name (checked against the persons feed)."""

    person_index = models.CharField(max_length=64, unique=True)
    account_name = models.CharField(_("户名"), max_length=40)
    account_number_cipher = models.TextField()
    account_masked = models.CharField(_("账号"), max_length=40)
    bank_code = models.CharField(_("开户行代码"), max_length=20)
    updated_at = models.DateTimeField(auto_now=True)


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        ASSEMBLED = "assembled", _("待审批")
        FIRST_APPROVED = "first_approved", _("待二级审批")
        APPROVED = "approved", _("已审批")
        EXPORTED = "exported", _("已导出")
        RECONCILED = "reconciled", _("已对账")
        CANCELLED = "cancelled", _("已作废")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("制单人")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ASSEMBLED)
    policy = models.CharField(_("政策"), max_length=63, blank=True)
    lines = models.PositiveIntegerField(_("笔数"), default=0)
    total = models.DecimalField(_("总额"), **MONEY, default=0)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("二级审批人"),
    )
    second_approved_at = models.DateTimeField(null=True, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    export_sha256 = models.CharField(max_length=64, blank=True)
    export_file = models.CharField(max_length=300, blank=True)  # relative to MAGNET_DATA_DIR

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("created_by")),
                name="grants_batch_maker_is_not_checker",
            ),
            models.CheckConstraint(
                condition=Q(second_approved_by__isnull=True)
                | (~Q(second_approved_by=models.F("created_by")) & ~Q(second_approved_by=models.F("approved_by"))),
                name="grants_batch_second_approver_is_a_third_person",
            ),
        ]

    def __str__(self) -> str:
        return f"batch {self.pk}"


class PaymentInstruction(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待发放")
        PAID = "paid", _("已发放")
        FAILED = "failed", _("失败")
        CANCELLED = "cancelled", _("已作废")

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="instructions")
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="instructions")
    line_no = models.PositiveIntegerField()
    key = models.CharField(max_length=32, unique=True)  # H(person, policy, period, attempt)
    attempt = models.PositiveIntegerField()
    amount = models.DecimalField(**MONEY)
    account_name = models.CharField(max_length=40)
    account_number_cipher = models.TextField()
    bank_code = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    bank_ref = models.CharField(max_length=64, blank=True)
    failure = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["batch", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "line_no"], name="grants_instruction_line"),
            models.UniqueConstraint(fields=["grant", "attempt"], name="grants_instruction_attempt"),
            # a grant is in at most one live instruction: it can never be sent, or paid, twice
            models.UniqueConstraint(
                fields=["grant"], condition=Q(status__in=["pending", "paid"]), name="grants_one_live_instruction"
            ),
        ]


class ReturnImport(models.Model):
    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="returns")
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["-imported_at"]
        constraints = [models.UniqueConstraint(fields=["batch", "sha256"], name="grants_return_once")]


class Objection(models.Model):
    """An objection raised during publicity (公示异议); the grant waits until staff resolve it."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="objections")
    text = models.TextField(_("异议内容"))
    contact = models.CharField(_("联系方式"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    upheld = models.BooleanField(null=True)
    resolution = models.TextField(_("处理意见"), blank=True)


class Appeal(models.Model):
    """A person asks for human review of a refusal or a condition (PIPL art. 24)."""

    person_index = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey(Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals")
    policy = models.CharField(max_length=63)
    period = models.CharField(max_length=7)
    text = models.TextField(_("申诉理由"))
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    granted = models.BooleanField(null=True)
    decision = models.TextField(_("复核意见"), blank=True)
