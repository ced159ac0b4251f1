"""Each part of the score orders pairs the way the issue says."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from magnet.core.matching import Catalogue, Job, Talent
from magnet.core.matching.score import W_MAJOR

from .cast import BASE, CODER, NAVAL, TODAY, index_of, job, part, scores


def test_major_fit_orders_same_major_above_class_above_discipline_above_any_above_other():
    jobs = [
        job("major", majors=("081901",)),
        job("class", majors=("0819",)),
        job("sibling_major", majors=("081902",)),
        job("discipline", majors=("08",)),
        job("open", majors=()),
        job("other", majors=("1202",)),
    ]
    index = index_of(*jobs)
    got = {j.id: index.explain(NAVAL, j) for j in jobs}
    points = {name: part(m, "major").points for name, m in got.items()}
    assert points == {
        "major": W_MAJOR["major"],
        "class": W_MAJOR["class"],
        "sibling_major": W_MAJOR["class"],
        "discipline": W_MAJOR["discipline"],
        "open": W_MAJOR["open"],
        "other": 0.0,
    }
    ranked = [m.id for m in index.best_jobs(NAVAL)]
    assert ranked[:3] == ["major", "class", "sibling_major"]
    assert ranked.index("discipline") < ranked.index("open")
    assert "other" not in ranked  # asks only for a major the talent does not have, and shares no word


def test_major_codes_with_suffixes_and_old_codes_are_the_same_major():
    index = index_of(job("ai", majors=("080717T",)), job("lowalt", majors=("140003TK",)))
    ai = Talent(id="ai", degree="bachelor", major_code="080717")
    old = Talent(id="old", degree="bachelor", major_code="083203TK")  # 低空技术与工程 before 2026
    assert part(index.explain(ai, job("ai", majors=("080717T",))), "major").points == W_MAJOR["major"]
    assert part(index.explain(old, job("lowalt", majors=("140003TK",))), "major").points == W_MAJOR["major"]


def test_catalogue_reads_names_classes_and_moved_codes():
    cat = Catalogue.from_csv()
    assert cat.name("080901") == "计算机科学与技术"
    assert cat.name("0809") == "计算机类" and cat.name_en("0809") == "computer science"
    assert cat.normalise("101011T") == "140007"
    assert cat.normalise("0502100T") == "0502100"
    assert cat.normalise("ABC") is None


def test_talent_below_the_degree_asked_is_excluded_both_ways():
    index = index_of(job("master", min_degree="master"), job("any", min_degree=None), talents=(NAVAL,))
    assert list(scores(index, NAVAL)) == ["any"]
    assert index.best_talents(job("master", min_degree="master")) == []
    assert part(index.explain(NAVAL, job("master", min_degree="master")), "degree").points < -1000


def test_degree_above_the_one_asked_still_matches_with_fewer_points_than_exactly_it():
    index = index_of(job("bachelor"), job("associate", min_degree="associate"))
    doctor = replace(NAVAL, id="doctor", degree="doctor")
    exact = part(index.explain(NAVAL, job("bachelor")), "degree").points
    above = part(index.explain(doctor, job("associate", min_degree="associate")), "degree").points
    assert exact > above > 0
    unknown = replace(NAVAL, id="unknown", degree=None)
    assert list(scores(index_of(job("bachelor"), job("free", min_degree=None)), unknown)) == ["free"]


PLACES = [
    job("far", adcode="110105"),
    job("province", adcode="320505"),
    job("city", adcode="320613"),
    job("here", adcode="320612"),
]


def test_place_orders_wished_district_then_same_city_then_same_province_then_elsewhere():
    got = scores(index_of(*PLACES), NAVAL)
    assert got["here"] > got["city"] > got["province"] > got["far"]


def test_a_wish_for_the_whole_city_is_met_by_each_of_its_districts():
    got = scores(index_of(*PLACES), replace(NAVAL, wish_adcodes=("320600",)))
    assert got["here"] == got["city"] > got["province"] > got["far"]


def test_talent_without_a_place_wish_gets_the_same_place_points_everywhere():
    index = index_of(*PLACES)
    anywhere = replace(NAVAL, wish_adcodes=())
    assert len({part(index.explain(anywhere, j), "place").points for j in PLACES}) == 1


def test_pay_whole_range_above_the_wish_beats_a_range_that_only_reaches_it_beats_one_below():
    jobs = [
        job("full", pay_min=8000, pay_max=9000),
        job("reaches", pay_min=6000, pay_max=8500),
        job("below", pay_min=5000, pay_max=7000),
        job("unknown", pay_min=None, pay_max=None),
    ]
    got = scores(index_of(*jobs), NAVAL)
    assert got["full"] > got["reaches"] > got["unknown"] > got["below"]


def test_recent_postings_score_higher_and_undated_ones_lowest():
    jobs = [job("new", posted=TODAY), job("month", posted=TODAY - timedelta(days=30)), job("undated")]
    index = index_of(*jobs)
    got = scores(index, NAVAL)
    assert got["new"] > got["month"] > got["undated"]
    assert part(index.explain(NAVAL, jobs[1]), "recency").points == pytest.approx(4.0)


def test_key_chain_adds_points_and_more_when_the_talent_wishes_that_chain():
    jobs = [
        job("key_wished", chain="shipbuilding_offshore", key_chain=True),
        job("key", chain="ict", key_chain=True),
        job("wished", chain="shipbuilding_offshore"),
        job("plain"),
    ]
    got = scores(index_of(*jobs), NAVAL)
    assert got["key_wished"] > got["wished"] > got["key"] > got["plain"]


def test_text_relevance_counts_shared_skills_and_words():
    jobs = [
        job("cad", title="船舶结构设计", skills=("AutoCAD",), description="散货船分段结构设计"),
        job("none", title="仓库管理"),
    ]
    index = index_of(*jobs)
    match = index.explain(NAVAL, jobs[0])
    text = part(match, "text")
    assert text.points > 0 and "autocad" in text.en
    assert part(index.explain(NAVAL, jobs[1]), "text").points == 0


def test_every_match_is_broken_down_in_chinese_and_english_and_adds_up():
    index = index_of(
        job("one", chain="shipbuilding_offshore", key_chain=True, posted=TODAY),
        job("two", majors=()),
        talents=(NAVAL, CODER),
    )
    matches = index.best_jobs(NAVAL) + index.best_talents(job("one"))
    assert matches
    for match in matches:
        assert [p.name for p in match.parts] == ["major", "degree", "place", "pay", "text", "recency", "chain"]
        assert match.score == pytest.approx(sum(p.points for p in match.parts), abs=0.01)
        for p in match.parts:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in p.zh), p
            assert p.en and p.en.isascii() or any(ch.isascii() and ch.isalpha() for ch in p.en), p
    major = part(index.explain(CODER, Job(id="x", majors=("0809",))), "major")
    assert major.zh == "专业同类（计算机类）" and major.en == "same major class (computer science)"


def test_explain_gives_the_score_best_jobs_gives():
    jobs = [
        job("a", title="船舶结构设计工程师", skills=("AutoCAD",), posted=TODAY, chain="shipbuilding_offshore"),
        job("b", majors=("0802",), title="机械设计", adcode="320613"),
    ]
    index = index_of(*jobs)
    for m in index.best_jobs(NAVAL):
        assert index.explain(NAVAL, next(j for j in jobs if j.id == m.id)).score == pytest.approx(m.score, abs=0.002)


def test_unknown_degree_or_major_code_is_refused():
    index = index_of()
    with pytest.raises(ValueError, match="degree"):
        index.upsert_job(replace(BASE, min_degree="phd-ish"))
    with pytest.raises(ValueError, match="catalogue code"):
        index.upsert_talent(replace(NAVAL, major_code="CS101"))
