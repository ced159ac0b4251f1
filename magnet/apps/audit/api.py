from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from magnet.apps.audit.services import audit_search
from magnet.apps.common.api_auth import allow

router = Router(tags=["audit"], auth=allow("auditor"))


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    actor_username: str
    actor_role: str
    action: str
    object_type: str
    object_id: str
    result: str
    reason: str
    request_id: str


@router.get("/entries", response=list[AuditEntryOut])
def search_entries(request, actor: str = "", action: str = "", limit: int = 100):
    """Audit entries, newest first (read-only: no operation changes the log)."""
    return list(audit_search(actor=actor[:150], action=action[:64])[: max(1, min(limit, 1000))])
