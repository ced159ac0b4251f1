"""The policy book's expression language: a small, safe grammar parsed by Lark into a syntax tree.

An expression is data, never code: it is parsed by a fixed grammar (no `eval`, no attribute access,
no calls but the catalogue's), type-checked against the catalogue of facts (`facts.py`), and only
then compiled to SQL (`compiler.py`). Examples:

    highest_degree >= 'bachelor' and age_on(first_day(M)) < age_limit
    S <= M <= S + 35                                  (chained comparison)
    if(highest_degree == 'bachelor' and double_first_class, 800, rates[highest_degree])
    any(business_registrations, role == 'legal_rep' and in_city(adcode) and month_of(registered) == M)

Literals: numbers (`600`, `0.025`), text in single or double quotes, `true`, `false`, `null`, dates
`@2022-01-01` and months `@2022-01`. Every node keeps its line and column inside the expression, so
problems can be reported at the right place of the book's file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

GRAMMAR = r"""
start: expr

?expr: or_expr
?or_expr: and_expr
        | or_expr "or" and_expr              -> or_
?and_expr: not_expr
         | and_expr "and" not_expr           -> and_
?not_expr: "not" not_expr                    -> not_
         | comparison
?comparison: sum
           | sum (COMP_OP sum)+              -> compare
           | sum "is" "null"                 -> is_null
           | sum "is" "not" "null"           -> is_not_null
           | sum "in" "[" expr ("," expr)* "]"          -> in_
           | sum "not" "in" "[" expr ("," expr)* "]"    -> not_in
?sum: product
    | sum ADD_OP product                     -> binop
?product: unary
        | product MUL_OP unary               -> binop
?unary: "-" unary                            -> neg
      | postfix
?postfix: atom
        | postfix "[" expr "]"               -> index
?atom: NUMBER                                -> number
     | STRING                                -> string
     | DATE                                  -> date
     | MONTH                                 -> month
     | "true"                                -> true
     | "false"                               -> false
     | "null"                                -> null
     | NAME "(" [expr ("," expr)*] ")"       -> call
     | NAME                                  -> name
     | "(" expr ")"

COMP_OP: "==" | "!=" | "<=" | ">=" | "<" | ">"
ADD_OP: "+" | "-"
MUL_OP: "*" | "/"
DATE.3: /@\d{4}-\d{2}-\d{2}/
MONTH.2: /@\d{4}-\d{2}/
NUMBER: /\d+(\.\d+)?/
STRING: /'[^'\n]*'/ | /"[^"\n]*"/
NAME: /[A-Za-z_][A-Za-z0-9_]*/
COMMENT: /#[^\n]*/

%import common.WS
%ignore WS
%ignore COMMENT
"""

KEYWORDS = frozenset({"and", "or", "not", "is", "null", "in", "true", "false"})


# ---------------------------------------------------------------------------------------------- nodes


@dataclass(frozen=True)
class Node:
    line: int = field(default=1, kw_only=True, compare=False)
    column: int = field(default=1, kw_only=True, compare=False)


@dataclass(frozen=True)
class Literal(Node):
    value: object  # bool, int, Decimal, str, dt.date, Month, None
    kind: str  # "bool", "int", "decimal", "text", "date", "month", "null"


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Index(Node):
    target: Node
    key: Node


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-" or "not"
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str  # + - * / and or
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare(Node):
    """`a < b <= c` is `a < b and b <= c` (each operand evaluated once in meaning)."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]


@dataclass(frozen=True)
class IsNull(Node):
    operand: Node
    negated: bool


@dataclass(frozen=True)
class In(Node):
    operand: Node
    choices: tuple[Node, ...]
    negated: bool


@dataclass(frozen=True)
class Month:
    """A calendar month as a literal value; `index` counts months from year 0 (year * 12 + month - 1)."""

    year: int
    month: int

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    @classmethod
    def parse(cls, text: str) -> Month:
        year, month = text.split("-")
        value = cls(int(year), int(month))
        if not 1 <= value.month <= 12:
            raise ValueError(f"{text} is not a month")
        return value

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class SyntaxProblem(ValueError):
    """The text is not an expression of the language; `line`/`column` are 1-based inside the text."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# ------------------------------------------------------------------------------------------ parsing


def _pos(token_or_meta) -> dict:
    return {"line": getattr(token_or_meta, "line", 1) or 1, "column": getattr(token_or_meta, "column", 1) or 1}


@v_args(meta=True)
class _Build(Transformer):
    def start(self, meta, children):
        return children[0]

    def or_(self, meta, c):
        return Binary("or", c[0], c[1], **_pos(meta))

    def and_(self, meta, c):
        return Binary("and", c[0], c[1], **_pos(meta))

    def not_(self, meta, c):
        return Unary("not", c[0], **_pos(meta))

    def compare(self, meta, c):
        operands = tuple(c[0::2])
        ops = tuple(str(t) for t in c[1::2])
        return Compare(operands, ops, **_pos(meta))

    def is_null(self, meta, c):
        return IsNull(c[0], negated=False, **_pos(meta))

    def is_not_null(self, meta, c):
        return IsNull(c[0], negated=True, **_pos(meta))

    def in_(self, meta, c):
        return In(c[0], tuple(c[1:]), negated=False, **_pos(meta))

    def not_in(self, meta, c):
        return In(c[0], tuple(c[1:]), negated=True, **_pos(meta))

    def binop(self, meta, c):
        return Binary(str(c[1]), c[0], c[2], **_pos(meta))

    def neg(self, meta, c):
        operand = c[0]
        if isinstance(operand, Literal) and operand.kind in ("int", "decimal"):
            return Literal(-operand.value, operand.kind, **_pos(meta))  # type: ignore[operator]
        return Unary("-", operand, **_pos(meta))

    def index(self, meta, c):
        return Index(c[0], c[1], **_pos(meta))

    def number(self, meta, c):
        text = str(c[0])
        if "." in text:
            return Literal(Decimal(text), "decimal", **_pos(c[0]))
        return Literal(int(text), "int", **_pos(c[0]))

    def string(self, meta, c):
        return Literal(str(c[0])[1:-1], "text", **_pos(c[0]))

    def date(self, meta, c):
        text = str(c[0])[1:]
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            raise SyntaxProblem(f"@{text} is not a date that exists", **_pos(c[0])) from None
        return Literal(value, "date", **_pos(c[0]))

    def month(self, meta, c):
        text = str(c[0])[1:]
        try:
            value = Month.parse(text)
        except ValueError:
            raise SyntaxProblem(f"@{text} is not a month (YYYY-MM, 01 to 12)", **_pos(c[0])) from None
        return Literal(value, "month", **_pos(c[0]))

    def true(self, meta, c):
        return Literal(True, "bool", **_pos(meta))

    def false(self, meta, c):
        return Literal(False, "bool", **_pos(meta))

    def null(self, meta, c):
        return Literal(None, "null", **_pos(meta))

    def call(self, meta, c):
        name = c[0]
        args = tuple(a for a in c[1:] if a is not None)
        return Call(str(name), args, **_pos(name))

    def name(self, meta, c):
        return Name(str(c[0]), **_pos(c[0]))


_PARSER = Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=True)


def parse(text: str) -> Node:
    """Parse one expression; raises `SyntaxProblem` with the position and what was expected."""
    if not isinstance(text, str) or not text.strip():
        raise SyntaxProblem("an expression is needed here", 1, 1)
    try:
        tree = _PARSER.parse(text)
    except UnexpectedCharacters as e:
        raise SyntaxProblem(f"unexpected character {text[e.pos_in_stream]!r}", e.line, e.column) from None
    except UnexpectedEOF as e:
        expected = ", ".join(sorted(_readable(t) for t in e.expected)[:6])
        line, column = _end(text)
        raise SyntaxProblem(f"the expression ends too early (expected {expected})", line, column) from None
    except UnexpectedToken as e:
        expected = ", ".join(sorted(_readable(t) for t in e.expected)[:6])
        token = e.token
        if token.type == "$END":
            line, column = _end(text)
            raise SyntaxProblem(f"the expression ends too early (expected {expected})", line, column) from None
        raise SyntaxProblem(f"unexpected {str(token)!r} (expected {expected})", e.line, e.column) from None
    except UnexpectedInput as e:  # pragma: no cover - the three above are the concrete kinds
        raise SyntaxProblem("not an expression", getattr(e, "line", 1), getattr(e, "column", 1)) from None
    try:
        return _Build().transform(tree)
    except Exception as e:  # a SyntaxProblem raised inside the transformer arrives wrapped
        inner = getattr(e, "orig_exc", e)
        if isinstance(inner, SyntaxProblem):
            raise inner from None
        raise


_TOKEN_NAMES = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a text",
    "DATE": "a date",
    "MONTH": "a month",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "COMP_OP": "a comparison",
    "ADD_OP": "'+' or '-'",
    "MUL_OP": "'*' or '/'",
    "MINUS": "'-'",
}


def _readable(token_type: str) -> str:
    if token_type in _TOKEN_NAMES:
        return _TOKEN_NAMES[token_type]
    return token_type.lower().strip("_")


def _end(text: str) -> tuple[int, int]:
    lines = text.rstrip().split("\n")
    return len(lines), len(lines[-1]) + 1


def names_in(node: Node) -> list[Name]:
    """Every `Name` in the tree (not call names), in reading order."""
    found: list[Name] = []

    def walk(n: Node) -> None:
        if isinstance(n, Name):
            found.append(n)
        for child in children(n):
            walk(child)

    walk(node)
    return found


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Index):
        return (node.target, node.key)
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Compare):
        return node.operands
    if isinstance(node, IsNull):
        return (node.operand,)
    if isinstance(node, In):
        return (node.operand, *node.choices)
    return ()


__all__ = [
    "KEYWORDS",
    "Binary",
    "Call",
    "Compare",
    "In",
    "Index",
    "IsNull",
    "Literal",
    "Month",
    "Name",
    "Node",
    "SyntaxProblem",
    "Token",
    "Unary",
    "children",
    "names_in",
    "parse",
]
