"""Reads of grants for the pages: a person's grants, account, payments and appeals; the public publicity
lists (masked as the State Council's rules on publicity require); the staff work lists, batches, ledger
balances and the budget by policy and district. Identity numbers leave here masked, never in full."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from magnet.apps.grants.models import (
    Appeal,
    Grant,
    LedgerAccount,
    Objection,
    PayeeAccount,
    PaymentBatch,
    PaymentInstruction,
    Posting,
    ReturnImport,
)
from magnet.core.feeds.checks import mask_id_number, mask_id_number_public

S = Grant.Status
STATUS_WORDS = dict(S.choices)
BOOK = "demo"  # the book the talent's "My policies" page reads (radar.views_talent.BOOK)
PUBLICITY_PAGE = 200
BATCH_PAGE = 100
WORK_LIST = 50


# ------------------------------------------------------------------------------------------- naming


class PolicyNames:
    """A policy's Chinese name in the book published for the grant's period, each book loaded once.

    Falls back to the policy's id when the book or the policy has gone (renamed since)."""

    def __init__(self) -> None:
        self._books: dict[tuple[str, str], dict[str, str]] = {}

    def __call__(self, book: str, policy: str, period: str = "") -> str:
        key = (book, period[:7])
        if key not in self._books:
            self._books[key] = _book_names(book, period)
        return self._books[key].get(policy, policy)


def _book_names(book: str, period: str) -> dict[str, str]:
    from magnet.apps.radar.selectors import published_book
    from magnet.core.radar import Month

    try:
        month = Month.parse(period) if len(period) == 7 else None
        return {p.id: p.names.get("zh", p.id) for p in published_book(book, month).policies}
    except Exception:  # an unknown book or a period that is a year: the ids stand  # noqa: BLE001
        return {}


def policy_choices(book: str = BOOK) -> list[tuple[str, str]]:
    """The policies of the book published this month, for the appeal form."""
    from magnet.apps.radar.selectors import published_book

    try:
        return [(p.id, p.names.get("zh", p.id)) for p in published_book(book).policies]
    except KeyError:
        return []


def district_names(codes) -> dict[str, str]:
    """{adcode: name} for the districts given; `other` is a person outside the city."""
    from magnet.apps.reference.models import Division

    codes = {c for c in codes if c}
    names = {d.adcode: d.name for d in Division.objects.filter(adcode__in=codes)}
    if "other" in codes:
        names["other"] = gettext("其他（不在本市）")
    return names


def account_masked(number: str) -> str:
    """`6222020200112233445` → `6222****3445`, as the payee account is shown."""
    return f"{number[:4]}****{number[-4:]}" if len(number) > 8 else "****"


def _instruction_account(instruction: PaymentInstruction) -> str:
    from magnet.apps.common.pii import cipher

    try:
        return account_masked(cipher().decrypt(instruction.account_number_cipher, context="bank_account"))
    except Exception:  # a key retired since: the account is still shown, as unknown  # noqa: BLE001
        return "****"


# -------------------------------------------------------------------------------------- the person


@dataclass
class PersonGrants:
    grants: list[Grant]
    account: PayeeAccount | None
    payments: list[PaymentInstruction]
    appeals: list[Appeal]
    refused: list[Grant] = field(default_factory=list)


def person_grants(person_index: str) -> PersonGrants:
    """Everything on the talent's "My grants" page, for their own blind index only."""
    names = PolicyNames()
    grants = list(
        Grant.objects.filter(person_index=person_index).prefetch_related("events").order_by("-period", "policy", "id")
    )
    for grant in grants:
        grant.policy_name = names(grant.book, grant.policy, grant.period)
        grant.history = [
            {"at": e.at, "status": STATUS_WORDS.get(e.to_status, e.to_status), "reason": e.reason}
            for e in grant.events.all()
        ]
    payments = list(
        PaymentInstruction.objects.filter(
            grant__person_index=person_index,
            status__in=[PaymentInstruction.Status.PAID, PaymentInstruction.Status.FAILED],
        )
        .select_related("grant", "batch")
        .order_by("-batch__exported_at", "-id")
    )
    for payment in payments:
        payment.account_shown = _instruction_account(payment)
        payment.policy_name = names(payment.grant.book, payment.grant.policy, payment.grant.period)
    appeals = list(Appeal.objects.filter(person_index=person_index).select_related("grant").order_by("-created_at"))
    for appeal in appeals:
        appeal.policy_name = names(appeal.grant.book if appeal.grant else BOOK, appeal.policy, appeal.period)
    appealed = {a.grant_id for a in appeals if a.grant_id and a.decided_at is None}
    return PersonGrants(
        grants=grants,
        account=PayeeAccount.objects.filter(person_index=person_index).first(),
        payments=payments,
        appeals=appeals,
        refused=[g for g in grants if g.status == S.REFUSED and g.pk not in appealed],
    )


def person_grant(person_index: str, pk: int) -> Grant | None:
    return Grant.objects.filter(person_index=person_index, pk=pk).first()


# --------------------------------------------------------------------------------------- publicity


def publicity_open(today: dt.date | None = None) -> QuerySet[Grant]:
    """Grants on a publicity list now: in publicity (or objected meanwhile) and not past the end date."""
    today = today or timezone.localdate()
    return Grant.objects.filter(
        status__in=[S.PUBLICITY, S.OBJECTED], direction="payment", publicity_until__gte=today
    ).order_by("policy", "period", "district", "id")


def publicity_page(page_number, *, today: dt.date | None = None, staff: bool = False) -> dict:
    """One page of the publicity lists grouped by policy and period, identity numbers masked for the public
    (first two and last two characters) or, for staff, as everywhere in the console."""
    grants = publicity_open(today)
    if staff:
        grants = grants.annotate(open_objections=Count("objections", filter=Q(objections__resolved_at__isnull=True)))
    page = Paginator(grants, PUBLICITY_PAGE).get_page(page_number)
    names = PolicyNames()
    districts = district_names({g.district for g in page})
    mask = mask_id_number if staff else mask_id_number_public
    groups: list[dict] = []
    for grant in page:
        if not groups or (groups[-1]["policy"], groups[-1]["period"]) != (grant.policy, grant.period):
            groups.append({"policy": grant.policy, "period": grant.period, "lines": [],
                           "name": names(grant.book, grant.policy, grant.period)})  # fmt: skip
        groups[-1]["lines"].append({
            "pk": grant.pk, "name": grant.name_masked, "id_masked": mask(grant.id_number_plain()),
            "district": districts.get(grant.district, grant.district), "amount": grant.amount,
            "until": grant.publicity_until, "status": grant.status,
            "open_objections": getattr(grant, "open_objections", 0),
        })  # fmt: skip
    return {"page": page, "groups": groups}


# ------------------------------------------------------------------------------------ staff: work


def runs_awaiting_grants(limit: int = 20) -> list:
    """The latest done screening run of each book and month, when its grants were not created yet (or, for
    a month that already had grants from another run, its changes were not applied yet)."""
    from magnet.apps.audit.models import AuditEntry
    from magnet.apps.radar.models import Run

    latest: dict[tuple[str, str], Run] = {}
    for run in (
        Run.objects.filter(kind=Run.Kind.SCREENING, status=Run.Status.DONE)
        .select_related("snapshot", "created_by")
        .defer("book_files", "base_files")
        .order_by("-finished_at")[: limit * 5]
    ):
        latest.setdefault((run.book, run.month), run)
    runs = list(latest.values())
    ids = [str(r.pk) for r in runs]
    done = set(
        AuditEntry.objects.filter(
            action__in=["grants.from_run", "grants.changes_from_run"], object_id__in=ids
        ).values_list("action", "object_id")
    )
    sources = set(
        Grant.objects.filter(period__in={r.month for r in runs}).values_list("book", "period", "run_id").distinct()
    )
    waiting = []
    for run in runs:
        run.grants_created = (run.book, run.month, run.pk) in sources or ("grants.from_run", str(run.pk)) in done
        earlier = any(b == run.book and p == run.month and r != run.pk for b, p, r in sources)
        run.needs_compare = earlier and ("grants.changes_from_run", str(run.pk)) not in done
        if not run.grants_created or run.needs_compare:
            waiting.append(run)
    return waiting[:limit]


def _masked(grants) -> list[Grant]:
    names = PolicyNames()
    grants = list(grants)
    districts = district_names({g.district for g in grants})
    for grant in grants:
        grant.id_masked = mask_id_number(grant.id_number_plain())
        grant.policy_name = names(grant.book, grant.policy, grant.period)
        grant.district_name = districts.get(grant.district, grant.district)
    return grants


def work_lists(today: dt.date | None = None) -> dict:
    """The staff dashboard: what waits for whom, with the people masked."""
    from magnet.apps.accounts.models import User

    today = today or timezone.localdate()
    counts = dict(Grant.objects.values_list("status").annotate(n=Count("id")).order_by())
    ended = Grant.objects.filter(status=S.PUBLICITY, publicity_until__lt=today).count()
    unreachable = (
        Grant.objects.filter(unreachable=True, status__in=[S.NOTIFIED, S.CONFIRMED, S.PUBLICITY, S.APPROVED])
        .annotate(
            registered=Exists(User.objects.filter(id_number_index=OuterRef("person_index"))),
            has_account=Exists(PayeeAccount.objects.filter(person_index=OuterRef("person_index"))),
        )
        .order_by("-period", "district", "id")
    )
    objections = Objection.objects.filter(resolved_at__isnull=True).select_related("grant").order_by("created_at")
    appeals = Appeal.objects.filter(decided_at__isnull=True).select_related("grant", "user").order_by("created_at")
    failed = Grant.objects.filter(status=S.FAILED).prefetch_related("instructions").order_by("id")
    objections = list(objections[:WORK_LIST])
    _masked([o.grant for o in objections])
    appeals = list(appeals[:WORK_LIST])
    names = PolicyNames()
    for appeal in appeals:
        appeal.policy_name = names(appeal.grant.book if appeal.grant else BOOK, appeal.policy, appeal.period)
        appeal.id_masked = appeal.user.id_number_masked if appeal.user.id_number_cipher else ""
    failed_list = _masked(failed[:WORK_LIST])
    for grant in failed_list:
        last = max(grant.instructions.all(), key=lambda i: i.attempt, default=None)
        grant.failure = last.failure if last else ""
    return {
        "counts": {status: counts.get(status, 0) for status in S.values},
        "publicity_ended": ended,
        "runs": runs_awaiting_grants(),
        "unreachable": _masked(unreachable[:WORK_LIST]),
        "unreachable_total": unreachable.count(),
        "objections": objections,
        "appeals": appeals,
        "failed": failed_list,
        "payable": payable_counts(),
    }


def payable_counts() -> dict:
    """Approved grants that a new batch would take (with a payee account) and those still lacking one."""
    approved = Grant.objects.filter(status=S.APPROVED, direction="payment")
    with_account = approved.filter(Exists(PayeeAccount.objects.filter(person_index=OuterRef("person_index"))))
    ready = with_account.aggregate(n=Count("id"), total=Sum("amount"))
    return {"ready": ready["n"], "total": ready["total"] or Decimal(0), "no_account": approved.count() - ready["n"]}


def appeal_get(pk: int) -> Appeal | None:
    return Appeal.objects.select_related("grant", "grant__run", "user").filter(pk=pk).first()


def objection_get(pk: int) -> Objection | None:
    return Objection.objects.select_related("grant").filter(pk=pk).first()


def grant_policies() -> list[tuple[str, str]]:
    """The policies that have approved grants, for the batch form."""
    names = PolicyNames()
    rows = Grant.objects.filter(status=S.APPROVED).values_list("book", "policy", "period").distinct()
    seen: dict[str, str] = {}
    for book, policy, period in rows.order_by("policy", "-period"):
        seen.setdefault(policy, names(book, policy, period))
    return sorted(seen.items())


# ----------------------------------------------------------------------------------------- batches


def batch_list() -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.select_related("created_by", "approved_by", "second_approved_by").order_by(
        "-created_at"
    )


def batch_get(pk: int) -> PaymentBatch | None:
    return batch_list().filter(pk=pk).first()


def batch_lines(batch: PaymentBatch, page_number) -> dict:
    """One page of a batch's instructions: masked identity number, name and account."""
    page = Paginator(batch.instructions.select_related("grant").order_by("line_no"), BATCH_PAGE).get_page(page_number)
    names = PolicyNames()
    districts = district_names({i.grant.district for i in page})
    for line in page:
        line.id_masked = mask_id_number(line.grant.id_number_plain())
        line.account_shown = _instruction_account(line)
        line.policy_name = names(line.grant.book, line.grant.policy, line.grant.period)
        line.district_name = districts.get(line.grant.district, line.grant.district)
    return {"page": page}


def batch_reconciliation(batch: PaymentBatch) -> dict:
    """Paid, failed and pending lines (count and amount) and every return file imported, with its
    discrepancies."""
    rows = batch.instructions.values("status").annotate(n=Count("id"), amount=Sum("amount")).order_by()
    by_status = {r["status"]: r for r in rows}
    summary = {
        status: {"count": by_status.get(status, {}).get("n", 0),
                 "amount": by_status.get(status, {}).get("amount") or Decimal(0)}
        for status in PaymentInstruction.Status.values
    }  # fmt: skip
    imports = list(ReturnImport.objects.filter(batch=batch).select_related("imported_by").order_by("-imported_at"))
    return {"summary": summary, "imports": imports}


# ------------------------------------------------------------------------------------------ ledger


def ledger_balances() -> list[LedgerAccount]:
    """Every ledger account with its balance (debits positive, credits negative) and number of postings; an
    expense account is named after its policy (as the demo book names it)."""
    names = PolicyNames()
    accounts = list(
        LedgerAccount.objects.annotate(balance=Sum("postings__amount"), postings_count=Count("postings")).order_by(
            "code"
        )
    )
    for account in accounts:
        kind, _, policy = account.code.partition(":")
        account.label = f"{gettext('补贴支出')} · {names(BOOK, policy)}" if kind == "expense" else account.name
    return accounts


def ledger_recent(limit: int = 30):
    from magnet.apps.grants.models import JournalEntry

    return JournalEntry.objects.prefetch_related("postings__account").order_by("-id")[:limit]


# ------------------------------------------------------------------------------------------ budget


def months_elapsed(today: dt.date) -> int:
    """Months of the year counted so far, the current one included (a projection in January is rough).

    >>> months_elapsed(dt.date(2025, 3, 2))
    3
    """
    return today.month


def budget(year: int, today: dt.date | None = None) -> dict:
    """By policy and district for `year`: approved (expense booked, net of reversals), paid (cash out of
    the treasury, net of recoveries), the year's projection (paid ÷ months elapsed × 12), and the policy's
    budget pool from the published book with what is left of it after the approvals."""
    from magnet.apps.radar.selectors import published_book

    today = today or timezone.localdate()
    months = months_elapsed(today) if year == today.year else 12
    # every posting names its grant (a batch step posts one line per grant), so this groups by the grant's own
    postings = Posting.objects.filter(entry__created_at__year=year, grant__isnull=False)
    approved = (
        postings.filter(account__code__startswith="expense:")
        .values("grant__book", "grant__policy", "grant__district")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    paid = (
        postings.filter(account__code="cash:treasury")
        .values("grant__book", "grant__policy", "grant__district")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    cells: dict[tuple[str, str, str], dict] = {}
    for rows, column, sign in ((approved, "approved", 1), (paid, "paid", -1)):
        for r in rows:
            key = (r["grant__book"], r["grant__policy"], r["grant__district"])
            cell = cells.setdefault(key, {"approved": Decimal(0), "paid": Decimal(0)})
            cell[column] += sign * (r["total"] or Decimal(0))
    names = PolicyNames()
    districts = district_names({k[2] for k in cells})
    policies: dict[tuple[str, str], dict] = {}
    for (book, policy, district), cell in sorted(cells.items()):
        entry = policies.setdefault((book, policy), {"book": book, "policy": policy, "rows": [],
                                                     "approved": Decimal(0), "paid": Decimal(0)})  # fmt: skip
        entry["rows"].append({"district": district, "district_name": districts.get(district, district),
                              **cell, "projection": _projection(cell["paid"], months)})  # fmt: skip
        entry["approved"] += cell["approved"]
        entry["paid"] += cell["paid"]
    books = {}
    for (book, policy), entry in policies.items():
        entry["name"] = names(book, policy, f"{year}-{min(months, 12):02d}")
        entry["projection"] = _projection(entry["paid"], months)
        if book not in books:
            try:
                books[book] = {p.id: p for p in published_book(book).policies}
            except KeyError:
                books[book] = {}
        pool = getattr(books[book].get(policy), "budget_pool", None)
        entry["pool"] = pool["amount"] if pool else None
        entry["pool_name"] = pool["name"] if pool else ""
        entry["left"] = pool["amount"] - entry["approved"] if pool else None
    total = {k: sum((e[k] for e in policies.values()), Decimal(0)) for k in ("approved", "paid")}
    total["projection"] = _projection(total["paid"], months)
    return {"year": year, "months": months, "policies": list(policies.values()), "total": total}


def _projection(paid: Decimal, months: int) -> Decimal:
    return (paid / months * 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if months else Decimal(0)


def budget_years() -> list[int]:
    from magnet.apps.grants.models import JournalEntry

    years = {d.year for d in JournalEntry.objects.datetimes("created_at", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)
