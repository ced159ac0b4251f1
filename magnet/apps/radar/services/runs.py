"""Screening runs and what-if runs, started from the console or the API and performed by a background task.

A run records the exact book texts it uses, so its results can be explained again later. The task
writes the results to one Parquet file (atomically) and then, in one transaction, the totals by policy
and district and the run's done state. Anything that goes wrong marks the run failed and leaves no
totals and no result file (at most a `.partial` file, removed when the next run starts). Two runs never
share a file, so runs for the same month at the same time cannot mix their rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magnet.apps.audit.services import audit_record
from magnet.apps.common.errors import DomainError
from magnet.apps.radar import results, selectors
from magnet.apps.radar.models import PolicyVersion, Run, RunTotal
from magnet.core.pii import redact
from magnet.core.radar import BookInvalid, Month, ScreeningRefused, missing_feeds, parse_month, sent_feeds

RUNS_DIR = Path("radar") / "runs"  # under MAGNET_DATA_DIR
ABANDONED_AFTER = dt.timedelta(hours=6)  # far beyond a run of the whole province (minutes)
logger = logging.getLogger(__name__)


def runs_dir() -> Path:
    return Path(settings.MAGNET_DATA_DIR) / RUNS_DIR


# ------------------------------------------------------------------------------------------ starting


def _month(text: str) -> Month:
    try:
        return parse_month(text)
    except ScreeningRefused:
        raise DomainError("bad_month", _("月份应为 YYYY-MM 格式，例如 2024-06。"), {"field": "month"}) from None


def _book_files(book: str, month: Month) -> dict[str, str]:
    try:
        return selectors.published_files(book, month)
    except KeyError:
        raise DomainError("unknown_book", _("没有名为 %(book)s 的政策手册。") % {"book": book},
                          {"field": "book"}) from None  # fmt: skip


def _checked(files: dict[str, str], snapshot, month: Month, policies: list[str] | None):
    """Load the book and refuse, naming them, policies it lacks and feeds the snapshot did not receive."""
    try:
        book = selectors.book_from_files(files)
    except BookInvalid as invalid:
        problems = [str(p) for p in invalid.problems[:20]]
        raise DomainError("book_invalid", _("政策手册未通过校验。"), {"problems": problems}) from None
    known = {p.id for p in book.policies}
    unknown = sorted(set(policies or []) - known)
    if unknown:
        raise DomainError("unknown_policy", _("政策手册中没有政策：%(p)s") % {"p": ", ".join(unknown)},
                          {"field": "policies"})  # fmt: skip
    try:
        opened = selectors.snapshot_opened(snapshot.id)
    except FileNotFoundError:
        raise DomainError("snapshot_missing", _("数据快照的文件不存在。"), {"field": "snapshot"}) from None
    lacking = missing_feeds(book, month, sent_feeds(opened), policies or None)
    if lacking:
        named = "; ".join(f"{pid} needs {', '.join(feeds)}" for pid, feeds in lacking.items())
        raise DomainError(
            "feeds_missing",
            _("数据快照缺少政策所需的数据：%(named)s") % {"named": named},
            {"field": "policies", "missing": lacking},
        )
    return book


def radar_run_start(
    *, actor, snapshot, month: str, book: str = "demo", policies: list[str] | None = None, request=None
) -> Run:
    """Queue a screening of `snapshot` for `month` by the book published for that month."""
    the_month = _month(month)
    files = _book_files(book, the_month)
    loaded = _checked(files, snapshot, the_month, policies)
    with transaction.atomic():
        run = Run.objects.create(
            kind=Run.Kind.SCREENING, book=book, book_version=loaded.version, book_files=files, snapshot=snapshot,
            month=str(the_month), policies=sorted(policies or []), created_by=actor,
        )  # fmt: skip
        audit_record(request=request, actor=actor, action="radar.run.start", object_type="radar_run",
                     object_id=run.pk, detail=_detail(run))  # fmt: skip
        _enqueue(run)
    return run


def radar_whatif_start(
    *, actor, draft: PolicyVersion, snapshot, month: str, policies: list[str] | None = None, request=None
) -> Run:
    """Queue a what-if: the published book with and without the draft, on the same snapshot and month."""
    if draft.status != PolicyVersion.Status.DRAFT:
        raise DomainError("not_a_draft", _("只能对草稿做假设分析。"), status=409)
    if not draft.valid:
        raise DomainError("version_invalid", _("政策文件未通过校验，不能做假设分析。"))
    the_month = _month(month)
    base_files = _book_files(draft.book, the_month)
    files = {**base_files, f"{draft.policy}.yaml": draft.text}
    if policies is not None and draft.policy not in policies:
        policies = [*policies, draft.policy]
    base = _checked(base_files, snapshot, the_month, policies)
    loaded = _checked(files, snapshot, the_month, policies)
    with transaction.atomic():
        run = Run.objects.create(
            kind=Run.Kind.WHATIF, book=draft.book, book_version=loaded.version, book_files=files,
            base_version=base.version, base_files=base_files, snapshot=snapshot, month=str(the_month),
            policies=sorted(policies or []), draft=draft, created_by=actor,
        )  # fmt: skip
        audit_record(request=request, actor=actor, action="radar.whatif.start", object_type="radar_run",
                     object_id=run.pk, detail={**_detail(run), "draft": draft.pk})  # fmt: skip
        _enqueue(run)
    return run


def radar_run_retry(*, run: Run, actor, request=None) -> Run:
    """Run a failed run again from the start, with the same book texts, snapshot and month."""
    if run.status != Run.Status.FAILED:
        raise DomainError("not_failed", _("只有失败的运行可以重新运行。"), status=409)
    with transaction.atomic():
        again = Run.objects.create(
            kind=run.kind, book=run.book, book_version=run.book_version, book_files=run.book_files,
            base_version=run.base_version, base_files=run.base_files, snapshot=run.snapshot, month=run.month,
            policies=run.policies, draft=run.draft, created_by=actor,
        )  # fmt: skip
        audit_record(request=request, actor=actor, action="radar.run.retry", object_type="radar_run",
                     object_id=again.pk, detail={**_detail(again), "retry_of": str(run.pk)})  # fmt: skip
        _enqueue(again)
    return again


def _enqueue(run: Run) -> None:
    from magnet.apps.radar.tasks import radar_run_task

    run_id = str(run.pk)
    transaction.on_commit(lambda: radar_run_task.enqueue(run_id))


def _detail(run: Run) -> dict:
    return {"kind": run.kind, "book": run.book, "book_version": run.book_version, "snapshot": run.snapshot_id,
            "month": run.month, "policies": run.policies}  # fmt: skip


# ---------------------------------------------------------------------------------------- performing


def _stage(run: Run, stage: str, progress: int) -> None:
    run.stage, run.progress = stage, progress
    Run.objects.filter(pk=run.pk).update(stage=stage, progress=progress)


def radar_run_perform(*, run_id: str) -> str:
    """Perform a queued run (called by the background task); returns its final status."""
    run = Run.objects.select_related("snapshot").get(pk=run_id)
    if run.status != Run.Status.QUEUED:
        return run.status  # already handled: a retried task never runs twice
    run.status, run.started_at = Run.Status.RUNNING, timezone.now()
    Run.objects.filter(pk=run.pk).update(status=run.status, started_at=run.started_at)
    _fail_abandoned()
    running = {str(pk) for pk in Run.objects.filter(status=Run.Status.RUNNING).values_list("pk", flat=True)}
    runs_dir().mkdir(parents=True, exist_ok=True)
    results.remove_partials(runs_dir(), keep=running)
    try:
        _perform(run)
    except (ScreeningRefused, BookInvalid) as refused:
        _fail(run, str(refused))
    except Exception as error:  # anything else: the run fails whole, and the worker logs the error
        _fail(run, f"{type(error).__name__}: {error}")
        raise
    return run.status


def _fail_abandoned() -> None:
    """Runs still 'running' long after they started lost their worker (killed, machine restarted): failed,
    so their `.partial` files are removed and nobody waits for them."""
    cutoff = timezone.now() - ABANDONED_AFTER
    Run.objects.filter(status=Run.Status.RUNNING, started_at__lt=cutoff).update(
        status=Run.Status.FAILED, stage=Run.Stage.FAILED, finished_at=timezone.now(),
        error="the worker stopped before the run finished",
    )  # fmt: skip


def _perform(run: Run) -> None:
    from magnet.core.radar import connect, screen

    started = time.monotonic()
    _stage(run, Run.Stage.LOADING_BOOK, 5)
    month = parse_month(run.month)
    book = selectors.book_from_files(run.book_files)
    snapshot = selectors.snapshot_opened(run.snapshot_id)
    available = sent_feeds(snapshot)
    policies = run.policies or None
    con = connect(snapshot)
    try:
        _stage(run, Run.Stage.SCREENING, 15)
        table = screen(con, book, month, policies=policies, available=available)
        base = None
        if run.kind == Run.Kind.WHATIF:
            _stage(run, Run.Stage.SCREENING, 35)
            base_book = selectors.book_from_files(run.base_files)
            base = screen(con, base_book, month, policies=policies, available=available)
        _stage(run, Run.Stage.DISTRICTS, 55)
        table = results.with_districts(con, table, month, book.city)
        if base is not None:
            base = results.with_districts(con, base, month, book.city)
        _stage(run, Run.Stage.WRITING, 70)
        result_path = runs_dir() / f"{run.pk}.parquet"
        results.write_atomic(table, result_path)
        run.result_file = str(RUNS_DIR / result_path.name)
        totals = results.totals(con, table)
        _stage(run, Run.Stage.COMPARING, 85)
        comparison, changes = _compare(con, run, book, table, base)
        if changes is not None and len(changes):
            changes_path = runs_dir() / f"{run.pk}.changes.parquet"
            results.write_atomic(changes, changes_path)
            run.changes_file = str(RUNS_DIR / changes_path.name)
    finally:
        con.close()
    comparison["seconds"] = round(time.monotonic() - started, 3)
    _finish(run, table, totals, comparison)
    _index(snapshot)


def _index(snapshot) -> None:
    """After a run is done: the snapshot's per-person index, so explanations read one bucket (built once)."""
    from magnet.core.radar.engine import build_person_index

    try:
        build_person_index(snapshot, selectors.person_index_dir(snapshot.id), memory_limit="1GB", threads=2)
    except Exception:  # the run is done and kept; explanations read the whole snapshot until an index exists
        logger.exception("radar: the person index of snapshot %s could not be built", snapshot.id)


def _compare(con, run: Run, book, table, base) -> tuple[dict, object]:
    if base is not None:
        rows, changes = results.whatif(con, base, table)
        keys = ["gainers", "gain", "losers", "loss", "cost", "before", "after"]
        return {"kind": "whatif", "base_version": run.base_version, "rows": _jsonable(rows),
                "total": _jsonable([results.add_up(rows, keys)])[0]}, changes  # fmt: skip
    previous = selectors.run_previous(run)
    if previous is None:
        return {"kind": "first"}, None
    screened = _screened_policies(run, book)
    common = sorted(screened & _screened_policies(previous, selectors.book_from_files(previous.book_files)))
    old_path = Path(settings.MAGNET_DATA_DIR) / previous.result_file
    if not common or not old_path.exists():
        return {"kind": "none", "previous": str(previous.pk)}, None
    rows, changes = results.compare(con, table, old_path, common)
    keys = ["new", "new_amount", "gone", "gone_amount", "changed", "changed_amount"]
    run.previous = previous
    return {"kind": "previous", "previous": str(previous.pk), "previous_version": previous.book_version,
            "previous_snapshot": previous.snapshot_id, "policies": common, "rows": _jsonable(rows),
            "total": _jsonable([results.add_up(rows, keys)])[0]}, changes  # fmt: skip


def _screened_policies(run: Run, book) -> set[str]:
    month = parse_month(run.month)
    return {p.id for p in book.policies if p.in_force(month) and (not run.policies or p.id in run.policies)}


def _jsonable(rows: list[dict]) -> list[dict]:
    return [{k: str(v) if isinstance(v, Decimal) else v for k, v in row.items()} for row in rows]


def _finish(run: Run, table, totals: list[dict], comparison: dict) -> None:
    """Totals and the done state in one transaction: a run is either done with its totals, or not done."""
    rows = len(table)
    total_amount = sum((t["amount"] for t in totals), Decimal("0.00"))
    with transaction.atomic():
        RunTotal.objects.bulk_create([RunTotal(run=run, **t) for t in totals])
        run.status, run.stage, run.progress = Run.Status.DONE, Run.Stage.DONE, 100
        run.rows, run.total_amount, run.comparison, run.finished_at = rows, total_amount, comparison, timezone.now()
        run.save(update_fields=["status", "stage", "progress", "rows", "total_amount", "comparison", "finished_at",
                                "result_file", "changes_file", "previous"])  # fmt: skip


def _fail(run: Run, message: str) -> None:
    """Mark the run failed, with no totals and no result files."""
    for name in (f"{run.pk}.parquet", f"{run.pk}.changes.parquet"):
        (runs_dir() / name).unlink(missing_ok=True)
    with transaction.atomic():
        RunTotal.objects.filter(run=run).delete()
        Run.objects.filter(pk=run.pk).update(
            status=Run.Status.FAILED, stage=Run.Stage.FAILED, error=redact(message)[:2000], finished_at=timezone.now(),
            result_file="", changes_file="", rows=None, total_amount=None, comparison={}, previous=None,
        )  # fmt: skip
    run.status = Run.Status.FAILED
