"""Refusals that carry every problem found: `ExportRefused` (a batch) and `ReturnRejected` (a return file)."""

from __future__ import annotations

__all__ = ["ExportRefused", "ReturnRejected"]


class _Refused(ValueError):
    what = "refused"

    def __init__(self, problems: list[tuple[int, str]]):
        # sorted() is stable: problems of one line keep the order in which they were found.
        self.problems: list[tuple[int, str]] = sorted(problems, key=lambda p: p[0])
        shown = "; ".join(f"line {line}: {reason}" for line, reason in self.problems[:10])
        more = f"; and {len(self.problems) - 10} more" if len(self.problems) > 10 else ""
        super().__init__(f"{self.what}, {len(self.problems)} problem(s): {shown}{more}")


class ExportRefused(_Refused):
    """The batch cannot be exported. `problems`: every `(line_no, what is wrong)`; line 0 is the batch itself."""

    what = "bank file refused"


class ReturnRejected(_Refused):
    """The return file was refused as a whole and nothing was taken from it.

    `problems`: every `(line number in the file, what is wrong)`, 1-based, the header being line 1.
    """

    what = "return file rejected"
