"""The action register (DISP 1.3.3R): remedy a recurring or systemic problem, then review
whether the remedy worked."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django_fsm import can_proceed

from common.audit import Actor, history_user, save_audited
from common.dates import london_date
from common.errors import ConflictError, required
from common.locking import check_version, lock_pk
from complaints.models import Firm

from ..errors import RemediationError as E
from ..models import ActionStatus, Incident, RemediationAction, RootCause
from ._base import STALE_MESSAGE, FieldErrors, active_member, check_errors, invalid

# The transition that reaches each status (RemediationAction's state machine holds the table).
_TRANSITION_TO = {
    ActionStatus.OPEN: "stop_work",
    ActionStatus.IN_PROGRESS: "start_work",
    ActionStatus.DONE: "complete",
    ActionStatus.VERIFIED_EFFECTIVE: "record_effective",
    ActionStatus.NOT_EFFECTIVE: "record_not_effective",
}


def action_create(
    *,
    firm: Firm,
    actor: Actor,
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
    errors: FieldErrors = required(title=title, due_on=due_on)
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
    check_errors(errors, "The action could not be raised")
    assert due_on is not None and review_on is not None  # check_errors refused them missing
    owner = active_member(firm.pk, owner_id)
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
    save_audited(action, actor=actor, reason="action.create")
    return action


def action_set_status(
    *,
    action_id: int,
    actor: Actor,
    now: datetime,
    status: str,
    fix_date: date | None = None,
    review_note: str = "",
    expected_version: int | None = None,
) -> RemediationAction:
    """Move an action through the register. 'Done' records when the fix went live; a verdict
    (effective or not) needs the review's note and cannot come before the fix."""
    if status not in ActionStatus.values:
        invalid("Unknown status.", {"status": [f"One of {', '.join(ActionStatus.values)}."]})
    target = ActionStatus(status)
    with transaction.atomic():
        action = lock_pk(RemediationAction, action_id, code=E.NOT_FOUND, what="Action")
        check_version(action, expected_version, code=E.STALE, message=STALE_MESSAGE)
        move = getattr(action, _TRANSITION_TO[target])
        if not can_proceed(move):
            raise ConflictError(
                E.INVALID_STATE,
                f"An action that is {action.get_status_display().lower()} cannot become "
                f"{target.label.lower()}.",
                extra={"status": action.status, "version": action.version},
            )
        fields = ["status", "version"]
        if target == ActionStatus.DONE:
            today = london_date(now)
            fix = fix_date or today
            if fix > today:
                invalid("The fix cannot go live in the future.", {"fix_date": ["Future."]})
            move(fix_date=fix)
            fields.append("fix_date")
        elif target in (ActionStatus.VERIFIED_EFFECTIVE, ActionStatus.NOT_EFFECTIVE):
            if not review_note.strip():
                invalid(
                    "Record what the effectiveness review found.",
                    {"review_note": ["Required."]},
                )
            move(note=review_note.strip(), at=now, by=history_user(actor))
            fields += ["review_note", "reviewed_at", "reviewed_by"]
        else:
            move()
        action.version += 1
        save_audited(action, actor=actor, reason=f"action.{status}", update_fields=fields)
    return action
