"""The lifecycle steps that send nothing: investigate, withdraw, close, reopen."""

from __future__ import annotations

from datetime import datetime

from common.audit import Actor, history_user, save_audited

from ..errors import ErrorCode
from ..models import Complaint, Note
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
def complaint_close(actor: Actor, now: datetime) -> Step:
    return Step(lambda c: c.close(at=now))


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
