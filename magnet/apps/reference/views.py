"""Catalogue pages and the htmx pickers that let forms choose a major, school, division or industry."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from magnet.apps.common.access import public, roles, signed_in
from magnet.apps.reference import selectors
from magnet.apps.reference.forms import DeclaredEducationForm
from magnet.apps.reference.loading import SOURCES
from magnet.apps.reference.models import DeclaredEducation

PICKERS = {
    "major": (selectors.major_search, lambda m: (m.code_full, f"{m.name}（{m.code_full}）· {m.class_name}")),
    "university": (
        selectors.university_search,
        lambda u: (
            u.school_id10,
            f"{u.name}（{u.school_code}）" + (" · " + _("双一流") if u.double_first_class else ""),
        ),
    ),
    "division": (selectors.division_search, lambda d: (d.adcode, f"{d.adcode} {d.full_name}")),
    "industry": (selectors.industry_search, lambda i: (i.code_with_section, f"{i.code_with_section} {i.name}")),
}


@public
def sources(request):
    return render(request, "reference/sources.html", {"sources": SOURCES, "counts": selectors.catalogue_counts()})


@signed_in
@require_GET
def pick_search(request, kind: str):
    """Options matching the typed text; choosing one swaps in a hidden input with its code."""
    if kind not in PICKERS:
        return render(request, "reference/_options.html", {"options": []}, status=404)
    search, shape = PICKERS[kind]
    field = request.GET.get("field", kind)[:40]
    options = [shape(row) for row in search(request.GET.get("q", "")[:50])]
    return render(request, "reference/_options.html", {"options": options, "kind": kind, "field": field})


@signed_in
@require_GET
def pick_choose(request, kind: str):
    if kind not in PICKERS:
        return render(request, "reference/_options.html", {"options": []}, status=404)
    search, shape = PICKERS[kind]
    code = request.GET.get("code", "")[:10]
    field = request.GET.get("field", kind)[:40]
    matches = [shape(row) for row in search(code) if shape(row)[0] == code]
    chosen = matches[0] if matches else None
    return render(request, "reference/_picked.html", {"chosen": chosen, "kind": kind, "field": field})


@roles("talent")
@require_POST
def declare_education(request):
    form = DeclaredEducationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("common:talent_home")
    data = form.cleaned_data
    try:
        DeclaredEducation.objects.create(
            user=request.user,
            degree=data["degree"],
            university=data["university"],
            major=data["major"],
            graduation_date=data["graduation_date"],
        )
        messages.success(request, _("学历已添加（待与学信数据核验）。"))
    except IntegrityError:
        messages.error(request, _("这条学历已经填写过了。"))
    return redirect("common:talent_home")
