"""The talent's "My grants" page (我的补贴) and the public publicity lists (公示), mounted at /grants/.

The talent sees only their own grants (by the blind index of their verified identity number): status in
words, history, the payee account, confirmation, appeals (PIPL art. 24) and payments. The publicity lists
are open to anyone, with masked names and identity numbers; anyone may object to a line, a few times a
minute per address. Every change goes through `services` (which audit it).
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from magnet.apps.audit.services import client_ip
from magnet.apps.common.access import public, roles
from magnet.apps.common.errors import DomainError
from magnet.apps.grants import selectors, services
from magnet.apps.grants.forms import BANK_NAMES, AppealForm, ObjectionForm, PayeeAccountForm
from magnet.apps.grants.models import Grant

# Objections per client address and window: enough for a person, too few for a flood.
OBJECTIONS_PER_WINDOW = 5
WINDOW_SECONDS = 60


def _identity_state(user) -> str:
    if not user.id_number_cipher or not user.id_number_index:
        return "unbound"
    if not user.is_identity_verified:
        return "unverified"  # the number is not confirmed theirs: showing its grants would disclose them
    return "ok"


def _mine(request, *, account_form=None, appeal_form=None, status=200):
    user = request.user
    state = _identity_state(user)
    context = {"state": state, "bank_names": BANK_NAMES}
    if state == "ok":
        mine = selectors.person_grants(user.id_number_index)
        context.update(
            mine=mine,
            account_form=account_form or PayeeAccountForm(initial=_account_initial(mine.account)),
            appeal_form=appeal_form or AppealForm(policies=selectors.policy_choices()),
        )
    return render(request, "grants/mine.html", context, status=status)


def _account_initial(account) -> dict:
    return {"account_name": account.account_name, "bank_code": account.bank_code} if account else {}


@roles("talent")
@require_GET
def mine(request):
    return _mine(request)


@roles("talent")
@require_POST
def account(request):
    """The payee account: in the talent's own name (checked against the persons feed), refusals at the fields."""
    form = PayeeAccountForm(request.POST)
    if form.is_valid():
        try:
            services.payee_account_set(request.user, request=request, **form.cleaned_data)
        except DomainError as error:
            for name, problem in error.extra.get("fields", {}).items():
                form.add_error(name if name in form.fields else None, problem)
            if not error.extra.get("fields"):
                form.add_error(None, error.message)
        else:
            messages.success(request, gettext("收款账户已保存。"))
            return redirect("grants:mine")
    return _mine(request, account_form=form, status=400)


def _own_grant(request, pk: int) -> Grant:
    if _identity_state(request.user) != "ok":
        raise Http404
    grant = selectors.person_grant(request.user.id_number_index, pk)
    if grant is None:
        raise Http404
    return grant


@roles("talent")
@require_POST
def confirm(request, pk: int):
    """Confirm a notified grant: the conditions are checked again now; a refusal names those that fail."""
    grant = _own_grant(request, pk)
    try:
        services.confirm(grant, request.user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("已确认。公示期满无异议后将发放到您的收款账户。"))
    return redirect(reverse("grants:mine") + f"#g{grant.pk}")


@roles("talent")
@require_POST
def appeal(request):
    """Ask for a human review of a refused grant, or of a result of "My policies" (policy and month)."""
    form = AppealForm(request.POST, policies=selectors.policy_choices())
    if _identity_state(request.user) != "ok":
        raise Http404
    if form.is_valid():
        data = form.cleaned_data
        grant = None
        if data["grant"]:
            grant = selectors.person_grant(request.user.id_number_index, data["grant"])
            if grant is None:
                raise Http404
        try:
            services.appeal_file(
                request.user,
                policy=grant.policy if grant else data["policy"],
                period=grant.period if grant else data["period"],
                text=data["text"],
                grant=grant,
                request=request,
            )
        except DomainError as error:
            for name, problem in error.extra.get("fields", {}).items():
                form.add_error(name if name in form.fields else None, error.message if problem == "太短" else problem)
            if not error.extra.get("fields"):
                form.add_error(None, error.message)
        else:
            messages.success(request, gettext("申诉已提交，工作人员将人工复核并告知结果。"))
            return redirect("grants:mine")
    if form.data.get("grant"):
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("grants:mine")
    return _mine(request, appeal_form=form, status=400)


# ------------------------------------------------------------------------------------------ public


def over_limit(request, bucket: str, limit: int, seconds: int = WINDOW_SECONDS) -> bool:
    """Count this request in a fixed window per client address; True once the address is over `limit`."""
    window = int(time.time() // seconds)
    key = f"grants:rate:{bucket}:{client_ip(request) or '-'}:{window}"
    if cache.add(key, 1, timeout=seconds + 1):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return not cache.add(key, 1, timeout=seconds + 1)


def _publicity(request, *, form=None, form_for=None, limited=False, status=200):
    context = selectors.publicity_page(request.GET.get("page"))
    context.update(form=form, form_for=form_for, limited=limited)
    response = render(request, "grants/publicity.html", context, status=status)
    if limited:
        response["Retry-After"] = str(WINDOW_SECONDS)
    return response


@public
@require_GET
def publicity(request):
    """The publicity lists now open, by policy and period; masked as public notices must be."""
    return _publicity(request)


@public
@require_POST
def objection(request, pk: int):
    """Anyone may object to a line of a publicity list; staff then look into it and decide with a reason."""
    if over_limit(request, "objection", OBJECTIONS_PER_WINDOW):  # before the look-up: no free probing either
        return _publicity(request, limited=True, status=429)
    grant = selectors.publicity_open().filter(pk=pk).first()
    if grant is None:
        raise Http404
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_raise(grant, text=form.cleaned_data["text"], contact=form.cleaned_data["contact"],
                                     request=request)  # fmt: skip
        except DomainError as error:
            for name in error.extra.get("fields", {}):
                form.add_error(name if name in form.fields else None, error.message)
            if not error.extra.get("fields"):
                form.add_error(None, error.message)
        else:
            messages.success(request, gettext("异议已收到，工作人员将核实处理。感谢您的监督。"))
            return redirect("grants:publicity")
    return _publicity(request, form=form, form_for=grant.pk, status=400)
