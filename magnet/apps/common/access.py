"""Access rules, declared on every view: deny by default.

A view is reachable only when it says who may reach it: `@public` for the short allowlist of pages
anyone may open, or `@roles(...)` for the roles allowed. `AccessPolicyMiddleware` refuses every view
that declares neither, so a forgotten rule fails closed. Staff roles must also have passed their second
factor (TOTP) in this session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)

# Roles whose every page needs a verified second factor (等保 two authentication techniques).
SECOND_FACTOR_ROLES = frozenset({"staff", "auditor", "admin"})
ALL_ROLES = frozenset({"talent", "enterprise", "staff", "verifier", "auditor", "admin"})


def public(view: F) -> F:
    """Anyone may open this view, signed in or not."""
    view.magnet_public = True  # type: ignore[attr-defined]
    return view


def roles(*allowed: str) -> Callable[[F], F]:
    """Only signed-in users with one of these roles may open this view."""
    unknown = set(allowed) - ALL_ROLES
    if unknown or not allowed:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def decorate(view: F) -> F:
        view.magnet_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return view

    return decorate


def signed_in(view: F) -> F:
    """Any signed-in user may open this view (their role decides what it shows)."""
    view.magnet_roles = ALL_ROLES  # type: ignore[attr-defined]
    return view


def before_second_factor(view: F) -> F:
    """Signed-in users may open this view before passing their second factor (the TOTP step, sign-out)."""
    view.magnet_roles = ALL_ROLES  # type: ignore[attr-defined]
    view.magnet_before_second_factor = True  # type: ignore[attr-defined]
    return view


def user_may(user, allowed: frozenset[str]) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role not in allowed:
        return False
    return not (user.role in SECOND_FACTOR_ROLES and not user.is_verified())
