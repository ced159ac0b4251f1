"""Money is never a float (SECURITY MN-3), and the examples in the docstrings run."""

import doctest
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent
BENCH = PACKAGE.parents[2] / "bench" / "payments.py"
FORBIDDEN = ["flo" + "at(", "Float" + "Field"]  # spelt in pieces so this file does not match itself


def test_no_float_anywhere_in_the_payments_code_its_tests_or_its_benchmark():
    sources = sorted(PACKAGE.rglob("*.py")) + [BENCH]
    assert len(sources) > 10
    found = [(path.name, word) for path in sources for word in FORBIDDEN if word in path.read_text("utf-8")]
    assert found == []


def test_no_django_in_the_payments_package():
    framework = "dj" + "ango"
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text("utf-8")
        assert f"import {framework}" not in text and f"from {framework}" not in text, path


@pytest.mark.parametrize("module", ["amounts", "keys"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(f"magnet.core.payments.{module}"))
    assert result.attempted > 0 and result.failed == 0
