"""The feeds of `shared/spec/feeds.md`, written down as data.

Everything that `validate` enforces and `store` writes is derived from `FEEDS`: the feed names, the
ordered columns with their types and nullability, per-column checks (identifier check characters,
division codes, formats, enumerations), uniqueness and the cross-column rules. Changing the contract
means changing this module and bumping `CONTRACT_VERSION` (it is part of every snapshot's content
address, so a snapshot validated under an older contract is never mistaken for a current one).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CONTRACT_VERSION = "feeds.md/2025-1"


class ColumnType(StrEnum):
    """The column types of feeds.md and how they are written in a CSV cell."""

    STRING = "string"
    DATE = "date"  # YYYY-MM-DD
    MONTH = "month"  # YYYY-MM, stored as the first day of the month
    BOOL = "bool"  # true / false
    DECIMAL = "decimal"  # yuan, at most 2 decimal places
    INT = "int"


class Check(StrEnum):
    """Identifier checks, implemented in `checks.py` (Python) and `sql.py` (DuckDB macros)."""

    ID_NUMBER = "id_number"
    USCC = "uscc"
    ADCODE = "adcode"


@dataclass(frozen=True)
class Pattern:
    """A format the whole value must match (RE2 / Python `re` syntax, full match), with an English name."""

    regex: str
    described: str


@dataclass(frozen=True)
class Column:
    """One column of a feed.

    `values` restricts the column to an enumeration; `catalogue` names a code list that the caller may
    pass in (unknown codes are warnings, never rejections).
    """

    name: str
    type: ColumnType
    nullable: bool = False
    check: Check | None = None
    values: tuple[str, ...] | tuple[int, ...] | None = None
    pattern: Pattern | None = None
    catalogue: str | None = None


@dataclass(frozen=True)
class AgreesWithIdGender:
    """`column` (M/F) must agree with the 17th digit of the identity number in `id_column` (odd = M)."""

    column: str
    id_column: str


@dataclass(frozen=True)
class AgreesWithIdBirthDate:
    """`column` (a date) must equal digits 7-14 of the identity number in `id_column`."""

    column: str
    id_column: str


@dataclass(frozen=True)
class RequiredWhen:
    """`column` must not be empty on rows where `when_column` equals `when_value`."""

    column: str
    when_column: str
    when_value: str


@dataclass(frozen=True)
class EmptyWhen:
    """`column` must be empty on rows where `when_column` equals `when_value`."""

    column: str
    when_column: str
    when_value: str


RowRule = AgreesWithIdGender | AgreesWithIdBirthDate | RequiredWhen | EmptyWhen


@dataclass(frozen=True)
class Feed:
    """One feed: its columns in stored order, whether a snapshot must carry it, its unique columns."""

    name: str
    columns: tuple[Column, ...]
    required: bool = False
    unique: tuple[str, ...] = ()
    rules: tuple[RowRule, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


S, D, M, B, DEC, INT = (
    ColumnType.STRING,
    ColumnType.DATE,
    ColumnType.MONTH,
    ColumnType.BOOL,
    ColumnType.DECIMAL,
    ColumnType.INT,
)

# Formats that feeds.md states explicitly for code columns.
SCHOOL_CODE = Pattern(r"[0-9]{10}|[0-9]{5}", "a 10-digit MOE institution code or its 5-digit tail")
# The MOE catalogue also marks majors that are both special and state-controlled with "TK" (e.g. 083103TK).
MAJOR_CODE = Pattern(r"[0-9]{6}(T|K|TK)?", "6 digits, optionally followed by T, K or TK")
INDUSTRY_CODE = Pattern(r"[A-T][0-9]{4}", "a GB/T 4754-2017 class: a section letter A-T and 4 digits")
OCCUPATION_CODE = Pattern(r"[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}", "an occupation code like 6-18-01-01")


def _id(name: str = "id_number") -> Column:
    return Column(name, S, check=Check.ID_NUMBER)


def _adcode(name: str = "adcode") -> Column:
    return Column(name, S, check=Check.ADCODE)


FEEDS: dict[str, Feed] = {
    f.name: f
    for f in (
        Feed(
            "persons",
            (
                _id(),
                Column("name", S),
                Column("gender", S, values=("M", "F")),
                Column("birth_date", D),
                _adcode("hukou_adcode"),
                Column("phone", S, nullable=True),
            ),
            required=True,
            unique=("id_number",),
            rules=(
                AgreesWithIdGender("gender", "id_number"),
                AgreesWithIdBirthDate("birth_date", "id_number"),
            ),
        ),
        Feed(
            "education",
            (
                _id(),
                Column("degree", S, values=("associate", "bachelor", "master", "doctor")),
                Column("full_time", B),
                Column("school_code", S, pattern=SCHOOL_CODE),
                Column("school_name", S),
                Column("double_first_class", B),
                Column("major_code", S, pattern=MAJOR_CODE),
                Column("major_name", S),
                Column("graduation_date", D),
            ),
        ),
        Feed(
            "social_insurance",
            (
                _id(),
                Column("month", M),
                Column("kind", S, values=("employee", "flexible")),
                Column("employer_uscc", S, nullable=True, check=Check.USCC),
                _adcode(),
                Column("base", DEC),
            ),
            rules=(
                RequiredWhen("employer_uscc", "kind", "employee"),
                EmptyWhen("employer_uscc", "kind", "flexible"),
            ),
        ),
        Feed(
            "enterprises",
            (
                Column("uscc", S, check=Check.USCC),
                Column("name", S),
                Column("industry_code", S, pattern=INDUSTRY_CODE, catalogue="industry"),
                Column("industry_chain", S, nullable=True),
                _adcode(),
                Column("key_enterprise", B),
                Column("established", D),
            ),
            unique=("uscc",),
        ),
        Feed(
            "property",
            (
                _id(),
                Column("property_id", S),
                _adcode(),
                Column("use", S, values=("residential", "commercial")),
                Column("contract_date", D),
                Column("price", DEC),
                Column("sold_date", D, nullable=True),
            ),
        ),
        Feed(
            "skill_certs",
            (
                _id(),
                Column("occupation_code", S, pattern=OCCUPATION_CODE),
                Column("level", INT, values=(1, 2, 3, 4, 5)),
                Column("issued", D),
            ),
        ),
        Feed(
            "business_registrations",
            (
                _id(),
                Column("uscc", S, check=Check.USCC),
                Column("role", S, values=("legal_rep", "shareholder")),
                Column("registered", D),
                _adcode(),
                Column("deregistered", D, nullable=True),
            ),
        ),
    )
}
"""Feed name -> Feed, in the order of feeds.md (which is also the order problems are reported in)."""

REQUIRED_FEEDS = tuple(name for name, feed in FEEDS.items() if feed.required)
