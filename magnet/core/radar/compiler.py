"""Compiling a policy book to SQL: type-checking its expressions against the catalogue of facts and
building one query as a sqlglot syntax tree, rendered for DuckDB (the embedded default) or Spark.

The query has three layers, all common table expressions:

1. per-person relations derived from the snapshot as of month M (`r_person`, `r_hd` the highest
   degree, `r_si` the social-insurance months as lists, `r_home`, `r_fh` the first home, `r_cert`),
   only those the book uses;
2. `r_base`: persons joined with those relations, one row per person, and `q<n>`: one aggregate per
   row quantifier (`any(feed, …)`, `count(feed, …)`, …) over the feed joined with `r_base`;
3. `r_wide`: per person and policy, whether it is eligible and the amount (and, for explanations,
   every condition and every fact's value).

The screening and the explanation of one person are the same query: the explanation only restricts
every feed to the person and selects more columns. Nothing is pasted into SQL text: values become
literals of the tree, and the catalogue's templates are parsed once and filled with subtrees.
"""

# ruff: noqa: S608 - no SQL string is assembled here; templates are fixed text parsed by sqlglot

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import sqlglot
from sqlglot import exp

from .language import Binary, Call, Compare, In, Index, IsNull, Literal, Month, Name, Node, Unary
from .types import BOOL, DATE, DECIMAL, DEGREE, DEGREE_RANK, DEGREES, INT, MONTH, NULL, TEXT, Type, TypeProblem, suggest

# ------------------------------------------------------------------------------------ SQL templates


@cache
def _template(text: str) -> exp.Expression:
    return sqlglot.parse_one(text, read="duckdb")


def sql(text: str, **parts: exp.Expression) -> exp.Expression:
    """A fixed DuckDB-syntax template with `_name` placeholders replaced by the given subtrees."""

    def fill(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in parts:
            return _grouped(parts[node.name].copy())
        return node

    return _grouped(_template(text).copy().transform(fill))


def _grouped(node: exp.Expression) -> exp.Expression:
    """An operator subtree in parentheses, so that it keeps its meaning wherever it is put (the generator
    writes the tree's operators without adding parentheses of its own)."""
    if isinstance(node, exp.Binary | exp.Unary | exp.Between | exp.Is) and not isinstance(node, exp.Paren):
        return exp.Paren(this=node)
    return node


def col(name: str, table: str = "b") -> exp.Column:
    return exp.column(name, table)


def lit(value: object) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, Decimal):
        return exp.Literal.number(format(value, "f"))
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build("DATE"))
    if isinstance(value, Month):
        return exp.Literal.number(value.index)
    if isinstance(value, str):
        return exp.Literal.string(value)
    raise TypeError(f"no literal for {value!r}")


def month_index(date_sql: exp.Expression) -> exp.Expression:
    return sql("year(_d) * 12 + month(_d) - 1", _d=date_sql)


def month_first_day(month_sql: exp.Expression) -> exp.Expression:
    return sql("make_date(CAST(_m // 12 AS INT), CAST(_m % 12 + 1 AS INT), 1)", _m=month_sql)


def add_months(date_sql: exp.Expression, months: exp.Expression) -> exp.Expression:
    return exp.cast(exp.AddMonths(this=date_sql, expression=months), exp.DataType.build("DATE"))


def in_city(adcode_sql: exp.Expression, city: str) -> exp.Expression:
    return sql("substr(_a, 1, _n) = _c", _a=adcode_sql, _n=lit(len(city)), _c=lit(city))


def is_true(condition: exp.Expression) -> exp.Expression:
    """A condition whose value is empty (SQL NULL) counts as not met."""
    return exp.func("coalesce", condition, exp.false())


def decimal_2(value: exp.Expression) -> exp.Expression:
    return exp.cast(sql("round(_v, 2)", _v=value), exp.DataType.build("DECIMAL(18, 2)"))


# ------------------------------------------------------------------------------- the feeds' columns

# Columns of the person-keyed feeds as the language sees them inside a row quantifier.
FEED_COLUMNS: dict[str, dict[str, Type]] = {
    "education": {
        "degree": DEGREE,
        "full_time": BOOL,
        "school_code": TEXT,
        "school_name": TEXT,
        "double_first_class": BOOL,
        "major_code": TEXT,
        "major_name": TEXT,
        "graduation_date": DATE,
    },
    "social_insurance": {"month": MONTH, "kind": TEXT, "employer_uscc": TEXT, "adcode": TEXT, "base": DECIMAL},
    "property": {
        "property_id": TEXT,
        "adcode": TEXT,
        "use": TEXT,
        "contract_date": DATE,
        "price": DECIMAL,
        "sold_date": DATE,
    },
    "skill_certs": {"occupation_code": TEXT, "level": INT, "issued": DATE},
    "business_registrations": {
        "uscc": TEXT,
        "role": TEXT,
        "registered": DATE,
        "adcode": TEXT,
        "deregistered": DATE,
    },
}

# What "as of M" keeps of each feed (policy-book.md, shared definitions): `_e` is M's last day.
AS_OF = {
    "education": "_r.graduation_date <= _e",
    "social_insurance": "_r.month <= _s",
    "property": "_r.contract_date <= _e",
    "skill_certs": "_r.issued <= _e",
    "business_registrations": "_r.registered <= _e",
}


def as_of(feed: str, alias: str, month: Month) -> exp.Expression:
    first = dt.date(month.year, month.month, 1)
    last = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1) - dt.timedelta(days=1)
    text = AS_OF[feed].replace("_r.", f"{alias}.")
    return sql(text, _e=lit(last), _s=lit(first))


def row_column(feed: str, name: str, alias: str = "r") -> exp.Expression:
    """A feed column as the language sees it: months as month numbers, degrees as ranks."""
    typ = FEED_COLUMNS[feed][name]
    ref = exp.column(name, alias)
    if typ == MONTH:
        return month_index(ref)
    if typ == DEGREE:
        return degree_rank(ref)
    return ref


def degree_rank(text_sql: exp.Expression) -> exp.Expression:
    case = exp.Case(this=text_sql)
    for name, rank in DEGREE_RANK.items():
        case = case.when(lit(name), lit(rank))
    return case


# ---------------------------------------------------------------------------- the catalogue of facts


@dataclass(frozen=True)
class Fact:
    """A named fact about a person as of M: its type, the relations and feeds it needs, its SQL."""

    name: str
    type: Type
    zh: str
    en: str
    relations: tuple[str, ...]
    feeds: tuple[str, ...]
    build: Callable[[Compiler], exp.Expression]


@dataclass(frozen=True)
class Function:
    """A function of the language: argument types (None = any), result type (or a rule), its SQL."""

    name: str
    zh: str
    en: str
    args: tuple[Type | None, ...]
    result: Type | Callable[[list[Type]], Type]
    relations: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    fact: bool = False  # a fact about the person (shown in explanations), not pure arithmetic
    build: Callable[..., exp.Expression] | None = None
    variadic: bool = False


def _g(c: Compiler) -> exp.Expression:
    return month_index(col("hd_date"))


FACTS: dict[str, Fact] = {
    f.name: f
    for f in [
        Fact("birth_date", DATE, "出生日期", "date of birth", ("person",), ("persons",), lambda c: col("birth_date")),
        Fact("gender", TEXT, "性别", "gender", ("person",), ("persons",), lambda c: col("gender")),
        Fact(
            "hukou_adcode", TEXT, "户籍地区划代码", "hukou division", ("person",), ("persons",), lambda c: col("hukou")
        ),
        Fact(
            "highest_degree",
            DEGREE,
            "最高全日制学历",
            "highest full-time degree",
            ("hd",),
            ("education",),
            lambda c: col("hd_rank"),
        ),
        Fact(
            "graduation_date",
            DATE,
            "最高学历毕业日期",
            "graduation date of the highest degree",
            ("hd",),
            ("education",),
            lambda c: col("hd_date"),
        ),
        Fact(
            "graduation_month",
            MONTH,
            "最高学历毕业月份",
            "graduation month of the highest degree",
            ("hd",),
            ("education",),
            _g,
        ),
        Fact(
            "double_first_class",
            BOOL,
            "最高学历院校为双一流",
            "highest degree from a double-first-class school",
            ("hd",),
            ("education",),
            lambda c: col("hd_dfc"),
        ),
        Fact(
            "major_code",
            TEXT,
            "最高学历专业代码",
            "major code of the highest degree",
            ("hd",),
            ("education",),
            lambda c: col("hd_major"),
        ),
        Fact(
            "school_code",
            TEXT,
            "最高学历院校代码",
            "school code of the highest degree",
            ("hd",),
            ("education",),
            lambda c: col("hd_school"),
        ),
        Fact(
            "arrival_month",
            MONTH,
            "来本市就业月份",
            "arrival month (first month employed in the city after graduating)",
            ("hd", "si_emp_city"),
            ("education", "social_insurance"),
            lambda c: sql("list_min(list_filter(_l, lx -> lx >= _g))", _l=col("si_emp_city"), _g=_g(c)),
        ),
        Fact(
            "first_insured_month",
            MONTH,
            "首次在本市参加职工社保月份",
            "first month employed in the city",
            ("si_emp_city",),
            ("social_insurance",),
            lambda c: sql("list_min(_l)", _l=col("si_emp_city")),
        ),
        Fact(
            "first_home_date",
            DATE,
            "本市首套住房网签日期",
            "contract date of the first home in the city",
            ("fh",),
            ("property",),
            lambda c: col("fh_date"),
        ),
        Fact(
            "first_home_month",
            MONTH,
            "本市首套住房网签月份",
            "contract month of the first home in the city",
            ("fh",),
            ("property",),
            lambda c: month_index(col("fh_date")),
        ),
        Fact(
            "first_home_price",
            DECIMAL,
            "本市首套住房价格",
            "price of the first home in the city",
            ("fh",),
            ("property",),
            lambda c: col("fh_price"),
        ),
        Fact(
            "first_home_sold_date",
            DATE,
            "本市首套住房出售日期",
            "date the first home in the city was sold",
            ("fh",),
            ("property",),
            lambda c: col("fh_sold"),
        ),
        Fact(
            "best_cert_level",
            INT,
            "最高技能等级（1为高级技师）",
            "best skill level held (1 = senior technician)",
            ("cert",),
            ("skill_certs",),
            lambda c: col("cert_best"),
        ),
    ]
}


def _number_result(types: list[Type]) -> Type:
    return DECIMAL if any(t == DECIMAL for t in types) else INT


def _same_result(types: list[Type]) -> Type:
    known = [t for t in types if t != NULL]
    if not known:
        return NULL
    if all(t.numeric for t in known):
        return _number_result(known)
    return known[0]


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in [
        Function(
            "age_on",
            "某日的周岁年龄",
            "age in completed years on a day",
            (DATE,),
            INT,
            ("person",),
            ("persons",),
            True,
            lambda c, d: sql(
                "year(_d) - year(_b) - CASE WHEN month(_d) * 100 + day(_d) < month(_b) * 100 + "
                "day(_b) THEN 1 ELSE 0 END",
                _d=d,
                _b=col("birth_date"),
            ),
        ),
        Function(
            "employed_in_city",
            "当月在本市参加职工社保",
            "employed in the city in the month",
            (MONTH,),
            BOOL,
            ("si_emp_city",),
            ("social_insurance",),
            True,
            lambda c, m: is_true(sql("list_contains(_l, _m)", _l=col("si_emp_city"), _m=m)),
        ),
        Function(
            "employed",
            "当月在任何地方参加职工社保",
            "employed anywhere in the month",
            (MONTH,),
            BOOL,
            ("si_emp_any",),
            ("social_insurance",),
            True,
            lambda c, m: is_true(sql("list_contains(_l, _m)", _l=col("si_emp_any"), _m=m)),
        ),
        Function(
            "months_employed_in_city",
            "期间内在本市参加职工社保的月数",
            "months employed in the city from one month to another (both included)",
            (MONTH, MONTH),
            INT,
            ("si_emp_city",),
            ("social_insurance",),
            True,
            lambda c, a, z: sql(
                "CASE WHEN _l IS NULL THEN 0 ELSE array_length(list_filter(_l, lx -> lx >= _a AND lx <= _z)) END",
                _l=col("si_emp_city"),
                _a=a,
                _z=z,
            ),
        ),
        Function(
            "flexible_base_in_city",
            "当月在本市灵活就业参保的缴费基数（多条取最大）",
            "contribution base of flexible insurance in the city in the month (the largest)",
            (MONTH,),
            DECIMAL,
            ("si_flex_city",),
            ("social_insurance",),
            True,
            lambda c, m: sql(
                "list_max(list_transform(list_filter(_l, lx -> lx.m = _m), lx -> lx.v))", _l=col("si_flex_city"), _m=m
            ),
        ),
        Function(
            "holds_home_on",
            "当日在本市持有住房",
            "holds a home in the city on the day",
            (DATE,),
            BOOL,
            ("home",),
            ("property",),
            True,
            lambda c, d: sql(
                "CASE WHEN _l IS NULL THEN false ELSE array_length(list_filter(_l, lx -> lx.c <= _d "
                "AND (lx.s IS NULL OR lx.s > _d))) > 0 END",
                _l=col("home_list"),
                _d=d,
            ),
        ),
        Function(
            "best_cert_level_issued_in",
            "当月取得的最高技能等级",
            "best skill level of certificates issued in the month",
            (MONTH,),
            INT,
            ("cert",),
            ("skill_certs",),
            True,
            lambda c, m: sql(
                "list_min(list_transform(list_filter(_l, lx -> lx.m = _m), lx -> lx.v))", _l=col("cert_list"), _m=m
            ),
        ),
        # pure functions
        Function(
            "if",
            "如果",
            "if",
            (BOOL, None, None),
            lambda ts: _same_result(ts[1:]),
            build=lambda c, cond, a, b: exp.If(this=is_true(cond), true=a, false=b),
        ),
        Function(
            "min",
            "较小值",
            "smallest",
            (None, None),
            _same_result,
            variadic=True,
            build=lambda c, *xs: exp.func("least", *xs),
        ),
        Function(
            "max",
            "较大值",
            "largest",
            (None, None),
            _same_result,
            variadic=True,
            build=lambda c, *xs: exp.func("greatest", *xs),
        ),
        Function(
            "coalesce",
            "第一个非空值",
            "first non-empty value",
            (None, None),
            _same_result,
            variadic=True,
            build=lambda c, *xs: exp.func("coalesce", *xs),
        ),
        Function(
            "round",
            "四舍五入",
            "round half up",
            (DECIMAL, INT),
            DECIMAL,
            build=lambda c, x, n: sql("round(_x, _n)", _x=x, _n=n),
        ),
        Function(
            "first_day", "当月第一天", "first day of the month", (MONTH,), DATE, build=lambda c, m: month_first_day(m)
        ),
        Function(
            "last_day",
            "当月最后一天",
            "last day of the month",
            (MONTH,),
            DATE,
            build=lambda c, m: sql("last_day(_d)", _d=month_first_day(m)),
        ),
        Function("month_of", "日期所在月份", "month of a date", (DATE,), MONTH, build=lambda c, d: month_index(d)),
        Function(
            "add_years",
            "加若干年（2月29日对应2月28日）",
            "the same day some years later (29 February -> 28 February)",
            (DATE, INT),
            DATE,
            build=lambda c, d, n: add_months(d, sql("_n * 12", _n=n)),
        ),
        Function(
            "add_days",
            "加若干天",
            "some days later",
            (DATE, INT),
            DATE,
            build=lambda c, d, n: exp.cast(
                exp.DateAdd(this=d, expression=n, unit=exp.var("DAY")), exp.DataType.build("DATE")
            ),
        ),
        Function("year", "年份", "year", (None,), INT, build=None),
        Function("month_number", "月份序号（1-12）", "month of the year (1-12)", (None,), INT, build=None),
        Function(
            "in_city",
            "区划代码在本市",
            "division code in the city",
            (TEXT,),
            BOOL,
            build=lambda c, a: in_city(a, c.city),
        ),
        Function(
            "starts_with",
            "以…开头",
            "starts with",
            (TEXT, TEXT),
            BOOL,
            build=lambda c, a, p: sql("substr(_a, 1, length(_p)) = _p", _a=a, _p=p),
        ),
    ]
}

QUANTIFIERS = {
    "any": ("是否存在", "whether any row"),
    "count": ("行数", "number of rows"),
    "sum_of": ("合计", "sum"),
    "min_of": ("最小值", "smallest"),
    "max_of": ("最大值", "largest"),
    "distinct_count": ("不同取值的个数", "number of distinct values"),
}
SPECIAL = {"eligible": ("符合政策", "eligible for the policy")}


# ------------------------------------------------------------------------------ compiling expressions


@dataclass
class Compiled:
    sql: exp.Expression
    type: Type


@dataclass
class Atom:
    """A value shown in an explanation: a fact, a definition, a parameter or a fact function's result."""

    key: str  # the expression text, as the author wrote it (normalised)
    kind: str  # "fact", "definition", "parameter", "quantifier", "eligible"
    sql: exp.Expression
    type: Type
    zh: str
    en: str


@dataclass
class Quantifier:
    alias: str
    feed: str
    kind: str
    value: exp.Expression | None
    predicate: exp.Expression


@dataclass
class Scope:
    """What names mean while compiling one policy's expressions."""

    policy: object  # book.Policy (duck-typed to avoid a cycle)
    parameters: dict[str, tuple[Type, object]]
    definitions: dict[str, object]  # name -> book.Definition
    row_feed: str | None = None
    stack: tuple[str, ...] = ()  # definitions and policies being expanded (cycle detection)


@dataclass
class Compiler:
    """Compiles the expressions of one book for one month; collects what the query must compute."""

    book: object  # book.Book
    month: Month
    relations: set[str] = field(default_factory=set)
    feeds: set[str] = field(default_factory=set)
    quantifiers: list[Quantifier] = field(default_factory=list)
    atoms: dict[str, Atom] | None = None  # collected only when explaining
    # Facts computed once per person in the `r_facts` layer: column name -> expression over `r_base`.
    hoisted: dict[str, exp.Expression] = field(default_factory=dict)
    _hoisted_keys: dict[str, str] = field(default_factory=dict)
    _row_scope: bool = False

    def hoist(self, value: exp.Expression) -> exp.Expression:
        """A fact's expression becomes a column of `r_facts`, computed once per person however many
        conditions use it (inside a row quantifier, and when it uses another hoisted fact, it stays inline)."""
        if self._row_scope or any(c.name.startswith("fc_") for c in value.find_all(exp.Column)):
            return value
        key = value.sql()
        name = self._hoisted_keys.get(key)
        if name is None:
            name = self._hoisted_keys[key] = f"fc_{len(self._hoisted_keys)}"
            self.hoisted[name] = value
        return col(name)

    @property
    def city(self) -> str:
        return self.book.city

    # -- entry points -----------------------------------------------------------------------------

    def scope(self, policy) -> Scope:
        params = {name: (p.type, p.value_for(self.month)) for name, p in policy.parameters.items()}
        # parameters show as values in explanations
        defs = dict(self.book.definitions)
        defs.update(policy.definitions)
        return Scope(policy, params, defs, stack=(policy.id,))

    def expr(self, node: Node, scope: Scope) -> Compiled:
        method = getattr(self, "_" + type(node).__name__.lower())
        return method(node, scope)

    # -- nodes ------------------------------------------------------------------------------------

    def _literal(self, node: Literal, scope: Scope) -> Compiled:
        types = {"bool": BOOL, "int": INT, "decimal": DECIMAL, "text": TEXT, "date": DATE, "month": MONTH}
        return Compiled(lit(node.value), types.get(node.kind, NULL))

    def _name(self, node: Name, scope: Scope) -> Compiled:
        name = node.name
        if scope.row_feed is not None and name in FEED_COLUMNS[scope.row_feed]:
            return Compiled(row_column(scope.row_feed, name), FEED_COLUMNS[scope.row_feed][name])
        if name == "M":
            return Compiled(lit(self.month), MONTH)
        if name in scope.parameters:
            typ, value = scope.parameters[name]
            if typ.name == "table":
                raise TypeProblem(f"{name} is a table: use {name}[key]", node.line, node.column)
            result = Compiled(_typed_literal(value, typ), typ)
            param = scope.policy.parameters.get(name) if scope.policy is not None else None
            self._atom(name, "parameter", result, (param and param.zh) or name, (param and param.en) or name)
            return result
        if name in scope.definitions:
            return self._definition(node, scope.definitions[name], scope)
        if name in FACTS:
            fact = FACTS[name]
            self.relations.update(fact.relations)
            self.feeds.update(fact.feeds)
            result = Compiled(self.hoist(fact.build(self)), fact.type)
            self._atom(name, "fact", result, fact.zh, fact.en)
            return result
        if name in FUNCTIONS or name in QUANTIFIERS or name in SPECIAL:
            raise TypeProblem(f"{name} is a function: call it as {name}(…)", node.line, node.column)
        known = self._known_names(scope)
        hint = suggest(name, known)
        message = f"unknown name {name!r}" + (f"; did you mean {hint!r}?" if hint else "")
        raise TypeProblem(message, node.line, node.column, hint)

    def _definition(self, node: Name, definition, scope: Scope) -> Compiled:
        if definition.name in scope.stack:
            chain = " -> ".join((*scope.stack, definition.name))
            raise TypeProblem(f"{definition.name} is defined in terms of itself ({chain})", node.line, node.column)
        inner = Scope(
            scope.policy, scope.parameters, scope.definitions, scope.row_feed, (*scope.stack, definition.name)
        )
        try:
            result = self.expr(definition.expr, inner)
        except TypeProblem as e:
            raise TypeProblem(
                f"in the definition of {definition.name}: {e.message}", node.line, node.column, e.suggestion
            ) from None
        self._atom(
            definition.name, "definition", result, definition.zh or definition.name, definition.en or definition.name
        )
        return result

    def _index(self, node: Index, scope: Scope) -> Compiled:
        if not isinstance(node.target, Name) or node.target.name not in scope.parameters:
            raise TypeProblem(
                "only a table parameter can be indexed, as in rates[highest_degree]", node.line, node.column
            )
        typ, value = scope.parameters[node.target.name]
        if typ.name != "table":
            raise TypeProblem(f"{node.target.name} is a {typ}, not a table", node.line, node.column)
        key = self.expr(node.key, scope)
        self._expect(key, typ.key, node.key, f"the key of {node.target.name}")
        key_sql = self._degree(key, node.key) if typ.key == DEGREE else key.sql
        case = exp.Case(this=key_sql)
        for k, v in value.items():
            case = case.when(lit(DEGREE_RANK[k] if typ.key == DEGREE else k), _typed_literal(v, typ.value))
        return Compiled(case, typ.value)

    def _unary(self, node: Unary, scope: Scope) -> Compiled:
        inner = self.expr(node.operand, scope)
        if node.op == "not":
            self._expect(inner, BOOL, node.operand, "not")
            return Compiled(exp.Not(this=exp.Paren(this=inner.sql)), BOOL)
        if not inner.type.numeric:
            raise TypeProblem(f"cannot negate a {inner.type}", node.line, node.column)
        return Compiled(exp.Neg(this=exp.Paren(this=inner.sql)), inner.type)

    def _binary(self, node: Binary, scope: Scope) -> Compiled:
        left = self.expr(node.left, scope)
        right = self.expr(node.right, scope)
        if node.op in ("and", "or"):
            self._expect(left, BOOL, node.left, node.op)
            self._expect(right, BOOL, node.right, node.op)
            klass = exp.And if node.op == "and" else exp.Or
            return Compiled(exp.Paren(this=klass(this=left.sql, expression=right.sql)), BOOL)
        lt, rt = left.type, right.type
        if node.op in ("+", "-") and lt == MONTH and rt.numeric:
            klass = exp.Add if node.op == "+" else exp.Sub
            return Compiled(exp.Paren(this=klass(this=left.sql, expression=right.sql)), MONTH)
        if node.op == "+" and lt.numeric and rt == MONTH:
            return Compiled(exp.Paren(this=exp.Add(this=left.sql, expression=right.sql)), MONTH)
        if node.op == "-" and lt == MONTH and rt == MONTH:
            return Compiled(exp.Paren(this=exp.Sub(this=left.sql, expression=right.sql)), INT)
        if lt.numeric and rt.numeric:
            if node.op == "/":
                num = exp.cast(left.sql, exp.DataType.build("DECIMAL(38, 10)"))
                return Compiled(exp.Paren(this=exp.Div(this=num, expression=right.sql)), DECIMAL)
            klass = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul}[node.op]
            return Compiled(exp.Paren(this=klass(this=left.sql, expression=right.sql)), _number_result([lt, rt]))
        hint = " (use add_years(date, n) or add_days(date, n) for dates)" if DATE in (lt, rt) else ""
        raise TypeProblem(f"cannot compute {lt} {node.op} {rt}{hint}", node.line, node.column)

    def _compare(self, node: Compare, scope: Scope) -> Compiled:
        values = [self.expr(o, scope) for o in node.operands]
        parts = []
        for i, op in enumerate(node.ops):
            a, b = values[i], values[i + 1]
            a_sql, b_sql = self._comparable(a, b, node.operands[i], node.operands[i + 1], op)
            klass = {"==": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}[op]
            parts.append(klass(this=a_sql, expression=b_sql))
        return Compiled(exp.Paren(this=exp.and_(*parts)), BOOL)

    def _comparable(self, a: Compiled, b: Compiled, an: Node, bn: Node, op: str):
        if NULL in (a.type, b.type):
            raise TypeProblem("compare with null using `is null` or `is not null`", an.line, an.column)
        if a.type == DEGREE or b.type == DEGREE:
            return self._degree(a, an), self._degree(b, bn)
        if a.type.numeric and b.type.numeric:
            return a.sql, b.sql
        if a.type != b.type:
            raise TypeProblem(f"cannot compare a {a.type} with a {b.type}", an.line, an.column)
        if a.type in (BOOL, TEXT) and op not in ("==", "!="):
            raise TypeProblem(f"a {a.type} can only be compared with == or !=", an.line, an.column)
        return a.sql, b.sql

    def _degree(self, value: Compiled, node: Node) -> exp.Expression:
        if value.type == DEGREE:
            return value.sql
        if value.type == TEXT and isinstance(node, Literal):
            if node.value in DEGREE_RANK:
                return lit(DEGREE_RANK[node.value])
            hint = suggest(str(node.value), DEGREES)
            raise TypeProblem(
                f"{node.value!r} is not a degree; the degrees are {', '.join(DEGREES)}"
                + (f"; did you mean {hint!r}?" if hint else ""),
                node.line,
                node.column,
                hint,
            )
        raise TypeProblem(f"a degree can only be compared with a degree, not a {value.type}", node.line, node.column)

    def _isnull(self, node: IsNull, scope: Scope) -> Compiled:
        inner = self.expr(node.operand, scope)
        test = exp.Is(this=inner.sql, expression=exp.Null())
        return Compiled(exp.Paren(this=exp.Not(this=test)) if node.negated else test, BOOL)

    def _in(self, node: In, scope: Scope) -> Compiled:
        value = self.expr(node.operand, scope)
        choices = []
        for choice in node.choices:
            c = self.expr(choice, scope)
            _, c_sql = self._comparable(value, c, node.operand, choice, "==")
            choices.append(c_sql)
        target = self._degree(value, node.operand) if value.type == DEGREE else value.sql
        test = exp.In(this=target, expressions=choices)
        return Compiled(exp.Paren(this=exp.Not(this=test)) if node.negated else test, BOOL)

    def _call(self, node: Call, scope: Scope) -> Compiled:
        name = node.func
        if name in QUANTIFIERS:
            return self._quantifier(node, scope)
        if name == "eligible":
            return self._eligible(node, scope)
        if name not in FUNCTIONS:
            hint = suggest(name, [*FUNCTIONS, *QUANTIFIERS, *SPECIAL])
            raise TypeProblem(
                f"unknown function {name!r}" + (f"; did you mean {hint!r}?" if hint else ""),
                node.line,
                node.column,
                hint,
            )
        fn = FUNCTIONS[name]
        args = [self.expr(a, scope) for a in node.args]
        if fn.variadic:
            if len(args) < 2:
                raise TypeProblem(f"{name} needs at least two values", node.line, node.column)
        elif len(args) != len(fn.args):
            raise TypeProblem(f"{name} takes {len(fn.args)} argument(s), not {len(args)}", node.line, node.column)
        for i, (arg, want) in enumerate(zip(args, fn.args, strict=False)):
            if want is not None:
                self._expect(arg, want, node.args[i], f"argument {i + 1} of {name}")
        if name in ("year", "month_number"):
            return self._calendar(node, args[0], name)
        if name == "round" and not isinstance(node.args[1], Literal):
            raise TypeProblem("round(x, places): places must be a number written out", node.line, node.column)
        if name in ("min", "max", "coalesce", "if"):
            typed = args[1:] if name == "if" else args
            self._same(typed, node.args[1:] if name == "if" else node.args, name)
        result_type = fn.result(list(a.type for a in args)) if callable(fn.result) else fn.result
        self.relations.update(fn.relations)
        self.feeds.update(fn.feeds)
        built = fn.build(self, *(a.sql for a in args))
        result = Compiled(self.hoist(built) if fn.fact else built, result_type)
        if fn.fact:
            self._atom(unparse(node), "fact", result, fn.zh, fn.en)
        return result

    def _calendar(self, node: Call, arg: Compiled, name: str) -> Compiled:
        if arg.type == MONTH:
            m = arg.sql
        elif arg.type == DATE:
            m = month_index(arg.sql)
        else:
            raise TypeProblem(f"{name} takes a month or a date, not a {arg.type}", node.line, node.column)
        if name == "year":
            return Compiled(sql("CAST(_m // 12 AS INT)", _m=m), INT)
        return Compiled(sql("CAST(_m % 12 + 1 AS INT)", _m=m), INT)

    def _same(self, args: list[Compiled], nodes: Iterable[Node], name: str) -> None:
        known = [(a, n) for a, n in zip(args, nodes, strict=False) if a.type != NULL]
        for a, n in known[1:]:
            first = known[0][0].type
            if not (a.type == first or (a.type.numeric and first.numeric)):
                raise TypeProblem(f"{name} mixes a {first} with a {a.type}", n.line, n.column)

    def _quantifier(self, node: Call, scope: Scope) -> Compiled:
        kind = node.func
        want = 2 if kind in ("any", "count") else 3
        if len(node.args) != want:
            form = f"{kind}(feed, condition)" if want == 2 else f"{kind}(feed, value, condition)"
            raise TypeProblem(f"{kind} takes {want} arguments: {form}", node.line, node.column)
        feed_node = node.args[0]
        if not isinstance(feed_node, Name) or feed_node.name not in FEED_COLUMNS:
            got = feed_node.name if isinstance(feed_node, Name) else unparse(feed_node)
            hint = suggest(got, FEED_COLUMNS)
            raise TypeProblem(
                f"the first argument of {kind} must be a feed ({', '.join(FEED_COLUMNS)})"
                + (f"; did you mean {hint!r}?" if hint else ""),
                feed_node.line,
                feed_node.column,
                hint,
            )
        if scope.row_feed is not None:
            raise TypeProblem(f"{kind} cannot be used inside another row condition", node.line, node.column)
        feed = feed_node.name
        inner = Scope(scope.policy, scope.parameters, scope.definitions, feed, scope.stack)
        saved, self.atoms = self.atoms, None  # row-level values are not person-level facts
        self._row_scope = True
        try:
            predicate = self.expr(node.args[-1], inner)
            self._expect(predicate, BOOL, node.args[-1], f"the condition of {kind}")
            value = None
            if want == 3:
                value = self.expr(node.args[1], inner)
                if kind == "sum_of" and not value.type.numeric:
                    raise TypeProblem(
                        f"sum_of needs a number, not a {value.type}", node.args[1].line, node.args[1].column
                    )
        finally:
            self.atoms = saved
            self._row_scope = False
        self.feeds.add(feed)
        self.relations.add("person")
        quantifier = Quantifier("", feed, kind, value.sql if value else None, predicate.sql)
        same = [
            q
            for q in self.quantifiers
            if (q.feed, q.kind, q.value, q.predicate) == (feed, kind, quantifier.value, quantifier.predicate)
        ]
        if same:
            alias = same[0].alias
        else:
            alias = quantifier.alias = f"q{len(self.quantifiers) + 1}"
            self.quantifiers.append(quantifier)
        ref = exp.column("v", alias)
        if kind == "any":
            result = Compiled(is_true(ref), BOOL)
        elif kind in ("count", "distinct_count"):
            result = Compiled(exp.func("coalesce", ref, lit(0)), INT)
        elif kind == "sum_of":
            result = Compiled(exp.func("coalesce", ref, lit(0)), value.type)
        else:
            result = Compiled(ref, value.type)
        zh, en = QUANTIFIERS[kind]
        self._atom(unparse(node), "quantifier", result, zh, en)
        return result

    def _eligible(self, node: Call, scope: Scope) -> Compiled:
        if len(node.args) != 1 or not isinstance(node.args[0], Name):
            raise TypeProblem("eligible takes one policy id, as in eligible(living_subsidy)", node.line, node.column)
        target = node.args[0].name
        policies = {p.id: p for p in self.book.policies}
        if target not in policies:
            hint = suggest(target, policies)
            raise TypeProblem(
                f"no policy {target!r} in this book" + (f"; did you mean {hint!r}?" if hint else ""),
                node.args[0].line,
                node.args[0].column,
                hint,
            )
        if target in scope.stack:
            raise TypeProblem(
                f"policy {target} depends on itself ({' -> '.join((*scope.stack, target))})", node.line, node.column
            )
        other = policies[target]
        if not other.in_force(self.month):
            result = Compiled(exp.false(), BOOL)
            self._atom(
                unparse(node),
                "eligible",
                result,
                f"符合{other.names.get('zh', target)}",
                f"eligible for {other.names.get('en', target)}",
            )
            return result
        inner = self.scope(other)
        inner.stack = (*scope.stack, target)
        saved, self.atoms = self.atoms, None
        try:
            conditions = [self.expr(c.expr, inner) for c in other.conditions]
        finally:
            self.atoms = saved
        result = Compiled(exp.Paren(this=exp.and_(*(is_true(c.sql) for c in conditions))), BOOL)
        self._atom(
            unparse(node),
            "eligible",
            result,
            f"符合{other.names.get('zh', target)}",
            f"eligible for {other.names.get('en', target)}",
        )
        return result

    # -- helpers ----------------------------------------------------------------------------------

    def _expect(self, value: Compiled, want: Type, node: Node, what: str) -> None:
        if value.type == want or value.type == NULL:
            return
        if want.numeric and value.type.numeric:
            return
        if want == DEGREE and value.type == TEXT and isinstance(node, Literal):
            self._degree(value, node)
            return
        raise TypeProblem(f"{what} must be a {want}, not a {value.type}", node.line, node.column)

    def _atom(self, key: str, kind: str, value: Compiled, zh: str, en: str) -> None:
        if self.atoms is not None and key not in self.atoms:
            self.atoms[key] = Atom(key, kind, value.sql, value.type, zh, en)

    def _known_names(self, scope: Scope) -> list[str]:
        names = ["M", *scope.parameters, *scope.definitions, *FACTS]
        if scope.row_feed:
            names += list(FEED_COLUMNS[scope.row_feed])
        return names


def _typed_literal(value: object, typ: Type) -> exp.Expression:
    if typ == DEGREE:
        return lit(DEGREE_RANK[value])
    if typ == DECIMAL:
        return exp.cast(lit(Decimal(str(value))), exp.DataType.build("DECIMAL(18, 4)"))
    return lit(value)


# ------------------------------------------------------------------------------------------ unparse

_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}


def unparse(node: Node) -> str:
    """The expression as text, normalised (used as the label of a value in explanations)."""
    if isinstance(node, Literal):
        if node.kind == "text":
            return f"'{node.value}'"
        if node.kind in ("date", "month"):
            return f"@{node.value}"
        if node.kind == "bool":
            return "true" if node.value else "false"
        if node.kind == "null":
            return "null"
        return str(node.value)
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Call):
        return f"{node.func}({', '.join(unparse(a) for a in node.args)})"
    if isinstance(node, Index):
        return f"{unparse(node.target)}[{unparse(node.key)}]"
    if isinstance(node, Unary):
        return f"not {_wrap(node.operand, 3)}" if node.op == "not" else f"-{_wrap(node.operand, 7)}"
    if isinstance(node, Binary):
        p = _PRECEDENCE[node.op]
        return f"{_wrap(node.left, p)} {node.op} {_wrap(node.right, p + 1)}"
    if isinstance(node, Compare):
        text = _wrap(node.operands[0], 5)
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            text += f" {op} {_wrap(operand, 5)}"
        return text
    if isinstance(node, IsNull):
        return f"{_wrap(node.operand, 5)} is {'not ' if node.negated else ''}null"
    if isinstance(node, In):
        return f"{_wrap(node.operand, 5)} {'not ' if node.negated else ''}in [{', '.join(map(unparse, node.choices))}]"
    raise TypeError(node)


def _wrap(node: Node, min_precedence: int) -> str:
    text = unparse(node)
    if isinstance(node, Binary) and _PRECEDENCE[node.op] < min_precedence:
        return f"({text})"
    if isinstance(node, Compare | IsNull | In) and min_precedence > 4:
        return f"({text})"
    if isinstance(node, Unary) and node.op == "not" and min_precedence > 3:
        return f"({text})"
    return text
