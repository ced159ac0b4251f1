from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magnet.apps.common.pii import cipher
from magnet.core.feeds.checks import mask_id_number, mask_phone


class Role(models.TextChoices):
    TALENT = "talent", _("人才")
    ENTERPRISE = "enterprise", _("企业用户")
    STAFF = "staff", _("人社局工作人员")
    VERIFIER = "verifier", _("服务网点核验员")
    AUDITOR = "auditor", _("审计员")
    ADMIN = "admin", _("系统管理员")


class IdentityStatus(models.TextChoices):
    UNBOUND = "unbound", _("未绑定")
    VERIFIED = "verified", _("已核验")
    UNVERIFIED = "unverified", _("未通过核验")


class Department(models.Model):
    """A department of the bureau (人社局处室): staff belong to one."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("处室")
        verbose_name_plural = _("处室")

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    """An employer identified by its unified social credit code (GB 32100)."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    industry_code = models.CharField(_("行业代码"), max_length=8, blank=True)
    industry_chain = models.CharField(_("产业链"), max_length=40, blank=True)
    adcode = models.CharField(_("所在地"), max_length=6, blank=True)
    key_enterprise = models.BooleanField(_("重点企业"), default=False)
    # Set when the USCC was found in a loaded enterprises feed: the snapshot that confirmed it.
    feed_snapshot_id = models.CharField(_("核验快照"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return f"{self.name} ({self.uscc})"

    @property
    def in_feed(self) -> bool:
        return bool(self.feed_snapshot_id)


class ServicePoint(models.Model):
    """A place that honours the talent code (bus company, gym, library …); verifiers belong to one."""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=40)
    adcode = models.CharField(_("所在地"), max_length=6)

    class Meta:
        verbose_name = _("服务网点")
        verbose_name_plural = _("服务网点")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    # Phone and identity number: AES-GCM ciphertext plus an HMAC blind index for look-ups (DP-1).
    phone_cipher = models.TextField(blank=True)
    phone_index = models.CharField(max_length=64, null=True, blank=True, unique=True)
    id_number_cipher = models.TextField(blank=True)
    id_number_index = models.CharField(max_length=64, null=True, blank=True, unique=True)
    identity_status = models.CharField(
        _("身份核验"), max_length=12, choices=IdentityStatus.choices, default=IdentityStatus.UNBOUND
    )
    identity_checked_at = models.DateTimeField(null=True, blank=True)
    identity_snapshot_id = models.CharField(max_length=64, blank=True)
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="users", verbose_name=_("企业"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   verbose_name=_("处室"))
    # Staff scope: the division codes (prefixes) whose people and records they may see, e.g. ["3206"].
    districts = models.JSONField(_("辖区"), default=list, blank=True)
    service_point = models.ForeignKey(ServicePoint, null=True, blank=True, on_delete=models.PROTECT,
                                      verbose_name=_("服务网点"))
    password_changed_at = models.DateTimeField(null=True, blank=True)
    # Self-registered enterprise users wait, inactive, until bureau staff approve them.
    registration_status = models.CharField(
        _("注册审核"), max_length=10, blank=True,
        choices=[("pending", _("待审核")), ("approved", _("已通过")), ("rejected", _("未通过"))],
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [("reveal_pii", _("可查看完整身份证号和手机号（每次记录理由）"))]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_known"),
            models.CheckConstraint(
                condition=~Q(role="enterprise") | Q(enterprise__isnull=False), name="enterprise_user_has_enterprise"
            ),
            models.CheckConstraint(
                condition=~Q(role="verifier") | Q(service_point__isnull=False), name="verifier_has_service_point"
            ),
        ]

    # Shared or default-looking account names are refused (AU-7): every account belongs to one person.
    RESERVED_USERNAMES = frozenset({"admin", "administrator", "root", "superuser", "test", "guest", "system"})

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.username.strip().lower() in self.RESERVED_USERNAMES:
            raise ValidationError({"username": _("不能使用默认或共用的用户名。")})

    def __str__(self) -> str:
        if self.display_name:
            return self.display_name
        return self.phone_masked if self.role == Role.TALENT and self.phone_cipher else self.username

    # Personal data, decrypted only on purpose.
    def phone_plain(self) -> str:
        return cipher().decrypt(self.phone_cipher, context="phone") if self.phone_cipher else ""

    def id_number_plain(self) -> str:
        return cipher().decrypt(self.id_number_cipher, context="id_number") if self.id_number_cipher else ""

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone_plain()) if self.phone_cipher else ""

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number_plain()) if self.id_number_cipher else ""

    @property
    def is_identity_verified(self) -> bool:
        return self.identity_status == IdentityStatus.VERIFIED

    def scope_label(self) -> str:
        if self.role == Role.STAFF:
            dept = self.department.code if self.department_id else "-"
            return f"{dept}:{','.join(self.districts)}"
        if self.role == Role.ENTERPRISE and self.enterprise_id:
            return f"enterprise:{self.enterprise.uscc}"
        if self.role == Role.VERIFIER and self.service_point_id:
            return f"service_point:{self.service_point_id}"
        return self.role

    def covers_adcode(self, adcode: str) -> bool:
        """Whether this staff member's districts include a division code."""
        return any(adcode.startswith(prefix) for prefix in self.districts)


class SmsCode(models.Model):
    """A one-time code sent by SMS, bound to one sign-in attempt; only its hash is kept."""

    phone_index = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=16, default="login")
    attempt = models.CharField(max_length=64)  # random id kept in the requesting session
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    failures = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)


class LoginThrottle(models.Model):
    """Failed sign-ins per account key or client address, and the lock that follows (AU-2)."""

    key = models.CharField(max_length=100, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)


class ApiToken(models.Model):
    """A bearer token for a service point or an integration; only its SHA-256 is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return self.name
