"""The fixed cast: named personas and edge cases written out row by row, present in every snapshot.

A random city exercises the policy book only statistically; the cast makes sure every policy and
every edge it names has rows at any size, and gives demo staff people they can sign in as. Members
are plain data (`Member`); `cast_tables` turns them into feed rows, dropping whatever lies after the
as-of month. The cast's own employers and businesses (`ENTERPRISES`, `BUSINESSES`) have fixed USCCs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from magnet.core.feeds import checks

from . import codes, dates
from .careers import BASE_MAX, BASE_MIN, FIRST_MONTH
from .enterprises import Enterprises
from .reference import Reference


@dataclass(frozen=True)
class Persona:
    """A person of the demo a member of staff can sign in as (and tests can name)."""

    key: str
    id_number: str
    name: str
    gender: str
    birth_date: dt.date
    phone: str | None
    description: str
    description_zh: str


@dataclass(frozen=True)
class Member:
    """A cast member's rows. Dates are ISO strings, months `YYYY-MM`; `None` as a spell's end = as-of."""

    persona: Persona
    listed: bool  # True: a persona of `personas()`; False: an edge case
    hukou: str
    degrees: tuple[tuple[str, bool, str, str, str], ...] = ()  # degree, full_time, school code, major, date
    spells: tuple[
        tuple[str, str | None, str, str | None, str, float], ...
    ] = ()  # first, last, kind, employer,
    # adcode, base (employee: yuan in the first year, +5% a year; flexible: multiple of the minimum)
    homes: tuple[
        tuple[str, str, str, str, str, str | None], ...
    ] = ()  # id, adcode, use, contract, price, sold
    certs: tuple[tuple[str, int, str], ...] = ()  # occupation, level, issued
    businesses: tuple[tuple[str, str, str, str, str | None], ...] = field(
        default=()
    )  # key, role, registered,
    # adcode, deregistered


def id_number(address: str, birth: str, sequence: str) -> str:
    """Identity number from its parts, with the check character of `checks`."""
    first17 = address + birth.replace("-", "") + sequence
    return first17 + checks.id_number_check_char(first17)


def uscc(prefix: str, adcode: str, org_body: str) -> str:
    """USCC from authority+kind, registering adcode and the 8-character organisation-code body."""
    body = np.frombuffer(org_body.encode(), dtype=np.uint8)[None, :]
    org = org_body + chr(codes.org_check_chars(body)[0])
    first17 = prefix + adcode + org
    return first17 + checks.uscc_check_char(first17)


def person(
    key: str,
    name: str,
    gender: str,
    birth: str,
    address: str,
    sequence: str,
    phone: str | None,
    description: str,
    description_zh: str,
) -> Persona:
    """A persona; the identity number is built from address, birth date and a sequence whose parity is
    the gender's."""
    assert (int(sequence[-1]) % 2 == 1) == (gender == "M"), key
    return Persona(
        key,
        id_number(address, birth, sequence),
        name,
        gender,
        dt.date.fromisoformat(birth),
        phone,
        description,
        description_zh,
    )


# key: (authority+kind, registering adcode, org body, name, industry, chain, adcode, key enterprise,
#       established)
ENTERPRISES = {
    "haisheng": (
        "91",
        "320600",
        "69331572",
        "南通海晟船舶重工有限公司",
        "C3731",
        "shipbuilding_offshore",
        "320612",
        True,
        "2008-05-12",
    ),
    "jincheng": (
        "91",
        "320614",
        "MA1N4Q7R",
        "南通锦程家纺科技有限公司",
        "C1771",
        "high_end_textile",
        "320614",
        False,
        "2016-03-08",
    ),
    "tonglian": (
        "91",
        "320613",
        "07781215",
        "江苏通联信息技术有限公司",
        "I6513",
        "ict",
        "320613",
        True,
        "2013-09-02",
    ),
    "clinic": (
        "12",
        "320613",
        "46601120",
        "南通市崇川区虹桥社区卫生服务中心",
        "Q8421",
        None,
        "320613",
        False,
        "1998-09-01",
    ),
    "pujiang": (
        "91",
        "310115",
        "MA1FL8X2",
        "上海浦江智能科技有限公司",
        "I6513",
        None,
        "310115",
        False,
        "2017-04-20",
    ),
    "hengtai": (
        "91",
        "320505",
        "59952837",
        "苏州恒泰新材料有限公司",
        "C2659",
        None,
        "320505",
        False,
        "2012-07-16",
    ),
    "xinhai": (
        "91",
        "320612",
        "MA20BK3C",
        "南通新海复合材料有限公司",
        "C3091",
        "new_materials",
        "320612",
        True,
        "2019-11-05",
    ),
    "qingcheng": (
        "91",
        "320613",
        "MA2Q7W1E",
        "南通青橙数字科技有限公司",
        "I6513",
        "ict",
        "320613",
        False,
        "2024-03-18",
    ),
}
# Businesses of the cast that are not employers (个体工商户 start with 92): key -> (prefix, adcode, org body)
BUSINESSES = {
    "tea_shop": ("92", "320613", "MA2Q8H3L"),
    "shop_early": ("92", "320613", "MA27C4D5"),
    "startup_a": ("91", "320613", "MA2R1E6F"),
    "startup_b": ("91", "320612", "MA2R3G8H"),
    "startup_c": ("91", "320613", "MA2R5J0K"),
    "startup_sh": ("91", "310115", "MA7K2L9M"),
    "shop_limit": ("92", "320682", "MA2T6N4P"),
}


def business_usccs() -> dict[str, str]:
    out = {k: uscc(v[0], v[1], v[2]) for k, v in ENTERPRISES.items()}
    out.update({k: uscc(*v) for k, v in BUSINESSES.items()})
    return out


def cast_enterprises() -> Enterprises:
    rows = list(ENTERPRISES.values())
    usccs = business_usccs()
    return Enterprises(
        uscc=np.frombuffer("".join(usccs[k] for k in ENTERPRISES).encode(), dtype=np.uint8)
        .reshape(-1, 18)
        .copy(),
        name=pa.array([r[3] for r in rows], pa.string()),
        industry=pa.array([r[4] for r in rows], pa.string()),
        chain=pa.array([r[5] for r in rows], pa.string()),
        adcode=np.array([int(r[6]) for r in rows], dtype=np.int64),
        key=np.array([r[7] for r in rows]),
        established=np.array([r[8] for r in rows], dtype="datetime64[D]"),
        weight=np.full(len(rows), 20.0),  # the cast's employers are sizeable: others work there too
    )


def _school_index(ref: Reference) -> dict[str, int]:
    s = ref.schools
    index = {code: i for i, code in enumerate(s.id10.to_pylist())}
    for i, (code, undergrad) in enumerate(zip(s.code5.to_pylist(), s.undergrad.tolist(), strict=True)):
        if undergrad or code not in index:
            index[code] = i
    return index


def _degree_rows(member: Member, end: dt.date, ref: Reference) -> list[dict]:
    schools = _school_index(ref)
    majors = {code: i for i, code in enumerate(ref.majors.code.to_pylist())}
    s, rows = ref.schools, []
    for degree, full_time, school_code, major_code, date in member.degrees:
        if dt.date.fromisoformat(date) > end:
            continue
        i, j = schools[school_code], majors[major_code]
        offered = s.offer_major[s.offer_start[i] : s.offer_start[i] + s.offer_count[i]]
        assert s.offer_count[i] == 0 or j in offered, (
            f"{member.persona.key}: {school_code} does not teach {major_code}"
        )
        rows.append(
            {
                "id_number": member.persona.id_number,
                "degree": degree,
                "full_time": full_time,
                "school_code": school_code,
                "school_name": s.name[i].as_py(),
                "double_first_class": bool(s.dfc[i]),
                "major_code": major_code,
                "major_name": ref.majors.name[j].as_py(),
                "graduation_date": dt.date.fromisoformat(date),
            }
        )
    return rows


def _insurance_rows(member: Member, as_of: int, usccs: dict[str, str]) -> list[dict]:
    rows = []
    for first, last, kind, employer, adcode, base in member.spells:
        start = max(dates.parse_month(first), FIRST_MONTH)  # the feed's window opens in 2019-01
        stop = min(as_of, dates.parse_month(last) if last else as_of)
        for month in range(start, stop + 1):
            y = min(month // 12 - 2019, len(BASE_MIN) - 1)
            if kind == "flexible":
                cents = round(BASE_MIN[y] * base * 100)
            else:
                cents = round(base * 1.05 ** (month // 12 - dates.parse_month(first) // 12)) * 100
            cents = int(min(max(cents, BASE_MIN[y] * 100), BASE_MAX[y] * 100))
            rows.append(
                {
                    "id_number": member.persona.id_number,
                    "month": dates.month_label(month),
                    "kind": kind,
                    "employer_uscc": usccs[employer] if employer else None,
                    "adcode": adcode,
                    "base": cents,
                }
            )
    return rows


def _iso(text: str | None, end: dt.date) -> dt.date | None:
    """A date, or None when absent or after the as-of month (a fact not yet known)."""
    if text is None or dt.date.fromisoformat(text) > end:
        return None
    return dt.date.fromisoformat(text)


def cast_tables(members: list[Member], as_of: int, ref: Reference) -> dict[str, list[dict]]:
    """Rows of every feed for the cast, as lists of dicts (a few hundred rows at most)."""
    end = dt.date.fromisoformat(str(dates.month_end(as_of)))
    usccs = business_usccs()
    out: dict[str, list[dict]] = {
        k: []
        for k in (
            "persons",
            "education",
            "social_insurance",
            "property",
            "skill_certs",
            "business_registrations",
        )
    }
    for m in members:
        p = m.persona
        out["persons"].append(
            {
                "id_number": p.id_number,
                "name": p.name,
                "gender": p.gender,
                "birth_date": p.birth_date,
                "hukou_adcode": m.hukou,
                "phone": p.phone,
            }
        )
        out["education"] += _degree_rows(m, end, ref)
        out["social_insurance"] += _insurance_rows(m, as_of, usccs)
        out["property"] += [
            {
                "id_number": p.id_number,
                "property_id": pid,
                "adcode": ad,
                "use": use,
                "contract_date": _iso(contract, end),
                "price": round(float(price) * 100),
                "sold_date": _iso(sold, end),
            }
            for pid, ad, use, contract, price, sold in m.homes
            if _iso(contract, end)
        ]
        out["skill_certs"] += [
            {"id_number": p.id_number, "occupation_code": occ, "level": level, "issued": _iso(issued, end)}
            for occ, level, issued in m.certs
            if _iso(issued, end)
        ]
        out["business_registrations"] += [
            {
                "id_number": p.id_number,
                "uscc": usccs[key],
                "role": role,
                "registered": _iso(reg, end),
                "adcode": ad,
                "deregistered": _iso(dereg, end),
            }
            for key, role, reg, ad, dereg in m.businesses
            if _iso(reg, end)
        ]
    return out
