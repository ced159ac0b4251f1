"""Sign-in, lock-out, identity binding and account creation: one function per action, each audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token

from magnet.apps.accounts.models import Enterprise, IdentityStatus, LoginThrottle, Role, SmsCode, User
from magnet.apps.accounts.sms import sms_send
from magnet.apps.audit.services import audit_record, client_ip
from magnet.apps.common.errors import DomainError
from magnet.apps.common.pii import cipher, id_number_index, phone_index
from magnet.core.feeds.checks import id_number_problem, uscc_problem

MOBILE = re.compile(r"1[3-9][0-9]{9}")
SIGN_IN_REFUSED = gettext_lazy("账号或密码不正确，或账号已被暂时锁定。")


def normalise_phone(raw: str) -> str:
    phone = re.sub(r"[\s-]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not MOBILE.fullmatch(phone):
        raise DomainError("phone_invalid", _("请输入 11 位中国大陆手机号码。"), {"field": "phone"})
    return phone


# --- throttling ---------------------------------------------------------------------------------


def _throttle_locked(key: str) -> bool:
    row = LoginThrottle.objects.filter(key=key).first()
    return bool(row and row.locked_until and row.locked_until > timezone.now())


def _throttle_fail(key: str, limit: int) -> None:
    now = timezone.now()
    window = dt.timedelta(minutes=settings.MAGNET_LOGIN_LOCK_MINUTES)
    with transaction.atomic():
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(key=key, defaults={"window_start": now})
        if row.window_start < now - window:
            row.failures, row.window_start = 0, now
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + window
        row.save()


def _throttle_clear(key: str) -> None:
    LoginThrottle.objects.filter(key=key).delete()


def _account_key(username: str) -> str:
    return "acct:" + hashlib.sha256(username.strip().lower().encode()).hexdigest()


def _ip_key(request) -> str:
    return f"ip:{client_ip(request) or '-'}"


# --- password + TOTP ----------------------------------------------------------------------------


def password_sign_in(*, request, username: str, password: str) -> User:
    """Check a password. The same refusal for unknown users, wrong passwords and locked accounts (AU-2)."""
    akey, ikey = _account_key(username), _ip_key(request)
    if _throttle_locked(akey) or _throttle_locked(ikey):
        audit_record(request=request, action="auth.login", object_id=username[:150], result="locked")
        raise DomainError("sign_in_refused", SIGN_IN_REFUSED, status=403)
    user = authenticate(request, username=username, password=password)
    if user is None or user.role == Role.TALENT:
        _throttle_fail(akey, settings.MAGNET_LOGIN_MAX_FAILURES)
        _throttle_fail(ikey, settings.MAGNET_LOGIN_MAX_FAILURES_PER_IP)
        audit_record(request=request, action="auth.login", object_id=username[:150], result="failed")
        raise DomainError("sign_in_refused", SIGN_IN_REFUSED, status=403)
    _throttle_clear(akey)
    audit_record(request=request, actor=user, action="auth.login", object_type="user", object_id=user.pk)
    return user


def otp_verify(*, request, user: User, token: str) -> None:
    """Check a TOTP code for the signed-in user and mark the session as verified."""
    key = f"otp:{user.pk}"
    if _throttle_locked(key):
        audit_record(request=request, actor=user, action="auth.otp", result="locked")
        raise DomainError("otp_locked", _("验证码错误次数过多，请稍后再试。"), status=403)
    device = match_token(user, (token or "").strip())
    if device is None:
        _throttle_fail(key, settings.MAGNET_LOGIN_MAX_FAILURES)
        audit_record(request=request, actor=user, action="auth.otp", result="failed")
        raise DomainError("otp_wrong", _("动态验证码不正确或已过期。"), {"field": "token"})
    _throttle_clear(key)
    otp_login(request, device)
    audit_record(request=request, actor=user, action="auth.otp", object_type="user", object_id=user.pk)


# --- phone + SMS code ---------------------------------------------------------------------------


def _code_hash(attempt: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{attempt}:{code}".encode(), hashlib.sha256).hexdigest()


def sms_code_send(*, request, phone: str, attempt: str) -> None:
    """Send a six-digit code for this sign-in attempt, within the resend and hourly limits."""
    phone = normalise_phone(phone)
    index = phone_index(phone)
    now = timezone.now()
    recent = SmsCode.objects.filter(phone_index=index, created_at__gte=now - dt.timedelta(hours=1))
    if recent.count() >= settings.MAGNET_SMS_MAX_PER_HOUR:
        raise DomainError("sms_rate_limited", _("验证码发送过于频繁，请一小时后再试。"), status=429)
    last = recent.order_by("-created_at").first()
    if last and last.created_at > now - dt.timedelta(seconds=settings.MAGNET_SMS_RESEND_INTERVAL):
        raise DomainError("sms_too_soon", _("验证码已发送，请稍候再重新获取。"), status=429)
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.create(
        phone_index=index,
        attempt=attempt,
        code_hash=_code_hash(attempt, code),
        created_at=now,
        expires_at=now + dt.timedelta(seconds=settings.MAGNET_SMS_CODE_TTL),
    )
    minutes = max(1, settings.MAGNET_SMS_CODE_TTL // 60)
    sms_send(
        phone,
        _("【人才服务平台】您的登录验证码为 %(code)s，%(minutes)s 分钟内有效。请勿告诉他人。")
        % {"code": code, "minutes": minutes},
    )
    audit_record(request=request, action="auth.sms_sent", subject_index=index)


def sms_sign_in(*, request, phone: str, attempt: str, code: str) -> User:
    """Check the code sent for this attempt; the talent account is created on first sign-in."""
    phone = normalise_phone(phone)
    index = phone_index(phone)
    key = f"phone:{index}"
    if _throttle_locked(key):
        audit_record(request=request, action="auth.sms_login", subject_index=index, result="locked")
        raise DomainError("sms_locked", _("验证码错误次数过多，账号已暂时锁定，请稍后再试。"), status=403)
    now = timezone.now()
    with transaction.atomic():
        sent = (
            SmsCode.objects.select_for_update()
            .filter(phone_index=index, attempt=attempt, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        ok = (
            sent is not None
            and sent.failures < settings.MAGNET_LOGIN_MAX_FAILURES
            and hmac.compare_digest(sent.code_hash, _code_hash(attempt, (code or "").strip()))
        )
        if not ok:
            if sent is not None:
                sent.failures += 1
                sent.save(update_fields=["failures"])
        else:
            sent.used_at = now
            sent.save(update_fields=["used_at"])
    if not ok:
        _throttle_fail(key, settings.MAGNET_LOGIN_MAX_FAILURES)
        audit_record(request=request, action="auth.sms_login", subject_index=index, result="failed")
        raise DomainError("sms_code_wrong", _("验证码不正确或已过期，请重新获取。"), {"field": "code"})
    _throttle_clear(key)
    user = User.objects.filter(phone_index=index).first() or talent_create(phone=phone)
    if user.role != Role.TALENT or not user.is_active:
        audit_record(request=request, actor=user, action="auth.sms_login", result="refused")
        raise DomainError("sms_not_talent", _("该手机号不能以人才身份登录。"), status=403)
    audit_record(
        request=request, actor=user, action="auth.sms_login", object_type="user", object_id=user.pk, subject_index=index
    )
    return user


# --- accounts -----------------------------------------------------------------------------------


def talent_create(*, phone: str, display_name: str = "") -> User:
    user = User(
        username=f"talent-{secrets.token_hex(6)}",
        role=Role.TALENT,
        display_name=display_name,
        phone_cipher=cipher().encrypt(phone, context="phone"),
        phone_index=phone_index(phone),
    )
    user.set_unusable_password()
    user.save()
    return user


def enterprise_get_or_create(*, uscc: str, name: str) -> Enterprise:
    """Find or register an enterprise by USCC, matched to the latest enterprises feed."""
    problem = uscc_problem(uscc)
    if problem:
        raise DomainError(
            "uscc_invalid", _("统一社会信用代码无效：%(problem)s") % {"problem": problem}, {"field": "uscc"}
        )
    from magnet.apps.feeds.selectors import enterprise_feed_lookup

    row, snapshot_id = enterprise_feed_lookup(uscc)
    defaults = {"name": name}
    if row is not None:
        defaults.update(
            name=row["name"],
            industry_code=row["industry_code"] or "",
            industry_chain=row["industry_chain"] or "",
            adcode=row["adcode"] or "",
            key_enterprise=bool(row["key_enterprise"]),
            feed_snapshot_id=snapshot_id,
        )
    enterprise, _created = Enterprise.objects.get_or_create(uscc=uscc, defaults=defaults)
    return enterprise


def identity_bind(*, request, user: User, id_number: str) -> User:
    """Bind an identity number once, verified against the latest persons feed.

    Verified when the number is in the feed and the phone on record there is the account's phone;
    otherwise the binding is kept but the account stays unverified and sees only what needs no identity.
    """
    from magnet.apps.feeds.selectors import person_feed_lookup

    id_number = (id_number or "").strip().upper()
    problem = id_number_problem(id_number)
    if problem:
        raise DomainError(
            "id_number_invalid", _("公民身份号码无效：%(problem)s") % {"problem": problem}, {"field": "id_number"}
        )
    if user.role != Role.TALENT:
        raise DomainError("not_talent", _("只有人才账户可以绑定身份。"), status=403)
    if user.id_number_cipher:
        raise DomainError("identity_already_bound", _("身份已经绑定，不能更改；如有错误请联系服务专席。"))
    index = id_number_index(id_number)
    if User.objects.filter(id_number_index=index).exclude(pk=user.pk).exists():
        raise DomainError("identity_taken", _("该身份号码已被其他账户绑定，请联系服务专席核实。"))
    person, snapshot_id = person_feed_lookup(id_number)
    verified = person is not None and bool(person.get("phone")) and person["phone"] == user.phone_plain()
    user.id_number_cipher = cipher().encrypt(id_number, context="id_number")
    user.id_number_index = index
    user.identity_status = IdentityStatus.VERIFIED if verified else IdentityStatus.UNVERIFIED
    user.identity_checked_at = timezone.now()
    user.identity_snapshot_id = snapshot_id or ""
    if verified and not user.display_name:
        user.display_name = person["name"]
    try:
        with transaction.atomic():
            user.save()
            audit_record(
                request=request,
                actor=user,
                action="identity.bind",
                object_type="user",
                object_id=user.pk,
                subject_index=index,
                result="verified" if verified else "unverified",
                detail={"snapshot": snapshot_id or ""},
            )
    except IntegrityError:
        user.refresh_from_db()  # a concurrent binding of the same number won the race
        raise DomainError("identity_taken", _("该身份号码已被其他账户绑定，请联系服务专席核实。")) from None
    return user


def user_set_password(*, user: User, password: str) -> None:
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])


def password_expired(user: User) -> bool:
    days = settings.MAGNET_STAFF_PASSWORD_MAX_AGE_DAYS
    if user.role not in {Role.STAFF, Role.AUDITOR, Role.ADMIN} or days <= 0:
        return False
    changed = user.password_changed_at or user.date_joined
    return changed < timezone.now() - dt.timedelta(days=days)


def api_token_create(*, user: User, name: str, actor=None, request=None) -> str:
    """Create a bearer token for `user` and return it once; only its hash is stored. The audit entry names
    who created it (`actor`, e.g. the staff member) and whose token it is."""
    from magnet.apps.accounts.models import ApiToken

    token = "mgt_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, token_hash=hashlib.sha256(token.encode()).hexdigest())
    audit_record(request=request, actor=actor or user, action="api_token.create", object_type="user",
                 object_id=user.pk, detail={"name": name})
    return token


def pii_rotate(*, batch: int = 1000) -> dict[str, int]:
    """Re-encrypt every phone and identity number still under an older key id (DP-5); audited."""
    fields = (("phone_cipher", "phone"), ("id_number_cipher", "id_number"))
    current = cipher()
    rewritten = 0
    for user in User.objects.exclude(phone_cipher="", id_number_cipher="").iterator(chunk_size=batch):
        changed = []
        for field, context in fields:
            token = getattr(user, field)
            if token and current.needs_rotation(token):
                setattr(user, field, current.encrypt(current.decrypt(token, context=context), context=context))
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
            rewritten += len(changed)
    remaining = sum(
        1
        for user in User.objects.only(*(f for f, _c in fields)).iterator(chunk_size=batch)
        for field, _c in fields
        if getattr(user, field) and current.needs_rotation(getattr(user, field))
    )
    audit_record(
        action="pii.rotate", detail={"rewritten": rewritten, "remaining": remaining, "key": current.current_kid}
    )
    return {"rewritten": rewritten, "remaining": remaining}


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()).replace("(", "（").replace(")", "）") == "".join(b.split()).replace("(", "（").replace(
        ")", "）"
    )


def enterprise_user_register(
    *, request, uscc: str, enterprise_name: str, display_name: str, username: str, password: str
) -> User:
    """An enterprise's HR registers an account: the USCC must be valid and in the latest enterprises
    feed under the name given; the account stays inactive until bureau staff approve it."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from magnet.apps.feeds.selectors import enterprise_feed_lookup

    uscc = (uscc or "").strip().upper()
    problem = uscc_problem(uscc)
    if problem:
        raise DomainError(
            "uscc_invalid", _("统一社会信用代码无效：%(problem)s") % {"problem": problem}, {"field": "uscc"}
        )
    row, _snapshot = enterprise_feed_lookup(uscc)
    if row is None:
        raise DomainError(
            "enterprise_not_in_feed", _("法人库中没有这个统一社会信用代码，请核对后再试。"), {"field": "uscc"}
        )
    if not _same_name(row["name"], enterprise_name):
        raise DomainError(
            "enterprise_name_mismatch", _("企业名称与法人库登记的名称不一致。"), {"field": "enterprise_name"}
        )
    user = User(
        username=username.strip(),
        role=Role.ENTERPRISE,
        display_name=display_name.strip(),
        is_active=False,
        registration_status="pending",
    )
    if user.username.lower() in User.RESERVED_USERNAMES or User.objects.filter(username__iexact=user.username).exists():
        raise DomainError("username_taken", _("该用户名已被使用，请换一个。"), {"field": "username"})
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError("password_weak", " ".join(error.messages), {"field": "password"}) from None
    with transaction.atomic():
        user.enterprise = enterprise_get_or_create(uscc=uscc, name=row["name"])
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save()
        audit_record(
            request=request, action="enterprise.register", object_type="user", object_id=user.pk, detail={"uscc": uscc}
        )
    return user


def enterprise_user_decide(*, request, user: User, approve: bool) -> User:
    """Bureau staff approve (the account becomes active) or reject a pending enterprise registration."""
    if user.role != Role.ENTERPRISE or user.registration_status != "pending":
        raise DomainError("not_pending", _("这个注册申请已经处理过了。"))
    with transaction.atomic():
        user.registration_status = "approved" if approve else "rejected"
        user.is_active = approve
        user.save(update_fields=["registration_status", "is_active"])
        audit_record(
            request=request,
            action="enterprise.approve" if approve else "enterprise.reject",
            object_type="user",
            object_id=user.pk,
            detail={"uscc": user.enterprise.uscc},
        )
    return user
