"""The saved views of the work queue a user may apply: their own and those shared in the firm."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from common.compiled import ANY_ID, Compiled

from ..models import SavedFilter

_ANY_USER = ANY_ID - 1
# Compiled once per process (issue 18): the queue reads it on every page.
_SAVED_FILTERS = Compiled(
    SavedFilter.objects.filter(firm_id=ANY_ID)
    .filter(Q(owner_id=_ANY_USER) | Q(shared=True))
    .select_related("owner")
    .order_by("name", "id"),
    ANY_ID,
    _ANY_USER,
)


def saved_filters_for(user: Any, firm_id: int) -> list[SavedFilter]:
    """The user's own views in ``firm_id`` and the ones the firm's members shared: one query."""
    return _SAVED_FILTERS.objects(firm_id, user.pk)
