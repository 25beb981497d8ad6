"""The saved views of the work queue a user may apply: their own and those shared in the firm."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ..models import SavedFilter


def saved_filters_for(user: Any, firm_id: int) -> list[SavedFilter]:
    """The user's own views in ``firm_id`` and the ones the firm's members shared: one query."""
    return list(
        SavedFilter.objects.filter(firm_id=firm_id)
        .filter(Q(owner_id=user.pk) | Q(shared=True))
        .select_related("owner")
        .order_by("name", "id")
    )
