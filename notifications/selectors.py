"""Reads: a user's notifications, scoped to the firms they still belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from common.compiled import CompiledByIds
from complaints import access

from .models import Notification

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _notifications(
    recipient_id: int, firm_ids: list[int], unread_only: bool
) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient_id=recipient_id, firm_id__in=firm_ids)
    return qs.unread() if unread_only else qs


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = _notifications(user.pk, access.firm_ids(user), unread_only)
    # The complainant's contact preferences are shown with each deadline (reasonable
    # adjustments), on the page only: notices are e-mailed and carry no complainant data.
    return qs.select_related("firm", "complaint__complainant", "notice")


# The unread count, compiled once per number of firms in each process (issue 18: every page's
# header shows it); its ids are the recipient's, then their firms'.
def _unread_ids(_key: None, ids: list[int]) -> QuerySet[Any]:
    return _notifications(ids[0], ids[1:], True).values("pk")


_UNREAD = CompiledByIds(_unread_ids)


def unread_count(user: User) -> int:
    """``notifications_for(user, unread_only=True).count()``, by SQL compiled once."""
    firm_ids = access.firm_ids(user)
    return _UNREAD.count(None, [user.pk, *firm_ids]) if firm_ids else 0


def unread_context(request: HttpRequest) -> dict[str, object]:
    """Context processor for the header badge (listed in settings.TEMPLATES)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted when a template shows it (the header), not for every template rendered with the
    # request: the complaint page renders each of its panels so.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
