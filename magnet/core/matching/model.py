"""The values the matching engine takes and returns: jobs, talents, filters, matches and their parts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Degrees in order; a job's `min_degree` and a talent's `degree` use these words.
DEGREES = ("associate", "bachelor", "master", "doctor")
DEGREE_LEVEL = {name: level for level, name in enumerate(DEGREES, start=1)}
# Words other systems write for the same degrees (学信 and job boards), read as the words above.
DEGREE_ALIASES = {
    "专科": "associate",
    "大专": "associate",
    "高职": "associate",
    "本科": "bachelor",
    "学士": "bachelor",
    "硕士": "master",
    "研究生": "master",
    "博士": "doctor",
}
DEGREE_ZH = {"associate": "大专", "bachelor": "本科", "master": "硕士", "doctor": "博士"}


def degree_level(degree: str | None) -> int:
    """1 for associate up to 4 for doctor; 0 for none. Unknown words raise ValueError.

    >>> degree_level("master"), degree_level("本科"), degree_level(None)
    (3, 2, 0)
    """
    if degree is None or degree == "":
        return 0
    name = DEGREE_ALIASES.get(degree.strip(), degree.strip().lower())
    if name not in DEGREE_LEVEL:
        raise ValueError(f"unknown degree {degree!r}: expected one of {', '.join(DEGREES)}")
    return DEGREE_LEVEL[name]


@dataclass(frozen=True)
class Job:
    """An open job. `majors` holds catalogue codes of majors (6-7 digits, T/K allowed), classes (4) or
    disciplines (2); empty means any major. Pay is yuan a month; `chain` a key-chain key such as `ict`."""

    id: str
    title: str = ""
    description: str = ""
    majors: tuple[str, ...] = ()
    min_degree: str | None = None
    skills: tuple[str, ...] = ()
    adcode: str | None = None
    pay_min: int | None = None
    pay_max: int | None = None
    chain: str | None = None
    posted: date | None = None
    key_chain: bool = False


@dataclass(frozen=True)
class Talent:
    """A talent's profile: highest degree, major code, skills, wished places (adcodes), pay and chains."""

    id: str
    degree: str | None = None
    major_code: str | None = None
    skills: tuple[str, ...] = ()
    wish_adcodes: tuple[str, ...] = ()
    wish_pay: int | None = None
    wish_chains: tuple[str, ...] = ()
    about: str = ""


@dataclass(frozen=True)
class Part:
    """One line of a score's breakdown: its points and what it means, in Chinese and English."""

    name: str
    points: float
    zh: str
    en: str


@dataclass(frozen=True)
class Match:
    """A job (for a talent) or a talent (for a job), its score and the parts the score adds up from."""

    id: str
    score: float
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Filters:
    """Narrow the results. On jobs (`best_jobs`): the job's adcode starts with `adcode_prefix`, its chain is
    `chain`, it asks for at least `min_degree`, its pay can reach `pay_at_least`. On talents
    (`best_talents`): the talent wishes a place under `adcode_prefix` (or names no place), wishes `chain`,
    holds at least `min_degree`, and wishes at least `pay_at_least`."""

    adcode_prefix: str | None = None
    chain: str | None = None
    min_degree: str | None = None
    pay_at_least: int | None = None
