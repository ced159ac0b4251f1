from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """A validated, immutable feed snapshot stored as Parquet under MAGNET_DATA_DIR/snapshots/<id>/.

    The id is the content address (SHA-256 of the input files), so loading the same files twice
    finds this row again instead of making a second one."""

    id = models.CharField(_("快照编号"), max_length=64, primary_key=True)
    created_at = models.DateTimeField(_("加载时间"), auto_now_add=True, db_index=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  verbose_name=_("加载人"))
    source = models.CharField(_("来源"), max_length=20, default="cli")
    row_counts = models.JSONField(_("行数"), default=dict)
    warnings = models.JSONField(_("警告"), default=list, blank=True)
    source_files = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("数据快照")
        verbose_name_plural = _("数据快照")

    def __str__(self) -> str:
        return self.id[:12]

    @property
    def short_id(self) -> str:
        return self.id[:12]
