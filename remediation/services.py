"""Use cases that write redress, root causes, incidents and remedial actions.

Keyword-only, typed, one transaction each, the acting user and ``now`` passed in. Rows that
change state are locked first (lock order: complaint, then its redress item). Every write sets
the history user and a change reason naming the use case. Bulk actions on an incident call the
complaints services one complaint at a time, each in its own transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from common.dates import london_date
from common.errors import (
    ConflictError,
    DomainError,
    NotFound,
    TransitionRefused,
    ValidationFailed,
)
from complaints import services as complaint_services
from complaints.choices import DeliveryMethod, Status
from complaints.models import Complaint, Firm, Membership

from .errors import RemediationError as E
from .models import (
    ACTION_TRANSITIONS,
    ActionStatus,
    BulkAction,
    BulkRun,
    ComplaintRootCause,
    Incident,
    IncidentLink,
    InterestBasis,
    InterestPurpose,
    NoRedressDecision,
    RedressItem,
    RedressKind,
    RedressStatus,
    RemediationAction,
    RootCause,
)

log = logging.getLogger(__name__)

DEFAULT_FOS_INTEREST_CHANGE = date(2026, 1, 1)
# Complaints in these states take no new redress offers: reopen first, or (forwarded) the other
# firm owns the redress.
NO_NEW_REDRESS = {Status.CLOSED, Status.FORWARDED, Status.WITHDRAWN}


def _save(obj: Any, *, actor: Any, reason: str, fields: list[str] | None = None) -> None:
    obj._change_reason = reason
    obj._history_user = actor if getattr(actor, "pk", None) else None
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=fields)


def _delete(obj: Any, *, actor: Any, reason: str) -> None:
    obj._change_reason = reason
    obj._history_user = actor if getattr(actor, "pk", None) else None
    obj.delete()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _invalid(message: str, fields: dict[str, list[str]], rule: str | None = None) -> None:
    raise ValidationFailed(E.VALIDATION, message, fields=fields, rule=rule)


def _check_errors(errors: dict[str, list[str]], what: str) -> None:
    if errors:
        _invalid(
            f"{what}: " + "; ".join(f"{k}: {v[0]}" for k, v in errors.items()),
            errors,
        )


def _aware(value: datetime | None, field: str, now: datetime, errors: dict) -> None:
    if value is None:
        return
    if value.tzinfo is None:
        errors[field] = ["Must include a time zone."]
    elif value > now:
        errors[field] = ["Cannot be in the future."]


def _stale(obj: Any, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise ConflictError(
            E.STALE,
            "Someone else changed this record after you opened it. Review it and try again.",
            extra={"version": obj.version},
        )


def _member(firm_id: int, user_id: int | None, field: str = "owner") -> Any:
    membership = (
        Membership.objects.select_related("user").filter(firm_id=firm_id, user_id=user_id).first()
    )
    if membership is None or not membership.user.is_active:
        raise ValidationFailed(
            E.OWNER_NOT_MEMBER,
            f"The {field} must be an active member of the firm.",
            fields={field: ["Not a member of this firm."]},
        )
    return membership.user


# --- redress ledger -------------------------------------------------------------------------


def fos_interest_basis(referred_on: date) -> str:
    """The FOS deprivation-interest basis for a referral date (disp-rules §4.4, E51)."""
    from django.conf import settings

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


def _validate_redress(data: RedressData, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
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
    crypto = {
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


def _validate_interest(data: RedressData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
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
    *, complaint_id: int, actor: Any, now: datetime, data: RedressData
) -> RedressItem:
    """DISP 1.4.1R(3): record an offer of redress or remedial action on the ledger."""
    errors = _validate_redress(data, london_date(now))
    _check_errors(errors, "The redress could not be recorded")
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
            offered_by=_user(actor),
        )
        _save(item, actor=actor, reason="redress.offer")
    return item


def _lock_item(item_id: int) -> tuple[Complaint, RedressItem]:
    complaint_id = (
        RedressItem.objects.filter(pk=item_id).values_list("complaint_id", flat=True).first()
    )
    if complaint_id is None:
        raise NotFound(E.NOT_FOUND, f"Redress item {item_id} not found.")
    complaint = complaint_services.lock_complaint(complaint_id)
    item = RedressItem.objects.select_for_update().get(pk=item_id)
    return complaint, item


def _move(
    *,
    item_id: int,
    actor: Any,
    now: datetime,
    from_status: str,
    reason: str,
    expected_version: int | None,
    apply: Callable[[Complaint, RedressItem], list[str]],
) -> RedressItem:
    with transaction.atomic():
        complaint, item = _lock_item(item_id)
        _stale(item, expected_version)
        if item.status != from_status:
            raise ConflictError(
                E.INVALID_STATE,
                f"This redress is {item.get_status_display().lower()}, not "
                f"{RedressStatus(from_status).label.lower()}.",
                extra={"status": item.status, "version": item.version},
            )
        fields = apply(complaint, item)
        item.version += 1
        _save(item, actor=actor, reason=reason, fields=[*fields, "status", "version"])
    return item


def redress_accept(
    *,
    item_id: int,
    actor: Any,
    now: datetime,
    accepted_at: datetime | None = None,
    expected_version: int | None = None,
) -> RedressItem:
    """The complainant accepted: DISP 1.4.1R(5) requires prompt payment. The payment target
    date is fixed now from the firm's setting, so later setting changes do not rewrite it."""
    at = accepted_at or now
    errors: dict[str, list[str]] = {}
    _aware(at, "accepted_at", now, errors)
    _check_errors(errors, "The acceptance could not be recorded")

    def apply(complaint: Complaint, item: RedressItem) -> list[str]:
        if at < item.offered_at:
            _invalid("Accepted before it was offered.", {"accepted_at": ["Before the offer."]})
        item.status = RedressStatus.ACCEPTED
        item.accepted_at = at
        days = complaint.firm.redress_payment_target_days
        item.payment_due_on = london_date(at) + timedelta(days=days)
        return ["accepted_at", "payment_due_on"]

    return _move(
        item_id=item_id,
        actor=actor,
        now=now,
        from_status=RedressStatus.OFFERED,
        reason="redress.accept",
        expected_version=expected_version,
        apply=apply,
    )


def redress_decline(
    *,
    item_id: int,
    actor: Any,
    now: datetime,
    reason: str = "",
    declined_at: datetime | None = None,
    expected_version: int | None = None,
) -> RedressItem:
    at = declined_at or now
    errors: dict[str, list[str]] = {}
    _aware(at, "declined_at", now, errors)
    _check_errors(errors, "The decline could not be recorded")

    def apply(complaint: Complaint, item: RedressItem) -> list[str]:
        item.status = RedressStatus.DECLINED
        item.declined_at = at
        item.decline_reason = reason.strip()
        return ["declined_at", "decline_reason"]

    return _move(
        item_id=item_id,
        actor=actor,
        now=now,
        from_status=RedressStatus.OFFERED,
        reason="redress.decline",
        expected_version=expected_version,
        apply=apply,
    )


def redress_pay(
    *,
    item_id: int,
    actor: Any,
    now: datetime,
    payment_reference: str = "",
    paid_at: datetime | None = None,
    expected_version: int | None = None,
) -> RedressItem:
    """Record payment (or completion of remedial action) of accepted redress."""
    at = paid_at or now
    errors: dict[str, list[str]] = {}
    _aware(at, "paid_at", now, errors)
    _check_errors(errors, "The payment could not be recorded")

    def apply(complaint: Complaint, item: RedressItem) -> list[str]:
        if item.kind in RedressKind.monetary() and not payment_reference.strip():
            _invalid(
                "A payment needs its reference (bank or ledger) as evidence.",
                {"payment_reference": ["Required."]},
            )
        if item.accepted_at and at < item.accepted_at:
            _invalid("Paid before it was accepted.", {"paid_at": ["Before the acceptance."]})
        item.status = RedressStatus.PAID
        item.paid_at = at
        item.payment_reference = payment_reference.strip()
        return ["paid_at", "payment_reference"]

    return _move(
        item_id=item_id,
        actor=actor,
        now=now,
        from_status=RedressStatus.ACCEPTED,
        reason="redress.pay",
        expected_version=expected_version,
        apply=apply,
    )


def redress_record_none_appropriate(
    *, complaint_id: int, actor: Any, now: datetime, reason: str
) -> NoRedressDecision:
    """DISP 1.4.1R(3): redress 'when appropriate'. Records why none is, on an upheld complaint
    (e.g. an apology and explanation fully remedy it and no loss was suffered)."""
    if not reason.strip():
        _invalid("Say why no redress is appropriate.", {"reason": ["Required."]})
    with transaction.atomic():
        complaint = complaint_services.lock_complaint(complaint_id)
        decision = NoRedressDecision.objects.filter(complaint=complaint).first()
        if decision is None:
            decision = NoRedressDecision(complaint=complaint)
        decision.reason = reason.strip()
        decision.decided_at = now
        decision.decided_by = _user(actor)
        _save(decision, actor=actor, reason="redress.none_appropriate")
    return decision


# --- root causes ----------------------------------------------------------------------------


def _descendant_ids(root_id: int, firm_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent in RootCause.objects.filter(firm_id=firm_id).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = set(), [root_id]
    while stack:
        node = stack.pop()
        found.add(node)
        stack.extend(children.get(node, []))
    return found


def _root_cause_parent(firm_id: int, parent_id: int | None) -> RootCause | None:
    if parent_id is None:
        return None
    parent = RootCause.objects.filter(pk=parent_id, firm_id=firm_id).first()
    if parent is None:
        _invalid("The parent is not in this firm's taxonomy.", {"parent": ["Unknown."]})
    return parent


def root_cause_create(
    *,
    firm: Firm,
    actor: Any,
    name: str,
    parent_id: int | None = None,
    description: str = "",
) -> RootCause:
    if not name.strip():
        _invalid("A root cause needs a name.", {"name": ["Required."]})
    with transaction.atomic():
        node = RootCause(
            firm=firm,
            parent=_root_cause_parent(firm.pk, parent_id),
            name=name.strip(),
            description=description.strip(),
        )
        try:
            with transaction.atomic():
                _save(node, actor=actor, reason="root_cause.create")
        except IntegrityError:
            raise ValidationFailed(
                E.DUPLICATE,
                "That root cause already exists at this level.",
                fields={"name": ["Already exists under this parent."]},
            ) from None
    return node


def root_cause_update(
    *,
    root_cause_id: int,
    actor: Any,
    name: str | None = None,
    description: str | None = None,
    active: bool | None = None,
    parent_id: int | None | bool = False,
) -> RootCause:
    """Rename, describe, move (``parent_id``; None makes it top-level) or (de)activate."""
    with transaction.atomic():
        node = RootCause.objects.select_for_update().filter(pk=root_cause_id).first()
        if node is None:
            raise NotFound(E.NOT_FOUND, f"Root cause {root_cause_id} not found.")
        if name is not None:
            if not name.strip():
                _invalid("A root cause needs a name.", {"name": ["Required."]})
            node.name = name.strip()
        if description is not None:
            node.description = description.strip()
        if active is not None:
            node.active = active
        if parent_id is not False:
            assert parent_id is None or isinstance(parent_id, int)
            if parent_id is not None and parent_id in _descendant_ids(node.pk, node.firm_id):
                raise ValidationFailed(
                    E.ROOT_CAUSE_CYCLE,
                    "A root cause cannot sit under itself or one of its own children.",
                    fields={"parent": ["Would create a loop."]},
                )
            node.parent = _root_cause_parent(node.firm_id, parent_id)
        try:
            with transaction.atomic():
                _save(node, actor=actor, reason="root_cause.update")
        except IntegrityError:
            raise ValidationFailed(
                E.DUPLICATE,
                "That root cause already exists at this level.",
                fields={"name": ["Already exists under this parent."]},
            ) from None
    return node


def complaint_root_cause_assign(
    *, complaint_id: int, root_cause_id: int, actor: Any, now: datetime, note: str = ""
) -> ComplaintRootCause:
    with transaction.atomic():
        complaint = complaint_services.lock_complaint(complaint_id)
        cause = RootCause.objects.filter(pk=root_cause_id, firm_id=complaint.firm_id).first()
        if cause is None:
            _invalid("That root cause is not in this firm's taxonomy.", {"root_cause": ["?"]})
        if not cause.active:
            raise ValidationFailed(
                E.ROOT_CAUSE_INACTIVE,
                f"'{cause.name}' is no longer in use: choose a current root cause.",
                fields={"root_cause": ["Inactive."]},
            )
        if ComplaintRootCause.objects.filter(complaint=complaint, root_cause=cause).exists():
            raise ValidationFailed(
                E.DUPLICATE,
                f"'{cause.name}' is already recorded on this complaint.",
                fields={"root_cause": ["Already assigned."]},
            )
        link = ComplaintRootCause(
            complaint=complaint,
            root_cause=cause,
            note=note.strip(),
            assigned_at=now,
            assigned_by=_user(actor),
        )
        _save(link, actor=actor, reason="root_cause.assign")
    return link


def complaint_root_cause_remove(
    *, complaint_id: int, root_cause_id: int, actor: Any, now: datetime
) -> None:
    with transaction.atomic():
        complaint = complaint_services.lock_complaint(complaint_id)
        link = ComplaintRootCause.objects.filter(
            complaint=complaint, root_cause_id=root_cause_id
        ).first()
        if link is None:
            raise NotFound(E.NOT_FOUND, "That root cause is not recorded on this complaint.")
        _delete(link, actor=actor, reason="root_cause.remove")


# --- incidents ------------------------------------------------------------------------------


def _validate_incident(
    name: str, started_at: datetime | None, ended_at: datetime | None, now: datetime
) -> None:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Required."]
    if started_at is None:
        errors["started_at"] = ["Required."]
    else:
        _aware(started_at, "started_at", now, errors)
    if ended_at is not None:
        if ended_at.tzinfo is None:
            errors["ended_at"] = ["Must include a time zone."]
        elif started_at is not None and started_at.tzinfo and ended_at < started_at:
            errors["ended_at"] = ["Cannot be before the start."]
    _check_errors(errors, "The incident could not be saved")


def _save_incident(incident: Incident, *, actor: Any, reason: str) -> None:
    try:
        with transaction.atomic():
            _save(incident, actor=actor, reason=reason)
    except IntegrityError:
        raise ValidationFailed(
            E.DUPLICATE,
            f"An incident called '{incident.name}' already exists.",
            fields={"name": ["Already used."]},
        ) from None


def incident_create(
    *,
    firm: Firm,
    actor: Any,
    now: datetime,
    name: str,
    started_at: datetime,
    ended_at: datetime | None = None,
    description: str = "",
) -> Incident:
    _validate_incident(name, started_at, ended_at, now)
    incident = Incident(
        firm=firm,
        name=name.strip(),
        description=description.strip(),
        started_at=started_at,
        ended_at=ended_at,
        created_by=_user(actor),
        created_at=now,
    )
    _save_incident(incident, actor=actor, reason="incident.create")
    return incident


def _lock_incident(incident_id: int) -> Incident:
    incident = Incident.objects.select_for_update().filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(E.NOT_FOUND, f"Incident {incident_id} not found.")
    return incident


def incident_update(
    *,
    incident_id: int,
    actor: Any,
    now: datetime,
    name: str,
    started_at: datetime,
    ended_at: datetime | None,
    description: str = "",
) -> Incident:
    _validate_incident(name, started_at, ended_at, now)
    with transaction.atomic():
        incident = _lock_incident(incident_id)
        incident.name = name.strip()
        incident.description = description.strip()
        incident.started_at = started_at
        incident.ended_at = ended_at
        _save_incident(incident, actor=actor, reason="incident.update")
    return incident


def incident_delete(*, incident_id: int, actor: Any) -> None:
    """Only an incident recorded by mistake (nothing linked, no actions) can be deleted."""
    with transaction.atomic():
        incident = _lock_incident(incident_id)
        if incident.links.exists() or incident.actions.exists():
            raise ConflictError(
                E.INCIDENT_IN_USE,
                "Complaints or actions are linked to this incident: unlink them first.",
            )
        _delete(incident, actor=actor, reason="incident.delete")


@dataclass(frozen=True)
class LinkResult:
    linked: int
    already_linked: int


def incident_link(
    *, incident_id: int, complaint_ids: Iterable[int], actor: Any, now: datetime
) -> LinkResult:
    """Link complaints (individually or a whole search result) to the incident."""
    wanted = set(complaint_ids)
    with transaction.atomic():
        # Locking the incident serialises concurrent link requests for it.
        incident = _lock_incident(incident_id)
        found = set(
            Complaint.objects.filter(pk__in=wanted, firm_id=incident.firm_id).values_list(
                "pk", flat=True
            )
        )
        if missing := wanted - found:
            raise ValidationFailed(
                E.OTHER_FIRM,
                f"{len(missing)} complaint(s) are not this firm's and were not linked.",
                fields={"complaint_ids": [f"Unknown: {', '.join(map(str, sorted(missing)))}"]},
            )
        existing = set(
            IncidentLink.objects.filter(incident=incident, complaint_id__in=found).values_list(
                "complaint_id", flat=True
            )
        )
        new = [
            IncidentLink(incident=incident, complaint_id=pk, linked_at=now, linked_by=_user(actor))
            for pk in sorted(found - existing)
        ]
        bulk_create_with_history(
            new, IncidentLink, default_user=_user(actor), default_change_reason="incident.link"
        )
    return LinkResult(linked=len(new), already_linked=len(existing))


def incident_unlink(
    *, incident_id: int, complaint_ids: Iterable[int], actor: Any, now: datetime
) -> int:
    with transaction.atomic():
        incident = _lock_incident(incident_id)
        links = list(IncidentLink.objects.filter(incident=incident, complaint_id__in=complaint_ids))
        for link in links:
            _delete(link, actor=actor, reason="incident.unlink")
    return len(links)


def _incident_targets(incident: Incident, complaint_ids: Iterable[int] | None) -> list[tuple]:
    qs = Complaint.objects.filter(incident_links__incident=incident)
    if complaint_ids is not None:
        qs = qs.filter(pk__in=list(complaint_ids))
    return list(qs.order_by("received_at", "pk").values_list("pk", "reference"))


def _run_bulk(
    *,
    incident_id: int,
    action: str,
    actor: Any,
    now: datetime,
    complaint_ids: Iterable[int] | None,
    parameters: dict,
    each: Callable[[int], None],
) -> BulkRun:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(E.NOT_FOUND, f"Incident {incident_id} not found.")
    targets = _incident_targets(incident, complaint_ids)
    run = BulkRun(
        incident=incident, action=action, parameters=parameters, actor=_user(actor), started_at=now
    )
    _save(run, actor=actor, reason=f"incident.bulk_{action}.start")
    results = []
    for pk, reference in targets:
        # One complaint at a time, each in its own transaction (a savepoint when the caller is
        # already in one): a refusal on one is reported and leaves the others untouched.
        try:
            with transaction.atomic():
                each(pk)
        except DomainError as exc:
            results.append(
                {"complaint_id": pk, "reference": reference, "ok": False, "reason": exc.message}
            )
        except Exception as exc:
            log.exception("Bulk %s failed on complaint %s", action, pk)
            results.append(
                {
                    "complaint_id": pk,
                    "reference": reference,
                    "ok": False,
                    "reason": f"Unexpected error: {exc.__class__.__name__}",
                }
            )
        else:
            results.append({"complaint_id": pk, "reference": reference, "ok": True, "reason": ""})
    run.results = results
    run.succeeded = sum(1 for r in results if r["ok"])
    run.failed = len(results) - run.succeeded
    run.finished_at = now
    _save(
        run,
        actor=actor,
        reason=f"incident.bulk_{action}.finish",
        fields=["results", "succeeded", "failed", "finished_at"],
    )
    return run


def incident_bulk_assign(
    *,
    incident_id: int,
    owner_id: int,
    actor: Any,
    now: datetime,
    complaint_ids: Iterable[int] | None = None,
) -> BulkRun:
    """Assign the incident's complaints (all, or those chosen) to one handler, each through
    ``complaints.services.complaint_assign`` (audited on the complaint)."""
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(E.NOT_FOUND, f"Incident {incident_id} not found.")
    owner = _member(incident.firm_id, owner_id)
    return _run_bulk(
        incident_id=incident_id,
        action=BulkAction.ASSIGN,
        actor=actor,
        now=now,
        complaint_ids=complaint_ids,
        parameters={"owner_id": owner.pk, "owner": owner.get_full_name() or owner.username},
        each=lambda pk: complaint_services.complaint_assign(
            complaint_id=pk, actor=actor, now=now, owner_id=owner.pk
        ),
    )


def incident_bulk_acknowledge(
    *,
    incident_id: int,
    actor: Any,
    now: datetime,
    complaint_ids: Iterable[int] | None = None,
    method: str = DeliveryMethod.EMAIL,
) -> BulkRun:
    """DISP 1.6.1R(1): acknowledge each complaint with the standard letter through
    ``complaints.services.complaint_acknowledge``; one already acknowledged is reported."""
    if method not in DeliveryMethod.values:
        _invalid("Unknown delivery method.", {"method": [f"One of {DeliveryMethod.values}."]})
    return _run_bulk(
        incident_id=incident_id,
        action=BulkAction.ACKNOWLEDGE,
        actor=actor,
        now=now,
        complaint_ids=complaint_ids,
        parameters={"method": method},
        each=lambda pk: complaint_services.complaint_acknowledge(
            complaint_id=pk, actor=actor, now=now, method=method
        ),
    )


# --- action register ------------------------------------------------------------------------


def action_create(
    *,
    firm: Firm,
    actor: Any,
    now: datetime,
    title: str,
    owner_id: int,
    due_on: date | None,
    review_on: date | None,
    root_cause_id: int | None = None,
    incident_id: int | None = None,
    description: str = "",
) -> RemediationAction:
    """DISP 1.3.3R: an action raised from a root cause or an incident."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Required."]
    if due_on is None:
        errors["due_on"] = ["Required."]
    if review_on is None:
        errors["review_on"] = ["Set when the fix's effectiveness will be reviewed."]
    elif due_on is not None and review_on < due_on:
        errors["review_on"] = ["The review comes after the fix is due."]
    if root_cause_id is None and incident_id is None:
        errors["root_cause"] = ["Raise the action from a root cause or an incident."]
    if root_cause_id and not RootCause.objects.filter(pk=root_cause_id, firm=firm).exists():
        errors["root_cause"] = ["Not in this firm's taxonomy."]
    if incident_id and not Incident.objects.filter(pk=incident_id, firm=firm).exists():
        errors["incident"] = ["Not this firm's incident."]
    _check_errors(errors, "The action could not be raised")
    owner = _member(firm.pk, owner_id)
    action = RemediationAction(
        firm=firm,
        title=title.strip(),
        description=description.strip(),
        root_cause_id=root_cause_id,
        incident_id=incident_id,
        owner=owner,
        due_on=due_on,
        review_on=review_on,
        created_at=now,
    )
    _save(action, actor=actor, reason="action.create")
    return action


def action_set_status(
    *,
    action_id: int,
    actor: Any,
    now: datetime,
    status: str,
    fix_date: date | None = None,
    review_note: str = "",
    expected_version: int | None = None,
) -> RemediationAction:
    """Move an action through the register. 'Done' records when the fix went live; a verdict
    (effective or not) needs the review's note and cannot come before the fix."""
    if status not in ActionStatus.values:
        _invalid("Unknown status.", {"status": [f"One of {', '.join(ActionStatus.values)}."]})
    with transaction.atomic():
        action = RemediationAction.objects.select_for_update().filter(pk=action_id).first()
        if action is None:
            raise NotFound(E.NOT_FOUND, f"Action {action_id} not found.")
        _stale(action, expected_version)
        if status not in ACTION_TRANSITIONS[action.status]:
            raise ConflictError(
                E.INVALID_STATE,
                f"An action that is {action.get_status_display().lower()} cannot become "
                f"{ActionStatus(status).label.lower()}.",
                extra={"status": action.status, "version": action.version},
            )
        fields = ["status", "version"]
        today = london_date(now)
        if status == ActionStatus.DONE:
            fix = fix_date or today
            if fix > today:
                _invalid("The fix cannot go live in the future.", {"fix_date": ["Future."]})
            action.fix_date = fix
            fields.append("fix_date")
        if status in (ActionStatus.VERIFIED_EFFECTIVE, ActionStatus.NOT_EFFECTIVE):
            if not review_note.strip():
                _invalid(
                    "Record what the effectiveness review found.",
                    {"review_note": ["Required."]},
                )
            action.review_note = review_note.strip()
            action.reviewed_at = now
            action.reviewed_by = _user(actor)
            fields += ["review_note", "reviewed_at", "reviewed_by"]
        action.status = status
        action.version += 1
        _save(action, actor=actor, reason=f"action.{status}", fields=fields)
    return action
