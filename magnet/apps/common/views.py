"""The landing page, the home page of each role and the staff console."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render

from magnet.apps.common.access import public, roles, signed_in

HOMES = {
    "talent": "common:talent_home",
    "enterprise": "common:enterprise_home",
    "staff": "common:console",
    "admin": "common:console",
    "verifier": "talentcode_pages:point_home",
    "auditor": "audit:search",
}


@public
def landing(request):
    return render(request, "common/landing.html")


@signed_in
def home(request):
    return redirect(HOMES[request.user.role])


@roles("talent")
def talent_home(request):
    from magnet.apps.feeds.selectors import person_education
    from magnet.apps.reference.forms import DeclaredEducationForm
    from magnet.apps.reference.models import DeclaredEducation

    user = request.user
    declared = DeclaredEducation.objects.filter(user=user).select_related("major", "university")
    # A verified talent sees their own degrees as the education feed (学信) holds them.
    verified_education = person_education(user.id_number_plain()) if user.is_identity_verified else []
    return render(request, "common/talent_home.html", {
        "declared": declared, "education_form": DeclaredEducationForm(), "verified_education": verified_education,
    })


@roles("enterprise")
def enterprise_home(request):
    from magnet.apps.reference.models import Division, Industry

    enterprise = request.user.enterprise
    industry = Industry.objects.filter(code_with_section=enterprise.industry_code).first()
    division = Division.objects.filter(adcode=enterprise.adcode).first()
    colleagues = enterprise.users.filter(is_active=True).order_by("username")
    return render(request, "common/enterprise_home.html",
                  {"enterprise": enterprise, "industry": industry, "division": division, "colleagues": colleagues})


@roles("staff", "admin")
def console(request):
    from magnet.apps.feeds.selectors import snapshot_latest, snapshot_list
    from magnet.apps.reference.selectors import catalogue_counts

    return render(request, "common/console.html", {
        "latest": snapshot_latest(),
        "snapshots": snapshot_list()[:5],
        "catalogues": catalogue_counts(),
        "admin_path": "/" + settings.MAGNET_ADMIN_PATH,
    })



def server_error(request):
    """A generic error page with the request id: no traceback, SQL or settings ever reach the user (LG-6)."""
    from django.http import HttpResponseServerError
    from django.template import loader

    body = loader.get_template("500.html").render({"request_id": getattr(request, "request_id", "")})
    return HttpResponseServerError(body)
