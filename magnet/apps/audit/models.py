from __future__ import annotations

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """An audit entry may be written once and never changed or removed."""


class AuditEntry(models.Model):
    """One security-relevant event. `hash` chains each entry to the one before it (LG-2)."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("操作人编号"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("操作人"), max_length=150, blank=True)
    actor_role = models.CharField(_("角色"), max_length=20, blank=True)
    scope = models.CharField(_("范围"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=32, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象"), max_length=200, blank=True, db_index=True)
    # The blind index of the person concerned, never the identity number itself: lets a person see
    # who looked at their data, and an auditor find every access to one person.
    subject_index = models.CharField(_("相关人员"), max_length=64, blank=True, db_index=True)
    result = models.CharField(_("结果"), max_length=16, default="ok")
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action} {self.object_id}"

    def canonical(self) -> str:
        """The fields the hash covers, in a fixed order and form."""
        return json.dumps(
            [
                self.at.isoformat(timespec="microseconds"),
                self.actor_id,
                self.actor_username,
                self.actor_role,
                self.scope,
                self.ip,
                self.request_id,
                self.action,
                self.object_type,
                self.object_id,
                self.subject_index,
                self.result,
                self.reason,
                self.detail,
            ],
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode()).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")
