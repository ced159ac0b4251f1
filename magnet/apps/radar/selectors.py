"""Reads of the radar: the repository's books, the published book for a month, versions and runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from magnet.apps.radar.models import PolicyVersion, Run
from magnet.core.radar import Book, CaseResult, Month, load_book_texts, run_cases


def books_dir() -> Path:
    return Path(settings.MAGNET_POLICY_BOOKS)


def book_names() -> list[str]:
    return sorted(p.name for p in books_dir().iterdir() if (p / "book.yaml").is_file())


def repository_files(name: str) -> dict[str, str]:
    """The repository's files of a book: {filename: text}. Raises KeyError for an unknown book."""
    if name not in book_names():
        raise KeyError(name)
    folder = books_dir() / name
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))}


@lru_cache(maxsize=64)
def _load(files: tuple[tuple[str, str], ...]) -> Book:
    return load_book_texts(dict(files))


def book_from_files(files: dict[str, str]) -> Book:
    """A loaded book (cached by content: the same texts load once per process)."""
    return _load(tuple(sorted(files.items())))


def published_files(name: str, month: Month | None = None) -> dict[str, str]:
    """The files of the book in force in `month` (today's month when None): the repository's, each policy
    replaced by its latest approved version effective on the month's first day."""
    files = repository_files(name)
    today = dt.date.today()
    first = dt.date(month.year, month.month, 1) if month else dt.date(today.year, today.month, 1)
    approved = PolicyVersion.objects.filter(
        book=name, status=PolicyVersion.Status.APPROVED, effective_from__lte=first
    ).order_by("policy", "-effective_from", "-number")
    seen = set()
    for version in approved:
        if version.policy in seen:
            continue
        seen.add(version.policy)
        files[f"{version.policy}.yaml"] = version.text
    return files


def published_book(name: str = "demo", month: Month | None = None) -> Book:
    """The book in force for `month`. Raises KeyError for an unknown book."""
    return book_from_files(published_files(name, month))


# ------------------------------------------------------------------------------ books in the console


def policy_versions(name: str, policy: str | None = None) -> QuerySet[PolicyVersion]:
    versions = PolicyVersion.objects.filter(book=name).select_related("created_by", "decided_by")
    if policy is not None:
        versions = versions.filter(policy=policy)
    return versions.order_by("policy", "-number")


@lru_cache(maxsize=32)
def _case_results(files: tuple[tuple[str, str], ...]) -> tuple[CaseResult, ...]:
    return tuple(run_cases(book_from_files(dict(files))))


def case_results(book: Book) -> list[CaseResult]:
    """The results of every case of the book's policies (cached by the book's content)."""
    return list(_case_results(tuple(sorted(book.files.items()))))


def book_overview(name: str) -> dict:
    """The book published this month, with each policy's version in force, drafts and case results."""
    book = published_book(name)
    versions = list(policy_versions(name))
    cases = case_results(book)
    policies = []
    for policy in book.policies:
        own = [v for v in versions if v.policy == policy.id]
        in_force = _in_force(own, policy.text)
        results = [c for c in cases if c.policy == policy.id]
        policies.append({
            "policy": policy,
            "number": in_force.number if in_force else 1,
            "in_force": in_force,
            "drafts": [v for v in own if v.status == PolicyVersion.Status.DRAFT],
            "pending": [v for v in own if v.status == PolicyVersion.Status.APPROVED and v.effective_from
                        and v.effective_from > dt.date.today()],
            "cases": len(results),
            "cases_passed": sum(c.passed for c in results),
        })  # fmt: skip
    return {"book": book, "policies": policies, "versions": versions}


def _in_force(versions: list[PolicyVersion], text: str) -> PolicyVersion | None:
    """The approved version whose text is the one published now (None: the repository's version 1)."""
    today = dt.date.today()
    for v in versions:  # newest number first
        if v.status == PolicyVersion.Status.APPROVED and v.effective_from <= today and v.text == text:
            return v
    return None


# --------------------------------------------------------------------------------------------- runs


def snapshot_opened(snapshot_id: str):
    """The stored snapshot's files (magnet.core.feeds.Snapshot). Raises FileNotFoundError if absent."""
    from magnet.core.feeds import open_snapshot

    return open_snapshot(settings.MAGNET_DATA_DIR, snapshot_id)


def person_index_dir(snapshot_id: str) -> Path:
    """Where the snapshot's per-person index lives (see `magnet.core.radar.engine.build_person_index`)."""
    return Path(settings.MAGNET_DATA_DIR) / "radar" / "person-index" / snapshot_id


def person_adcodes(con, id_number: str) -> set[str]:
    """The division codes a person is attached to in a snapshot (hukou, and social insurance rows); empty
    when the person is not in its persons feed. `con` has the snapshot's feeds as views."""
    rows = con.execute(
        "SELECT hukou_adcode FROM persons WHERE id_number = $id "
        "UNION SELECT adcode FROM social_insurance WHERE id_number = $id AND EXISTS "
        "(SELECT 1 FROM persons WHERE id_number = $id)",
        {"id": id_number},
    ).fetchall()
    return {r[0] for r in rows if r[0]}


def run_list(*, kind: str | None = None) -> QuerySet[Run]:
    runs = Run.objects.select_related("created_by", "snapshot", "draft").defer("book_files", "base_files")
    if kind:
        runs = runs.filter(kind=kind)
    return runs.order_by("-created_at")


def run_get(run_id) -> Run:
    return Run.objects.select_related("created_by", "snapshot", "draft", "previous").get(pk=run_id)


def run_previous(run: Run) -> Run | None:
    """The latest done screening of the same book and month before this one (what a run is compared with)."""
    return (
        Run.objects.filter(kind=Run.Kind.SCREENING, status=Run.Status.DONE, book=run.book, month=run.month)
        .exclude(pk=run.pk)
        .order_by("-finished_at")
        .first()
    )


def run_totals(run: Run) -> dict:
    """Totals by policy and district, per policy, and the remaining budget of policies with a budget pool."""
    totals = list(run.totals.all())
    book = book_from_files(run.book_files) if run.book_files else None
    names = {p.id: p.names for p in book.policies} if book else {}
    by_policy: dict[str, dict] = {}
    for t in totals:  # ordered by policy, then district
        entry = by_policy.setdefault(t.policy, {"policy": t.policy, "names": names.get(t.policy, {}), "rows": [],
                                                "count": 0, "amount": Decimal("0.00")})  # fmt: skip
        entry["rows"].append(t)
        entry["count"] += t.count
        entry["amount"] += t.amount
    budgets = []
    for policy in book.policies if book else ():
        pool = policy.budget_pool
        if not pool or (run.policies and policy.id not in run.policies):
            continue
        spent = by_policy.get(policy.id, {}).get("amount", Decimal("0.00"))
        budgets.append({"policy": policy.id, "names": policy.names, "pool": pool["name"], "amount": pool["amount"],
                        "order": pool.get("order"), "spent": spent, "remaining": pool["amount"] - spent})  # fmt: skip
    return {"rows": totals, "by_policy": list(by_policy.values()), "budgets": budgets, "names": names}


def run_file(run: Run, which: str = "result") -> Path | None:
    name = run.result_file if which == "result" else run.changes_file
    if not name:
        return None
    path = Path(settings.MAGNET_DATA_DIR) / name
    return path if path.exists() else None
