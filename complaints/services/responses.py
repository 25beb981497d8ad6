"""The use cases that answer the complainant: each sends a checked letter in the same
transaction as the transition (DISP 1.5.4R, 1.6, 1.7, 1.8)."""

from __future__ import annotations

from datetime import date, datetime

from common.errors import ValidationFailed

from ..choices import (
    CommunicationKind,
    DeliveryMethod,
    ForwardPart,
    Outcome,
)
from ..errors import ErrorCode
from ..models import (
    Complaint,
)
from ._base import (
    User,
    act,
    issue_letter,
    record_communication,
    require_sent_at,
)


def complaint_acknowledge(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    expected_version: int | None = None,
    letter_id: int | None = None,
) -> Complaint:
    """DISP 1.6.1R(1): prompt written acknowledgement with the response timetable and the
    complaints procedure summary (DISP 1.2.1R(3)), sent as a checked letter."""
    sent_at = sent_at or now
    require_sent_at(sent_at, now)

    def apply(c: Complaint) -> None:
        issued = issue_letter(
            c,
            action="acknowledge",
            letter_id=letter_id,
            actor=actor,
            now=now,
            sent_at=sent_at,
            method=method,
        )
        c.acknowledge(sent_at=sent_at)
        comm = record_communication(
            c,
            kind=CommunicationKind.ACKNOWLEDGEMENT,
            method=issued.method,
            sent_at=sent_at,
            actor=actor,
        )
        issued.mark_sent(comm)

    return act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="acknowledge",
        reason="complaint.acknowledge",
        expected_version=expected_version,
        apply=apply,
        at=sent_at,
    )


def _require_decision(outcome: str) -> None:
    if outcome not in Outcome.decisions():
        raise ValidationFailed(
            ErrorCode.OUTCOME_REQUIRED,
            "A response needs an outcome: upheld, partially upheld, not upheld, or a goodwill "
            "payment without a decision.",
            fields={"outcome": [f"Choose one of {', '.join(Outcome.decisions())}."]},
            rule="DISP 1.6.2R(1)",
        )


def complaint_resolve_summary(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    outcome: str,
    sent_at: datetime | None = None,
    accepted_at: datetime | None = None,
    consents_to_waive: bool = False,
    method: str = DeliveryMethod.EMAIL,
    summary: str = "",
    expected_version: int | None = None,
    letter_id: int | None = None,
    redress_summary: str = "",
) -> Complaint:
    """DISP 1.5: resolved by close of business on the 3rd business day after receipt, with
    the complainant's acceptance (DISP 1.5.2AR) and an SRC sent (DISP 1.5.4R). The SRC starts
    the FOS six-month clock (DISP 2.8.2R(1)) only if the sent letter carried the six-month
    wording (DISP 2.8.3G)."""
    sent_at = sent_at or now
    accepted_at = accepted_at or sent_at
    require_sent_at(sent_at, now)
    _require_decision(outcome)

    def apply(c: Complaint) -> None:
        issued = issue_letter(
            c,
            action="resolve_summary",
            letter_id=letter_id,
            actor=actor,
            now=now,
            sent_at=sent_at,
            method=method,
            outcome=outcome,
            consents_to_waive=consents_to_waive,
            reasons=summary,
            redress_summary=redress_summary,
        )
        c.resolve_summary(
            sent_at=sent_at, accepted_at=accepted_at, outcome=outcome, waiver=issued.waiver
        )
        # DISP 2.8.3G: the six-month limit runs only if the letter as sent told the complainant.
        c.six_month_wording_included = issued.six_month
        comm = record_communication(
            c,
            kind=CommunicationKind.SUMMARY_RESOLUTION,
            method=issued.method,
            sent_at=sent_at,
            actor=actor,
            fos_right=issued.fos_right,
            six_month=issued.six_month,
            waiver=issued.waiver,
            summary=summary,
        )
        issued.mark_sent(comm)

    return act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="resolve_summary",
        reason="complaint.resolve_summary",
        expected_version=expected_version,
        apply=apply,
        # Conservative reading: both the acceptance (DISP 1.5.2AR) and the SRC must fall by
        # close of business on the 3rd business day.
        at=max(accepted_at, sent_at),
        recompute=True,
        outcome=outcome,
    )


def complaint_send_holding_response(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    reasons: str,
    expected_final_response_on: date | None = None,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    expected_version: int | None = None,
    letter_id: int | None = None,
) -> Complaint:
    """DISP 1.6.2R(2): explains why no final response yet and when to expect one, and that the
    complainant may now refer to the FOS. PSD/EMD: DISP 1.6.2AR(2), within 15 business days.
    Without a date from the handler the letter gives the PSD/EMD 35-business-day deadline, or
    the firm's policy date (``LETTERS_HOLDING_EXPECTED_DAYS`` after sending)."""
    sent_at = sent_at or now
    require_sent_at(sent_at, now)
    if not reasons.strip():
        raise ValidationFailed(
            ErrorCode.REASON_REQUIRED,
            "A holding response must explain why a final response cannot be made yet.",
            fields={"reasons": ["Required."]},
            rule="DISP 1.6.2R(2)(a)",
        )

    def apply(c: Complaint) -> None:
        issued = issue_letter(
            c,
            action="send_holding_response",
            letter_id=letter_id,
            actor=actor,
            now=now,
            sent_at=sent_at,
            method=method,
            reasons=reasons,
            expected_final_response_on=expected_final_response_on,
        )
        c.send_holding_response(
            sent_at=sent_at, expected_on=issued.letter.expected_final_response_on
        )
        comm = record_communication(
            c,
            kind=CommunicationKind.HOLDING_RESPONSE,
            method=issued.method,
            sent_at=sent_at,
            actor=actor,
            fos_right=issued.fos_right,
            summary=reasons,
        )
        issued.mark_sent(comm)

    return act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="send_holding_response",
        reason="complaint.holding_response",
        expected_version=expected_version,
        apply=apply,
        at=sent_at,
        recompute=True,
    )


def complaint_send_final_response(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    outcome: str,
    sent_at: datetime | None = None,
    six_month_wording: bool = True,
    consents_to_waive: bool = False,
    method: str = DeliveryMethod.EMAIL,
    summary: str = "",
    expected_version: int | None = None,
    letter_id: int | None = None,
    redress_summary: str = "",
) -> Complaint:
    """DISP 1.6.2R(1): a final response with an outcome. The FOS six-month window runs from the
    date it was sent only if it carried the six-month wording (DISP 2.8.3G): that is read from
    the sent letter's content check. ``six_month_wording`` is kept for older callers and can
    only withhold the window (record that the wording was not relied on), never grant it."""
    sent_at = sent_at or now
    require_sent_at(sent_at, now)
    _require_decision(outcome)

    def apply(c: Complaint) -> None:
        issued = issue_letter(
            c,
            action="send_final_response",
            letter_id=letter_id,
            actor=actor,
            now=now,
            sent_at=sent_at,
            method=method,
            outcome=outcome,
            consents_to_waive=consents_to_waive,
            reasons=summary,
            redress_summary=redress_summary,
        )
        six_month = issued.six_month and six_month_wording
        c.send_final_response(
            sent_at=sent_at,
            outcome=outcome,
            six_month_wording=six_month,
            waiver=issued.waiver,
        )
        comm = record_communication(
            c,
            kind=CommunicationKind.FINAL_RESPONSE,
            method=issued.method,
            sent_at=sent_at,
            actor=actor,
            fos_right=issued.fos_right,
            six_month=six_month,
            waiver=issued.waiver,
            summary=summary,
        )
        issued.mark_sent(comm)

    return act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="send_final_response",
        reason="complaint.final_response",
        expected_version=expected_version,
        apply=apply,
        at=sent_at,
        recompute=True,
        outcome=outcome,
    )


def complaint_reject_time_barred(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    summary: str = "",
    expected_version: int | None = None,
    letter_id: int | None = None,
) -> Complaint:
    """DISP 1.8: reject a complaint received outside the DISP 2.8.2R(2) limits without
    considering the merits, in a final response saying the FOS may still consider it
    (DISP 1 Annex 3R variant (2))."""
    sent_at = sent_at or now
    require_sent_at(sent_at, now)

    def apply(c: Complaint) -> None:
        issued = issue_letter(
            c,
            action="reject_time_barred",
            letter_id=letter_id,
            actor=actor,
            now=now,
            sent_at=sent_at,
            method=method,
            reasons=summary,
        )
        c.reject_time_barred(sent_at=sent_at, six_month_wording=issued.six_month)
        comm = record_communication(
            c,
            kind=CommunicationKind.TIME_BARRED_REJECTION,
            method=issued.method,
            sent_at=sent_at,
            actor=actor,
            fos_right=issued.fos_right,
            six_month=issued.six_month,
            summary=summary,
        )
        issued.mark_sent(comm)

    return act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="reject_time_barred",
        reason="complaint.reject_time_barred",
        expected_version=expected_version,
        apply=apply,
        at=sent_at,
        recompute=True,
    )


def complaint_forward(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    to_firm: str,
    to_contact: str,
    reason: str,
    part: str = ForwardPart.WHOLE,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    expected_version: int | None = None,
    letter_id: int | None = None,
    cover_letter_id: int | None = None,
) -> Complaint:
    """DISP 1.7: forward to the firm solely or jointly responsible, promptly and in writing,
    and tell the complainant why, with the other firm's contact details. Two letters go in the
    same transaction: the notice to the complainant and the covering letter to the other firm
    (``cover_letter_id``, or generated from the firm's template)."""
    sent_at = sent_at or now
    require_sent_at(sent_at, now)
    errors = {
        k: ["Required."]
        for k, v in (("to_firm", to_firm), ("to_contact", to_contact), ("reason", reason))
        if not v.strip()
    }
    if part not in ForwardPart.values:
        errors["part"] = [f"Choose one of {', '.join(ForwardPart.values)}."]
    if errors:
        raise ValidationFailed(
            ErrorCode.FORWARD_DETAILS_REQUIRED,
            "Forwarding needs the other firm, its contact details and the reason.",
            fields=errors,
            rule="DISP 1.7",
        )

    def apply(c: Complaint) -> None:
        from letters.choices import LetterType

        details = dict(
            reasons=reason,
            other_firm_name=to_firm,
            other_firm_contact=to_contact,
            forward_part=part,
        )
        common = dict(actor=actor, now=now, sent_at=sent_at, method=method)
        notice = issue_letter(c, action="forward", letter_id=letter_id, **common, **details)
        cover = issue_letter(
            c,
            action="forward",
            letter_id=cover_letter_id,
            letter_type=LetterType.FORWARDING_COVER,
            **common,
            **details,
        )
        c.forward(sent_at=sent_at, to_firm=to_firm, contact=to_contact, part=part, reason=reason)
        comm = record_communication(
            c,
            kind=CommunicationKind.FORWARDING_NOTICE,
            method=notice.method,
            sent_at=sent_at,
            actor=actor,
            summary=reason,
        )
        notice.mark_sent(comm)
        comm = record_communication(
            c,
            kind=CommunicationKind.FORWARDING_COVER,
            method=cover.method,
            sent_at=sent_at,
            actor=actor,
            summary=f"To {to_firm}",
        )
        cover.mark_sent(comm)

    return act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="forward",
        reason="complaint.forward",
        expected_version=expected_version,
        apply=apply,
        at=sent_at,
    )
