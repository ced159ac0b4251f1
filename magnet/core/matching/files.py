"""Jobs and talents as JSON Lines files, and ranking them without a database (`matching rank`).

A job line: {"id", "title", "description", "majors": [...], "min_degree", "skills": [...], "adcode",
"pay_min", "pay_max", "chain", "posted" (YYYY-MM-DD), "key_chain"}; a talent line: {"id", "degree",
"major_code", "skills": [...], "wish_adcodes": [...], "wish_pay", "wish_chains": [...], "about"}. Only
`id` is required. A line that is not a JSON object, lacks `id` or holds a value of the wrong kind is
refused with its line number (`InputRejected`); blank lines are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from .catalogue import Catalogue
from .index import MatchIndex
from .model import Job, Talent, degree_level
from .slots import adcode_digits


class InputRejected(Exception):
    """A line of an input file that cannot be read; `line` counts from 1."""

    def __init__(self, line: int, message: str, path: str | None = None) -> None:
        super().__init__(f"line {line}: {message}")
        self.line, self.message, self.path = line, message, path


def _text(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text")
    return value


def _texts(obj: dict[str, Any], key: str) -> tuple[str, ...]:
    value = obj.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a list of text")
    return tuple(value)


def _int(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or value < 0:
        raise ValueError(f"{key} must be a whole number of yuan")
    return int(value)


def _optional(obj: dict[str, Any], key: str) -> str | None:
    return _text(obj, key) or None


def _lines(path: str | Path) -> Iterable[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputRejected(number, f"not valid JSON ({error.msg})", str(path)) from None
            if not isinstance(obj, dict):
                raise InputRejected(number, "not a JSON object", str(path))
            if obj.get("id") in (None, ""):
                raise InputRejected(number, "no id", str(path))
            yield number, obj


def job_from_json(obj: dict[str, Any]) -> Job:
    """A Job from one decoded line; ValueError names the field that is wrong."""
    posted = obj.get("posted")
    if posted is not None:
        try:
            posted = date.fromisoformat(str(posted))
        except ValueError:
            raise ValueError("posted must be a date YYYY-MM-DD") from None
    job = Job(
        id=str(obj["id"]),
        title=_text(obj, "title"),
        description=_text(obj, "description"),
        majors=_texts(obj, "majors"),
        min_degree=_optional(obj, "min_degree"),
        skills=_texts(obj, "skills"),
        adcode=_optional(obj, "adcode"),
        pay_min=_int(obj, "pay_min"),
        pay_max=_int(obj, "pay_max"),
        chain=_optional(obj, "chain"),
        posted=posted,
        key_chain=bool(obj.get("key_chain", False)),
    )
    degree_level(job.min_degree)
    if job.adcode:
        adcode_digits(job.adcode)
    if job.pay_min is not None and job.pay_max is not None and job.pay_min > job.pay_max:
        raise ValueError("pay_min is above pay_max")
    return job


def talent_from_json(obj: dict[str, Any]) -> Talent:
    """A Talent from one decoded line; ValueError names the field that is wrong."""
    talent = Talent(
        id=str(obj["id"]),
        degree=_optional(obj, "degree"),
        major_code=_optional(obj, "major_code"),
        skills=_texts(obj, "skills"),
        wish_adcodes=_texts(obj, "wish_adcodes"),
        wish_pay=_int(obj, "wish_pay"),
        wish_chains=_texts(obj, "wish_chains"),
        about=_text(obj, "about"),
    )
    degree_level(talent.degree)
    for code in talent.wish_adcodes:
        adcode_digits(code)
    return talent


def _read(path: str | Path, make, catalogue: Catalogue | None, codes: str) -> list:
    out, seen = [], set()
    cat = catalogue or Catalogue.from_csv()
    for number, obj in _lines(path):
        try:
            value = make(obj)
            for code in (obj.get(codes) or []) if codes == "majors" else [obj.get(codes)]:
                if code not in (None, "") and cat.normalise(str(code)) is None:
                    raise ValueError(f"{code!r} in {codes} is not a catalogue code")
        except ValueError as error:
            raise InputRejected(number, str(error), str(path)) from None
        if value.id in seen:
            raise InputRejected(number, f"id {value.id!r} appears twice", str(path))
        seen.add(value.id)
        out.append(value)
    return out


def read_jobs(path: str | Path, catalogue: Catalogue | None = None) -> list[Job]:
    """Jobs of a JSON Lines file; raises InputRejected(line, message) at the first bad line."""
    return _read(path, job_from_json, catalogue, "majors")


def read_talents(path: str | Path, catalogue: Catalogue | None = None) -> list[Talent]:
    """Talents of a JSON Lines file; raises InputRejected(line, message) at the first bad line."""
    return _read(path, talent_from_json, catalogue, "major_code")


def write_jsonl(path: str | Path, values: Iterable[Job | Talent]) -> int:
    """Write jobs or talents as JSON Lines (dates as YYYY-MM-DD); returns the number of lines."""
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for value in values:
            row = asdict(value)
            if row.get("posted") is not None:
                row["posted"] = row["posted"].isoformat()
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def rank_files(
    jobs_path: str | Path,
    talents_path: str | Path,
    top: int,
    out_path: str | Path,
    *,
    today: date | None = None,
    workers: int = 1,
    catalogue: Catalogue | None = None,
) -> int:
    """Rank every talent's best `top` jobs from files; writes {"talent_id", "job_ids"} lines in the
    talents' order and returns how many talents were ranked."""
    cat = catalogue or Catalogue.from_csv()
    jobs = read_jobs(jobs_path, cat)
    talents = read_talents(talents_path, cat)
    index = MatchIndex(cat, today=today)
    for job in jobs:
        index.upsert_job(job)
    for talent in talents:
        index.upsert_talent(talent)
    best = dict(index.digest(top, workers=workers))
    with open(out_path, "w", encoding="utf-8") as handle:
        for talent in talents:
            handle.write(json.dumps({"talent_id": talent.id, "job_ids": best.get(talent.id, [])}, ensure_ascii=False))
            handle.write("\n")
    return len(talents)
