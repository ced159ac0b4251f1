"""Sign-in pages: password + TOTP for staff, phone + SMS code for talents; identity binding."""

from __future__ import annotations

import base64
import secrets

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from magnet.apps.accounts import services
from magnet.apps.accounts.forms import IdentityForm, OtpForm, PasswordSignInForm, PhoneForm, SmsSignInForm
from magnet.apps.audit.models import AuditEntry
from magnet.apps.common.access import SECOND_FACTOR_ROLES, before_second_factor, public, roles
from magnet.apps.common.errors import DomainError

BACKEND = "magnet.apps.accounts.backends.RoleAwareModelBackend"


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _login_page(request, **extra):
    context = {
        "password_form": extra.pop("password_form", None) or PasswordSignInForm(),
        "sms_form": extra.pop("sms_form", None) or SmsSignInForm(),
        "next": _next(request, ""),
        "timeout": request.GET.get("timeout"),
        **extra,
    }
    return render(request, "accounts/login.html", context, status=extra.get("status", 200))


@public
def login_view(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect("common:home")
    return _login_page(request)


@public
@require_POST
def password_login(request):
    form = PasswordSignInForm(request.POST)
    if not form.is_valid():
        return _login_page(request, password_form=form, tab="password")
    try:
        user = services.password_sign_in(request=request, **form.cleaned_data)
    except DomainError as error:
        form.add_error(None, error.message)
        return _login_page(request, password_form=form, tab="password")
    login(request, user, backend=BACKEND)
    if user.role in SECOND_FACTOR_ROLES:
        return redirect(f"{reverse('accounts:otp')}?next={_next(request, '')}")
    return redirect(_next(request, reverse("common:home")))


@public
@require_POST
def sms_send(request):
    form = PhoneForm(request.POST)
    attempt = request.session.get("sms_attempt") or secrets.token_urlsafe(24)
    request.session["sms_attempt"] = attempt
    message, ok = "", False
    if form.is_valid():
        try:
            services.sms_code_send(request=request, phone=form.cleaned_data["phone"], attempt=attempt)
            message, ok = _("验证码已发送，5 分钟内有效。"), True
        except DomainError as error:
            message = error.message
    else:
        message = _("请输入手机号码。")
    return render(request, "accounts/_sms_status.html", {"message": message, "ok": ok})


@public
@require_POST
def sms_login(request):
    form = SmsSignInForm(request.POST)
    if not form.is_valid():
        return _login_page(request, sms_form=form, tab="sms")
    try:
        user = services.sms_sign_in(
            request=request, attempt=request.session.get("sms_attempt", ""), **form.cleaned_data
        )
    except DomainError as error:
        form.add_error(error.extra.get("field"), error.message)
        return _login_page(request, sms_form=form, tab="sms")
    login(request, user, backend=BACKEND)
    return redirect(_next(request, reverse("common:home")))


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@before_second_factor
def otp_view(request):
    user = request.user
    if user.role not in SECOND_FACTOR_ROLES or user.is_verified():
        return redirect(_next(request, reverse("common:home")))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setup = None
    if device is None:
        # First sign-in: enrol an authenticator app with an unconfirmed device, confirmed by its first code.
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False
        )
        setup = {"qr": _qr_data_uri(device.config_url), "secret": base64.b32encode(device.bin_key).decode()}
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if setup is not None and device.verify_token(form.cleaned_data["token"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            services.otp_verify(request=request, user=user, token=form.cleaned_data["token"])
            return redirect(_next(request, reverse("common:home")))
        except DomainError as error:
            form.add_error("token", error.message)
    return render(request, "accounts/otp.html", {"form": form, "setup": setup, "next": _next(request, "")})


@before_second_factor
@require_POST
def logout_view(request):
    from magnet.apps.audit.services import audit_record

    audit_record(request=request, action="auth.logout", object_type="user", object_id=request.user.pk)
    logout(request)
    return redirect("common:landing")


@roles("enterprise", "staff", "verifier", "auditor", "admin")
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect("common:home")
    return render(request, "accounts/password_change.html", {"form": form})


@roles("talent")
def identity_view(request):
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_bind(request=request, user=request.user, id_number=form.cleaned_data["id_number"])
            if request.user.is_identity_verified:
                messages.success(request, _("身份已核验。"))
            else:
                messages.warning(request, _("身份号码已记录，但未能与人口库核验一致（号码不在库中或预留手机号不符）。"))
            return redirect("common:home")
        except DomainError as error:
            form.add_error("id_number", error.message)
    return render(request, "accounts/identity.html", {"form": form})


@roles("talent")
def access_history(request):
    """Who looked at my data, when and why (PIPL 44-46; Estonia's Data Tracker)."""
    entries = []
    if request.user.id_number_index:
        entries = (
            AuditEntry.objects.filter(subject_index=request.user.id_number_index)
            .exclude(actor_id=request.user.pk)
            .order_by("-id")[:200]
        )
    return render(request, "accounts/access_history.html", {"entries": entries})


@public
def enterprise_register(request):
    """An enterprise's HR asks for an account; bureau staff approve it."""
    from magnet.apps.accounts.forms import EnterpriseRegistrationForm

    form = EnterpriseRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password2"}
        try:
            services.enterprise_user_register(request=request, **data)
            return render(request, "accounts/enterprise_registered.html")
        except DomainError as error:
            form.add_error(error.extra.get("field"), error.message)
    return render(request, "accounts/enterprise_register.html", {"form": form})


@roles("staff")
def enterprise_requests(request):
    """Pending enterprise registrations, approved or rejected by staff (each decision audited)."""
    from django.shortcuts import get_object_or_404

    from magnet.apps.accounts.models import User

    pending = User.objects.filter(role="enterprise", registration_status="pending").select_related("enterprise")
    if request.method == "POST":
        user = get_object_or_404(pending, pk=request.POST.get("user"))
        try:
            services.enterprise_user_decide(
                request=request, user=user, approve=request.POST.get("decision") == "approve"
            )
            messages.success(request, _("已处理：%(name)s") % {"name": user.enterprise.name})
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("accounts:enterprise_requests")
    return render(request, "accounts/enterprise_requests.html", {"pending": pending.order_by("date_joined")})
