"""Subject access requests raised in a complaint (UK GDPR Art 15) and their Art 12(3) clock:
the only write path (docs/data-protection.md). Every change recomputes and stores the due dates
with ``complaints.dpa.clock`` and the firm's calendar."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from common.audit import Actor, history_user
from common.audit import save_audited as _save_audited
from common.audit import snapshot as _snapshot
from common.dates import london_date, uk_date
from common.errors import ConflictError, TransitionRefused, ValidationFailed

from ..choices import CommunicationKind, DeliveryMethod
from ..deadlines import calendar_for_firm
from ..dpa import clock
from ..errors import ErrorCode
from ..models import Complaint, SarPause, SubjectAccessRequest
from ._base import lock_complaint, require_text
from .dataprotection import _check_day, _check_moment, _communication, _lock, _save


def _refresh(record: SubjectAccessRequest, complaint: Complaint) -> clock.SarClock:
    return record.refresh_due(calendar_for_firm(complaint.firm))


def _require_open(record: SubjectAccessRequest) -> None:
    if record.answered_on is not None:
        raise ConflictError(
            ErrorCode.SAR_CLOCK_STATE,
            f"This subject access request was answered on {uk_date(record.answered_on)}.",
            rule=clock.ART_12_3,
        )


def _require_after(field: str, day: date, earlier: date, what: str) -> None:
    if day < earlier:
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            "The date given cannot be recorded",
            fields={field: [f"Must not be before {what} ({uk_date(earlier)})."]},
        )


def sar_record(
    *,
    complaint_id: int,
    actor: Actor,
    now: datetime,
    scope: str,
    received_on: date,
    identity_requested_on: date | None = None,
    firm_ids: list[int] | None = None,
) -> SubjectAccessRequest:
    """Record a subject access request made in the complaint. With ``identity_requested_on``
    the month waits for the identity information (UK GDPR Art 12(3): "the relevant time")."""
    require_text(scope, "scope", "Say what the requester asked for.")
    with transaction.atomic():
        complaint = lock_complaint(complaint_id, firm_ids=firm_ids)
        _check_day(complaint, now, "received_on", received_on)
        _check_day(complaint, now, "identity_requested_on", identity_requested_on)
        if identity_requested_on is not None:
            _require_after(
                "identity_requested_on",
                identity_requested_on,
                received_on,
                "the request was received",
            )
        record = SubjectAccessRequest(
            complaint=complaint,
            scope=scope.strip(),
            received_on=received_on,
            identity_requested_on=identity_requested_on,
            recorded_by=history_user(actor),
            recorded_at=now,
        )
        _refresh(record, complaint)
        _save(record, actor=actor, reason="sar.record", before=None)
    return record


def sar_identity_received(
    *,
    sar_id: int,
    actor: Actor,
    now: datetime,
    received_on: date,
    firm_ids: list[int] | None = None,
    complaint_id: int | None = None,
) -> SubjectAccessRequest:
    """The identity information asked for arrived: the month begins (UK GDPR Art 12(3))."""
    with transaction.atomic():
        complaint, record = _lock(SubjectAccessRequest, sar_id, firm_ids, complaint_id)
        _require_open(record)
        if record.identity_requested_on is None or record.identity_received_on is not None:
            raise ConflictError(
                ErrorCode.SAR_CLOCK_STATE,
                "No identity information is awaited on this request.",
                rule=clock.ART_12_3,
            )
        _check_day(complaint, now, "received_on", received_on)
        _require_after(
            "received_on", received_on, record.identity_requested_on, "identity was asked for"
        )
        before = _snapshot(record)
        record.identity_received_on = received_on
        _refresh(record, complaint)
        _save(record, actor=actor, reason="sar.identity_received", before=before)
    return record


def sar_clarification_ask(
    *,
    sar_id: int,
    actor: Actor,
    now: datetime,
    question: str,
    asked_on: date,
    firm_ids: list[int] | None = None,
    complaint_id: int | None = None,
) -> SubjectAccessRequest:
    """Stop the clock: the firm asked the requester to clarify what the request covers
    (UK GDPR Art 12(3) as amended by the Data (Use and Access) Act 2025)."""
    require_text(question, "question", "Say what the requester was asked to clarify.")
    with transaction.atomic():
        complaint, record = _lock(SubjectAccessRequest, sar_id, firm_ids, complaint_id)
        _require_open(record)
        pauses = list(record.pauses.all())
        if any(p.answered_on is None for p in pauses):
            raise ConflictError(
                ErrorCode.SAR_CLOCK_STATE,
                "The clock is already stopped for a clarification.",
                rule=clock.STOP_THE_CLOCK,
            )
        _check_day(complaint, now, "asked_on", asked_on)
        _require_after(
            "asked_on",
            asked_on,
            max([record.received_on, *(p.answered_on for p in pauses if p.answered_on)]),
            "the request or the last clarification",
        )
        before = _snapshot(record)
        pause = SarPause(request=record, question=question.strip(), asked_on=asked_on)
        _save_audited(pause, actor=actor, reason="sar.clarification_ask", before=None)
        _refresh(record, complaint)
        _save(record, actor=actor, reason="sar.clarification_ask", before=before)
    return record


def sar_clarification_received(
    *,
    sar_id: int,
    actor: Actor,
    now: datetime,
    received_on: date,
    firm_ids: list[int] | None = None,
    complaint_id: int | None = None,
) -> SubjectAccessRequest:
    """Restart the clock: the clarification arrived; the days it took do not count."""
    with transaction.atomic():
        complaint, record = _lock(SubjectAccessRequest, sar_id, firm_ids, complaint_id)
        _require_open(record)
        pause = record.pauses.filter(answered_on__isnull=True).select_for_update().first()
        if pause is None:
            raise ConflictError(
                ErrorCode.SAR_CLOCK_STATE,
                "No clarification is awaited on this request.",
                rule=clock.STOP_THE_CLOCK,
            )
        _check_day(complaint, now, "received_on", received_on)
        _require_after("received_on", received_on, pause.asked_on, "the question was asked")
        before, pause_before = _snapshot(record), _snapshot(pause)
        pause.answered_on = received_on
        _save_audited(pause, actor=actor, reason="sar.clarification_received", before=pause_before)
        _refresh(record, complaint)
        _save(record, actor=actor, reason="sar.clarification_received", before=before)
    return record


def sar_extend(
    *,
    sar_id: int,
    actor: Actor,
    now: datetime,
    reason: str,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    firm_ids: list[int] | None = None,
    complaint_id: int | None = None,
) -> SubjectAccessRequest:
    """UK GDPR Art 12(3): extend by two further months for a complex or numerous request, by a
    notice with the reasons given within the first month (stopped days not counted); a notice
    after that is refused."""
    require_text(
        reason, "reason", "Say why the request needs more time.", code=ErrorCode.REASON_REQUIRED
    )
    sent = sent_at or now
    with transaction.atomic():
        complaint, record = _lock(SubjectAccessRequest, sar_id, firm_ids, complaint_id)
        _require_open(record)
        _check_moment(complaint, now, sent)
        sar = record.sar_clock(calendar_for_firm(complaint.firm))
        if record.extended or sar.starts_on is None:
            raise ConflictError(
                ErrorCode.SAR_CLOCK_STATE,
                "This request is already extended."
                if record.extended
                else "The month has not begun: the identity information is still awaited.",
                rule=clock.ART_12_EXTENSION,
            )
        assert sar.extension_notice_due is not None
        if london_date(sent) > sar.extension_notice_due:
            raise TransitionRefused(
                ErrorCode.SAR_EXTENSION_LATE,
                "The extension notice had to be given by "
                f"{uk_date(sar.extension_notice_due)}, within the first month.",
                fields={"sent_at": ["After the end of the first month."]},
                rule=clock.ART_12_EXTENSION,
            )
        before = _snapshot(record)
        record.extension_reason = reason.strip()
        record.extension_notice = _communication(
            complaint,
            kind=CommunicationKind.SAR_EXTENSION_NOTICE,
            method=method,
            sent_at=sent,
            actor=actor,
            summary=reason.strip(),
        )
        _refresh(record, complaint)
        _save(record, actor=actor, reason="sar.extend", before=before)
    return record


def sar_answer(
    *,
    sar_id: int,
    actor: Actor,
    now: datetime,
    answered_on: date,
    firm_ids: list[int] | None = None,
    complaint_id: int | None = None,
) -> SubjectAccessRequest:
    """Record the day the request was answered (late answers are recorded, and shown late)."""
    with transaction.atomic():
        complaint, record = _lock(SubjectAccessRequest, sar_id, firm_ids, complaint_id)
        _require_open(record)
        _check_day(complaint, now, "answered_on", answered_on)
        _require_after("answered_on", answered_on, record.received_on, "the request was received")
        before = _snapshot(record)
        record.answered_on = answered_on
        _save(record, actor=actor, reason="sar.answer", before=before)
    return record
