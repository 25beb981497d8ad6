"""Data-protection complaints (DPA 2018 s.164A) and subject access requests raised in a
complaint: the only write path for both (docs/data-protection.md).

Neither waits for, nor moves, the DISP complaint around it: its status, deadlines and final
response are untouched. Each use case locks the complaint row first, then its own record (the
one lock order), saves through ``save_audited`` and announces the change after commit so the
deadline watch re-checks the complaint.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction

from common.audit import Actor, history_user
from common.audit import save_audited as _save_audited
from common.audit import snapshot as _snapshot
from common.dates import london_date, uk_date
from common.errors import ConflictError, NotFound, ValidationFailed
from common.locking import lock_row
from letters import lifecycle
from letters.choices import LetterType
from letters.rendering import LetterInputs

from ..choices import CommunicationKind, DeliveryMethod
from ..dpa import clock
from ..errors import ErrorCode
from ..models import (
    Communication,
    Complaint,
    DataProtectionComplaint,
    SubjectAccessRequest,
)
from ._base import after_commit, lock_complaint, require_text


def _check_day(complaint: Complaint, now: datetime, field: str, day: date | None) -> None:
    """A recorded day is neither in the future nor before the complaint arrived."""
    if day is None:
        return
    if day > london_date(now):
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            "The date given cannot be recorded",
            fields={field: ["Must not be later than today."]},
        )
    if day < complaint.arrived_on:
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            "The date given cannot be recorded",
            fields={
                field: [
                    f"Must not be before the complaint arrived ({uk_date(complaint.arrived_on)})."
                ]
            },
        )


def _check_moment(complaint: Complaint, now: datetime, sent_at: datetime) -> None:
    if sent_at.tzinfo is None or sent_at.utcoffset() is None:
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            "The date given cannot be recorded",
            fields={"sent_at": ["Must include a time zone."]},
        )
    if sent_at > now:
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            "The date given cannot be recorded",
            fields={"sent_at": ["Must not be later than now."]},
        )


def _lock[M: (DataProtectionComplaint, SubjectAccessRequest)](
    model: type[M], pk: int, firm_ids: list[int] | None, complaint_id: int | None = None
) -> tuple[Complaint, M]:
    """Lock the complaint of record ``pk`` first, then the record (the one lock order); one of
    another firm, or of another complaint than ``complaint_id``, is not found."""
    qs = model.objects.all()
    if firm_ids is not None:
        qs = qs.filter(complaint__firm_id__in=firm_ids)
    if complaint_id is not None:
        qs = qs.filter(complaint_id=complaint_id)
    complaint_id = qs.filter(pk=pk).values_list("complaint_id", flat=True).first()
    if complaint_id is None:
        raise NotFound(
            ErrorCode.DPA_NOT_FOUND, f"{str(model._meta.verbose_name).capitalize()} {pk} not found."
        )
    complaint = lock_complaint(complaint_id)
    record: M = lock_row(
        model.objects.filter(complaint_id=complaint_id),
        pk,
        code=ErrorCode.DPA_NOT_FOUND,
        message=f"{str(model._meta.verbose_name).capitalize()} {pk} not found.",
    )
    record.complaint = complaint
    return complaint, record


def _save(
    record: DataProtectionComplaint | SubjectAccessRequest,
    *,
    actor: Actor,
    reason: str,
    before: dict[str, Any] | None,
) -> None:
    if before is not None:
        record.version += 1
    _save_audited(record, actor=actor, reason=reason, before=before)
    after_commit(record.complaint_id, reason)


def _send(
    complaint: Complaint,
    *,
    letter_type: str,
    kind: str,
    actor: Actor,
    now: datetime,
    sent_at: datetime,
    method: str,
    reasons: str = "",
    summary: str = "",
) -> Communication:
    """Issue the letter (its content checks refuse a letter lacking what s.164A and the ICO's
    guidance require), record it as a communication and mark it sent, in one transaction."""
    issued = lifecycle.issue(
        complaint=complaint,
        action="",
        letter_id=None,
        actor=actor,
        now=now,
        sent_at=sent_at,
        method=method,
        inputs=LetterInputs(reasons=reasons),
        letter_type=letter_type,
    )
    comm = _communication(
        complaint, kind=kind, method=issued.method, sent_at=sent_at, actor=actor, summary=summary
    )
    issued.mark_sent(comm)
    return comm


def _communication(
    complaint: Complaint, *, kind: str, method: str, sent_at: datetime, actor: Actor, summary: str
) -> Communication:
    if method not in DeliveryMethod.values:
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            f"Unknown delivery method {method!r}.",
            fields={"method": [f"Choose one of {', '.join(DeliveryMethod.values)}."]},
        )
    comm = Communication(
        complaint=complaint,
        kind=kind,
        method=method,
        sent_at=sent_at,
        sent_by=history_user(actor),
        summary=summary,
    )
    _save_audited(comm, actor=actor, reason=f"communication.{kind}", before=None)
    return comm


# --- data-protection complaints (DPA 2018 s.164A) -----------------------------------------


def dpa_complaint_record(
    *,
    complaint_id: int,
    actor: Actor,
    now: datetime,
    summary: str,
    received_on: date | None = None,
    firm_ids: list[int] | None = None,
) -> DataProtectionComplaint:
    """Tag the complaint, or the part ``summary`` names, as about the use of personal data:
    its own s.164A clock starts on ``received_on`` (default: the day the complaint arrived)."""
    require_text(summary, "summary", "Say what the complaint about personal data is.")
    with transaction.atomic():
        complaint = lock_complaint(complaint_id, firm_ids=firm_ids)
        received = received_on or complaint.arrived_on
        _check_day(complaint, now, "received_on", received)
        if received < clock.S164A_COMMENCEMENT:
            raise ValidationFailed(
                ErrorCode.DPA_BEFORE_COMMENCEMENT,
                "DPA 2018 s.164A applies to complaints received from "
                f"{uk_date(clock.S164A_COMMENCEMENT)}.",
                fields={"received_on": ["Before s.164A came into force."]},
                rule=clock.S164A,
            )
        record = DataProtectionComplaint(
            complaint=complaint,
            summary=summary.strip(),
            received_on=received,
            acknowledgement_due=clock.acknowledgement_due(received),
            recorded_by=history_user(actor),
            recorded_at=now,
        )
        _save(record, actor=actor, reason="dpa_complaint.record", before=None)
    return record


def dpa_complaint_acknowledge(
    *,
    dpa_id: int,
    actor: Actor,
    now: datetime,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    firm_ids: list[int] | None = None,
    complaint_id: int | None = None,
) -> DataProtectionComplaint:
    """DPA 2018 s.164A(3): send the acknowledgement letter (late is recorded, never refused)."""
    sent = sent_at or now
    with transaction.atomic():
        complaint, record = _lock(DataProtectionComplaint, dpa_id, firm_ids, complaint_id)
        _check_moment(complaint, now, sent)
        if record.acknowledgement_id or record.outcome_id:
            raise ConflictError(
                ErrorCode.DPA_ALREADY_SENT,
                "This data-protection complaint has already been acknowledged or answered.",
                rule=clock.S164A_ACK,
            )
        before = _snapshot(record)
        record.acknowledgement = _send(
            complaint,
            letter_type=LetterType.DPA_ACKNOWLEDGEMENT,
            kind=CommunicationKind.DPA_ACKNOWLEDGEMENT,
            actor=actor,
            now=now,
            sent_at=sent,
            method=method,
            summary=record.summary,
        )
        _save(record, actor=actor, reason="dpa_complaint.acknowledge", before=before)
    return record


def dpa_complaint_progress(
    *,
    dpa_id: int,
    actor: Actor,
    now: datetime,
    summary: str,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    firm_ids: list[int] | None = None,
    complaint_id: int | None = None,
) -> DataProtectionComplaint:
    """DPA 2018 s.164A(5)(b): record telling the complainant about progress."""
    require_text(summary, "summary", "Say what the complainant was told.")
    sent = sent_at or now
    with transaction.atomic():
        complaint, record = _lock(DataProtectionComplaint, dpa_id, firm_ids, complaint_id)
        _check_moment(complaint, now, sent)
        if record.outcome_id:
            raise ConflictError(
                ErrorCode.DPA_ALREADY_SENT,
                "The outcome of this data-protection complaint has already been sent.",
                rule=clock.S164A_OUTCOME,
            )
        before = _snapshot(record)
        _communication(
            complaint,
            kind=CommunicationKind.DPA_PROGRESS,
            method=method,
            sent_at=sent,
            actor=actor,
            summary=summary.strip(),
        )
        record.last_progress_on = london_date(sent)
        _save(record, actor=actor, reason="dpa_complaint.progress", before=before)
    return record


def dpa_complaint_outcome(
    *,
    dpa_id: int,
    actor: Actor,
    now: datetime,
    outcome: str,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    firm_ids: list[int] | None = None,
    complaint_id: int | None = None,
) -> DataProtectionComplaint:
    """DPA 2018 s.164A(4)(b): send the outcome letter with the right to complain to the
    Information Commissioner. Whatever the DISP complaint's state: it never waits for it, and
    the DISP clock and final response are untouched."""
    require_text(outcome, "outcome", "Say what the outcome is and why.")
    sent = sent_at or now
    with transaction.atomic():
        complaint, record = _lock(DataProtectionComplaint, dpa_id, firm_ids, complaint_id)
        _check_moment(complaint, now, sent)
        if record.outcome_id:
            raise ConflictError(
                ErrorCode.DPA_ALREADY_SENT,
                "The outcome of this data-protection complaint has already been sent.",
                rule=clock.S164A_OUTCOME,
            )
        before = _snapshot(record)
        record.outcome = _send(
            complaint,
            letter_type=LetterType.DPA_OUTCOME,
            kind=CommunicationKind.DPA_OUTCOME,
            actor=actor,
            now=now,
            sent_at=sent,
            method=method,
            reasons=outcome.strip(),
            summary=outcome.strip(),
        )
        _save(record, actor=actor, reason="dpa_complaint.outcome", before=before)
    return record
