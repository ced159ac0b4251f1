"""Running a compiled book: screening a snapshot, explaining one person, running the book's own cases."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from magnet.core.feeds import FEEDS
from magnet.core.feeds import sql as sql_text
from magnet.core.feeds.checks import id_number_check_char
from magnet.core.feeds.store import Snapshot, register_views

from .book import Book, Case
from .language import Month
from .query import PERSON, atom_key, build, render
from .types import DEGREES

OUTPUT_SCHEMA = pa.schema(
    [("id_number", pa.string()), ("policy", pa.string()), ("period", pa.string()), ("amount", pa.decimal128(18, 2))]
)


class ScreeningRefused(ValueError):
    """A run that cannot be done as asked (a feed the book needs is missing, a policy unknown, …)."""


def parse_month(text: str) -> Month:
    try:
        if len(text) != 7 or text[4] != "-":
            raise ValueError
        return Month.parse(text)
    except (ValueError, AttributeError):
        raise ScreeningRefused(f"month must be YYYY-MM, not {text!r}") from None


def connect(snapshot: Snapshot | None = None, *, threads: int | None = None, memory_limit: str | None = None):
    """An in-memory DuckDB with the snapshot's feeds as views (named after the feeds)."""
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    con = duckdb.connect(config=config)
    if snapshot is not None:
        register_views(con, snapshot)
    return con


def sent_feeds(snapshot: Snapshot) -> set[str]:
    """The feeds the snapshot actually received (a feed not sent is stored empty)."""
    return set(snapshot.manifest.get("sources", {})) | {"persons"}


_FEEDS_CACHE: dict[tuple, set[str]] = {}


def missing_feeds(book: Book, month: Month, available: set[str], policies: list[str] | None = None) -> dict:
    """policy id -> the feeds it needs that the snapshot did not receive."""
    from .query import plan  # noqa: PLC0415

    missing = {}
    for policy in book.policies:
        if not policy.in_force(month) or (policies is not None and policy.id not in policies):
            continue
        key = (book.version, month.index, policy.id)
        if key not in _FEEDS_CACHE:
            _FEEDS_CACHE[key] = plan(book, month, [policy.id])[0].feeds | {"persons"}
        needed = _FEEDS_CACHE[key]
        lacking = sorted(needed - available)
        if lacking:
            missing[policy.id] = lacking
    return missing


def screen(
    con: duckdb.DuckDBPyConnection,
    book: Book,
    month: Month | str,
    *,
    policies: list[str] | None = None,
    available: set[str] | None = None,
) -> pa.Table:
    """Every entitlement of the book for the month, as an Arrow table with `OUTPUT_SCHEMA`.

    With `available` (the feeds the snapshot received), a run whose policies need a feed not sent is
    refused, naming the policy and the feed.
    """
    month = parse_month(month) if isinstance(month, str) else month
    _check_policies(book, policies)
    if available is not None:
        lacking = missing_feeds(book, month, available, policies)
        if lacking:
            parts = [f"{pid} needs {', '.join(feeds)}" for pid, feeds in lacking.items()]
            raise ScreeningRefused("the snapshot lacks feeds the book needs: " + "; ".join(parts))
    table = con.sql(_screening_query(book, month, policies)).arrow()
    if hasattr(table, "read_all"):
        table = table.read_all()
    table = table.cast(OUTPUT_SCHEMA)
    _check_amounts(table)
    return table


_SCREEN_CACHE: dict[tuple, str] = {}


def _screening_query(book: Book, month: Month, policies: list[str] | None) -> str:
    """The screening query's text for a book version, month and choice of policies, rendered once."""
    key = (book.version, month.index, tuple(policies) if policies is not None else None)
    text = _SCREEN_CACHE.get(key)
    if text is None:
        query, _ = build(book, month, policies=policies)
        text = render(query, "duckdb")
        if len(_SCREEN_CACHE) > 512:
            _SCREEN_CACHE.clear()
        _SCREEN_CACHE[key] = text
    return text


def _check_policies(book: Book, policies: list[str] | None) -> None:
    if policies is None:
        return
    known = {p.id for p in book.policies}
    unknown = [p for p in policies if p not in known]
    if unknown:
        raise ScreeningRefused(f"the book {book.name} has no policy {', '.join(unknown)}")


def _check_amounts(table: pa.Table) -> None:
    amounts = table.column("amount")
    nulls = amounts.null_count
    if nulls:
        policies = sorted(
            {p for p, a in zip(table.column("policy").to_pylist(), amounts.to_pylist(), strict=True) if a is None}
        )
        raise ScreeningRefused(
            f"{nulls} eligible person(s) have no amount (policies {', '.join(policies)}): "
            f"the amount expression gives nothing for them"
        )
    if len(table) and pa.compute.min(amounts).as_py() < 0:
        raise ScreeningRefused("an amount is negative; amounts must be at least 0")


def write_output(table: pa.Table, path: Path) -> None:
    """Write entitlements as Parquet or CSV, chosen by the extension; atomically (a temp file, then rename)."""
    import pyarrow.csv as pcsv  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise ScreeningRefused(f"--out must end in .parquet or .csv, not {path.name!r}")
    tmp = path.with_name(f".{path.name}.partial")
    if suffix == ".parquet":
        pq.write_table(table, tmp)
    else:
        pcsv.write_csv(table, tmp, pcsv.WriteOptions(quoting_style="needed"))
    tmp.replace(path)


# ----------------------------------------------------------------------------------- explanation


@dataclass
class ConditionResult:
    name: str
    zh: str
    en: str
    text: str
    passed: bool
    unknown: bool  # the condition's value was empty (a fact it needs is missing): counts as failed
    values: list[dict]  # [{key, zh, en, kind, value}]


@dataclass
class PolicyExplanation:
    policy: str
    names: dict
    eligible: bool
    amount: Decimal | None
    period: str
    conditions: list[ConditionResult]
    amount_values: list[dict]
    parameters: list[dict]  # [{name, value, source}]
    mode: str


@dataclass
class Explanation:
    id_number: str
    month: str
    book: str
    book_version: str
    found: bool  # the person is in the snapshot's persons feed
    policies: list[PolicyExplanation] = field(default_factory=list)

    def as_dict(self) -> dict:
        from dataclasses import asdict  # noqa: PLC0415

        data = asdict(self)
        for p in data["policies"]:
            p["amount"] = None if p["amount"] is None else str(p["amount"])
        return data


def _display(value: object, typ) -> object:
    if value is None:
        return None
    if typ.name == "degree":
        return DEGREES[int(value) - 1] if 1 <= int(value) <= len(DEGREES) else value
    if typ.name == "month":
        return str(Month.from_index(int(value)))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


_EXPLAIN_CACHE: dict[tuple[str, int, bool], tuple[str, object]] = {}


def _explain_query(book: Book, month: Month, tiers: bool = False) -> tuple[str, object]:
    """The explanation query of a book version and month, rendered once (the person is a parameter)."""
    key = (book.version, month.index, tiers)
    cached = _EXPLAIN_CACHE.get(key)
    if cached is None:
        query, the_plan = build(book, month, person=PERSON, explain=True, tiers=tiers, policies=[] if tiers else None)
        cached = (render(query, "duckdb"), the_plan)
        if len(_EXPLAIN_CACHE) > 256:
            _EXPLAIN_CACHE.clear()
        _EXPLAIN_CACHE[key] = cached
    return cached


def explain(con: duckdb.DuckDBPyConnection, book: Book, month: Month | str, id_number: str) -> Explanation:
    """Each policy's conditions for one person and month, pass or fail, with the facts' values, computed by
    the screening query restricted to that person (so it cannot disagree with a batch run)."""
    month = parse_month(month) if isinstance(month, str) else month
    text, the_plan = _explain_query(book, month)
    cursor = con.execute(text, [id_number])
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    row = rows[0] if rows else None
    result = Explanation(id_number, str(month), book.name, book.version, row is not None)
    if row is None:
        return result
    values = dict(zip(columns, row, strict=True))

    def shown(atoms) -> list[dict]:
        return [
            {
                "key": key,
                "zh": a.zh,
                "en": a.en,
                "kind": a.kind,
                "value": _display(values[the_plan.atom_columns[atom_key(a)]], a.type),
            }
            for key, a in atoms.items()
        ]

    for p in the_plan.policies:
        conditions = []
        texts = {c.name: c for c in p.policy.conditions}
        for i, (name, _, atoms) in enumerate(p.conditions):
            raw = values[f"c_{p.column}_{i}"]
            if name in texts:
                c = texts[name]
                zh, en, text = c.zh, c.en, c.text.strip()
            else:  # not_with_<other>
                other = book.policy(name.removeprefix("not_with_"))
                zh, en = f"未同时享受{other.names['zh']}", f"not receiving {other.names['en']} in the same period"
                text = f"not eligible({other.id})"
            conditions.append(ConditionResult(name, zh, en, text, raw is True, raw is None, shown(atoms)))
        eligible = bool(values[f"e_{p.column}"])
        amount = values[f"a_{p.column}"] if eligible else None
        parameters = [
            {"name": name, "value": _param_display(param.value_for(month)), "source": param.source_for(month)}
            for name, param in p.policy.parameters.items()
        ]
        result.policies.append(
            PolicyExplanation(
                p.policy.id,
                p.policy.names,
                eligible,
                amount,
                p.policy.period_label(month),
                conditions,
                shown(p.amount_atoms),
                parameters,
                p.policy.mode,
            )
        )
    return result


def _param_display(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _param_display(v) for k, v in value.items()}
    if isinstance(value, Decimal | dt.date | Month):
        return str(value)
    return value


@dataclass
class TierResult:
    """A person's talent tier as of a month (None: no rule holds), and each rule with pass or fail."""

    id_number: str
    month: str
    book_version: str
    found: bool
    tier: str | None = None
    rules: list[dict] = field(default_factory=list)  # [{tier, zh, en, text, passed, values}]


def tier_of(con: duckdb.DuckDBPyConnection, book: Book, month: Month | str, id_number: str) -> TierResult:
    """The tier the book's `tiers` rules give this person in the month, computed like an explanation."""
    month = parse_month(month) if isinstance(month, str) else month
    if not book.tiers:
        raise ScreeningRefused(f"the book {book.name} has no tier rules")
    text, the_plan = _explain_query(book, month, tiers=True)
    cursor = con.execute(text, [id_number])
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    result = TierResult(id_number, str(month), book.version, bool(rows))
    if not rows:
        return result
    values = dict(zip(columns, rows[0], strict=True))
    result.tier = values["tier"]
    for i, (t, _, atoms) in enumerate(the_plan.tiers):
        shown = [
            {"key": key, "zh": a.zh, "en": a.en, "value": _display(values[the_plan.atom_columns[atom_key(a)]], a.type)}
            for key, a in atoms.items()
        ]
        result.rules.append({"tier": t.tier, "zh": t.zh, "en": t.en, "text": t.text.strip(),
                             "passed": values[f"t_{i}"] is True, "values": shown})  # fmt: skip
    return result


def tiers(con: duckdb.DuckDBPyConnection, book: Book, month: Month | str) -> pa.Table:
    """Every person's tier in the month: (id_number, tier), tier null where no rule holds."""
    month = parse_month(month) if isinstance(month, str) else month
    query, _ = build(book, month, tiers=True)
    table = con.sql(render(query, "duckdb")).arrow()
    return table.read_all() if hasattr(table, "read_all") else table


# ---------------------------------------------------------------------------------- policy cases


@dataclass
class CaseResult:
    policy: str
    case: str
    passed: bool
    expected: dict[str, str]
    got: dict[str, str]
    error: str | None = None
    file: str = ""
    line: int = 0

    @property
    def difference(self) -> str:
        if self.error:
            return self.error
        lines = []
        for person in sorted(set(self.expected) | set(self.got)):
            want, have = self.expected.get(person), self.got.get(person)
            if want != have:
                lines.append(f"{person}: expected {want or 'nothing'}, got {have or 'nothing'}")
        return "; ".join(lines)


def run_cases(book: Book, policies: list[str] | None = None, on_result: Callable | None = None) -> list[CaseResult]:
    """Run every case of the book's policies (or of `policies`): its rows in, the policy's entitlements out."""
    results = []
    con = connect(threads=1)
    for policy in book.policies:
        if policies is not None and policy.id not in policies:
            continue
        for case in policy.cases:
            result = run_case(con, book, policy.id, case)
            results.append(result)
            if on_result:
                on_result(result)
    con.close()
    return results


def run_case(con, book: Book, policy_id: str, case: Case) -> CaseResult:
    expected = {k: f"{v:.2f}" for k, v in case.expect.items()}
    try:
        tables, aliases = case_tables(case)
    except (ValueError, KeyError, TypeError) as e:
        return CaseResult(
            policy_id,
            case.name,
            False,
            expected,
            {},
            f"the case's rows are not valid: {e}",
            case.origin.file,
            case.origin.line,
        )
    for feed, table in tables.items():
        con.register(f"case_{feed}", table)
        # feed names come from the contract, never from the case file
        con.execute(f'CREATE OR REPLACE TEMP VIEW "{feed}" AS SELECT * FROM "case_{feed}"')  # noqa: S608
    try:
        table = screen(con, book, case.month, policies=[policy_id])
    except Exception as e:  # a case failing must say why, whatever went wrong  # noqa: BLE001
        return CaseResult(
            policy_id, case.name, False, expected, {}, f"{type(e).__name__}: {e}", case.origin.file, case.origin.line
        )
    finally:
        for feed in tables:
            con.unregister(f"case_{feed}")
    by_id = {v: k for k, v in aliases.items()}
    got = {by_id.get(r["id_number"], r["id_number"]): f"{r['amount']:.2f}" for r in table.to_pylist()}
    return CaseResult(policy_id, case.name, got == expected, expected, got, None, case.origin.file, case.origin.line)


# Defaults that make a case's rows complete rows of the contract.
_DEFAULTS = {
    "persons": {"name": "测试", "hukou_adcode": "320602", "phone": None},
    "education": {
        "full_time": True,
        "school_code": "10284",
        "school_name": "测试大学",
        "double_first_class": False,
        "major_code": "080901",
        "major_name": "计算机科学与技术",
    },
    "social_insurance": {"kind": "employee", "adcode": "320602", "base": "5000"},
    "enterprises": {},
    "property": {"adcode": "320602", "use": "residential", "sold_date": None},
    "skill_certs": {"occupation_code": "6-18-01-01"},
    "business_registrations": {"role": "legal_rep", "adcode": "320602", "deregistered": None},
}
CASE_EMPLOYER = "91320602MA1ABCDE" + "0"  # completed with its check character below


def _uscc(body17: str) -> str:
    from magnet.core.feeds.checks import uscc_check_char  # noqa: PLC0415

    return body17 + uscc_check_char(body17)


def case_id_number(alias: str, birth: dt.date, index: int) -> str:
    """A valid identity number for a case's person: address 320602, the birth date, a sequence."""
    seq = f"{(index * 2 + 1) % 1000:03d}"
    body = f"320602{birth:%Y%m%d}{seq}"
    return body + id_number_check_char(body)


def case_tables(case: Case) -> tuple[dict[str, pa.Table], dict[str, str]]:
    """The case's rows as Arrow tables typed like a stored snapshot; and alias -> identity number."""
    from .hypothetical import feed_schema  # noqa: PLC0415

    aliases: dict[str, str] = {}
    unknown = set(case.feeds) - set(FEEDS)
    if unknown:
        raise ValueError(f"unknown feed(s) {', '.join(sorted(unknown))}")
    for i, row in enumerate(case.feeds.get("persons", [])):
        alias = str(row.get("person"))
        birth = _date(row.get("birth_date"))
        aliases[alias] = row.get("id_number") or case_id_number(alias, birth, i)
    employer = _uscc("91320602MA1ABCDE0")
    tables = {}
    for feed_name in FEEDS:
        rows = []
        for n, raw in enumerate(case.feeds.get(feed_name, [])):
            row = dict(_DEFAULTS[feed_name])
            raw = dict(raw)
            alias = raw.pop("person", None)
            if feed_name != "enterprises":
                if alias is None or str(alias) not in aliases:
                    raise ValueError(f"{feed_name} row {n + 1}: person {alias!r} is not among the case's persons")
                row["id_number"] = aliases[str(alias)]
            months = raw.pop("months", None)
            row.update(raw)
            if feed_name == "persons":
                body = row["id_number"]
                row["gender"] = "M" if int(body[16]) % 2 else "F"
            if feed_name == "property":
                row.setdefault("property_id", f"P{n + 1}")
            if feed_name == "business_registrations":
                row.setdefault("uscc", _uscc(f"91320602MA1B{n:05d}"))
            if feed_name == "social_insurance":
                if months is None:
                    raise ValueError(f"social_insurance row {n + 1}: give months: YYYY-MM..YYYY-MM")
                first, _, last = str(months).partition("..")
                a, z = Month.parse(first), Month.parse(last or first)
                if row["kind"] == "employee":
                    row.setdefault("employer_uscc", employer)
                else:
                    row.setdefault("employer_uscc", None)
                for m in range(a.index, z.index + 1):
                    mm = Month.from_index(m)
                    rows.append({**row, "month": dt.date(mm.year, mm.month, 1)})
                continue
            rows.append(row)
        schema = feed_schema(feed_name)
        columns = {}
        for f in schema:
            columns[f.name] = [_convert(r.get(f.name), f.type) for r in rows]
        tables[feed_name] = pa.table(columns, schema=schema)
    return tables, aliases


def _date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _convert(value, typ: pa.DataType):
    if value is None:
        return None
    if pa.types.is_date32(typ):
        return _date(value)
    if pa.types.is_decimal(typ):
        return Decimal(str(value))
    if pa.types.is_boolean(typ):
        return bool(value)
    if pa.types.is_integer(typ):
        return int(value)
    return str(value)


def content_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


# ------------------------------------------------------------------------------ the person index

PERSON_FEEDS = ("persons", "education", "social_insurance", "property", "skill_certs", "business_registrations")
BUCKETS = 256
INDEX_VERSION = "1"


def person_bucket(id_number: str) -> int:
    """The index bucket of an identity number: its 3-digit sequence code (digits 15-17) modulo BUCKETS."""
    digits = id_number[14:17]
    return int(digits) % BUCKETS if len(digits) == 3 and digits.isdigit() else 0


def build_person_index(
    snapshot: Snapshot, dest: Path, *, memory_limit: str = "2GB", threads: int | None = None
) -> Path:
    """Split the snapshot's person-keyed feeds into BUCKETS files by identity number, so that explaining one
    person reads one small file per feed instead of scanning every row. Written to a temporary folder and
    renamed into place: a crash leaves no half-built index. Returns `dest`."""
    import json  # noqa: PLC0415
    import shutil  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    dest = Path(dest)
    if (dest / "index.json").is_file():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".index-", dir=dest.parent))
    try:
        con = connect(threads=threads, memory_limit=memory_limit)
        con.execute("SET temp_directory = ?", [str(work / "spill")])
        con.execute("SET preserve_insertion_order = false")
        for feed in PERSON_FEEDS:
            out = work / feed
            bucket = f"CAST(substr(id_number, 15, 3) AS INTEGER) % {BUCKETS}"
            con.execute(
                f"COPY (SELECT *, CASE WHEN regexp_full_match(substr(id_number, 15, 3), '[0-9]{{3}}') "  # noqa: S608
                f"THEN {bucket} ELSE 0 END AS bucket FROM read_parquet(?)) "
                f"TO '{out}' (FORMAT parquet, PARTITION_BY (bucket))",
                [str(snapshot.feeds[feed])],
            )
        con.close()
        shutil.rmtree(work / "spill", ignore_errors=True)
        (work / "index.json").write_text(
            json.dumps({"snapshot": snapshot.id, "buckets": BUCKETS, "version": INDEX_VERSION})
        )
        try:
            work.rename(dest)
        except OSError:  # built meanwhile by another process: theirs is as good
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return dest


def person_index_ready(dest: Path) -> bool:
    return (Path(dest) / "index.json").is_file()


def use_person(con: duckdb.DuckDBPyConnection, snapshot: Snapshot, index: Path | None, id_number: str) -> None:
    """Point the connection's feed views at the rows that can hold this person: their index bucket when the
    index is built, else the whole snapshot."""
    if index is None or not person_index_ready(index):
        register_views(con, snapshot)
        return
    bucket = person_bucket(id_number)
    for feed in FEEDS:
        folder = Path(index) / feed / f"bucket={bucket}"
        files = sorted(folder.glob("*.parquet")) if feed in PERSON_FEEDS else []
        # paths this module wrote, quoted as SQL literals; feed names from the contract
        if files:
            paths = ", ".join(sql_text.lit(str(f)) for f in files)
            source = f"SELECT * FROM read_parquet([{paths}], hive_partitioning = false)"  # noqa: S608
        else:  # an empty bucket, or a feed that is not keyed by person
            limit = " LIMIT 0" if feed in PERSON_FEEDS else ""
            source = f"SELECT * FROM read_parquet({sql_text.lit(str(snapshot.feeds[feed]))}){limit}"  # noqa: S608
        con.execute(f"CREATE OR REPLACE TEMP VIEW {sql_text.ident(feed)} AS {source}")
