"""The lifecycle steps that send nothing: investigate, withdraw, close, reopen."""

from __future__ import annotations

from datetime import datetime

from common.audit import Actor, history_user, save_audited
from common.errors import ValidationFailed

from ..errors import ErrorCode
from ..models import (
    Complaint,
    Note,
)
from ._base import (
    act,
    require_sent_at,
)


def complaint_start_investigation(
    *,
    complaint_id: int,
    actor: Actor,
    now: datetime,
    expected_version: int | None = None,
) -> Complaint:
    return act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="start_investigation",
        expected_version=expected_version,
        apply=lambda c: c.start_investigation(),
    )


def complaint_withdraw(
    *,
    complaint_id: int,
    actor: Actor,
    now: datetime,
    reason: str = "",
    withdrawn_at: datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    at = withdrawn_at or now
    require_sent_at(at, now)
    return act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="withdraw",
        expected_version=expected_version,
        apply=lambda c: c.withdraw(at=at),
        at=at,
    )


def complaint_close(
    *,
    complaint_id: int,
    actor: Actor,
    now: datetime,
    expected_version: int | None = None,
) -> Complaint:
    return act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="close",
        expected_version=expected_version,
        apply=lambda c: c.close(at=now),
    )


def complaint_reopen(
    *,
    complaint_id: int,
    actor: Actor,
    now: datetime,
    reason: str,
    expected_version: int | None = None,
) -> Complaint:
    if not reason.strip():
        raise ValidationFailed(
            ErrorCode.REASON_REQUIRED,
            "Say why the complaint is reopened.",
            fields={"reason": ["Required."]},
        )

    def apply(c: Complaint) -> None:
        c.reopen()
        note = Note(
            complaint=c, author=history_user(actor), body=f"Reopened: {reason}", created_at=now
        )
        save_audited(note, actor=actor, reason="complaint.reopen")

    return act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="reopen",
        expected_version=expected_version,
        apply=apply,
    )
