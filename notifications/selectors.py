"""Reads: a user's notifications, scoped to the firms they still belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from complaints import access

from .models import Notification

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user, firm_id__in=access.firm_ids(user))
    if unread_only:
        qs = qs.unread()
    # The complainant's contact preferences are shown with each deadline (reasonable
    # adjustments), on the page only: notices are e-mailed and carry no complainant data.
    return qs.select_related("firm", "complaint__complainant", "notice")


def unread_count(user: User) -> int:
    return notifications_for(user, unread_only=True).count()


def unread_context(request: HttpRequest) -> dict[str, object]:
    """Context processor for the header badge (listed in settings.TEMPLATES)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted when a template shows it (the header), not for every template rendered with the
    # request: the complaint page renders each of its panels so.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
