"""The grant lifecycle and the ledger (SECURITY.md B5): entitlements become grants, grants become money.

matched → notified → confirmed (or auto for 免申即享) → publicity (公示) → approved → in a batch → paid,
or failed → approved again (a new attempt) ; objection → refused or back to publicity ; a later run that
no longer finds the person eligible → refused (before approval), reversed (approved, not paid) or
recovery (paid: 追回) → recovered.

Every step is one transaction with a conditional status change (`UPDATE … WHERE status IN (…)`), so two
staff doing the same thing at once, or a step retried after a crash, change a grant once. Ledger entries
carry unique keys (`approve:<grant>`, `send:<instruction>`, `settle:<instruction>` …): a step that runs
twice posts once. Money is Decimal, never float.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from magnet.apps.audit.services import audit_record
from magnet.apps.common.errors import DomainError
from magnet.apps.common.pii import cipher, id_number_index
from magnet.apps.grants.models import (
    Appeal,
    Grant,
    GrantEvent,
    JournalEntry,
    LedgerAccount,
    Objection,
    PayeeAccount,
    PaymentBatch,
    PaymentInstruction,
    Posting,
    ReturnImport,
)
from magnet.core.feeds.checks import mask_id_number

logger = logging.getLogger(__name__)
S = Grant.Status
CENT = Decimal("0.01")
LIVE_BEFORE_PAYMENT = (S.MATCHED, S.NOTIFIED, S.CONFIRMED, S.PUBLICITY, S.OBJECTED)


def mask_name(name: str) -> str:
    name = (name or "").strip()
    return (name[0] + "*" * (len(name) - 1)) if len(name) > 1 else (name or "")


# ------------------------------------------------------------------------------------------- ledger

ACCOUNT_NAMES = {
    "payable:grants": "应付补贴",
    "clearing:bank": "银行在途",
    "cash:treasury": "财政专户",
    "receivable:recovery": "应收追回款",
}


def _account(code: str) -> LedgerAccount:
    name = ACCOUNT_NAMES.get(code) or (f"补贴支出 · {code.split(':', 1)[1]}" if code.startswith("expense:") else code)
    return LedgerAccount.objects.get_or_create(code=code, defaults={"name": name})[0]


def post(key: str, kind: str, lines: list[tuple[str, Decimal]], *, grant=None, batch=None, memo="") -> bool:
    """Post one journal entry whose lines sum to zero; False when an entry with this key already exists."""
    if sum((amount for _, amount in lines), Decimal(0)) != 0:
        raise ValueError(f"entry {key} does not balance")
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(key=key, kind=kind, grant=grant, batch=batch, memo=memo[:200])
            Posting.objects.bulk_create(
                [Posting(entry=entry, account=_account(code), amount=amount, grant=grant) for code, amount in lines]
            )
    except IntegrityError:
        if JournalEntry.objects.filter(key=key).exists():
            return False
        raise
    return True


def post_many(kind: str, key: str, lines: list[tuple[int, str, Decimal]], contra: str, *, batch=None) -> bool:
    """One entry for a step over many grants: a posting per grant (grant id, account, amount) and one contra
    posting of the opposite total, so the entry sums to zero. Written with COPY on PostgreSQL. False (and
    nothing posted) when an entry with this key exists already."""
    total = sum((amount for _, _, amount in lines), Decimal(0))
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(key=key, kind=kind, batch=batch)
            accounts = {code: _account(code).pk for code in {code for _, code, _ in lines} | {contra}}
            rows = [(entry.pk, accounts[code], amount, grant_id) for grant_id, code, amount in lines]
            if total:
                rows.append((entry.pk, accounts[contra], -total, None))
            copy_rows(Posting, ["entry_id", "account_id", "amount", "grant_id"], rows)
    except IntegrityError:
        if JournalEntry.objects.filter(key=key).exists():
            return False
        raise
    return True


def copy_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows fast: COPY on PostgreSQL, bulk_create elsewhere (inside the caller's transaction)."""
    from django.db import connection

    if not rows:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(model._meta.get_field(c.removesuffix("_id")).column
                                                    if c.endswith("_id") else c) for c in columns)  # fmt: skip
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(json.dumps(v) if isinstance(v, dict) else v for v in row))
        return
    model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000)


def balance(code: str) -> Decimal:
    return Posting.objects.filter(account__code=code).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def grant_paid(grant: Grant) -> Decimal:
    """What the ledger says was paid for a grant: what left the treasury for it, less what came back."""
    postings = Posting.objects.filter(grant=grant, account__code="cash:treasury")
    return -(postings.aggregate(s=Sum("amount"))["s"] or Decimal(0))


# ------------------------------------------------------------------------------------------- events


def _move(grant_id: int, to: str, allowed: Iterable[str], *, actor=None, reason="", data=None, **fields) -> Grant:
    """Change a grant's status only if it is still in one of `allowed`; otherwise refuse (nothing changes)."""
    allowed = list(allowed)
    with transaction.atomic():
        grant = Grant.objects.select_for_update().get(pk=grant_id)
        if grant.status not in allowed:
            raise DomainError("grant_state", f"补贴状态为“{grant.get_status_display()}”，不能执行此操作")
        previous = grant.status
        Grant.objects.filter(pk=grant_id).update(status=to, updated_at=timezone.now(), **fields)
        GrantEvent.objects.create(
            grant_id=grant_id, from_status=previous, to_status=to, actor=actor, reason=reason, data=data or {}
        )
        grant.refresh_from_db()
    return grant


# --------------------------------------------------------------------------------- from a radar run


def grants_from_run(run, *, actor=None, request=None) -> dict:
    """Create the grants of a done screening run: one per person, policy and period (the database's unique
    constraint makes a second call, or two at once, add nothing). Returns counts."""
    import duckdb

    from magnet.apps.radar.selectors import published_book, snapshot_opened
    from magnet.core.radar import Month

    if run.status != "done" or not run.result_file or run.kind != "screening":
        raise DomainError("run_not_done", "只有已完成的筛查运行才能生成补贴")
    book = published_book(run.book, Month.parse(run.month))
    policies = {p.id: p for p in book.policies}
    snapshot = snapshot_opened(run.snapshot_id)
    result = Path(settings.MAGNET_DATA_DIR) / run.result_file
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT r.id_number, r.policy, r.period, r.amount, r.district, p.name "
            "FROM read_parquet($result) r LEFT JOIN read_parquet($persons) p USING (id_number) ORDER BY 1, 2",
            {"result": str(result), "persons": str(snapshot.feeds["persons"])},
        ).fetchall()
    finally:
        con.close()
    field_cipher = cipher()
    before = Grant.objects.count()
    batch: list[Grant] = []
    skipped = {"cap": 0, "excluded": 0}
    with transaction.atomic():
        limits = _limits(policies)
        for id_number, policy_id, period, amount, district, name in rows:
            policy = policies.get(policy_id)
            if policy is None or amount is None or amount <= 0:
                continue
            amount = Decimal(amount).quantize(CENT)
            person = id_number_index(id_number)
            amount, why = limits.admit(person, policy, period, amount)
            if why:
                skipped[why] += 1
                continue
            recovery = policy.direction == "recovery"
            batch.append(Grant(
                person_index=person,
                id_number_cipher=field_cipher.encrypt(id_number, context="id_number"),
                name_masked=mask_name(name or ""), district=district or "", policy=policy_id, period=period,
                amount=amount, mode=policy.mode, direction=policy.direction,
                book=run.book, book_version=run.book_version, run=run,
                status=S.RECOVERY if recovery else S.MATCHED,
            ))  # fmt: skip
            if len(batch) >= 5000:
                Grant.objects.bulk_create(batch, ignore_conflicts=True, batch_size=5000)
                batch.clear()
        if batch:
            Grant.objects.bulk_create(batch, ignore_conflicts=True, batch_size=5000)
    created = Grant.objects.count() - before
    audit_record(
        request=request,
        actor=actor,
        action="grants.from_run",
        object_type="radar.run",
        object_id=str(run.pk),
        detail={"entitlements": len(rows), "created": created, **skipped},
    )
    existing = len(rows) - created - skipped["cap"] - skipped["excluded"]
    return {"entitlements": len(rows), "created": created, "existing": existing, "capped": skipped["cap"],
            "excluded": skipped["excluded"]}  # fmt: skip


DEAD = (S.REFUSED, S.REVERSED)


class _Limits:
    """Caps and exclusions across runs (the engine applies them within one run): a policy's `caps`
    (`periods`: at most so many grants per person; `per_person_total`: at most so much in all, the last
    grant reduced to what is left) and `not_with` (no grant while the person has one of those policies for
    the same period). Capped and excluding policies are locked for the transaction, so two runs at once
    cannot both take the last of a cap."""

    def __init__(self, policies: dict):
        self.policies = policies
        watched = {pid for pid, p in policies.items() if p.caps or p.not_with}
        watched |= {other for p in policies.values() for other in p.not_with}
        for pid in sorted(watched):  # a fixed order: no deadlock between two runs
            LedgerAccount.objects.get_or_create(code=f"expense:{pid}", defaults={"name": f"补贴支出 · {pid}"})
            LedgerAccount.objects.select_for_update().get(code=f"expense:{pid}")
        self.count: dict[tuple[str, str], int] = {}
        self.total: dict[tuple[str, str], Decimal] = {}
        self.periods: set[tuple[str, str, str]] = set()
        live = Grant.objects.filter(policy__in=watched).exclude(status__in=DEAD)
        for person, pid, period, amount in live.values_list("person_index", "policy", "period", "amount"):
            self._add(person, pid, period, amount)

    def _add(self, person: str, pid: str, period: str, amount: Decimal) -> None:
        self.count[(person, pid)] = self.count.get((person, pid), 0) + 1
        self.total[(person, pid)] = self.total.get((person, pid), Decimal(0)) + amount
        self.periods.add((person, pid, period))

    def admit(self, person: str, policy, period: str, amount: Decimal) -> tuple[Decimal, str | None]:
        if (person, policy.id, period) in self.periods:
            return amount, None  # already there: the unique constraint keeps the one that exists
        if any((person, other, period) in self.periods for other in policy.not_with):
            return amount, "excluded"
        caps = policy.caps or {}
        if "periods" in caps and self.count.get((person, policy.id), 0) >= caps["periods"]:
            return amount, "cap"
        if "per_person_total" in caps:
            left = caps["per_person_total"] - self.total.get((person, policy.id), Decimal(0))
            if left <= 0:
                return amount, "cap"
            amount = min(amount, left)
        self._add(person, policy.id, period, amount)
        return amount, None


def _limits(policies: dict) -> _Limits:
    return _Limits(policies)


def changes_from_run(run, *, actor=None, request=None) -> dict:
    """A later run for the same month that no longer finds a person eligible (a corrected feed): grants not
    yet approved are refused, approved ones reversed, paid ones put in recovery (追回) — never deleted."""
    import duckdb

    result = Path(settings.MAGNET_DATA_DIR) / run.result_file
    con = duckdb.connect()
    try:
        still = {(id_number_index(i), p) for i, p in con.execute(
            "SELECT id_number, policy FROM read_parquet($r)", {"r": str(result)}).fetchall()}  # fmt: skip
    finally:
        con.close()
    screened = set(run.policies or []) or set(Grant.objects.filter(period=run.month).values_list("policy", flat=True))
    counts = {"refused": 0, "reversed": 0, "recovery": 0}
    for grant in Grant.objects.filter(period=run.month, policy__in=screened, direction="payment").exclude(
        status__in=[S.REFUSED, S.REVERSED, S.RECOVERY, S.RECOVERED]
    ):
        if (grant.person_index, grant.policy) in still:
            continue
        reason = f"筛查运行 {str(run.pk)[:8]} 不再认定符合条件"
        if grant.status in LIVE_BEFORE_PAYMENT:
            _move(grant.pk, S.REFUSED, LIVE_BEFORE_PAYMENT, actor=actor, reason=reason)
            counts["refused"] += 1
        elif grant.status in (S.APPROVED, S.FAILED):
            with transaction.atomic():
                _move(grant.pk, S.REVERSED, (S.APPROVED, S.FAILED), actor=actor, reason=reason)
                post(f"reverse:{grant.pk}", "reverse",
                     [("payable:grants", grant.amount), (f"expense:{grant.policy}", -grant.amount)], grant=grant,
                     memo=reason)  # fmt: skip
            counts["reversed"] += 1
        elif grant.status == S.PAID:
            with transaction.atomic():
                _move(grant.pk, S.RECOVERY, (S.PAID,), actor=actor, reason=reason)
                post(f"recover:{grant.pk}", "recover",
                     [("receivable:recovery", grant.amount), (f"expense:{grant.policy}", -grant.amount)], grant=grant,
                     memo=reason)  # fmt: skip
            counts["recovery"] += 1
    audit_record(
        request=request,
        actor=actor,
        action="grants.changes_from_run",
        object_type="radar.run",
        object_id=str(run.pk),
        detail=counts,
    )
    return counts


def recovered(grant: Grant, *, actor, request=None, reference: str = "") -> Grant:
    with transaction.atomic():
        grant = _move(grant.pk, S.RECOVERED, (S.RECOVERY,), actor=actor, reason=reference or "追回到账")
        if grant.direction == "payment":
            post(f"recovered:{grant.pk}", "recovered",
                 [("cash:treasury", grant.amount), ("receivable:recovery", -grant.amount)], grant=grant)  # fmt: skip
    audit_record(request=request, actor=actor, action="grants.recovered", object_type="grant", object_id=str(grant.pk))
    return grant


# ------------------------------------------------------------------------------------- notification


def person_user(person_index: str):
    from magnet.apps.accounts.models import User

    return User.objects.filter(id_number_index=person_index, role="talent").first()


def notify_matched(*, actor=None, request=None, limit: int | None = None) -> dict:
    """Tell every person with a new grant (inbox + SMS with a deep link). Those who cannot be reached (no
    account bound to the identity, or no phone) are marked for the staff work list. `auto` grants
    (免申即享) need no confirmation and go on to confirmed."""
    from magnet.apps.inbox.services import notify

    counts = {"notified": 0, "auto": 0, "unreachable": 0}
    grants = Grant.objects.filter(status=S.MATCHED).order_by("id")
    if limit:
        grants = grants[:limit]
    for grant in grants:
        user = person_user(grant.person_index)
        if grant.mode == "auto":
            _move(grant.pk, S.CONFIRMED, (S.MATCHED,), actor=actor, reason="免申即享", confirmed_at=timezone.now())
            counts["auto"] += 1
        else:
            _move(grant.pk, S.NOTIFIED, (S.MATCHED,), actor=actor, reason="已通知本人确认")
            counts["notified"] += 1
        if user is None or not user.phone_cipher:
            Grant.objects.filter(pk=grant.pk).update(unreachable=True)
            counts["unreachable"] += 1
            continue
        action = "请确认收款账户" if grant.mode == "confirm" else "无需申请，将直接发放"
        notify(
            user,
            kind="grant",
            text=f"您有一笔{_policy_name(grant)}（{grant.period}，{grant.amount} 元）：{action}",
            link=f"/grants/#g{grant.pk}",
            sms=True,
        )
    audit_record(
        request=request, actor=actor, action="grants.notify", object_type="grant", object_id="matched", detail=counts
    )
    return counts


def _policy_name(grant: Grant) -> str:
    try:
        from magnet.apps.radar.selectors import published_book
        from magnet.core.radar import Month

        return published_book(grant.book, Month.parse(grant.period)).policy(grant.policy).names["zh"]
    except Exception:  # a book renamed since: the id is still meaningful  # noqa: BLE001
        return grant.policy


# ------------------------------------------------------------------------------------- confirmation


def person_name(id_number: str) -> str | None:
    from magnet.apps.feeds.selectors import person_feed_lookup

    row, _ = person_feed_lookup(id_number)
    return row["name"] if row else None


def payee_account_set(user, *, account_name: str, account_number: str, bank_code: str, request=None) -> PayeeAccount:
    """The person's bank account for subsidies: it must be in their own name (the persons feed)."""
    if user.role != "talent" or not user.id_number_cipher or user.identity_status != "verified":
        raise DomainError("identity_unverified", "请先完成实名身份绑定")
    account_number = "".join(account_number.split())
    problems = {}
    if not account_number.isdigit() or not 12 <= len(account_number) <= 30:
        problems["account_number"] = "银行账号应为12至30位数字"
    if not bank_code.strip():
        problems["bank_code"] = "请填写开户行"
    name = person_name(user.id_number_plain())
    if name is None:
        problems["account_name"] = "数据中暂无您的姓名，无法核对户名"
    elif account_name.strip() != name:
        problems["account_name"] = "户名须与本人姓名一致（不能使用他人账户）"
    if problems:
        raise DomainError("account_refused", "收款账户未通过核验", extra={"fields": problems}, status=400)
    account, _ = PayeeAccount.objects.update_or_create(
        person_index=user.id_number_index,
        defaults={"account_name": account_name.strip(),
                  "account_number_cipher": cipher().encrypt(account_number, context="bank_account"),
                  "account_masked": f"{account_number[:4]}****{account_number[-4:]}", "bank_code": bank_code.strip()},
    )  # fmt: skip
    audit_record(
        request=request,
        actor=user,
        action="grants.payee_account",
        object_type="payee",
        object_id=str(account.pk),
        detail={"account": account.account_masked},
    )
    return account


def confirm(grant: Grant, user, *, request=None) -> Grant:
    """一次提交·自动校验: the person confirms once; the conditions are checked again now; passing, the grant
    is confirmed without staff work; failing, the refusal names the condition."""
    if grant.person_index != user.id_number_index:
        raise DomainError("not_yours", "这不是您的补贴", status=403)
    if not PayeeAccount.objects.filter(person_index=grant.person_index).exists():
        raise DomainError("no_account", "请先填写本人名下的收款账户")
    failing = recheck(grant)
    if failing:
        raise DomainError("no_longer_eligible", "重新核验未通过：" + "；".join(failing))
    grant = _move(grant.pk, S.CONFIRMED, (S.NOTIFIED,), actor=user, reason="本人确认", confirmed_at=timezone.now())
    audit_record(request=request, actor=user, action="grants.confirm", object_type="grant", object_id=str(grant.pk))
    return grant


def recheck(grant: Grant) -> list[str]:
    """The conditions that fail now, in words (empty: still eligible), on the latest snapshot."""
    from magnet.apps.feeds.selectors import snapshot_latest
    from magnet.apps.radar.selectors import person_index_dir, published_book, snapshot_opened
    from magnet.core.radar import Month, connect, explain
    from magnet.core.radar.engine import use_person

    latest = snapshot_latest()
    if latest is None:
        return ["暂无数据快照"]
    snapshot = snapshot_opened(latest.id)
    month = Month.parse(grant.period)
    book = published_book(grant.book, month)
    id_number = grant.id_number_plain()
    con = connect()
    try:
        use_person(con, snapshot, person_index_dir(snapshot.id), id_number)
        result = explain(con, book, month, id_number)
    finally:
        con.close()
    for p in result.policies:
        if p.policy == grant.policy:
            return [] if p.eligible else [c.zh for c in p.conditions if not c.passed]
    return ["该政策在当月不再适用"]


# ---------------------------------------------------------------------------- publicity and approval


def publicity_start(*, actor, days: int | None = None, policy: str | None = None, request=None) -> int:
    days = days if days is not None else settings.MAGNET_PUBLICITY_DAYS
    until = timezone.localdate() + dt.timedelta(days=days)
    grants = Grant.objects.filter(status=S.CONFIRMED, direction="payment")
    if policy:
        grants = grants.filter(policy=policy)
    count = 0
    for pk in grants.values_list("pk", flat=True):
        _move(pk, S.PUBLICITY, (S.CONFIRMED,), actor=actor, reason=f"公示{days}天", publicity_until=until)
        count += 1
    audit_record(
        request=request,
        actor=actor,
        action="grants.publicity",
        object_type="grant",
        object_id=policy or "*",
        detail={"grants": count, "until": until.isoformat()},
    )
    return count


def objection_raise(grant: Grant, *, text: str, contact: str = "", request=None) -> Objection:
    text = text.strip()
    if len(text) < 5:
        raise DomainError(
            "objection_short", "请写明异议理由（至少5个字）", extra={"fields": {"text": "太短"}}, status=400
        )
    with transaction.atomic():
        _move(grant.pk, S.OBJECTED, (S.PUBLICITY, S.OBJECTED), reason="公示期收到异议")
        objection = Objection.objects.create(grant=grant, text=text[:2000], contact=contact[:60])
    audit_record(request=request, action="grants.objection", object_type="grant", object_id=str(grant.pk))
    return objection


def objection_resolve(objection: Objection, *, upheld: bool, resolution: str, actor, request=None) -> Objection:
    if not resolution.strip():
        raise DomainError("reason_required", "请填写处理意见", status=400)
    with transaction.atomic():
        done = Objection.objects.filter(pk=objection.pk, resolved_at__isnull=True).update(
            upheld=upheld, resolution=resolution.strip(), resolved_by=actor, resolved_at=timezone.now()
        )
        if not done:
            raise DomainError("already_resolved", "该异议已处理")
        open_left = Objection.objects.filter(grant=objection.grant, resolved_at__isnull=True).exists()
        if upheld:
            _move(objection.grant_id, S.REFUSED, (S.OBJECTED,), actor=actor, reason=f"异议成立：{resolution}")
        elif not open_left:
            _move(objection.grant_id, S.PUBLICITY, (S.OBJECTED,), actor=actor, reason=f"异议不成立：{resolution}")
    audit_record(
        request=request,
        actor=actor,
        action="grants.objection_resolved",
        object_type="grant",
        object_id=str(objection.grant_id),
        detail={"upheld": upheld},
    )
    objection.refresh_from_db()
    return objection


def _within_budget(grant: Grant) -> bool:
    """A policy with a first-come budget pool approves while what it has approved (its expense account: the
    approvals less reversals) plus this grant stays within the pool. The account row is locked, so two
    approvals at once cannot both take the last of it."""
    from magnet.apps.radar.selectors import published_book
    from magnet.core.radar import Month

    try:
        pool = published_book(grant.book, Month.parse(grant.period)).policy(grant.policy).budget_pool
    except KeyError:
        return True
    if not pool or pool.get("amount") is None:
        return True
    code = f"expense:{grant.policy}"
    _account(code)
    LedgerAccount.objects.select_for_update().get(code=code)
    return balance(code) + grant.amount <= pool["amount"]


def budget_left(book: str, policy: str, month) -> Decimal | None:
    from magnet.apps.radar.selectors import published_book

    pool = published_book(book, month).policy(policy).budget_pool
    if not pool or pool.get("amount") is None:
        return None
    return pool["amount"] - balance(f"expense:{policy}")


def approve_after_publicity(*, actor, today: dt.date | None = None, request=None) -> int:
    """Grants whose publicity ended without an open objection are approved: the ledger books the expense."""
    today = today or timezone.localdate()
    count = 0
    refused = 0
    for grant in Grant.objects.filter(status=S.PUBLICITY, publicity_until__lt=today).order_by("confirmed_at", "id"):
        with transaction.atomic():
            if not _within_budget(grant):
                _move(grant.pk, S.REFUSED, (S.PUBLICITY,), actor=actor, reason="政策资金额度已用完（先到先得）")
                refused += 1
                continue
            _move(grant.pk, S.APPROVED, (S.PUBLICITY,), actor=actor, reason="公示期满无异议")
            lines = [(f"expense:{grant.policy}", grant.amount), ("payable:grants", -grant.amount)]
            post(f"approve:{grant.pk}", "approve", lines, grant=grant)
        count += 1
    audit_record(
        request=request,
        actor=actor,
        action="grants.approve",
        object_type="grant",
        object_id="publicity",
        detail={"grants": count, "refused_budget": refused},
    )
    return count


def refuse(grant: Grant, *, actor, reason: str, request=None) -> Grant:
    if not reason.strip():
        raise DomainError("reason_required", "请填写理由", status=400)
    grant = _move(grant.pk, S.REFUSED, LIVE_BEFORE_PAYMENT, actor=actor, reason=reason)
    audit_record(request=request, actor=actor, action="grants.refuse", object_type="grant", object_id=str(grant.pk))
    return grant


def appeal_file(user, *, policy: str, period: str, text: str, grant: Grant | None = None, request=None) -> Appeal:
    if not user.id_number_index:
        raise DomainError("identity_unverified", "请先完成实名身份绑定")
    if len(text.strip()) < 5:
        raise DomainError("appeal_short", "请写明申诉理由（至少5个字）", extra={"fields": {"text": "太短"}}, status=400)
    if grant is not None and grant.person_index != user.id_number_index:
        raise DomainError("not_yours", "这不是您的补贴", status=403)
    appeal = Appeal.objects.create(
        person_index=user.id_number_index,
        user=user,
        grant=grant,
        policy=policy,
        period=period,
        text=text.strip()[:2000],
    )
    audit_record(request=request, actor=user, action="grants.appeal", object_type="appeal", object_id=str(appeal.pk))
    return appeal


def appeal_decide(appeal: Appeal, *, granted: bool, decision: str, actor, request=None) -> Appeal:
    if not decision.strip():
        raise DomainError("reason_required", "请填写复核意见", status=400)
    done = Appeal.objects.filter(pk=appeal.pk, decided_at__isnull=True).update(
        granted=granted, decision=decision.strip(), decided_by=actor, decided_at=timezone.now()
    )
    if not done:
        raise DomainError("already_decided", "该申诉已复核")
    appeal.refresh_from_db()
    from magnet.apps.inbox.services import notify

    notify(
        appeal.user,
        kind="appeal",
        text=f"您的申诉已复核：{'予以支持' if granted else '维持原结论'}。{decision}",
        link="/grants/",
        sms=True,
    )
    audit_record(
        request=request,
        actor=actor,
        action="grants.appeal_decided",
        object_type="appeal",
        object_id=str(appeal.pk),
        detail={"granted": granted},
    )
    return appeal


# ------------------------------------------------------------------------------------------ batches


def batch_assemble(*, actor, policy: str | None = None, limit: int | None = None, request=None) -> PaymentBatch:
    """Take approved grants with a payee account into a new batch: amounts and accounts are frozen in its
    instructions, each with its idempotency key. A grant already taken by another batch is skipped."""
    from magnet.core.payments import idempotency_key

    with transaction.atomic():
        grants = Grant.objects.select_for_update(skip_locked=True).filter(status=S.APPROVED, direction="payment")
        if policy:
            grants = grants.filter(policy=policy)
        accounts = {a.person_index: a for a in PayeeAccount.objects.filter(
            person_index__in=grants.values("person_index"))}  # fmt: skip
        chosen = [g for g in grants.order_by("id") if g.person_index in accounts]
        if limit:
            chosen = chosen[:limit]
        if not chosen:
            raise DomainError("nothing_to_pay", "没有可发放的补贴（已审批且已登记收款账户）")
        batch = PaymentBatch.objects.create(created_by=actor, policy=policy or "")
        rows = []
        for n, grant in enumerate(chosen, start=1):
            account = accounts[grant.person_index]
            attempt = grant.attempt + 1
            key = idempotency_key(grant.person_index, grant.policy, grant.period, attempt)
            rows.append(
                (
                    batch.pk,
                    grant.pk,
                    n,
                    key,
                    attempt,
                    grant.amount,
                    account.account_name,
                    account.account_number_cipher,
                    account.bank_code,
                    PaymentInstruction.Status.PENDING,
                    "",
                    "",
                )
            )
        copy_rows(
            PaymentInstruction,
            [
                "batch_id",
                "grant_id",
                "line_no",
                "key",
                "attempt",
                "amount",
                "account_name",
                "account_number_cipher",
                "bank_code",
                "status",
                "bank_ref",
                "failure",
            ],
            rows,
        )
        ids = [g.pk for g in chosen]
        now = timezone.now()
        moved = 0
        for start in range(0, len(ids), 2000):
            moved += Grant.objects.filter(pk__in=ids[start : start + 2000], status=S.APPROVED).update(
                status=S.IN_BATCH, attempt=F("attempt") + 1, updated_at=now
            )
        if moved != len(ids):
            raise DomainError("grant_state", "部分补贴状态已变化，请重新生成批次")
        copy_rows(
            GrantEvent,
            ["grant_id", "from_status", "to_status", "actor_id", "reason", "data", "at"],
            [(pk, S.APPROVED, S.IN_BATCH, actor.pk, f"编入批次 {batch.pk}", {}, now) for pk in ids],
        )
        total = sum((g.amount for g in chosen), Decimal(0))
        PaymentBatch.objects.filter(pk=batch.pk).update(lines=len(chosen), total=total)
    batch.refresh_from_db()
    audit_record(
        request=request,
        actor=actor,
        action="grants.batch_assemble",
        object_type="batch",
        object_id=str(batch.pk),
        detail={"lines": batch.lines, "total": str(batch.total)},
    )
    return batch


def batch_approve(batch: PaymentBatch, *, actor, request=None) -> PaymentBatch:
    """Maker-checker: another staff member approves; above the threshold a third gives a second approval.
    The status changes only from the state it was read in, so two approvers at once approve once."""
    now = timezone.now()
    if batch.created_by_id == actor.pk:
        raise DomainError("maker_cannot_approve", "制单人不能审批自己的批次", status=403)
    threshold = Decimal(str(settings.MAGNET_BATCH_SECOND_APPROVAL_ABOVE))
    if batch.status == PaymentBatch.Status.ASSEMBLED:
        to = PaymentBatch.Status.FIRST_APPROVED if batch.total > threshold else PaymentBatch.Status.APPROVED
        done = (
            PaymentBatch.objects.filter(pk=batch.pk, status=PaymentBatch.Status.ASSEMBLED)
            .exclude(created_by=actor)
            .update(status=to, approved_by=actor, approved_at=now)
        )
    elif batch.status == PaymentBatch.Status.FIRST_APPROVED:
        if batch.approved_by_id == actor.pk:
            raise DomainError("second_approver", "二级审批须由另一人进行", status=403)
        done = (
            PaymentBatch.objects.filter(pk=batch.pk, status=PaymentBatch.Status.FIRST_APPROVED)
            .exclude(Q(created_by=actor) | Q(approved_by=actor))
            .update(status=PaymentBatch.Status.APPROVED, second_approved_by=actor, second_approved_at=now)
        )
    else:
        done = 0
    if not done:
        raise DomainError("batch_state", "批次状态已变化（可能已被他人审批），请刷新")
    batch.refresh_from_db()
    audit_record(
        request=request,
        actor=actor,
        action="grants.batch_approve",
        object_type="batch",
        object_id=str(batch.pk),
        detail={"status": batch.status, "total": str(batch.total)},
    )
    return batch


def batch_cancel(batch: PaymentBatch, *, actor, reason: str, request=None) -> PaymentBatch:
    with transaction.atomic():
        done = PaymentBatch.objects.filter(pk=batch.pk, status__in=[
            PaymentBatch.Status.ASSEMBLED, PaymentBatch.Status.FIRST_APPROVED, PaymentBatch.Status.APPROVED,
        ]).update(status=PaymentBatch.Status.CANCELLED)  # fmt: skip
        if not done:
            raise DomainError("batch_state", "已导出的批次不能作废")
        grant_ids = list(batch.instructions.values_list("grant_id", flat=True))
        batch.instructions.update(status=PaymentInstruction.Status.CANCELLED)
        Grant.objects.filter(pk__in=grant_ids, status=S.IN_BATCH).update(status=S.APPROVED)
        GrantEvent.objects.bulk_create([GrantEvent(grant_id=pk, from_status=S.IN_BATCH, to_status=S.APPROVED,
                                                   actor=actor, reason=f"批次 {batch.pk} 作废：{reason}")
                                        for pk in grant_ids])  # fmt: skip
    audit_record(
        request=request,
        actor=actor,
        action="grants.batch_cancel",
        object_type="batch",
        object_id=str(batch.pk),
        detail={"reason": reason},
    )
    batch.refresh_from_db()
    return batch


def _export_dir() -> Path:
    return Path(settings.MAGNET_DATA_DIR) / "grants" / "bank"


def batch_export(batch: PaymentBatch, *, actor, request=None) -> bytes:
    """The bank file of an approved batch. Exporting again gives the same bytes and posts nothing more."""
    from magnet.core.payments import Instruction, export_bank_file

    batch.refresh_from_db()
    if batch.status in (PaymentBatch.Status.EXPORTED, PaymentBatch.Status.RECONCILED):
        data = (Path(settings.MAGNET_DATA_DIR) / batch.export_file).read_bytes()
        if hashlib.sha256(data).hexdigest() != batch.export_sha256:
            raise DomainError("export_tampered", "导出文件与记录的校验值不符，请联系系统管理员", status=500)
        audit_record(
            request=request,
            actor=actor,
            action="grants.batch_export_again",
            object_type="batch",
            object_id=str(batch.pk),
        )
        return data
    if batch.status != PaymentBatch.Status.APPROVED:
        raise DomainError("batch_state", "批次尚未审批，不能导出")
    field_cipher = cipher()
    instructions = list(
        batch.instructions.filter(status=PaymentInstruction.Status.PENDING).select_related("grant").order_by("line_no")
    )
    lines = [
        Instruction(key=i.key, line_no=i.line_no, account_name=i.account_name,
                    account_number=field_cipher.decrypt(i.account_number_cipher, context="bank_account"),
                    bank_code=i.bank_code, amount=i.amount, memo=f"{i.grant.policy} {i.grant.period}")
        for i in instructions
    ]  # fmt: skip
    data = export_bank_file(str(batch.pk), lines, created=batch.approved_at or timezone.now())
    digest = hashlib.sha256(data).hexdigest()
    folder = _export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"batch-{batch.pk}.csv"
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_bytes(data)
    with transaction.atomic():
        done = PaymentBatch.objects.filter(pk=batch.pk, status=PaymentBatch.Status.APPROVED).update(
            status=PaymentBatch.Status.EXPORTED,
            exported_at=timezone.now(),
            export_sha256=digest,
            export_file=str(path.relative_to(settings.MAGNET_DATA_DIR)),
        )
        if not done:  # exported meanwhile by someone else: theirs stands
            tmp.unlink(missing_ok=True)
            batch.refresh_from_db()
            return batch_export(batch, actor=actor, request=request)
        post_many("send", f"send:batch:{batch.pk}", [(i.grant_id, "payable:grants", i.amount) for i in instructions],
                  "clearing:bank", batch=batch)  # fmt: skip
        tmp.replace(path)  # the file is in place only if the transaction commits
    audit_record(
        request=request,
        actor=actor,
        action="grants.batch_export",
        object_type="batch",
        object_id=str(batch.pk),
        detail={"sha256": digest, "lines": len(lines)},
    )
    return data


def batch_import_return(batch: PaymentBatch, data: bytes, *, actor, request=None) -> dict:
    """Apply the bank's return file: refused whole (nothing changes) when a line is unknown, duplicated or
    does not match; the same file imported twice changes nothing the second time."""
    with transaction.atomic():  # one import of a batch at a time: a second waits, then finds the first
        batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        return _import_return(batch, data, actor=actor, request=request)


def _import_return(batch: PaymentBatch, data: bytes, *, actor, request=None) -> dict:
    from magnet.core.payments import Instruction, ReturnRejected, parse_return_file, reconcile

    if batch.status not in (PaymentBatch.Status.EXPORTED, PaymentBatch.Status.RECONCILED):
        raise DomainError("batch_state", "批次尚未导出，不能导入回盘")
    digest = hashlib.sha256(data).hexdigest()
    earlier = ReturnImport.objects.filter(batch=batch, sha256=digest).first()
    if earlier is not None:
        return {**earlier.result, "duplicate_file": True}
    try:
        returns = parse_return_file(data, str(batch.pk))
    except ReturnRejected as rejected:
        raise DomainError(
            "return_rejected",
            "回盘文件有误，整份未导入",
            extra={"problems": [{"line": n, "problem": p} for n, p in rejected.problems]},
            status=400,
        ) from None
    instructions = list(batch.instructions.exclude(status=PaymentInstruction.Status.CANCELLED).select_related("grant"))
    by_key = {i.key: i for i in instructions}
    grants = {i.key: i.grant.amount for i in instructions}
    settled = {i.key: i.status for i in instructions if i.status != PaymentInstruction.Status.PENDING}
    plain = [Instruction(key=i.key, line_no=i.line_no, account_name=i.account_name, account_number="",
                         bank_code=i.bank_code, amount=i.amount, memo="") for i in instructions]  # fmt: skip
    result = reconcile(grants, plain, returns, already_settled=settled)
    blocking = [
        d
        for d in result.discrepancies
        if d.kind in ("unknown_line", "amount_mismatch", "duplicate_return", "grant_mismatch")
    ]
    if blocking:
        raise DomainError(
            "return_rejected",
            "回盘文件与批次不符，整份未导入",
            extra={"problems": [{"line": d.line, "problem": f"{d.kind}: {d.detail}"} for d in blocking]},
            status=400,
        )
    lines = {r.key: r for r in returns}
    with transaction.atomic():  # the batch row is locked by the caller: nobody else settles these lines
        _settle(batch, [by_key[k] for k in result.paid], lines, paid=True, actor=actor, digest=digest)
        _settle(batch, [by_key[k] for k in result.failed], lines, paid=False, actor=actor, digest=digest)
        pending = batch.instructions.filter(status=PaymentInstruction.Status.PENDING).count()
        if not pending:
            PaymentBatch.objects.filter(pk=batch.pk).update(status=PaymentBatch.Status.RECONCILED)
        summary = {
            "paid": len(result.paid), "failed": len(result.failed), "pending": pending,
            "discrepancies": [{"kind": d.kind, "key": d.key, "line": d.line, "detail": d.detail,
                               "expected": str(d.expected) if d.expected is not None else None,
                               "got": str(d.got) if d.got is not None else None} for d in result.discrepancies],
            "totals": {k: str(v) for k, v in result.totals.items()},
        }  # fmt: skip
        ReturnImport.objects.create(batch=batch, sha256=digest, imported_by=actor, result=summary)
    audit_record(
        request=request,
        actor=actor,
        action="grants.return_import",
        object_type="batch",
        object_id=str(batch.pk),
        detail={"paid": summary["paid"], "failed": summary["failed"]},
    )
    return summary


def _settle(batch, instructions, lines, *, paid: bool, actor, digest: str) -> None:
    """Mark instructions paid or failed, move their grants and post one entry, in bulk; every one must still
    be pending and its grant in the batch, or nothing is applied."""
    if not instructions:
        return
    from django.db import connection

    status = PaymentInstruction.Status.PAID if paid else PaymentInstruction.Status.FAILED
    column = "bank_ref" if paid else "failure"
    table = connection.ops.quote_name(PaymentInstruction._meta.db_table)
    pending = sum(
        PaymentInstruction.objects.filter(pk__in=[i.pk for i in instructions[n : n + 2000]],
                                          status=PaymentInstruction.Status.PENDING).count()
        for n in range(0, len(instructions), 2000)
    )  # fmt: skip
    if pending != len(instructions):
        raise DomainError("batch_state", "部分发放指令已结算，请刷新后重试")
    updated = 0
    for start in range(0, len(instructions), 2000):
        chunk = instructions[start : start + 2000]
        values = ", ".join(["(%s, %s)"] * len(chunk))
        params: list = []
        for i in chunk:
            params += [i.pk, (lines[i.key].bank_ref[:64] if paid else lines[i.key].reason[:200])]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH v(id, note) AS (VALUES {values}) "  # noqa: S608 - table and column names are the model's
                f"UPDATE {table} SET status = %s, {column} = v.note FROM v "
                f"WHERE {table}.id = v.id AND {table}.status = %s",
                [*params, status, PaymentInstruction.Status.PENDING],
            )
        updated += PaymentInstruction.objects.filter(pk__in=[i.pk for i in chunk], status=status).count()
    if updated != len(instructions):
        raise DomainError("batch_state", "部分发放指令已结算，请刷新后重试")
    to = S.PAID if paid else S.FAILED
    now = timezone.now()
    grant_ids = [i.grant_id for i in instructions]
    moved = 0
    for start in range(0, len(grant_ids), 2000):
        moved += Grant.objects.filter(pk__in=grant_ids[start : start + 2000], status=S.IN_BATCH).update(
            status=to, updated_at=now
        )
    if moved != len(grant_ids):
        raise DomainError("grant_state", "部分补贴状态已变化，回盘未导入")
    events = []
    for i in instructions:
        reason = f"银行已付 {lines[i.key].bank_ref}" if paid else f"银行退回：{lines[i.key].reason}"
        events.append((i.grant_id, S.IN_BATCH, to, actor.pk if actor else None, reason[:500], {}, now))
    copy_rows(GrantEvent, ["grant_id", "from_status", "to_status", "actor_id", "reason", "data", "at"], events)
    kind, account = ("settle", "cash:treasury") if paid else ("fail", "payable:grants")
    post_many(kind, f"{kind}:batch:{batch.pk}:{digest[:16]}", [(i.grant_id, account, -i.amount) for i in instructions],
              "clearing:bank", batch=batch)  # fmt: skip


def retry_failed(*, actor, grant_ids: Iterable[int] | None = None, request=None) -> int:
    """Failed payments go back to approved, to be paid in a new batch with a new attempt (and key)."""
    grants = Grant.objects.filter(status=S.FAILED)
    if grant_ids is not None:
        grants = grants.filter(pk__in=list(grant_ids))
    count = 0
    for pk in grants.values_list("pk", flat=True):
        _move(pk, S.APPROVED, (S.FAILED,), actor=actor, reason="重新发放")
        count += 1
    audit_record(
        request=request,
        actor=actor,
        action="grants.retry",
        object_type="grant",
        object_id="failed",
        detail={"grants": count},
    )
    return count


def masked(grant: Grant) -> str:
    return mask_id_number(grant.id_number_plain())
