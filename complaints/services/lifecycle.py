"""The lifecycle steps that send nothing: investigate, withdraw, close, reopen."""

from __future__ import annotations

from datetime import datetime

from common.audit import Actor, history_user, save_audited

from ..errors import ErrorCode
from ..models import Complaint, Note
from ..redress_rules import redress_outstanding
from ._base import Step, lifecycle_action, require_text


@lifecycle_action("start_investigation")
def complaint_start_investigation(actor: Actor, now: datetime) -> Step:
    return Step(lambda c: c.start_investigation())


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
