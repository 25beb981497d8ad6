"""One register row replayed as a complaint: registered, then taken through each lifecycle
service at its historical date, in the row's own savepoint.

Preview and commit run the very same code; a preview rolls everything back, so every rule the
services enforce (time bars, the SRC deadline, the state machine) is checked before anything is
kept. A refusal becomes an error on the column whose step the service refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from common.errors import DomainError
from complaints import services
from complaints.choices import Outcome, Status
from complaints.models import Complaint, Firm

from ..columns import DRIVERS, ParsedRow
from .checks import cross_checks

if TYPE_CHECKING:
    from django.contrib.auth.models import User

IMPORT_REASON = "imported"
_COMPLAINANT_FIELDS = {"name", "email", "client_reference", "complainant_type"}

# A lifecycle step: the register column it comes from, the complaint service, its arguments.
Step = tuple[str, Callable[..., object], dict[str, Any]]


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


IMPORTED_RESPONSE = (
    "This response was recorded from the firm's complaints register on import; the letter as "
    "originally sent, with the full reasons, is held in the firm's previous system."
)


def _response_summary(values: dict[str, Any]) -> str:
    """The reasons the imported response gave (letters require them for partly upheld and
    rejected outcomes, DISP 1.4.1R(4)); the register may not hold them."""
    return (values.get("response_summary") or "").strip() or IMPORTED_RESPONSE


def _register(firm: Firm, actor: User | None, values: dict[str, Any]) -> Complaint:
    drivers = values.get("complainant_vulnerable") or []
    flags: dict[str, Any] = {DRIVERS[d]: True for d in drivers}
    person = services.ComplainantData(
        name=values["complainant_name"],
        email=values.get("complainant_email") or "",
        client_reference=values.get("complainant_client_reference") or "",
        complainant_type=values.get("complainant_type") or "consumer",
        vulnerability_consent=bool(values.get("complainant_vulnerability_consent")),
        **flags,
    )
    at = values["received_at"]
    return services.complaint_register(
        firm=firm,
        actor=actor,
        now=at,
        received_at=at,
        channel=values["channel"],
        activity=values["activity"],
        description=values["description"],
        complainant=person,
        alleged_financial_loss=bool(values.get("alleged_financial_loss")),
        alleged_material_distress=bool(values.get("alleged_material_distress")),
        alleged_material_inconvenience=bool(values.get("alleged_material_inconvenience")),
        regime=values.get("regime") or "standard",
        event_date=values.get("event_date"),
        # CP26/4 para 3.24: a register row without the event date records it as unknown (the
        # firm's unknown_event_date_wording applies to letters), so its responses can replay.
        event_date_unknown=values.get("event_date") is None,
        awareness_date=values.get("awareness_date"),
        external_reference=values["firm_reference"],
        change_reason=IMPORT_REASON,
    )


def _lifecycle_steps(values: dict[str, Any]) -> list[Step]:
    """The steps in historical order; each service runs with ``now`` at the historical date, so
    letters are recorded as sent then and deadlines follow from them."""
    steps: list[Step] = []
    status, reason = values["status"], f"{IMPORT_REASON}: "
    ack, holding = values.get("acknowledged_at"), values.get("holding_response_sent_at")
    if ack:
        steps.append(
            ("acknowledged_at", services.complaint_acknowledge, {"now": ack, "sent_at": ack})
        )
    investigating = status in (Status.INVESTIGATING, Status.HOLDING_RESPONSE_SENT) or holding
    if ack and investigating:
        steps.append(("acknowledged_at", services.complaint_start_investigation, {"now": ack}))
    if holding:
        steps.append(
            (
                "holding_response_sent_at",
                services.complaint_send_holding_response,
                {
                    "now": holding,
                    "sent_at": holding,
                    "reasons": "Holding response recorded as sent in the imported register.",
                },
            )
        )
    if at := values.get("src_sent_at"):
        steps.append(
            (
                "src_sent_at",
                services.complaint_resolve_summary,
                {
                    "now": at,
                    "sent_at": at,
                    "outcome": values["outcome"],
                    "summary": _response_summary(values),
                },
            )
        )
    if at := values.get("final_response_sent_at"):
        if values.get("outcome") == Outcome.TIME_BARRED:
            steps.append(
                (
                    "final_response_sent_at",
                    services.complaint_reject_time_barred,
                    {"now": at, "sent_at": at},
                )
            )
        else:
            six_month = values.get("six_month_wording")
            steps.append(
                (
                    "final_response_sent_at",
                    services.complaint_send_final_response,
                    {
                        "now": at,
                        "sent_at": at,
                        "outcome": values["outcome"],
                        "six_month_wording": True if six_month is None else six_month,
                        "summary": _response_summary(values),
                    },
                )
            )
    if at := values.get("forwarded_at"):
        steps.append(
            (
                "forwarded_at",
                services.complaint_forward,
                {
                    "now": at,
                    "sent_at": at,
                    "to_firm": values.get("forwarded_to_firm") or "",
                    "to_contact": values.get("forwarded_to_contact") or "",
                    "reason": values.get("forward_reason") or "",
                },
            )
        )
    if at := values.get("withdrawn_at"):
        steps.append(
            (
                "withdrawn_at",
                services.complaint_withdraw,
                {"now": at, "withdrawn_at": at, "reason": reason + "withdrawn"},
            )
        )
    if at := values.get("closed_at"):
        steps.append(("closed_at", services.complaint_close, {"now": at}))
    return steps


def _field_errors(exc: Exception, column: str | None) -> dict[str, list[str]]:
    """A service refusal as column errors: lifecycle refusals belong to the step's column."""
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


def import_row(
    firm: Firm, actor: User | None, row: ParsedRow, *, now: datetime, label: str
) -> RowResult:
    """Replay one row inside the caller's savepoint; a row that ends elsewhere than its status
    says rolls that savepoint back."""
    values = row.values
    result = RowResult(
        row=row.number, firm_reference=values.get("firm_reference") or "", outcome="ok"
    )
    errors = dict(row.errors)
    if not errors:
        errors = cross_checks(values, now)
    if errors:
        result.outcome, result.errors = "error", errors
        return result
    column = None
    try:
        with transaction.atomic():
            complaint = _register(firm, actor, values)
            for step_column, service, kwargs in _lifecycle_steps(values):
                column = step_column
                service(complaint_id=complaint.pk, actor=actor, **kwargs)
            column = None
            services.complaint_add_note(
                complaint_id=complaint.pk,
                actor=actor,
                now=now,
                body=f"{label}, row {row.number} (status at import: {values['status']}).",
            )
    except (DomainError, DjangoValidationError) as exc:
        result.outcome, result.errors = "error", _field_errors(exc, column)
        return result
    complaint.refresh_from_db(fields=["status", "reference"])
    if complaint.status != values["status"]:
        # A path the services allowed but that does not end where the register says.
        result.outcome = "error"
        result.errors = {
            "status": [f"The dates given lead to {complaint.status}, not {values['status']}."]
        }
        transaction.set_rollback(True)
        return result
    result.complaint_id, result.reference, result.status = (
        complaint.pk,
        complaint.reference,
        complaint.status,
    )
    return result
