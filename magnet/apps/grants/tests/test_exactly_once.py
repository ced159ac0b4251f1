"""Paying twice must be impossible: concurrent staff on PostgreSQL, and a crash between any two steps then
a resume (SECURITY B5: MN-1, MN-5, MN-6)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from magnet.apps.common.errors import DomainError
from magnet.apps.common.testing import ZHANG_WEI
from magnet.apps.grants import services
from magnet.apps.grants.models import Grant, JournalEntry, PaymentBatch, PaymentInstruction, Posting, ReturnImport
from magnet.apps.grants.tests.test_lifecycle import ACCOUNT, bound_talent, to_approved
from magnet.apps.radar import services as radar
from magnet.apps.radar.tests.radar_cast import CHEN_JING, MONTH, load, write_radar_snapshot
from magnet.core.payments import simulate_bank


@pytest.fixture
def world(flushable_audit, tmp_path):
    from magnet.apps.common.fixtures import make_user

    people = {name: make_user("staff", username=name) for name in ("maker", "checker", "third")}
    snapshot = load(write_radar_snapshot(tmp_path / "radar-cast"))
    run = radar.radar_run_start(actor=people["maker"], snapshot=snapshot, month=MONTH)
    radar.radar_run_perform(run_id=str(run.pk))
    run.refresh_from_db()
    zhang, chen = bound_talent(ZHANG_WEI), bound_talent(CHEN_JING, phone="13700000088")
    services.grants_from_run(run, actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    services.payee_account_set(chen, account_name=CHEN_JING.name, account_number=ACCOUNT + "1", bank_code="BOC")
    to_approved(people)
    batch = services.batch_assemble(actor=people["maker"])
    return people, run, batch


def together(*calls):
    """Run the calls in threads released at the same moment; each result or exception, in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def work(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as e:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


postgres_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="concurrent transactions need PostgreSQL"
)


@postgres_only
def test_two_staff_approving_at_once_approve_once(world):
    people, _, batch = world
    results = together(
        lambda: services.batch_approve(PaymentBatch.objects.get(pk=batch.pk), actor=people["checker"]),
        lambda: services.batch_approve(PaymentBatch.objects.get(pk=batch.pk), actor=people["third"]),
    )
    assert sum(isinstance(r, PaymentBatch) for r in results) == 1
    assert sum(isinstance(r, DomainError) for r in results) == 1
    batch.refresh_from_db()
    assert batch.status == "approved" and batch.approved_by in (people["checker"], people["third"])


@postgres_only
def test_the_same_batch_exported_and_its_return_imported_twice_at_once_pays_once(world):
    people, _, batch = world
    services.batch_approve(batch, actor=people["checker"])
    exports = together(
        lambda: services.batch_export(PaymentBatch.objects.get(pk=batch.pk), actor=people["checker"]),
        lambda: services.batch_export(PaymentBatch.objects.get(pk=batch.pk), actor=people["third"]),
    )
    assert isinstance(exports[0], bytes) and exports[0] == exports[1]
    assert Posting.objects.filter(entry__kind="send", grant__isnull=False).count() == batch.lines
    returned = simulate_bank(exports[0])
    imports = together(
        lambda: services.batch_import_return(PaymentBatch.objects.get(pk=batch.pk), returned, actor=people["checker"]),
        lambda: services.batch_import_return(PaymentBatch.objects.get(pk=batch.pk), returned, actor=people["third"]),
    )
    assert all(isinstance(r, dict) or isinstance(r, DomainError) for r in imports), imports
    assert Posting.objects.filter(entry__kind="settle", grant__isnull=False).count() == batch.lines
    assert ReturnImport.objects.filter(batch=batch).count() == 1
    assert PaymentInstruction.objects.filter(batch=batch, status="paid").count() == batch.lines


@postgres_only
def test_two_assemblers_at_once_never_put_a_grant_in_two_batches(world):
    people, _, batch = world
    services.batch_cancel(batch, actor=people["checker"], reason="重新编排")
    results = together(
        lambda: services.batch_assemble(actor=people["maker"]),
        lambda: services.batch_assemble(actor=people["third"]),
    )
    batches = [r for r in results if isinstance(r, PaymentBatch)]
    assert batches, results
    live = PaymentInstruction.objects.filter(status="pending")
    assert live.count() == live.values("grant").distinct().count()
    assert sum(b.lines for b in batches) == Grant.objects.filter(status="in_batch").count()


@postgres_only
def test_two_runs_creating_grants_at_once_create_each_once(world):
    people, run, _ = world
    Grant.objects.filter(status="matched").count()
    results = together(lambda: services.grants_from_run(run, actor=people["maker"]),
                       lambda: services.grants_from_run(run, actor=people["third"]))  # fmt: skip
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Grant.objects.filter(run=run).count() == run.rows


def test_a_crash_in_the_middle_of_an_export_leaves_nothing_and_a_resume_exports_once(world, monkeypatch):
    people, _, batch = world
    services.batch_approve(batch, actor=people["checker"])
    real_post_many = services.post_many

    def post_then_crash(*args, **kwargs):
        real_post_many(*args, **kwargs)
        raise RuntimeError("power cut after the entries, before the commit")

    monkeypatch.setattr(services, "post_many", post_then_crash)
    with pytest.raises(RuntimeError):
        services.batch_export(batch, actor=people["checker"])
    batch.refresh_from_db()
    assert batch.status == "approved" and not JournalEntry.objects.filter(kind="send").exists()
    assert not (Path(settings.MAGNET_DATA_DIR) / "grants" / "bank" / f"batch-{batch.pk}.csv").exists()
    monkeypatch.setattr(services, "post_many", real_post_many)
    data = services.batch_export(batch, actor=people["checker"])
    assert Posting.objects.filter(entry__kind="send", grant__isnull=False).count() == batch.lines
    assert services.batch_export(batch, actor=people["third"]) == data


def test_a_crash_in_the_middle_of_a_return_import_applies_nothing_and_a_resume_applies_once(world, monkeypatch):
    people, _, batch = world
    services.batch_approve(batch, actor=people["checker"])
    returned = simulate_bank(services.batch_export(batch, actor=people["checker"]))
    real_post_many = services.post_many

    def post_then_crash(*args, **kwargs):
        real_post_many(*args, **kwargs)
        raise RuntimeError("the worker was killed after the settlements, before the commit")

    monkeypatch.setattr(services, "post_many", post_then_crash)
    with pytest.raises(RuntimeError):
        services.batch_import_return(batch, returned, actor=people["checker"])
    assert not JournalEntry.objects.filter(kind="settle").exists()
    assert not PaymentInstruction.objects.filter(status="paid").exists() and not ReturnImport.objects.exists()
    monkeypatch.setattr(services, "post_many", real_post_many)
    services.batch_import_return(batch, returned, actor=people["checker"])
    services.batch_import_return(batch, returned, actor=people["third"])
    assert Posting.objects.filter(entry__kind="settle", grant__isnull=False).count() == batch.lines
    for grant in Grant.objects.filter(status="paid"):
        assert services.grant_paid(grant) == grant.amount
