"""DISP guards: the one place that says whether an action is allowed now, and why not.

Services call ``check(action, ...)`` before a transition and raise the refusal; the UI and the
API call ``available_actions`` to show each action enabled, or disabled with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django_fsm import can_proceed
from django_fsm.signals import pre_transition

from common.dates import london_date, uk_close_of_business, uk_date
from common.errors import ConflictError, TransitionRefused

from .choices import Outcome, Regime, Status
from .errors import ErrorCode
from .models import Complaint


@dataclass(frozen=True)
class Refusal:
    code: ErrorCode
    message: str
    rule: str | None = None
    state_conflict: bool = False

    def error(self, complaint: Complaint) -> Exception:
        extra = {"status": complaint.status, "version": complaint.version}
        cls = ConflictError if self.state_conflict else TransitionRefused
        return cls(self.code, self.message, rule=self.rule, extra=extra)


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    transition: str | None
    irreversible: bool
    guard: Callable[[Complaint, datetime], Refusal | None]


def _not_a_complaint(c: Complaint) -> Refusal | None:
    if not c.is_complaint:
        return Refusal(
            ErrorCode.NOT_A_COMPLAINT,
            "This is recorded as feedback or a query, not a complaint under the Glossary "
            "definition: no DISP response applies. Close it instead.",
            "Glossary: complaint",
        )
    return None


def _resolve_summary(c: Complaint, at: datetime) -> Refusal | None:
    if refusal := _not_a_complaint(c):
        return refusal
    if at > c.src_deadline_at:
        return Refusal(
            ErrorCode.SRC_DEADLINE_PASSED,
            f"SRC deadline passed on {uk_close_of_business(c.src_deadline)}: DISP 1.5 applies "
            "only to complaints resolved by close of business on the 3rd business day after "
            "receipt. Send a final response instead.",
            "DISP 1.5.1R",
        )
    return None


def _holding(c: Complaint, at: datetime) -> Refusal | None:
    if refusal := _not_a_complaint(c):
        return refusal
    if c.regime == Regime.PSD_EMD and london_date(at) > c.final_response_due:
        return Refusal(
            ErrorCode.HOLDING_TOO_LATE,
            f"A PSD/EMD holding response had to be sent within 15 business days (by "
            f"{uk_date(c.final_response_due)}). Send the final response now.",
            "DISP 1.6.2AR(2)",
        )
    return None


def _final(c: Complaint, at: datetime) -> Refusal | None:
    return _not_a_complaint(c)


def _time_barred(c: Complaint, at: datetime) -> Refusal | None:
    if refusal := _not_a_complaint(c):
        return refusal
    if c.time_bar_date is None or c.receipt_date <= c.time_bar_date:
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


def _always(c: Complaint, at: datetime) -> Refusal | None:
    return None


ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        ActionSpec("acknowledge", "Acknowledge", "acknowledge", False, _always),
        ActionSpec(
            "start_investigation", "Start investigation", "start_investigation", False, _always
        ),
        ActionSpec("resolve_summary", "Resolve by SRC", "resolve_summary", True, _resolve_summary),
        ActionSpec(
            "send_holding_response",
            "Send holding response",
            "send_holding_response",
            True,
            _holding,
        ),
        ActionSpec(
            "send_final_response", "Send final response", "send_final_response", True, _final
        ),
        ActionSpec(
            "reject_time_barred", "Reject as time-barred", "reject_time_barred", True, _time_barred
        ),
        ActionSpec("forward", "Forward to another firm", "forward", True, _always),
        ActionSpec("withdraw", "Record withdrawal", "withdraw", True, _always),
        ActionSpec("close", "Close", "close", False, _close),
        ActionSpec("reopen", "Reopen", "reopen", False, _always),
    )
}


def state_refusal(complaint: Complaint, action: str) -> Refusal | None:
    spec = ACTIONS[action]
    if spec.transition and not can_proceed(getattr(complaint, spec.transition)):
        return Refusal(
            ErrorCode.INVALID_STATE,
            f"{spec.label} is not possible: the complaint is now "
            f"{complaint.get_status_display().lower()}.",
            state_conflict=True,
        )
    return None


# --- rules contributed by other capabilities ------------------------------------------------
# Capabilities that own data a DISP rule depends on (the redress ledger) add their rules here in
# AppConfig.ready(), so the services, the UI and the API keep asking this one module.

ActionRule = Callable[[Complaint, datetime], Refusal | None]
OutcomeRule = Callable[[Complaint, str, datetime], Refusal | None]
_ACTION_RULES: dict[str, list[ActionRule]] = {}
_OUTCOME_RULES: list[OutcomeRule] = []


def register_action_rule(action: str, rule: ActionRule) -> None:
    """An extra guard on ``action`` (e.g. no closing while accepted redress is unpaid)."""
    rules = _ACTION_RULES.setdefault(action, [])
    if rule not in rules:
        rules.append(rule)


def register_outcome_rule(rule: OutcomeRule) -> None:
    """A rule on the outcome a final response or SRC records (DISP 1.4.1R(3))."""
    if rule not in _OUTCOME_RULES:
        _OUTCOME_RULES.append(rule)


def _extra_refusal(complaint: Complaint, action: str, at: datetime) -> Refusal | None:
    for rule in _ACTION_RULES.get(action, ()):
        if refusal := rule(complaint, at):
            return refusal
    return None


def outcome_refusal(complaint: Complaint, outcome: str, at: datetime) -> Refusal | None:
    """Why a response recording ``outcome`` may not be sent now (None when it may). Response
    forms call this to explain a refusal before the handler submits."""
    for rule in _OUTCOME_RULES:
        if refusal := rule(complaint, outcome, at):
            return refusal
    return None


def check_outcome(complaint: Complaint, outcome: str, at: datetime) -> None:
    if refusal := outcome_refusal(complaint, outcome, at):
        raise refusal.error(complaint)


# Transitions that record a decision, and the argument carrying it.
_OUTCOME_TRANSITIONS = {"resolve_summary", "send_final_response"}


def _check_outcome_on_transition(sender, instance, name, method_kwargs, **kwargs) -> None:
    # The outcome is an argument of the transition, not known when ``check`` runs, so it is
    # checked here: inside the service's transaction, after the row lock and before the state
    # changes or any communication is stored. A refusal rolls the whole use case back.
    if name in _OUTCOME_TRANSITIONS and "outcome" in method_kwargs:
        check_outcome(instance, method_kwargs["outcome"], method_kwargs["sent_at"])


pre_transition.connect(
    _check_outcome_on_transition, sender=Complaint, dispatch_uid="complaints.guards.outcome"
)


def refusal_for(complaint: Complaint, action: str, at: datetime) -> Refusal | None:
    """Why ``action`` may not happen at ``at`` (None when it may)."""
    return (
        state_refusal(complaint, action)
        or ACTIONS[action].guard(complaint, at)
        or _extra_refusal(complaint, action, at)
    )


def check(complaint: Complaint, action: str, at: datetime) -> None:
    if refusal := refusal_for(complaint, action, at):
        raise refusal.error(complaint)


@dataclass(frozen=True)
class Availability:
    name: str
    label: str
    allowed: bool
    reason: str
    rule: str | None
    irreversible: bool


def available_actions(complaint: Complaint, now: datetime) -> list[Availability]:
    """Every action the state machine has a path for from the current state, allowed or not.

    Actions with no transition from here are left out; actions the state allows but a DISP rule
    refuses are included, disabled, with the reason.
    """
    result = []
    for spec in ACTIONS.values():
        if state_refusal(complaint, spec.name):
            continue
        refusal = spec.guard(complaint, now) or _extra_refusal(complaint, spec.name, now)
        result.append(
            Availability(
                spec.name,
                spec.label,
                refusal is None,
                refusal.message if refusal else "",
                refusal.rule if refusal else None,
                spec.irreversible,
            )
        )
    return result


OUTCOME_CHOICES_FOR_DECISION = Outcome.decisions()
