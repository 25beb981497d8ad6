"""Outcome and redress rules, registered with ``complaints.guards`` in AppConfig.ready().

- DISP 1.4.1R(3): a complaint the firm upholds (fully or partly), or settles with a goodwill
  payment, must have redress or remedial action offered, or a recorded reason why none is
  appropriate. A goodwill outcome needs a goodwill payment on the ledger: the outcome *is* the
  payment. Enforced at the final response / SRC when ``REMEDIATION_ENFORCE_REDRESS_DECISION`` is
  on; otherwise flagged on the complaint and listed as outstanding.
- DISP 1.4.1R(5): a complaint cannot be closed while accepted redress is unpaid.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from complaints.choices import Outcome
from complaints.guards import Refusal
from complaints.models import Complaint

from .errors import RemediationError
from .models import NoRedressDecision, RedressItem, RedressKind, RedressStatus


def enforce_redress_decision() -> bool:
    return bool(getattr(settings, "REMEDIATION_ENFORCE_REDRESS_DECISION", False))


def redress_decision_gap(complaint: Complaint, outcome: str) -> Refusal | None:
    """What is missing for ``outcome`` under DISP 1.4.1R(3) (None when nothing is)."""
    if outcome not in Outcome.counted_as_upheld():
        return None
    items = RedressItem.objects.filter(complaint_id=complaint.pk)
    if outcome == Outcome.GOODWILL:
        if items.filter(kind=RedressKind.GOODWILL).exists():
            return None
        return Refusal(
            RemediationError.GOODWILL_PAYMENT_REQUIRED,  # type: ignore[arg-type]
            "A goodwill outcome needs the goodwill payment on the redress ledger first.",
            "DISP 1.6.2R(1)(b)",
        )
    if (
        # An offer the complainant declined was still offered: the rule is met.
        items.exists() or NoRedressDecision.objects.filter(complaint_id=complaint.pk).exists()
    ):
        return None
    return Refusal(
        RemediationError.REDRESS_DECISION_REQUIRED,  # type: ignore[arg-type]
        f"An {Outcome(outcome).label.lower()} complaint needs redress or remedial action "
        "offered, or a recorded reason why none is appropriate, before the response is sent.",
        "DISP 1.4.1R(3)",
    )


def outcome_rule(complaint: Complaint, outcome: str, at: datetime) -> Refusal | None:
    if not enforce_redress_decision():
        return None
    return redress_decision_gap(complaint, outcome)


def close_rule(complaint: Complaint, at: datetime) -> Refusal | None:
    unpaid = RedressItem.objects.filter(
        complaint_id=complaint.pk, status=RedressStatus.ACCEPTED
    ).count()
    if unpaid:
        return Refusal(
            RemediationError.ACCEPTED_REDRESS_UNPAID,  # type: ignore[arg-type]
            f"{unpaid} accepted redress item{'s' if unpaid != 1 else ''} still to be paid: "
            "record the payment before closing the complaint.",
            "DISP 1.4.1R(5)",
        )
    return None
