"""What is wrong with a snapshot: `Problem` (one finding) and `SnapshotRejected` (the refusal)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with (or, as a warning, worth knowing about) a snapshot.

    - `file`: the file name inside the snapshot folder, e.g. `persons.csv` (for a missing required
      feed, the feed name).
    - `row`: the 1-based number of the data row in that file. For CSV the header is not counted: row 1
      is the first record after the header (a quoted value spanning lines is still one row). For
      Parquet, row 1 is the file's first row. None for a problem with the file as a whole.
    - `column`: the column name, or None for a file-level problem (a missing required column, a missing
      persons file, an unknown file type, a file that cannot be read, ...).
    - `reason`: plain English: what is wrong and what was found.
    """

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class SnapshotRejected(Exception):
    """The snapshot breaks the feed contract and nothing was stored.

    `problems` holds the first problems found (at most the loader's `max_problems`), in file order
    (the order of feeds.md) and then row order; `total` counts all of them; `warnings` are the
    findings that would not by themselves have rejected the snapshot.
    """

    def __init__(self, problems: list[Problem], total: int, warnings: list[Problem] | None = None):
        self.problems = list(problems)
        self.total = total
        self.warnings = list(warnings or [])
        super().__init__(f"snapshot rejected: {total} problem{'s' if total != 1 else ''}")

    def report(self) -> str:
        """Multi-line text for a person: a summary line, then one line per problem shown."""
        shown = len(self.problems)
        head = f"Snapshot rejected: {self.total} problem{'s' if self.total != 1 else ''}"
        if shown < self.total:
            head += f" (the first {shown} are listed)"
        return "\n".join([head + ".", *(f"- {p}" for p in self.problems)])

    def as_dict(self) -> dict:
        """JSON-ready form: total, the problems shown and the warnings."""
        return {
            "total": self.total,
            "shown": len(self.problems),
            "problems": [asdict(p) for p in self.problems],
            "warnings": [asdict(w) for w in self.warnings],
        }
