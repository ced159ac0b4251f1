"""Middleware: request ids, the deny-by-default access policy, and no caching of personal pages."""

from __future__ import annotations

import secrets
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from magnet.apps.common import logging as magnet_logging
from magnet.apps.common.access import SECOND_FACTOR_ROLES


class RequestIdMiddleware:
    """Give every request an id, echoed in the `X-Request-ID` header, the logs and the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = secrets.token_hex(8)
        token = magnet_logging.request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            magnet_logging.request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


def _exempt(path: str) -> bool:
    # The API authenticates each operation itself (NinjaAPI auth), the admin site checks its own
    # permission (administrators with a verified second factor), static files are public.
    admin = "/" + settings.MAGNET_ADMIN_PATH
    return path.startswith(("/api/", "/static/")) or (path.startswith(admin) and not path.startswith(admin + "logout"))


def _sign_in_redirect(request: HttpRequest, name: str) -> HttpResponse:
    """To the sign-in page, then back. An htmx request (a fragment refreshing itself after the session
    ended) gets the whole page sent to sign-in, and back to the page it was on, not the fragment."""
    if request.headers.get("HX-Request") == "true":
        back = urlsplit(request.headers.get("HX-Current-URL", ""))
        same_site = back.netloc in ("", request.get_host())
        path = (back.path + (f"?{back.query}" if back.query else "")) if same_site and back.path else "/"
        response = HttpResponse(status=204)
        response["HX-Redirect"] = f"{reverse(name)}?next={quote(path)}"
        return response
    return HttpResponseRedirect(f"{reverse(name)}?next={quote(request.get_full_path())}")


class AccessPolicyMiddleware:
    """Refuse every view that does not declare who may open it, and every user it does not name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if _exempt(request.path):
            return None
        func = getattr(view_func, "view_class", view_func)
        if getattr(func, "magnet_public", False) or getattr(view_func, "magnet_public", False):
            return None
        allowed = getattr(func, "magnet_roles", None) or getattr(view_func, "magnet_roles", None)
        user = request.user
        if not user.is_authenticated:
            return _sign_in_redirect(request, "accounts:login")
        early = getattr(func, "magnet_before_second_factor", False)
        if user.role in SECOND_FACTOR_ROLES and not user.is_verified() and not early:
            return _sign_in_redirect(request, "accounts:otp")
        if allowed is None or user.role not in allowed:
            from magnet.apps.audit.services import audit_record

            audit_record(request=request, action="access.denied", object_type="url", object_id=request.path,
                         result="denied")
            return render(request, "common/forbidden.html", status=403)
        return None


class NoStoreMiddleware:
    """Pages shown to a signed-in user may carry personal data: never let a cache keep them (DP-7)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response


class LanguageMiddleware:
    """Chinese for everyone unless they chose English with the switch (a cookie); the browser's
    Accept-Language is not consulted, so a page never changes language by surprise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import translation

        choice = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = choice if choice in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
