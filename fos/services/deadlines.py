"""Deadlines the FOS sets the firm in its correspondence."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from common.dates import uk_date
from common.errors import ConflictError, NotFound

from ..errors import FosErrorCode
from ..models import FosDeadline, Referral
from ._base import _invalid, _save_audited, _snapshot, _user, lock_referral

# --- FOS deadlines ---------------------------------------------------------------------


def _add_deadline(
    referral: Referral, *, description: str, due_on: date, source: str, actor, now: datetime
) -> FosDeadline:
    deadline = FosDeadline(
        referral=referral,
        firm_id=referral.firm_id,
        description=description,
        due_on=due_on,
        source=source,
        created_at=now,
        created_by=_user(actor),
    )
    _save_audited(deadline, actor=actor, reason="fos.deadline_add", before=None)
    return deadline


def fos_deadline_add(
    *,
    referral_id: int,
    actor,
    now: datetime,
    description: str,
    due_on: date | None,
    source: str = "",
) -> FosDeadline:
    """A response deadline the FOS set the firm in its correspondence."""
    errors = {}
    if not description.strip():
        errors["description"] = ["Say what the FOS asked for."]
    if due_on is None:
        errors["due_on"] = ["Required."]
    if errors:
        raise _invalid(
            "The deadline could not be added: "
            + "; ".join(f"{k}: {v[0]}" for k, v in errors.items()),
            errors,
        )
    with transaction.atomic():
        referral = lock_referral(referral_id)
        if due_on < referral.referred_on:
            raise _invalid(
                "due_on: cannot be before the referral.", {"due_on": ["Before the referral."]}
            )
        return _add_deadline(
            referral,
            description=description.strip(),
            due_on=due_on,
            source=source.strip(),
            actor=actor,
            now=now,
        )


def fos_deadline_complete(*, deadline_id: int, actor, now: datetime) -> FosDeadline:
    with transaction.atomic():
        try:
            deadline = FosDeadline.objects.select_for_update().get(pk=deadline_id)
        except FosDeadline.DoesNotExist:
            raise NotFound(
                FosErrorCode.NOT_FOUND, f"FOS deadline {deadline_id} not found."
            ) from None
        if deadline.done_at is not None:
            raise ConflictError(
                FosErrorCode.DEADLINE_DONE,
                f"Already marked done on {uk_date(deadline.done_at)}.",
            )
        before = _snapshot(deadline)
        deadline.done_at = now
        deadline.done_by = _user(actor)
        _save_audited(deadline, actor=actor, reason="fos.deadline_done", before=before)
    return deadline
