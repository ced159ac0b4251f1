"""Reads of the reference catalogues."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from magnet.apps.reference.models import Division, Industry, Major, University


def catalogue_counts() -> list[dict]:
    return [
        {"label": _("本科专业"), "count": Major.objects.count()},
        {"label": _("高等学校"), "count": University.objects.count()},
        {"label": _("行业分类"), "count": Industry.objects.count()},
        {"label": _("行政区划"), "count": Division.objects.count()},
    ]


def major_search(q: str, *, limit: int = 20) -> QuerySet[Major]:
    """Majors whose code, old code, name, class or discipline matches; codes first."""
    q = q.strip()
    if not q:
        return Major.objects.none()
    return Major.objects.filter(
        Q(code_full__istartswith=q) | Q(previous_code_full__istartswith=q) | Q(name__icontains=q)
        | Q(class_name__icontains=q)
    ).order_by("code")[:limit]


def major_by_code(code: str) -> Major | None:
    """A major by its printed code, numeric code or pre-2026 code (renamed codes stay valid)."""
    code = code.strip().upper()
    return (
        Major.objects.filter(code_full=code).first()
        or Major.objects.filter(code=code).first()
        or Major.objects.filter(previous_code_full=code).first()
    )


def university_search(q: str, *, limit: int = 20) -> QuerySet[University]:
    q = q.strip()
    if not q:
        return University.objects.none()
    return University.objects.filter(
        Q(school_code__startswith=q) | Q(school_id10__startswith=q) | Q(name__icontains=q)
    ).order_by("-double_first_class", "school_code")[:limit]


def division_search(q: str, *, limit: int = 20, in_use: bool = True) -> QuerySet[Division]:
    q = q.strip()
    if not q:
        return Division.objects.none()
    rows = Division.objects.filter(Q(adcode__startswith=q) | Q(name__icontains=q))
    if in_use:
        rows = rows.filter(in_use=True)
    return rows.order_by("adcode")[:limit]


def industry_search(q: str, *, limit: int = 20) -> QuerySet[Industry]:
    q = q.strip().upper()
    if not q:
        return Industry.objects.none()
    return Industry.objects.filter(
        Q(code_with_section__startswith=q) | Q(code__startswith=q) | Q(name__icontains=q)
    ).order_by("code_with_section")[:limit]
