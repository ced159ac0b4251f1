"""A policy book as data: YAML files read with their line numbers, checked, and compiled once per load.

A book is a folder: `book.yaml` (name, titles, the city's division prefix, shared definitions and
the policies in order) and one `<policy>.yaml` per policy. `load_book(folder)` or
`load_book_texts({filename: text})` returns a `Book` or raises `BookInvalid` listing every problem
with its file, line and column, and a suggestion where a name looks misspelt. A book that loads has
had every expression type-checked by compiling it; it never reaches screening otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .language import Month, Node, SyntaxProblem, parse
from .types import DEGREES, Type, TypeProblem, parse_type, suggest

KINDS = ("monthly", "one_time", "annual")
MODES = ("auto", "confirm")
POLICY_ID = re.compile(r"[a-z][a-z0-9_]{1,62}")
BOOK_KEYS = {"name", "title", "city", "definitions", "policies", "description", "missing_feeds", "tiers"}
TIERS = ("A", "B", "C", "D", "E")
POLICY_KEYS = {
    "id", "names", "basis", "kind", "effective", "mode", "budget_pool", "not_with", "caps", "parameters",
    "definitions", "conditions", "amount", "cases", "description", "period", "needs_feeds", "direction",
}  # fmt: skip


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class BookInvalid(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        head = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"the policy book is not valid: {head}{more}")


@dataclass(frozen=True)
class Origin:
    """Where an expression's text starts in its file. For a block scalar (`|`), `column` is where its
    lines start; otherwise where the first line starts (later lines of a folded scalar keep their own)."""

    file: str
    line: int
    column: int
    block: bool = False

    def at(self, line: int, column: int) -> tuple[int, int]:
        if self.block or line == 1:
            return self.line + line - 1, self.column + column - 1
        return self.line + line - 1, column


@dataclass(frozen=True)
class Definition:
    name: str
    expr: Node
    text: str
    origin: Origin
    zh: str = ""
    en: str = ""


@dataclass(frozen=True)
class Condition:
    name: str
    expr: Node
    text: str
    origin: Origin
    zh: str
    en: str


@dataclass(frozen=True)
class Parameter:
    name: str
    type: Type
    values: tuple[tuple[dt.date, object, str], ...]  # (from, value, source), sorted by date
    origin: Origin
    zh: str = ""
    en: str = ""

    def value_for(self, month: Month) -> object:
        first = dt.date(month.year, month.month, 1)
        chosen = None
        for start, value, _ in self.values:
            if start <= first:
                chosen = value
        if chosen is None:  # before every dated value: the earliest applies (stated in the book's check)
            chosen = self.values[0][1]
        return chosen

    def source_for(self, month: Month) -> str:
        first = dt.date(month.year, month.month, 1)
        chosen = self.values[0][2]
        for start, _, source in self.values:
            if start <= first:
                chosen = source
        return chosen


@dataclass(frozen=True)
class Case:
    name: str
    month: Month
    feeds: dict[str, list[dict]]
    expect: dict[str, Decimal]  # person alias -> amount; aliases not listed expect nothing
    origin: Origin


@dataclass(frozen=True)
class Policy:
    id: str
    names: dict[str, str]
    basis: dict[str, str]
    kind: str
    mode: str
    effective_from: dt.date
    effective_to: dt.date | None
    parameters: dict[str, Parameter]
    definitions: dict[str, Definition]
    conditions: tuple[Condition, ...]
    amount: Definition
    not_with: tuple[str, ...] = ()
    budget_pool: dict | None = None
    caps: dict = field(default_factory=dict)
    period: str = "month"  # "month", or "previous_year" for annual settlement in arrears
    needs_feeds: dict[str, str] = field(default_factory=dict)  # feeds the city lacks: name -> why
    direction: str = "payment"  # or "recovery" (追回: the amount is owed back, e.g. a clawback)
    cases: tuple[Case, ...] = ()
    description: str = ""
    file: str = ""
    text: str = ""

    def in_force(self, month: Month) -> bool:
        first = dt.date(month.year, month.month, 1)
        return self.effective_from <= first and (self.effective_to is None or first <= self.effective_to)

    def period_label(self, month: Month) -> str:
        return str(month.year - 1) if self.period == "previous_year" else str(month)


@dataclass(frozen=True)
class Tier:
    """A talent tier (A-E) and the rule that grants it; a person gets the first tier whose rule holds."""

    tier: str
    expr: Node
    text: str
    origin: Origin
    zh: str
    en: str


@dataclass(frozen=True)
class Book:
    name: str
    title: dict[str, str]
    city: str
    definitions: dict[str, Definition]
    policies: tuple[Policy, ...]
    files: dict[str, str]  # filename -> text, as loaded
    description: str = ""
    tiers: tuple[Tier, ...] = ()

    @property
    def version(self) -> str:
        """The content address of the book: sha256 over its files' names and texts (first 16 hex digits)."""
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode() + b"\0" + self.files[name].encode() + b"\0")
        return digest.hexdigest()[:16]

    def policy(self, policy_id: str) -> Policy:
        for p in self.policies:
            if p.id == policy_id:
                return p
        raise KeyError(policy_id)


# ----------------------------------------------------------------------------------------- loading


def load_book(folder: str | Path) -> Book:
    folder = Path(folder)
    if not (folder / "book.yaml").is_file():
        raise BookInvalid([Problem(str(folder / "book.yaml"), 1, 1, "a policy book needs a book.yaml")])
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))}
    return load_book_texts(files)


def load_book_texts(files: dict[str, str]) -> Book:
    """Load a book from `{filename: yaml text}` (book.yaml and the policies it lists)."""
    reader = _Reader()
    book = reader.book(files)
    if reader.problems:
        raise BookInvalid(reader.problems)
    _check_compiles(book, reader)
    if reader.problems:
        raise BookInvalid(reader.problems)
    return book


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, file: str, node: yaml.Node | None, message: str, suggestion: str | None = None) -> None:
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
        self.problems.append(Problem(file, line, column, message, suggestion))

    # -- YAML with positions -----------------------------------------------------------------------

    def compose(self, file: str, text: str) -> yaml.Node | None:
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            self.problems.append(Problem(file, line, column, f"not valid YAML: {getattr(e, 'problem', e)}"))
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problem(file, node, "the file must be a mapping of keys to values")
            return None
        return node

    def mapping(self, file: str, node: yaml.Node, allowed: set[str] | None, what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(file, node, f"{what} must be a mapping")
            return {}
        out = {}
        for key_node, value in node.value:
            key = str(key_node.value)
            if allowed is not None and key not in allowed:
                hint = suggest(key, allowed)
                self.problem(
                    file,
                    key_node,
                    f"unknown key {key!r} in {what}" + (f"; did you mean {hint!r}?" if hint else ""),
                    hint,
                )
                continue
            if key in out:
                self.problem(file, key_node, f"{key!r} appears twice in {what}")
            out[key] = value
        return out

    def text(self, file: str, node: yaml.Node | None, what: str, required: bool = True) -> str:
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode) or (required and not str(node.value).strip()):
            self.problem(file, node, f"{what} must be a text")
            return ""
        return str(node.value)

    def date(self, file: str, node: yaml.Node | None, what: str) -> dt.date | None:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "null", "~")):
            return None
        try:
            return dt.date.fromisoformat(str(node.value))
        except (ValueError, TypeError):
            self.problem(file, node, f"{what} must be a date YYYY-MM-DD, not {getattr(node, 'value', node)!r}")
            return None

    def names(self, file: str, node: yaml.Node | None, what: str) -> dict[str, str]:
        if node is None:
            self.problems.append(Problem(file, 1, 1, f"{what} is missing (zh and en)"))
            return {}
        values = self.mapping(file, node, {"zh", "en"}, what)
        for lang in ("zh", "en"):
            if lang not in values:
                self.problem(file, node, f"{what} needs {lang}")
        return {k: self.text(file, v, f"{what}.{k}") for k, v in values.items()}

    def expression(self, file: str, node: yaml.Node | None, what: str) -> tuple[Node | None, str, Origin]:
        origin = Origin(file, 1, 1)
        if node is None or not isinstance(node, yaml.ScalarNode):
            self.problem(file, node, f"{what} must be an expression (a text)")
            return None, "", origin
        text = str(node.value)
        source = text  # what is parsed: the file's own lines where YAML would fold them (positions stay true)
        block = node.style in ("|", ">")
        buffer = node.start_mark.buffer
        if block:
            indent = _block_indent(node)
            origin = Origin(file, node.start_mark.line + 2, indent + 1, block=True)
            if buffer:
                start = buffer.find("\n", node.start_mark.index) + 1
                raw = buffer[start : node.end_mark.index].split("\n")
                source = "\n".join(line[indent:] for line in raw).rstrip()
        else:
            quote = 1 if node.style in ("'", '"') else 0
            origin = Origin(file, node.start_mark.line + 1, node.start_mark.column + 1 + quote)
            if node.style is None and buffer and node.end_mark.line > node.start_mark.line:
                source = buffer[node.start_mark.index : node.end_mark.index]  # a plain scalar over several lines
        try:
            return parse(source), text, origin
        except SyntaxProblem as e:
            line, column = origin.at(e.line, e.column)
            self.problems.append(Problem(file, line, column, f"{what}: {e.message}"))
            return None, text, origin

    # -- the book -----------------------------------------------------------------------------------

    def book(self, files: dict[str, str]) -> Book:
        if "book.yaml" not in files:
            self.problems.append(Problem("book.yaml", 1, 1, "a policy book needs a book.yaml"))
            return None  # type: ignore[return-value]
        root = self.compose("book.yaml", files["book.yaml"])
        if root is None:
            return None  # type: ignore[return-value]
        keys = self.mapping("book.yaml", root, BOOK_KEYS, "book.yaml")
        for required in ("name", "title", "city", "policies"):
            if required not in keys:
                self.problem("book.yaml", root, f"book.yaml needs {required!r}")
        name = self.text("book.yaml", keys.get("name"), "name")
        city = self.text("book.yaml", keys.get("city"), "city")
        if city and not re.fullmatch(r"\d{2}(\d{2}){0,2}", city):
            self.problem(
                "book.yaml", keys.get("city"), f"city must be a division code prefix of 2, 4 or 6 digits, not {city!r}"
            )
        title = self.names("book.yaml", keys.get("title"), "title") if "title" in keys else {}
        definitions = self.definitions("book.yaml", keys.get("definitions"))
        order: list[tuple[str, yaml.Node]] = []
        pol_node = keys.get("policies")
        if pol_node is not None:
            if not isinstance(pol_node, yaml.SequenceNode) or not pol_node.value:
                self.problem("book.yaml", pol_node, "policies must be a list of policy ids")
            else:
                order = [(str(n.value), n) for n in pol_node.value]
        policies = []
        listed = set()
        for pid, node in order:
            listed.add(f"{pid}.yaml")
            filename = f"{pid}.yaml"
            if filename not in files:
                self.problem("book.yaml", node, f"policy {pid!r} is listed but {filename} is missing")
                continue
            policy = self.policy(filename, files[filename])
            if policy is not None:
                if policy.id != pid:
                    self.problems.append(
                        Problem(
                            filename, 1, 1, f"the file {filename} holds policy {policy.id!r}; its id must be {pid!r}"
                        )
                    )
                policies.append(policy)
        for filename in files:
            if filename != "book.yaml" and filename not in listed:
                self.problems.append(Problem(filename, 1, 1, f"{filename} is not listed in book.yaml's policies"))
        ids = [p.id for p in policies]
        for p in policies:
            for other in p.not_with:
                if other not in ids:
                    hint = suggest(other, ids)
                    self.problems.append(
                        Problem(
                            p.file,
                            1,
                            1,
                            f"not_with names {other!r}, which is not a policy of "
                            f"this book" + (f"; did you mean {hint!r}?" if hint else ""),
                            hint,
                        )
                    )
        description = self.text("book.yaml", keys.get("description"), "description", required=False)
        tiers = self.tiers(keys.get("tiers"))
        return Book(name, title, city, definitions, tuple(policies), dict(files), description, tiers)

    def tiers(self, node: yaml.Node | None) -> tuple[Tier, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem("book.yaml", node, "tiers must be a list of {tier, zh, en, when}, best tier first")
            return ()
        out = []
        for item in node.value:
            tk = self.mapping("book.yaml", item, {"tier", "zh", "en", "when"}, "a tier")
            tier = self.choice("book.yaml", tk.get("tier"), TIERS, "tier")
            if not tier:
                self.problem("book.yaml", item, "a tier needs its letter (A to E)")
            if tier in [t.tier for t in out]:
                self.problem("book.yaml", tk.get("tier"), f"tier {tier} is given twice")
            if out and tier and tier < out[-1].tier:
                self.problem("book.yaml", tk.get("tier"), "tiers must be listed best first (A before B …)")
            for lang in ("zh", "en"):
                if lang not in tk:
                    self.problem("book.yaml", item, f"tier {tier} needs its {lang} wording")
            expr, text, origin = self.expression("book.yaml", tk.get("when"), f"tier {tier}")
            if expr is not None and tier:
                out.append(
                    Tier(
                        tier,
                        expr,
                        text,
                        origin,
                        self.text("book.yaml", tk.get("zh"), "zh"),
                        self.text("book.yaml", tk.get("en"), "en"),
                    )
                )
        return tuple(out)

    def definitions(self, file: str, node: yaml.Node | None) -> dict[str, Definition]:
        out: dict[str, Definition] = {}
        if node is None:
            return out
        for name, value in self.mapping(file, node, None, "definitions").items():
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
                self.problem(file, value, f"definition name {name!r} must be lowercase letters, digits and _")
                continue
            if isinstance(value, yaml.ScalarNode):
                expr, text, origin = self.expression(file, value, f"definition {name}")
                zh = en = ""
            else:
                keys = self.mapping(file, value, {"zh", "en", "expr"}, f"definition {name}")
                expr, text, origin = self.expression(file, keys.get("expr"), f"definition {name}")
                zh = self.text(file, keys.get("zh"), "zh", required=False)
                en = self.text(file, keys.get("en"), "en", required=False)
            if expr is not None:
                out[name] = Definition(name, expr, text, origin, zh, en)
        return out

    def policy(self, file: str, text: str) -> Policy | None:
        root = self.compose(file, text)
        if root is None:
            return None
        before = len(self.problems)
        keys = self.mapping(file, root, POLICY_KEYS, "a policy")
        for required in ("id", "names", "basis", "kind", "effective", "mode", "conditions", "amount"):
            if required not in keys:
                self.problem(file, root, f"a policy needs {required!r}")
        pid = self.text(file, keys.get("id"), "id")
        if pid and not POLICY_ID.fullmatch(pid):
            self.problem(file, keys.get("id"), "id must be lowercase letters, digits and _, starting with a letter")
        names = self.names(file, keys.get("names"), "names") if "names" in keys else {}
        basis = {}
        if "basis" in keys:
            bk = self.mapping(file, keys["basis"], {"document", "number", "url", "article"}, "basis")
            if "document" not in bk:
                self.problem(file, keys["basis"], "basis needs the document it comes from")
            basis = {k: self.text(file, v, f"basis.{k}", required=False) for k, v in bk.items()}
        kind = self.choice(file, keys.get("kind"), KINDS, "kind")
        mode = self.choice(file, keys.get("mode"), MODES, "mode")
        period = "month"
        if "period" in keys:
            period = self.choice(file, keys["period"], ("month", "previous_year"), "period")
        start, end = dt.date(1900, 1, 1), None
        if "effective" in keys:
            ek = self.mapping(file, keys["effective"], {"from", "to"}, "effective")
            start = self.date(file, ek.get("from"), "effective.from") or start
            if "from" not in ek:
                self.problem(file, keys["effective"], "effective needs from")
            end = self.date(file, ek.get("to"), "effective.to")
            if end and end < start:
                self.problem(file, ek.get("to"), "effective.to is before effective.from")
        parameters = self.parameters(file, keys.get("parameters"))
        definitions = self.definitions(file, keys.get("definitions"))
        conditions = self.conditions(file, keys.get("conditions"))
        amount_expr, amount_text, amount_origin = self.expression(file, keys.get("amount"), "amount")
        not_with: tuple[str, ...] = ()
        if "not_with" in keys:
            node = keys["not_with"]
            if isinstance(node, yaml.SequenceNode):
                not_with = tuple(str(n.value) for n in node.value)
            else:
                self.problem(file, node, "not_with must be a list of policy ids")
        budget = None
        if "budget_pool" in keys and not _is_null(keys["budget_pool"]):
            bk = self.mapping(file, keys["budget_pool"], {"name", "amount", "order"}, "budget_pool")
            budget = {"name": self.text(file, bk.get("name"), "budget_pool.name")}
            budget["amount"] = self.decimal(file, bk.get("amount"), "budget_pool.amount")
            budget["order"] = (
                self.choice(file, bk.get("order"), ("first_come", "pro_rata"), "budget_pool.order")
                if "order" in bk
                else "first_come"
            )
        caps = {}
        if "caps" in keys and not _is_null(keys["caps"]):
            ck = self.mapping(file, keys["caps"], {"per_person_total", "periods"}, "caps")
            if "per_person_total" in ck:
                caps["per_person_total"] = self.decimal(file, ck["per_person_total"], "caps.per_person_total")
            if "periods" in ck:
                caps["periods"] = int(self.decimal(file, ck["periods"], "caps.periods") or 0)
        needs = {}
        if "needs_feeds" in keys:
            for fname, why in self.mapping(file, keys["needs_feeds"], None, "needs_feeds").items():
                needs[fname] = self.text(file, why, f"needs_feeds.{fname}")
        direction = "payment"
        if "direction" in keys:
            direction = self.choice(file, keys["direction"], ("payment", "recovery"), "direction")
        cases = self.cases(file, keys.get("cases"))
        description = self.text(file, keys.get("description"), "description", required=False)
        if len(self.problems) > before or amount_expr is None:
            return None
        amount = Definition("amount", amount_expr, amount_text, amount_origin, "金额", "amount")
        return Policy(
            pid,
            names,
            basis,
            kind,
            mode,
            start,
            end,
            parameters,
            definitions,
            conditions,
            amount,
            not_with,
            budget,
            caps,
            period,
            needs,
            direction,
            cases,
            description,
            file,
            text,
        )

    def choice(self, file: str, node: yaml.Node | None, allowed, what: str) -> str:
        value = self.text(file, node, what) if node is not None else ""
        if value and value not in allowed:
            hint = suggest(value, allowed)
            self.problem(
                file,
                node,
                f"{what} must be one of {', '.join(allowed)}, not {value!r}"
                + (f"; did you mean {hint!r}?" if hint else ""),
                hint,
            )
        return value

    def decimal(self, file: str, node: yaml.Node | None, what: str) -> Decimal | None:
        if node is None:
            self.problem(file, node, f"{what} is missing")
            return None
        try:
            value = Decimal(str(node.value))
        except (InvalidOperation, TypeError):
            self.problem(file, node, f"{what} must be a number, not {node.value!r}")
            return None
        if not value.is_finite() or value < 0:
            self.problem(file, node, f"{what} must be a number of at least 0")
            return None
        return value

    def parameters(self, file: str, node: yaml.Node | None) -> dict[str, Parameter]:
        out: dict[str, Parameter] = {}
        if node is None:
            return out
        for name, value in self.mapping(file, node, None, "parameters").items():
            pk = self.mapping(file, value, {"type", "values", "zh", "en"}, f"parameter {name}")
            origin = Origin(file, value.start_mark.line + 1, value.start_mark.column + 1)
            try:
                typ = parse_type(self.text(file, pk.get("type"), f"parameter {name}.type"))
            except ValueError as e:
                self.problem(file, pk.get("type", value), f"parameter {name}: {e}")
                continue
            values_node = pk.get("values")
            if not isinstance(values_node, yaml.SequenceNode) or not values_node.value:
                self.problem(
                    file, values_node or value, f"parameter {name} needs values: a list of {{from, value, source}}"
                )
                continue
            values = []
            for item in values_node.value:
                ik = self.mapping(file, item, {"from", "value", "source"}, f"a value of {name}")
                start = self.date(file, ik.get("from"), f"{name}: from")
                if "source" not in ik:
                    self.problem(file, item, f"every value of {name} must say its source")
                source = self.text(file, ik.get("source"), f"{name}: source") if "source" in ik else ""
                parsed = self.value(file, ik.get("value"), typ, name)
                if start is not None and parsed is not None:
                    values.append((start, parsed, source))
            dates = [v[0] for v in values]
            if len(set(dates)) != len(dates):
                self.problem(file, values_node, f"parameter {name} has two values from the same date")
            if values:
                zh = self.text(file, pk.get("zh"), "zh", required=False)
                en = self.text(file, pk.get("en"), "en", required=False)
                out[name] = Parameter(name, typ, tuple(sorted(values, key=lambda v: v[0])), origin, zh, en)
        return out

    def value(self, file: str, node: yaml.Node | None, typ: Type, name: str) -> object:
        if node is None:
            self.problem(file, node, f"parameter {name} needs a value")
            return None
        if typ.name == "table":
            if not isinstance(node, yaml.MappingNode):
                self.problem(file, node, f"parameter {name} is a {typ}: give a mapping of key: value")
                return None
            table = {}
            for k_node, v_node in node.value:
                key = str(k_node.value)
                if typ.key.name == "degree" and key not in DEGREES:
                    hint = suggest(key, DEGREES)
                    self.problem(
                        file,
                        k_node,
                        f"{key!r} is not a degree ({', '.join(DEGREES)})"
                        + (f"; did you mean {hint!r}?" if hint else ""),
                        hint,
                    )
                    continue
                if typ.key.name == "int":
                    try:
                        key = int(key)
                    except ValueError:
                        self.problem(file, k_node, f"{key!r} is not a whole number")
                        continue
                parsed = self.value(file, v_node, typ.value, name)  # type: ignore[arg-type]
                if parsed is not None:
                    table[key] = parsed
            return table
        if not isinstance(node, yaml.ScalarNode):
            self.problem(file, node, f"parameter {name} is a {typ}: give one value")
            return None
        raw = str(node.value)
        try:
            if typ.name == "int":
                return int(raw)
            if typ.name == "decimal":
                value = Decimal(raw)
                if not value.is_finite():
                    raise ValueError
                return value
            if typ.name == "date":
                return dt.date.fromisoformat(raw)
            if typ.name == "month":
                return Month.parse(raw)
            if typ.name == "bool":
                if raw not in ("true", "false"):
                    raise ValueError
                return raw == "true"
            if typ.name == "degree":
                if raw not in DEGREES:
                    raise ValueError
                return raw
            return raw
        except (ValueError, InvalidOperation):
            self.problem(file, node, f"parameter {name}: {raw!r} is not a {typ}")
            return None

    def conditions(self, file: str, node: yaml.Node | None) -> tuple[Condition, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(file, node, "conditions must be a list of {name, zh, en, when}")
            return ()
        out = []
        seen = set()
        for item in node.value:
            ck = self.mapping(file, item, {"name", "zh", "en", "when"}, "a condition")
            name = self.text(file, ck.get("name"), "condition name")
            if "name" not in ck:
                self.problem(file, item, "a condition needs a name")
            if name in seen:
                self.problem(file, ck.get("name"), f"two conditions are named {name!r}")
            seen.add(name)
            for lang in ("zh", "en"):
                if lang not in ck:
                    self.problem(file, item, f"condition {name!r} needs its {lang} wording")
            expr, text, origin = self.expression(file, ck.get("when"), f"condition {name}")
            if expr is not None:
                out.append(
                    Condition(
                        name,
                        expr,
                        text,
                        origin,
                        self.text(file, ck.get("zh"), "zh"),
                        self.text(file, ck.get("en"), "en"),
                    )
                )
        return tuple(out)

    def cases(self, file: str, node: yaml.Node | None) -> tuple[Case, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.problem(file, node, "cases must be a list")
            return ()
        out = []
        for item in node.value:
            ck = self.mapping(file, item, {"name", "month", "feeds", "expect"}, "a case")
            name = self.text(file, ck.get("name"), "case name")
            try:
                month = Month.parse(str(ck["month"].value))
            except (KeyError, ValueError, AttributeError):
                self.problem(file, ck.get("month", item), f"case {name!r} needs its month as YYYY-MM")
                continue
            data = yaml.safe_load(yaml.serialize(ck["feeds"])) if "feeds" in ck else {}
            expect_raw = yaml.safe_load(yaml.serialize(ck["expect"])) if "expect" in ck else None
            if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
                self.problem(file, ck.get("feeds", item), f"case {name!r}: feeds must map feed names to lists of rows")
                continue
            if expect_raw is None:
                expect_raw = {}
            if not isinstance(expect_raw, dict):
                self.problem(
                    file, ck.get("expect", item), f"case {name!r}: expect maps persons to amounts ({{}} = nobody)"
                )
                continue
            try:
                expect = {str(k): Decimal(str(v)) for k, v in expect_raw.items()}
            except InvalidOperation:
                self.problem(file, ck.get("expect"), f"case {name!r}: every expected amount must be a number")
                continue
            out.append(Case(name, month, data, expect, Origin(file, item.start_mark.line + 1, 1)))
        return tuple(out)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.value in ("", "null", "~")


def _block_indent(node: yaml.ScalarNode) -> int:
    buffer = node.start_mark.buffer
    if not buffer:
        return 2
    start = buffer.find("\n", node.start_mark.index)
    if start < 0:
        return 2
    line = buffer[start + 1 :].split("\n", 1)[0]
    return len(line) - len(line.lstrip(" "))


def _check_compiles(book: Book, reader: _Reader) -> None:
    """Type-check every expression by compiling the book for a month when every policy is in force."""
    from .compiler import Compiler  # noqa: PLC0415 - the compiler imports this module's types

    month = Month(2024, 6)
    compiler = Compiler(book, month)
    for name, d in book.definitions.items():
        _try(reader, d.origin, f"definition {name}", lambda d=d: compiler.expr(d.expr, _book_scope(compiler)))
    for t in book.tiers:
        result = _try(reader, t.origin, f"tier {t.tier}", lambda t=t: compiler.expr(t.expr, _book_scope(compiler)))
        if result is not None and result.type.name not in ("bool", "null"):
            line, column = t.origin.at(1, 1)
            reader.problems.append(
                Problem("book.yaml", line, column, f"tier {t.tier} must be true or false, not a {result.type}")
            )
    for policy in book.policies:
        scope = compiler.scope(policy)
        for c in policy.conditions:
            result = _try(
                reader, c.origin, f"condition {c.name}", lambda c=c, scope=scope: compiler.expr(c.expr, scope)
            )
            if result is not None and result.type.name not in ("bool", "null"):
                line, column = c.origin.at(1, 1)
                reader.problems.append(
                    Problem(
                        c.origin.file, line, column, f"condition {c.name} must be true or false, not a {result.type}"
                    )
                )
        result = _try(
            reader, policy.amount.origin, "amount", lambda p=policy, scope=scope: compiler.expr(p.amount.expr, scope)
        )
        if result is not None and not result.type.numeric:
            line, column = policy.amount.origin.at(1, 1)
            reader.problems.append(Problem(policy.file, line, column, f"amount must be a number, not a {result.type}"))
        for name, d in policy.definitions.items():
            _try(reader, d.origin, f"definition {name}", lambda d=d, scope=scope: compiler.expr(d.expr, scope))


def _book_scope(compiler):
    from .compiler import Scope  # noqa: PLC0415

    return Scope(None, {}, dict(compiler.book.definitions))


def _try(reader: _Reader, origin: Origin, what: str, fn):
    try:
        return fn()
    except TypeProblem as e:
        line, column = origin.at(e.line, e.column)
        reader.problems.append(Problem(origin.file, line, column, f"{what}: {e.message}", e.suggestion))
        return None
