"""Stage actions: one service per FOS stage transition."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from common.audit import save_audited, snapshot
from common.dates import london_date, uk_date

from .. import guards
from ..awards import compliance_target_days
from ..models import Referral
from ._locking import lock_referral
from ._validation import _money, _require_past
from .deadlines import _add_deadline
from .referrals import _record_stage

# --- stage actions ----------------------------------------------------------------------


def _stage_action(
    *,
    referral_id: int,
    action: str,
    actor: AbstractBaseUser | None,
    now: datetime,
    on: date | None,
    note: str,
    expected_version: int | None,
    params: dict[str, Any],
) -> Referral:
    on = on or london_date(now)
    _require_past("on", on, now)
    with transaction.atomic():
        referral = lock_referral(
            referral_id, expected_version, select_related=("complaint", "firm")
        )
        guards.check(referral, action, on, params)
        before = snapshot(referral)
        getattr(referral, action)(on=on, **params)
        referral.stage_entered_on = on
        referral.version += 1
        save_audited(referral, actor=actor, reason=f"fos.{action}", before=before)
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


def referral_pre_register(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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


def referral_refer_back(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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


def referral_resume(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    outcome: str,
    response_due: date | None = None,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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


def referral_accept_view(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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


def referral_dispute_view(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    outcome: str,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    outcome: str,
    acceptance_deadline: date | None,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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


def referral_accept_decision(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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


def referral_end(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    kind: str,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
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


def referral_record_compliance(
    *,
    referral_id: int,
    actor: AbstractBaseUser | None,
    now: datetime,
    amount_paid: object = None,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
    """FSMA s.229: the firm paid the award and carried out the directions."""
    return _stage_action(
        referral_id=referral_id,
        action="record_compliance",
        actor=actor,
        now=now,
        on=on,
        note=note,
        expected_version=expected_version,
        params={"amount_paid": _money("amount_paid", amount_paid)},
    )


STAGE_SERVICES: dict[str, Callable[..., Referral]] = {
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
