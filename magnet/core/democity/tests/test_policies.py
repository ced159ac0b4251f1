"""The rows exercise every policy of the policy book, and the cast lands on the right side of each edge.

Entitlements come from `policy_sql`, a literal DuckDB reading of the book (not the platform's engine).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from magnet.core.democity import cast_personas, edge_cases

from . import policy_sql

CAST = {m.persona.key: m.persona.id_number for m in cast_personas.members(24321) + edge_cases.members()}

# (cast member, policy, month, amount or None for "not entitled")
EXPECTED = [
    ("bachelor_2021", "living_subsidy", "2022-01", "800"),
    ("bachelor_2021", "living_subsidy", "2024-12", "800"),
    ("bachelor_2021", "living_subsidy", "2025-01", None),
    ("bachelor_2021", "rent_subsidy", "2024-12", "500"),
    ("doctor_38", "living_subsidy", "2026-06", "3000"),
    ("doctor_38", "living_subsidy", "2026-05", None),
    ("doctor_38", "rent_subsidy", "2026-10", "1200"),
    ("master_renting", "living_subsidy", "2025-07", "1500"),
    ("master_renting", "living_subsidy", "2025-08", None),
    ("master_renting", "rent_subsidy", "2022-08", "800"),
    ("home_buyer", "purchase_subsidy", "2023-09", "34650.00"),
    ("home_buyer", "rent_subsidy", "2023-08", "500"),
    ("home_buyer", "rent_subsidy", "2023-09", None),
    ("home_buyer", "living_subsidy", "2023-09", "600"),
    ("home_seller", "purchase_subsidy", "2022-03", "30864.19"),
    ("home_seller", "rent_subsidy", "2022-03", None),
    ("home_seller", "rent_subsidy", "2024-05", None),
    ("home_seller", "rent_subsidy", "2024-06", "500"),
    ("flexible_graduate", "flexible_insurance_subsidy", "2025-07", "552.00"),
    ("flexible_graduate", "flexible_insurance_subsidy", "2025-12", "690.00"),
    ("flexible_graduate", "flexible_insurance_subsidy", "2026-01", "564.00"),
    ("flexible_graduate", "flexible_insurance_subsidy", "2026-03", None),
    ("skilled_worker", "skill_subsidy", "2025-05", "3000"),
    ("skilled_worker", "skill_subsidy", "2020-11", "1500"),
    ("skilled_worker", "living_subsidy", "2025-05", None),
    ("graduate_founder", "startup_subsidy", "2024-03", "10000"),
    ("graduate_founder", "living_subsidy", "2024-03", None),
    ("graduate_founder", "living_subsidy", "2024-04", "800"),
    ("enterprise_founder", "startup_subsidy", "2008-05", None),
    ("enterprise_founder", "living_subsidy", "2024-01", None),
    ("leap_day", "purchase_subsidy", "2023-02", "28000.00"),
    ("leap_day", "living_subsidy", "2023-02", "600"),
    ("leap_day", "living_subsidy", "2023-03", None),
    ("leap_day", "rent_subsidy", "2023-02", None),
    ("leap_day", "rent_subsidy", "2023-01", "500"),
    ("no_phone", "flexible_insurance_subsidy", "2022-06", None),
    ("pt_master", "living_subsidy", "2024-12", "600"),
    ("pt_only", "living_subsidy", "2022-06", None),
    ("pt_only", "skill_subsidy", "2024-09", None),
    ("double_degree", "living_subsidy", "2022-08", "800"),
    ("late_arrival", "living_subsidy", "2022-01", None),
    ("late_arrival", "living_subsidy", "2023-06", None),
    ("arrival_on_limit", "living_subsidy", "2023-06", "800"),
    ("arrival_on_limit", "living_subsidy", "2026-05", "800"),
    ("arrival_on_limit", "living_subsidy", "2026-06", None),
    ("turns_35", "living_subsidy", "2026-05", "1500"),
    ("turns_35", "living_subsidy", "2026-06", None),
    ("doctor_turns_40", "living_subsidy", "2026-08", "3000"),
    ("doctor_turns_40", "living_subsidy", "2026-09", None),
    ("rent_edges", "rent_subsidy", "2024-04", "500"),
    ("rent_edges", "rent_subsidy", "2024-05", None),
    ("rent_edges", "purchase_subsidy", "2024-05", "50000.00"),
    ("rent_edges", "purchase_subsidy", "2023-03", None),
    ("home_before_2022", "purchase_subsidy", "2021-11", None),
    ("home_before_2022", "purchase_subsidy", "2023-05", None),
    ("same_day_homes", "purchase_subsidy", "2024-09", "41250.00"),
    ("leap_graduate", "purchase_subsidy", "2025-02", "32750.00"),
    ("one_day_late", "purchase_subsidy", "2024-06", None),
    ("five_of_twelve", "purchase_subsidy", "2024-08", None),
    ("six_of_twelve", "purchase_subsidy", "2024-09", "36111.11"),
    ("master_cap", "purchase_subsidy", "2022-10", "80000.00"),
    ("flexible_edges", "flexible_insurance_subsidy", "2024-06", "540.00"),
    ("flexible_edges", "flexible_insurance_subsidy", "2026-05", "564.00"),
    ("flexible_edges", "flexible_insurance_subsidy", "2025-02", None),
    ("flexible_edges", "flexible_insurance_subsidy", "2025-05", None),
    ("flexible_edges", "flexible_insurance_subsidy", "2026-06", None),
    ("skill_edges", "skill_subsidy", "2023-06", None),
    ("skill_edges", "skill_subsidy", "2025-03", "3000"),
    ("skill_edges", "skill_subsidy", "2026-04", "5000"),
    ("startup_edges", "startup_subsidy", "2022-03", None),
    ("startup_edges", "startup_subsidy", "2025-02", None),
    ("startup_edges", "startup_subsidy", "2025-04", "10000"),
    ("startup_edges", "startup_subsidy", "2025-06", None),
    ("startup_edges", "startup_subsidy", "2025-09", None),
    ("startup_limit", "startup_subsidy", "2025-06", "10000"),
]


@pytest.fixture(scope="module")
def entitlements(city):
    """policy -> month -> {id_number: [amounts]} for the months the expectations name."""
    con = policy_sql.connect(city)
    wanted = {(policy, month) for _, policy, month, _ in EXPECTED}
    wanted |= {
        (p, m) for p in ("living_subsidy", "rent_subsidy", "flexible_insurance_subsidy") for m in ("2025-06",)
    }
    wanted |= {
        (p, f"2025-{k:02d}")
        for p in ("purchase_subsidy", "skill_subsidy", "startup_subsidy")
        for k in range(1, 13)
    }
    out: dict[str, dict[str, dict[str, list[Decimal]]]] = {}
    for policy, month in sorted(wanted):
        rows = policy_sql.POLICIES[policy](con, month)
        by_person: dict[str, list[Decimal]] = {}
        for id_number, _, _, amount in rows:
            by_person.setdefault(id_number, []).append(amount)
        out.setdefault(policy, {})[month] = by_person
    return out


@pytest.mark.parametrize(
    ("key", "policy", "month", "amount"), EXPECTED, ids=[f"{k}-{p}-{m}" for k, p, m, _ in EXPECTED]
)
def test_cast_member_lands_on_the_expected_side(entitlements, key, policy, month, amount):
    got = entitlements[policy][month].get(CAST[key], [])
    assert got == ([] if amount is None else [Decimal(amount)])


def test_every_policy_has_entitlements_among_the_random_population(entitlements):
    cast = set(CAST.values())
    for policy, months in entitlements.items():
        random_people = {p for by_person in months.values() for p in by_person if p not in cast}
        assert random_people, policy
    # The monthly ones in one ordinary month, e.g. June 2025.
    for policy in ("living_subsidy", "rent_subsidy", "flexible_insurance_subsidy"):
        assert len(set(entitlements[policy]["2025-06"]) - cast) > 10, policy


def test_one_entitlement_per_person_policy_and_month(entitlements):
    for policy, months in entitlements.items():
        for month, by_person in months.items():
            assert all(len(amounts) == 1 for amounts in by_person.values()), (policy, month)
