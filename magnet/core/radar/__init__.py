"""The policy radar (政策找人): a policy book as data, compiled to SQL, screening a whole snapshot.

Framework-free. Public API:

- `load_book(folder)` / `load_book_texts({filename: text})` -> `Book`, or raise `BookInvalid` whose
  `.problems` are `Problem(file, line, column, message, suggestion)`.
- `screen(con, book, month, policies=None, available=None)` -> Arrow table (id_number, policy, period,
  amount) of every entitlement; `connect(snapshot)` gives the DuckDB connection with the feeds as views;
  `sent_feeds(snapshot)` the feeds a snapshot received; raises `ScreeningRefused` with the reason.
- `explain(con, book, month, id_number)` -> `Explanation` (each policy's conditions, pass or fail, with the
  facts' values, parameters and the book version), by the same query restricted to the person.
- `run_cases(book)` -> `CaseResult`s of the policies' own test cases.
- `build(book, month, ...)` / `render(query, dialect)`: the compiled query, for DuckDB or Spark.
- `hypothetical.Situation` / `build_feeds`: a one-person snapshot for the policy calculator.
"""

from .book import Book, BookInvalid, Policy, Problem, load_book, load_book_texts
from .engine import (
    OUTPUT_SCHEMA,
    CaseResult,
    Explanation,
    ScreeningRefused,
    connect,
    explain,
    missing_feeds,
    parse_month,
    run_cases,
    screen,
    sent_feeds,
    write_output,
)
from .language import Month
from .query import build, render

__all__ = [
    "OUTPUT_SCHEMA",
    "Book",
    "BookInvalid",
    "CaseResult",
    "Explanation",
    "Month",
    "Policy",
    "Problem",
    "ScreeningRefused",
    "build",
    "connect",
    "explain",
    "load_book",
    "load_book_texts",
    "missing_feeds",
    "parse_month",
    "render",
    "run_cases",
    "screen",
    "sent_feeds",
    "write_output",
]
