"""The process-wide match index outlives each test's rolled-back transaction: start every test without it."""

import pytest


@pytest.fixture(autouse=True)
def fresh_match_index():
    from magnet.apps.matching import engine

    engine.holder.reset()
    yield
    engine.holder.reset()
