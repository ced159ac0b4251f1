"""Access rules for the JSON API: every operation names the roles it admits (deny by default).

Pages' session (with CSRF on unsafe methods) or a bearer token of a service point or integration."""

from __future__ import annotations

import hashlib

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from magnet.apps.common.access import ALL_ROLES, user_may


class RoleSession(APIKeyCookie):
    """The signed-in user of the session, if their role is admitted (second factor checked for staff)."""

    def __init__(self, *allowed: str):
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        self.allowed = frozenset(allowed) or ALL_ROLES
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = request.user
        return user if user_may(user, self.allowed) else None


class RoleToken(HttpBearer):
    """`Authorization: Bearer mgt_…` for an active token whose user has an admitted role."""

    def __init__(self, *allowed: str):
        self.allowed = frozenset(allowed) or ALL_ROLES
        super().__init__()

    def authenticate(self, request, token):
        from magnet.apps.accounts.models import ApiToken

        digest = hashlib.sha256(token.encode()).hexdigest()
        row = ApiToken.objects.select_related("user").filter(token_hash=digest, revoked_at__isnull=True).first()
        if row is None or not row.user.is_active or row.user.role not in self.allowed:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


def allow(*roles: str) -> list:
    """The auth list for an operation open to these roles, by session or token."""
    return [RoleSession(*roles), RoleToken(*roles)]
