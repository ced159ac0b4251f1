"""The Django admin: administrators only, with a verified second factor, from allowed addresses (AU-7)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse


class MagnetAdminSite(admin.AdminSite):
    site_header = "人才服务平台 · 系统管理"
    site_title = "系统管理"
    index_title = "系统管理"

    def has_permission(self, request) -> bool:
        user = request.user
        return (
            user.is_active
            and user.is_authenticated
            and user.role == "admin"
            and user.is_verified()
            and request.META.get("REMOTE_ADDR") in settings.MAGNET_ADMIN_ALLOWED_IPS
        )

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            from django.shortcuts import render

            return render(request, "common/forbidden.html", status=403)
        return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")


admin_site = MagnetAdminSite(name="admin")
