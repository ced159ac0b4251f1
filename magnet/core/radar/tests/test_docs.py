"""The policy-book reference (docs/policy-books.md) names every fact and function of the catalogue."""

from pathlib import Path

from magnet.core.radar.compiler import FACTS, FUNCTIONS, QUANTIFIERS

DOC = Path(__file__).resolve().parents[4] / "docs" / "policy-books.md"


def test_every_fact_function_and_quantifier_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = [name for name in (*FACTS, *FUNCTIONS, *QUANTIFIERS) if f"`{name}" not in text]
    assert missing == [], f"add these to docs/policy-books.md: {missing}"
