"""Reads: a user's notifications, scoped to the firms they still belong to."""

from __future__ import annotations

from django.db.models import QuerySet

from complaints import access

from .models import Notification


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user, firm_id__in=access.firm_ids(user))
    if unread_only:
        qs = qs.unread()
    return qs.select_related("firm", "complaint")


def unread_count(user) -> int:
    return notifications_for(user, unread_only=True).count()


def unread_context(request) -> dict[str, int]:
    """Context processor for the header badge (listed in settings.TEMPLATES)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
