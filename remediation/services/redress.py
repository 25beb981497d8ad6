"""The redress ledger: offer, then accept or decline, then pay (DISP 1.4.1R(3) and (5)).

Lock order: the complaint, then its redress item. Each step checks the caller's version, asks
the item's state machine whether it may move, transitions, and saves the fields it changed with
the use case as the history reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django_fsm import FSMField, can_proceed

from common.audit import Actor, history_user, save_audited
from common.dates import london_date
from common.errors import ConflictError, NotFound, TransitionRefused
from common.locking import check_version, lock_row
from complaints import services as complaint_services
from complaints.choices import Status
from complaints.models import Complaint

from ..errors import RemediationError as E
from ..models import (
    InterestBasis,
    InterestPurpose,
    NoRedressDecision,
    RedressItem,
    RedressKind,
    RedressStatus,
)
from ._base import STALE_MESSAGE, FieldErrors, aware, check_errors, invalid

DEFAULT_FOS_INTEREST_CHANGE = date(2026, 1, 1)
# Complaints in these states take no new redress offers: reopen first, or (forwarded) the other
# firm owns the redress.
NO_NEW_REDRESS = {Status.CLOSED, Status.FORWARDED, Status.WITHDRAWN}


def fos_interest_basis(referred_on: date) -> str:
    """The FOS deprivation-interest basis for a referral date (disp-rules §4.4, E51)."""
    change = getattr(settings, "REMEDIATION_FOS_INTEREST_CHANGE_DATE", DEFAULT_FOS_INTEREST_CHANGE)
    return InterestBasis.SIMPLE_8 if referred_on < change else InterestBasis.BOE_PLUS_1


@dataclass(frozen=True)
class RedressData:
    kind: str
    amount_gbp: Decimal | None = None
    description: str = ""
    asset: str = ""
    quantity: Decimal | None = None
    valuation_date: date | None = None
    unit_price_gbp: Decimal | None = None
    price_source: str = ""
    interest_basis: str = ""
    interest_purpose: str = ""
    interest_from: date | None = None
    interest_to: date | None = None
    fos_referred_on: date | None = None
    interest_direction: str = ""


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal("NaN")


def _validate_redress(data: RedressData, today: date) -> FieldErrors:
    errors: FieldErrors = {}
    if data.kind not in RedressKind.values:
        return {"kind": [f"Choose one of {', '.join(RedressKind.values)}."]}
    amount = _decimal(data.amount_gbp)
    if data.kind in RedressKind.monetary():
        if amount is None:
            errors["amount_gbp"] = ["Required for a payment."]
        elif amount.is_nan() or amount <= 0:
            errors["amount_gbp"] = ["Must be a positive amount in pounds."]
        elif amount != amount.quantize(Decimal("0.01")):
            errors["amount_gbp"] = ["Pounds and pence only (two decimal places)."]
    elif amount is not None:
        errors["amount_gbp"] = ["Remedial action has no amount: record any payment separately."]
    if data.kind == RedressKind.REMEDIAL_ACTION and not data.description.strip():
        errors["description"] = ["Say what the firm will do."]
    crypto: dict[str, object] = {
        "asset": data.asset.strip(),
        "quantity": data.quantity,
        "valuation_date": data.valuation_date,
        "price_source": data.price_source.strip(),
    }
    if any(v not in (None, "") for v in crypto.values()) or data.unit_price_gbp is not None:
        if data.kind != RedressKind.FINANCIAL_LOSS:
            errors["asset"] = ["Crypto valuation evidence belongs on a financial-loss item."]
        for field, value in crypto.items():
            if value in (None, ""):
                errors[field] = ["Required when valuing a cryptoasset loss."]
        quantity = _decimal(data.quantity)
        if quantity is not None and (quantity.is_nan() or quantity <= 0):
            errors["quantity"] = ["Must be a positive quantity."]
        price = _decimal(data.unit_price_gbp)
        if price is not None and (price.is_nan() or price < 0):
            errors["unit_price_gbp"] = ["Must not be negative."]
        if data.valuation_date and data.valuation_date > today:
            errors["valuation_date"] = ["Cannot be in the future."]
    if data.kind == RedressKind.INTEREST:
        errors.update(_validate_interest(data))
    elif data.interest_basis:
        errors["interest_basis"] = ["Only an interest item has an interest basis."]
    return errors


def _validate_interest(data: RedressData) -> FieldErrors:
    errors: FieldErrors = {}
    if data.interest_basis not in InterestBasis.values:
        errors["interest_basis"] = [f"Choose one of {', '.join(InterestBasis.values)}."]
    purpose = data.interest_purpose or InterestPurpose.DEPRIVATION
    if purpose not in InterestPurpose.values:
        errors["interest_purpose"] = [f"Choose one of {', '.join(InterestPurpose.values)}."]
    if not data.interest_from:
        errors["interest_from"] = ["Say from when interest runs."]
    if data.interest_from and data.interest_to and data.interest_to < data.interest_from:
        errors["interest_to"] = ["Cannot be before the start of the interest period."]
    if data.interest_basis == InterestBasis.AS_DIRECTED and not data.interest_direction.strip():
        errors["interest_direction"] = ["Quote the direction the interest follows."]
    if errors or data.interest_basis == InterestBasis.AS_DIRECTED:
        return errors
    # E51: late payment of an award is 8% simple whatever the referral date; deprivation
    # interest on a FOS case follows the approach in force when the case was referred.
    if purpose == InterestPurpose.LATE_PAYMENT:
        if data.interest_basis != InterestBasis.SIMPLE_8:
            errors["interest_basis"] = ["Late payment of an award is 8% simple (FOS)."]
    elif data.fos_referred_on:
        expected = fos_interest_basis(data.fos_referred_on)
        if data.interest_basis != expected:
            errors["interest_basis"] = [
                f"A case referred to the FOS on {data.fos_referred_on:%d/%m/%Y} uses "
                f"{InterestBasis(expected).label}, unless directed otherwise."
            ]
    return errors


def redress_offer(
    *, complaint_id: int, actor: Actor, now: datetime, data: RedressData
) -> RedressItem:
    """DISP 1.4.1R(3): record an offer of redress or remedial action on the ledger."""
    errors = _validate_redress(data, london_date(now))
    check_errors(errors, "The redress could not be recorded")
    with transaction.atomic():
        complaint = complaint_services.lock_complaint(complaint_id)
        if complaint.status in NO_NEW_REDRESS:
            raise TransitionRefused(
                E.REDRESS_CLOSED_COMPLAINT,
                f"The complaint is {complaint.get_status_display().lower()}: "
                "reopen it before offering redress.",
                extra={"status": complaint.status},
            )
        purpose = data.interest_purpose
        if data.kind == RedressKind.INTEREST and not purpose:
            purpose = InterestPurpose.DEPRIVATION
        item = RedressItem(
            complaint=complaint,
            kind=data.kind,
            description=data.description.strip(),
            amount_gbp=_decimal(data.amount_gbp),
            asset=data.asset.strip().upper(),
            quantity=_decimal(data.quantity),
            valuation_date=data.valuation_date,
            unit_price_gbp=_decimal(data.unit_price_gbp),
            price_source=data.price_source.strip(),
            interest_basis=data.interest_basis,
            interest_purpose=purpose,
            interest_from=data.interest_from,
            interest_to=data.interest_to,
            fos_referred_on=data.fos_referred_on,
            interest_direction=data.interest_direction.strip(),
            offered_at=now,
            offered_by=history_user(actor),
        )
        save_audited(item, actor=actor, reason="redress.offer")
    return item


def _lock_item(item_id: int) -> tuple[Complaint, RedressItem]:
    """Lock the item's complaint first, then the item (the app-wide lock order)."""
    complaint_id = (
        RedressItem.objects.filter(pk=item_id).values_list("complaint_id", flat=True).first()
    )
    missing = f"Redress item {item_id} not found."
    if complaint_id is None:
        raise NotFound(E.NOT_FOUND, missing)
    complaint = complaint_services.lock_complaint(complaint_id)
    item = lock_row(RedressItem.objects.all(), item_id, code=E.NOT_FOUND, message=missing)
    return complaint, item


def _refuse_unless_allowed(item: RedressItem, step: str) -> None:
    """The ledger's transition table decides; the refusal names the state the step needs."""
    if can_proceed(getattr(item, step)):
        return
    field = RedressItem._meta.get_field("status")
    assert isinstance(field, FSMField)
    needed = [
        RedressStatus(str(t.source)).label.lower()
        for t in field.get_all_transitions(RedressItem)
        if t.name == step
    ]
    raise ConflictError(
        E.INVALID_STATE,
        f"This redress is {item.get_status_display().lower()}, not {' or '.join(needed)}.",
        extra={"status": item.status, "version": item.version},
    )


# Each step's own date field and, for a bad date, what could not be recorded.
_STEP_DATE = {
    "accept": ("accepted_at", "The acceptance"),
    "decline": ("declined_at", "The decline"),
    "pay": ("paid_at", "The payment"),
}


def _step(
    *,
    item_id: int,
    actor: Actor,
    now: datetime,
    step: str,
    at: datetime | None,
    expected_version: int | None,
    apply: Callable[[Complaint, RedressItem, datetime], list[str]],
) -> RedressItem:
    """Check the step's date (``at``, else now), lock, check the version and the state, then
    ``apply`` (validates, runs the transition and names the fields it set) and save those with
    the status and the new version."""
    when = at or now
    field, what = _STEP_DATE[step]
    errors: FieldErrors = {}
    aware(when, field, now, errors)
    check_errors(errors, f"{what} could not be recorded")
    with transaction.atomic():
        complaint, item = _lock_item(item_id)
        check_version(item, expected_version, code=E.STALE, message=STALE_MESSAGE)
        _refuse_unless_allowed(item, step)
        fields = apply(complaint, item, when)
        item.version += 1
        save_audited(
            item,
            actor=actor,
            reason=f"redress.{step}",
            update_fields=[*fields, "status", "version"],
        )
    return item


def redress_accept(
    *,
    item_id: int,
    actor: Actor,
    now: datetime,
    accepted_at: datetime | None = None,
    expected_version: int | None = None,
) -> RedressItem:
    """The complainant accepted: DISP 1.4.1R(5) requires prompt payment. The payment target
    date is fixed now from the firm's setting, so later setting changes do not rewrite it."""

    def apply(complaint: Complaint, item: RedressItem, at: datetime) -> list[str]:
        if at < item.offered_at:
            invalid("Accepted before it was offered.", {"accepted_at": ["Before the offer."]})
        item.accept(at=at, payment_target_days=complaint.firm.redress_payment_target_days)
        return ["accepted_at", "payment_due_on"]

    return _step(
        item_id=item_id,
        actor=actor,
        now=now,
        step="accept",
        at=accepted_at,
        expected_version=expected_version,
        apply=apply,
    )


def redress_decline(
    *,
    item_id: int,
    actor: Actor,
    now: datetime,
    reason: str = "",
    declined_at: datetime | None = None,
    expected_version: int | None = None,
) -> RedressItem:
    """The complainant declined the offer, for the reason given (if any)."""

    def apply(complaint: Complaint, item: RedressItem, at: datetime) -> list[str]:
        item.decline(at=at, reason=reason.strip())
        return ["declined_at", "decline_reason"]

    return _step(
        item_id=item_id,
        actor=actor,
        now=now,
        step="decline",
        at=declined_at,
        expected_version=expected_version,
        apply=apply,
    )


def redress_pay(
    *,
    item_id: int,
    actor: Actor,
    now: datetime,
    payment_reference: str = "",
    paid_at: datetime | None = None,
    expected_version: int | None = None,
) -> RedressItem:
    """Record payment (or completion of remedial action) of accepted redress."""

    def apply(complaint: Complaint, item: RedressItem, at: datetime) -> list[str]:
        if item.kind in RedressKind.monetary() and not payment_reference.strip():
            invalid(
                "A payment needs its reference (bank or ledger) as evidence.",
                {"payment_reference": ["Required."]},
            )
        if item.accepted_at and at < item.accepted_at:
            invalid("Paid before it was accepted.", {"paid_at": ["Before the acceptance."]})
        item.pay(at=at, reference=payment_reference.strip())
        return ["paid_at", "payment_reference"]

    return _step(
        item_id=item_id,
        actor=actor,
        now=now,
        step="pay",
        at=paid_at,
        expected_version=expected_version,
        apply=apply,
    )


def redress_record_none_appropriate(
    *, complaint_id: int, actor: Actor, now: datetime, reason: str
) -> NoRedressDecision:
    """DISP 1.4.1R(3): redress 'when appropriate'. Records why none is, on an upheld complaint
    (e.g. an apology and explanation fully remedy it and no loss was suffered)."""
    if not reason.strip():
        invalid("Say why no redress is appropriate.", {"reason": ["Required."]})
    with transaction.atomic():
        complaint = complaint_services.lock_complaint(complaint_id)
        decision = NoRedressDecision.objects.filter(complaint=complaint).first()
        fields: list[str] | None = ["reason", "decided_at", "decided_by"]
        if decision is None:
            decision, fields = NoRedressDecision(complaint=complaint), None
        decision.reason = reason.strip()
        decision.decided_at = now
        decision.decided_by = history_user(actor)
        save_audited(decision, actor=actor, reason="redress.none_appropriate", update_fields=fields)
    return decision
