"""The index: filters, changes shown at once, the digest, BM25 itself, determinism."""

from __future__ import annotations

from dataclasses import replace

import bm25s
import numpy as np
import pytest

from magnet.core.matching import Filters, Job, MatchIndex, Talent, ranking, synthetic
from magnet.core.matching import index as index_module
from magnet.core.matching import score as score_module
from magnet.core.matching.text import tokens

from .cast import CATALOGUE, CODER, NAVAL, TODAY, index_of, job, scores


def test_filters_narrow_jobs_by_place_chain_degree_and_pay():
    jobs = [
        job("tongzhou", adcode="320612"),
        job("chongchuan", adcode="320613"),
        job("suzhou", adcode="320505"),
        job("ship", chain="shipbuilding_offshore"),
        job("master", min_degree="master", majors=()),
        job("rich", pay_min=15000, pay_max=20000),
    ]
    index = index_of(*jobs)
    doctor = replace(NAVAL, degree="doctor")

    def ids(f: Filters, who: Talent = NAVAL) -> set[str]:
        return {m.id for m in index.best_jobs(who, 50, f)}

    assert ids(Filters(adcode_prefix="3206")) == {"tongzhou", "chongchuan", "ship", "rich"}
    assert ids(Filters(adcode_prefix="320600")) == ids(Filters(adcode_prefix="3206"))
    assert ids(Filters(adcode_prefix="320613")) == {"chongchuan"}
    assert ids(Filters(chain="shipbuilding_offshore")) == {"ship"}
    assert ids(Filters(min_degree="master"), doctor) == {"master"}
    assert ids(Filters(pay_at_least=12000)) == {"rich"}
    assert ids(Filters(adcode_prefix="3206", pay_at_least=12000)) == {"rich"}


def test_filters_narrow_talents_by_place_chain_degree_and_pay():
    near = replace(NAVAL, id="near", wish_adcodes=("320613",), wish_chains=(), wish_pay=6000)
    far = replace(NAVAL, id="far", wish_adcodes=("110105",), degree="master", wish_pay=15000)
    anywhere = replace(NAVAL, id="anywhere", wish_adcodes=(), wish_chains=("ict",), wish_pay=None)
    index = index_of(talents=(NAVAL, near, far, anywhere))

    def ids(f: Filters) -> set[str]:
        return {m.id for m in index.best_talents(job("j"), 50, f)}

    assert ids(Filters()) == {"naval", "near", "far", "anywhere"}
    assert ids(Filters(adcode_prefix="3206")) == {"naval", "near", "anywhere"}
    assert ids(Filters(adcode_prefix="320612")) == {"naval", "anywhere"}
    assert ids(Filters(chain="shipbuilding_offshore")) == {"naval", "far"}
    assert ids(Filters(min_degree="master")) == {"far"}
    assert ids(Filters(pay_at_least=10000)) == {"far"}


def test_best_talents_orders_by_major_fit_and_leaves_out_unrelated_majors():
    mech = replace(NAVAL, id="mech", major_code="080202")
    index = index_of(talents=(NAVAL, mech, CODER))
    ranked = [m.id for m in index.best_talents(job("j", majors=("081901", "0802")))]
    assert ranked == ["naval", "mech"]


@pytest.mark.parametrize("merge_min", [1, 10_000])
def test_upserts_and_removals_show_in_the_next_query(monkeypatch, merge_min):
    monkeypatch.setattr(index_module, "MERGE_MIN", merge_min)
    index = index_of(job("a"), job("b", adcode="320613"), talents=(NAVAL,))
    assert list(scores(index, NAVAL)) == ["a", "b"]
    index.upsert_job(job("c", posted=TODAY, chain="shipbuilding_offshore", key_chain=True))
    assert list(scores(index, NAVAL))[0] == "c"
    index.remove_job("c")
    assert list(scores(index, NAVAL)) == ["a", "b"]
    index.upsert_job(job("a", adcode="110105"))  # moved: now last
    assert list(scores(index, NAVAL)) == ["b", "a"]
    index.remove_job("nobody")
    assert [m.id for m in index.best_talents(job("x"))] == ["naval"]
    coder2 = replace(CODER, id="coder2", major_code="081901")
    index.upsert_talent(coder2)
    assert {m.id for m in index.best_talents(job("x"))} == {"naval", "coder2"}
    index.remove_talent("naval")
    assert [m.id for m in index.best_talents(job("x"))] == ["coder2"]
    assert dict(index.digest(5, workers=1)) == {"coder2": [m.id for m in index.best_jobs(coder2, 5)]}


def test_text_changes_are_seen_after_a_job_is_rewritten(monkeypatch):
    monkeypatch.setattr(index_module, "MERGE_MIN", 1)
    index = index_of(job("a", title="仓库管理"), job("b", title="仓库管理"), job("c", title="仓库管理"))
    before = scores(index, NAVAL)
    index.upsert_job(job("b", title="船舶结构设计", skills=("AutoCAD",)))
    after = scores(index, NAVAL)
    assert after["b"] > before["b"] and list(after)[0] == "b"


@pytest.fixture(scope="module")
def demo_index() -> tuple[MatchIndex, list[Talent]]:
    index = MatchIndex(CATALOGUE, today=synthetic.TODAY)
    for j in synthetic.jobs(3000, seed=3):
        index.upsert_job(j)
    talents = list(synthetic.talents(400, seed=3))
    for t in talents:
        index.upsert_talent(t)
    return index, talents


@pytest.mark.parametrize("workers", [1, 2])
def test_digest_gives_every_talent_its_best_jobs(demo_index, workers):
    index, talents = demo_index
    digest = dict(index.digest(10, workers=workers))
    assert set(digest) == {t.id for t in talents}
    for talent in talents:
        assert digest[talent.id] == [m.id for m in index.best_jobs(talent, 10)], talent.id


def test_candidates_find_what_scoring_every_job_finds_for_most_talents(demo_index):
    index, talents = demo_index
    live = index.jobs.live_view()
    found = []
    for talent in talents[:100]:
        keys, ids, counts = index._talent_keys(talent, add=False)
        t = {name: np.array([v]) for name, v in keys.items()}
        q = ranking.one_row(ids, counts, len(index.vocab))
        every = index._rank_jobs(t, q, live, live, 10)[0][0]
        got = {index.jobs.slot[m.id] for m in index.best_jobs(talent, 10)}
        found.append(len(got & set(every.tolist())) / len(every))
    assert np.mean(found) > 0.9


def test_bm25_is_lucene_bm25_as_bm25s_computes_it(monkeypatch):
    monkeypatch.setattr(score_module, "COMMON_SHARE", 1.0)  # score every word, as bm25s does
    docs = [
        "船舶结构设计工程师 负责散货船分段结构设计",
        "Java开发工程师 后端服务开发",
        "船舶电气设计 电站与配电系统设计",
        "纺织面料开发 印染工艺",
        "海洋平台结构强度计算 有限元分析 船舶",
    ]
    index = MatchIndex(CATALOGUE, today=TODAY)
    for i, text in enumerate(docs):
        index.upsert_job(Job(id=str(i), description=text))
    reference = bm25s.BM25(k1=score_module.BM25_K1, b=score_module.BM25_B, method="lucene")
    reference.index([tokens(d) for d in docs], show_progress=False)
    query = "船舶结构设计 有限元分析"
    expected = reference.get_scores(tokens(query))
    talent = Talent(id="q", about=query)
    for i, text in enumerate(docs):
        got = next(p for p in index.explain(talent, Job(id=str(i), description=text)).parts if p.name == "text")
        bm25 = score_module.TEXT_HALF * got.points / (score_module.W_TEXT - got.points)
        # bm25s (like Lucene 8+) leaves out BM25's constant factor k1 + 1
        assert bm25 == pytest.approx(expected[i] * (score_module.BM25_K1 + 1), rel=2e-3, abs=2e-3), i


def test_the_same_seed_gives_the_same_data_and_the_same_ranking():
    assert list(synthetic.jobs(50, seed=9)) == list(synthetic.jobs(50, seed=9))
    assert list(synthetic.talents(50, seed=9)) != list(synthetic.talents(50, seed=8))

    def ranking() -> dict[str, list[str]]:
        index = MatchIndex(CATALOGUE, today=synthetic.TODAY)
        for j in synthetic.jobs(500, seed=9):
            index.upsert_job(j)
        for t in synthetic.talents(100, seed=9):
            index.upsert_talent(t)
        return dict(index.digest(10, workers=1))

    assert ranking() == ranking()


def test_synthetic_data_is_drawn_from_the_catalogue_and_the_demo_city():
    jobs = list(synthetic.jobs(300, seed=2))
    talents = list(synthetic.talents(300, seed=2))
    assert all(CATALOGUE.normalise(t.major_code) in CATALOGUE.names for t in talents)
    assert all(CATALOGUE.normalise(c) for j in jobs for c in j.majors)
    assert sum(j.adcode.startswith("3206") for j in jobs) > 200
    assert {j.chain for j in jobs} >= {"shipbuilding_offshore", "high_end_textile", "ict"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in j.title) or j.title.isascii() for j in jobs)


def _changed_index(seed: int) -> tuple[MatchIndex, list[Job], list[Talent]]:
    index = MatchIndex(CATALOGUE, today=synthetic.TODAY)
    jobs = list(synthetic.jobs(1500, seed=seed))
    talents = list(synthetic.talents(150, seed=seed))
    for j in jobs[:1200]:
        index.upsert_job(j)
    for t in talents:
        index.upsert_talent(t)
    index.best_jobs(talents[0])  # weigh the jobs once
    for j in jobs[1200:1240]:  # new postings, and some withdrawn, after the weights were made
        index.upsert_job(j)
    for j in jobs[:20]:
        index.remove_job(j.id)
    for j in jobs[20:30]:
        index.upsert_job(replace(j, title=j.title + " 船舶结构设计", posted=synthetic.TODAY))
    return index, jobs, talents


def test_digest_equals_best_jobs_while_changes_are_an_overlay():
    index, _, talents = _changed_index(seed=4)
    assert index._w.pending  # changed rows not yet folded in
    digest = dict(index.digest(10, workers=1))
    for talent in talents:
        assert digest[talent.id] == [m.id for m in index.best_jobs(talent, 10)], talent.id


def test_after_many_changes_every_job_is_weighed_again_as_a_new_index_would(monkeypatch):
    monkeypatch.setattr(index_module, "STATS_MIN", 0)
    monkeypatch.setattr(index_module, "STATS_SHARE", 0.0)
    index, jobs, talents = _changed_index(seed=6)
    fresh = MatchIndex(CATALOGUE, today=synthetic.TODAY)
    for job_id in index.jobs.ids:
        if index.jobs.live[index.jobs.slot[job_id]]:
            original = next(j for j in jobs if j.id == job_id)
            fresh.upsert_job(replace(original, title=original.title + " 船舶结构设计", posted=synthetic.TODAY)
                             if original in jobs[20:30] else original)  # fmt: skip
    for talent in talents[:30]:
        got = {m.id: m.score for m in index.best_jobs(talent, 10)}
        want = {m.id: m.score for m in fresh.best_jobs(talent, 10)}
        assert sorted(got.values()) == pytest.approx(sorted(want.values()), abs=2e-3), talent.id
