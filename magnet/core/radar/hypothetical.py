"""A person who is not in the data, as a one-person snapshot the policy engine can screen.

The public policy calculator (政策计算器) turns a student's answers into a `Situation`; `build_feeds` makes
one table per feed of the contract, typed exactly as stored snapshots are, so the same engine screens it.
Framework-free (no Django).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pyarrow as pa

from magnet.core.feeds.checks import USCC_ALPHABET, adcode_problem, id_number_check_char, uscc_check_char, uscc_problem
from magnet.core.feeds.contract import FEEDS, MAJOR_CODE, OCCUPATION_CODE, SCHOOL_CODE, ColumnType, Pattern

ADDRESS_CODE = "320602"  # the identity number's address code and the hukou
PERSON_NAME = "测算用户"
EMPLOYER_NAME = "测算用人单位"
EMPLOYER_INDUSTRY = "I6513"  # 应用软件开发 (GB/T 4754-2017 has no class I6510)
EMPLOYER_ESTABLISHED = date(2000, 1, 1)
# The contract requires these columns; the policies do not read them, so unknown answers get placeholders.
PLACEHOLDER_SCHOOL_CODE = "00000"
PLACEHOLDER_MAJOR_CODE = "000000"
PLACEHOLDER_NAME = "未填写"
DEGREES = FEEDS["education"].column("degree").values
MAX_AMOUNT = Decimal(10**16)  # decimal128(18, 2) holds 16 digits before the point
CENT = Decimal("0.01")

ARROW_TYPES = {
    ColumnType.STRING: pa.string(),
    ColumnType.DATE: pa.date32(),
    ColumnType.MONTH: pa.date32(),  # the first day of the month
    ColumnType.BOOL: pa.bool_(),
    ColumnType.DECIMAL: pa.decimal128(18, 2),
    ColumnType.INT: pa.int32(),
}


@dataclass(frozen=True)
class Situation:
    """What a student tells the calculator. Periods are by month: any day of a month stands for it."""

    birth_date: date
    horizon: date  # last month to generate social-insurance rows for
    gender: str = "F"  # "M" / "F"
    degree: str | None = "bachelor"  # associate / bachelor / master / doctor, None = no degree
    full_time: bool = True
    school_code: str = ""  # MOE code, optional
    school_name: str = ""
    double_first_class: bool = False
    major_code: str = ""  # optional
    major_name: str = ""
    graduation_date: date | None = None  # required with a degree
    work_adcode: str | None = None  # where they would work as an employee; None = not employed
    work_from: date | None = None  # first month employed
    work_until: date | None = None  # last month employed; None = through the horizon
    employer_uscc: str | None = None  # None: a valid one is generated
    monthly_base: Decimal = Decimal("6000")  # contribution base, employee and flexible
    flexible_adcode: str | None = None  # self-paid (灵活就业) insurance instead, never in an employee month
    flexible_from: date | None = None
    flexible_until: date | None = None
    home_adcode: str | None = None  # a residential home bought here
    home_contract_date: date | None = None
    home_price: Decimal | None = None
    skill_level: int | None = None  # 1..5
    skill_issued: date | None = None
    skill_occupation_code: str = "6-18-01-01"
    business_adcode: str | None = None  # a business registered here with them as legal_rep
    business_registered: date | None = None


def _month(d: date) -> int:
    return d.year * 12 + d.month - 1


def _first_day(month: int) -> date:
    return date(month // 12, month % 12 + 1, 1)


def _birthday(birth: date, years: int) -> date:
    """The day of the `years`-th birthday (29 February: 1 March in a common year, as the policy book)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


def _period(start: date | None, until: date | None, horizon: date) -> tuple[int, int] | None:
    """(first, last) month of a period, cut at the horizon; None when it has no start."""
    if start is None:
        return None
    last = _month(horizon) if until is None else min(_month(until), _month(horizon))
    return _month(start), last


def _ym(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def _amount_problem(field: str, value: object) -> str | None:
    if not isinstance(value, Decimal | int) or isinstance(value, bool):
        return f"{field} must be a Decimal, found {type(value).__name__}"
    value = Decimal(value)
    if not value.is_finite() or value <= 0:
        return f"{field} must be a positive amount, found {value}"
    if value >= MAX_AMOUNT:
        return f"{field} {value} is too large (at most 16 digits before the decimal point)"
    if value != value.quantize(CENT):
        return f"{field} {value} has more than 2 decimal places"
    return None


def _pattern_problem(field: str, value: str, pattern: Pattern) -> str | None:
    if not re.fullmatch(pattern.regex, value):
        return f"{field} {value!r} must be {pattern.described}"
    return None


def situation_problems(s: Situation) -> list[tuple[str, str]]:
    """(field, message) for every inconsistency of `s`; empty when `build_feeds` can use it."""
    found: list[tuple[str, str]] = []

    def add(field: str, message: str | None) -> None:
        if message is not None:
            found.append((field, message))

    def together(*fields: str) -> bool:
        """All of `fields` given, or none; True when all are."""
        given = [f for f in fields if getattr(s, f) is not None]
        for f in fields:
            if given and f not in given:
                add(f, f"{f} is required with {' and '.join(given)}")
        return len(given) == len(fields)

    if s.gender not in ("M", "F"):
        add("gender", f"gender must be M or F, found {s.gender!r}")
    if _month(s.horizon) < _month(s.birth_date):
        add("horizon", f"horizon {s.horizon} is before the birth date {s.birth_date}")
    for field in ("work_adcode", "flexible_adcode", "home_adcode", "business_adcode"):
        value = getattr(s, field)
        if value is not None and adcode_problem(value) is not None:
            add(field, f"{field} {value!r} is not a 6-digit division code")

    if s.degree is None:
        if s.graduation_date is not None:
            add("graduation_date", f"graduation_date {s.graduation_date} is given but degree is None")
    else:
        if s.degree not in DEGREES:
            add("degree", f"degree must be one of {', '.join(DEGREES)} or None, found {s.degree!r}")
        fifteenth = _birthday(s.birth_date, 15)
        if s.graduation_date is None:
            add("graduation_date", f"graduation_date is required with degree {s.degree}")
        elif s.graduation_date < fifteenth:
            add("graduation_date", f"graduation_date {s.graduation_date} is before the 15th birthday ({fifteenth})")
        if s.school_code:
            add("school_code", _pattern_problem("school_code", s.school_code, SCHOOL_CODE))
        if s.major_code:
            add("major_code", _pattern_problem("major_code", s.major_code, MAJOR_CODE))

    sixteenth = _birthday(s.birth_date, 16)
    periods = {}
    for kind in ("work", "flexible"):
        start, until = getattr(s, f"{kind}_from"), getattr(s, f"{kind}_until")
        if until is not None and start is None:
            add(f"{kind}_until", f"{kind}_until is given but {kind}_from is not")
        if not together(f"{kind}_adcode", f"{kind}_from"):
            continue
        first, last = _period(start, until, s.horizon)
        if first < _month(sixteenth):
            add(f"{kind}_from", f"{kind}_from {start} is before the month of the 16th birthday ({sixteenth})")
        elif until is not None and _month(until) < first:
            add(f"{kind}_until", f"{kind}_until {until} is before {kind}_from {start}")
        elif first > _month(s.horizon):
            add(f"{kind}_from", f"{kind}_from {start} is after the horizon {s.horizon}: no month to generate")
        else:
            periods[kind] = (first, last)
    if len(periods) == 2 and max(periods["work"][0], periods["flexible"][0]) <= min(
        periods["work"][1], periods["flexible"][1]
    ):
        (w1, w2), (f1, f2) = periods["work"], periods["flexible"]
        add(
            "flexible_from",
            f"the flexible period {_ym(f1)}..{_ym(f2)} overlaps the employee period {_ym(w1)}..{_ym(w2)}",
        )
    if s.employer_uscc is not None:
        if s.work_adcode is None:
            add("employer_uscc", "employer_uscc is given but work_adcode is not")
        elif (reason := uscc_problem(s.employer_uscc)) is not None:
            add("employer_uscc", f"employer_uscc {s.employer_uscc!r} is not a valid USCC: {reason}")
    add("monthly_base", _amount_problem("monthly_base", s.monthly_base))

    if together("home_adcode", "home_contract_date", "home_price"):
        add("home_price", _amount_problem("home_price", s.home_price))
    if together("skill_level", "skill_issued"):
        if not isinstance(s.skill_level, int) or isinstance(s.skill_level, bool) or not 1 <= s.skill_level <= 5:
            add("skill_level", f"skill_level must be 1 to 5, found {s.skill_level!r}")
        add(
            "skill_occupation_code",
            _pattern_problem("skill_occupation_code", s.skill_occupation_code, OCCUPATION_CODE),
        )
    together("business_adcode", "business_registered")

    for field in ("home_contract_date", "skill_issued", "business_registered"):
        value = getattr(s, field)
        if value is not None and value < s.birth_date:
            add(field, f"{field} {value} is before the birth date {s.birth_date}")
    return found


def person_id_number(s: Situation) -> str:
    """A synthetic, valid identity number: address code 320602, the birth date, sequence 001 (M) or 002 (F)."""
    if s.gender not in ("M", "F"):
        raise ValueError(f"gender must be M or F, found {s.gender!r}")
    b = s.birth_date
    first17 = f"{ADDRESS_CODE}{b.year:04d}{b.month:02d}{b.day:02d}{'001' if s.gender == 'M' else '002'}"
    return first17 + id_number_check_char(first17)


def generated_uscc(adcode: str, seed: str) -> str:
    """A valid USCC of an enterprise (91) registered in `adcode`, its organisation code derived from `seed`."""
    digest = hashlib.sha256(seed.encode()).digest()
    first17 = "91" + adcode + "MA" + "".join(USCC_ALPHABET[b % len(USCC_ALPHABET)] for b in digest[:7])
    return first17 + uscc_check_char(first17)


def feed_schema(feed: str) -> pa.Schema:
    """The Arrow schema a stored snapshot has for `feed`: the contract's columns in order, all nullable."""
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type], nullable=True) for c in FEEDS[feed].columns])


def build_feeds(s: Situation) -> dict[str, pa.Table]:
    """One table per feed of the contract (in its order) holding this person's rows.

    Raises ValueError listing `situation_problems` when there are any.
    """
    problems = situation_problems(s)
    if problems:
        raise ValueError("the situation is inconsistent: " + "; ".join(message for _, message in problems))
    pid = person_id_number(s)
    rows: dict[str, list[dict]] = {name: [] for name in FEEDS}
    rows["persons"].append(
        {
            "id_number": pid,
            "name": PERSON_NAME,
            "gender": s.gender,
            "birth_date": s.birth_date,
            "hukou_adcode": ADDRESS_CODE,
            "phone": None,
        }
    )
    if s.degree is not None:
        rows["education"].append(
            {
                "id_number": pid,
                "degree": s.degree,
                "full_time": s.full_time,
                "school_code": s.school_code or PLACEHOLDER_SCHOOL_CODE,
                "school_name": s.school_name or PLACEHOLDER_NAME,
                "double_first_class": s.double_first_class,
                "major_code": s.major_code or PLACEHOLDER_MAJOR_CODE,
                "major_name": s.major_name or PLACEHOLDER_NAME,
                "graduation_date": s.graduation_date,
            }
        )
    base = Decimal(s.monthly_base).quantize(CENT)
    if s.work_adcode is not None:
        uscc = s.employer_uscc or generated_uscc(s.work_adcode, f"employer {pid}")
        first, last = _period(s.work_from, s.work_until, s.horizon)
        rows["social_insurance"] += [
            {
                "id_number": pid,
                "month": _first_day(m),
                "kind": "employee",
                "employer_uscc": uscc,
                "adcode": s.work_adcode,
                "base": base,
            }
            for m in range(first, last + 1)
        ]
        rows["enterprises"].append(
            {
                "uscc": uscc,
                "name": EMPLOYER_NAME,
                "industry_code": EMPLOYER_INDUSTRY,
                "industry_chain": None,
                "adcode": s.work_adcode,
                "key_enterprise": False,
                "established": EMPLOYER_ESTABLISHED,
            }
        )
    if s.flexible_adcode is not None:
        first, last = _period(s.flexible_from, s.flexible_until, s.horizon)
        rows["social_insurance"] += [
            {
                "id_number": pid,
                "month": _first_day(m),
                "kind": "flexible",
                "employer_uscc": None,
                "adcode": s.flexible_adcode,
                "base": base,
            }
            for m in range(first, last + 1)
        ]
        rows["social_insurance"].sort(key=lambda r: r["month"])
    if s.home_adcode is not None:
        rows["property"].append(
            {
                "id_number": pid,
                "property_id": "H1",
                "adcode": s.home_adcode,
                "use": "residential",
                "contract_date": s.home_contract_date,
                "price": Decimal(s.home_price).quantize(CENT),
                "sold_date": None,
            }
        )
    if s.skill_level is not None:
        rows["skill_certs"].append(
            {
                "id_number": pid,
                "occupation_code": s.skill_occupation_code,
                "level": s.skill_level,
                "issued": s.skill_issued,
            }
        )
    if s.business_adcode is not None:
        rows["business_registrations"].append(
            {
                "id_number": pid,
                "uscc": generated_uscc(s.business_adcode, f"business {pid}"),
                "role": "legal_rep",
                "registered": s.business_registered,
                "adcode": s.business_adcode,
                "deregistered": None,
            }
        )
    return {name: pa.Table.from_pylist(feed_rows, schema=feed_schema(name)) for name, feed_rows in rows.items()}
