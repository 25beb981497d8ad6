"""Award, chargeable date and the irrevocable consent to waive the time limits."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from common.audit import save_audited, snapshot
from common.dates import london_date
from common.errors import ConflictError, NotFound, TransitionRefused
from complaints.models import Complaint
from complaints.services import complaint_consent_to_waive_time_limits, lock_complaint

from ..awards import award_limit_for, compliance_target_days, interest_basis_for, split_award
from ..choices import FosOutcome, InterestBasis, Stage
from ..errors import FosErrorCode
from ..models import Referral
from ._locking import lock_referral, referral_change
from ._validation import _invalid, _require_past, _required_money
from .referrals import _apply_checklist

# --- award -----------------------------------------------------------------------------

_AWARD_STAGES = [
    Stage.INVESTIGATOR_VIEW_ISSUED,
    Stage.OMBUDSMAN_REVIEW,
    Stage.PROVISIONAL_DECISION,
    Stage.FINAL_DECISION,
    Stage.ACCEPTED,
]


def referral_record_award(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    amount: object,
    interest_basis: str | None = None,
    interest_from: date | None = None,
    interest_note: str = "",
    directions: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Record the money award and directions of an upheld view or decision.

    The applicable limit comes from the table keyed by referral date (DISP 3.7.4R); anything
    above it is only a recommendation (FSMA s.229(5)). The interest basis defaults by referral
    date (disp-rules.md §4.4).
    """
    value = _required_money("amount", amount)
    if interest_basis not in (None, "") and interest_basis not in InterestBasis.values:
        raise _invalid(
            "interest_basis: unknown.",
            {"interest_basis": [f"Choose one of {', '.join(InterestBasis.values)}."]},
        )
    with referral_change(
        referral_id,
        expected_version,
        actor=actor,
        reason="fos.record_award",
        select_related=("complaint",),
    ) as referral:
        if referral.stage not in _AWARD_STAGES:
            raise ConflictError(
                FosErrorCode.AWARD_NOT_ALLOWED,
                "An award is recorded with an investigator's view or an ombudsman's decision.",
                extra={"stage": referral.stage, "version": referral.version},
            )
        if referral.fos_outcome not in FosOutcome.in_complainants_favour() and value:
            raise TransitionRefused(
                FosErrorCode.AWARD_NOT_ALLOWED,
                "The FOS outcome is not upheld: there is no award to record.",
                extra={"stage": referral.stage, "version": referral.version},
            )
        limit = award_limit_for(referral.referred_on, referral.complaint.event_date)
        binding, excess = split_award(value, limit.amount if limit else None)
        referral.award_amount = value
        referral.award_limit = limit.amount if limit else None
        referral.award_limit_verified = limit.verified if limit else None
        referral.award_limit_effective_from = limit.effective_from if limit else None
        referral.award_recommended_excess = excess
        referral.interest_basis = interest_basis or interest_basis_for(referral.referred_on)
        referral.interest_from = interest_from
        referral.interest_note = interest_note.strip()
        referral.directions = directions.strip()
        if (
            referral.stage == Stage.ACCEPTED
            and referral.accepted_on
            and referral.requires_compliance
        ):
            referral.compliance_due_on = referral.accepted_on + timedelta(
                days=compliance_target_days()
            )
    return referral


# --- fees ------------------------------------------------------------------------------


def referral_set_chargeable_date(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    chargeable_on: date | None,
    note: str,
    expected_version: int | None = None,
) -> Referral:
    """Record the date the FOS made this a chargeable case (or clear it: not chargeable)."""
    if not note.strip():
        raise _invalid("note: say where the date comes from.", {"note": ["Required."]})
    _require_past("chargeable_on", chargeable_on, now)
    with referral_change(
        referral_id, expected_version, actor=actor, reason="fos.set_chargeable_date"
    ) as referral:
        if chargeable_on is not None and chargeable_on < referral.referred_on:
            raise _invalid(
                "chargeable_on: cannot be before the referral.",
                {"chargeable_on": ["Before the case was referred."]},
            )
        referral.chargeable_on = chargeable_on
        referral.chargeable_note = note.strip()
    return referral


# --- consent to waive time limits --------------------------------------------------------


def referral_record_time_limit_consent(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    consents: bool,
    on: date | None = None,
) -> Referral:
    """DISP 2.8.2R(5): the firm consents to the FOS considering a complaint outside the time
    limits. DISP 2.8.2AR: consent may not be withdrawn, so there is no way to undo it."""
    on = on or london_date(now)
    _require_past("on", on, now)
    with transaction.atomic():
        referral = Referral.objects.only("complaint_id").filter(pk=referral_id).first()
        if referral is None:
            raise NotFound(FosErrorCode.NOT_FOUND, f"FOS referral {referral_id} not found.")
        complaint = lock_complaint(referral.complaint_id)
        referral = lock_referral(referral_id)
        if not consents:
            if complaint.consents_to_waive_time_limits:
                raise TransitionRefused(
                    FosErrorCode.CONSENT_IRREVOCABLE,
                    "The firm has consented to the FOS considering this complaint out of time; "
                    "that consent cannot be withdrawn.",
                    rule="DISP 2.8.2AR",
                )
            raise _invalid(
                "consents: nothing to record; the firm has not consented.",
                {"consents": ["Only consent can be recorded."]},
            )
        complaint_consent_to_waive_time_limits(
            complaint_id=complaint.pk,
            actor=actor,
            now=now,
            reason="fos.consent_to_waive_time_limits",
        )
        before = snapshot(referral)
        referral.time_limit_consent_on = referral.time_limit_consent_on or on
        complaint = Complaint.objects.select_related("firm", "complainant").get(pk=complaint.pk)
        _apply_checklist(referral, complaint, now)
        referral.version += 1
        save_audited(
            referral, actor=actor, reason="fos.consent_to_waive_time_limits", before=before
        )
    return referral
