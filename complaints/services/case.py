"""Keeping the case: owner, notes, and the DISP clock's inputs and deadlines."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from common.audit import Actor, history_user
from common.audit import save_audited as _save_audited
from common.audit import snapshot as _snapshot
from common.dates import uk_date, uk_datetime
from common.errors import ValidationFailed

from ..deadlines import apply_deadlines
from ..errors import ErrorCode
from ..models import (
    Complaint,
    Note,
)
from ._base import (
    after_commit,
    complaint_change,
    lock_complaint,
    member_user,
    require_text,
)
from .intake import validate_intake
from .tasks import move_open_tasks


def complaint_assign(
    *,
    complaint_id: int,
    actor: Actor,
    now: datetime,
    owner_id: int | None,
    expected_version: int | None = None,
) -> Complaint:
    with complaint_change(
        complaint_id, expected_version, actor=actor, reason="complaint.assign", event="assign"
    ) as complaint:
        old_owner_id = complaint.owner_id
        complaint.owner = member_user(complaint.firm, owner_id) if owner_id else None
        # The complaint's open diary dates follow it to its new owner, in this transaction.
        move_open_tasks(
            complaint, old_owner_id=old_owner_id, new_owner_id=complaint.owner_id, actor=actor
        )
    return complaint


def complaint_add_note(*, complaint_id: int, actor: Actor, now: datetime, body: str) -> Note:
    require_text(body, "body", "A note cannot be empty.")
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        note = Note(
            complaint=complaint, author=history_user(actor), body=body.strip(), created_at=now
        )
        _save_audited(note, actor=actor, reason="complaint.note", before=None)
    return note


def complaint_update_clock_inputs(
    *,
    complaint_id: int,
    actor: Actor,
    now: datetime,
    reason: str,
    received_at: datetime | None = None,
    regime: str | None = None,
    event_date: date | None = None,
    awareness_date: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Correct the inputs of the DISP clock; every deadline is recomputed and audited."""
    require_text(
        reason, "reason", "Say why the clock inputs change.", code=ErrorCode.REASON_REQUIRED
    )
    with complaint_change(
        complaint_id,
        expected_version,
        actor=actor,
        reason=f"complaint.recompute_deadlines: {reason}",
        event="recompute_deadlines",
    ) as complaint:
        validate_intake(
            now=now,
            received_at=received_at or complaint.received_at,
            channel=complaint.channel,
            received_via=complaint.received_via,
            relationship=complaint.relationship,
            activity=complaint.activity,
            regime=regime or complaint.regime,
            event_date=event_date if event_date is not None else complaint.event_date,
            awareness_date=awareness_date
            if awareness_date is not None
            else complaint.awareness_date,
            description=complaint.description,
            is_complaint=complaint.is_complaint,
        )
        if received_at is not None:
            _require_receipt_before_letters(complaint, received_at)
            complaint.received_at = received_at
        if regime is not None:
            complaint.regime = regime
        if event_date is not None:
            complaint.event_date = event_date
        if awareness_date is not None:
            complaint.awareness_date = awareness_date
        apply_deadlines(complaint, now=now)
    return complaint


def complaint_recompute_deadlines(
    *, complaint_id: int, actor: Actor, now: datetime, reason: str
) -> tuple[Complaint, bool]:
    """Recompute after a calendar change; saves (with history) only if a deadline moved."""
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        before = _snapshot(complaint)
        apply_deadlines(complaint, now=now)
        moved = any(
            before[k] != getattr(complaint, k)
            for k in (
                "receipt_date",
                "src_deadline",
                "final_response_due",
                "extended_final_response_due",
                "fos_referral_open_from",
            )
        )
        if moved:
            complaint.version += 1
            _save_audited(
                complaint,
                actor=actor,
                reason=f"complaint.recompute_deadlines: {reason}",
                before=before,
            )
            after_commit(complaint.pk, "recompute_deadlines")
    return complaint, moved


def describe_deadline_change(before: date | None, after: date | None) -> str:
    return f"{uk_date(before)} → {uk_date(after)}"


def complaint_consent_to_waive_time_limits(
    *, complaint_id: int, actor: Actor, now: datetime, reason: str
) -> Complaint:
    """DISP 2.8.2R(5): the firm consents to the FOS considering the complaint outside the time
    limits. DISP 2.8.2AR: consent cannot be withdrawn, so this only ever sets it (and a second
    call changes nothing). ``reason`` names the use case that records it (the FOS referral's)."""
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        if not complaint.consents_to_waive_time_limits:
            before = _snapshot(complaint)
            complaint.consents_to_waive_time_limits = True
            complaint.version += 1
            _save_audited(complaint, actor=actor, reason=reason, before=before)
    return complaint


def _require_receipt_before_letters(complaint: Complaint, received_at: datetime) -> None:
    """A corrected receipt time cannot fall after a letter already sent on the complaint: every
    DISP response counts from receipt (DISP 1.5.1R, 1.6.1R, 1.6.2R "after its receipt"), so the
    record would show a reply to a complaint not yet received."""
    first = complaint.communications.order_by("sent_at").values_list("sent_at", flat=True).first()
    if first is not None and received_at > first:
        ValidationFailed.check(
            ErrorCode.VALIDATION,
            "The receipt time cannot be after a letter already sent",
            {
                "received_at": [
                    "Must not be after the first letter sent on this complaint "
                    f"({uk_datetime(first)})."
                ]
            },
            rule="DISP 1.6.1R",
        )
