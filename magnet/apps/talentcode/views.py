"""The well-known URLs every service point's verifier downloads, the point's page and the staff console."""

import datetime as dt

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from magnet.apps.common.access import public, roles
from magnet.apps.talentcode import services
from magnet.apps.talentcode.models import Redemption, Service, SigningKey
from magnet.apps.talentcode.redemptions import Scan, redemption_record


@public
@require_GET
def keyset(request):
    """The city's published keys as a COSE_KeySet (RFC 9052 §7)."""
    response = HttpResponse(services.published_keyset().encode(), content_type="application/cose-key-set")
    response["Cache-Control"] = "public, max-age=300"
    return response


@public
@require_GET
def revocations(request):
    """The signed revocation list (a COSE_Sign1 over the revoked code ids and subjects)."""
    body = services.revocation_list_signed()
    response = HttpResponse(body, content_type='application/cose; cose-type="cose-sign1"')
    response["Cache-Control"] = "public, max-age=60"
    return response


@roles("verifier")
def point_home(request):
    """A service point's page: its services, a scan entered by hand (or by a scanner acting as a
    keyboard), and the latest uses recorded here."""
    point = request.user.service_point
    offered = point.services.filter(active=True).order_by("key")
    result = None
    if request.method == "POST":
        code = request.POST.get("code", "").strip()[:4096]
        service = request.POST.get("service", "")[:40]
        outcome = redemption_record(scans=[Scan(code, service)], point=point, verifier_user=request.user,
                                    offline=False)
        result = {"ok": not outcome.refused, "claims": outcome.claims[0],
                  "reason": outcome.refused[0][1] if outcome.refused else "",
                  "message": outcome.refused[0][2] if outcome.refused else ""}
    recent = point.redemptions.select_related("service").order_by("-id")[:20]
    return render(request, "talentcode/point_home.html",
                  {"point": point, "offered": offered, "result": result, "recent": recent})


@roles("staff")
def console(request):
    """Staff: the service catalogue, service points with their verifiers, use statistics by service and
    day, the published keys; and a new API token for a point's verifier (shown once)."""
    from magnet.apps.accounts.models import ServicePoint, User
    from magnet.apps.accounts.services import api_token_create

    new_token = None
    if request.method == "POST":
        verifier = get_object_or_404(User, pk=request.POST.get("verifier"), role="verifier", is_active=True)
        token = api_token_create(user=verifier, name=f"scanner {verifier.username}", actor=request.user,
                                 request=request)
        new_token = {"user": verifier, "token": token}
    since = timezone.localdate() - dt.timedelta(days=13)
    stats = (Redemption.objects.filter(scanned_day__gte=since).values("scanned_day", "service__name")
             .annotate(uses=Count("id")).order_by("-scanned_day", "service__name"))
    return render(request, "talentcode/console.html", {
        "services": Service.objects.prefetch_related("points").order_by("key"),
        "points": ServicePoint.objects.prefetch_related("services", "user_set").order_by("name"),
        "stats": stats,
        "keys": SigningKey.objects.order_by("-created_at"),
        "new_token": new_token,
    })
