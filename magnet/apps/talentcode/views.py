"""Public, well-known URLs that every service point's verifier downloads and caches."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from magnet.apps.common.access import public
from magnet.apps.talentcode import services


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
