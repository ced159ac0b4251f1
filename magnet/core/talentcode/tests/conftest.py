"""Shared fixtures: a city, a signing key, a verifier and a fresh code."""

from __future__ import annotations

import pytest

from magnet.core.talentcode import KeySet, SigningKey, TalentClaims, Verifier, issue

CITY = "https://talent.demo-city.example"
NOW = 1_790_000_000  # a fixed "now": every test passes times explicitly


def make_claims(**overrides) -> TalentClaims:
    values = dict(iss=CITY, sub="t_7F3KQ2M9", tier="B", services=("bus", "gym", "library"), now=NOW)
    values.update(overrides)
    return TalentClaims.new(**values)


@pytest.fixture(scope="session")
def key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="session")
def verifier(key) -> Verifier:
    return Verifier(KeySet.of(key), issuer=CITY)


@pytest.fixture
def claims() -> TalentClaims:
    return make_claims()


@pytest.fixture
def code(claims, key) -> str:
    return issue(claims, key)
