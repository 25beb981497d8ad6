"""Use cases that write: the only write path for FOS referrals, their deadlines and awards.

Every service is keyword-only, takes the acting user and ``now``, runs in one transaction,
locks the rows it changes (complaint first, then referral: the project's lock order), checks the
guard, and saves with a history entry whose change reason is ``fos.<action>``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction

from common.dates import london_date, uk_date
from common.errors import ConflictError, NotFound, TransitionRefused, ValidationFailed
from complaints.choices import Activity
from complaints.models import Complaint
from complaints.services import lock_complaint

from . import guards, jurisdiction
from .awards import award_limit_for, compliance_target_days, interest_basis_for, split_award
from .choices import FosOutcome, InterestBasis, ReferredBy, Stage
from .errors import FosErrorCode
from .models import FosDeadline, Referral, ReferralStage

_SNAPSHOT_EXCLUDE = {"updated_at"}


def _snapshot(obj: Any) -> dict[str, Any]:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in _SNAPSHOT_EXCLUDE
    }


def _save_audited(obj: Any, *, actor, reason: str, before: dict | None) -> None:
    """Save with history: who (``actor``) and why (``reason``: ``fos.<action>``)."""
    obj._change_reason = reason
    obj._history_user = actor if getattr(actor, "pk", None) else None
    if before is None:
        obj.save()
        return
    changed = [k for k, v in _snapshot(obj).items() if before.get(k) != v]
    if any(f.attname == "updated_at" for f in obj._meta.concrete_fields):
        changed.append("updated_at")
    obj.save(update_fields=changed)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def lock_referral(referral_id: int) -> Referral:
    try:
        return (
            Referral.objects.select_for_update(of=("self",))
            .select_related("complaint", "firm")
            .get(pk=referral_id)
        )
    except Referral.DoesNotExist:
        raise NotFound(FosErrorCode.NOT_FOUND, f"FOS referral {referral_id} not found.") from None


def _check_version(referral: Referral, expected_version: int | None) -> None:
    if expected_version is not None and referral.version != expected_version:
        raise ConflictError(
            FosErrorCode.STALE,
            "Someone else changed this FOS referral after you opened it. Review it and try again.",
            extra={"stage": referral.stage, "version": referral.version},
        )


def _invalid(message: str, fields: dict[str, list[str]], rule: str | None = None):
    return ValidationFailed(FosErrorCode.VALIDATION, message, fields=fields, rule=rule)


def _require_past(field: str, day: date | None, now: datetime) -> None:
    if day is not None and day > london_date(now):
        raise _invalid(f"{field}: cannot be in the future.", {field: ["Cannot be in the future."]})


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
        commencement=settings.CRYPTO_COMMENCEMENT_DATE,
        complainant_type=person.complainant_type,
        relationship=complaint.relationship,
        receipt_date=complaint.receipt_date,
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
    referral: Referral, *, action: str, on: date, actor, now: datetime, note: str = ""
) -> ReferralStage:
    row = ReferralStage(
        referral=referral,
        stage=referral.stage,
        action=action,
        entered_on=on,
        recorded_at=now,
        recorded_by=_user(actor),
        note=note,
    )
    _save_audited(row, actor=actor, reason=f"fos.{action}", before=None)
    return row


# --- logging a referral -----------------------------------------------------------------


def referral_log(
    *,
    complaint_id: int,
    actor,
    now: datetime,
    referred_on: date,
    referred_by: str = ReferredBy.COMPLAINANT,
    representative_name: str = "",
    fos_reference: str = "",
    notes: str = "",
) -> Referral:
    """Log that the complainant took the complaint to the FOS, and run the jurisdiction
    checklist (DISP 2) against the complaint as it stands."""
    fos_reference = fos_reference.strip()
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
    if errors:
        raise _invalid(
            "The referral could not be logged: "
            + "; ".join(f"{k}: {v[0]}" for k, v in errors.items()),
            errors,
        )
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        if not complaint.is_complaint:
            raise TransitionRefused(
                FosErrorCode.NOT_A_COMPLAINT,
                "This is feedback or a query, not a complaint: it cannot be referred to the FOS.",
                rule="Glossary: complaint",
            )
        if referred_on < complaint.receipt_date:
            raise _invalid(
                f"referred_on: cannot be before the complaint was received "
                f"({uk_date(complaint.receipt_date)}).",
                {"referred_on": ["Before the complaint was received."]},
            )
        if complaint.fos_referrals.filter(stage__in=Stage.active()).exists():
            raise ConflictError(
                FosErrorCode.ALREADY_REFERRED,
                "This complaint already has an open FOS referral.",
            )
        if (
            fos_reference
            and Referral.objects.filter(firm=complaint.firm, fos_reference=fos_reference).exists()
        ):
            raise _invalid(
                f"fos_reference: {fos_reference} is already used by another referral.",
                {"fos_reference": ["Already used by another referral of this firm."]},
            )
        referral = Referral(
            firm=complaint.firm,
            complaint=complaint,
            fos_reference=fos_reference,
            referred_on=referred_on,
            referred_by=referred_by,
            representative_name=representative_name,
            stage_entered_on=referred_on,
            firm_outcome=complaint.outcome,
            notes=notes.strip(),
            created_by=_user(actor),
            created_at=now,
        )
        _apply_checklist(referral, complaint, now)
        _save_audited(referral, actor=actor, reason="fos.log", before=None)
        _record_stage(referral, action="log", on=referred_on, actor=actor, now=now)
    return referral


def referral_set_reference(
    *, referral_id: int, actor, now: datetime, fos_reference: str, expected_version=None
) -> Referral:
    fos_reference = fos_reference.strip()
    if not fos_reference:
        raise _invalid("fos_reference: required.", {"fos_reference": ["Required."]})
    with transaction.atomic():
        referral = lock_referral(referral_id)
        _check_version(referral, expected_version)
        clash = Referral.objects.filter(firm=referral.firm, fos_reference=fos_reference).exclude(
            pk=referral.pk
        )
        if clash.exists():
            raise _invalid(
                f"fos_reference: {fos_reference} is already used by another referral.",
                {"fos_reference": ["Already used by another referral of this firm."]},
            )
        before = _snapshot(referral)
        referral.fos_reference = fos_reference
        referral.version += 1
        _save_audited(referral, actor=actor, reason="fos.set_reference", before=before)
    return referral


def referral_recompute_checklist(*, referral_id: int, actor, now: datetime) -> Referral:
    """Re-run the checklist after the complaint's facts changed (e.g. thresholds, dates)."""
    with transaction.atomic():
        referral = lock_referral(referral_id)
        complaint = Complaint.objects.select_related("firm", "complainant").get(
            pk=referral.complaint_id
        )
        before = _snapshot(referral)
        _apply_checklist(referral, complaint, now)
        referral.version += 1
        _save_audited(referral, actor=actor, reason="fos.recompute_checklist", before=before)
    return referral


# --- stage actions ----------------------------------------------------------------------


def _stage_action(
    *,
    referral_id: int,
    action: str,
    actor,
    now: datetime,
    on: date | None,
    note: str,
    expected_version: int | None,
    params: dict,
) -> Referral:
    on = on or london_date(now)
    _require_past("on", on, now)
    with transaction.atomic():
        referral = lock_referral(referral_id)
        _check_version(referral, expected_version)
        guards.check(referral, action, on, params)
        before = _snapshot(referral)
        getattr(referral, action)(on=on, **params)
        referral.stage_entered_on = on
        referral.version += 1
        _save_audited(referral, actor=actor, reason=f"fos.{action}", before=before)
        _record_stage(referral, action=action, on=on, actor=actor, now=now, note=note)
        if action == "issue_view" and params.get("response_due"):
            _add_deadline(
                referral,
                description="Respond to the investigator's view",
                due_on=params["response_due"],
                source=f"Investigator's view of {uk_date(on)}",
                actor=actor,
                now=now,
            )
    return referral


def _outcome_param(outcome: str | None) -> str:
    # Validation of the value is the guard's job (it names the rule); normalise only.
    return (outcome or "").strip()


def referral_pre_register(*, referral_id, actor, now, on=None, note="", expected_version=None):
    return _stage_action(
        referral_id=referral_id,
        action="pre_register",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={},
    )


def referral_refer_back(*, referral_id, actor, now, on=None, note="", expected_version=None):
    """DISP 3.2.2R: the FOS sends the complaint back because the firm has not had its time."""
    return _stage_action(
        referral_id=referral_id,
        action="refer_back",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={},
    )


def referral_resume(*, referral_id, actor, now, on=None, note="", expected_version=None):
    return _stage_action(
        referral_id=referral_id,
        action="resume",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={},
    )


def referral_start_jurisdiction_review(
    *, referral_id, actor, now, on=None, note="", expected_version=None
):
    return _stage_action(
        referral_id=referral_id,
        action="start_jurisdiction_review",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={},
    )


def referral_start_investigation(
    *, referral_id, actor, now, on=None, note="", expected_version=None
):
    return _stage_action(
        referral_id=referral_id,
        action="start_investigation",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={},
    )


def referral_issue_view(
    *,
    referral_id,
    actor,
    now,
    outcome: str,
    response_due: date | None = None,
    on=None,
    note="",
    expected_version=None,
):
    """The investigator's view (opinion): an outcome, and usually a date to respond by, which
    becomes one of the firm's FOS deadlines."""
    return _stage_action(
        referral_id=referral_id,
        action="issue_view",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={"outcome": _outcome_param(outcome), "response_due": response_due},
    )


def referral_accept_view(*, referral_id, actor, now, on=None, note="", expected_version=None):
    return _stage_action(
        referral_id=referral_id,
        action="accept_view",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={"compliance_target_days": compliance_target_days()},
    )


def referral_dispute_view(*, referral_id, actor, now, on=None, note="", expected_version=None):
    return _stage_action(
        referral_id=referral_id,
        action="dispute_view",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={},
    )


def referral_issue_provisional_decision(
    *, referral_id, actor, now, outcome: str, on=None, note="", expected_version=None
):
    return _stage_action(
        referral_id=referral_id,
        action="issue_provisional_decision",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={"outcome": _outcome_param(outcome)},
    )


def referral_issue_final_decision(
    *,
    referral_id,
    actor,
    now,
    outcome: str,
    acceptance_deadline: date | None,
    on=None,
    note="",
    expected_version=None,
):
    return _stage_action(
        referral_id=referral_id,
        action="issue_final_decision",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={"outcome": _outcome_param(outcome), "acceptance_deadline": acceptance_deadline},
    )


def referral_accept_decision(*, referral_id, actor, now, on=None, note="", expected_version=None):
    return _stage_action(
        referral_id=referral_id,
        action="accept_decision",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={"compliance_target_days": compliance_target_days()},
    )


def referral_end(*, referral_id, actor, now, kind: str, on=None, note="", expected_version=None):
    return _stage_action(
        referral_id=referral_id,
        action="end",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={"kind": (kind or "").strip()},
    )


def _money(field: str, value, *, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise _invalid(f"{field}: required.", {field: ["Required."]})
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise _invalid(
            f"{field}: not an amount.", {field: ["Enter an amount in pounds."]}
        ) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise _invalid(
            f"{field}: must be zero or more, in pounds and pence.",
            {field: ["Zero or more, at most two decimal places."]},
        )
    return amount


def referral_record_compliance(
    *,
    referral_id,
    actor,
    now,
    amount_paid=None,
    on=None,
    note="",
    expected_version=None,
):
    """FSMA s.229: the firm paid the award and carried out the directions."""
    return _stage_action(
        referral_id=referral_id,
        action="record_compliance",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={"amount_paid": _money("amount_paid", amount_paid, required=False)},
    )


STAGE_SERVICES = {
    "pre_register": referral_pre_register,
    "refer_back": referral_refer_back,
    "resume": referral_resume,
    "start_jurisdiction_review": referral_start_jurisdiction_review,
    "start_investigation": referral_start_investigation,
    "issue_view": referral_issue_view,
    "accept_view": referral_accept_view,
    "dispute_view": referral_dispute_view,
    "issue_provisional_decision": referral_issue_provisional_decision,
    "issue_final_decision": referral_issue_final_decision,
    "accept_decision": referral_accept_decision,
    "end": referral_end,
    "record_compliance": referral_record_compliance,
}


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
    actor,
    now: datetime,
    amount,
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
    value = _money("amount", amount, required=True)
    if interest_basis not in (None, "") and interest_basis not in InterestBasis.values:
        raise _invalid(
            "interest_basis: unknown.",
            {"interest_basis": [f"Choose one of {', '.join(InterestBasis.values)}."]},
        )
    with transaction.atomic():
        referral = lock_referral(referral_id)
        _check_version(referral, expected_version)
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
        before = _snapshot(referral)
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
        referral.version += 1
        _save_audited(referral, actor=actor, reason="fos.record_award", before=before)
    return referral


# --- fees ------------------------------------------------------------------------------


def referral_set_chargeable_date(
    *,
    referral_id: int,
    actor,
    now: datetime,
    chargeable_on: date | None,
    note: str,
    expected_version: int | None = None,
) -> Referral:
    """Record the date the FOS made this a chargeable case (or clear it: not chargeable)."""
    if not note.strip():
        raise _invalid("note: say where the date comes from.", {"note": ["Required."]})
    _require_past("chargeable_on", chargeable_on, now)
    with transaction.atomic():
        referral = lock_referral(referral_id)
        _check_version(referral, expected_version)
        if chargeable_on is not None and chargeable_on < referral.referred_on:
            raise _invalid(
                "chargeable_on: cannot be before the referral.",
                {"chargeable_on": ["Before the case was referred."]},
            )
        before = _snapshot(referral)
        referral.chargeable_on = chargeable_on
        referral.chargeable_note = note.strip()
        referral.version += 1
        _save_audited(referral, actor=actor, reason="fos.set_chargeable_date", before=before)
    return referral


# --- consent to waive time limits --------------------------------------------------------


def referral_record_time_limit_consent(
    *, referral_id: int, actor, now: datetime, consents: bool, on: date | None = None
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
        if not complaint.consents_to_waive_time_limits:
            c_before = _snapshot(complaint)
            complaint.consents_to_waive_time_limits = True
            complaint.version += 1
            _save_audited(
                complaint, actor=actor, reason="fos.consent_to_waive_time_limits", before=c_before
            )
        before = _snapshot(referral)
        referral.time_limit_consent_on = referral.time_limit_consent_on or on
        complaint = Complaint.objects.select_related("firm", "complainant").get(pk=complaint.pk)
        _apply_checklist(referral, complaint, now)
        referral.version += 1
        _save_audited(
            referral, actor=actor, reason="fos.consent_to_waive_time_limits", before=before
        )
    return referral


# --- FOS deadlines ---------------------------------------------------------------------


def _add_deadline(
    referral: Referral, *, description: str, due_on: date, source: str, actor, now: datetime
) -> FosDeadline:
    deadline = FosDeadline(
        referral=referral,
        firm_id=referral.firm_id,
        description=description,
        due_on=due_on,
        source=source,
        created_at=now,
        created_by=_user(actor),
    )
    _save_audited(deadline, actor=actor, reason="fos.deadline_add", before=None)
    return deadline


def fos_deadline_add(
    *,
    referral_id: int,
    actor,
    now: datetime,
    description: str,
    due_on: date | None,
    source: str = "",
) -> FosDeadline:
    """A response deadline the FOS set the firm in its correspondence."""
    errors = {}
    if not description.strip():
        errors["description"] = ["Say what the FOS asked for."]
    if due_on is None:
        errors["due_on"] = ["Required."]
    if errors:
        raise _invalid(
            "The deadline could not be added: "
            + "; ".join(f"{k}: {v[0]}" for k, v in errors.items()),
            errors,
        )
    with transaction.atomic():
        referral = lock_referral(referral_id)
        if due_on < referral.referred_on:
            raise _invalid(
                "due_on: cannot be before the referral.", {"due_on": ["Before the referral."]}
            )
        return _add_deadline(
            referral,
            description=description.strip(),
            due_on=due_on,
            source=source.strip(),
            actor=actor,
            now=now,
        )


def fos_deadline_complete(*, deadline_id: int, actor, now: datetime) -> FosDeadline:
    with transaction.atomic():
        try:
            deadline = FosDeadline.objects.select_for_update().get(pk=deadline_id)
        except FosDeadline.DoesNotExist:
            raise NotFound(
                FosErrorCode.NOT_FOUND, f"FOS deadline {deadline_id} not found."
            ) from None
        if deadline.done_at is not None:
            raise ConflictError(
                FosErrorCode.DEADLINE_DONE,
                f"Already marked done on {uk_date(deadline.done_at)}.",
            )
        before = _snapshot(deadline)
        deadline.done_at = now
        deadline.done_by = _user(actor)
        _save_audited(deadline, actor=actor, reason="fos.deadline_done", before=before)
    return deadline
