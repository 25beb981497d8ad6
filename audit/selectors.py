"""One user's activity: everything a colleague changed, within the viewer's firms, newest first,
a page at a time.

A complaint's audit trail is the complaint's timeline (``complaints.selectors.timeline``), read
whole; this read goes through the same history tables and entries, by user instead of by
complaint, and adds the firm-level records (settings, memberships, templates, returns).

A page costs the same whatever the user did: one query counts the rows and one picks the page's
keys (a UNION over the history tables, ordered by date), then each kind of record on the page is
read by its keys (``fetch``), with the users, related records and complaint references named in
one query each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, Value

from complaints.models import Complaint
from complaints.selectors.entries import TimelineEntry, sort_key
from complaints.selectors.history import HistorySource, history_sources
from complaints.selectors.timeline import build_entries, fetch, period_q, truncate_at

PAGE_SIZE = 50


@dataclass
class ActivityPage:
    entries: list[TimelineEntry]
    page: Page[Any]


def _activity_sources() -> list[HistorySource]:
    return [s for s in history_sources() if s.firm_q is not None]


def user_activity(
    user_id: int,
    *,
    firm_ids: list[int],
    date_from: date | None = None,
    date_to: date | None = None,
    page: int | str = 1,
    per_page: int = PAGE_SIZE,
    detail_firm_ids: list[int] | None = None,
) -> ActivityPage:
    """Page ``page`` of what ``user_id`` did in the period within ``firm_ids``, newest first.

    Vulnerability detail only for ``detail_firm_ids`` (``build_entries``)."""
    sources = _activity_sources()
    base = Q(history_user_id=user_id) & period_q(date_from, date_to)
    parts = []
    for i, source in enumerate(sources):
        assert source.firm_q is not None  # _activity_sources keeps only these
        parts.append(
            source.rows()
            .filter(source.firm_q(firm_ids))
            .filter(base)
            .annotate(audit_source=Value(i))
            .values_list("history_date", "audit_source", "history_id")
            .order_by()
        )
    # One flat UNION ALL (nested unions overflow SQLite's parser, the demo's database).
    keys = parts[0].union(*parts[1:], all=True)
    ordered = keys.order_by("-history_date", "-audit_source", "-history_id")
    current = Paginator(ordered, per_page).get_page(page)

    wanted: dict[int, list[Any]] = {}
    for _at, index, history_id in current.object_list:
        wanted.setdefault(index, []).append(history_id)
    fetched = []
    for index, ids in wanted.items():
        source = sources[index]
        qs = source.rows().filter(history_id__in=ids)
        if source.complaint_id_expr is not None:
            qs = qs.annotate(audit_complaint_id=source.complaint_id_expr)
        fetched.append(fetch(source, qs))
    built = build_entries(fetched, limit_chars=truncate_at(), detail_firm_ids=detail_firm_ids or ())
    entries = sorted(built, key=sort_key, reverse=True)
    complaint_ids = {e.complaint_id for e in entries if e.complaint_id}
    refs = (
        dict(Complaint.objects.filter(pk__in=complaint_ids).values_list("pk", "reference"))
        if complaint_ids
        else {}
    )
    for e in entries:
        e.complaint_reference = refs.get(e.complaint_id, "") if e.complaint_id else ""
    return ActivityPage(entries, current)
