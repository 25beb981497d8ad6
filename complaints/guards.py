"""DISP guards: the one place that says whether an action is allowed now, and why not.

Services call ``check(action, ...)`` before a transition and raise the refusal; the UI and the
API call ``available_actions`` to show each action enabled, or disabled with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django_fsm import can_proceed

from common.dates import london_date, uk_close_of_business, uk_date, uk_datetime
from common.errors import Refusal

from .access import Perm
from .choices import Activity, CommunicationKind, Outcome, Regime, Status
from .errors import ErrorCode
from .models import Complaint
from .redress_rules import close_reason, outcome_refusal

Guard = Callable[[Complaint, datetime], Refusal | None]
# What the inputs an action is given must say now; a refusal naming ``fields`` is lifted by
# giving them, so the action is still offered (``Availability.needs`` says what to give).
InputGuard = Callable[[Complaint, datetime, Mapping[str, Any]], Refusal | None]


def _always(c: Complaint, at: datetime) -> Refusal | None:
    return None


@dataclass(frozen=True, kw_only=True)
class ActionSpec:
    """One lifecycle action: the rule that allows it, who may take it, what it records and how
    the page and the API present it. The one table of actions (``ACTIONS``); the pages and the
    API add only their form, serializer and service (``complaints.actions``). The action is the
    complaint's state transition of the same name."""

    name: str
    label: str
    api_path: str
    api_description: str
    guard: Guard = _always
    input_guard: InputGuard | None = None  # checks the inputs given, on submit
    api_example: dict[str, Any] = field(default_factory=dict)
    api_summary: str = ""  # when the API's summary is not the label
    perm: Perm = Perm.HANDLE_COMPLAINTS
    confirm: str = ""  # the confirmation button: an action with one is irreversible
    communication: str | None = None  # what the letter it sends is recorded as
    recompute: bool = False  # whether it changes the DISP clock's inputs
    reason: str = ""  # the history entry's change reason, when not "complaint.<name>"

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", self.reason or f"complaint.{self.name}")

    @property
    def summary(self) -> str:
        return self.api_summary or self.label

    @property
    def irreversible(self) -> bool:
        return bool(self.confirm)


def _not_a_complaint(c: Complaint) -> Refusal | None:
    if not c.is_complaint:
        return Refusal(
            ErrorCode.NOT_A_COMPLAINT,
            "This is recorded as feedback or a query, not a complaint under the Glossary "
            "definition: no DISP response applies. Close it instead.",
            "Glossary: complaint",
        )
    return None


def _disp_response(guard: Guard) -> Guard:
    """A DISP response's guard: feedback or a query is refused first, then ``guard`` applies."""

    def checked(c: Complaint, at: datetime) -> Refusal | None:
        return _not_a_complaint(c) or guard(c, at)

    return checked


@_disp_response
def _resolve_summary(c: Complaint, at: datetime) -> Refusal | None:
    if at > c.src_deadline_at:
        return Refusal(
            ErrorCode.SRC_DEADLINE_PASSED,
            f"SRC deadline passed on {uk_close_of_business(c.src_deadline)}: DISP 1.5 applies "
            "only to complaints resolved by close of business on the 3rd business day after "
            "receipt. Send a final response instead.",
            "DISP 1.5.1R",
        )
    return None


def event_date_not_stated(c: Complaint) -> Refusal | None:
    """CP26/4 para 3.24: whether the Ombudsman may consider a complaint about a cryptoasset
    activity depends on when the act or omission happened, and a final or holding response says
    so. The handler gives the date or records that it is unknown (the firm's setting then
    chooses the wording) before one is drafted or sent."""
    if c.activity in Activity.crypto() and not c.event_date_stated:
        return Refusal(
            ErrorCode.EVENT_DATE_NOT_STATED,
            "Record the date of the act or omission complained of, or that it is unknown, "
            "before a final or holding response: whether the Financial Ombudsman Service can "
            "consider the complaint depends on it (events before the regime's commencement are "
            "outside its jurisdiction).",
            "CP26/4 para 3.24",
            fields={"event_date": ["Give the event date, or record that it is unknown."]},
        )
    return None


@_disp_response
def _final(c: Complaint, at: datetime) -> Refusal | None:
    return event_date_not_stated(c)


@_disp_response
def _holding(c: Complaint, at: datetime) -> Refusal | None:
    if refusal := event_date_not_stated(c):
        return refusal
    if c.regime == Regime.PSD_EMD:
        # DISP 1.6.2AR(2)(a): the PSD/EMD holding response is sent within 15 business days and
        # gives the reasons and the 35-business-day date; it carries no "may now refer" wording,
        # so it is never too early.
        if london_date(at) > c.final_response_due:
            return Refusal(
                ErrorCode.HOLDING_TOO_LATE,
                f"A PSD/EMD holding response had to be sent within 15 business days (by "
                f"{uk_date(c.final_response_due)}). Send the final response now.",
                "DISP 1.6.2AR(2)",
            )
        return None
    # DISP 1.6.2R(2)(b): the 8-week holding response tells the complainant they "may now refer"
    # the complaint, true only once "eight weeks have elapsed since the respondent received the
    # complaint" (DISP 2.8.1R(2)). Read to the minute (disp-rules.md A5, intraday reading): from
    # the moment of arrival + 8 weeks, so the response can be both true and on time, on day 56.
    fos_open_at = c.eight_weeks_elapse_at
    if at < fos_open_at:
        return Refusal(
            ErrorCode.HOLDING_TOO_EARLY,
            "A holding response tells the complainant they may now refer their complaint to the "
            "Financial Ombudsman Service, and the Ombudsman can consider it only once eight "
            f"weeks have passed since it arrived, from {uk_datetime(fos_open_at)}. Until then, "
            "send a progress update to keep the complainant informed.",
            "DISP 1.6.2R(2)(b); DISP 2.8.1R(2)",
        )
    return None


# A final response or a progress update: any complaint (not feedback or a query) may have one.
_complaint_letter = _disp_response(_always)


@_disp_response
def _time_barred(c: Complaint, at: datetime) -> Refusal | None:
    if not c.received_out_of_time:
        limit = f" (limit {uk_date(c.time_bar_date)})" if c.time_bar_date else ""
        return Refusal(
            ErrorCode.NOT_TIME_BARRED,
            "The complaint was received within six years of the event or three years of "
            f"awareness{limit}, so it cannot be rejected as time-barred.",
            "DISP 1.8 / DISP 2.8.2R(2)",
        )
    if c.consents_to_waive_time_limits:
        return Refusal(
            ErrorCode.WAIVER_GIVEN,
            "The firm has consented to waive the time limits, and consent cannot be withdrawn.",
            "DISP 2.8.2AR",
        )
    return None


def _close(c: Complaint, at: datetime) -> Refusal | None:
    if c.is_complaint and c.status in Status.open_states():
        return Refusal(
            ErrorCode.DISP_RESPONSE_OWED,
            "A complaint can be closed only after its SRC or final response is sent, or after it "
            "is forwarded or withdrawn.",
            "DISP 1.6.2R",
        )
    return None


ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        ActionSpec(
            name="acknowledge",
            label="Acknowledge",
            communication=CommunicationKind.ACKNOWLEDGEMENT,
            api_path="acknowledge",
            api_description="DISP 1.6.1R(1): record the prompt written acknowledgement.",
            api_example={"sent_at": "2026-04-03T09:30:00+01:00", "method": "email"},
        ),
        ActionSpec(
            name="start_investigation",
            label="Start investigation",
            api_path="start-investigation",
            api_description="DISP 1.4.1R(1): acknowledged → investigating (needed before a "
            "holding response).",
            api_example={"expected_version": 2},
        ),
        ActionSpec(
            name="record_event_date",
            label="Record the event date",
            recompute=True,
            api_path="event-date",
            api_description="CP26/4 para 3.24: the date of the act or omission complained of, "
            "or event_date_unknown true. Whether the Financial Ombudsman Service can consider a "
            "complaint about a cryptoasset activity depends on it (acts before the regime's "
            "commencement are outside its jurisdiction), so a final or holding response is "
            "refused with event_date_not_stated until one is given; when unknown, the firm's "
            "unknown_event_date_wording chooses what the letters say. The DISP 2.8.2R(2) time "
            "bar is recomputed.",
            api_example={"event_date": "2027-11-02", "expected_version": 3},
        ),
        ActionSpec(
            name="resolve_summary",
            label="Resolve by SRC",
            guard=_resolve_summary,
            confirm="Yes, record the SRC as sent",
            communication=CommunicationKind.SUMMARY_RESOLUTION,
            recompute=True,
            api_path="resolve-summary",
            api_summary="Resolve by summary resolution communication",
            api_description="DISP 1.5: resolved by close of business on the 3rd business day "
            "after receipt, with the complainant's acceptance; refused with src_deadline_passed "
            "after that.",
            api_example={
                "outcome": "upheld",
                "sent_at": "2026-04-06T15:00:00+01:00",
                "method": "email",
            },
        ),
        ActionSpec(
            name="send_holding_response",
            label="Send holding response",
            guard=_holding,
            confirm="Yes, record the holding response as sent",
            communication=CommunicationKind.HOLDING_RESPONSE,
            recompute=True,
            api_path="holding-response",
            api_description="DISP 1.6.2R(2) / 1.6.2AR(2): why there is no final response yet "
            "and when to expect it. The 8-week one is refused with holding_response_too_early "
            "until eight weeks after the complaint arrived (DISP 2.8.1R(2)).",
            api_example={
                "reasons": "We are waiting for the custodian's transaction report.",
                "expected_final_response_on": "2026-06-19",
            },
            reason="complaint.holding_response",
        ),
        ActionSpec(
            name="send_progress_update",
            label="Send progress update",
            guard=_complaint_letter,
            communication=CommunicationKind.PROGRESS_UPDATE,
            api_path="progress-update",
            api_description="DISP 1.6.1R(2): keep the complainant informed of progress before "
            "the final response. The letter carries no referral wording and the complaint's "
            "state and deadlines do not change.",
            api_example={
                "progress": "We have asked the custodian for its transaction report and expect "
                "it next week.",
                "expected_final_response_on": "2026-06-05",
            },
            reason="complaint.progress_update",
        ),
        ActionSpec(
            name="send_final_response",
            label="Send final response",
            guard=_final,
            confirm="Yes, record the final response as sent",
            communication=CommunicationKind.FINAL_RESPONSE,
            recompute=True,
            api_path="final-response",
            api_description="DISP 1.6.2R(1): the final response with its outcome. The FOS "
            "six-month window runs only if it carried the six-month wording (DISP 2.8.3G).",
            api_example={
                "outcome": "partially_upheld",
                "six_month_wording": True,
                "expected_version": 4,
            },
            reason="complaint.final_response",
        ),
        ActionSpec(
            name="reject_time_barred",
            label="Reject as time-barred",
            guard=_time_barred,
            confirm="Yes, reject as time-barred",
            communication=CommunicationKind.TIME_BARRED_REJECTION,
            recompute=True,
            api_path="reject-time-barred",
            api_description="DISP 1.8: reject a complaint outside the DISP 2.8.2R(2) limits "
            "without considering the merits; refused with not_time_barred when the limits are "
            "met.",
            api_example={"summary": "Received more than six years after the event."},
        ),
        ActionSpec(
            name="forward",
            label="Forward to another firm",
            confirm="Yes, forward it",
            communication=CommunicationKind.FORWARDING_NOTICE,
            recompute=True,
            api_path="forward",
            api_description="DISP 1.7: forward the complaint, or the relevant part of it, "
            "promptly, in writing, to the firm responsible, telling the complainant why in a "
            "final response (DISP 1.7.1R(2)). `part: whole` ends the firm's handling (status "
            "forwarded; the notice's date is the final response date the six-month FOS limit "
            "runs from). `part: part` keeps the rest open in its state with its DISP 1.6 clock, "
            "answered by its own final response; the forward is listed in `forwarded_parts`. "
            "Refused (invalid_state) after the final response or a whole forward.",
            api_example={
                "to_firm": "Example Custody Ltd",
                "to_contact": "complaints@custody.example",
                "reason": "The custodian holds the assets and made the decision complained of.",
                "part": "whole",
            },
        ),
        ActionSpec(
            name="withdraw",
            label="Record withdrawal",
            confirm="Yes, record the withdrawal",
            api_path="withdraw",
            api_description="The complainant withdrew; still counted as received in returns.",
            api_example={"reason": "Complainant confirmed by phone that the issue is resolved."},
        ),
        ActionSpec(
            name="close",
            label="Close",
            guard=_close,
            input_guard=close_reason,
            api_path="close",
            api_description="After the SRC or final response (or a forward or withdrawal); "
            "refused with disp_response_owed while a DISP response is still owed. DISP "
            "1.4.1R(5): while accepted redress is unpaid (accepted_redress_unpaid) or an offer "
            "still waits for the complainant's answer (redress_offer_open), a `reason` is "
            "required and recorded as a note.",
            api_example={"expected_version": 5},
        ),
        ActionSpec(
            name="reopen",
            label="Reopen",
            perm=Perm.REOPEN_COMPLAINTS,
            api_path="reopen",
            api_description="Back to investigation, with the reason recorded; needs "
            "reopen_complaints (supervisors).",
            api_example={"reason": "The complainant sent new evidence."},
        ),
    )
}


def state_allows(complaint: Complaint, action: str) -> bool:
    """Whether the state machine has a path for ``action`` from the complaint's state."""
    return can_proceed(getattr(complaint, action))


def state_refusal(complaint: Complaint, action: str) -> Refusal | None:
    spec = ACTIONS[action]
    if not state_allows(complaint, spec.name):
        return Refusal(
            ErrorCode.INVALID_STATE,
            f"{spec.label} is not possible: the complaint is now "
            f"{complaint.get_status_display().lower()}.",
            state_conflict=True,
        )
    return None


def refusal_for(
    complaint: Complaint,
    action: str,
    at: datetime,
    *,
    outcome: str | None = None,
    inputs: Mapping[str, Any] | None = None,
) -> Refusal | None:
    """Why ``action`` may not happen at ``at`` with ``inputs`` (None when it may); with
    ``outcome``, also why a response recording that outcome may not be sent."""
    spec = ACTIONS[action]
    return (
        state_refusal(complaint, action)
        or spec.guard(complaint, at)
        or (spec.input_guard(complaint, at, inputs or {}) if spec.input_guard else None)
        or (outcome_refusal(complaint, outcome, at) if outcome else None)
    )


def check(
    complaint: Complaint,
    action: str,
    at: datetime,
    *,
    outcome: str | None = None,
    inputs: Mapping[str, Any] | None = None,
) -> None:
    if refusal := refusal_for(complaint, action, at, outcome=outcome, inputs=inputs):
        raise refusal.error(status=complaint.status, version=complaint.version)


@dataclass(frozen=True)
class Availability:
    name: str
    label: str
    allowed: bool
    reason: str
    rule: str | None
    irreversible: bool
    needs: str = ""  # what the handler must give for it to go ahead (an input guard's refusal)


def available_actions(complaint: Complaint, now: datetime) -> list[Availability]:
    """Every action the state machine has a path for from the current state, allowed or not.

    Actions with no transition from here are left out; actions the state allows but a DISP rule
    refuses are included, disabled, with the reason. An action whose inputs must lift a rule
    (a reason to give) is allowed, with what it ``needs``.
    """
    result = []
    for spec in ACTIONS.values():
        if not state_allows(complaint, spec.name):  # no refusal's words built only to be dropped
            continue
        refusal = spec.guard(complaint, now)
        asked = None
        if refusal is None and spec.input_guard is not None:
            asked = spec.input_guard(complaint, now, {})
            if asked is not None and not asked.fields:
                refusal, asked = asked, None  # no input can lift it
        shown = refusal or asked
        result.append(
            Availability(
                spec.name,
                spec.label,
                refusal is None,
                refusal.message if refusal else "",
                shown.rule if shown else None,
                spec.irreversible,
                needs=asked.message if asked else "",
            )
        )
    return result


OUTCOME_CHOICES_FOR_DECISION = Outcome.decisions()
