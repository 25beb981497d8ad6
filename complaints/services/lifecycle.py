"""The lifecycle steps that send nothing: investigate, record the event date, withdraw, close,
reopen."""

from __future__ import annotations

from datetime import date, datetime

from common.audit import Actor, history_user, save_audited
from common.errors import ValidationFailed

from ..errors import ErrorCode
from ..models import Complaint, Note
from ..redress_rules import redress_outstanding
from ._base import Step, lifecycle_action, require_text
from .intake import validate_intake


@lifecycle_action("start_investigation")
def complaint_start_investigation(actor: Actor, now: datetime) -> Step:
    return Step(lambda c: c.start_investigation())


@lifecycle_action("record_event_date")
def complaint_record_event_date(
    actor: Actor, now: datetime, *, event_date: date | None = None, event_date_unknown: bool = False
) -> Step:
    """CP26/4 para 3.24: record the date of the act or omission complained of, or that it is
    unknown (exactly one). The date cannot be after the complaint arrived (DISP 2.8.2R(2)), nor
    after the awareness date; the time bar is recomputed."""
    if event_date is None and not event_date_unknown:
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            "Give the date of the event complained of, or record that it is unknown.",
            fields={"event_date": ["Give the date, or record that it is unknown."]},
            rule="CP26/4 para 3.24",
        )

    def apply(c: Complaint) -> None:
        validate_intake(
            now=now,
            received_at=c.received_at,
            channel=c.channel,
            received_via=c.received_via,
            relationship=c.relationship,
            activity=c.activity,
            regime=c.regime,
            event_date=event_date,
            awareness_date=c.awareness_date,
            description=c.description,
            is_complaint=c.is_complaint,
            event_date_unknown=event_date_unknown,
        )
        c.record_event_date(event_date=event_date, unknown=event_date_unknown)

    return Step(apply)


@lifecycle_action("withdraw")
def complaint_withdraw(
    actor: Actor, now: datetime, *, reason: str = "", withdrawn_at: datetime | None = None
) -> Step:
    at = withdrawn_at or now
    return Step(lambda c: c.withdraw(at=at), at=at)


@lifecycle_action("close")
def complaint_close(actor: Actor, now: datetime, *, reason: str = "") -> Step:
    """Close the complaint. DISP 1.4.1R(5): while accepted redress is unpaid or an offer is
    still open the guard asks for ``reason``; a reason given is kept as a note."""
    reason = reason.strip()

    def apply(c: Complaint) -> None:
        outstanding = redress_outstanding(c)
        c.close(at=now)
        if reason:
            why = f" with {outstanding} (DISP 1.4.1R(5))" if outstanding else ""
            note = Note(
                complaint=c,
                author=history_user(actor),
                body=f"Closed{why}: {reason}",
                created_at=now,
            )
            save_audited(note, actor=actor, reason="complaint.close")

    return Step(apply, inputs={"reason": reason})


@lifecycle_action("reopen")
def complaint_reopen(actor: Actor, now: datetime, *, reason: str) -> Step:
    require_text(
        reason, "reason", "Say why the complaint is reopened.", code=ErrorCode.REASON_REQUIRED
    )

    def apply(c: Complaint) -> None:
        c.reopen()
        note = Note(
            complaint=c, author=history_user(actor), body=f"Reopened: {reason}", created_at=now
        )
        save_audited(note, actor=actor, reason="complaint.reopen")

    return Step(apply)
