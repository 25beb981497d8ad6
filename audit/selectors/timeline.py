"""The two audit reads: a complaint's timeline and one user's activity, both oldest first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery

from common.dates import LONDON
from complaints.models import Complaint

from .entries import AuditEntry, Fetched, build_entries, sort_key, truncate_at
from .sources import HistoryModel, HistorySource, complaint_sources, history_sources

# The actor filter's value for changes made with no signed-in user.
SYSTEM = "system"


def _with_prev(qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """Annotate each history row with its object's previous version (same object, earlier)."""
    history_model: HistoryModel = qs.model
    earlier: models.QuerySet[Any] = history_model.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    annotated: models.QuerySet[Any] = qs.annotate(
        prev_history_id=Subquery(
            earlier.order_by("-history_date", "-history_id").values("history_id")[:1]
        )
    )
    return annotated


def _period_q(date_from: date | None, date_to: date | None) -> Q:
    """Europe/London calendar days, inclusive."""
    q = Q()
    if date_from:
        q &= Q(history_date__gte=datetime.combine(date_from, time.min, tzinfo=LONDON))
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=LONDON)
        q &= Q(history_date__lt=end)
    return q


def _actor_q(actor: int | str | None) -> Q:
    if actor is None or actor == "":
        return Q()
    if actor == SYSTEM:
        return Q(history_user__isnull=True)
    return Q(history_user_id=int(actor))


def _fetch(source: HistorySource, qs: models.QuerySet[Any], limit: int | None = None) -> Fetched:
    qs = _with_prev(qs.select_related("history_user")).order_by("history_date", "history_id")
    rows = list(qs[:limit] if limit else qs)
    prev_ids = {r.prev_history_id for r in rows if r.prev_history_id is not None}
    prevs = source.history_model.objects.in_bulk(prev_ids) if prev_ids else {}
    return source, rows, prevs


def complaint_timeline(
    complaint: Complaint,
    *,
    actor: int | str | None = None,
    kinds: Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit_chars: int | None = None,
) -> list[AuditEntry]:
    """Every change to the complaint and everything attached to it, oldest first."""
    wanted = set(kinds or [])
    fetched = []
    extra = _actor_q(actor) & _period_q(date_from, date_to)
    for source in complaint_sources():
        if (wanted and source.key not in wanted) or source.complaint_q is None:
            continue
        qs = source.rows().filter(source.complaint_q(complaint.pk)).filter(extra)
        fetched.append(_fetch(source, qs))
    entries = build_entries(fetched, limit_chars=limit_chars or truncate_at())
    for e in entries:
        e.complaint_id = complaint.pk
        e.complaint_reference = complaint.reference
    return sorted(entries, key=sort_key)


def user_activity(
    user_id: int,
    *,
    firm_ids: list[int],
    date_from: date | None,
    date_to: date | None,
    limit: int | None = None,
    limit_chars: int | None = None,
) -> tuple[list[AuditEntry], bool]:
    """Everything ``user_id`` did in the period within ``firm_ids``, oldest first.

    Returns the entries and whether the list was cut at ``limit``.
    """
    cap = limit or int(getattr(settings, "AUDIT_USER_ACTIVITY_LIMIT", 1000))
    fetched = []
    base = Q(history_user_id=user_id) & _period_q(date_from, date_to)
    for source in history_sources():
        if source.firm_q is None:
            continue
        qs = source.rows().filter(source.firm_q(firm_ids)).filter(base)
        if source.complaint_id_expr is not None:
            qs = qs.annotate(audit_complaint_id=source.complaint_id_expr)
        fetched.append(_fetch(source, qs, cap + 1))
    entries = sorted(build_entries(fetched, limit_chars=limit_chars or truncate_at()), key=sort_key)
    truncated = len(entries) > cap
    entries = entries[:cap]
    ids = {e.complaint_id for e in entries if e.complaint_id}
    refs = dict(Complaint.objects.filter(pk__in=ids).values_list("pk", "reference")) if ids else {}
    for e in entries:
        e.complaint_reference = refs.get(e.complaint_id, "") if e.complaint_id else ""
    return entries, truncated
