"""Reads behind the intake form: finding the complainant, spotting a complaint logged twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from ..models import Complainant, Complaint


def complainant_search(*, firm_id: int, q: str, limit: int = 10) -> list[Complainant]:
    q = q.strip()
    if len(q) < 2:
        return []
    return list(
        Complainant.objects.filter(firm_id=firm_id, anonymised_at__isnull=True)
        .filter(Q(name__icontains=q) | Q(email__iexact=q) | Q(client_reference__iexact=q))
        .order_by("name", "id")[:limit]
    )


def likely_duplicates(**criteria: Any) -> list[Complaint]:
    """The complaints ``likely_duplicates_query`` finds (same criteria), newest first, at most
    10, with their complainants."""
    found = likely_duplicates_query(**criteria)
    return [] if found is None else list(found.select_related("complainant")[:10])


def likely_duplicates_query(
    *,
    firm_id: int,
    now: datetime,
    complainant_id: int | None = None,
    name: str = "",
    email: str = "",
    client_reference: str = "",
    description: str = "",
    window: timedelta | None = None,
) -> QuerySet[Complaint] | None:
    """Complaints in the firm from the same complainant (by record, name, e-mail or client
    reference) received within ``window`` of ``now`` (default ``settings.DUPLICATE_WINDOW_DAYS``
    days), newest first; with ``description``, only those with the same description (any case,
    surrounding spaces aside). None when nothing identifies the complainant. A query, so a
    caller may read only a column or two (the create)."""
    match = Q()
    if complainant_id:
        match |= Q(complainant_id=complainant_id)
    if name.strip():
        match |= Q(complainant__name__iexact=name.strip())
    if email.strip():
        match |= Q(complainant__email__iexact=email.strip())
    if client_reference.strip():
        match |= Q(complainant__client_reference__iexact=client_reference.strip())
    if not match:
        return None
    if window is None:
        window = timedelta(days=getattr(settings, "DUPLICATE_WINDOW_DAYS", 30))
    found = Complaint.objects.filter(
        firm_id=firm_id, received_at__gte=now - window, received_at__lte=now + window
    )
    if description.strip():
        found = found.filter(description__iexact=description.strip())
    return found.filter(match).order_by("-received_at", "-id")
