"""The talent's own talent code (我的人才码): the QR code, refreshed every minute, with the tier and services.

The QR block is an htmx fragment polled every 60 seconds; each fetch signs a new code that lives
`MAGNET_TALENT_CODE_TTL` seconds, so a screenshot is soon refused. A talent without a tier is told each
tier rule with the values it read, and gets no code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import segno
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from magnet.apps.common.access import roles
from magnet.apps.common.errors import DomainError
from magnet.apps.radar.reasons import label, show_value, words
from magnet.apps.talentcode.talent import IssuedCode, State, TalentTier, talent_code_issue, talent_tier
from magnet.core.radar import parse_month

REFRESH_SECONDS = 60


@dataclass
class TierRule:
    tier: str
    text: str
    passed: bool
    values: list[str] = field(default_factory=list)


def tier_rules_words(tier: TalentTier) -> list[TierRule]:
    """Each tier rule in the page's language, with the facts it read ("最高学历：本科")."""
    if not tier.rules:
        return []
    month = parse_month(tier.month)
    known = {v["key"]: v["value"] for r in tier.rules for v in r["values"]}
    return [
        TierRule(r["tier"], words(r), r["passed"],
                 [_("%(label)s：%(value)s") % {"label": label(v, month, known), "value": show_value(v["value"])}
                  for v in r["values"]])
        for r in tier.rules
    ]  # fmt: skip


def qr_svg(text: str) -> str:
    """The code as inline SVG markup (medium error correction; sized by CSS)."""
    qr = segno.make(text, error="m", micro=False)
    return qr.svg_inline(scale=1, border=4, light="#fff", omitsize=True, svgclass="qr",
                         title=_("人才码"))  # fmt: skip


def _code_context(request, tier: TalentTier) -> dict:
    issued: IssuedCode | None = None
    refused = ""
    if tier.state == State.OK:
        try:
            issued = talent_code_issue(request.user, tier=tier)
        except DomainError as error:
            refused = error.message
    return {
        "tier": tier,
        "issued": issued,
        "refused": refused,
        # segno escapes the text it draws; the code is base45 and our own title, nothing user-supplied.
        "qr": mark_safe(qr_svg(issued.code_text)) if issued else "",  # noqa: S308
        "refresh": REFRESH_SECONDS,
    }


@roles("talent")
@require_GET
def mine(request):
    tier = talent_tier(request.user)
    context = _code_context(request, tier)
    rule = tier.rule
    context.update({"tier_words": words(rule) if rule else "", "rules": tier_rules_words(tier)})
    return render(request, "talentcode/mine.html", context)


@roles("talent")
@require_GET
def mine_code(request):
    """The QR block alone, for the page's minute refresh."""
    return render(request, "talentcode/_mine_code.html", _code_context(request, talent_tier(request.user)))
