"""JSON Lines in and out, and `python -m magnet matching rank` on small files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from magnet.core.matching import InputRejected, rank_files, read_jobs, read_talents, synthetic, write_jsonl

ROOT = Path(__file__).resolve().parents[4]

JOBS = [
    {
        "id": "ship",
        "title": "船舶结构设计工程师",
        "description": "负责散货船分段结构设计",
        "majors": ["081901", "0802"],
        "min_degree": "bachelor",
        "skills": ["AutoCAD"],
        "adcode": "320612",
        "pay_min": 8000,
        "pay_max": 12000,
        "chain": "shipbuilding_offshore",
        "posted": "2026-10-20",
        "key_chain": True,
    },
    {
        "id": "java",
        "title": "Java开发工程师",
        "majors": ["0809"],
        "min_degree": "bachelor",
        "skills": ["Java"],
        "adcode": "320613",
    },
    {"id": "sales", "title": "销售代表"},
]
TALENTS = [
    {
        "id": "naval",
        "degree": "bachelor",
        "major_code": "081901",
        "skills": ["AutoCAD"],
        "wish_adcodes": ["320612"],
        "wish_pay": 8000,
        "wish_chains": ["shipbuilding_offshore"],
        "about": "船舶与海洋工程专业",
    },
    {"id": "coder", "degree": "master", "major_code": "080901T", "skills": ["Java"]},
    {"id": "blank"},
]


def write(path: Path, rows: list) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def test_reads_jobs_and_talents_with_optional_fields_missing(tmp_path):
    jobs = read_jobs(write(tmp_path / "j.jsonl", [*JOBS, ""]))
    talents = read_talents(write(tmp_path / "t.jsonl", TALENTS))
    assert [j.id for j in jobs] == ["ship", "java", "sales"]
    assert jobs[0].posted.isoformat() == "2026-10-20" and jobs[0].key_chain and jobs[2].majors == ()
    assert talents[2].degree is None and talents[1].major_code == "080901T"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "x", "title": "broken"', "not valid JSON"),
        ('["x"]', "not a JSON object"),
        ('{"title": "no id"}', "no id"),
        ('{"id": "x", "min_degree": "phd-ish"}', "unknown degree"),
        ('{"id": "x", "majors": ["CS101"]}', "not a catalogue code"),
        ('{"id": "x", "majors": "0809"}', "majors must be a list"),
        ('{"id": "x", "pay_min": 9000, "pay_max": 8000}', "pay_min is above pay_max"),
        ('{"id": "x", "adcode": "32061"}', "adcode"),
        ('{"id": "x", "posted": "yesterday"}', "posted must be a date"),
        ('{"id": "ship"}', "appears twice"),
    ],
)
def test_refuses_a_bad_job_line_with_its_number(tmp_path, line, reason):
    path = write(tmp_path / "j.jsonl", [JOBS[0], "", line])
    with pytest.raises(InputRejected) as caught:
        read_jobs(path)
    assert caught.value.line == 3
    assert reason in caught.value.message
    assert str(caught.value).startswith("line 3: ")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": ""}', "no id"),
        ('{"id": "x", "wish_pay": "lots"}', "wish_pay"),
        ('{"id": "x", "major_code": "9"}', "catalogue"),
        ('{"id": "x", "wish_adcodes": ["nowhere"]}', "adcode"),
    ],
)
def test_refuses_a_bad_talent_line_with_its_number(tmp_path, line, reason):
    with pytest.raises(InputRejected) as caught:
        read_talents(write(tmp_path / "t.jsonl", [TALENTS[0], line]))
    assert caught.value.line == 2 and reason in caught.value.message


def test_rank_files_writes_each_talents_best_jobs_in_the_talents_order(tmp_path):
    out = tmp_path / "out.jsonl"
    count = rank_files(write(tmp_path / "j.jsonl", JOBS), write(tmp_path / "t.jsonl", TALENTS), 2, out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert count == 3
    assert [line["talent_id"] for line in lines] == ["naval", "coder", "blank"]
    assert lines[0]["job_ids"][0] == "ship" and lines[1]["job_ids"][0] == "java"
    assert all(len(line["job_ids"]) <= 2 for line in lines)


def command(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "magnet", "matching", "rank", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_command_ranks_files_end_to_end(tmp_path):
    jobs = tmp_path / "jobs.jsonl"
    talents = tmp_path / "talents.jsonl"
    write_jsonl(jobs, synthetic.jobs(300, seed=5))
    write_jsonl(talents, synthetic.talents(40, seed=5))
    out = tmp_path / "out.jsonl"
    run = command(
        "--jobs", str(jobs), "--talents", str(talents), "--top", "5", "--out", str(out), "--today", "2026-11-01"
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 40 and all(len(line["job_ids"]) == 5 for line in lines)
    again = tmp_path / "again.jsonl"
    command(
        "--jobs",
        str(jobs),
        "--talents",
        str(talents),
        "--top",
        "5",
        "--out",
        str(again),
        "--today",
        "2026-11-01",
        "--workers",
        "1",
    )
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_command_refuses_a_bad_line_with_exit_1_and_its_number(tmp_path):
    jobs = write(tmp_path / "jobs.jsonl", [*JOBS, '{"title": "no id"}'])
    talents = write(tmp_path / "talents.jsonl", TALENTS)
    run = command("--jobs", str(jobs), "--talents", str(talents), "--top", "5", "--out", str(tmp_path / "o.jsonl"))
    assert run.returncode == 1
    assert "line 4: no id" in run.stderr
    assert not (tmp_path / "o.jsonl").exists()
