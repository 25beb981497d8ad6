"""Checks across a register row's columns before it is replayed: the dates and outcome that its
status needs, the one way a case closed, and the order its dates happened in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from complaints.choices import Outcome, Status
from complaints.glossary import glossary_test

TERMINAL = ("src_sent_at", "final_response_sent_at", "forwarded_at", "withdrawn_at")
REQUIRED_FOR_STATUS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (),
    Status.ACKNOWLEDGED: ("acknowledged_at",),
    Status.INVESTIGATING: ("acknowledged_at",),
    Status.HOLDING_RESPONSE_SENT: ("acknowledged_at", "holding_response_sent_at"),
    Status.RESOLVED_SUMMARY: ("src_sent_at", "outcome"),
    Status.FINAL_RESPONSE_SENT: ("final_response_sent_at", "outcome"),
    Status.FORWARDED: (
        "forwarded_at",
        "forwarded_to_firm",
        "forwarded_to_contact",
        "forward_reason",
    ),
    Status.WITHDRAWN: ("withdrawn_at",),
    Status.CLOSED: ("closed_at",),
}
TERMINAL_FOR_STATUS = {
    Status.RESOLVED_SUMMARY: "src_sent_at",
    Status.FINAL_RESPONSE_SENT: "final_response_sent_at",
    Status.FORWARDED: "forwarded_at",
    Status.WITHDRAWN: "withdrawn_at",
}
CHRONOLOGY = (
    "received_at",
    "acknowledged_at",
    "holding_response_sent_at",
    "src_sent_at",
    "final_response_sent_at",
    "forwarded_at",
    "withdrawn_at",
    "closed_at",
)


def _is_complaint(values: dict[str, Any]) -> bool:
    # A register row is a logged expression of dissatisfaction (complaint_register's default);
    # the Glossary test turns on what it alleges.
    return glossary_test(
        dissatisfied=True,
        financial_loss=bool(values.get("alleged_financial_loss")),
        material_distress=bool(values.get("alleged_material_distress")),
        material_inconvenience=bool(values.get("alleged_material_inconvenience")),
    ).is_complaint


def cross_checks(values: dict[str, Any], now: datetime) -> dict[str, list[str]]:
    """Errors by column for a row whose cells each read well (``{}`` when there are none)."""
    errors: dict[str, list[str]] = {}
    status = values["status"]
    for column in REQUIRED_FOR_STATUS[status]:
        if values.get(column) in (None, ""):
            errors.setdefault(column, []).append(f"Required when status is {status}.")
    allowed_terminal = TERMINAL_FOR_STATUS.get(status)
    present_terminal = [c for c in TERMINAL if values.get(c)]
    if status == Status.CLOSED:
        if len(present_terminal) > 1:
            for column in present_terminal:
                errors.setdefault(column, []).append(
                    "A closed case has one of src_sent_at, final_response_sent_at, "
                    "forwarded_at or withdrawn_at, not several."
                )
        if not present_terminal and _is_complaint(values):
            errors.setdefault("closed_at", []).append(
                "A complaint closes only after its SRC, final response, forward or withdrawal: "
                "give that date too (DISP 1.6.2R)."
            )
    else:
        for column in present_terminal:
            if column != allowed_terminal:
                errors.setdefault(column, []).append(f"Not possible when status is {status}.")
        if values.get("closed_at"):
            errors.setdefault("closed_at", []).append(f"Not possible when status is {status}.")
    final_like = values.get("final_response_sent_at") and values.get("outcome") != "time_barred"
    if final_like and not values.get("acknowledged_at"):
        errors.setdefault("acknowledged_at", []).append(
            "A final response follows the acknowledgement (DISP 1.6.1R): give its date."
        )
    outcome = values.get("outcome")
    if outcome and not (values.get("src_sent_at") or values.get("final_response_sent_at")):
        errors.setdefault("outcome", []).append("Only with an SRC or final response.")
    if outcome == Outcome.TIME_BARRED and values.get("src_sent_at"):
        errors.setdefault("outcome", []).append("An SRC cannot be a time-barred rejection.")
    previous: tuple[str, datetime] | None = None
    for column in CHRONOLOGY:
        value = values.get(column)
        if value is None:
            continue
        if value > now:
            errors.setdefault(column, []).append("Cannot be in the future.")
        if previous and value < previous[1]:
            errors.setdefault(column, []).append(f"Cannot be before {previous[0]}.")
        previous = (column, value)
    return errors
