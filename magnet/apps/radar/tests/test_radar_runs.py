"""Screening runs: the background task end to end, districts, totals, the comparison with the previous run,
what-if, a crash that leaves nothing behind, and two runs at once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from magnet.apps.common.errors import DomainError
from magnet.apps.common.fixtures import make_user
from magnet.apps.common.testing import ZHANG_WEI, write_cast_snapshot
from magnet.apps.radar import results, selectors, services
from magnet.apps.radar.models import PolicyVersion, Run, RunTotal
from magnet.apps.radar.tests.radar_cast import (
    CHEN_JING,
    LIU_YANG,
    MONTH,
    SUN_LI,
    ZHAO_LEI,
    load,
    replaced,
    write_radar_snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(tmp_path):
    return load(write_radar_snapshot(tmp_path / "radar-cast"))


@pytest.fixture
def staff(db):
    return make_user("staff", username="staff.runner")


def perform(run: Run) -> Run:
    services.radar_run_perform(run_id=str(run.pk))
    run.refresh_from_db()
    return run


def living_v2() -> str:
    """living_subsidy with a higher rate for double-first-class bachelors, an age limit of 40 and a rule
    that one must come within 12 months of graduating; and a budget pool."""
    return replaced(
        selectors.repository_files("demo")["living_subsidy.yaml"],
        ("value: 800,", "value: 1000,"),
        ("value: 60,", "value: 12,"),
        ("when: age_on(first_day(M)) < age_limit", "when: age_on(first_day(M)) < 40"),
        ("kind: monthly\n", "kind: monthly\nbudget_pool: {name: 生活补贴资金, amount: 3000, order: first_come}\n"),
    )


def approve_directly(text: str, effective_from: str = "2022-01-01") -> PolicyVersion:
    """An approved version written straight to the table (the approval workflow has its own tests)."""
    return PolicyVersion.objects.create(
        book="demo", policy="living_subsidy", number=2, text=text, status="approved", effective_from=effective_from,
        created_by=make_user("staff", username="author"), decided_by=make_user("staff", username="approver"),
    )  # fmt: skip


def by_key(rows: list[dict], *keys) -> dict:
    return {tuple(r[k] for k in keys): r for r in rows}


def test_a_run_keeps_its_book_version_files_totals_and_districts(snapshot, staff, settings):
    run = services.radar_run_start(actor=staff, snapshot=snapshot, month=MONTH)
    assert run.status == "queued" and run.book_version == selectors.published_book("demo").version
    assert run.book_files == selectors.published_files("demo")
    run = perform(run)
    assert (run.status, run.progress, run.stage) == ("done", 100, "done")
    assert run.rows == 6 and run.total_amount == Decimal("4560.00")
    path = Path(settings.MAGNET_DATA_DIR) / run.result_file
    assert run.result_file == f"radar/runs/{run.pk}.parquet" and path.exists()
    table = pq.read_table(path)
    assert table.column_names == ["id_number", "policy", "period", "amount", "district"]
    districts = {(r["id_number"], r["policy"]): r["district"] for r in table.to_pylist()}
    assert districts[(ZHANG_WEI.id_number, "living_subsidy")] == "320613"  # employed there (hukou 320602)
    assert districts[(CHEN_JING.id_number, "living_subsidy")] == "320602"
    assert districts[(SUN_LI.id_number, "flexible_insurance_subsidy")] == "320623"  # hukou: no employee row
    assert districts[(ZHAO_LEI.id_number, "flexible_insurance_subsidy")] == "other"  # hukou outside the city
    totals = {(t.policy, t.district): (t.count, t.amount) for t in RunTotal.objects.filter(run=run)}
    assert totals[("living_subsidy", "320613")] == (1, Decimal("800.00"))
    assert totals[("flexible_insurance_subsidy", "other")] == (1, Decimal("480.00"))
    assert sum(c for c, _ in totals.values()) == 6
    assert run.comparison["kind"] == "first"


def test_the_comparison_names_new_gone_and_changed_by_policy_and_district(snapshot, staff, settings):
    first = perform(services.radar_run_start(actor=staff, snapshot=snapshot, month=MONTH, policies=["living_subsidy"]))
    approve_directly(living_v2())
    second = perform(services.radar_run_start(actor=staff, snapshot=snapshot, month=MONTH,
                                              policies=["living_subsidy"]))  # fmt: skip
    assert second.book_version != first.book_version
    assert second.previous_id == first.pk
    c = second.comparison
    assert c["kind"] == "previous" and c["previous"] == str(first.pk) and c["previous_version"] == first.book_version
    rows = by_key(c["rows"], "policy", "district")
    liu, chen, zhang = (
        rows[("living_subsidy", "320612")],
        rows[("living_subsidy", "320602")],
        rows[("living_subsidy", "320613")],
    )
    assert (liu["new"], liu["new_amount"]) == (1, "600.00")
    assert (chen["gone"], chen["gone_amount"]) == (1, "1500.00")
    assert (zhang["changed"], zhang["changed_amount"]) == (1, "200.00")
    assert c["total"] == {"new": 1, "new_amount": "600.00", "gone": 1, "gone_amount": "1500.00", "changed": 1,
                          "changed_amount": "200.00"}  # fmt: skip
    changes = pq.read_table(Path(settings.MAGNET_DATA_DIR) / second.changes_file).to_pylist()
    assert {(r["id_number"], r["change"]) for r in changes} == {
        (LIU_YANG.id_number, "new"), (CHEN_JING.id_number, "gone"), (ZHANG_WEI.id_number, "changed"),
    }  # fmt: skip
    # The budget pool of the new version: 3,000 less this run's 1,600.
    budgets = selectors.run_totals(second)["budgets"]
    assert budgets == [{"policy": "living_subsidy", "names": budgets[0]["names"], "pool": "生活补贴资金",
                        "amount": Decimal("3000"), "order": "first_come", "spent": Decimal("1600.00"),
                        "remaining": Decimal("1400.00")}]  # fmt: skip


def test_a_refused_run_names_the_policy_and_the_feed(tmp_path, staff):
    cast = load(write_cast_snapshot(tmp_path / "cast"))
    with pytest.raises(DomainError) as refused:
        services.radar_run_start(actor=staff, snapshot=cast, month=MONTH)
    assert refused.value.code == "feeds_missing"
    assert "rent_subsidy needs property" in refused.value.message
    assert refused.value.extra["missing"]["skill_subsidy"] == ["skill_certs"]
    # The task refuses the same way (a run queued by other means): failed, with the reason, nothing kept.
    run = Run.objects.create(book="demo", book_version="x", book_files=selectors.published_files("demo"),
                             snapshot=cast, month=MONTH, created_by=staff)  # fmt: skip
    run = perform(run)
    assert run.status == "failed" and "startup_subsidy needs business_registrations" in run.error
    assert not run.totals.exists() and not run.result_file


def test_bad_month_and_unknown_book_are_refused(snapshot, staff):
    for kwargs, code in [({"month": "2022-13"}, "bad_month"), ({"month": MONTH, "book": "nowhere"}, "unknown_book"),
                         ({"month": MONTH, "policies": ["free_lunch"]}, "unknown_policy")]:  # fmt: skip
        with pytest.raises(DomainError) as refused:
            services.radar_run_start(actor=staff, snapshot=snapshot, **kwargs)
        assert refused.value.code == code
    assert not Run.objects.exists()


def test_a_crash_leaves_a_failed_run_with_no_results_and_a_rerun_starts_clean(snapshot, staff, settings, monkeypatch):
    real_write = results.write_atomic

    def disk_full(table, path):
        Path(f"{path}.partial").write_bytes(b"half a file")
        raise OSError("No space left on device")

    monkeypatch.setattr(results, "write_atomic", disk_full)
    run = services.radar_run_start(actor=staff, snapshot=snapshot, month=MONTH)
    with pytest.raises(OSError):
        services.radar_run_perform(run_id=str(run.pk))
    run.refresh_from_db()
    assert run.status == "failed" and run.error == "OSError: No space left on device"
    assert not RunTotal.objects.filter(run=run).exists()
    assert run.result_file == "" and run.rows is None and run.total_amount is None
    runs = Path(settings.MAGNET_DATA_DIR) / "radar" / "runs"
    assert not (runs / f"{run.pk}.parquet").exists()
    assert [p.name for p in runs.iterdir()] == [f"{run.pk}.parquet.partial"]  # at most an orphan temp file

    monkeypatch.setattr(results, "write_atomic", real_write)
    again = perform(services.radar_run_retry(run=run, actor=staff))
    assert again.status == "done" and again.rows == 6 and again.book_files == run.book_files
    assert sorted(p.name for p in runs.iterdir()) == [f"{again.pk}.parquet"]  # the orphan is gone
    assert again.comparison["kind"] == "first"  # a failed run is never what a run is compared with
    with pytest.raises(DomainError):
        services.radar_run_retry(run=again, actor=staff)


def test_a_failure_after_writing_removes_the_result_file(snapshot, staff, settings, monkeypatch):
    def broken_totals(con, table):
        raise RuntimeError("lost the connection")

    monkeypatch.setattr(results, "totals", broken_totals)
    run = services.radar_run_start(actor=staff, snapshot=snapshot, month=MONTH)
    with pytest.raises(RuntimeError):
        services.radar_run_perform(run_id=str(run.pk))
    run.refresh_from_db()
    assert run.status == "failed" and not RunTotal.objects.filter(run=run).exists()
    assert not list((Path(settings.MAGNET_DATA_DIR) / "radar" / "runs").glob(f"{run.pk}*"))


def test_two_runs_for_the_same_month_at_once_do_not_mix_their_rows(snapshot, staff, monkeypatch, settings):
    living = services.radar_run_start(actor=staff, snapshot=snapshot, month=MONTH, policies=["living_subsidy"])
    flexible = services.radar_run_start(actor=staff, snapshot=snapshot, month=MONTH,
                                        policies=["flexible_insurance_subsidy"])  # fmt: skip
    real = results.with_districts
    interleaved = []

    def with_districts(con, table, month, city):
        if not interleaved:  # the first run, half done, waits while the second runs from start to finish
            interleaved.append(True)
            assert perform(flexible).status == "done"
        return real(con, table, month, city)

    monkeypatch.setattr(results, "with_districts", with_districts)
    living = perform(living)
    flexible.refresh_from_db()
    assert interleaved and living.status == flexible.status == "done"
    assert set(living.totals.values_list("policy", flat=True)) == {"living_subsidy"}
    assert set(flexible.totals.values_list("policy", flat=True)) == {"flexible_insurance_subsidy"}
    data = Path(settings.MAGNET_DATA_DIR)
    assert living.result_file != flexible.result_file
    assert set(pq.read_table(data / living.result_file).column("policy").to_pylist()) == {"living_subsidy"}
    assert len(pq.read_table(data / flexible.result_file)) == 2
    assert (living.rows, flexible.rows) == (2, 2)


def test_whatif_shows_who_gains_who_loses_and_the_cost(snapshot, staff, settings):
    author = make_user("staff", username="author")
    draft = services.policy_version_save(actor=author, book="demo", policy="living_subsidy", text=living_v2())
    assert draft.valid and not draft.cases_passed  # its cases still say 800: it may be tried, not approved
    run = perform(services.radar_whatif_start(actor=staff, draft=draft, snapshot=snapshot, month=MONTH))
    assert run.kind == "whatif" and run.status == "done"
    assert run.base_version == selectors.published_book("demo").version != run.book_version
    c = run.comparison
    rows = by_key(c["rows"], "policy", "district")
    assert rows[("living_subsidy", "320613")] == {
        "policy": "living_subsidy", "district": "320613", "gainers": 1, "gain": "200.00", "losers": 0, "loss": "0.00",
        "cost": "200.00", "before": "800.00", "after": "1000.00"}  # fmt: skip
    assert (rows[("living_subsidy", "320612")]["gainers"], rows[("living_subsidy", "320612")]["gain"]) == (1, "600.00")
    assert (rows[("living_subsidy", "320602")]["losers"], rows[("living_subsidy", "320602")]["loss"]) == (1, "1500.00")
    assert rows[("flexible_insurance_subsidy", "other")]["cost"] == "0.00"
    # The rent subsidy follows the living subsidy (it needs eligibility for it): the whole book is screened.
    assert (rows[("rent_subsidy", "320612")]["gainers"], rows[("rent_subsidy", "320612")]["gain"]) == (1, "500.00")
    assert (rows[("rent_subsidy", "320602")]["losers"], rows[("rent_subsidy", "320602")]["loss"]) == (1, "800.00")
    assert c["total"] == {"gainers": 3, "gain": "1300.00", "losers": 2, "loss": "2300.00", "cost": "-1000.00",
                          "before": "4560.00", "after": "3560.00"}  # fmt: skip
    changes = pq.read_table(Path(settings.MAGNET_DATA_DIR) / run.changes_file).to_pylist()
    assert {(r["id_number"], r["policy"], r["change"]) for r in changes} == {
        (ZHANG_WEI.id_number, "living_subsidy", "gain"), (LIU_YANG.id_number, "living_subsidy", "gain"),
        (LIU_YANG.id_number, "rent_subsidy", "gain"), (CHEN_JING.id_number, "living_subsidy", "loss"),
        (CHEN_JING.id_number, "rent_subsidy", "loss"),
    }  # fmt: skip
    # A what-if is never the "previous run" of a screening.
    screening = perform(services.radar_run_start(actor=staff, snapshot=snapshot, month=MONTH))
    assert screening.comparison["kind"] == "first"


def test_whatif_refuses_an_invalid_draft(snapshot, staff):
    author = make_user("staff", username="author")
    text = selectors.repository_files("demo")["living_subsidy.yaml"].replace("kind: monthly", "kind: weekly")
    draft = services.policy_version_save(actor=author, book="demo", policy="living_subsidy", text=text)
    with pytest.raises(DomainError) as refused:
        services.radar_whatif_start(actor=staff, draft=draft, snapshot=snapshot, month=MONTH)
    assert refused.value.code == "version_invalid"


# The worker opens and closes its own database connections, as in production: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_console_runs_a_screening_in_the_background_and_shows_the_totals(flushable_audit, client_as, tmp_path):
    snapshot = load(write_radar_snapshot(tmp_path / "radar-cast"))
    client = client_as("staff")
    response = client.post(
        "/console/radar/runs/",
        {
            "snapshot": snapshot.pk,
            "month": MONTH,
            "book": "demo",
            "policies": ["living_subsidy", "flexible_insurance_subsidy"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    run = Run.objects.get()
    assert response["Location"] == f"/console/radar/runs/{run.pk}/" and run.status == "queued"
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "default", verbosity=0)
    run.refresh_from_db()
    assert run.status == "done" and run.rows == 4
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in fragment and 'id="totals"' in fragment and "青年人才生活补贴" in fragment
    assert "2,300.00" in fragment and "3206**********" in fragment
    assert ZHANG_WEI.id_number not in fragment


def test_a_run_whose_worker_died_is_failed_by_the_next_run_and_its_temp_file_removed(snapshot, staff, settings):
    import datetime as dt

    from django.utils import timezone

    dead = services.radar_run_start(actor=staff, snapshot=snapshot, month=MONTH)
    Run.objects.filter(pk=dead.pk).update(status="running", started_at=timezone.now() - dt.timedelta(hours=7))
    runs = Path(settings.MAGNET_DATA_DIR) / "radar" / "runs"
    runs.mkdir(parents=True)
    (runs / f"{dead.pk}.parquet.partial").write_bytes(b"half")
    perform(services.radar_run_start(actor=staff, snapshot=snapshot, month=MONTH))
    dead.refresh_from_db()
    assert dead.status == "failed" and "worker stopped" in dead.error
    assert not (runs / f"{dead.pk}.parquet.partial").exists()
