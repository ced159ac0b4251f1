"""`python -m magnet radar run`: a stored snapshot or a folder of feeds in, a Parquet or CSV file out."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from magnet.apps.common.testing import ZHANG_WEI, write_cast_snapshot
from magnet.apps.radar.tests.radar_cast import CHEN_JING, MONTH, SUN_LI, ZHAO_LEI, load, write_radar_snapshot

pytestmark = pytest.mark.django_db
COLUMNS = ["id_number", "policy", "period", "amount"]
REPO = Path(__file__).resolve().parents[4]


def _run(*args) -> int:
    try:
        call_command("radar_run", *args)
    except SystemExit as exit_:
        return exit_.code
    return 0


@pytest.fixture
def stored(tmp_path):
    return load(write_radar_snapshot(tmp_path / "radar-cast"))


def test_screens_a_stored_snapshot_to_parquet_with_exactly_the_four_columns(stored, tmp_path, capsys):
    out = tmp_path / "out.parquet"
    assert _run("--snapshot", stored.id, "--month", MONTH, "--out", str(out)) == 0
    table = pq.read_table(out)
    assert table.column_names == COLUMNS
    assert str(table.schema.field("amount").type) == "decimal128(18, 2)"
    rows = {(r["id_number"], r["policy"]): str(r["amount"]) for r in table.to_pylist()}
    assert rows[(ZHANG_WEI.id_number, "living_subsidy")] == "800.00"
    assert rows[(CHEN_JING.id_number, "living_subsidy")] == "1500.00"
    assert rows[(ZHAO_LEI.id_number, "flexible_insurance_subsidy")] == "480.00"
    err = capsys.readouterr().err
    assert f"{len(table):,} entitlements" in err and "book demo version" in err and " s" in err
    assert not list(tmp_path.glob("*.partial"))


def test_writes_csv_by_extension_and_accepts_a_short_snapshot_id(stored, tmp_path):
    out = tmp_path / "out.csv"
    assert _run("--snapshot", stored.id[:10], "--month", MONTH, "--policy", "flexible_insurance_subsidy",
                "--out", str(out)) == 0  # fmt: skip
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == COLUMNS
    assert sorted(rows[1:]) == sorted([
        [SUN_LI.id_number, "flexible_insurance_subsidy", MONTH, "480.00"],
        [ZHAO_LEI.id_number, "flexible_insurance_subsidy", MONTH, "480.00"],
    ])  # fmt: skip


def test_uses_the_approved_version_in_force_like_the_console(stored, tmp_path):
    from magnet.apps.common.fixtures import make_user
    from magnet.apps.radar import selectors
    from magnet.apps.radar.models import PolicyVersion
    from magnet.apps.radar.tests.radar_cast import replaced

    text = replaced(selectors.repository_files("demo")["living_subsidy.yaml"], ("value: 800,", "value: 900,"))
    PolicyVersion.objects.create(book="demo", policy="living_subsidy", number=2, text=text, status="approved",
                                 effective_from="2022-01-01", created_by=make_user("staff", username="a"),
                                 decided_by=make_user("staff", username="b"))  # fmt: skip
    out = tmp_path / "out.csv"
    assert _run("--snapshot", stored.id, "--month", MONTH, "--policy", "living_subsidy", "--out", str(out)) == 0
    with out.open(encoding="utf-8") as handle:
        assert [ZHANG_WEI.id_number, "living_subsidy", MONTH, "900.00"] in list(csv.reader(handle))


def test_screens_a_folder_of_feeds_without_storing_it(tmp_path, settings, capsys):
    folder = write_radar_snapshot(tmp_path / "feeds")
    out = tmp_path / "out.parquet"
    assert _run("--feeds", str(folder), "--month", MONTH, "--out", str(out)) == 0
    assert pq.read_table(out).column_names == COLUMNS
    assert len(pq.read_table(out)) == 6
    assert not (Path(settings.MAGNET_DATA_DIR) / "snapshots").exists()
    assert "6 entitlements" in capsys.readouterr().err


def test_without_out_prints_counts_by_policy(stored, capsys):
    assert _run("--snapshot", stored.id, "--month", MONTH) == 0
    out = capsys.readouterr().out
    assert "living_subsidy" in out and "2,300.00" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2022-13"], "month must be YYYY-MM, not '2022-13'"),
        (["--month", "2022-6"], "month must be YYYY-MM"),
        (["--month", MONTH, "--book", "atlantis"], "there is no policy book 'atlantis' (books: demo"),
        (["--month", MONTH, "--policy", "free_lunch"], "the book demo has no policy free_lunch"),
        (["--month", MONTH, "--out", "result.xlsx"], "--out must end in .parquet or .csv"),
    ],
)
def test_refuses_bad_arguments_with_the_reason(stored, args, message, capsys):
    assert _run("--snapshot", stored.id, *args) == 1
    assert message in capsys.readouterr().err


def test_refuses_an_unknown_snapshot(capsys):
    assert _run("--snapshot", "0" * 64, "--month", MONTH) == 1
    assert "there is no stored snapshot" in capsys.readouterr().err


def test_refuses_a_snapshot_lacking_a_feed_naming_the_policy_and_the_feed(tmp_path, capsys):
    # The cast's own snapshot has no property, skill certificate or business registration file.
    snapshot = load(write_cast_snapshot(tmp_path / "cast"))
    out = tmp_path / "out.csv"
    assert _run("--snapshot", snapshot.id, "--month", MONTH, "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "the snapshot lacks feeds the book needs" in err
    assert "rent_subsidy needs property" in err and "skill_subsidy needs skill_certs" in err
    assert "startup_subsidy needs business_registrations" in err
    assert not out.exists()
    assert _run("--snapshot", snapshot.id, "--month", MONTH, "--policy", "living_subsidy", "--out", str(out)) == 0


def test_refuses_a_feeds_folder_lacking_a_feed(tmp_path, capsys):
    folder = write_radar_snapshot(tmp_path / "feeds", empty_feeds=False)
    assert _run("--feeds", str(folder), "--month", MONTH, "--policy", "skill_subsidy") == 1
    assert "skill_subsidy needs skill_certs" in capsys.readouterr().err


def test_refuses_an_invalid_feeds_folder_listing_the_problems(tmp_path, settings, capsys):
    folder = write_radar_snapshot(tmp_path / "feeds")
    persons = (folder / "persons.csv").read_text(encoding="utf-8")
    good = ZHANG_WEI.id_number
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    (folder / "persons.csv").write_text(persons.replace(good, bad, 1), encoding="utf-8")
    assert _run("--feeds", str(folder), "--month", MONTH, "--out", str(tmp_path / "out.csv")) == 1
    err = capsys.readouterr().err
    assert "are not valid; nothing was screened" in err
    assert "persons.csv, row 1, column id_number" in err and "check character" in err
    assert not (tmp_path / "out.csv").exists()
    assert _run("--feeds", str(tmp_path / "nowhere"), "--month", MONTH) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_the_command_line_runs_without_a_database(tmp_path):
    """An analyst's machine: no migrated database at all, a folder of feeds, CSV out."""
    folder = write_radar_snapshot(tmp_path / "feeds")
    out = tmp_path / "out.csv"
    env = {"MAGNET_DATA_DIR": str(tmp_path / "fresh"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "magnet", "radar", "run", "--feeds", str(folder), "--month", MONTH, "--out", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "the repository's texts" in done.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0] == '"id_number","policy","period","amount"'
    refused = subprocess.run(
        [sys.executable, "-m", "magnet", "radar", "run", "--feeds", str(folder), "--month", "June"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert refused.returncode == 1 and "month must be YYYY-MM" in refused.stderr
