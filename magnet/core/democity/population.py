"""The persons feed (人口基础信息): identity numbers, names, birth dates, 户籍, phones.

Everyone is drawn at once (a million persons is a few dozen megabytes of numpy arrays); the heavy
feeds are then generated from these arrays chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import codes, dates, names
from .places import city_counties, pick
from .reference import Reference

# Retired codes still printed on older identity cards, and how common each one is among them.
RETIRED_WEIGHTS = {
    320602: 0.30,
    320611: 0.15,
    320684: 0.20,
    320683: 0.15,
    320621: 0.10,
    320624: 0.04,
    320625: 0.03,
    320622: 0.03,
}
# Where newcomers were born: neighbouring and populous provinces first.
PROVINCE_WEIGHTS = {
    34: 20,
    37: 10,
    41: 12,
    33: 6,
    31: 4,
    36: 6,
    42: 6,
    43: 5,
    51: 6,
    52: 4,
    53: 2,
    23: 3,
    13: 4,
    14: 2,
    61: 3,
    62: 2,
    45: 2,
    50: 3,
    35: 2,
    44: 1,
    22: 2,
    21: 2,
    15: 1,
    65: 1,
    64: 0.5,
    63: 0.5,
    11: 1,
    12: 1,
    46: 0.5,
    54: 0.2,
}
MOBILE_PREFIXES = (
    130,
    131,
    132,
    133,
    134,
    135,
    136,
    137,
    138,
    139,
    147,
    150,
    151,
    152,
    153,
    155,
    156,
    157,
    158,
    159,
    166,
    173,
    175,
    176,
    177,
    178,
    180,
    181,
    182,
    183,
    184,
    185,
    186,
    187,
    188,
    189,
    191,
    193,
    195,
    198,
    199,
)
FIRST_BIRTH = np.datetime64("1960-01-01")
LAST_BIRTH = np.datetime64("2006-12-31")


@dataclass
class People:
    """Person-level arrays, index = row of the persons feed (after the fixed cast)."""

    ids: np.ndarray  # (n, 18) ASCII
    male: np.ndarray
    birth: np.ndarray  # datetime64[D]
    addr: np.ndarray  # int: address code of the identity number
    hukou: np.ndarray  # int: current 户籍 adcode
    name: pa.StringArray
    phone: np.ndarray  # int, 0 = none

    def __len__(self) -> int:
        return len(self.male)

    def table(self) -> pa.Table:
        return pa.table(
            {
                "id_number": codes.ascii_strings(self.ids),
                "name": self.name,
                "gender": pa.array(["F", "M"]).take(pa.array(self.male.astype(np.int8))),
                "birth_date": dates.date32(self.birth),
                "hukou_adcode": codes.ascii_strings(codes.digits(self.hukou, 6)),
                "phone": codes.ascii_strings(codes.digits(self.phone, 11), valid=self.phone > 0),
            }
        )


def lookup(keys: np.ndarray, values: np.ndarray, x: np.ndarray, default: np.ndarray | int) -> np.ndarray:
    """`values[keys == x]` for each x, or `default` (scalar or array like x) where x is not a key."""
    order = np.argsort(keys)
    pos = np.clip(np.searchsorted(keys[order], x), 0, len(keys) - 1)
    found = keys[order][pos] == x
    return np.where(found, values[order][pos], default)


def births(rng: np.random.Generator, n: int, as_of_end: np.datetime64) -> np.ndarray:
    """Birth dates 1960-2006, seven in ten drawn from ages 21-41 (peak near 27)."""
    young = rng.random(n) < 0.7
    age_days = (21 + rng.triangular(0, 6, 20, n)) * 365.25
    young_birth = as_of_end - age_days.astype(np.int64)
    span = (LAST_BIRTH - FIRST_BIRTH).astype(np.int64) + 1
    any_birth = FIRST_BIRTH + rng.integers(0, span, n)
    return np.clip(np.where(young, young_birth, any_birth), FIRST_BIRTH, LAST_BIRTH)


def address_codes(rng: np.random.Generator, birth: np.ndarray, ref: Reference) -> np.ndarray:
    """Address codes: half the city (some retired codes), a fifth the rest of Jiangsu, the rest China."""
    n = len(birth)
    div = ref.divisions
    origin = rng.choice(3, size=n, p=[0.5, 0.2, 0.3])
    out = city_counties(rng, n)
    # Retired codes: only for people born before the code was retired.
    retired = pick(rng, RETIRED_WEIGHTS, n)
    ends = lookup(div.city_retired, div.city_retired_end, retired, 0)
    use_retired = (rng.random(n) < 0.25) & (dates.year_of(birth) < ends)
    out = np.where(use_retired, retired, out)
    jiangsu = div.counties[(div.province2 == 32) & (div.prefecture4 != 3206)]
    out = np.where(origin == 1, jiangsu[rng.integers(0, len(jiangsu), n)], out)
    province = pick(rng, PROVINCE_WEIGHTS, n)
    order = np.argsort(div.province2, kind="stable")
    sorted_prov = div.province2[order]
    start = np.searchsorted(sorted_prov, province, "left")
    count = np.searchsorted(sorted_prov, province, "right") - start
    elsewhere = div.counties[order][start + (rng.random(n) * count).astype(np.int64)]
    return np.where(origin == 2, elsewhere, out)


def unique_redraw(
    rng: np.random.Generator,
    values: np.ndarray,
    reserved: np.ndarray,
    redraw: Callable[[np.random.Generator, np.ndarray], np.ndarray],
) -> np.ndarray:
    """Redraw (with `redraw(rng, mask)`) every value equal to a reserved or an earlier one."""
    values = values.copy()
    for _ in range(100):
        both = np.concatenate([reserved, values])
        _, first = np.unique(both, return_index=True)
        dup = np.ones(len(both), dtype=bool)
        dup[first] = False
        dup = dup[len(reserved) :]
        if not dup.any():
            return values
        values[dup] = redraw(rng, dup)
    raise RuntimeError("could not draw unique values")


def id_keys(addr: np.ndarray, birth: np.ndarray, seq: np.ndarray) -> np.ndarray:
    ymd = (
        dates.year_of(birth) * 10000
        + (dates.month_of(birth) % 12 + 1) * 100
        + ((birth - dates.month_start(dates.month_of(birth))).astype(np.int64) + 1)
    )
    return addr * 10**11 + ymd * 1000 + seq


def phones(rng: np.random.Generator, n: int, reserved: np.ndarray) -> np.ndarray:
    """Unique 11-digit mobile numbers; 3% of people have none (0)."""
    prefixes = np.array(MOBILE_PREFIXES, dtype=np.int64)

    def draw(rng: np.random.Generator, mask: np.ndarray) -> np.ndarray:
        k = int(mask.sum())
        return prefixes[rng.integers(0, len(prefixes), k)] * 10**8 + rng.integers(0, 10**8, k)

    numbers = unique_redraw(rng, draw(rng, np.ones(n, dtype=bool)), reserved, draw)
    return np.where(rng.random(n) < 0.03, 0, numbers)


def hukou_codes(
    rng: np.random.Generator, addr: np.ndarray, graduate: np.ndarray, ref: Reference
) -> np.ndarray:
    """Current 户籍: the birthplace's current code, or the city for those who settled here."""
    div = ref.divisions
    n = len(addr)
    current = lookup(div.city_retired, div.city_retired_successor, addr, addr)
    born_here = addr // 100 == 3206
    # Talent settlement policies make graduates more likely to move their 户籍 to the city.
    move_in = ~born_here & (rng.random(n) < np.where(graduate, 0.45, 0.2))
    move_within = born_here & (rng.random(n) < 0.1)
    return np.where(move_in | move_within, city_counties(rng, n), current)


def draw_people(
    rng: np.random.Generator,
    n: int,
    as_of_end: np.datetime64,
    ref: Reference,
    reserved_keys: np.ndarray,
    reserved_phones: np.ndarray,
) -> People:
    """Everyone but the cast; `hukou` is filled in later, once degrees are known."""
    male = rng.random(n) < 0.51
    birth = births(rng, n, as_of_end)
    addr = address_codes(rng, birth, ref)
    # 17th digit: odd for men, even for women.
    seq = rng.integers(0, 500, n) * 2 + male

    def redraw(rng: np.random.Generator, mask: np.ndarray) -> np.ndarray:
        new_seq = rng.integers(0, 500, int(mask.sum())) * 2 + male[mask]
        return id_keys(addr[mask], birth[mask], new_seq)

    keys = unique_redraw(rng, id_keys(addr, birth, seq), reserved_keys, redraw)
    return People(
        ids=codes.id_numbers(keys),
        male=male,
        birth=birth,
        addr=addr,
        hukou=addr.copy(),
        name=names.person_names(rng, male),
        phone=phones(rng, n, reserved_phones),
    )
