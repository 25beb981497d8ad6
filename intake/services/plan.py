"""A register row replayed in memory through the lifecycle's own rules: no query per row.

Each row becomes an unsaved complaint built as ``complaint_register`` builds one
(``complaint_build``: the Glossary test and the DISP clock), then taken through each action at
its historical date by the same checks the lifecycle services run, in their order:
``require_given_dates``, the action's own inputs (``require_decision``,
``require_forward_details``), the state machine and the action's DISP guard
(``guards.state_refusal``, ``ActionSpec.guard``), the DISP 1.4.1R(3) redress decision against
an empty ledger (``decision_refusal``: an imported complaint has no ledger yet), the transition
itself, and the DISP clock recomputed where the action moves it (``apply_deadlines``). A refusal
is an error on the column whose step it refused, as the row-by-row replay reported it.

What is planned is what ``store`` writes: the complainant, the complaint as it ends, a history
snapshot after each step (with the step's change reason) and a communication for each letter.
Imported letters are records of what was sent, not new letters: nothing is rendered, checked
for content, approved or e-mailed, and each communication says it was imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError

from common.bulk import columns
from common.errors import DomainError, Refusal
from common.fields import clean_values
from complaints import guards
from complaints.choices import CommunicationKind, ForwardPart, Outcome, Regime, Status
from complaints.deadlines import apply_deadlines
from complaints.disp.calendar import BusinessCalendar
from complaints.models import Complainant, Complaint, Firm
from complaints.redress_rules import decision_refusal, redress_decision_enforced
from complaints.services import ComplainantData
from complaints.services._base import require_given_dates
from complaints.services.intake import complainant_build, complaint_build, validate_intake
from complaints.services.responses import require_decision, require_forward_details
from letters.lifecycle import default_expected_date
from letters.rendering import fos_available_for

from ..columns import DRIVERS, ParsedRow
from .checks import cross_checks

if TYPE_CHECKING:
    from django.contrib.auth.models import User

IMPORT_REASON = "imported"
_COMPLAINANT_FIELDS = {"name", "email", "client_reference", "complainant_type"}
IMPORTED_RESPONSE = (
    "This response was recorded from the firm's complaints register on import; the letter as "
    "originally sent, with the full reasons, is held in the firm's previous system."
)
IMPORTED_LETTER = "Imported from the firm's complaints register: a record of the letter sent then."


@dataclass
class RowResult:
    row: int
    firm_reference: str
    outcome: str  # ok (preview) | created | duplicate | error
    errors: dict[str, list[str]] = field(default_factory=dict)
    complaint_id: int | None = None
    reference: str = ""
    status: str = ""

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


# The complaint's columns but its id, in table order: what a snapshot holds. Read from the
# instance's dict: Django keeps each concrete field's value there under its attname (what its
# DeferredAttribute answers), and a complaint built here holds every one; through the
# attributes, the state machine's and the foreign keys' descriptors ran on every snapshot.
COMPLAINT_COLUMNS = tuple(columns(Complaint, skip=("id",)))
_values_of = itemgetter(*COMPLAINT_COLUMNS)


@dataclass
class Planned:
    """A good row, ready to write: ``snapshots`` are (change reason, the complaint's values in
    ``COMPLAINT_COLUMNS`` order) after each step."""

    row: ParsedRow
    complainant: Complainant
    complaint: Complaint
    snapshots: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    # (kind, sent_at, FOS referral right, six-month wording, summary) of each letter recorded
    communications: list[tuple[str, datetime, bool, bool, str]] = field(default_factory=list)


class Context:
    """What every row of one import shares, read once: the firm (with its activities), the
    actor, its calendar and whether DISP 1.4.1R(3) is enforced."""

    def __init__(
        self, firm: Firm, actor: User | None, calendar: BusinessCalendar, keep: bool
    ) -> None:
        self.firm, self.actor, self.calendar, self.keep = firm, actor, calendar, keep
        self.enforce_redress = redress_decision_enforced()


def _summary(values: dict[str, Any]) -> str:
    """The reasons the imported response gave (DISP 1.4.1R(4)), or that they are held
    elsewhere."""
    return (values.get("response_summary") or "").strip() or IMPORTED_RESPONSE


# An action's effect on the in-memory complaint: its transition, then the letters it recorded
# as (kind, fos referral right, six-month wording, summary).
Effect = Callable[[Complaint], list[tuple[str, bool, bool, str]]]


@dataclass(slots=True)
class Step:
    column: str
    action: str
    at: datetime  # the service's ``now``: when it happened
    effect: Effect
    given: dict[str, datetime] = field(default_factory=dict)  # require_given_dates' inputs
    outcome: str | None = None
    check: Callable[[], None] | None = None  # the service's own input checks


def _fos_and_six_month(values: dict[str, Any], c: Complaint) -> tuple[bool, bool]:
    """Whether a response to ``c`` could offer the FOS, and whether it carried the six-month
    wording: DISP 2.8.3G, the register says (default yes), but a letter that could not offer
    the FOS (CP26/4 para 3.29) did not. The FOS is asked once a letter: its decision
    (``Complaint.fos_access``) reads the activity, the firm and the event date, which no
    response changes."""
    fos = fos_available_for(c)
    wording = values.get("six_month_wording")
    return fos, (True if wording is None else bool(wording)) and fos


def _steps(values: dict[str, Any]) -> list[Step]:
    """The row's actions in historical order, as the lifecycle services would take them."""
    steps: list[Step] = []
    status = values["status"]
    ack, holding = values.get("acknowledged_at"), values.get("holding_response_sent_at")
    if ack:

        def acknowledge(c: Complaint) -> list[tuple[str, bool, bool, str]]:
            c.acknowledge(sent_at=ack)
            return [(CommunicationKind.ACKNOWLEDGEMENT, False, False, "")]

        steps.append(Step("acknowledged_at", "acknowledge", ack, acknowledge, {"sent_at": ack}))
        if status in (Status.INVESTIGATING, Status.HOLDING_RESPONSE_SENT) or holding:
            steps.append(Step("acknowledged_at", "start_investigation", ack, _start_investigation))
    if holding:
        reasons = "Holding response recorded as sent in the imported register."

        def hold(c: Complaint) -> list[tuple[str, bool, bool, str]]:
            c.send_holding_response(sent_at=holding, expected_on=default_expected_date(c, holding))
            # The 8-week letter says the FOS may now consider it; the PSD/EMD one does not.
            fos = c.regime == Regime.STANDARD and fos_available_for(c)
            return [(CommunicationKind.HOLDING_RESPONSE, fos, False, reasons)]

        steps.append(
            Step(
                "holding_response_sent_at",
                "send_holding_response",
                holding,
                hold,
                {"sent_at": holding},
            )
        )
    outcome: str = values.get("outcome") or ""
    if at := values.get("src_sent_at"):
        src_at = at

        def resolve(c: Complaint) -> list[tuple[str, bool, bool, str]]:
            c.resolve_summary(sent_at=src_at, accepted_at=src_at, outcome=outcome, waiver=False)
            fos = fos_available_for(c)
            c.six_month_wording_included = fos
            return [(CommunicationKind.SUMMARY_RESOLUTION, fos, fos, _summary(values))]

        steps.append(
            Step(
                "src_sent_at",
                "resolve_summary",
                at,
                resolve,
                {"sent_at": at},
                outcome,
                lambda: require_decision(outcome),
            )
        )
    if at := values.get("final_response_sent_at"):
        final_at = at
        if outcome == Outcome.TIME_BARRED:

            def reject(c: Complaint) -> list[tuple[str, bool, bool, str]]:
                fos, six = _fos_and_six_month(values, c)
                c.reject_time_barred(sent_at=final_at, six_month_wording=six)
                kind = CommunicationKind.TIME_BARRED_REJECTION
                return [(kind, fos, six, _summary(values))]

            steps.append(
                Step("final_response_sent_at", "reject_time_barred", at, reject, {"sent_at": at})
            )
        else:

            def final(c: Complaint) -> list[tuple[str, bool, bool, str]]:
                fos, six = _fos_and_six_month(values, c)
                c.send_final_response(
                    sent_at=final_at, outcome=outcome, six_month_wording=six, waiver=False
                )
                kind = CommunicationKind.FINAL_RESPONSE
                return [(kind, fos, six, _summary(values))]

            steps.append(
                Step(
                    "final_response_sent_at",
                    "send_final_response",
                    at,
                    final,
                    {"sent_at": at},
                    outcome,
                    lambda: require_decision(outcome),
                )
            )
    if at := values.get("forwarded_at"):
        steps.append(_forward_step(values, at))
    if at := values.get("withdrawn_at"):
        withdrawn = at

        def withdraw(c: Complaint) -> list[tuple[str, bool, bool, str]]:
            c.withdraw(at=withdrawn)
            return []

        steps.append(Step("withdrawn_at", "withdraw", at, withdraw, {"withdrawn_at": at}))
    if at := values.get("closed_at"):
        closed = at

        def close(c: Complaint) -> list[tuple[str, bool, bool, str]]:
            c.close(at=closed)
            return []

        steps.append(Step("closed_at", "close", at, close))
    return steps


def _start_investigation(c: Complaint) -> list[tuple[str, bool, bool, str]]:
    c.start_investigation()
    return []


def _forward_step(values: dict[str, Any], at: datetime) -> Step:
    to_firm = values.get("forwarded_to_firm") or ""
    to_contact = values.get("forwarded_to_contact") or ""
    reason = values.get("forward_reason") or ""

    def forward(c: Complaint) -> list[tuple[str, bool, bool, str]]:
        fos, six = _fos_and_six_month(values, c)
        c.forward(
            sent_at=at,
            to_firm=to_firm,
            contact=to_contact,
            part=ForwardPart.WHOLE,
            reason=reason,
            six_month_wording=six,
            waiver=False,
        )
        notice = (CommunicationKind.FORWARDING_NOTICE, fos, six, reason)
        return [notice, (CommunicationKind.FORWARDING_COVER, False, False, f"To {to_firm}")]

    def check() -> None:
        require_forward_details(
            to_firm=to_firm, to_contact=to_contact, reason=reason, part=ForwardPart.WHOLE
        )

    return Step("forwarded_at", "forward", at, forward, {"sent_at": at}, check=check)


def _refusal(ctx: Context, c: Complaint, step: Step) -> Refusal | None:
    """``guards.refusal_for`` for a complaint with no redress ledger yet (the close action's
    DISP 1.4.1R(5) input guard finds nothing outstanding on an empty ledger)."""
    spec = guards.ACTIONS[step.action]
    refusal = guards.state_refusal(c, step.action) or spec.guard(c, step.at)
    if refusal is None and step.outcome and ctx.enforce_redress:
        refusal = decision_refusal(step.outcome, met=False)
    return refusal


def _person(values: dict[str, Any]) -> ComplainantData:
    flags: dict[str, Any] = {DRIVERS[d]: True for d in values.get("complainant_vulnerable") or []}
    return ComplainantData(
        name=values["complainant_name"],
        email=values.get("complainant_email") or "",
        client_reference=values.get("complainant_client_reference") or "",
        complainant_type=values.get("complainant_type") or "consumer",
        vulnerability_consent=bool(values.get("complainant_vulnerability_consent")),
        **flags,
    )


def _build(ctx: Context, values: dict[str, Any]) -> tuple[Complainant, Complaint]:
    """``complaint_register``'s checks and build, without saving."""
    at = values["received_at"]
    event_date, awareness_date = values.get("event_date"), values.get("awareness_date")
    channel, activity = values["channel"], values["activity"]
    description, regime = values["description"], values.get("regime") or "standard"
    # CP26/4 para 3.24: a register row without the event date records it as unknown (the
    # firm's unknown_event_date_wording applies to letters), so its responses can replay.
    unknown = event_date is None
    validate_intake(
        now=at,
        received_at=at,
        channel=channel,
        received_via="direct",
        relationship="customer",
        activity=activity,
        regime=regime,
        event_date=event_date,
        awareness_date=awareness_date,
        description=description,
        is_complaint=True,
        event_date_unknown=unknown,
    )
    person = complainant_build(firm=ctx.firm, data=_person(values), now=at)
    complaint = complaint_build(
        firm=ctx.firm,
        complainant=person,
        actor=ctx.actor,
        now=at,
        calendar=ctx.calendar,
        external_reference=values["firm_reference"],
        received_at=at,
        channel=channel,
        activity=activity,
        description=description.strip(),
        alleged_financial_loss=bool(values.get("alleged_financial_loss")),
        alleged_material_distress=bool(values.get("alleged_material_distress")),
        alleged_material_inconvenience=bool(values.get("alleged_material_inconvenience")),
        regime=regime,
        event_date=event_date,
        event_date_unknown=unknown,
        awareness_date=awareness_date,
    )
    return person, complaint


def _snapshot(c: Complaint) -> tuple[Any, ...]:
    """The complaint's values as a save would write them, in ``COMPLAINT_COLUMNS`` order."""
    c.response_deadline = c.current_response_deadline()  # what Complaint.save keeps
    return _values_of(c.__dict__)  # type: ignore[no-any-return]


def _field_errors(exc: Exception, column: str | None) -> dict[str, list[str]]:
    """A refusal as column errors: a lifecycle refusal belongs to its step's column."""
    if isinstance(exc, DjangoValidationError):
        return {
            ("complainant_" + k if k in _COMPLAINANT_FIELDS else k): [str(m) for m in v]
            for k, v in exc.message_dict.items()
        }
    assert isinstance(exc, DomainError)
    message = exc.message + (f" ({exc.rule})" if exc.rule else "")
    if column is not None:
        return {column: [message]}
    out: dict[str, list[str]] = {}
    for key, messages in (exc.fields or {"row": [exc.message]}).items():
        name = "complainant_" + key if key in _COMPLAINANT_FIELDS else key
        if key == "complainant":
            name = "complainant_name"
        elif key == "vulnerability_consent":
            name = "complainant_vulnerability_consent"
        out.setdefault(name, []).extend(messages)
    return out


def _replay(ctx: Context, row: ParsedRow, plan: Planned) -> None:
    """Every step on the in-memory complaint; raises the first refusal (``_StepRefused`` names
    its column)."""
    c = plan.complaint
    for step in _steps(row.values):
        try:
            require_given_dates(c, step.at, step.given)
            if step.check:
                step.check()
            if refusal := _refusal(ctx, c, step):
                raise refusal.error(status=c.status, version=c.version)
        except DomainError as exc:
            raise _StepRefused(step.column, exc) from None
        letters = step.effect(c)
        if guards.ACTIONS[step.action].recompute:
            apply_deadlines(c, now=step.at, calendar=ctx.calendar)
        c.version += 1
        if not ctx.keep:
            continue
        plan.snapshots.append((guards.ACTIONS[step.action].reason, _snapshot(c)))
        for kind, fos_right, six_month, summary in letters:
            text = f"{IMPORTED_LETTER} {summary}".strip()
            plan.communications.append((kind, step.at, fos_right, six_month, text))


class _StepRefused(Exception):
    def __init__(self, column: str, error: DomainError) -> None:
        self.column, self.error = column, error


# The complaint's limited text columns the file fills, by the file's column: what a save would
# refuse (the database's own limit), reported on the row instead.
_LIMITED = {"external_reference": "firm_reference", "forwarded_to_firm": "forwarded_to_firm"}


def _too_long(c: Complaint) -> dict[str, list[str]]:
    try:
        clean_values(Complaint, {name: getattr(c, name) for name in _LIMITED})
    except DjangoValidationError as exc:
        return {_LIMITED[k]: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {}


def plan_row(ctx: Context, row: ParsedRow, *, now: datetime) -> tuple[RowResult, Planned | None]:
    """The row's result and, when good, what to write (nothing kept unless ``ctx.keep``)."""
    values = row.values
    result = RowResult(
        row=row.number, firm_reference=values.get("firm_reference") or "", outcome="ok"
    )
    errors = dict(row.errors) or cross_checks(values, now)
    if errors:
        result.outcome, result.errors = "error", errors
        return result, None
    try:
        person, complaint = _build(ctx, values)
    except (DomainError, DjangoValidationError) as exc:
        result.outcome, result.errors = "error", _field_errors(exc, None)
        return result, None
    plan = Planned(row, person, complaint)
    if ctx.keep:
        plan.snapshots.append((IMPORT_REASON, _snapshot(complaint)))
    try:
        _replay(ctx, row, plan)
    except _StepRefused as refused:
        result.outcome, result.errors = "error", _field_errors(refused.error, refused.column)
        return result, None
    if errors := _too_long(complaint):
        result.outcome, result.errors = "error", errors
        return result, None
    if complaint.status != values["status"]:
        # A path the rules allowed but that does not end where the register says.
        result.outcome = "error"
        result.errors = {
            "status": [f"The dates given lead to {complaint.status}, not {values['status']}."]
        }
        return result, None
    result.status = complaint.status
    return result, plan
