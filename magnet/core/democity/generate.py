"""`generate`: write a whole demo-city snapshot, deterministically, in bounded memory.

Small feeds are drawn for everyone at once; social insurance (about thirty rows a person) is drawn
and written per chunk of persons, each chunk with its own random stream derived from the seed, so
memory stays flat and the output does not depend on anything but (seed, persons, as_of, format).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import (
    careers,
    cast,
    cast_personas,
    codes,
    dates,
    edge_cases,
    education,
    enterprises,
    holdings,
    population,
)
from .output import SCHEMAS, FeedWriter, from_rows
from .reference import Reference, load

CHUNK = 100_000  # persons per social-insurance chunk: ~3 million rows, a few hundred MB at peak
FIRST_AS_OF, LAST_AS_OF = "2025-01", "2030-12"
# Independent random streams, one per component (numbers are stable names, never reuse one).
_PEOPLE, _EDUCATION, _ENTERPRISES, _PROPERTY, _CERTS, _BUSINESS, _INSURANCE = range(1, 8)


def stream(seed: int, *key: int) -> np.random.Generator:
    """The random generator of one component (and chunk) of the snapshot for `seed`."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *key])))


def _check(persons: int, seed: int, fmt: str, as_of: str, cast_size: int) -> None:
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"fmt must be 'parquet' or 'csv', found {fmt!r}")
    if not FIRST_AS_OF <= as_of <= LAST_AS_OF:
        raise ValueError(f"as_of must lie between {FIRST_AS_OF} and {LAST_AS_OF}, found {as_of!r}")
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")
    if persons < cast_size:
        raise ValueError(f"persons must be at least {cast_size} (the fixed cast)")


def _matrix(strings: list[str]) -> np.ndarray:
    return np.frombuffer("".join(strings).encode("ascii"), dtype=np.uint8).reshape(-1, 18).copy()


@dataclass
class _City:
    """Everything drawn before writing: the cast, the employers and the person-level arrays."""

    seed: int
    as_of: int
    members: list[cast.Member]
    cast_rows: dict[str, list[dict]]
    cast_usccs: np.ndarray
    ent: enterprises.Enterprises
    first_random: int  # index of the first random employer (the cast's come first)
    people: population.People
    degrees: education.DegreeRows
    workers: careers.Workers
    ids: pa.StringArray


def _draw(persons: int, seed: int, as_of: int, members: list[cast.Member], ref: Reference) -> _City:
    end = dates.month_end(as_of)
    n = persons - len(members)
    cast_usccs = _matrix(list(cast.business_usccs().values()))
    ent = cast.cast_enterprises()
    first_random = len(ent)
    n_firms = max(200, persons * 3 // 100)
    ent = ent.concat(enterprises.draw_enterprises(stream(seed, _ENTERPRISES), n_firms, end, ref, cast_usccs))
    rng = stream(seed, _PEOPLE)
    reserved_ids = np.array([int(m.persona.id_number[:17]) for m in members], dtype=np.int64)
    reserved_phones = np.array([int(m.persona.phone) for m in members if m.persona.phone], dtype=np.int64)
    people = population.draw_people(rng, n, end, ref, reserved_ids, reserved_phones)
    degrees, studying = education.draw_degrees(
        stream(seed, _EDUCATION), people.birth, people.addr // 10000, end, ref
    )
    level_ft, grad_ft = education.highest_full_time(degrees, n)
    people.hukou = population.hukou_codes(rng, people.addr, level_ft >= 2, ref)
    codes.assert_agrees_with_checks(people.ids, ent.uscc)
    workers = careers.Workers(people.birth, people.male, people.hukou, level_ft, grad_ft, studying)
    cast_rows = cast.cast_tables(members, as_of, ref)
    return _City(seed, as_of, members, cast_rows, cast_usccs, ent, first_random, people, degrees, workers,
                 codes.ascii_strings(people.ids))  # fmt: skip


def _small_feeds(city: _City, ref: Reference) -> dict[str, pa.Table]:
    """Every feed but social insurance, the cast's rows first."""
    c, seed, end = city, city.seed, dates.month_end(city.as_of)
    reserved = np.concatenate([c.ent.uscc, c.cast_usccs])
    random = {
        "persons": c.people.table(),
        "education": education.education_table(c.degrees, c.ids, stream(seed, _EDUCATION, 1), ref),
        "property": holdings.property_table(stream(seed, _PROPERTY), c.workers, c.ids, end, ref),
        "skill_certs": holdings.skill_table(stream(seed, _CERTS), c.workers, c.ids, end),
        "business_registrations": holdings.business_table(
            stream(seed, _BUSINESS), c.workers, c.ids, c.ent, c.first_random, end, ref, reserved
        ),
    }
    tables = {feed: pa.concat_tables([from_rows(feed, c.cast_rows[feed]), t.cast(SCHEMAS[feed])])
              for feed, t in random.items()}  # fmt: skip
    tables["enterprises"] = c.ent.table()
    return tables


def _write_social_insurance(city: _City, out_dir: Path, fmt: str, ref: Reference) -> int:
    """Cast rows, then one chunk of persons at a time, each with its own random stream."""
    n = len(city.workers)
    with FeedWriter(out_dir, "social_insurance", fmt) as writer:
        writer.write(from_rows("social_insurance", city.cast_rows["social_insurance"]))
        pools, labels = careers.EmployerPools(city.ent), careers.Labels(city.as_of, city.ent, ref)
        for chunk, a in enumerate(range(0, n, CHUNK)):
            rng = stream(city.seed, _INSURANCE, chunk)
            part = city.workers.slice(a, min(a + CHUNK, n))
            spells = careers.draw_spells(rng, part, city.as_of, pools, city.ent, ref)
            wages = careers.wages(rng, part.level_ft)
            writer.write(
                careers.social_insurance_rows(rng, spells, wages, city.ids.slice(a, len(part)), labels)
            )
    return writer.rows


def generate(
    out_dir: Path, *, persons: int, seed: int, fmt: str = "parquet", as_of: str = "2026-10"
) -> dict[str, int]:
    """Write one file per feed of `feeds.md` (and `personas.json`) into `out_dir`; return row counts.

    The same arguments give byte-identical files. `persons` counts everyone, the fixed cast included.
    """
    as_of_m = dates.parse_month(as_of)
    members = cast_personas.members(as_of_m) + edge_cases.members()
    _check(persons, seed, fmt, as_of, len(members))
    ref = load()
    city = _draw(persons, seed, as_of_m, members, ref)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for feed, table in _small_feeds(city, ref).items():
        with FeedWriter(out_dir, feed, fmt) as writer:
            writer.write(table)
        counts[feed] = writer.rows
    counts["social_insurance"] = _write_social_insurance(city, out_dir, fmt, ref)
    cast_json = [cast_personas.persona_json(m.persona) for m in members if m.listed]
    text = json.dumps(cast_json, ensure_ascii=False, indent=2) + "\n"
    (out_dir / "personas.json").write_text(text, "utf-8")
    return {feed: counts[feed] for feed in sorted(counts)}
