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


class FeedLoad(models.Model):
    """An upload from the console, loaded in the background; the page polls it until it is done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("校验中")
        LOADED = "loaded", _("已加载")
        UNCHANGED = "unchanged", _("已存在，未重复加载")
        REJECTED = "rejected", _("未通过校验")
        FAILED = "failed", _("处理失败")

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    work_dir = models.CharField(max_length=500)
    files = models.JSONField(default=list)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.PROTECT)
    message = models.CharField(max_length=500, blank=True)
    problems = models.JSONField(default=list, blank=True)
    total = models.PositiveIntegerField(default=0)

    @property
    def done(self) -> bool:
        return self.status not in {self.Status.QUEUED, self.Status.RUNNING}
