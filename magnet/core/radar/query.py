"""Building the screening query of a book for a month, as one sqlglot tree (see `compiler.py`)."""

# ruff: noqa: S608 - templates are fixed text parsed by sqlglot; values enter as literal nodes

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlglot import exp

from .book import Book, Policy
from .compiler import Atom, Compiled, Compiler, Scope, as_of, decimal_2, in_city, is_true, lit, month_index, sql
from .language import Call, Month, Name, Unary

NO_DEGREE = 0


@dataclass
class PolicyPlan:
    policy: Policy
    column: str  # r_wide columns: e_<n> eligible, a_<n> amount
    conditions: list[tuple[str, Compiled, dict[str, Atom]]]  # (condition name, value, atoms it shows)
    amount: Compiled
    amount_atoms: dict[str, Atom]


@dataclass
class Plan:
    """What the query computes: the policies in force with their conditions, the feeds they read."""

    book: Book
    month: Month
    policies: list[PolicyPlan]
    feeds: set[str]
    relations: set[str]
    atoms: dict[str, Atom] = field(default_factory=dict)  # every value shown in explanations: v_<n> columns
    atom_columns: dict[str, str] = field(default_factory=dict)
    tiers: list[tuple[object, Compiled, dict[str, Atom]]] = field(default_factory=list)  # (book.Tier, rule, atoms)


def plan(
    book: Book, month: Month, policies: list[str] | None = None, explain: bool = False, tiers: bool = False
) -> tuple[Plan, Compiler]:
    compiler = Compiler(book, month, atoms={} if explain else None)
    tier_rules = []
    if tiers:
        scope = Scope(None, {}, dict(book.definitions))
        for t in book.tiers:
            if explain:
                compiler.atoms = {}
            tier_rules.append((t, compiler.expr(t.expr, scope), compiler.atoms or {}))
    chosen = [p for p in book.policies if p.in_force(month) and (policies is None or p.id in policies)]
    plans = []
    for i, policy in enumerate(chosen):
        scope = compiler.scope(policy)
        conditions = []
        for c in policy.conditions:
            if explain:
                compiler.atoms = {}
            value = compiler.expr(c.expr, scope)
            conditions.append((c.name, value, compiler.atoms or {}))
        for other in policy.not_with:
            if explain:
                compiler.atoms = {}
            node = Unary("not", Call("eligible", (Name(other),)))
            value = compiler.expr(node, scope)
            conditions.append((f"not_with_{other}", value, compiler.atoms or {}))
        if explain:
            compiler.atoms = {}
        amount = compiler.expr(policy.amount.expr, scope)
        plans.append(PolicyPlan(policy, str(i), conditions, amount, compiler.atoms or {}))
    result = Plan(book, month, plans, set(compiler.feeds), set(compiler.relations), tiers=tier_rules)
    if explain:  # every value shown, once per distinct expression (two policies' `months` may differ)
        groups = [atoms for _, _, atoms in tier_rules]
        for p in plans:
            groups += [atoms for _, _, atoms in p.conditions] + [p.amount_atoms]
        for atoms in groups:
            for atom in atoms.values():
                result.atoms.setdefault(atom_key(atom), atom)
        result.atom_columns = {key: f"v_{n}" for n, key in enumerate(result.atoms)}
    return result, compiler


def atom_key(atom: Atom) -> str:
    """The column an explanation reads a value from is shared by values with the same SQL."""
    return atom.sql.sql()


PERSON = "$1"  # `build(person=PERSON)`: the person is the query's parameter $1, so its text can be cached


def _person_filter(person: str | None, alias: str | None = None) -> exp.Expression | None:
    if person is None:
        return None
    value = exp.Placeholder(this="1") if person == PERSON else lit(person)
    return exp.EQ(this=exp.column("id_number", alias), expression=value)


def _where(select: exp.Select, *conditions: exp.Expression | None) -> exp.Select:
    for c in conditions:
        if c is not None:
            select = select.where(c, copy=False)
    return select


def relations(book: Book, month: Month, needed: set[str], person: str | None) -> list[tuple[str, exp.Expression]]:
    """The per-person relations the book needs, as (name, query) common table expressions."""
    first = dt.date(month.year, month.month, 1)
    ctes: list[tuple[str, exp.Expression]] = []
    pf = _person_filter(person)
    person_q = exp.select("id_number", "birth_date", "gender", exp.alias_(exp.column("hukou_adcode"), "hukou")).from_(
        "persons"
    )
    ctes.append(("r_person", _where(person_q, pf)))
    if "hd" in needed:
        key = sql(
            "(CASE degree WHEN 'associate' THEN 1 WHEN 'bachelor' THEN 2 WHEN 'master' THEN 3 WHEN 'doctor' THEN 4 "
            "END * 100000000 + year(graduation_date) * 10000 + month(graduation_date) * 100 + day(graduation_date)) "
            "* 2 + CASE WHEN double_first_class THEN 1 ELSE 0 END"
        )
        inner = exp.select("id_number", exp.alias_(key, "k"), "major_code", "school_code").from_(
            exp.alias_(exp.to_table("education"), "r")
        )
        inner = _where(inner, exp.column("full_time"), as_of("education", "r", month), pf)
        hd = (
            exp.select(
                "id_number",
                exp.alias_(sql("CAST(max(k) // 200000000 AS INT)"), "hd_rank"),
                exp.alias_(
                    sql(
                        "make_date(CAST(max(k) // 2 % 100000000 // 10000 AS INT), "
                        "CAST(max(k) // 2 % 10000 // 100 AS INT), CAST(max(k) // 2 % 100 AS INT))"
                    ),
                    "hd_date",
                ),
                exp.alias_(sql("max(k) % 2 = 1"), "hd_dfc"),
                exp.alias_(sql("arg_max(major_code, k)"), "hd_major"),
                exp.alias_(sql("arg_max(school_code, k)"), "hd_school"),
            )
            .from_(exp.alias_(inner.subquery(), "e"))
            .group_by("id_number")
        )
        ctes.append(("r_hd", hd))
    si_lists = [r for r in ("si_emp_city", "si_emp_any", "si_flex_city") if r in needed]
    if si_lists:
        mi = month_index(exp.column("month"))
        city = in_city(exp.column("adcode"), book.city)
        employee = exp.EQ(this=exp.column("kind"), expression=lit("employee"))
        flexible = exp.EQ(this=exp.column("kind"), expression=lit("flexible"))
        filters = {
            "si_emp_city": exp.and_(employee, city),
            "si_emp_any": employee,
            "si_flex_city": exp.and_(flexible, city),
        }
        columns: list[exp.Expression] = ["id_number"]  # type: ignore[list-item]
        for name in si_lists:
            value = mi if name != "si_flex_city" else sql("{'m': _m, 'v': base}", _m=mi)
            agg = exp.Filter(this=sql("list(_v)", _v=value), expression=exp.Where(this=filters[name].copy()))
            columns.append(exp.alias_(agg, name))
        si = exp.select(*columns).from_("social_insurance")
        si = _where(
            si,
            exp.LTE(this=exp.column("month"), expression=lit(first)),
            pf,
            exp.or_(*(filters[n].copy() for n in si_lists)),
        )
        ctes.append(("r_si", si.group_by("id_number")))
    home_filter = exp.and_(
        exp.EQ(this=exp.column("use"), expression=lit("residential")),
        in_city(exp.column("adcode"), book.city),
        as_of("property", "property", month),
    )
    if "home" in needed:
        home = exp.select("id_number", exp.alias_(sql("list({'c': contract_date, 's': sold_date})"), "home_list"))
        ctes.append(("r_home", _where(home.from_("property"), home_filter.copy(), pf).group_by("id_number")))
    if "fh" in needed:
        ranked = exp.select(
            "id_number",
            "contract_date",
            "price",
            "sold_date",
            exp.alias_(sql("row_number() OVER (PARTITION BY id_number ORDER BY contract_date, property_id)"), "n"),
        ).from_("property")
        ranked = _where(ranked, home_filter.copy(), pf)
        fh = (
            exp.select(
                "id_number",
                exp.alias_(exp.column("contract_date"), "fh_date"),
                exp.alias_(exp.column("price"), "fh_price"),
                exp.alias_(exp.column("sold_date"), "fh_sold"),
            )
            .from_(exp.alias_(ranked.subquery(), "h"))
            .where("n = 1")
        )
        ctes.append(("r_fh", fh))
    if "cert" in needed:
        cert = exp.select(
            "id_number",
            exp.alias_(exp.func("min", exp.column("level")), "cert_best"),
            exp.alias_(sql("list({'m': _m, 'v': level})", _m=month_index(exp.column("issued"))), "cert_list"),
        ).from_("skill_certs")
        ctes.append(("r_cert", _where(cert, as_of("skill_certs", "skill_certs", month), pf).group_by("id_number")))
    return ctes


_BASE_COLUMNS = {
    "r_hd": ("hd_rank", "hd_date", "hd_dfc", "hd_major", "hd_school"),
    "r_si": ("si_emp_city", "si_emp_any", "si_flex_city"),
    "r_home": ("home_list",),
    "r_fh": ("fh_date", "fh_price", "fh_sold"),
    "r_cert": ("cert_best", "cert_list"),
}


def build(
    book: Book,
    month: Month,
    *,
    policies: list[str] | None = None,
    person: str | None = None,
    explain: bool = False,
    tiers: bool = False,
) -> tuple[exp.Select, Plan]:
    """The screening query (`explain` False): rows (id_number, policy, period, amount) of every entitlement;
    or the explanation query: one row per person with e_/a_ (eligible, amount), c_<p>_<i> (conditions)
    and v_<n> (values) columns. With `tiers`, the explanation rows also carry `tier` (the first tier whose
    rule holds) and t_<i> (each tier rule); with `tiers` and no `explain`, rows are (id_number, tier)."""
    if tiers and not explain:
        policies = []
    the_plan, compiler = plan(book, month, policies, explain, tiers)
    ctes = relations(book, month, the_plan.relations, person)
    names = {name for name, _ in ctes}
    base_cols: list[exp.Expression] = [exp.column(c, "p") for c in ("id_number", "birth_date", "gender", "hukou")]
    base = exp.select(*base_cols).from_(exp.alias_(exp.to_table("r_person"), "p"))
    for rel, cols in _BASE_COLUMNS.items():
        if rel not in names:
            continue
        alias = rel[2:]
        present = [c for c in cols if c in the_plan.relations or rel != "r_si"]
        if rel == "r_si":
            present = [c for c in cols if c in the_plan.relations]
        base = base.select(*(exp.column(c, alias) for c in present), copy=False)
        base = base.join(
            exp.alias_(exp.to_table(rel), alias), on=f"{alias}.id_number = p.id_number", join_type="left", copy=False
        )
    ctes.append(("r_base", base))
    for q in compiler.quantifiers:
        agg = _aggregate(q.kind, q.predicate, q.value)
        qs = (
            exp.select(exp.column("id_number", "r"), exp.alias_(agg, "v"))
            .from_(exp.alias_(exp.to_table(q.feed), "r"))
            .join(exp.alias_(exp.to_table("r_base"), "b"), on="r.id_number = b.id_number", copy=False)
        )
        qs = _where(qs, as_of(q.feed, "r", month), _person_filter(person, "r")).group_by("r.id_number")
        ctes.append((q.alias, qs))
    facts = exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier("b"))).from_(
        exp.alias_(exp.to_table("r_base"), "b")
    )
    for name, value in compiler.hoisted.items():
        facts = facts.select(exp.alias_(value, name), copy=False)
    ctes.append(("r_facts", facts))
    wide = exp.select(exp.column("id_number", "b")).from_(exp.alias_(exp.to_table("r_facts"), "b"))
    for q in compiler.quantifiers:
        wide = wide.join(
            exp.alias_(exp.to_table(q.alias), q.alias),
            on=f"{q.alias}.id_number = b.id_number",
            join_type="left",
            copy=False,
        )
    for p in the_plan.policies:
        eligible = exp.and_(*(is_true(c.sql) for _, c, _ in p.conditions))
        wide = wide.select(
            exp.alias_(eligible, f"e_{p.column}"), exp.alias_(decimal_2(p.amount.sql), f"a_{p.column}"), copy=False
        )
        if explain:
            for i, (_, c, _) in enumerate(p.conditions):
                wide = wide.select(exp.alias_(c.sql, f"c_{p.column}_{i}"), copy=False)
    if the_plan.tiers:
        case = exp.Case()
        for t, rule, _ in the_plan.tiers:
            case = case.when(is_true(rule.sql), lit(t.tier))
        wide = wide.select(exp.alias_(case, "tier"), copy=False)
        if explain:
            for i, (_, rule, _) in enumerate(the_plan.tiers):
                wide = wide.select(exp.alias_(rule.sql, f"t_{i}"), copy=False)
    if explain:
        for key, column in the_plan.atom_columns.items():
            wide = wide.select(exp.alias_(the_plan.atoms[key].sql, column), copy=False)
    ctes.append(("r_wide", wide))
    if explain:
        final = exp.select("*").from_("r_wide")
    elif tiers:
        final = exp.select("id_number", "tier").from_("r_wide")
    else:
        parts = []
        for p in the_plan.policies:
            parts.append(
                exp.select(
                    "id_number",
                    exp.alias_(lit(p.policy.id), "policy"),
                    exp.alias_(lit(p.policy.period_label(month)), "period"),
                    exp.alias_(exp.column(f"a_{p.column}"), "amount"),
                )
                .from_("r_wide")
                .where(exp.column(f"e_{p.column}"))
            )
        if not parts:
            final = exp.select(
                exp.alias_(exp.cast(exp.Null(), "VARCHAR"), "id_number"),
                exp.alias_(exp.cast(exp.Null(), "VARCHAR"), "policy"),
                exp.alias_(exp.cast(exp.Null(), "VARCHAR"), "period"),
                exp.alias_(exp.cast(exp.Null(), "DECIMAL(18, 2)"), "amount"),
            ).where(exp.false())
        else:
            final = parts[0]
            for part in parts[1:]:
                final = exp.union(final, part, distinct=False)
    for name, query in ctes:
        final = final.with_(name, as_=query, copy=False)
    return final, the_plan


def _aggregate(kind: str, predicate: exp.Expression, value: exp.Expression | None) -> exp.Expression:
    if kind == "any":
        return exp.func("bool_or", is_true(predicate))
    if kind == "count":
        return exp.func("count_if", is_true(predicate))
    if kind == "distinct_count":
        return exp.Count(this=exp.Distinct(expressions=[exp.If(this=is_true(predicate), true=value, false=exp.Null())]))
    func = {"sum_of": "sum", "min_of": "min", "max_of": "max"}[kind]
    return exp.func(func, exp.If(this=is_true(predicate), true=value, false=exp.Null()))


def render(query: exp.Expression, dialect: str = "duckdb") -> str:
    return query.sql(dialect=dialect)
