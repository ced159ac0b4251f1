"""Console pages: snapshots, the upload page and the person look-up (every look-up audit-logged)."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_lazy

from magnet.apps.audit.services import audit_record
from magnet.apps.common.access import roles
from magnet.apps.common.errors import DomainError
from magnet.apps.common.pii import id_number_index
from magnet.apps.feeds import selectors, services
from magnet.apps.feeds.models import FeedLoad
from magnet.core.feeds.checks import id_number_problem, mask_id_number, mask_phone


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for `multiple`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.parquet"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(one, initial) for one in files]


class UploadForm(forms.Form):
    files = MultipleFileField(label=gettext_lazy("数据文件（persons.csv / .parquet 等，可多选）"))


class LookupForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("公民身份号码"), max_length=18)
    reason = forms.CharField(label=gettext_lazy("查询理由"), max_length=200)
    reveal = forms.BooleanField(label=gettext_lazy("显示完整号码（需要权限，另行记录）"), required=False)


@roles("staff", "admin")
def snapshot_list(request):
    return render(request, "feeds/snapshots.html", {"snapshots": selectors.snapshot_list()[:100]})


@roles("staff", "admin")
def snapshot_detail(request, snapshot_id: str):
    snapshot = get_object_or_404(selectors.snapshot_list(), id=snapshot_id)
    return render(request, "feeds/snapshot_detail.html", {"snapshot": snapshot})


@roles("staff")
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "loads": FeedLoad.objects.filter(created_by=request.user).order_by("-id")[:10]}
    if request.method == "POST" and form.is_valid():
        try:
            named = {}
            for upload in form.cleaned_data["files"]:
                key = services.classify_upload_name(upload.name)
                if any(k[0] == key[0] for k in named):
                    message = gettext("同一数据接口上传了两个文件：%(feed)s") % {"feed": key[0]}
                    raise DomainError("upload_duplicate", message)
                named[key] = upload
            load = services.feed_load_enqueue(files=named, actor=request.user, request=request)
            return redirect("feeds:load", load_id=load.pk)
        except DomainError as error:
            context.update(error=error)
    return render(request, "feeds/upload.html", context, status=400 if "error" in context else 200)


@roles("staff")
def load_detail(request, load_id: int):
    """An upload's progress; the status fragment polls itself (htmx) until the load is done."""
    load = get_object_or_404(FeedLoad.objects.select_related("snapshot"), pk=load_id, created_by=request.user)
    template = "feeds/_load_status.html" if request.headers.get("HX-Request") else "feeds/load.html"
    return render(request, template, {"load": load})


def _in_scope(user, record: dict) -> bool:
    adcodes = {record["person"].get("hukou_adcode") or ""} | {
        row.get("adcode") or "" for row in record["social_insurance"]
    }
    return any(user.covers_adcode(code) for code in adcodes if code)


@roles("staff")
def person_lookup(request):
    """Look a person up in the latest snapshot, within the staff member's districts; audit-logged."""
    form = LookupForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        id_number = form.cleaned_data["id_number"].strip().upper()
        problem = id_number_problem(id_number)
        latest = selectors.snapshot_latest()
        if problem:
            form.add_error("id_number", gettext("公民身份号码无效：%(p)s") % {"p": problem})
        elif latest is None:
            form.add_error(None, gettext("尚未加载数据快照。"))
        else:
            context.update(_lookup(request, form, id_number, latest))
            # A fresh form: the number typed is not echoed back into the page.
            context["form"] = LookupForm(initial={"reason": form.cleaned_data["reason"]})
    return render(request, "feeds/person_lookup.html", context)


def _lookup(request, form, id_number: str, latest) -> dict:
    reason = form.cleaned_data["reason"]
    subject = id_number_index(id_number)
    record = selectors.person_record(latest.id, id_number)
    if record is None or not _in_scope(request.user, record):
        # The same answer for "not in the data" and "outside your districts": no probing of other scopes.
        audit_record(request=request, action="person.search", subject_index=subject, reason=reason,
                     result="not_found", detail={"snapshot": latest.id})
        return {"not_found": True}
    reveal = form.cleaned_data["reveal"]
    if reveal and not request.user.has_perm("accounts.reveal_pii"):
        audit_record(request=request, action="pii.reveal", subject_index=subject, reason=reason, result="denied")
        return {"reveal_denied": True}
    audit_record(request=request, action="pii.reveal" if reveal else "person.view", object_type="person",
                 subject_index=subject, reason=reason, detail={"snapshot": latest.id})
    person = dict(record["person"])
    person["id_display"] = id_number if reveal else mask_id_number(id_number)
    person["phone_display"] = (person.get("phone") or "") if reveal else mask_phone(person.get("phone") or "")
    person.pop("phone", None)
    person.pop("id_number", None)
    record["person"] = person
    return {"record": record, "snapshot": latest, "revealed": reveal}
