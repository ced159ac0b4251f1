"""A stored demo-city snapshot shared by the engine's tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from magnet.core.democity import generate
from magnet.core.feeds import load_snapshot, open_snapshot
from magnet.core.radar import load_book

BOOKS = Path(__file__).resolve().parents[3] / "policybooks"
SIZE = 4_000
SEED = 7


@pytest.fixture(scope="session")
def city_source(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("radar_city")
    generate(out, persons=SIZE, seed=SEED)
    return out


@pytest.fixture(scope="session")
def snapshot(city_source, tmp_path_factory):
    data = tmp_path_factory.mktemp("radar_data")
    stored = load_snapshot(city_source, data)
    return open_snapshot(data, stored.id)


@pytest.fixture(scope="session")
def demo_book():
    return load_book(BOOKS / "demo")
