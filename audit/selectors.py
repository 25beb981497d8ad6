"""One user's activity: everything a colleague changed in a period, within the viewer's firms.

A complaint's audit trail is the complaint's timeline (``complaints.selectors.timeline``), read
whole; this read goes through the same history tables and entries, by user instead of by
complaint, and adds the firm-level records (settings, memberships, templates).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Q

from complaints.models import Complaint
from complaints.selectors.history import history_sources
from complaints.selectors.timeline import (
    TimelineEntry,
    build_entries,
    fetch,
    period_q,
    sort_key,
    truncate_at,
)


def user_activity(
    user_id: int,
    *,
    firm_ids: list[int],
    date_from: date | None,
    date_to: date | None,
    limit: int | None = None,
    limit_chars: int | None = None,
    detail_firm_ids: list[int] | None = None,
) -> tuple[list[TimelineEntry], bool]:
    """Everything ``user_id`` did in the period within ``firm_ids``, oldest first.

    Returns the entries and whether the list was cut at ``limit``.
    """
    cap = limit or int(getattr(settings, "AUDIT_USER_ACTIVITY_LIMIT", 1000))
    fetched = []
    base = Q(history_user_id=user_id) & period_q(date_from, date_to)
    for source in history_sources():
        if source.firm_q is None:
            continue
        qs = source.rows().filter(source.firm_q(firm_ids)).filter(base)
        if source.complaint_id_expr is not None:
            qs = qs.annotate(audit_complaint_id=source.complaint_id_expr)
        fetched.append(fetch(source, qs, cap + 1))
    built = build_entries(
        fetched, limit_chars=limit_chars or truncate_at(), detail_firm_ids=detail_firm_ids or ()
    )
    entries = sorted(built, key=sort_key)
    truncated = len(entries) > cap
    entries = entries[:cap]
    ids = {e.complaint_id for e in entries if e.complaint_id}
    refs = dict(Complaint.objects.filter(pk__in=ids).values_list("pk", "reference")) if ids else {}
    for e in entries:
        e.complaint_reference = refs.get(e.complaint_id, "") if e.complaint_id else ""
    return entries, truncated
