from __future__ import annotations

from ninja import Router, Schema

from magnet.apps.common.api_auth import allow
from magnet.apps.reference import selectors

router = Router(tags=["reference"], auth=allow())


class MajorOut(Schema):
    code_full: str
    name: str
    class_code: str
    class_name: str
    discipline_code: str
    discipline_name: str
    previous_code_full: str


class UniversityOut(Schema):
    school_id10: str
    school_code: str
    name: str
    province: str
    level: str
    double_first_class: bool


@router.get("/majors", response=list[MajorOut])
def search_majors(request, q: str):
    """Majors of the MOE catalogue matching a code or name."""
    return list(selectors.major_search(q[:50]))


@router.get("/universities", response=list[UniversityOut])
def search_universities(request, q: str):
    """Universities of the MOE list matching a code or name."""
    return list(selectors.university_search(q[:50]))
