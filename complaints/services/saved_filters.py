"""Saved views of the work queue: a user names the current filters and sort, keeps them, and may
share them with the firm's team. Only the owner deletes one."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from common.audit import Actor, delete_audited, save_audited
from common.errors import NotFound, PermissionDeniedError, ValidationFailed, required

from ..errors import ErrorCode
from ..models import SavedFilter

NAME_MAX = 80
QUERY_MAX = 1000


def saved_filter_create(
    *, firm_id: int, actor: Actor, now: datetime, name: str, query: str, shared: bool = False
) -> SavedFilter:
    """Keep ``query`` (the queue's query string, already reduced to the queue form's keys by
    the caller) under ``name``; a name the user already gave a view in this firm is refused."""
    name = (name or "").strip()
    errors = required(name=name)
    if len(name) > NAME_MAX:
        errors["name"] = [f"At most {NAME_MAX} characters."]
    if len(query) > QUERY_MAX:
        errors["query"] = [f"At most {QUERY_MAX} characters of filters."]
    ValidationFailed.check(ErrorCode.VALIDATION, "The view could not be saved", errors)
    owner_id = getattr(actor, "pk", None)
    if owner_id is None:  # a view is a person's (never the system's)
        raise PermissionDeniedError(ErrorCode.PERMISSION_DENIED, "Sign in to save a view.")
    saved = SavedFilter(
        firm_id=firm_id, owner_id=owner_id, name=name, query=query, shared=shared, created_at=now
    )
    taken = ValidationFailed(
        ErrorCode.SAVED_FILTER_NAME_TAKEN,
        f"You already have a saved view called “{name}”.",
        fields={"name": ["Choose another name, or delete the old view first."]},
    )
    if SavedFilter.objects.filter(firm_id=firm_id, owner_id=owner_id, name=name).exists():
        raise taken
    try:
        with transaction.atomic():
            save_audited(saved, actor=actor, reason="queue.saved_filter.create")
    except IntegrityError:  # saved at the same moment by another request
        raise taken from None
    return saved


def saved_filter_delete(*, filter_id: int, actor: Actor) -> None:
    """Delete one of the user's own saved views (a shared one of someone else's is refused)."""
    with transaction.atomic():
        saved = SavedFilter.objects.select_for_update().filter(pk=filter_id).first()
        if saved is None:
            raise NotFound(ErrorCode.SAVED_FILTER_NOT_FOUND, "No such saved view.")
        if saved.owner_id != getattr(actor, "pk", None):
            raise PermissionDeniedError(
                ErrorCode.SAVED_FILTER_NOT_OWNER,
                "Only the person who saved this view may delete it.",
            )
        delete_audited(saved, actor=actor, reason="queue.saved_filter.delete")
