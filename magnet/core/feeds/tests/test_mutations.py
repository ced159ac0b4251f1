"""SECURITY.md IN-1 end to end: every single-character mutation of a valid id_number or USCC in a feed
is rejected, with the right file, row and column, and only that problem."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from magnet.core.feeds import SnapshotRejected, load_snapshot
from magnet.core.feeds.checks import USCC_ALPHABET

from .factory import valid_rows, write_snapshot

CHARS = st.one_of(st.sampled_from("0123456789Xx" + USCC_ALPHABET + "IOSVZa"), st.characters(codec="utf-8"))


def mutations(valid: str) -> st.SearchStrategy[str]:
    pos = st.integers(0, len(valid) - 1)
    return st.one_of(
        st.tuples(pos, CHARS).map(lambda t: valid[: t[0]] + t[1] + valid[t[0] + 1 :]),
        pos.map(lambda i: valid[:i] + valid[i + 1 :]),
        st.tuples(pos, CHARS).map(lambda t: valid[: t[0]] + t[1] + valid[t[0] :]),
    ).filter(lambda m: m != valid and m.strip() != "")


def single_problem(rows, fmt: str):
    with tempfile.TemporaryDirectory() as tmp:
        src = write_snapshot(Path(tmp) / "in", rows, fmt)
        try:
            load_snapshot(src, Path(tmp) / "data")
        except SnapshotRejected as exc:
            assert not any((Path(tmp) / "data" / "snapshots").iterdir())
            assert exc.total == 1, exc.report()
            return exc.problems[0]
    raise AssertionError("a mutated identifier was accepted")


PERSON_ROW = 1  # 0-based: the second person, whose id ends in a digit


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_every_single_character_mutation_of_an_id_number_is_rejected_at_its_location(data):
    rows = valid_rows()
    row = data.draw(st.integers(0, 2))
    mutant = data.draw(mutations(rows["persons"][row]["id_number"]))
    rows["persons"][row]["id_number"] = mutant
    problem = single_problem(rows, "csv")
    assert (problem.file, problem.row, problem.column) == ("persons.csv", row + 1, "id_number")


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_every_single_character_mutation_of_a_uscc_is_rejected_at_its_location(data):
    rows = valid_rows()
    row = data.draw(st.integers(0, 1))
    mutant = data.draw(mutations(rows["enterprises"][row]["uscc"]))
    rows["enterprises"][row]["uscc"] = mutant
    problem = single_problem(rows, "parquet")
    assert (problem.file, problem.row, problem.column) == ("enterprises.parquet", row + 1, "uscc")
