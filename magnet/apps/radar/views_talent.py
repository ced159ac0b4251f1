"""The talent's "My policies" page (我的政策) and the public policy calculator (政策计算器).

"My policies": what the radar finds for a signed-in talent, month by month, and why.

A verified talent sees, for a month of the last twelve, every policy of the published demo book on the
latest stored snapshot: the entitlements (amount, period, 免申即享 or 需确认) and, for the others, the
conditions that fail with the values they read. It is `explain` for one person: the same query as the
batch screening, restricted to them. Viewing one's own data is not an audited staff view.

The calculator (`calculator.py` computes) is open to anyone, so each address may submit it only a few
times a minute; its school and major pickers are the reference catalogue's, opened to the public here.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from magnet.apps.audit.services import client_ip
from magnet.apps.common.access import public, roles
from magnet.apps.feeds.selectors import snapshot_latest
from magnet.apps.radar import calculator
from magnet.apps.radar.calculator import CalculatorForm, calculate_cached
from magnet.apps.radar.reasons import PolicyWords, policy_words, words
from magnet.apps.radar.selectors import published_book
from magnet.core.feeds import open_snapshot
from magnet.core.radar import Month, connect, explain, missing_feeds, sent_feeds

log = logging.getLogger(__name__)

BOOK = "demo"
MONTHS_SHOWN = 12


def today() -> dt.date:
    return dt.date.today()


def recent_months(day: dt.date, count: int = MONTHS_SHOWN) -> list[Month]:
    """This month and the ones before it, newest first.

    >>> [str(m) for m in recent_months(dt.date(2025, 2, 10), 3)]
    ['2025-02', '2025-01', '2024-12']
    """
    now = Month(day.year, day.month)
    return [Month.from_index(now.index - i) for i in range(count)]


@dataclass
class PersonPolicies:
    month: Month
    snapshot_id: str
    book_title: str
    book_version: str
    found: bool
    entitled: list[PolicyWords] = field(default_factory=list)
    not_entitled: list[PolicyWords] = field(default_factory=list)
    no_data: list[PolicyWords] = field(default_factory=list)  # the snapshot lacks a feed the policy needs


def person_policies(*, snapshot_id: str, id_number: str, month: Month) -> PersonPolicies:
    """Every policy of the published book for one person and month, on a stored snapshot."""
    snapshot = open_snapshot(settings.MAGNET_DATA_DIR, snapshot_id)
    book = published_book(BOOK, month)
    lacking = missing_feeds(book, month, sent_feeds(snapshot))
    con = connect(snapshot)
    try:
        explained = explain(con, book, month, id_number)
    finally:
        con.close()
    result = PersonPolicies(month, snapshot_id, words(book.title), book.version, explained.found)
    for p in explained.policies:
        shown = policy_words(p, month, missing_feeds=lacking.get(p.policy, []))
        if p.eligible:
            result.entitled.append(shown)
        elif p.policy in lacking:
            result.no_data.append(shown)
        else:
            result.not_entitled.append(shown)
    return result


@roles("talent")
def mine(request):
    user = request.user
    months = recent_months(today())
    chosen = request.GET.get("month", "")
    month = next((m for m in months if str(m) == chosen), months[0])
    context = {"months": months, "month": month, "state": "ok", "result": None}
    if not user.id_number_cipher:
        context["state"] = "unbound"
    elif not user.is_identity_verified:
        # The number is not confirmed to be theirs: showing that person's data would disclose it.
        context["state"] = "unverified"
    elif (snapshot := snapshot_latest()) is None:
        context["state"] = "no_snapshot"
    else:
        try:
            result = person_policies(snapshot_id=snapshot.id, id_number=user.id_number_plain(), month=month)
        except FileNotFoundError:  # the row outlived its files (a data directory restored without them)
            log.error("snapshot %s is recorded but its files are missing", snapshot.id)
            context["state"] = "no_snapshot"
        else:
            context["result"] = result
            context["state"] = "ok" if result.found else "not_found"
    return render(request, "radar/talent/mine.html", context)


# ------------------------------------------------------------------------------------- calculator

# Submissions per client address and window; each screens 36 months (seconds of CPU), so a flood is refused.
CALCULATIONS_PER_WINDOW = 10
PICKS_PER_WINDOW = 120
WINDOW_SECONDS = 60


def over_limit(request, bucket: str, limit: int, seconds: int = WINDOW_SECONDS) -> bool:
    """Count this request in a fixed window per client address; True once the address is over `limit`."""
    window = int(time.time() // seconds)
    key = f"radar:rate:{bucket}:{client_ip(request) or '-'}:{window}"
    if cache.add(key, 1, timeout=seconds + 1):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return not cache.add(key, 1, timeout=seconds + 1)


@public
@require_http_methods(["GET", "POST"])
def calculator_page(request):
    form = CalculatorForm(request.POST or None, today=today())
    projection = None
    if request.method == "POST":
        if over_limit(request, "calculator", CALCULATIONS_PER_WINDOW):
            response = render(
                request,
                "radar/calculator/page.html",
                {"form": form, "limited": True, "projection": None, "months": calculator.MONTHS},
                status=429,
            )
            response["Retry-After"] = str(WINDOW_SECONDS)
            return response
        if form.is_valid() and form.situation is not None:
            projection = calculate_cached(
                form.situation, form.start, book_for=lambda month: published_book(BOOK, month)
            )
    return render(
        request,
        "radar/calculator/page.html",
        {"form": form, "projection": projection, "limited": False, "months": calculator.MONTHS},
    )


PICK_FIELDS = {"university": "school", "major": "major"}  # picker kind -> the form's hidden field


@public
@require_GET
def calculator_pick(request, kind: str):
    """The school and major pickers of the calculator: options for the typed text (`q`), or the chosen `code`."""
    from magnet.apps.reference.views import PICKERS  # noqa: PLC0415

    if kind not in PICK_FIELDS:
        return render(request, "radar/calculator/_options.html", {"options": []}, status=404)
    if over_limit(request, "pick", PICKS_PER_WINDOW):
        return render(request, "radar/calculator/_options.html", {"options": []}, status=429)
    search, shape = PICKERS[kind]
    field = PICK_FIELDS[kind]
    if "code" in request.GET:
        code = request.GET["code"][:10]
        chosen = next((shape(row) for row in search(code) if shape(row)[0] == code), None) if code else None
        context = {"chosen": chosen, "code": code, "kind": kind, "field": field}
        return render(request, "radar/calculator/_picked.html", context)
    options = [shape(row) for row in search(request.GET.get("q", "")[:50])]
    return render(request, "radar/calculator/_options.html", {"options": options, "kind": kind, "field": field})
