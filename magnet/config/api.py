"""The one NinjaAPI under /api/v1. Every operation declares its access rule (see common.api_auth)."""

from __future__ import annotations

from django.conf import settings
from ninja import NinjaAPI

from magnet.apps.audit.api import router as audit_router
from magnet.apps.common.api import router as common_router
from magnet.apps.common.api_auth import allow
from magnet.apps.common.errors import DomainError
from magnet.apps.feeds.api import router as feeds_router
from magnet.apps.matching.api import router as matching_router
from magnet.apps.radar.api import router as radar_router
from magnet.apps.reference.api import router as reference_router
from magnet.apps.talentcode.api import router as talentcode_router


def _docs_access(view):
    # The schema and docs are public in development and need a signed-in user in production (CF-5).
    if not settings.PRODUCTION:
        return view
    from django.contrib.auth.decorators import login_required

    return login_required(view)


api = NinjaAPI(
    title="Magnet API",
    version="1",
    description="人才服务平台接口。Every operation states the roles it admits.",
    urls_namespace="api",
    auth=allow(),
    docs_decorator=_docs_access,
)
api.add_router("/", common_router)
api.add_router("/feeds", feeds_router)
api.add_router("/radar", radar_router)
api.add_router("/reference", reference_router)
api.add_router("/audit", audit_router)
api.add_router("/talent-code", talentcode_router)
api.add_router("/matching", matching_router)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, {"error": exc.as_dict()}, status=exc.status)
