"""Use cases that write. The only write path for complaints.

Every service is keyword-only, takes the acting user and ``now`` explicitly, runs in one
transaction, locks the complaint row (``select_for_update``) before reading its state, checks the
DISP guard, runs the transition, saves only the changed fields, and records a history entry whose
change reason names the use case and whose user is the actor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.dispatch import Signal

from common.audit import save_audited as _save_audited
from common.audit import snapshot as _snapshot
from common.dates import london_date, uk_date
from common.errors import ConflictError, NotFound, ValidationFailed

from . import guards
from .choices import (
    Activity,
    Channel,
    CommunicationKind,
    DeliveryMethod,
    ForwardPart,
    Outcome,
    ReceivedVia,
    Regime,
    Relationship,
)
from .deadlines import apply_deadlines
from .errors import ErrorCode
from .models import (
    Communication,
    Complainant,
    Complaint,
    Firm,
    Membership,
    Note,
    ReferenceCounter,
)

# Sent after the transaction commits, with ``complaint_id`` and ``action``; other capabilities
# (letters, notifications) connect here instead of adding write paths of their own.
complaint_changed = Signal()
logger = logging.getLogger(__name__)

User = AbstractBaseUser


def _after_commit(complaint_id: int, action: str) -> None:
    transaction.on_commit(lambda: _notify_changed(complaint_id, action))


def _notify_changed(complaint_id: int, action: str) -> None:
    # The write is committed: a failing receiver (a broker that is down, say) is logged, never
    # turned into an error for the user whose complaint was saved. Only IDs are logged.
    for receiver, result in complaint_changed.send_robust(
        sender=Complaint, complaint_id=complaint_id, action=action
    ):
        if isinstance(result, Exception):
            logger.error(
                "complaint_changed receiver %s failed for complaint %s (%s): %s",
                getattr(receiver, "__qualname__", receiver),
                complaint_id,
                action,
                type(result).__name__,
                exc_info=result,
            )


def lock_complaint(complaint_id: int, *, firm_ids: list[int] | None = None) -> Complaint:
    """Lock one complaint row for the rest of the transaction (lock order: complaint first)."""
    qs = Complaint.objects.select_for_update(of=("self",)).select_related("firm")
    if firm_ids is not None:
        qs = qs.filter(firm_id__in=firm_ids)
    try:
        return qs.get(pk=complaint_id)
    except Complaint.DoesNotExist:
        raise NotFound(ErrorCode.NOT_FOUND, f"Complaint {complaint_id} not found.") from None


def _check_version(complaint: Complaint, expected_version: int | None) -> None:
    """A caller holding a stale view (its version is old) gets a conflict, never a lost update."""
    if expected_version is not None and complaint.version != expected_version:
        raise ConflictError(
            ErrorCode.STALE,
            "Someone else changed this complaint after you opened it. Review its current "
            "state and try again.",
            extra={"status": complaint.status, "version": complaint.version},
        )


def _act(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    action: str,
    reason: str,
    expected_version: int | None,
    apply: Callable[[Complaint], None],
    at: datetime | None = None,
    recompute: bool = False,
) -> Complaint:
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        _check_version(complaint, expected_version)
        guards.check(complaint, action, at or now)
        before = _snapshot(complaint)
        apply(complaint)
        if recompute:
            apply_deadlines(complaint, now=now)
        complaint.version += 1
        _save_audited(complaint, actor=actor, reason=reason, before=before)
        _after_commit(complaint.pk, action)
    return complaint


def _require_sent_at(sent_at: datetime, now: datetime) -> None:
    if sent_at.tzinfo is None:
        raise ValidationFailed(
            ErrorCode.VALIDATION, "sent_at must include a time zone.", fields={"sent_at": ["naive"]}
        )
    if sent_at > now:
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            "A communication cannot be recorded as sent in the future.",
            fields={"sent_at": ["Must not be later than now."]},
        )


def _record_communication(
    complaint: Complaint,
    *,
    kind: str,
    method: str,
    sent_at: datetime,
    actor: User | None,
    fos_right: bool = False,
    six_month: bool = False,
    waiver: bool = False,
    summary: str = "",
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
        sent_by=actor if getattr(actor, "pk", None) else None,
        includes_fos_referral_right=fos_right,
        includes_six_month_wording=six_month,
        waiver_consent=waiver,
        summary=summary,
    )
    _save_audited(comm, actor=actor, reason=f"communication.{kind}", before=None)
    return comm


def _issue_letter(
    complaint: Complaint,
    *,
    action: str,
    letter_id: int | None,
    actor: User | None,
    now: datetime,
    sent_at: datetime,
    method: str,
    letter_type: str | None = None,
    **inputs: Any,
) -> Any:
    """The letter this transition sends (DISP 1.5.4R, 1.6, 1.7, 1.8), prepared inside the same
    transaction: a draft (``letter_id``) or the firm's current template. If the letter lacks any
    content DISP requires, this raises and the whole action rolls back."""
    # Imported here: the letters app builds on this module and calls these services to send.
    from letters import lifecycle
    from letters.rendering import LetterInputs

    return lifecycle.issue(
        complaint=complaint,
        action=action,
        letter_id=letter_id,
        actor=actor,
        now=now,
        sent_at=sent_at,
        method=method,
        inputs=LetterInputs(**inputs),
        letter_type=letter_type,
    )


# --- intake ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplainantData:
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    client_reference: str = ""
    complainant_type: str = "consumer"
    is_retail: bool = True
    vulnerable_health: bool = False
    vulnerable_life_events: bool = False
    vulnerable_resilience: bool = False
    vulnerable_capability: bool = False
    vulnerability_note: str = ""


def _choice_error(field: str, value: str, choices: list[str]) -> dict[str, list[str]]:
    return {field: [f"{value!r} is not one of: {', '.join(choices)}."]}


def _validate_intake(
    *,
    now: datetime,
    received_at: datetime,
    channel: str,
    received_via: str,
    relationship: str,
    activity: str,
    regime: str,
    event_date: date | None,
    awareness_date: date | None,
    description: str,
    is_complaint: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    if received_at.tzinfo is None:
        errors["received_at"] = ["Must include a time zone."]
    elif received_at > now:
        errors["received_at"] = ["Cannot be in the future."]
    for field, value, enum in (
        ("channel", channel, Channel),
        ("received_via", received_via, ReceivedVia),
        ("relationship", relationship, Relationship),
        ("activity", activity, Activity),
        ("regime", regime, Regime),
    ):
        if value not in enum.values:
            errors.update(_choice_error(field, value, enum.values))
    if not description.strip():
        errors["description"] = ["Describe what the complainant is dissatisfied with."]
    receipt = london_date(received_at) if "received_at" not in errors else None
    if event_date and receipt and event_date > receipt:
        errors["event_date"] = [
            "The event complained of cannot be after the complaint was received."
        ]
    if awareness_date and receipt and awareness_date > receipt:
        errors["awareness_date"] = ["Awareness cannot be after the complaint was received."]
    if event_date and awareness_date and awareness_date < event_date:
        errors["awareness_date"] = ["Awareness cannot be before the event complained of."]
    if errors:
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            "The complaint could not be logged: "
            + "; ".join(f"{k}: {v[0]}" for k, v in errors.items()),
            fields=errors,
        )


def _next_reference(firm: Firm, year: int) -> str:
    counter, _ = ReferenceCounter.objects.get_or_create(firm=firm, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{firm.reference_prefix}-{year}-{counter.last:05d}"


def complainant_create(*, firm: Firm, actor: User | None, data: ComplainantData) -> Complainant:
    if not data.name.strip():
        raise ValidationFailed(
            ErrorCode.VALIDATION, "The complainant needs a name.", fields={"name": ["Required."]}
        )
    complainant = Complainant(firm=firm, **data.__dict__)
    complainant.full_clean(exclude=["firm"])
    _save_audited(complainant, actor=actor, reason="complainant.create", before=None)
    return complainant


def complaint_register(
    *,
    firm: Firm,
    actor: User | None,
    now: datetime,
    received_at: datetime,
    channel: str,
    activity: str,
    description: str,
    complainant_id: int | None = None,
    complainant: ComplainantData | None = None,
    received_via: str = ReceivedVia.DIRECT,
    forwarded_from_firm: str = "",
    relationship: str = Relationship.CUSTOMER,
    expression_of_dissatisfaction: bool = True,
    alleged_financial_loss: bool = False,
    alleged_material_distress: bool = False,
    alleged_material_inconvenience: bool = False,
    regime: str = Regime.STANDARD,
    event_date: date | None = None,
    awareness_date: date | None = None,
    owner_id: int | None = None,
    external_reference: str = "",
    reference: str | None = None,
    change_reason: str = "complaint.register",
) -> Complaint:
    """Log a complaint (or feedback/query) and compute its DISP deadlines.

    Glossary 'complaint' limb (2): an expression of dissatisfaction alleging financial loss,
    material distress or material inconvenience. Anything else is stored as feedback or a query
    and is never counted in SUP 16.34 returns.
    """
    alleges = alleged_financial_loss or alleged_material_distress or alleged_material_inconvenience
    is_complaint = expression_of_dissatisfaction and alleges
    _validate_intake(
        now=now,
        received_at=received_at,
        channel=channel,
        received_via=received_via,
        relationship=relationship,
        activity=activity,
        regime=regime,
        event_date=event_date,
        awareness_date=awareness_date,
        description=description,
        is_complaint=is_complaint,
    )
    if (complainant_id is None) == (complainant is None):
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            "Give either an existing complainant or a new complainant's details.",
            fields={"complainant": ["Required."]},
        )
    with transaction.atomic():
        if complainant_id is not None:
            person = Complainant.objects.filter(pk=complainant_id, firm=firm).first()
            if person is None:
                raise ValidationFailed(
                    ErrorCode.VALIDATION,
                    "That complainant does not exist in this firm.",
                    fields={"complainant": ["Unknown complainant."]},
                )
        else:
            assert complainant is not None
            person = complainant_create(firm=firm, actor=actor, data=complainant)
        owner = None
        if owner_id is not None:
            owner = _member_user(firm, owner_id)
        complaint = Complaint(
            firm=firm,
            complainant=person,
            received_at=received_at,
            channel=channel,
            received_via=received_via,
            forwarded_from_firm=forwarded_from_firm,
            relationship=relationship,
            activity=activity,
            description=description.strip(),
            expression_of_dissatisfaction=expression_of_dissatisfaction,
            alleged_financial_loss=alleged_financial_loss,
            alleged_material_distress=alleged_material_distress,
            alleged_material_inconvenience=alleged_material_inconvenience,
            is_complaint=is_complaint,
            regime=regime,
            event_date=event_date,
            awareness_date=awareness_date,
            owner=owner,
            external_reference=external_reference,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        apply_deadlines(complaint, now=now)
        complaint.reference = reference or _next_reference(firm, complaint.receipt_date.year)
        _save_audited(complaint, actor=actor, reason=change_reason, before=None)
        _after_commit(complaint.pk, "register")
    return complaint


def _member_user(firm: Firm, user_id: int) -> Any:
    membership = (
        Membership.objects.select_related("user").filter(firm=firm, user_id=user_id).first()
    )
    if membership is None or not membership.user.is_active:
        raise ValidationFailed(
            ErrorCode.OWNER_NOT_MEMBER,
            "The owner must be an active member of the complaint's firm.",
            fields={"owner": ["Not a member of this firm."]},
        )
    return membership.user


# --- lifecycle ---------------------------------------------------------------------------


def complaint_acknowledge(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    expected_version: int | None = None,
    letter_id: int | None = None,
) -> Complaint:
    """DISP 1.6.1R(1): prompt written acknowledgement with the response timetable and the
    complaints procedure summary (DISP 1.2.1R(3)), sent as a checked letter."""
    sent_at = sent_at or now
    _require_sent_at(sent_at, now)

    def apply(c: Complaint) -> None:
        issued = _issue_letter(
            c,
            action="acknowledge",
            letter_id=letter_id,
            actor=actor,
            now=now,
            sent_at=sent_at,
            method=method,
        )
        c.acknowledge(sent_at=sent_at)
        comm = _record_communication(
            c,
            kind=CommunicationKind.ACKNOWLEDGEMENT,
            method=issued.method,
            sent_at=sent_at,
            actor=actor,
        )
        issued.mark_sent(comm)

    return _act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="acknowledge",
        reason="complaint.acknowledge",
        expected_version=expected_version,
        apply=apply,
        at=sent_at,
    )


def complaint_start_investigation(
    *, complaint_id: int, actor: User | None, now: datetime, expected_version: int | None = None
) -> Complaint:
    return _act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="start_investigation",
        reason="complaint.start_investigation",
        expected_version=expected_version,
        apply=lambda c: c.start_investigation(),
    )


def _require_decision(outcome: str) -> None:
    if outcome not in Outcome.decisions():
        raise ValidationFailed(
            ErrorCode.OUTCOME_REQUIRED,
            "A response needs an outcome: upheld, partially upheld, not upheld, or a goodwill "
            "payment without a decision.",
            fields={"outcome": [f"Choose one of {', '.join(Outcome.decisions())}."]},
            rule="DISP 1.6.2R(1)",
        )


def complaint_resolve_summary(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    outcome: str,
    sent_at: datetime | None = None,
    accepted_at: datetime | None = None,
    consents_to_waive: bool = False,
    method: str = DeliveryMethod.EMAIL,
    summary: str = "",
    expected_version: int | None = None,
    letter_id: int | None = None,
    redress_summary: str = "",
) -> Complaint:
    """DISP 1.5: resolved by close of business on the 3rd business day after receipt, with
    the complainant's acceptance (DISP 1.5.2AR) and an SRC sent (DISP 1.5.4R). The SRC starts
    the FOS six-month clock (DISP 2.8.2R(1)) only if the sent letter carried the six-month
    wording (DISP 2.8.3G)."""
    sent_at = sent_at or now
    accepted_at = accepted_at or sent_at
    _require_sent_at(sent_at, now)
    _require_decision(outcome)

    def apply(c: Complaint) -> None:
        issued = _issue_letter(
            c,
            action="resolve_summary",
            letter_id=letter_id,
            actor=actor,
            now=now,
            sent_at=sent_at,
            method=method,
            outcome=outcome,
            consents_to_waive=consents_to_waive,
            reasons=summary,
            redress_summary=redress_summary,
        )
        c.resolve_summary(
            sent_at=sent_at, accepted_at=accepted_at, outcome=outcome, waiver=issued.waiver
        )
        # DISP 2.8.3G: the six-month limit runs only if the letter as sent told the complainant.
        c.six_month_wording_included = issued.six_month
        comm = _record_communication(
            c,
            kind=CommunicationKind.SUMMARY_RESOLUTION,
            method=issued.method,
            sent_at=sent_at,
            actor=actor,
            fos_right=issued.fos_right,
            six_month=issued.six_month,
            waiver=issued.waiver,
            summary=summary,
        )
        issued.mark_sent(comm)

    return _act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="resolve_summary",
        reason="complaint.resolve_summary",
        expected_version=expected_version,
        apply=apply,
        # Conservative reading: both the acceptance (DISP 1.5.2AR) and the SRC must fall by
        # close of business on the 3rd business day.
        at=max(accepted_at, sent_at),
        recompute=True,
    )


def complaint_send_holding_response(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    reasons: str,
    expected_final_response_on: date | None = None,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    expected_version: int | None = None,
    letter_id: int | None = None,
) -> Complaint:
    """DISP 1.6.2R(2): explains why no final response yet and when to expect one, and that the
    complainant may now refer to the FOS. PSD/EMD: DISP 1.6.2AR(2), within 15 business days.
    Without a date from the handler the letter gives the PSD/EMD 35-business-day deadline, or
    the firm's policy date (``LETTERS_HOLDING_EXPECTED_DAYS`` after sending)."""
    sent_at = sent_at or now
    _require_sent_at(sent_at, now)
    if not reasons.strip():
        raise ValidationFailed(
            ErrorCode.REASON_REQUIRED,
            "A holding response must explain why a final response cannot be made yet.",
            fields={"reasons": ["Required."]},
            rule="DISP 1.6.2R(2)(a)",
        )

    def apply(c: Complaint) -> None:
        issued = _issue_letter(
            c,
            action="send_holding_response",
            letter_id=letter_id,
            actor=actor,
            now=now,
            sent_at=sent_at,
            method=method,
            reasons=reasons,
            expected_final_response_on=expected_final_response_on,
        )
        c.send_holding_response(
            sent_at=sent_at, expected_on=issued.letter.expected_final_response_on
        )
        comm = _record_communication(
            c,
            kind=CommunicationKind.HOLDING_RESPONSE,
            method=issued.method,
            sent_at=sent_at,
            actor=actor,
            fos_right=issued.fos_right,
            summary=reasons,
        )
        issued.mark_sent(comm)

    return _act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="send_holding_response",
        reason="complaint.holding_response",
        expected_version=expected_version,
        apply=apply,
        at=sent_at,
        recompute=True,
    )


def complaint_send_final_response(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    outcome: str,
    sent_at: datetime | None = None,
    six_month_wording: bool = True,
    consents_to_waive: bool = False,
    method: str = DeliveryMethod.EMAIL,
    summary: str = "",
    expected_version: int | None = None,
    letter_id: int | None = None,
    redress_summary: str = "",
) -> Complaint:
    """DISP 1.6.2R(1): a final response with an outcome. The FOS six-month window runs from the
    date it was sent only if it carried the six-month wording (DISP 2.8.3G): that is read from
    the sent letter's content check. ``six_month_wording`` is kept for older callers and can
    only withhold the window (record that the wording was not relied on), never grant it."""
    sent_at = sent_at or now
    _require_sent_at(sent_at, now)
    _require_decision(outcome)

    def apply(c: Complaint) -> None:
        issued = _issue_letter(
            c,
            action="send_final_response",
            letter_id=letter_id,
            actor=actor,
            now=now,
            sent_at=sent_at,
            method=method,
            outcome=outcome,
            consents_to_waive=consents_to_waive,
            reasons=summary,
            redress_summary=redress_summary,
        )
        six_month = issued.six_month and six_month_wording
        c.send_final_response(
            sent_at=sent_at,
            outcome=outcome,
            six_month_wording=six_month,
            waiver=issued.waiver,
        )
        comm = _record_communication(
            c,
            kind=CommunicationKind.FINAL_RESPONSE,
            method=issued.method,
            sent_at=sent_at,
            actor=actor,
            fos_right=issued.fos_right,
            six_month=six_month,
            waiver=issued.waiver,
            summary=summary,
        )
        issued.mark_sent(comm)

    return _act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="send_final_response",
        reason="complaint.final_response",
        expected_version=expected_version,
        apply=apply,
        at=sent_at,
        recompute=True,
    )


def complaint_reject_time_barred(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    summary: str = "",
    expected_version: int | None = None,
    letter_id: int | None = None,
) -> Complaint:
    """DISP 1.8: reject a complaint received outside the DISP 2.8.2R(2) limits without
    considering the merits, in a final response saying the FOS may still consider it
    (DISP 1 Annex 3R variant (2))."""
    sent_at = sent_at or now
    _require_sent_at(sent_at, now)

    def apply(c: Complaint) -> None:
        issued = _issue_letter(
            c,
            action="reject_time_barred",
            letter_id=letter_id,
            actor=actor,
            now=now,
            sent_at=sent_at,
            method=method,
            reasons=summary,
        )
        c.reject_time_barred(sent_at=sent_at, six_month_wording=issued.six_month)
        comm = _record_communication(
            c,
            kind=CommunicationKind.TIME_BARRED_REJECTION,
            method=issued.method,
            sent_at=sent_at,
            actor=actor,
            fos_right=issued.fos_right,
            six_month=issued.six_month,
            summary=summary,
        )
        issued.mark_sent(comm)

    return _act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="reject_time_barred",
        reason="complaint.reject_time_barred",
        expected_version=expected_version,
        apply=apply,
        at=sent_at,
        recompute=True,
    )


def complaint_forward(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    to_firm: str,
    to_contact: str,
    reason: str,
    part: str = ForwardPart.WHOLE,
    sent_at: datetime | None = None,
    method: str = DeliveryMethod.EMAIL,
    expected_version: int | None = None,
    letter_id: int | None = None,
    cover_letter_id: int | None = None,
) -> Complaint:
    """DISP 1.7: forward to the firm solely or jointly responsible, promptly and in writing,
    and tell the complainant why, with the other firm's contact details. Two letters go in the
    same transaction: the notice to the complainant and the covering letter to the other firm
    (``cover_letter_id``, or generated from the firm's template)."""
    sent_at = sent_at or now
    _require_sent_at(sent_at, now)
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

    def apply(c: Complaint) -> None:
        from letters.choices import LetterType

        details = dict(
            reasons=reason,
            other_firm_name=to_firm,
            other_firm_contact=to_contact,
            forward_part=part,
        )
        common = dict(actor=actor, now=now, sent_at=sent_at, method=method)
        notice = _issue_letter(c, action="forward", letter_id=letter_id, **common, **details)
        cover = _issue_letter(
            c,
            action="forward",
            letter_id=cover_letter_id,
            letter_type=LetterType.FORWARDING_COVER,
            **common,
            **details,
        )
        c.forward(sent_at=sent_at, to_firm=to_firm, contact=to_contact, part=part, reason=reason)
        comm = _record_communication(
            c,
            kind=CommunicationKind.FORWARDING_NOTICE,
            method=notice.method,
            sent_at=sent_at,
            actor=actor,
            summary=reason,
        )
        notice.mark_sent(comm)
        comm = _record_communication(
            c,
            kind=CommunicationKind.FORWARDING_COVER,
            method=cover.method,
            sent_at=sent_at,
            actor=actor,
            summary=f"To {to_firm}",
        )
        cover.mark_sent(comm)

    return _act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="forward",
        reason="complaint.forward",
        expected_version=expected_version,
        apply=apply,
        at=sent_at,
    )


def complaint_withdraw(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    reason: str = "",
    withdrawn_at: datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    at = withdrawn_at or now
    _require_sent_at(at, now)
    return _act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="withdraw",
        reason="complaint.withdraw",
        expected_version=expected_version,
        apply=lambda c: c.withdraw(at=at),
        at=at,
    )


def complaint_close(
    *, complaint_id: int, actor: User | None, now: datetime, expected_version: int | None = None
) -> Complaint:
    return _act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="close",
        reason="complaint.close",
        expected_version=expected_version,
        apply=lambda c: c.close(at=now),
    )


def complaint_reopen(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    reason: str,
    expected_version: int | None = None,
) -> Complaint:
    if not reason.strip():
        raise ValidationFailed(
            ErrorCode.REASON_REQUIRED,
            "Say why the complaint is reopened.",
            fields={"reason": ["Required."]},
        )

    def apply(c: Complaint) -> None:
        c.reopen()
        Note.objects.create(complaint=c, author=actor, body=f"Reopened: {reason}", created_at=now)

    return _act(
        complaint_id=complaint_id,
        actor=actor,
        now=now,
        action="reopen",
        reason="complaint.reopen",
        expected_version=expected_version,
        apply=apply,
    )


def complaint_assign(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    owner_id: int | None,
    expected_version: int | None = None,
) -> Complaint:
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        _check_version(complaint, expected_version)
        before = _snapshot(complaint)
        complaint.owner = _member_user(complaint.firm, owner_id) if owner_id else None
        complaint.version += 1
        _save_audited(complaint, actor=actor, reason="complaint.assign", before=before)
        _after_commit(complaint.pk, "assign")
    return complaint


def complaint_add_note(*, complaint_id: int, actor: User | None, now: datetime, body: str) -> Note:
    if not body.strip():
        raise ValidationFailed(
            ErrorCode.VALIDATION, "A note cannot be empty.", fields={"body": ["Required."]}
        )
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        note = Note(complaint=complaint, author=actor, body=body.strip(), created_at=now)
        _save_audited(note, actor=actor, reason="complaint.note", before=None)
    return note


def complaint_update_clock_inputs(
    *,
    complaint_id: int,
    actor: User | None,
    now: datetime,
    reason: str,
    received_at: datetime | None = None,
    regime: str | None = None,
    event_date: date | None = None,
    awareness_date: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Correct the inputs of the DISP clock; every deadline is recomputed and audited."""
    if not reason.strip():
        raise ValidationFailed(
            ErrorCode.REASON_REQUIRED,
            "Say why the clock inputs change.",
            fields={"reason": ["Required."]},
        )
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        _check_version(complaint, expected_version)
        _validate_intake(
            now=now,
            received_at=received_at or complaint.received_at,
            channel=complaint.channel,
            received_via=complaint.received_via,
            relationship=complaint.relationship,
            activity=complaint.activity,
            regime=regime or complaint.regime,
            event_date=event_date if event_date is not None else complaint.event_date,
            awareness_date=awareness_date
            if awareness_date is not None
            else complaint.awareness_date,
            description=complaint.description,
            is_complaint=complaint.is_complaint,
        )
        before = _snapshot(complaint)
        if received_at is not None:
            complaint.received_at = received_at
        if regime is not None:
            complaint.regime = regime
        if event_date is not None:
            complaint.event_date = event_date
        if awareness_date is not None:
            complaint.awareness_date = awareness_date
        apply_deadlines(complaint, now=now)
        complaint.version += 1
        _save_audited(
            complaint, actor=actor, reason=f"complaint.recompute_deadlines: {reason}", before=before
        )
        _after_commit(complaint.pk, "recompute_deadlines")
    return complaint


def complaint_recompute_deadlines(
    *, complaint_id: int, actor: User | None, now: datetime, reason: str
) -> tuple[Complaint, bool]:
    """Recompute after a calendar change; saves (with history) only if a deadline moved."""
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        before = _snapshot(complaint)
        apply_deadlines(complaint, now=now)
        moved = any(
            before[k] != getattr(complaint, k)
            for k in (
                "receipt_date",
                "src_deadline",
                "final_response_due",
                "extended_final_response_due",
                "fos_referral_open_from",
            )
        )
        if moved:
            complaint.version += 1
            _save_audited(
                complaint,
                actor=actor,
                reason=f"complaint.recompute_deadlines: {reason}",
                before=before,
            )
            _after_commit(complaint.pk, "recompute_deadlines")
    return complaint, moved


def describe_deadline_change(before: date | None, after: date | None) -> str:
    return f"{uk_date(before)} → {uk_date(after)}"
