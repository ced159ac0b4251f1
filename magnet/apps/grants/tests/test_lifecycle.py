"""From a screening run to money paid: lifecycle, ledger, batches, bank files and returns (SECURITY B5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from magnet.apps.accounts.services import talent_create
from magnet.apps.common.errors import DomainError
from magnet.apps.common.fixtures import make_user
from magnet.apps.common.pii import cipher, id_number_index
from magnet.apps.common.testing import ZHANG_WEI
from magnet.apps.grants import services
from magnet.apps.grants.models import Grant, GrantEvent, JournalEntry, PaymentInstruction, Posting
from magnet.apps.radar import services as radar
from magnet.apps.radar.tests.radar_cast import CHEN_JING, MONTH, load, write_radar_snapshot
from magnet.core.payments import parse_return_file, simulate_bank

pytestmark = pytest.mark.django_db
S = Grant.Status
ACCOUNT = "6222020200112233445"


@pytest.fixture
def snapshot(tmp_path):
    return load(write_radar_snapshot(tmp_path / "radar-cast"))


@pytest.fixture
def people(db):
    return {
        "maker": make_user("staff", username="maker"),
        "checker": make_user("staff", username="checker"),
        "third": make_user("staff", username="third"),
    }


@pytest.fixture
def run(snapshot, people):
    started = radar.radar_run_start(actor=people["maker"], snapshot=snapshot, month=MONTH)
    radar.radar_run_perform(run_id=str(started.pk))
    started.refresh_from_db()
    assert started.status == "done"
    return started


def bound_talent(persona, phone=None):
    user = talent_create(phone=phone or persona.phone or "13700000077")
    user.id_number_cipher = cipher().encrypt(persona.id_number, context="id_number")
    user.id_number_index = id_number_index(persona.id_number)
    user.identity_status = "verified"
    user.save()
    return user


def to_approved(people, **kw):
    services.notify_matched(actor=people["maker"])
    for grant in Grant.objects.filter(status=S.NOTIFIED):
        user = services.person_user(grant.person_index)
        if user is not None:
            services.confirm(grant, user)
    services.publicity_start(actor=people["maker"], days=0)
    import datetime as dt

    from django.utils import timezone

    return services.approve_after_publicity(actor=people["checker"], today=timezone.localdate() + dt.timedelta(days=1))


def ledger_balances_to_zero():
    for entry in JournalEntry.objects.all():
        assert sum(p.amount for p in entry.postings.all()) == 0, entry.key


def test_grants_from_a_run_are_one_per_person_policy_and_period_and_idempotent(run, people):
    first = services.grants_from_run(run, actor=people["maker"])
    assert first["created"] == run.rows == Grant.objects.count()
    again = services.grants_from_run(run, actor=people["maker"])
    assert again["created"] == 0 and Grant.objects.count() == run.rows
    grant = Grant.objects.get(person_index=id_number_index(ZHANG_WEI.id_number), policy="living_subsidy")
    assert grant.amount == Decimal("800.00") and grant.name_masked == "张*" and grant.status == S.MATCHED
    assert ZHANG_WEI.id_number not in grant.id_number_cipher and grant.book_version == run.book_version
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(person_index=grant.person_index, id_number_cipher="x", policy=grant.policy,
                             period=grant.period, amount=1, mode="auto", book="demo", book_version="x")  # fmt: skip


def test_notification_confirmation_publicity_approval_payment_and_reconciliation(run, people):
    zhang = bound_talent(ZHANG_WEI)
    chen = bound_talent(CHEN_JING, phone="13700000088")
    services.grants_from_run(run, actor=people["maker"])
    counts = services.notify_matched(actor=people["maker"])
    assert counts["unreachable"] >= 1  # people of the run without an account on the platform
    living = Grant.objects.get(person_index=zhang.id_number_index, policy="living_subsidy")
    assert living.status in (S.NOTIFIED, S.CONFIRMED)
    assert zhang.notifications.filter(kind="grant").exists()
    # confirming needs an account in one's own name
    with pytest.raises(DomainError) as refused:
        services.payee_account_set(zhang, account_name="李四", account_number=ACCOUNT, bank_code="ICBC")
    assert "account_name" in refused.value.extra["fields"]
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    services.payee_account_set(chen, account_name=CHEN_JING.name, account_number=ACCOUNT + "1", bank_code="BOC")
    for grant in Grant.objects.filter(
        status=S.NOTIFIED, person_index__in=[zhang.id_number_index, chen.id_number_index]
    ):
        services.confirm(grant, services.person_user(grant.person_index))
    with pytest.raises(DomainError):  # someone else's grant
        services.confirm(Grant.objects.filter(person_index=chen.id_number_index).first(), zhang)
    approved = to_approved(people)
    assert approved >= 2
    payable = Grant.objects.filter(status=S.APPROVED, person_index__in=[zhang.id_number_index, chen.id_number_index])
    lines = payable.count()
    assert lines >= 2
    batch = services.batch_assemble(actor=people["maker"])
    assert batch.lines == lines
    assert batch.total == sum(g.amount for g in Grant.objects.filter(status=S.IN_BATCH))
    with pytest.raises(DomainError, match="制单人"):
        services.batch_approve(batch, actor=people["maker"])
    batch = services.batch_approve(batch, actor=people["checker"])
    assert batch.status == "approved"
    data = services.batch_export(batch, actor=people["checker"])
    assert services.batch_export(batch, actor=people["third"]) == data  # the same bytes, nothing posted twice
    assert JournalEntry.objects.filter(kind="send").count() == 1
    assert Posting.objects.filter(entry__kind="send", grant__isnull=False).count() == lines
    keys = [i.key for i in batch.instructions.all()]
    fail = {keys[1]}
    returned = simulate_bank(data, fail_keys=fail)
    summary = services.batch_import_return(batch, returned, actor=people["checker"])
    assert (summary["paid"], summary["failed"], summary["pending"]) == (lines - 1, 1, 0)
    again = services.batch_import_return(batch, returned, actor=people["checker"])
    assert again["duplicate_file"] and JournalEntry.objects.filter(kind="settle").count() == 1
    assert Posting.objects.filter(entry__kind="settle", grant__isnull=False).count() == lines - 1
    paid = PaymentInstruction.objects.get(key=keys[0]).grant
    assert paid.status == S.PAID and services.grant_paid(paid) == paid.amount
    failed = PaymentInstruction.objects.get(key=keys[1]).grant
    assert failed.status == S.FAILED and services.grant_paid(failed) == 0
    # the failed one is retried with a new attempt and key, and paid in a second batch
    services.retry_failed(actor=people["checker"])
    second = services.batch_assemble(actor=people["third"])
    assert second.lines == 1 and second.instructions.get().key not in keys
    services.batch_approve(second, actor=people["maker"])
    data2 = services.batch_export(second, actor=people["maker"])
    services.batch_import_return(second, simulate_bank(data2), actor=people["maker"])
    failed.refresh_from_db()
    assert failed.status == S.PAID and services.grant_paid(failed) == failed.amount
    ledger_balances_to_zero()
    waiting = sum(g.amount for g in Grant.objects.filter(status=S.APPROVED))  # approved, no account yet
    assert services.balance("clearing:bank") == 0 and services.balance("payable:grants") == -waiting
    assert -services.balance("cash:treasury") == batch.total
    assert GrantEvent.objects.filter(grant=failed).count() >= 6


def test_a_return_file_with_unknown_or_mismatched_lines_is_refused_whole(run, people):
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    to_approved(people)
    batch = services.batch_assemble(actor=people["maker"])
    services.batch_approve(batch, actor=people["checker"])
    data = services.batch_export(batch, actor=people["checker"])
    good = simulate_bank(data).decode()
    line = next(x for x in good.splitlines() if x.startswith(str(batch.pk) + ","))
    tampered = good.replace(line, line.replace(",800.00,", ",800.01,"))
    tampered = tampered.replace("#TOTAL,1,800.00", "#TOTAL,1,800.01")
    with pytest.raises(DomainError) as refused:
        services.batch_import_return(batch, tampered.encode(), actor=people["checker"])
    assert refused.value.extra["problems"]
    assert not PaymentInstruction.objects.filter(status="paid").exists()
    assert not JournalEntry.objects.filter(kind="settle").exists()
    parse_return_file(good.encode(), str(batch.pk))  # the untampered file is fine


def test_a_second_approval_above_the_threshold_by_a_third_person(run, people, settings):
    settings.MAGNET_BATCH_SECOND_APPROVAL_ABOVE = "100"
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    to_approved(people)
    batch = services.batch_assemble(actor=people["maker"])
    batch = services.batch_approve(batch, actor=people["checker"])
    assert batch.status == "first_approved"
    with pytest.raises(DomainError):
        services.batch_export(batch, actor=people["checker"])
    with pytest.raises(DomainError):
        services.batch_approve(batch, actor=people["checker"])
    batch = services.batch_approve(batch, actor=people["third"])
    assert batch.status == "approved" and batch.second_approved_by == people["third"]


def test_the_ledger_refuses_changes_and_unbalanced_entries(run, people):
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    to_approved(people)
    posting = Posting.objects.first()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - the database's own error type
        with connection.cursor() as cursor:
            cursor.execute("UPDATE grants_posting SET amount = 1 WHERE id = %s", [posting.pk])
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM grants_journalentry WHERE id = %s", [posting.entry_id])
    with pytest.raises(ValueError, match="does not balance"):
        services.post("x", "approve", [("payable:grants", Decimal("1.00"))])
    assert services.post(posting.entry.key, "approve", [("a:x", Decimal(1)), ("a:y", Decimal(-1))]) is False


def test_a_later_run_that_drops_a_paid_person_opens_a_recovery_and_reverses_nothing_silently(run, people):
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    to_approved(people)
    batch = services.batch_assemble(actor=people["maker"])
    services.batch_approve(batch, actor=people["checker"])
    services.batch_import_return(batch, simulate_bank(services.batch_export(batch, actor=people["checker"])),
                                 actor=people["checker"])  # fmt: skip
    paid = Grant.objects.get(status=S.PAID, policy="living_subsidy")
    # a corrected feed: the next run finds nobody for living_subsidy (simulate with an empty result)
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.conf import settings as dj

    later = radar.radar_run_start(actor=people["maker"], snapshot=run.snapshot, month=MONTH)
    radar.radar_run_perform(run_id=str(later.pk))
    later.refresh_from_db()
    path = dj.MAGNET_DATA_DIR / later.result_file
    table = pq.read_table(path)
    pq.write_table(table.filter(pa.compute.not_equal(table["policy"], "living_subsidy")), path)
    counts = services.changes_from_run(later, actor=people["maker"])
    paid.refresh_from_db()
    assert paid.status == S.RECOVERY and counts["recovery"] == 1
    assert Grant.objects.get(status=S.PAID, policy="rent_subsidy")  # still eligible: untouched
    assert services.balance("receivable:recovery") == paid.amount
    services.recovered(paid, actor=people["checker"], reference="银行流水 123")
    assert services.balance("receivable:recovery") == 0
    ledger_balances_to_zero()


def test_objections_and_appeals_are_decided_with_reasons(run, people):
    zhang = bound_talent(ZHANG_WEI)
    services.grants_from_run(run, actor=people["maker"])
    services.payee_account_set(zhang, account_name=ZHANG_WEI.name, account_number=ACCOUNT, bank_code="ICBC")
    services.notify_matched(actor=people["maker"])
    for grant in Grant.objects.filter(status=S.NOTIFIED, person_index=zhang.id_number_index):
        services.confirm(grant, zhang)
    services.publicity_start(actor=people["maker"])
    grant = Grant.objects.filter(status=S.PUBLICITY).first()
    objection = services.objection_raise(grant, text="此人已离开本市工作", contact="13900000000")
    grant.refresh_from_db()
    assert grant.status == S.OBJECTED
    with pytest.raises(DomainError):
        services.objection_resolve(objection, upheld=False, resolution=" ", actor=people["checker"])
    services.objection_resolve(objection, upheld=False, resolution="经核实仍在本市就业", actor=people["checker"])
    grant.refresh_from_db()
    assert grant.status == S.PUBLICITY
    appeal = services.appeal_file(zhang, policy="rent_subsidy", period=MONTH, text="我没有房产，请复核租房补贴")
    services.appeal_decide(appeal, granted=False, decision="不动产登记显示名下有住房", actor=people["checker"])
    with pytest.raises(DomainError):
        services.appeal_decide(appeal, granted=True, decision="再次", actor=people["third"])
    assert zhang.notifications.filter(kind="appeal").exists()


def test_caps_and_budget_pools_hold_across_runs(run, people, monkeypatch):
    """A cap of one grant per person for the living subsidy, and a budget pool smaller than what is owed:
    a second run adds no capped grant, and approval stops, first come first served, at the pool."""
    from magnet.apps.radar import selectors
    from magnet.apps.radar.tests.radar_cast import replaced

    files = selectors.repository_files("demo")
    files["living_subsidy.yaml"] = replaced(
        files["living_subsidy.yaml"],
        ("kind: monthly\n", "kind: monthly\ncaps: {periods: 1}\nbudget_pool: {name: 生活补贴资金, amount: 2000}\n"),
    )
    monkeypatch.setattr(selectors, "published_files", lambda name, month=None: dict(files))
    services.grants_from_run(run, actor=people["maker"])
    living = Grant.objects.filter(policy="living_subsidy")
    assert living.count() >= 2
    # the same people in another month: the cap of one grant each keeps them out
    Grant.objects.filter(policy="living_subsidy").update(period="2022-05")
    second = services.grants_from_run(run, actor=people["maker"])
    assert second["capped"] == living.count()
    assert Grant.objects.filter(policy="living_subsidy").count() == living.count()
    to_approved(people)
    approved = Grant.objects.filter(policy="living_subsidy", status__in=[S.APPROVED])
    refused = Grant.objects.filter(policy="living_subsidy", status=S.REFUSED)
    assert sum(g.amount for g in approved) <= Decimal(2000) and refused.exists()
    from magnet.core.radar import Month

    assert services.budget_left("demo", "living_subsidy", Month.parse(run.month)) >= 0
