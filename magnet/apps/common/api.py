"""Platform-wide API operations: health and the signed-in user."""

from __future__ import annotations

from django.db import connection
from ninja import Router, Schema

from magnet.apps.common.api_auth import allow

router = Router(tags=["common"])


class HealthOut(Schema):
    status: str
    database: str


class MeOut(Schema):
    username: str
    role: str
    display_name: str
    identity_status: str
    phone: str
    id_number: str


@router.get("/health", response=HealthOut, auth=None)
def health(request):
    """Liveness and database reachability (public; reveals nothing else)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}


@router.get("/me", response=MeOut, auth=allow())
def me(request):
    """The signed-in user, with personal numbers masked."""
    user = request.auth
    return {
        "username": user.username,
        "role": user.role,
        "display_name": user.display_name,
        "identity_status": user.identity_status,
        "phone": user.phone_masked,
        "id_number": user.id_number_masked,
    }
