"""The curated seed: it loads, its codes are in the catalogues, and it covers the chains the feeds use."""

from __future__ import annotations

import csv
import doctest
from pathlib import Path

import pytest

from magnet.apps.talentmap import chains, charts, compute
from magnet.apps.talentmap.chains import REFERENCE_DIR, SeedInvalid, parse_seed, shipped_seed


def _column(name: str, column: str, **where: str) -> set[str]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return {r[column] for r in csv.DictReader(handle) if all(r[k] == v for k, v in where.items())}


def test_seed_loads_with_the_six_chains_of_the_feeds():
    from magnet.core.democity.enterprises import COMPANIES

    seed = shipped_seed()
    assert [c.key for c in seed.chains] == [
        "shipbuilding_offshore",
        "high_end_textile",
        "new_materials",
        "ict",
        "aerospace",
        "marine",
    ]
    assert {key for key, *_ in COMPANIES if key} == {c.key for c in seed.chains}
    assert seed.chain("shipbuilding_offshore").name == "船舶海工"
    for chain in seed.chains:
        assert chain.sources and all(s in seed.sources for s in chain.sources)
        assert any(m.weight == "core" for m in chain.majors)
        assert all(m.reason and m.industries for m in chain.majors)


def test_every_class_code_of_the_seed_is_in_the_major_catalogue():
    classes = _column("moe_undergrad_majors_2026.csv", "class_code")
    for chain in shipped_seed().chains:
        for major in chain.majors:
            assert major.class_code in classes, (chain.key, major.class_code)


def test_every_industry_code_of_the_seed_is_in_gbt4754():
    industries = _column("gbt4754_2017_industries.csv", "code_with_section")
    for chain in shipped_seed().chains:
        for industry in chain.industries:
            assert industry.code in industries, (chain.key, industry.code)


def test_the_demo_generators_industries_fall_under_their_chain():
    from magnet.core.democity.enterprises import COMPANIES

    seed = shipped_seed()
    for key, prefixes, *_ in COMPANIES:
        for prefix in prefixes:
            found = seed.chain_of_industry(prefix + "1" * (5 - len(prefix)))
            assert (found.key if found else None) == key, prefix


@pytest.mark.parametrize(("text", "key"), [
    ("chains: [{key: x, name: X, name_en: X, industries: [{code: C17, reason: r}], "
     "majors: [{class: '08', weight: core, industries: [C17], reason: r}]}]", "chains.x.majors[0].class"),
    ("chains: [{key: x, name: X, name_en: X, industries: [{code: C17, reason: r}], "
     "majors: [{class: '0809', weight: main, industries: [C17], reason: r}]}]", "chains.x.majors[0].weight"),
    ("chains: [{key: x, name: X, name_en: X, industries: [{code: 17, reason: r}]}]", "chains.x.industries[0].code"),
    ("chains: [{key: x, name: X, name_en: X, industries: [{code: C17, reason: r}], "
     "majors: [{class: '0809', weight: core, industries: [C18], reason: r}]}]", "chains.x.majors[0].industries"),
    ("chains: [{key: x, name: X, name_en: X, industries: []}]", "chains.x.industries"),
])  # fmt: skip
def test_a_malformed_seed_is_refused_naming_the_key(text, key):
    with pytest.raises(SeedInvalid) as caught:
        parse_seed(text)
    assert caught.value.key == key and caught.value.file == "chains.yaml"


@pytest.mark.parametrize("module", [chains, compute, charts])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


def test_the_seed_file_cites_the_city_plans_it_quotes():
    text = Path(chains.SEED_PATH).read_text(encoding="utf-8")
    assert "shared/seeds/001_9072728818a9e2ed.txt" in text and "空天、海洋、材料、通信" in text
