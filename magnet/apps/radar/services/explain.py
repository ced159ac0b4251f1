"""One person's explanation: each policy's conditions, pass or fail, with the facts' values (audit-logged)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from magnet.apps.audit.services import audit_record
from magnet.apps.common.errors import DomainError
from magnet.apps.common.pii import id_number_index
from magnet.apps.radar import selectors
from magnet.core.feeds.checks import id_number_problem, mask_id_number
from magnet.core.radar import BookInvalid, ScreeningRefused, connect, explain, parse_month
from magnet.core.radar.engine import use_person


def radar_explain(
    *,
    request=None,
    actor=None,
    snapshot_id: str,
    month: str,
    id_number: str,
    book: str = "demo",
    files: dict[str, str] | None = None,
    run_id: str = "",
    reason: str = "",
) -> dict | None:
    """The explanation for a person and month on a snapshot, by the book published for the month (or the
    exact `files` a run used). None when the person is not in the snapshot or outside the staff member's
    districts (the same answer for both, so other districts cannot be probed). Every call is audited."""
    user = actor or getattr(request, "user", None)
    id_number = id_number.strip().upper()
    problem = id_number_problem(id_number)
    if problem:
        raise DomainError("bad_id_number", _("公民身份号码无效：%(p)s") % {"p": problem}, {"field": "id_number"})
    try:
        the_month = parse_month(month)
    except ScreeningRefused:
        raise DomainError("bad_month", _("月份应为 YYYY-MM 格式，例如 2024-06。"), {"field": "month"}) from None
    try:
        files = files or selectors.published_files(book, the_month)
        loaded = selectors.book_from_files(files)
    except KeyError:
        raise DomainError("unknown_book", _("没有名为 %(book)s 的政策手册。") % {"book": book}) from None
    except BookInvalid:
        raise DomainError("book_invalid", _("政策手册未通过校验。")) from None
    try:
        snapshot = selectors.snapshot_opened(snapshot_id)
    except (FileNotFoundError, ValueError):
        raise DomainError("snapshot_missing", _("数据快照不存在。"), {"field": "snapshot"}, status=404) from None
    masked = mask_id_number(id_number)
    detail = {"id_number": masked, "month": str(the_month), "snapshot": snapshot_id, "book": loaded.name,
              "book_version": loaded.version, **({"run": run_id} if run_id else {})}  # fmt: skip
    con = connect(threads=2)
    try:
        # The snapshot's per-person index (built after a screening) when there is one: one bucket, not every row.
        use_person(con, snapshot, selectors.person_index_dir(snapshot_id), id_number)
        adcodes = selectors.person_adcodes(con, id_number)
        in_scope = bool(adcodes) and any(user.covers_adcode(code) for code in adcodes)
        if not in_scope:
            audit_record(request=request, actor=actor, action="radar.explain", object_type="person",
                         subject_index=id_number_index(id_number), result="not_found", reason=reason,
                         detail=detail)  # fmt: skip
            return None
        explanation = explain(con, loaded, the_month, id_number).as_dict()
    finally:
        con.close()
    audit_record(request=request, actor=actor, action="radar.explain", object_type="person",
                 subject_index=id_number_index(id_number), reason=reason, detail=detail)  # fmt: skip
    explanation["id_number"] = masked
    explanation["snapshot"] = snapshot_id
    explanation["book_title"] = loaded.title
    return explanation
