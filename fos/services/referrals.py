"""Logging a referral, its reference and its jurisdiction checklist."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from common.audit import history_user, save_audited
from common.dates import london_date, uk_date
from common.errors import ConflictError, TransitionRefused, ValidationFailed
from complaints.choices import Activity
from complaints.models import Complaint, Representative
from complaints.services import lock_complaint

from .. import jurisdiction
from ..choices import ReferredBy, Stage
from ..errors import FosErrorCode
from ..models import Referral, ReferralStage
from ._locking import referral_change
from ._validation import _invalid

# --- jurisdiction checklist -------------------------------------------------------------


def facts_for(referral: Referral, complaint: Complaint) -> jurisdiction.Facts:
    firm = complaint.firm
    person = complaint.complainant
    sent = complaint.final_response_sent_at or complaint.src_sent_at
    return jurisdiction.Facts(
        referred_on=referral.referred_on,
        activity=complaint.activity,
        activity_from_uk=firm.activity_from_uk(complaint.activity),
        firm_issues_stablecoin=firm.activity_from_uk(Activity.ISSUING_STABLECOIN) is not None,
        event_date=complaint.event_date,
        event_date_unknown=complaint.event_date_unknown,
        commencement=settings.CRYPTO_COMMENCEMENT_DATE,
        complainant_type=person.complainant_type,
        relationship=complaint.relationship,
        arrived_on=complaint.arrived_on,
        fos_referral_open_from=complaint.fos_referral_open_from,
        response_sent_on=london_date(sent) if sent else None,
        fos_six_month_deadline=complaint.fos_six_month_deadline,
        time_bar_date=complaint.time_bar_date,
        consents_to_waive=complaint.consents_to_waive_time_limits,
        employees=person.employees,
        turnover_gbp=person.turnover_gbp,
        turnover_eur=person.turnover_eur,
        balance_sheet_gbp=person.balance_sheet_gbp,
        balance_sheet_eur=person.balance_sheet_eur,
        annual_income_gbp=person.annual_income_gbp,
        net_asset_value_gbp=person.net_asset_value_gbp,
    )


def _apply_checklist(referral: Referral, complaint: Complaint, now: datetime) -> None:
    lines = jurisdiction.assess(facts_for(referral, complaint))
    referral.checklist = [line.as_dict() for line in lines]
    referral.jurisdiction_result = jurisdiction.overall(lines)
    referral.checklist_computed_at = now


def _record_stage(
    referral: Referral,
    *,
    action: str,
    on: date,
    actor: AbstractBaseUser | None,
    now: datetime,
    note: str = "",
) -> ReferralStage:
    row = ReferralStage(
        referral=referral,
        stage=referral.stage,
        action=action,
        entered_on=on,
        recorded_at=now,
        recorded_by=history_user(actor),
        note=note,
    )
    save_audited(row, actor=actor, reason=f"fos.{action}")
    return row


def _require_unused_reference(firm_id: int, fos_reference: str, excluding: int = 0) -> None:
    """A FOS reference names one referral of the firm."""
    clash = Referral.objects.filter(firm_id=firm_id, fos_reference=fos_reference)
    if clash.exclude(pk=excluding).exists():
        raise _invalid(
            f"fos_reference: {fos_reference} is already used by another referral.",
            {"fos_reference": ["Already used by another referral of this firm."]},
        )


# --- logging a referral -----------------------------------------------------------------


def _representative(complaint_id: int, representative_id: int | None) -> Representative | None:
    """One of the complaint's complainant's representatives, or a refusal naming the field."""
    if representative_id is None:
        return None
    rep = Representative.objects.filter(
        pk=representative_id, complainant__complaints__pk=complaint_id
    ).first()
    if rep is None:
        raise _invalid(
            "representative_id: not a representative of this complainant.",
            {"representative_id": ["Not a representative of this complainant."]},
        )
    return rep


def referral_log(
    *,
    complaint_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    referred_on: date | None,
    referred_by: str = ReferredBy.COMPLAINANT,
    representative_name: str = "",
    representative_id: int | None = None,
    fos_reference: str = "",
    notes: str = "",
) -> Referral:
    """Log that the complainant took the complaint to the FOS, and run the jurisdiction
    checklist (DISP 2) against the complaint as it stands. Brought by one of the complainant's
    recorded representatives (``representative_id``), the referral carries the professional-
    representative flag the case fee depends on from the representative's kind (FOS case fees
    from 1 April 2025, ``fos.fees``), whatever ``referred_by`` says."""
    fos_reference = fos_reference.strip()
    representative = _representative(complaint_id, representative_id)
    if representative is not None:
        referred_by = (
            ReferredBy.PROFESSIONAL_REPRESENTATIVE
            if representative.is_professional
            else ReferredBy.COMPLAINANT
        )
        representative_name = representative.display_name
    representative_name = representative_name.strip()
    errors: dict[str, list[str]] = {}
    if referred_by not in ReferredBy.values:
        errors["referred_by"] = [f"Choose one of {', '.join(ReferredBy.values)}."]
    if referred_by == ReferredBy.PROFESSIONAL_REPRESENTATIVE and not representative_name:
        errors["representative_name"] = ["Name the professional representative."]
    if referred_on is None:
        errors["referred_on"] = ["Required."]
    elif referred_on > london_date(now):
        errors["referred_on"] = ["Cannot be in the future."]
    ValidationFailed.check(FosErrorCode.VALIDATION, "The referral could not be logged", errors)
    assert referred_on is not None
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        if not complaint.is_complaint:
            raise TransitionRefused(
                FosErrorCode.NOT_A_COMPLAINT,
                "This is feedback or a query, not a complaint: it cannot be referred to the FOS.",
                rule="Glossary: complaint",
            )
        if referred_on < complaint.arrived_on:
            raise _invalid(
                f"referred_on: cannot be before the complaint was received "
                f"({uk_date(complaint.arrived_on)}).",
                {"referred_on": ["Before the complaint was received."]},
            )
        if complaint.fos_referrals.filter(stage__in=Stage.active()).exists():
            raise ConflictError(
                FosErrorCode.ALREADY_REFERRED,
                "This complaint already has an open FOS referral.",
            )
        if fos_reference:
            _require_unused_reference(complaint.firm_id, fos_reference)
        referral = Referral(
            firm=complaint.firm,
            complaint=complaint,
            fos_reference=fos_reference,
            referred_on=referred_on,
            referred_by=referred_by,
            representative_name=representative_name,
            representative=representative,
            stage_entered_on=referred_on,
            firm_outcome=complaint.outcome,
            notes=notes.strip(),
            created_by=history_user(actor),
            created_at=now,
        )
        _apply_checklist(referral, complaint, now)
        save_audited(referral, actor=actor, reason="fos.log")
        _record_stage(referral, action="log", on=referred_on, actor=actor, now=now)
    return referral


def referral_set_reference(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    fos_reference: str,
    expected_version: int | None = None,
) -> Referral:
    fos_reference = fos_reference.strip()
    if not fos_reference:
        raise _invalid("fos_reference: required.", {"fos_reference": ["Required."]})
    with referral_change(
        referral_id, expected_version, actor=actor, reason="fos.set_reference"
    ) as referral:
        _require_unused_reference(referral.firm_id, fos_reference, excluding=referral.pk)
        referral.fos_reference = fos_reference
    return referral


def referral_recompute_checklist(
    *, referral_id: int, actor: AbstractBaseUser | None, now: datetime
) -> Referral:
    """Re-run the checklist after the complaint's facts changed (e.g. thresholds, dates)."""
    with referral_change(referral_id, actor=actor, reason="fos.recompute_checklist") as referral:
        complaint = Complaint.objects.select_related("firm", "complainant").get(
            pk=referral.complaint_id
        )
        _apply_checklist(referral, complaint, now)
    return referral
