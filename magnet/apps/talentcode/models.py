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
