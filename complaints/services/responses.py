"""The use cases that answer the complainant. Each sends a checked letter and records it as a
communication in the same transaction as the transition (DISP 1.5.4R, 1.6, 1.7, 1.8), all
through one path, ``_response``: a letter lacking content DISP requires rolls the action back.
Each service below only checks its own inputs and says what its letter carries and what its
transition does (a ``Response``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from common.audit import Actor, history_user
from common.audit import save_audited as _save_audited
from common.errors import ConflictError, ValidationFailed
from letters import lifecycle
from letters.choices import LetterType
from letters.rendering import LetterInputs

from .. import guards
from ..choices import CommunicationKind, DeliveryMethod, ForwardPart, Outcome
from ..errors import ErrorCode
from ..models import Communication, Complaint, ForwardedPart
from ._base import Step, lifecycle_action, require_text


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


@dataclass(frozen=True)
class Response:
    """What one response does once its inputs are checked: the transition it runs with the
    issued letter, the letter's inputs and the communication's summary."""

    transition: Callable[[Complaint, Any], Recorded]
    letter: dict[str, Any] = field(default_factory=dict)
    summary: str = ""
    at: datetime | None = None  # when its guards judge it, if not when it is sent
    outcome: str | None = None
    companion: Companion | None = None
    # What it records with the communication of its letter once that is written.
    then: Callable[[Complaint, Communication, Actor], None] | None = None


# Each response service by its action: sending a draft runs the one its letter belongs to.
RESPONSES: dict[str, Callable[..., Complaint]] = {}
# What each response's letter says, by its action: the confirmation page's preview
# (``services.preview``) renders the same letters from the same inputs, writing nothing.
DESCRIBE: dict[str, Callable[..., Response]] = {}


def _record_communication(
    complaint: Complaint,
    *,
    kind: str,
    method: str,
    sent_at: datetime,
    actor: Actor,
    recorded: Recorded,
    summary: str,
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
        includes_fos_referral_right=recorded.fos_right,
        includes_six_month_wording=recorded.six_month,
        waiver_consent=recorded.waiver,
        summary=summary,
    )
    _save_audited(comm, actor=actor, reason=f"communication.{kind}", before=None)
    return comm


def _response(action: str) -> Callable[[Callable[..., Response]], Callable[..., Complaint]]:
    """Make the service of a response from ``describe(sent_at, **inputs) -> Response``. The
    service takes what every lifecycle service takes (``lifecycle_action``) plus ``sent_at``
    (default ``now``), ``method`` and ``letter_id`` (an approved draft; without it the firm's
    current template), ``preview_digest`` (the page's confirmation: the letters must be the
    ones it showed, ``letters.lifecycle.digest``; the API sends none) and the inputs
    ``describe`` names.

    Inside the lock and transaction it issues the letter (and its companion), runs the
    transition with the issued letter, records each letter as a communication and marks it
    sent (DISP 1.5.4R, 1.6, 1.7, 1.8): a letter lacking content DISP requires raises and the
    whole action rolls back."""
    kind = guards.ACTIONS[action].communication
    assert kind is not None, f"{action} sends no letter"

    def make(describe: Callable[..., Response]) -> Callable[..., Complaint]:
        def step(
            actor: Actor,
            now: datetime,
            *,
            sent_at: datetime | None = None,
            method: str | None = None,
            letter_id: int | None = None,
            preview_digest: str | None = None,
            **inputs: Any,
        ) -> Step:
            sent = sent_at or now
            response = describe(sent, **inputs)

            def issue(c: Complaint, letter_id: int | None, letter_type: str | None = None) -> Any:
                return lifecycle.issue(
                    complaint=c,
                    action=action,
                    letter_id=letter_id,
                    actor=actor,
                    now=now,
                    sent_at=sent,
                    method=method,
                    inputs=LetterInputs(**response.letter),
                    letter_type=letter_type,
                )

            def apply(c: Complaint) -> None:
                issued = issue(c, letter_id)
                companion = response.companion
                extra = issue(c, companion.letter_id, companion.letter_type) if companion else None
                if preview_digest is not None:
                    require_as_shown(preview_digest, [issued, *([extra] if extra else [])])
                recorded = response.transition(c, issued)
                comm = _record_communication(
                    c,
                    kind=kind,
                    method=issued.method,
                    sent_at=sent,
                    actor=actor,
                    recorded=recorded,
                    summary=response.summary,
                )
                issued.mark_sent(comm)
                if response.then:
                    response.then(c, comm, actor)
                if companion and extra:
                    comm = _record_communication(
                        c,
                        kind=companion.communication,
                        method=extra.method,
                        sent_at=sent,
                        actor=actor,
                        recorded=Recorded(),
                        summary=companion.summary,
                    )
                    extra.mark_sent(comm)

            return Step(apply, at=response.at or sent, outcome=response.outcome)

        step.__name__ = describe.__name__
        step.__doc__ = describe.__doc__
        service = lifecycle_action(action)(step)
        RESPONSES[action] = service
        DESCRIBE[action] = describe
        return service

    return make


def require_as_shown(shown: str, issued: list[Any]) -> None:
    """The letters about to go are the ones the confirmation page showed (their digest), or the
    action is refused and nothing is sent: the handler sees the letter as it is now first."""
    if shown != lifecycle.digest(issued):
        raise ConflictError(
            ErrorCode.LETTER_CHANGED,
            "The letter changed after you reviewed it (the complaint, its recipient, the "
            "template or the date moved on), so it was not sent. Review the letter as it is "
            "now and confirm again.",
        )


def _decision_letter(
    outcome: str, consents_to_waive: bool, summary: str, redress_summary: str
) -> dict[str, Any]:
    """The letter of a response that records a decision (an SRC or a final response)."""
    return {
        "outcome": outcome,
        "consents_to_waive": consents_to_waive,
        "reasons": summary,
        "redress_summary": redress_summary,
    }


def require_decision(outcome: str) -> None:
    """DISP 1.6.2R(1): a decision response records one of the decisions."""
    if outcome not in Outcome.decisions():
        raise ValidationFailed(
            ErrorCode.OUTCOME_REQUIRED,
            "A response needs an outcome: upheld, partially upheld, not upheld, or a goodwill "
            "payment without a decision.",
            fields={"outcome": [f"Choose one of {', '.join(Outcome.decisions())}."]},
            rule="DISP 1.6.2R(1)",
        )


@_response("acknowledge")
def complaint_acknowledge(sent: datetime) -> Response:
    """DISP 1.6.1R(1): prompt written acknowledgement with the response timetable and the
    complaints procedure summary (DISP 1.2.1R(3)), sent as a checked letter."""

    def transition(c: Complaint, issued: Any) -> Recorded:
        c.acknowledge(sent_at=sent)
        return Recorded()

    return Response(transition)


@_response("resolve_summary")
def complaint_resolve_summary(
    sent: datetime,
    *,
    outcome: str,
    accepted_at: datetime | None = None,
    consents_to_waive: bool = False,
    summary: str = "",
    redress_summary: str = "",
) -> Response:
    """DISP 1.5: resolved by close of business on the 3rd business day after receipt, with
    the complainant's acceptance (DISP 1.5.2AR) and an SRC sent (DISP 1.5.4R). The SRC starts
    the FOS six-month clock (DISP 2.8.2R(1)) only if the sent letter carried the six-month
    wording (DISP 2.8.3G)."""
    accepted = accepted_at or sent
    require_decision(outcome)

    def transition(c: Complaint, issued: Any) -> Recorded:
        c.resolve_summary(sent_at=sent, accepted_at=accepted, outcome=outcome, waiver=issued.waiver)
        # DISP 2.8.3G: the six-month limit runs only if the letter as sent told the complainant.
        c.six_month_wording_included = issued.six_month
        return Recorded(issued.fos_right, issued.six_month, issued.waiver)

    return Response(
        transition,
        _decision_letter(outcome, consents_to_waive, summary, redress_summary),
        summary,
        # Conservative reading: both the acceptance (DISP 1.5.2AR) and the SRC must fall by
        # close of business on the 3rd business day.
        at=max(accepted, sent),
        outcome=outcome,
    )


@_response("send_holding_response")
def complaint_send_holding_response(
    sent: datetime, *, reasons: str, expected_final_response_on: date | None = None
) -> Response:
    """DISP 1.6.2R(2): explains why no final response yet and when to expect one, and that the
    complainant may now refer to the FOS, so it is refused until the FOS may consider the
    complaint (DISP 2.8.1R(2), the guard). PSD/EMD: DISP 1.6.2AR(2), within 15 business days.
    Without a date from the handler the letter gives the PSD/EMD 35-business-day deadline, or
    the firm's policy date (``LETTERS_HOLDING_EXPECTED_DAYS`` after sending)."""
    require_text(
        reasons,
        "reasons",
        "A holding response must explain why a final response cannot be made yet.",
        code=ErrorCode.REASON_REQUIRED,
        rule="DISP 1.6.2R(2)(a)",
    )

    def transition(c: Complaint, issued: Any) -> Recorded:
        c.send_holding_response(sent_at=sent, expected_on=issued.letter.expected_final_response_on)
        return Recorded(fos_right=issued.fos_right)

    letter = {"reasons": reasons, "expected_final_response_on": expected_final_response_on}
    return Response(transition, letter, reasons)


@_response("send_progress_update")
def complaint_send_progress_update(
    sent: datetime, *, progress: str, expected_final_response_on: date | None = None
) -> Response:
    """DISP 1.6.1R(2): keep the complainant informed of the progress of the measures taken to
    resolve the complaint, at any time before the final response (before eight weeks, the only
    letter that may: the holding response waits for DISP 2.8.1R(2)). A checked letter with no
    referral wording, recorded as a communication; the complaint's state and deadlines stay."""
    require_text(
        progress,
        "progress",
        "A progress update must tell the complainant what has happened on their complaint.",
        code=ErrorCode.REASON_REQUIRED,
        rule="DISP 1.6.1R(2)",
    )

    def transition(c: Complaint, issued: Any) -> Recorded:
        c.send_progress_update()
        return Recorded()

    letter = {"reasons": progress, "expected_final_response_on": expected_final_response_on}
    return Response(transition, letter, progress)


@_response("send_final_response")
def complaint_send_final_response(
    sent: datetime,
    *,
    outcome: str,
    six_month_wording: bool = True,
    consents_to_waive: bool = False,
    summary: str = "",
    redress_summary: str = "",
) -> Response:
    """DISP 1.6.2R(1): a final response with an outcome. The FOS six-month window runs from the
    date it was sent only if it carried the six-month wording (DISP 2.8.3G): that is read from
    the sent letter's content check. ``six_month_wording`` is kept for older callers and can
    only withhold the window (record that the wording was not relied on), never grant it."""
    require_decision(outcome)

    def transition(c: Complaint, issued: Any) -> Recorded:
        six_month = issued.six_month and six_month_wording
        c.send_final_response(
            sent_at=sent, outcome=outcome, six_month_wording=six_month, waiver=issued.waiver
        )
        return Recorded(issued.fos_right, six_month, issued.waiver)

    return Response(
        transition,
        _decision_letter(outcome, consents_to_waive, summary, redress_summary),
        summary,
        outcome=outcome,
    )


@_response("reject_time_barred")
def complaint_reject_time_barred(sent: datetime, *, summary: str = "") -> Response:
    """DISP 1.8: reject a complaint received outside the DISP 2.8.2R(2) limits without
    considering the merits, in a final response saying the FOS may still consider it
    (DISP 1 Annex 3R variant (2))."""

    def transition(c: Complaint, issued: Any) -> Recorded:
        c.reject_time_barred(sent_at=sent, six_month_wording=issued.six_month)
        return Recorded(fos_right=issued.fos_right, six_month=issued.six_month)

    return Response(transition, {"reasons": summary}, summary)


def require_forward_details(*, to_firm: str, to_contact: str, reason: str, part: str) -> None:
    """DISP 1.7: a forward names the other firm, its contact details and the reason."""
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


@_response("forward")
def complaint_forward(
    sent: datetime,
    *,
    to_firm: str,
    to_contact: str,
    reason: str,
    part: str = ForwardPart.WHOLE,
    cover_letter_id: int | None = None,
) -> Response:
    """DISP 1.7: forward the complaint, or the relevant part of it, to the firm solely or jointly
    responsible, promptly and in writing, and tell the complainant why, with the other firm's
    contact details, in a final response (DISP 1.7.1R(2)). Two letters go in the same
    transaction: the notice to the complainant and the covering letter to the other firm
    (``cover_letter_id``, or generated from the firm's template).

    A whole forward ends the firm's handling: the notice is the complaint's final response and
    the six-month FOS limit runs from it. Forwarding part (``part="part"``; ``reason`` says which
    part and why) records the forward (``ForwardedPart``, with that part's six-month date) and
    leaves the rest open with its DISP 1.6 clock, answered by its own final response. A
    complaint may be forwarded in parts, then the rest as a whole; never after its final
    response (the state machine)."""
    require_forward_details(to_firm=to_firm, to_contact=to_contact, reason=reason, part=part)

    def transition(c: Complaint, issued: Any) -> Recorded:
        c.forward(
            sent_at=sent,
            to_firm=to_firm,
            contact=to_contact,
            part=part,
            reason=reason,
            six_month_wording=issued.six_month,
            waiver=issued.waiver,
        )
        # The notice is a final response (DISP 1.7.1R(2)): its record says what it carried.
        return Recorded(issued.fos_right, issued.six_month, issued.waiver)

    def record_part(c: Complaint, notice: Communication, actor: Actor) -> None:
        forwarded = ForwardedPart(
            complaint=c, notice=notice, to_firm=to_firm, to_contact=to_contact
        )
        _save_audited(forwarded, actor=actor, reason="complaint.forward_part", before=None)

    return Response(
        transition,
        {
            "reasons": reason,
            "other_firm_name": to_firm,
            "other_firm_contact": to_contact,
            "forward_part": part,
        },
        reason,
        companion=Companion(
            letter_id=cover_letter_id,
            letter_type=LetterType.FORWARDING_COVER,
            communication=CommunicationKind.FORWARDING_COVER,
            summary=f"To {to_firm}",
        ),
        then=record_part if part == ForwardPart.PART else None,
    )
