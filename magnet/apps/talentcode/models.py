from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    """One of the city's Ed25519 signing keys. The private half is stored only encrypted (AES-GCM with
    the field keys); the public half is published until the key is retired."""

    kid = models.CharField(_("密钥编号"), max_length=64, unique=True)
    private_cipher = models.TextField()
    public_cose = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    # A superseded key stops signing but stays published so that codes it signed still verify.
    superseded_at = models.DateTimeField(null=True, blank=True)
    # A retired key is no longer published: codes it signed are refused.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("人才码签名密钥")
        verbose_name_plural = _("人才码签名密钥")
        constraints = [
            # At most one key signs at a time.
            models.UniqueConstraint(fields=["superseded_at"], condition=Q(superseded_at__isnull=True),
                                    name="one_current_signing_key"),
        ]

    def __str__(self) -> str:
        return self.kid


class Revocation(models.Model):
    """A revoked code (by its cti) or a revoked talent (every code of a subject), until it expires."""

    cti = models.CharField(_("码编号"), max_length=64, blank=True, db_index=True)
    subject = models.CharField(_("人才标识"), max_length=64, blank=True, db_index=True)
    reason = models.CharField(_("理由"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(cti="", subject=""), name="revocation_names_something")]


TIERS = ["A", "B", "C", "D", "E"]


class Service(models.Model):
    """A service the talent code opens (free bus rides, gyms, libraries …), for some tiers, with limits."""

    key = models.SlugField(_("代码"), max_length=40, unique=True)  # as carried in the code's services claim
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=40)
    tiers = models.JSONField(_("适用人才层级"), default=list)
    daily_limit = models.PositiveSmallIntegerField(_("每日次数上限"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    points = models.ManyToManyField("accounts.ServicePoint", related_name="services", blank=True,
                                    verbose_name=_("服务网点"))

    class Meta:
        ordering = ["key"]
        verbose_name = _("人才码服务")
        verbose_name_plural = _("人才码服务")

    def __str__(self) -> str:
        return self.name


class Redemption(models.Model):
    """One use of a service with a talent code, recorded once: a code is used at most once per service
    (the unique constraint also makes re-uploaded offline scans harmless)."""

    cti = models.CharField(max_length=64)
    subject = models.CharField(max_length=64, db_index=True)
    tier = models.CharField(max_length=1)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="redemptions")
    point = models.ForeignKey("accounts.ServicePoint", on_delete=models.PROTECT, related_name="redemptions")
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    scanned_at = models.DateTimeField(db_index=True)
    scanned_day = models.DateField(db_index=True)  # local (Asia/Shanghai) day of the scan, for daily limits
    recorded_at = models.DateTimeField(auto_now_add=True)
    offline = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cti", "service"], name="code_used_once_per_service")]
        indexes = [models.Index(fields=["subject", "service", "scanned_day"], name="redemption_daily_limit")]
