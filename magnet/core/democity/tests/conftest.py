"""Snapshots shared by the tests: generated once per session into temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from magnet.core.democity import generate

SIZE = 20_000
SEED = 7


@pytest.fixture(scope="session")
def city(tmp_path_factory) -> Path:
    """A 20,000-person city in Parquet (seed 7, as of 2026-10)."""
    out = tmp_path_factory.mktemp("city")
    generate(out, persons=SIZE, seed=SEED)
    return out


@pytest.fixture(scope="session")
def city_csv(tmp_path_factory) -> Path:
    """The same city in CSV."""
    out = tmp_path_factory.mktemp("city_csv")
    generate(out, persons=SIZE, seed=SEED, fmt="csv")
    return out
