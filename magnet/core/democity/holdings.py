"""Property (不动产登记), skill certificates (职业技能等级证书) and business registrations (市场主体登记).

These feeds are small (a few rows per hundred persons), so they are drawn for everyone at once.
Purchases follow graduation (or age 23) by a few years, most in the city where the person's 户籍 is;
some homes are sold later, a few owners hold two, a few bought two the same day. Certificates rise
through the levels over the years. Graduates start businesses, often within five years of graduating,
as 个体工商户 or companies; some of those companies are the employers of the enterprises feed.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import codes, dates, places
from .careers import Workers, decimal_from_cents
from .enterprises import Enterprises, unique_usccs
from .population import unique_redraw
from .reference import Reference

# Occupation codes (职业分类大典) in its X-XX-XX-XX form, weighted toward manufacturing trades
# (category 6) and services (category 4). The feed carries codes only; the 2022 大典 itself is not
# among the reference data, so these are illustrative, not checked against it.
OCCUPATIONS = {
    "6-18-01-01": 8,
    "6-18-01-02": 4,
    "6-18-02-04": 10,
    "6-31-01-03": 10,
    "6-20-01-01": 5,
    "6-23-02-01": 5,
    "6-05-01-01": 4,
    "6-04-02-01": 3,
    "4-04-05-01": 4,
    "4-04-05-02": 3,
    "4-03-02-01": 5,
    "4-10-01-03": 3,
    "4-01-02-01": 2,
}
LEVEL_P = np.array([0.02, 0.07, 0.28, 0.36, 0.27])  # levels 1..5


def _days_between(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A uniform day in [lo, hi] (hi < lo gives lo: mask those rows yourself)."""
    span = np.maximum((hi - lo).astype(np.int64), 0) + 1
    return lo + (rng.random(len(lo)) * span).astype(np.int64)


def _earliest_adult(w: Workers, age: int) -> np.ndarray:
    return dates.add_years(w.birth, age)


def _property_ids(rng: np.random.Generator, adcode: np.ndarray) -> np.ndarray:
    """28-character 不动产单元号: adcode, 地籍区/子区, GB + parcel, F + building and unit."""
    n = len(adcode)

    def draw(rng: np.random.Generator, mask: np.ndarray) -> np.ndarray:
        k = int(mask.sum())
        # zone (3) subzone (3) parcel (5) building (4) floor-unit (4), as one integer per property
        zone = rng.integers(1, 31, k) * 1000 + rng.integers(1, 21, k)
        parcel = rng.integers(1, 2000, k)
        unit = rng.integers(1, 41, k) * 10000 + rng.integers(1, 33, k) * 100 + rng.integers(1, 5, k)
        return (zone * 100000 + parcel) * 10**8 + unit

    key = unique_redraw(rng, draw(rng, np.ones(n, dtype=bool)), np.array([], np.int64), draw)
    body, unit = key // 10**8, key % 10**8
    out = np.empty((n, 28), dtype=np.uint8)
    out[:, 0:6] = codes.digits(adcode, 6)
    out[:, 6:12] = codes.digits(body // 100000, 6)
    out[:, 12:14] = np.frombuffer(b"GB", dtype=np.uint8)
    out[:, 14:19] = codes.digits(body % 100000, 5)
    out[:, 19] = ord("F")
    out[:, 20:28] = codes.digits(unit, 8)
    return out


def _prices(rng: np.random.Generator, median: np.ndarray) -> np.ndarray:
    """Prices in cents, 800,000-4,000,000 yuan; two in three rounded to the thousand."""
    yuan = np.clip(median * rng.lognormal(0, 0.35, len(median)), 800_000, 4_000_000)
    cents = np.where(rng.random(len(median)) < 0.65, np.round(yuan / 1000) * 100_000, np.round(yuan * 100))
    return np.clip(cents, 80_000_000, 400_000_000).astype(np.int64)


def property_table(
    rng: np.random.Generator, w: Workers, ids: pa.StringArray, as_of_end: np.datetime64, ref: Reference
) -> pa.Table:
    n = len(w)
    city = w.hukou // 100 == 3206
    earliest = _earliest_adult(w, 23)
    earliest = np.where(np.isnat(w.grad_ft), earliest, np.maximum(earliest, w.grad_ft + 60))
    earliest = np.maximum(earliest, np.datetime64("1999-01-01"))
    p_own = np.where(w.level_ft >= 2, 0.32, 0.22) * ~w.studying
    first = earliest + (rng.exponential(4.0, n) * 365).astype(np.int64)
    owner = (rng.random(n) < p_own) & (first <= as_of_end)
    person = np.flatnonzero(owner)
    who, contract = [person], [first[person]]
    # Further homes: one owner in seven buys again, a few the same day (two flats, one contract date).
    for p_more in (0.14, 0.15):
        pick = rng.random(len(person)) < p_more
        again, base = person[pick], contract[-1][pick]
        same_day = rng.random(len(again)) < 0.03
        later = base + np.where(same_day, 0, (rng.uniform(0.5, 8, len(again)) * 365).astype(np.int64))
        keep = later <= as_of_end
        person = again[keep]
        who.append(person)
        contract.append(later[keep])
    person, contract = np.concatenate(who), np.concatenate(contract)
    k = len(person)
    in_city = rng.random(k) < np.where(city[person], 0.92, 0.6)
    commercial = rng.random(k) < 0.04
    adcode = np.where(
        in_city,
        np.where(city[person], w.hukou[person], places.city_counties(rng, k)),
        places.outside_counties(rng, k, ref),
    )
    median = np.where(commercial, 1_100_000, np.where(in_city, 1_450_000, 2_600_000)).astype(float)
    sold = contract + (rng.uniform(1, 6, k) * 365).astype(np.int64)
    sold = np.where((rng.random(k) < 0.12) & (sold <= as_of_end), sold, dates.NAT)
    # Sales often complete on the last day of a month: the rent subsidy's edge.
    month_end = dates.month_end(dates.month_of(sold))
    sold = np.where(~np.isnat(sold) & (rng.random(k) < 0.2) & (month_end <= as_of_end), month_end, sold)
    order = np.lexsort((contract, person))
    return pa.table(
        {
            "id_number": ids.take(pa.array(person[order])),
            "property_id": codes.ascii_strings(_property_ids(rng, adcode[order])),
            "adcode": codes.ascii_strings(codes.digits(adcode[order], 6)),
            "use": pa.array(["residential", "commercial"]).take(pa.array(commercial[order].astype(np.int8))),
            "contract_date": dates.date32(contract[order]),
            "price": decimal_from_cents(_prices(rng, median[order])),
            "sold_date": dates.date32(sold[order]),
        }
    )


def skill_table(
    rng: np.random.Generator, w: Workers, ids: pa.StringArray, as_of_end: np.datetime64
) -> pa.Table:
    """Certificates: mostly people without a degree or with an associate one; some climb a level or two."""
    n = len(w)
    earliest = np.maximum(_earliest_adult(w, 20), np.datetime64("2012-01-01"))
    holder = (rng.random(n) < np.array([0.12, 0.1, 0.04, 0.01, 0.005])[w.level_ft]) & (earliest <= as_of_end)
    person = np.flatnonzero(holder)
    issued = _days_between(rng, earliest[person], as_of_end)
    level = rng.choice(5, size=len(person), p=LEVEL_P) + 1
    weights = np.array(list(OCCUPATIONS.values()), dtype=float)
    occupation = rng.choice(len(weights), size=len(person), p=weights / weights.sum())
    parts = [(person, occupation, level, issued)]
    for p_next in (0.18, 0.25):  # the next level of the same trade, one to four years later
        nxt = rng.random(len(person)) < p_next
        person, occupation = person[nxt], occupation[nxt]
        level = np.maximum(level[nxt] - 1, 1)
        issued = issued[nxt] + (rng.uniform(1, 4, int(nxt.sum())) * 365).astype(np.int64)
        keep = issued <= as_of_end
        person, occupation, level, issued = person[keep], occupation[keep], level[keep], issued[keep]
        parts.append((person, occupation, level, issued))
    person, occupation, level, issued = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((issued, person))
    return pa.table(
        {
            "id_number": ids.take(pa.array(person[order])),
            "occupation_code": pa.array(list(OCCUPATIONS)).take(pa.array(occupation[order])),
            "level": pa.array(level[order].astype(np.int32)),
            "issued": dates.date32(issued[order]),
        }
    )


def _people_born_between(
    rng: np.random.Generator, pool: np.ndarray, birth: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """For each (lo, hi), a random member of `pool` born in [lo, hi]; -1 when there is none."""
    order = pool[np.argsort(birth[pool], kind="stable")]
    born = birth[order]
    a = np.searchsorted(born, lo, "left")
    b = np.searchsorted(born, hi, "right")
    pick = a + (rng.random(len(lo)) * (b - a)).astype(np.int64)
    return np.where(b > a, order[np.minimum(pick, len(order) - 1)], -1)


# One registration per row: person, role (0 legal_rep, 1 shareholder), USCC matrix, registered,
# adcode, deregistered.
Registrations = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _feed_company_holders(
    rng: np.random.Generator, w: Workers, pool: np.ndarray, ent: Enterprises, first_random: int
) -> Registrations:
    """Companies of the enterprises feed founded since 2010: most have a legal representative among
    the persons, some a shareholder or two; the registration is the company's founding."""
    firm = np.arange(first_random, len(ent))
    firm = firm[(ent.uscc[firm, 0] == ord("9")) & (ent.established[firm] >= np.datetime64("2010-01-01"))]
    firm = firm[rng.random(len(firm)) < 0.6]
    est = ent.established[firm]
    holders = [
        (_people_born_between(rng, pool, w.birth, dates.add_years(est, -55), dates.add_years(est, -22)),
         np.zeros(len(firm), np.int8), firm)
    ]  # fmt: skip
    for p_more in (0.3, 0.1):
        more = firm[rng.random(len(firm)) < p_more]
        e = ent.established[more]
        founder_age = (dates.add_years(e, -60), dates.add_years(e, -22))
        holders.append(
            (_people_born_between(rng, pool, w.birth, *founder_age), np.ones(len(more), np.int8), more)
        )
    person, role, firm = (np.concatenate(x) for x in zip(*holders, strict=True))
    keep = person >= 0
    person, role, firm = person[keep], role[keep], firm[keep]
    return (
        person,
        role,
        ent.uscc[firm],
        ent.established[firm],
        ent.adcode[firm],
        np.full(len(person), dates.NAT),
    )


def _own_businesses(
    rng: np.random.Generator,
    w: Workers,
    pool: np.ndarray,
    as_of_end: np.datetime64,
    ref: Reference,
    reserved: np.ndarray,
) -> Registrations:
    """Businesses outside the enterprises feed (个体工商户 and small companies), many started soon after
    graduating, some a little before (their start-up subsidy is refused); some have closed since."""
    n = len(w)
    recent = ~np.isnat(w.grad_ft) & (w.grad_ft >= np.datetime64("2015-01-01"))
    own = np.flatnonzero(rng.random(n) < np.where(recent, 0.05, 0.015) * ~w.studying)
    k = len(own)
    after_school = recent[own] & (rng.random(k) < 0.6)
    reg_grad = w.grad_ft[own] + (rng.uniform(-0.4, 6, k) * 365).astype(np.int64)
    first_day = np.maximum(_earliest_adult(w, 20)[own], np.datetime64("2010-01-01"))
    registered = np.where(after_school, reg_grad, _days_between(rng, first_day, as_of_end))
    ok = (registered <= as_of_end) & (registered >= _earliest_adult(w, 18)[own])
    own, registered = own[ok], registered[ok]
    k = len(own)
    city = w.hukou[own] // 100 == 3206
    local = np.where(city, w.hukou[own], places.city_counties(rng, k))
    adcode = np.where(rng.random(k) < 0.88, local, places.outside_counties(rng, k, ref))
    company = rng.random(k) < 0.3  # USCC kind 1: company; 2: 个体工商户
    kind = np.where(company, ord("1"), ord("2"))
    uscc = unique_usccs(rng, np.full(k, ord("9")), kind, adcode, registered, reserved=reserved)
    dereg = registered + (rng.uniform(0.05, 5, k) * 365).astype(np.int64)
    # A few close within their first month: no start-up subsidy for them.
    dereg = np.where(rng.random(k) < 0.02, dates.month_end(dates.month_of(registered)), dereg)
    dereg = np.where((rng.random(k) < 0.3) & (dereg <= as_of_end), dereg, dates.NAT)
    # A quarter of the small companies have a partner holding shares (someone else).
    of = np.flatnonzero(company & (rng.random(k) < 0.25))
    partner_age = (dates.add_years(registered[of], -60), dates.add_years(registered[of], -20))
    partner = _people_born_between(rng, pool, w.birth, *partner_age)
    keep = (partner >= 0) & (partner != own[of])
    of, partner = of[keep], partner[keep]
    role = np.r_[np.zeros(k, np.int8), np.ones(len(of), np.int8)]
    return (np.r_[own, partner], role, np.concatenate([uscc, uscc[of]]), np.r_[registered, registered[of]],
            np.r_[adcode, adcode[of]], np.r_[dereg, dereg[of]])  # fmt: skip


def business_table(
    rng: np.random.Generator,
    w: Workers,
    ids: pa.StringArray,
    ent: Enterprises,
    first_random: int,
    as_of_end: np.datetime64,
    ref: Reference,
    reserved: np.ndarray,
) -> pa.Table:
    """Registrations: founders and shareholders of the feed's companies, and businesses of their own."""
    pool = np.flatnonzero((w.level_ft >= 1) | (rng.random(len(w)) < 0.3))  # founders are mostly graduates
    parts = [_feed_company_holders(rng, w, pool, ent, first_random),
             _own_businesses(rng, w, pool, as_of_end, ref, reserved)]  # fmt: skip
    person, role, uscc, registered, adcode, dereg = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((role, registered, person))
    return pa.table(
        {
            "id_number": ids.take(pa.array(person[order])),
            "uscc": codes.ascii_strings(uscc[order]),
            "role": pa.array(["legal_rep", "shareholder"]).take(pa.array(role[order])),
            "registered": dates.date32(registered[order]),
            "adcode": codes.ascii_strings(codes.digits(adcode[order], 6)),
            "deregistered": dates.date32(dereg[order]),
        }
    )
