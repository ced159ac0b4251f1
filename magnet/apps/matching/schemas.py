"""Input and output of the matching API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class PartOut(Schema):
    name: str
    points: float
    zh: str
    en: str


class JobOut(Schema):
    id: int
    title: str
    enterprise: str = Field(alias="enterprise.name")
    description: str
    majors: list[str]
    min_degree: str
    skills: list[str]
    adcode: str
    pay_min: int
    pay_max: int
    headcount: int
    deadline: dt.date
    chain: str
    key_enterprise: bool
    published_at: dt.datetime | None


class JobPage(Schema):
    count: int
    page: int
    pages: int
    items: list[JobOut]


class RecommendationOut(Schema):
    job: JobOut
    score: float
    parts: list[PartOut]


class JobIn(Schema):
    title: str = ""
    description: str = ""
    majors: list[str] = Field(default_factory=list, description="MOE codes: major (6), class (4) or discipline (2)")
    min_degree: str = Field("", description="associate, bachelor, master, doctor or empty for any")
    skills: list[str] = Field(default_factory=list)
    adcode: str = ""
    pay_min: int | None = None
    pay_max: int | None = None
    headcount: int | None = None
    deadline: dt.date | None = None
    publish: bool = Field(False, description="publish at once (held for review when the wording discriminates)")


class JobSaved(Schema):
    id: int
    status: str
    flags: list[dict]


class ApplyIn(Schema):
    note: str = ""


class ApplicationOut(Schema):
    id: int
    job: int = Field(alias="job_id")
    status: str
    score: int | None
    created_at: dt.datetime


class CandidateOut(Schema):
    talent: int = Field(description="the talent's user id (to invite them)")
    name: str = Field(description="masked (张**) unless the talent applied to this enterprise")
    applied: bool
    degree: str
    major_name: str
    school_name: str
    education_verified: bool
    skills: list[str]
    score: float
    parts: list[PartOut]
