"""Reads of policy books: the repository's books and the published book for a month."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from magnet.apps.radar.models import PolicyVersion
from magnet.core.radar import Book, Month, load_book_texts


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
