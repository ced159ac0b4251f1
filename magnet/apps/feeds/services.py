"""Loading a feed snapshot into the platform."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from magnet.apps.audit.services import audit_record
from magnet.apps.common.errors import DomainError
from magnet.apps.feeds.models import FeedLoad, Snapshot
from magnet.core.feeds import SnapshotRejected, load_snapshot

FEED_NAMES = (
    "persons",
    "education",
    "social_insurance",
    "enterprises",
    "property",
    "skill_certs",
    "business_registrations",
)


def _known_industry_codes() -> set[str]:
    from magnet.apps.reference.models import Industry

    return set(Industry.objects.filter(level="class").values_list("code_with_section", flat=True))


def snapshot_load(*, src_dir: Path, actor=None, request=None, source: str = "cli") -> tuple[Snapshot, bool]:
    """Validate and store the snapshot in `src_dir`; record it. Returns (snapshot, created).

    All or nothing: a rejected snapshot leaves no file and no row, and raises DomainError
    `snapshot_rejected` whose extra holds the problems (file, row, column, reason) and their total."""
    try:
        stored = load_snapshot(Path(src_dir), settings.MAGNET_DATA_DIR, known_industry_codes=_known_industry_codes())
    except SnapshotRejected as rejected:
        audit_record(
            request=request,
            actor=actor,
            action="feeds.load",
            object_type="snapshot",
            result="rejected",
            detail={"problems": rejected.total},
        )
        raise DomainError(
            "snapshot_rejected",
            _("数据快照未通过校验，共 %(total)s 个问题。") % {"total": rejected.total},
            rejected.as_dict(),
        ) from None
    with transaction.atomic():
        snapshot, created = Snapshot.objects.get_or_create(
            id=stored.id,
            defaults={
                "loaded_by": actor,
                "source": source,
                "row_counts": dict(stored.row_counts),
                "warnings": [asdict(w) for w in stored.warnings][:100],
                "source_files": {k: str(v) for k, v in getattr(stored, "source_format", {}).items()},
            },
        )
        audit_record(
            request=request,
            actor=actor,
            action="feeds.load",
            object_type="snapshot",
            object_id=stored.id,
            result="loaded" if created else "unchanged",
            detail={"row_counts": dict(stored.row_counts)},
        )
    return snapshot, created


def feed_load_enqueue(*, files: dict[tuple[str, str], object], actor, request) -> FeedLoad:
    """Keep uploaded feed files and queue their loading in the background.

    The uploaded names only choose the feed: files are written under generated names
    (`<feed>.<csv|parquet>`) in a private folder, which the task removes when it is done, whatever happens."""
    from magnet.apps.feeds.tasks import feed_load_run

    if "persons" not in {name for name, _ext in files}:
        raise DomainError("persons_missing", _("缺少必需的 persons（人口基础信息）文件。"), {"field": "files"})
    uploads = Path(settings.MAGNET_DATA_DIR) / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="upload-", dir=uploads))
    try:
        for (feed, ext), upload in files.items():
            with (work / f"{feed}.{ext}").open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
        load = FeedLoad.objects.create(created_by=actor, work_dir=str(work),
                                       files=sorted(f"{feed}.{ext}" for feed, ext in files))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    audit_record(request=request, action="feeds.upload", object_type="feed_load", object_id=load.pk,
                 detail={"files": load.files})
    transaction.on_commit(lambda: feed_load_run.enqueue(load.pk))
    return load


def classify_upload_name(name: str) -> tuple[str, str]:
    """Which feed and format an uploaded file is for, from its name; refuse anything else."""
    stem, _dot, ext = name.rpartition(".")
    ext = ext.lower()
    if stem not in FEED_NAMES or ext not in {"csv", "parquet"}:
        raise DomainError(
            "upload_name",
            _("文件名 %(name)s 不是数据接口规定的文件（应为 persons.csv、education.parquet 等）。")
            % {"name": name[:80]},
            {"field": "files"},
        )
    return stem, ext
