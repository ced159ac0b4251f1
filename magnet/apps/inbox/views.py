from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from magnet.apps.common.access import signed_in
from magnet.apps.inbox.models import Notification
from magnet.apps.inbox.services import mark_read


@signed_in
def inbox(request):
    notes = Notification.objects.filter(user=request.user)[:200]
    return render(request, "inbox/inbox.html", {"notes": notes})


@signed_in
@require_POST
def read_all(request):
    mark_read(request.user)
    return redirect("inbox:inbox")
