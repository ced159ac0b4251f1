"""A small cast of jobs and talents the matching tests share."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from magnet.core.matching import Catalogue, Job, MatchIndex, Talent

TODAY = date(2026, 11, 1)
CATALOGUE = Catalogue.from_csv()

# A 2026 bachelor of naval architecture who wants to stay in 通州区 (320612) on the shipbuilding chain.
NAVAL = Talent(
    id="naval",
    degree="bachelor",
    major_code="081901",
    skills=("AutoCAD", "有限元分析"),
    wish_adcodes=("320612",),
    wish_pay=8000,
    wish_chains=("shipbuilding_offshore",),
    about="船舶与海洋工程专业本科，做过散货船分段结构设计课程设计。",
)
# A computer-science master without place or chain wishes.
CODER = Talent(
    id="coder",
    degree="master",
    major_code="080901",
    skills=("Java", "MySQL"),
    wish_pay=12000,
    about="计算机科学与技术硕士，熟悉后端开发。",
)

# A plain job everything else is varied from: same major for NAVAL, no text, no date, no chain.
BASE = Job(
    id="base", title="技术员", majors=("081901",), min_degree="bachelor", adcode="320612", pay_min=8000, pay_max=10000
)


def job(id_: str, **changes) -> Job:
    return replace(BASE, id=id_, **changes)


def index_of(*jobs: Job, talents: tuple[Talent, ...] = ()) -> MatchIndex:
    index = MatchIndex(CATALOGUE, today=TODAY)
    for j in jobs:
        index.upsert_job(j)
    for t in talents:
        index.upsert_talent(t)
    return index


def scores(index: MatchIndex, talent: Talent, k: int = 50) -> dict[str, float]:
    return {m.id: m.score for m in index.best_jobs(talent, k)}


def part(match, name: str):
    return next(p for p in match.parts if p.name == name)
