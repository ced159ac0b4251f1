"""Session rules: idle time-out by role (staff 15 min, others 30 min) and forced password change."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.urls import reverse

from magnet.apps.common.access import SECOND_FACTOR_ROLES

LAST_SEEN = "magnet_last_seen"


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            limit = (
                settings.MAGNET_IDLE_TIMEOUT_STAFF if user.role in SECOND_FACTOR_ROLES
                else settings.MAGNET_IDLE_TIMEOUT_OTHERS
            )
            now = int(time.time())
            last = request.session.get(LAST_SEEN, now)
            if now - last > limit:
                logout(request)  # flushes the server-side session too
                return HttpResponseRedirect(reverse("accounts:login") + "?timeout=1")
            request.session[LAST_SEEN] = now
            if self._must_change_password(request, user):
                return HttpResponseRedirect(reverse("accounts:password_change"))
        return self.get_response(request)

    @staticmethod
    def _must_change_password(request, user) -> bool:
        from magnet.apps.accounts.services import password_expired

        allowed = {reverse("accounts:password_change"), reverse("accounts:logout"), reverse("accounts:otp")}
        return request.path not in allowed and not request.path.startswith("/static/") and password_expired(user)
