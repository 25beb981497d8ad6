"""The use cases that answer the complainant. Each sends a checked letter and records it as a
communication in the same transaction as the transition (DISP 1.5.4R, 1.6, 1.7, 1.8), all
through one path, ``_respond``: a letter lacking content DISP requires rolls the action back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from common.audit import Actor
from common.errors import ValidationFailed
from letters.choices import LetterType

from .. import guards
from ..choices import CommunicationKind, DeliveryMethod, ForwardPart, Outcome
from ..errors import ErrorCode
from ..models import Complaint
from ._base import act, issue_letter, record_communication, require_sent_at


@dataclass(frozen=True)
class Recorded:
    """What a response's communication records of the letter as sent."""

    fos_right: bool = False
    six_month: bool = False
    waiver: bool = False


@dataclass(frozen=True)
class Companion:
    """A second letter sent with the response (the forwarding cover letter to the other firm)."""

    letter_id: int | None
    letter_type: str
    communication: str
    summary: str


def _respond(
    *,
    complaint_id: int,
    actor: Actor,
    now: datetime,
    action: str,
    sent_at: datetime,
    method: str,
    expected_version: int | None,
    letter_id: int | None,
    letter: dict[str, Any],
    summary: str,
    transition: Callable[[Complaint, Any], Recorded],
    at: datetime | None = None,
    outcome: str | None = None,
    companion: Companion | None = None,
) -> Complaint:
    """Issue the letter (and its companion), run ``transition`` with the issued letter, record
    each letter as a communication and mark it sent: inside ``act``'s lock and transaction."""
    kind = guards.ACTIONS[action].communication
    assert kind is not None, f"{action} sends no letter"

    def apply(c: Complaint) -> None:
        def issue(letter_id: int | None, letter_type: str | None = None) -> Any:
            return issue_letter(
                c,
                action=action,
                letter_id=letter_id,
                letter_type=letter_type,
                actor=actor,
                now=now,
                sent_at=sent_at,
                method=method,
                **letter,
            )

        issued = issue(letter_id)
        extra = issue(companion.letter_id, companion.letter_type) if companion else None
        recorded = transition(c, issued)
        comm = record_communication(
            c,
            kind=kind,
            method=issued.method,
            sent_at=sent_at,
            actor=actor,
            fos_right=recorded.fos_right,
            six_month=recorded.six_month,
            waiver=recorded.waiver,
            summary=summary,
        )
        issued.mark_sent(comm)
        if companion and extra:
            comm = record_communication(
                c,
                kind=companion.communication,
                method=extra.method,
                sent_at=sent_at,
                actor=actor,
                summary=companion.summary,
            )
            extra.mark_sent(comm)

    return act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action=action,
        expected_version=expected_version,
        apply=apply,
        at=at or sent_at,
        outcome=outcome,
    )


def _sent_at(sent_at: datetime | None, now: datetime) -> datetime:
    sent_at = sent_at or now
    require_sent_at(sent_at, now)
    return sent_at


def _require_decision(outcome: str) -> None:
    if outcome not in Outcome.decisions():
        raise ValidationFailed(
            ErrorCode.OUTCOME_REQUIRED,
            "A response needs an outcome: upheld, partially upheld, not upheld, or a goodwill "
            "payment without a decision.",
            fields={"outcome": [f"Choose one of {', '.join(Outcome.decisions())}."]},
            rule="DISP 1.6.2R(1)",
        )


def complaint_acknowledge(
    *,
    complaint_id: int,
    actor: Actor,
    now: datetime,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    expected_version: int | None = None,
    letter_id: int | None = None,
) -> Complaint:
    """DISP 1.6.1R(1): prompt written acknowledgement with the response timetable and the
    complaints procedure summary (DISP 1.2.1R(3)), sent as a checked letter."""
    sent = _sent_at(sent_at, now)

    def transition(c: Complaint, issued: Any) -> Recorded:
        c.acknowledge(sent_at=sent)
        return Recorded()

    return _respond(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="acknowledge",
        sent_at=sent,
        method=method,
        expected_version=expected_version,
        letter_id=letter_id,
        letter={},
        summary="",
        transition=transition,
    )


def complaint_resolve_summary(
    *,
    complaint_id: int,
    actor: Actor,
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
    sent = _sent_at(sent_at, now)
    accepted = accepted_at or sent
    _require_decision(outcome)

    def transition(c: Complaint, issued: Any) -> Recorded:
        c.resolve_summary(sent_at=sent, accepted_at=accepted, outcome=outcome, waiver=issued.waiver)
        # DISP 2.8.3G: the six-month limit runs only if the letter as sent told the complainant.
        c.six_month_wording_included = issued.six_month
        return Recorded(issued.fos_right, issued.six_month, issued.waiver)

    return _respond(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="resolve_summary",
        sent_at=sent,
        method=method,
        expected_version=expected_version,
        letter_id=letter_id,
        letter=dict(
            outcome=outcome,
            consents_to_waive=consents_to_waive,
            reasons=summary,
            redress_summary=redress_summary,
        ),
        summary=summary,
        transition=transition,
        # Conservative reading: both the acceptance (DISP 1.5.2AR) and the SRC must fall by
        # close of business on the 3rd business day.
        at=max(accepted, sent),
        outcome=outcome,
    )


def complaint_send_holding_response(
    *,
    complaint_id: int,
    actor: Actor,
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
    sent = _sent_at(sent_at, now)
    if not reasons.strip():
        raise ValidationFailed(
            ErrorCode.REASON_REQUIRED,
            "A holding response must explain why a final response cannot be made yet.",
            fields={"reasons": ["Required."]},
            rule="DISP 1.6.2R(2)(a)",
        )

    def transition(c: Complaint, issued: Any) -> Recorded:
        c.send_holding_response(sent_at=sent, expected_on=issued.letter.expected_final_response_on)
        return Recorded(fos_right=issued.fos_right)

    return _respond(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="send_holding_response",
        sent_at=sent,
        method=method,
        expected_version=expected_version,
        letter_id=letter_id,
        letter=dict(reasons=reasons, expected_final_response_on=expected_final_response_on),
        summary=reasons,
        transition=transition,
    )


def complaint_send_final_response(
    *,
    complaint_id: int,
    actor: Actor,
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
    sent = _sent_at(sent_at, now)
    _require_decision(outcome)

    def transition(c: Complaint, issued: Any) -> Recorded:
        six_month = issued.six_month and six_month_wording
        c.send_final_response(
            sent_at=sent, outcome=outcome, six_month_wording=six_month, waiver=issued.waiver
        )
        return Recorded(issued.fos_right, six_month, issued.waiver)

    return _respond(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="send_final_response",
        sent_at=sent,
        method=method,
        expected_version=expected_version,
        letter_id=letter_id,
        letter=dict(
            outcome=outcome,
            consents_to_waive=consents_to_waive,
            reasons=summary,
            redress_summary=redress_summary,
        ),
        summary=summary,
        transition=transition,
        outcome=outcome,
    )


def complaint_reject_time_barred(
    *,
    complaint_id: int,
    actor: Actor,
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
    sent = _sent_at(sent_at, now)

    def transition(c: Complaint, issued: Any) -> Recorded:
        c.reject_time_barred(sent_at=sent, six_month_wording=issued.six_month)
        return Recorded(fos_right=issued.fos_right, six_month=issued.six_month)

    return _respond(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="reject_time_barred",
        sent_at=sent,
        method=method,
        expected_version=expected_version,
        letter_id=letter_id,
        letter=dict(reasons=summary),
        summary=summary,
        transition=transition,
    )


def complaint_forward(
    *,
    complaint_id: int,
    actor: Actor,
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
    sent = _sent_at(sent_at, now)
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

    def transition(c: Complaint, issued: Any) -> Recorded:
        c.forward(sent_at=sent, to_firm=to_firm, contact=to_contact, part=part, reason=reason)
        return Recorded()

    return _respond(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="forward",
        sent_at=sent,
        method=method,
        expected_version=expected_version,
        letter_id=letter_id,
        letter=dict(
            reasons=reason,
            other_firm_name=to_firm,
            other_firm_contact=to_contact,
            forward_part=part,
        ),
        summary=reason,
        transition=transition,
        companion=Companion(
            letter_id=cover_letter_id,
            letter_type=LetterType.FORWARDING_COVER,
            communication=CommunicationKind.FORWARDING_COVER,
            summary=f"To {to_firm}",
        ),
    )
