"""Build the demo city: a generated snapshot, loaded, plus demo accounts for every role."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from magnet.apps.accounts.models import Department, Enterprise, IdentityStatus, Role, ServicePoint, User
from magnet.apps.audit.services import audit_record
from magnet.apps.common.pii import cipher, id_number_index, phone_index
from magnet.apps.feeds.models import Snapshot
from magnet.apps.feeds.services import snapshot_load
from magnet.core import democity

DEPARTMENTS = [
    ("employment", "就业促进和失业保险处"),
    ("talent", "人才开发和市场处"),
    ("insurance", "社会保险处"),
]
SERVICE_POINTS = [
    ("城市公交集团", "bus", "320613"),
    ("市体育中心健身馆", "gym", "320612"),
    ("市图书馆", "library", "320613"),
]
# The demo city's talent-code services: (key, name, kind, tiers, daily limit, service points by kind).
SERVICES = [
    ("bus", "公交免费乘车", "transport", "ABCDE", 2, ["bus"]),
    ("gym", "体育场馆免费健身", "sport", "ABC", 1, ["gym"]),
    ("library", "图书馆借阅", "culture", "ABCDE", None, ["library"]),
    ("museum", "博物馆免费参观", "culture", "ABCDE", 1, ["library"]),
    ("youth_station", "青年人才驿站免费住宿", "housing", "ABCDE", None, []),
    ("policy_counter", "人才服务专窗", "service", "AB", None, []),
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str  # for talents: the phone number to sign in with
    secret: str  # password, or "SMS code" for talents
    totp_secret: str
    note: str


def _derive(seed: int, label: str, n: int = 10) -> str:
    return hashlib.sha256(f"magnet-demo:{seed}:{label}".encode()).hexdigest()[:n]


def _password(seed: int, username: str) -> str:
    # Demo passwords are derived from the seed so that `make demo` prints the same ones every time.
    return f"Demo-{_derive(seed, username)}!"


def _totp(user: User, seed: int) -> str:
    key = hashlib.sha256(f"magnet-demo-totp:{seed}:{user.username}".encode()).hexdigest()[:40]
    TOTPDevice.objects.update_or_create(user=user, name="demo", defaults={"key": key, "confirmed": True})
    return base64.b32encode(bytes.fromhex(key)).decode()


def _user(username: str, role: str, seed: int, **fields) -> tuple[User, str]:
    user, _ = User.objects.update_or_create(username=username, defaults={"role": role, "is_active": True, **fields})
    password = _password(seed, username)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    return user, password


def demo_build(
    *, persons: int, seed: int, data_dir: Path | None = None, fmt: str = "parquet"
) -> tuple[Snapshot, list[DemoLogin]]:
    """Generate (once per size and seed), load, and create the demo accounts; safe to run again."""
    data_dir = Path(data_dir or settings.MAGNET_DATA_DIR)
    out = data_dir / "incoming" / f"demo-p{persons}-s{seed}-{fmt}"
    if not (out / "persons.parquet").exists() and not (out / "persons.csv").exists():
        out.mkdir(parents=True, exist_ok=True)
        democity.generate(out, persons=persons, seed=seed, fmt=fmt)
    snapshot, _ = snapshot_load(src_dir=out, source="demo")
    with transaction.atomic():
        logins = _accounts(seed, snapshot)
        from magnet.apps.matching.demo import seed_demo

        seed_demo(n_jobs=200, seed=seed)  # published jobs of the demo enterprises, so recommendations show
        from magnet.apps.talentmap.demo import demand_demo_seed

        demand_demo_seed(snapshot=snapshot, seed=seed)  # key enterprises' monthly demand reports, for the talent map
        audit_record(
            action="demo.build",
            object_type="snapshot",
            object_id=snapshot.id,
            detail={"persons": persons, "seed": seed},
        )
    return snapshot, logins


def _accounts(seed: int, snapshot: Snapshot) -> list[DemoLogin]:
    from magnet.apps.feeds.selectors import key_enterprises_in_city

    departments = {
        code: Department.objects.update_or_create(code=code, defaults={"name": name})[0] for code, name in DEPARTMENTS
    }
    logins: list[DemoLogin] = []

    def add(user: User, password: str, note: str, totp: bool) -> None:
        logins.append(DemoLogin(user.role, user.username, password, _totp(user, seed) if totp else "", note))

    staff, pw = _user(
        "staff.city",
        Role.STAFF,
        seed,
        display_name="王敏（全市）",
        department=departments["employment"],
        districts=["3206"],
    )
    staff.user_permissions.add(Permission.objects.get(codename="reveal_pii"))
    add(staff, pw, "bureau staff, whole city, may reveal full ID numbers", True)
    district, pw = _user(
        "staff.chongchuan",
        Role.STAFF,
        seed,
        display_name="陈杰（崇川区）",
        department=departments["talent"],
        districts=["320613", "320602", "320611"],
    )
    add(district, pw, "bureau staff, 崇川区 only", True)
    auditor, pw = _user("auditor.city", Role.AUDITOR, seed, display_name="审计员 刘洋")
    add(auditor, pw, "auditor: searches the audit log", True)
    # The administrator manages accounts and reference data but is not a superuser: revealing personal
    # numbers is a separate grant it does not hold (三权分立, AC-5).
    sysadmin, pw = _user("sysadmin.city", Role.ADMIN, seed, display_name="系统管理员 周强", is_staff=True)
    sysadmin.user_permissions.set(Permission.objects.exclude(codename="reveal_pii"))
    add(sysadmin, pw, "administrator: Django admin", True)

    point = ServicePoint.objects.update_or_create(
        name=SERVICE_POINTS[0][0], defaults={"kind": SERVICE_POINTS[0][1], "adcode": SERVICE_POINTS[0][2]}
    )[0]
    for name, kind, adcode in SERVICE_POINTS[1:]:
        ServicePoint.objects.update_or_create(name=name, defaults={"kind": kind, "adcode": adcode})
    _services()
    verifier, pw = _user("verifier.bus", Role.VERIFIER, seed, display_name="公交核验员", service_point=point)
    add(verifier, pw, f"service point: {point.name}", False)

    rows = key_enterprises_in_city(snapshot.id)
    for number, row in enumerate(rows, start=1):
        enterprise, _ = Enterprise.objects.update_or_create(
            uscc=row["uscc"],
            defaults={
                "name": row["name"],
                "industry_code": row["industry_code"] or "",
                "industry_chain": row["industry_chain"] or "",
                "adcode": row["adcode"] or "",
                "key_enterprise": True,
                "feed_snapshot_id": snapshot.id,
            },
        )
        hr, pw = _user(
            f"hr.{number}", Role.ENTERPRISE, seed, display_name=f"{enterprise.name} 人事", enterprise=enterprise
        )
        add(hr, pw, f"enterprise HR: {enterprise.name}", False)

    for number, persona in enumerate(democity.personas(seed)):
        if not persona.phone:
            continue
        bound = number > 0  # the first persona is left unbound so a newcomer can try the binding
        _talent(persona, bound=bound, snapshot=snapshot)
        logins.append(
            DemoLogin(
                Role.TALENT,
                persona.phone,
                "SMS code (printed in this terminal)",
                "",
                f"{persona.name}: {persona.description}"
                + ("" if bound else f" — bind ID {persona.id_number} after signing in"),
            )
        )
    return logins


def _services() -> None:
    from magnet.apps.talentcode.models import Service

    points = {p.kind: p for p in ServicePoint.objects.all()}
    for key, name, kind, tiers, limit, at in SERVICES:
        service, _ = Service.objects.update_or_create(key=key, defaults={
            "name": name, "kind": kind, "tiers": list(tiers), "daily_limit": limit, "active": True})
        service.points.set([points[k] for k in at if k in points])


def _talent(persona, *, bound: bool, snapshot: Snapshot) -> User:
    index = phone_index(persona.phone)
    user = User.objects.filter(phone_index=index).first() or User(username=f"talent-demo-{index[:10]}")
    user.role = Role.TALENT
    user.display_name = persona.name
    user.phone_cipher = cipher().encrypt(persona.phone, context="phone")
    user.phone_index = index
    if bound:
        user.id_number_cipher = cipher().encrypt(persona.id_number, context="id_number")
        user.id_number_index = id_number_index(persona.id_number)
        user.identity_status = IdentityStatus.VERIFIED
        user.identity_checked_at = timezone.now()
        user.identity_snapshot_id = snapshot.id
    else:
        user.id_number_cipher, user.id_number_index = "", None
        user.identity_status = IdentityStatus.UNBOUND
    user.set_unusable_password()
    user.save()
    return user
