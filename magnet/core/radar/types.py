"""The types of the expression language, and the problems found while checking a book."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

DEGREES = ("associate", "bachelor", "master", "doctor")  # policy-book.md: the degree order
DEGREE_RANK = {name: rank for rank, name in enumerate(DEGREES, start=1)}


@dataclass(frozen=True)
class Type:
    """`bool`, `int`, `decimal`, `text`, `date`, `month`, `degree`, `null`, or `table` (key -> value)."""

    name: str
    key: Type | None = None
    value: Type | None = None

    def __str__(self) -> str:
        if self.name == "table":
            return f"table[{self.key}, {self.value}]"
        return self.name

    @property
    def numeric(self) -> bool:
        return self.name in ("int", "decimal", "null")


BOOL, INT, DECIMAL, TEXT, DATE, MONTH, DEGREE, NULL = (
    Type(n) for n in ("bool", "int", "decimal", "text", "date", "month", "degree", "null")
)
SCALARS = {t.name: t for t in (BOOL, INT, DECIMAL, TEXT, DATE, MONTH, DEGREE)}


def parse_type(text: str) -> Type:
    """`int`, `decimal`, …, or `table[degree, decimal]`; raises ValueError with what is allowed."""
    text = text.strip()
    if text in SCALARS:
        return SCALARS[text]
    if text.startswith("table[") and text.endswith("]"):
        parts = [p.strip() for p in text[6:-1].split(",")]
        if len(parts) == 2 and parts[0] in ("degree", "text", "int") and parts[1] in SCALARS:
            return Type("table", SCALARS[parts[0]], SCALARS[parts[1]])
    allowed = ", ".join(SCALARS) + ", table[degree|text|int, <type>]"
    raise ValueError(f"unknown type {text!r}; the types are {allowed}")


def suggest(word: str, candidates) -> str | None:
    """The closest candidate to a misspelt word, if any is close enough."""
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


class TypeProblem(ValueError):
    """An expression that parses but means nothing: unknown name, wrong type, wrong arguments.

    `line` and `column` are positions inside the expression text (1-based); `suggestion` is a name the
    author probably meant.
    """

    def __init__(self, message: str, line: int = 1, column: int = 1, suggestion: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.suggestion = suggestion
