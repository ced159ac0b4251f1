"""Console pages of the policy books: the index, a policy, drafting a version (checked as it is typed),
and deciding on it (another staff member approves with an effective date, or sends it back)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from magnet.apps.common.access import roles
from magnet.apps.common.errors import DomainError
from magnet.apps.radar import selectors, services
from magnet.apps.radar.forms import ApproveForm, DraftForm, RejectForm, WhatifForm
from magnet.apps.radar.models import PolicyVersion


def _policy_or_404(book: str, policy: str):
    try:
        loaded = selectors.published_book(book)
        return loaded, loaded.policy(policy)
    except KeyError:
        raise Http404 from None


@roles("staff")
def index(request):
    """The books with each policy's version in force, drafts waiting and case results; recent runs."""
    books = [selectors.book_overview(name) for name in selectors.book_names()]
    waiting = PolicyVersion.objects.filter(status=PolicyVersion.Status.DRAFT, submitted_at__isnull=False)
    return render(request, "radar/index.html", {
        "books": books, "runs": selectors.run_list()[:8],
        "waiting": waiting.select_related("created_by").order_by("submitted_at"),
    })  # fmt: skip


@roles("staff")
def policy_detail(request, book: str, policy: str):
    loaded, the_policy = _policy_or_404(book, policy)
    cases = [c for c in selectors.case_results(loaded) if c.policy == policy]
    return render(request, "radar/policy.html", {
        "book": loaded, "policy": the_policy, "cases": cases,
        "versions": selectors.policy_versions(book, policy),
    })  # fmt: skip


@roles("staff")
def draft_new(request, book: str, policy: str):
    """A new draft, starting from the published text."""
    loaded, the_policy = _policy_or_404(book, policy)
    form = DraftForm(request.POST or None, initial={"text": the_policy.text})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.policy_version_save(
                actor=request.user,
                book=book,
                policy=policy,
                request=request,
                text=form.cleaned_data["text"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("radar:version", pk=version.pk)
    check = _check(book, policy, form["text"].value() or "")
    return render(request, "radar/draft.html", {"book": loaded, "policy": the_policy, "form": form, "check": check})


@roles("staff")
def version_edit(request, pk: int):
    version = get_object_or_404(PolicyVersion, pk=pk)
    if version.status != PolicyVersion.Status.DRAFT or version.created_by_id != request.user.pk:
        messages.error(request, gettext("只有起草人可以修改自己的草稿。"))
        return redirect("radar:version", pk=pk)
    loaded, the_policy = _policy_or_404(version.book, version.policy)
    form = DraftForm(request.POST or None, initial={"text": version.text, "note": version.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_version_save(actor=request.user, book=version.book, policy=version.policy,
                                         version=version, request=request, text=form.cleaned_data["text"],
                                         note=form.cleaned_data["note"])  # fmt: skip
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("radar:version", pk=version.pk)
    check = _check(version.book, version.policy, form["text"].value() or "")
    return render(request, "radar/draft.html", {"book": loaded, "policy": the_policy, "form": form, "check": check,
                                                "version": version})  # fmt: skip


def _check(book: str, policy: str, text: str):
    try:
        return services.policy_version_check(book=book, policy=policy, text=text)
    except DomainError:
        return None


@roles("staff")
@require_POST
def draft_validate(request, book: str, policy: str):
    """htmx: the problems (line:column) and case results of the text being typed; nothing is saved."""
    _policy_or_404(book, policy)
    check = _check(book, policy, request.POST.get("text", ""))
    return render(request, "radar/_validation.html", {"check": check})


@roles("staff")
def version_detail(request, pk: int):
    version = get_object_or_404(PolicyVersion.objects.select_related("created_by", "decided_by"), pk=pk)
    is_author = version.created_by_id == request.user.pk
    try:
        names = selectors.published_book(version.book).policy(version.policy).names
    except KeyError:
        names = {}
    return render(request, "radar/version.html", {
        "version": version, "is_author": is_author, "names": names,
        "may_decide": version.status == PolicyVersion.Status.DRAFT and version.submitted and not is_author,
        "approve_form": ApproveForm(), "reject_form": RejectForm(), "whatif_form": WhatifForm(),
        "runs": selectors.run_list().filter(draft=version)[:10],
    })  # fmt: skip


def _decide(request, pk: int, action):
    version = get_object_or_404(PolicyVersion, pk=pk)
    try:
        action(version)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("radar:version", pk=pk)


@roles("staff")
@require_POST
def version_submit(request, pk: int):
    def submit(version):
        services.policy_version_submit(version=version, actor=request.user, request=request)
        messages.success(request, gettext("已提交审批，请另一名工作人员审批。"))

    return _decide(request, pk, submit)


@roles("staff")
@require_POST
def version_withdraw(request, pk: int):
    def withdraw(version):
        services.policy_version_withdraw(version=version, actor=request.user, request=request)
        messages.success(request, gettext("草稿已撤回。"))

    return _decide(request, pk, withdraw)


@roles("staff")
@require_POST
def version_approve(request, pk: int):
    form = ApproveForm(request.POST)

    def approve(version):
        if not form.is_valid():
            raise DomainError("bad_date", gettext("生效日期格式不正确。"))
        services.policy_version_approve(version=version, approver=request.user, request=request,
                                        effective_from=form.cleaned_data["effective_from"],
                                        reason=form.cleaned_data["reason"])  # fmt: skip
        messages.success(request, gettext("已批准，该版本自生效日期起用于筛查。"))

    return _decide(request, pk, approve)


@roles("staff")
@require_POST
def version_reject(request, pk: int):
    form = RejectForm(request.POST)

    def reject(version):
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.policy_version_reject(version=version, approver=request.user, reason=reason, request=request)
        messages.success(request, gettext("已退回起草人。"))

    return _decide(request, pk, reject)
