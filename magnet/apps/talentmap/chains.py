"""The curated seed of the talent map: key chains → GB/T 4754 industries → MOE major classes.

Framework-free. `load_seed(path)` reads `magnet/data/talentmap/chains.yaml` into frozen dataclasses and
raises `SeedInvalid(file, key, reason)` on a malformed entry; catalogue membership of the codes is checked
by the tests against the shipped reference files (the seed itself carries no copy of the catalogues).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

SEED_PATH = Path(__file__).resolve().parents[2] / "data" / "talentmap" / "chains.yaml"
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"

# Points of need a seeded major class carries before any reported or posted headcount is added.
SEED_POINTS = {"core": 3, "supporting": 1}
_INDUSTRY = re.compile(r"[A-T][0-9]{2,4}")
_CLASS = re.compile(r"[0-9]{4}")


class SeedInvalid(Exception):
    """A malformed seed entry: which file, which key, what is wrong."""

    def __init__(self, file: str, key: str, reason: str):
        super().__init__(f"{file}: {key}: {reason}")
        self.file, self.key, self.reason = file, key, reason


@dataclass(frozen=True)
class ChainIndustry:
    code: str  # GB/T 4754 code with its section letter, at division, group or class level (C17, C373, C3731)
    reason: str


@dataclass(frozen=True)
class ChainMajor:
    class_code: str  # 4-digit MOE major class (专业类)
    weight: str  # core | supporting
    industries: tuple[str, ...]
    reason: str

    @property
    def points(self) -> int:
        return SEED_POINTS[self.weight]


@dataclass(frozen=True)
class Chain:
    key: str
    name: str
    name_en: str
    sources: tuple[str, ...]
    industries: tuple[ChainIndustry, ...]
    majors: tuple[ChainMajor, ...]

    def covers_industry(self, code: str) -> bool:
        """Whether an enterprise's industry class (C3731) falls under one of the chain's industries.

        >>> Chain("x", "", "", (), (ChainIndustry("C373", ""),), ()).covers_industry("C3737")
        True
        """
        return any(code.startswith(industry.code) for industry in self.industries)


@dataclass(frozen=True)
class Seed:
    sources: dict[str, str]
    chains: tuple[Chain, ...]

    def chain(self, key: str) -> Chain:
        for chain in self.chains:
            if chain.key == key:
                return chain
        raise KeyError(key)

    def chain_of_industry(self, code: str) -> Chain | None:
        """The first chain whose industries cover this industry class, if any."""
        return next((chain for chain in self.chains if code and chain.covers_industry(code)), None)


def _text(entry: dict, key: str, where: str, file: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SeedInvalid(file, f"{where}.{key}", "missing or empty")
    return value.strip()


def _chain(entry: dict, index: int, sources: dict[str, str], file: str) -> Chain:
    where = f"chains[{index}]"
    key = _text(entry, "key", where, file)
    where = f"chains.{key}"
    industries = []
    for i, row in enumerate(entry.get("industries") or []):
        code = _text(row, "code", f"{where}.industries[{i}]", file)
        if not _INDUSTRY.fullmatch(code):
            raise SeedInvalid(file, f"{where}.industries[{i}].code", f"{code!r} is not a GB/T 4754 code like C3731")
        industries.append(ChainIndustry(code, _text(row, "reason", f"{where}.industries[{i}]", file)))
    if not industries:
        raise SeedInvalid(file, f"{where}.industries", "a chain needs at least one industry")
    codes = {industry.code for industry in industries}
    majors = []
    for i, row in enumerate(entry.get("majors") or []):
        at = f"{where}.majors[{i}]"
        class_code = str(row.get("class", ""))
        if not _CLASS.fullmatch(class_code):
            raise SeedInvalid(file, f"{at}.class", f"{class_code!r} is not a 4-digit major class code")
        weight = row.get("weight")
        if weight not in SEED_POINTS:
            raise SeedInvalid(file, f"{at}.weight", f"{weight!r}: expected one of {sorted(SEED_POINTS)}")
        served = tuple(row.get("industries") or ())
        unknown = [code for code in served if code not in codes]
        if unknown:
            raise SeedInvalid(file, f"{at}.industries", f"{unknown} are not industries of the chain")
        majors.append(ChainMajor(class_code, weight, served, _text(row, "reason", at, file)))
    if len({m.class_code for m in majors}) != len(majors):
        raise SeedInvalid(file, f"{where}.majors", "a major class is listed twice")
    cited = tuple(entry.get("sources") or ())
    if any(source not in sources for source in cited):
        raise SeedInvalid(file, f"{where}.sources", f"unknown source in {list(cited)}")
    return Chain(key, _text(entry, "name", where, file), _text(entry, "name_en", where, file), cited,
                 tuple(industries), tuple(majors))  # fmt: skip


def parse_seed(text: str, file: str = "chains.yaml") -> Seed:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SeedInvalid(file, "", str(error)) from None
    if not isinstance(data, dict) or not isinstance(data.get("chains"), list):
        raise SeedInvalid(file, "chains", "expected a list of chains")
    sources = {str(k): str(v) for k, v in (data.get("sources") or {}).items()}
    chains = tuple(_chain(entry, i, sources, file) for i, entry in enumerate(data["chains"]))
    if len({c.key for c in chains}) != len(chains):
        raise SeedInvalid(file, "chains", "a chain key is used twice")
    return Seed(sources, chains)


def load_seed(path: Path = SEED_PATH) -> Seed:
    return parse_seed(Path(path).read_text(encoding="utf-8"), Path(path).name)


@functools.cache
def shipped_seed() -> Seed:
    """The seed shipped with the platform, read once per process."""
    return load_seed(SEED_PATH)
