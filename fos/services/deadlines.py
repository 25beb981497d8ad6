"""Deadlines the FOS sets the firm in its correspondence."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from common.audit import history_user, save_audited, snapshot
from common.dates import uk_date
from common.errors import ConflictError, ValidationFailed
from common.locking import lock_row

from ..errors import FosErrorCode
from ..models import FosDeadline, Referral
from ._locking import lock_referral
from ._validation import _invalid

# --- FOS deadlines ---------------------------------------------------------------------


def _add_deadline(
    referral: Referral,
    *,
    description: str,
    due_on: date,
    source: str,
    actor: AbstractBaseUser | None,
    now: datetime,
) -> FosDeadline:
    deadline = FosDeadline(
        referral=referral,
        firm_id=referral.firm_id,
        description=description,
        due_on=due_on,
        source=source,
        created_at=now,
        created_by=history_user(actor),
    )
    save_audited(deadline, actor=actor, reason="fos.deadline_add")
    return deadline


def _close_open_deadlines(
    referral: Referral, *, note: str, actor: AbstractBaseUser | None, now: datetime
) -> None:
    """The referral closed: the deadlines the FOS set it that are still open close with it, with
    ``note`` saying so (they were not met)."""
    for deadline in referral.deadlines.select_for_update().filter(done_at__isnull=True):
        before = snapshot(deadline)
        deadline.done_at = now
        deadline.done_by = history_user(actor)
        deadline.closed_note = note
        save_audited(deadline, actor=actor, reason="fos.deadline_closed", before=before)


def fos_deadline_add(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    description: str,
    due_on: date | None,
    source: str = "",
) -> FosDeadline:
    """A response deadline the FOS set the firm in its correspondence."""
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["Say what the FOS asked for."]
    if due_on is None:
        errors["due_on"] = ["Required."]
    ValidationFailed.check(FosErrorCode.VALIDATION, "The deadline could not be added", errors)
    assert due_on is not None
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


def fos_deadline_complete(
    *, deadline_id: int, actor: AbstractBaseUser | None, now: datetime
) -> FosDeadline:
    with transaction.atomic():
        deadline = lock_row(
            FosDeadline.objects.all(),
            deadline_id,
            code=FosErrorCode.NOT_FOUND,
            message=f"FOS deadline {deadline_id} not found.",
        )
        if deadline.done_at is not None:
            raise ConflictError(
                FosErrorCode.DEADLINE_DONE,
                f"Already marked done on {uk_date(deadline.done_at)}.",
            )
        before = snapshot(deadline)
        deadline.done_at = now
        deadline.done_by = history_user(actor)
        save_audited(deadline, actor=actor, reason="fos.deadline_done", before=before)
    return deadline
