"""DISP 1.4.1R, the redress rules the guards apply: what the ledger still owes before a complaint
closes (R(5)) and the redress decision an upheld outcome needs (R(3)).

The redress ledger is the remediation app's, above this one: these rules read it through the
complaint's reverse relations (``redress_items``, ``no_redress_decision``), never by import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from common.errors import Refusal

from .choices import Outcome, RedressKind, RedressStatus
from .errors import ErrorCode
from .models import Complaint

_UNSETTLED = {"redress_unpaid": RedressStatus.ACCEPTED, "redress_offered": RedressStatus.OFFERED}


def unsettled_redress_annotations() -> dict[str, Coalesce]:
    """For a read of complaints that ``unsettled_redress`` is asked of (the API detail's
    available actions): each row's counts, one index probe each, so the rule needs no query of
    its own (issue 18: a query on every detail of a complaint that may be closed)."""
    ledger = Complaint._meta.get_field("redress_items").related_model

    def counted(status: str) -> Coalesce:
        items = ledger._default_manager.filter(complaint=OuterRef("pk"), status=status)
        count = items.order_by().values("complaint").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))

    return {name: counted(status) for name, status in _UNSETTLED.items()}


def unsettled_redress(c: Complaint) -> tuple[int, int]:
    """(accepted items unpaid, offers awaiting an answer), read from the redress ledger through
    the complaint's reverse relation, never by import; from the row when its read carried
    ``unsettled_redress_annotations``."""
    if hasattr(c, "redress_unpaid"):
        annotated: Any = c
        return annotated.redress_unpaid, annotated.redress_offered
    statuses = list(
        c.redress_items.filter(
            status__in=[RedressStatus.ACCEPTED, RedressStatus.OFFERED]
        ).values_list("status", flat=True)
    )
    return statuses.count(RedressStatus.ACCEPTED), statuses.count(RedressStatus.OFFERED)


def redress_outstanding(c: Complaint) -> str:
    """What the redress ledger still owes the complainant or waits on ("1 accepted redress item
    still to be paid"), or ""."""
    return _describe_unsettled(*unsettled_redress(c))


def _describe_unsettled(unpaid: int, offered: int) -> str:
    parts = []
    if unpaid:
        parts.append(f"{unpaid} accepted redress item{'' if unpaid == 1 else 's'} still to be paid")
    if offered:
        parts.append(
            f"{offered} redress offer{'' if offered == 1 else 's'} still waiting for the "
            "complainant's answer"
        )
    return " and ".join(parts)


def close_reason(c: Complaint, at: datetime, inputs: Mapping[str, Any]) -> Refusal | None:
    """DISP 1.4.1R(5): comply promptly with any redress the complainant accepts. Closing while
    accepted redress is unpaid, or while an offer still waits for the complainant's answer,
    leaves a promise open: it needs a recorded reason (the ledger still tracks the payment)."""
    if str(inputs.get("reason") or "").strip():
        return None
    unpaid, offered = unsettled_redress(c)
    if not (unpaid or offered):
        return None
    outstanding = _describe_unsettled(unpaid, offered)
    return Refusal(
        ErrorCode.ACCEPTED_REDRESS_UNPAID if unpaid else ErrorCode.REDRESS_OFFER_OPEN,
        f"{outstanding}: record the payment or the answer first, or give the reason for closing "
        "now.",
        "DISP 1.4.1R(5)",
        fields={"reason": ["Say why the complaint is closed with redress outstanding."]},
    )


def redress_decision_enforced() -> bool:
    """Whether a response is refused (not only flagged) when the DISP 1.4.1R(3) decision is
    missing: the firm's setting ``REMEDIATION_ENFORCE_REDRESS_DECISION``."""
    return bool(getattr(settings, "REMEDIATION_ENFORCE_REDRESS_DECISION", False))


def redress_decision_gap(complaint: Complaint, outcome: str) -> Refusal | None:
    """What is missing for ``outcome`` under DISP 1.4.1R(3) (None when nothing is), read from
    the complaint's ledger (``decision_refusal`` says what the rule asks)."""
    if outcome not in Outcome.counted_as_upheld():
        return None
    items = complaint.redress_items.all()
    if outcome == Outcome.GOODWILL:
        return decision_refusal(outcome, met=items.filter(kind=RedressKind.GOODWILL).exists())
    # An offer the complainant declined was still offered: the rule is met.
    met = (
        items.exists()
        or type(complaint)
        .objects.filter(pk=complaint.pk, no_redress_decision__isnull=False)
        .exists()
    )
    return decision_refusal(outcome, met=met)


def decision_refusal(outcome: str, *, met: bool) -> Refusal | None:
    """DISP 1.4.1R(3) without the database: ``met`` says whether the ledger holds what
    ``outcome`` needs. A complaint the firm upholds (fully or partly), or settles with a
    goodwill payment, must have redress or remedial action offered, or a recorded reason why
    none is appropriate; a goodwill outcome needs the goodwill payment on the ledger (the
    outcome *is* the payment). The register import judges new complaints, whose ledger is empty,
    with it."""
    if met or outcome not in Outcome.counted_as_upheld():
        return None
    if outcome == Outcome.GOODWILL:
        return Refusal(
            ErrorCode.GOODWILL_PAYMENT_REQUIRED,
            "A goodwill outcome needs the goodwill payment on the redress ledger first.",
            "DISP 1.6.2R(1)(b)",
        )
    return Refusal(
        ErrorCode.REDRESS_DECISION_REQUIRED,
        f"An {Outcome(outcome).label.lower()} complaint needs redress or remedial action "
        "offered, or a recorded reason why none is appropriate, before the response is sent.",
        "DISP 1.4.1R(3)",
    )


def outcome_refusal(complaint: Complaint, outcome: str, at: datetime) -> Refusal | None:
    """Why a response recording ``outcome`` may not be sent now (None when it may): the
    DISP 1.4.1R(3) redress decision, where the firm enforces it. Response forms call this to
    explain a refusal before the handler submits."""
    if not redress_decision_enforced():
        return None
    return redress_decision_gap(complaint, outcome)
