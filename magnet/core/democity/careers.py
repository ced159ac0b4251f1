"""The social-insurance feed (社保缴费): monthly contribution histories, chunk by chunk.

Each person gets a working life drawn as a chain of spells (a job with one employer, or a stretch
of self-paid 灵活就业) separated by gaps, starting a few months after their highest full-time degree
(or at 18-21 without one) and ending at retirement or the as-of month. Where a spell is paid depends
on the person's mobility profile: stayers, newcomers who arrive after working elsewhere, leavers,
and those who live elsewhere. A spell sometimes overlaps the next by a month (two employers, or a
flexible and an employee row in the same month), and a flexible month is sometimes paid twice
(a correction), so every branch of the policy book meets data.

Everything is arrays: one row per spell, expanded to one row per month with `np.repeat`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import codes, dates, places
from .enterprises import Enterprises
from .reference import Reference

FIRST_MONTH = dates.parse_month("2019-01")
SPELLS = 10
# Contribution base bounds by year from 2019 (yuan): the minimum and maximum a base may take.
BASE_MIN = np.array([4000, 4100, 4200, 4300, 4400, 4500, 4600, 4700, 4800, 4900, 5000, 5100, 5200], np.int64)
BASE_MAX = np.array(
    [24000, 24900, 25800, 26700, 27600, 28500, 29400, 30000, 30000, 30000, 30000, 30000, 30000], np.int64
)
# Median monthly wage in 2019 by highest full-time level (none, associate, bachelor, master, doctor).
WAGE_2019 = np.array([4600, 5500, 7000, 9500, 13000], dtype=float)
FLEX_TIERS = np.array([1.0, 1.25, 1.5, 2.0, 3.0])  # multiples of the minimum a flexible worker may choose
FLEX_TIER_P = np.array([0.55, 0.15, 0.15, 0.1, 0.05])


@dataclass
class Workers:
    """What the careers need to know about a slice of persons."""

    birth: np.ndarray
    male: np.ndarray
    hukou: np.ndarray
    level_ft: np.ndarray
    grad_ft: np.ndarray  # NaT without a full-time degree
    studying: np.ndarray

    def __len__(self) -> int:
        return len(self.birth)

    def slice(self, a: int, b: int) -> Workers:
        return Workers(*(getattr(self, f)[a:b] for f in self.__dataclass_fields__))


class EmployerPools:
    """Draws employers in or outside the city, by headcount, among those existing in a given month."""

    def __init__(self, ent: Enterprises):
        self.pools = []
        for in_city in (False, True):
            idx = np.flatnonzero((ent.adcode // 100 == 3206) == in_city)
            est = dates.month_of(ent.established[idx])
            order = np.argsort(est, kind="stable")
            self.pools.append((idx[order], est[order], np.cumsum(ent.weight[idx][order])))

    def draw(self, rng: np.random.Generator, in_city: np.ndarray, month: np.ndarray) -> np.ndarray:
        out = np.zeros(len(month), dtype=np.int64)
        for flag, (idx, est, cum) in zip((False, True), self.pools, strict=True):
            mask = in_city == flag
            # Only employers established by the spell's first month can pay for it.
            k = np.maximum(np.searchsorted(est, month[mask], "right"), 1)
            j = np.searchsorted(cum, rng.random(int(mask.sum())) * cum[k - 1], "right")
            out[mask] = idx[np.minimum(j, k - 1)]
        return out


def _choice(rng: np.random.Generator, values: Sequence[float], p: Sequence[float], size: int) -> np.ndarray:
    return np.asarray(values)[rng.choice(len(values), size=size, p=p)]


def _first_months(rng: np.random.Generator, w: Workers, as_of: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last month each person can contribute (first > last: never)."""
    n = len(w)
    birth_m = dates.month_of(w.birth)
    grad_m = dates.month_of(w.grad_ft)
    # Months from graduation to the first contribution (a few sign on in the month they graduate).
    delay = _choice(rng, [0, 1, 2, 3, 5, 8, 12, 20], [0.08, 0.35, 0.17, 0.1, 0.12, 0.08, 0.06, 0.04], n)
    first = np.where(np.isnat(w.grad_ft), birth_m + 18 * 12 + rng.integers(0, 36, n), grad_m + delay)
    # Already working before the window opens: most are paying in January 2019, some between jobs.
    first = np.where(
        first < FIRST_MONTH, FIRST_MONTH + np.where(rng.random(n) < 0.15, rng.integers(0, 12, n), 0), first
    )
    # Not in employee or flexible insurance at all: farmers, homemakers, people abroad, the self-employed
    # insured as residents (城乡居民).
    never = w.studying | (rng.random(n) < np.where(w.level_ft == 0, 0.6, 0.35))
    # Retirement: men at 60, women at 50 or 55; a few leave the workforce early.
    retire_age = np.where(w.male, 60, np.where(rng.random(n) < 0.5, 50, 55))
    last = np.minimum(as_of, birth_m + retire_age * 12 - 1)
    leave = rng.random(n) < 0.08
    last = np.where(leave, np.minimum(last, first + rng.integers(6, 60, n)), last)
    return np.where(never, as_of + 1, first), last


def _spells(rng: np.random.Generator, w: Workers, as_of: int) -> tuple[np.ndarray, ...]:
    """Per person and spell (n, SPELLS): start month, length, in the city, self-paid, gap before it."""
    n, k = len(w), SPELLS
    first, last = _first_months(rng, w, as_of)
    kind = rng.choice(3, size=(n, k), p=[0.35, 0.45, 0.2])
    length = np.ceil(rng.exponential(np.array([6.0, 24.0, 60.0])[kind])).astype(np.int64)
    gap_kind = rng.choice(3, size=(n, k), p=[0.45, 0.25, 0.3])
    gap = np.where(
        gap_kind == 0, 0, np.where(gap_kind == 1, rng.integers(1, 4, (n, k)), rng.integers(6, 37, (n, k)))
    )
    gap[:, 0] = 0
    start = (
        first[:, None]
        + np.cumsum(gap, axis=1)
        + np.concatenate([np.zeros((n, 1), np.int64), np.cumsum(length, axis=1)[:, :-1]], axis=1)
    )
    length = np.clip(np.minimum(length, last[:, None] - start + 1), 0, None)

    # Mobility: 0 stays in the city, 1 arrives after working elsewhere, 2 leaves, 3 lives elsewhere.
    city_hukou = w.hukou // 100 == 3206
    mobility = np.where(
        city_hukou, rng.choice(4, n, p=[0.70, 0.12, 0.08, 0.10]), rng.choice(4, n, p=[0.30, 0.30, 0.05, 0.35])
    )
    switch = rng.choice([1, 2, 3], n, p=[0.5, 0.3, 0.2])
    before = np.arange(k)[None, :] < switch[:, None]
    p_city = np.select(
        [mobility[:, None] == 0, mobility[:, None] == 1, mobility[:, None] == 2],
        [np.full((n, k), 0.95), np.where(before, 0.1, 0.93), np.where(before, 0.93, 0.1)],
        0.08,
    )
    in_city = rng.random((n, k)) < p_city

    # Self-paid spells: more common without a degree, for fresh graduates, and for gig workers.
    recent = ~np.isnat(w.grad_ft) & (dates.month_of(w.grad_ft) >= FIRST_MONTH)
    p_flex = np.where(w.level_ft == 0, 0.12, 0.06)[:, None] + np.zeros((n, k))
    p_flex[:, 0] += np.where(recent, 0.15, 0.0)
    p_flex[rng.random(n) < 0.04] = 0.8
    flexible = rng.random((n, k)) < p_flex
    return start, length, in_city, flexible, gap


@dataclass
class Spells:
    """One entry per person and spell slot, flattened; spells of length 0 are unused slots."""

    person: np.ndarray
    start: np.ndarray
    length: np.ndarray
    in_city: np.ndarray
    flexible: np.ndarray
    employer: np.ndarray  # -1 for flexible spells
    adcode: np.ndarray
    base_factor: np.ndarray  # employee: multiple of the person's wage; flexible: multiple of the minimum
    at_minimum: np.ndarray  # employer declares the minimum base
    whole_yuan: np.ndarray
    dup_offset: np.ndarray  # flexible month paid twice (offset in spell), -1 for none


def draw_spells(
    rng: np.random.Generator, w: Workers, as_of: int, pools: EmployerPools, ent: Enterprises, ref: Reference
) -> Spells:
    """Working lives of a slice of persons: employers, places and bases of each spell."""
    n, k = len(w), SPELLS
    start, length, in_city, flexible, gap = _spells(rng, w, as_of)
    employer = pools.draw(rng, in_city.ravel(), np.maximum(start.ravel(), FIRST_MONTH)).reshape(n, k)
    employer = np.where(flexible, -1, employer)
    # One month of overlap into the next spell: flexible -> employee (both kinds in one month), or
    # two employers paying for the same month; never twice the same employer (one row per employer).
    nxt_valid = np.concatenate([length[:, 1:] > 0, np.zeros((n, 1), bool)], axis=1)
    nxt_gap0 = np.concatenate([gap[:, 1:] == 0, np.zeros((n, 1), bool)], axis=1)
    nxt_emp = np.concatenate([employer[:, 1:], np.full((n, 1), -1)], axis=1)
    r = rng.random((n, k))
    extend = (
        (length > 0)
        & nxt_valid
        & nxt_gap0
        & (nxt_emp >= 0)
        & ((flexible & (r < 0.15)) | (~flexible & (nxt_emp != employer) & (r < 0.05)))
    )
    length = length + extend

    person = np.repeat(np.arange(n), k)
    flat_flex = flexible.ravel()
    s = len(person)
    hukou = w.hukou[person]
    home_city = hukou // 100 == 3206
    flex_ad = np.where(
        in_city.ravel(),
        np.where(home_city, hukou, places.city_counties(rng, s)),
        np.where(home_city, places.outside_counties(rng, s, ref), hukou),
    )
    emp = employer.ravel()
    spell_len = length.ravel()
    return Spells(
        person=person,
        start=start.ravel(),
        length=spell_len,
        in_city=in_city.ravel(),
        flexible=flat_flex,
        employer=emp,
        adcode=np.where(flat_flex, flex_ad, ent.adcode[np.maximum(emp, 0)]),
        base_factor=np.where(flat_flex, _choice(rng, FLEX_TIERS, FLEX_TIER_P, s), rng.lognormal(0, 0.12, s)),
        at_minimum=rng.random(s) < 0.3,
        whole_yuan=rng.random(s) < 0.7,
        dup_offset=np.where(
            flat_flex & (rng.random(s) < 0.05) & (spell_len > 0),
            (rng.random(s) * spell_len).astype(np.int64),
            -1,
        ),
    )


def decimal_from_cents(cents: np.ndarray, precision: int = 12) -> pa.Array:
    """Arrow decimal(precision, 2) from integer cents, without going through Python objects."""
    cents = np.asarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)  # 128-bit little-endian: low word, sign word
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(precision, 2), len(cents), [None, pa.py_buffer(words)])


class Labels:
    """Arrow strings for small code sets, indexed by position (months, adcodes, employers)."""

    def __init__(self, as_of: int, ent: Enterprises, ref: Reference):
        self.months = dates.month_labels(FIRST_MONTH, as_of)
        self.adcodes = np.unique(np.concatenate([ref.divisions.counties, ent.adcode]))
        self.adcode_text = codes.ascii_strings(codes.digits(self.adcodes, 6))
        self.uscc = codes.ascii_strings(ent.uscc)
        self.kinds = pa.array(["employee", "flexible"])

    def adcode(self, values: np.ndarray) -> pa.Array:
        return self.adcode_text.take(pa.array(np.searchsorted(self.adcodes, values)))


def social_insurance_rows(
    rng: np.random.Generator, sp: Spells, wage: np.ndarray, ids: pa.StringArray, labels: Labels
) -> pa.Table:
    """Expand spells to one row per month (plus the odd second flexible row), as an Arrow table."""
    total = int(sp.length.sum())
    spell = np.repeat(np.arange(len(sp.length)), sp.length)
    offset = np.arange(total) - np.repeat(np.cumsum(sp.length) - sp.length, sp.length)
    # A flexible month paid twice: repeat that row; the copy gets another base.
    rep = 1 + (offset == sp.dup_offset[spell])
    row = np.repeat(np.arange(total), rep)
    copy = np.r_[False, row[1:] == row[:-1]]
    spell, offset = spell[row], offset[row]
    month = sp.start[spell] + offset
    year = np.minimum(month // 12 - 2019, len(BASE_MIN) - 1)
    low, high = BASE_MIN[year], BASE_MAX[year]
    flexible = sp.flexible[spell]
    person = sp.person[spell]
    # Employee base: the person's wage, this job's premium and 5% a year; some employers declare the minimum.
    wage_base = wage[person] * sp.base_factor[spell] * 1.05**year
    cents = np.where(sp.whole_yuan[spell], np.round(wage_base) * 100, np.round(wage_base * 100))
    cents = np.where(sp.at_minimum[spell], low * 100, cents)
    tier = np.where(copy, FLEX_TIERS[rng.integers(0, len(FLEX_TIERS), len(row))], sp.base_factor[spell])
    tier = np.where(copy & (tier == sp.base_factor[spell]), tier + 0.1, tier)
    cents = np.where(flexible, np.round(low * tier * 100), cents)
    cents = np.clip(cents, low * 100, high * 100).astype(np.int64)
    employer = sp.employer[spell]
    return pa.table(
        {
            "id_number": ids.take(pa.array(person)),
            "month": labels.months.take(pa.array(month - FIRST_MONTH)),
            "kind": labels.kinds.take(pa.array(flexible.astype(np.int8))),
            "employer_uscc": labels.uscc.take(pa.array(np.maximum(employer, 0), mask=employer < 0)),
            "adcode": labels.adcode(sp.adcode[spell]),
            "base": decimal_from_cents(cents),
        }
    )


def wages(rng: np.random.Generator, level_ft: np.ndarray) -> np.ndarray:
    """Monthly wage in 2019 terms, log-normal around the median of the person's degree."""
    return WAGE_2019[level_ft] * rng.lognormal(0, 0.35, len(level_ft))
