"""Tasks and diary dates on a complaint ("chase on …", "call back on …"): adding one, completing,
reopening, cancelling and reassigning it, and moving a complaint's open tasks with it when it is
reassigned (``move_open_tasks``, called by ``complaint_assign`` in its transaction).

Lock order is the house's: the complaint first, then the task. Every change is a history entry
on the task naming who and why (``task.create``, ``task.complete`` ...).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from common.audit import Actor, history_user
from common.audit import save_audited as _save_audited
from common.audit import snapshot as _snapshot
from common.dates import london_date, uk_date
from common.errors import ConflictError, NotFound, PermissionDeniedError, ValidationFailed
from common.locking import lock_row

from ..access import Perm, has_perm
from ..choices import Status, TaskKind
from ..errors import ErrorCode
from ..models import Complaint, Membership, Task
from ._base import lock_complaint

# A closed or withdrawn complaint takes no new diary dates: reopen it first. Tasks already on it
# can still be completed or cancelled.
NO_NEW_TASKS = (Status.CLOSED, Status.WITHDRAWN)
NOTE_MAX = 500


def _require_handler(actor: Actor, firm_id: int) -> None:
    if not has_perm(actor, firm_id, Perm.HANDLE_COMPLAINTS):
        raise PermissionDeniedError(
            ErrorCode.PERMISSION_DENIED, "Your role in this firm does not allow this."
        )


def _member(firm_id: int, user_id: int) -> Any:
    """The active member of the firm a task may be assigned to (a coded refusal if not)."""
    membership = (
        Membership.objects.select_related("user").filter(firm_id=firm_id, user_id=user_id).first()
    )
    if membership is None or not membership.user.is_active:
        raise ValidationFailed(
            ErrorCode.TASK_ASSIGNEE_NOT_MEMBER,
            "A task can only be assigned to an active member of the complaint's firm.",
            fields={"assignee": ["Not a member of this firm."]},
        )
    return membership.user


def _user_id(user: Any) -> int | None:
    if user is None or user == "":
        return None
    return int(getattr(user, "pk", user))


def task_create(
    complaint: Complaint | int,
    *,
    user: Actor,
    kind: str,
    due_on: date,
    note: str = "",
    assignee: Any = None,
    due_time: time | None = None,
    now: datetime | None = None,
) -> Task:
    """Put a diary date on ``complaint`` (the object or its id) for ``assignee`` (a user or a
    user id; default the complaint's owner, or ``user`` when nobody owns it).

    Refused, with the field named: a kind that is not chase, call back, review or other
    (``kind``); a due date before today, UK date (``due_on``, ``task_due_in_past``); an assignee
    who is not an active member of the complaint's firm (``assignee``,
    ``task_assignee_not_member``); a closed or withdrawn complaint (``task_complaint_closed``:
    reopen it first). ``user`` needs handle_complaints in the complaint's firm."""
    now = now or timezone.now()
    today = london_date(now)
    note = " ".join((note or "").split())
    errors: dict[str, list[str]] = {}
    if kind not in TaskKind.values:
        errors["kind"] = [f"Choose one of {', '.join(TaskKind.values)}."]
    if len(note) > NOTE_MAX:
        errors["note"] = [f"At most {NOTE_MAX} characters."]
    ValidationFailed.check(ErrorCode.VALIDATION, "The task could not be added", errors)
    if due_on < today:
        raise ValidationFailed(
            ErrorCode.TASK_DUE_IN_PAST,
            f"A task cannot be due in the past (today is {uk_date(today)}).",
            fields={"due_on": [f"Must be today ({uk_date(today)}) or later."]},
        )
    complaint_id = complaint.pk if isinstance(complaint, Complaint) else int(complaint)
    with transaction.atomic():
        locked = lock_complaint(complaint_id)
        _require_handler(user, locked.firm_id)
        if locked.status in NO_NEW_TASKS:
            raise ConflictError(
                ErrorCode.TASK_COMPLAINT_CLOSED,
                f"{locked.reference} is {locked.get_status_display().lower()}: reopen it "
                "before adding a task.",
                extra={"status": locked.status},
            )
        assignee_id = _user_id(assignee) or locked.owner_id or _user_id(user)
        if assignee_id is None:
            raise ValidationFailed(
                ErrorCode.TASK_ASSIGNEE_NOT_MEMBER,
                "Say who the task is for.",
                fields={"assignee": ["Required."]},
            )
        owner = _member(locked.firm_id, assignee_id)
        task = Task(
            firm_id=locked.firm_id,
            complaint_id=locked.pk,
            kind=kind,
            note=note,
            due_on=due_on,
            due_time=due_time,
            assignee=owner,
            created_by=history_user(user),
            created_at=now,
        )
        _save_audited(task, actor=user, reason="task.create", before=None)
    return task


def _lock_task(task_id: int, actor: Actor) -> Task:
    """Lock the task's complaint, then the task; refuse a role without handle_complaints."""
    complaint_id = Task.objects.filter(pk=task_id).values_list("complaint_id", flat=True).first()
    if complaint_id is None:
        raise _not_found(task_id)
    lock_complaint(complaint_id)
    task = lock_row(
        Task.objects.filter(complaint_id=complaint_id),
        task_id,
        code=ErrorCode.TASK_NOT_FOUND,
        message=f"Task {task_id} not found.",
    )
    _require_handler(actor, task.firm_id)
    return task


def _not_found(task_id: int) -> NotFound:
    return NotFound(ErrorCode.TASK_NOT_FOUND, f"Task {task_id} not found.")


def _require_open(task: Task, doing: str) -> None:
    if not task.is_open:
        raise ConflictError(
            ErrorCode.TASK_NOT_OPEN,
            f"This task is already {task.state.lower()}: it cannot be {doing}.",
            extra={"state": task.state.lower()},
        )


def task_complete(*, task_id: int, actor: Actor, now: datetime) -> Task:
    """Mark an open task done, by ``actor`` now."""
    with transaction.atomic():
        task = _lock_task(task_id, actor)
        _require_open(task, "completed")
        before = _snapshot(task)
        task.completed_at, task.completed_by = now, history_user(actor)
        _save_audited(task, actor=actor, reason="task.complete", before=before)
    return task


def task_cancel(*, task_id: int, actor: Actor, now: datetime) -> Task:
    """Cancel an open task (no longer needed); it stays on the record."""
    with transaction.atomic():
        task = _lock_task(task_id, actor)
        _require_open(task, "cancelled")
        before = _snapshot(task)
        task.cancelled_at, task.cancelled_by = now, history_user(actor)
        _save_audited(task, actor=actor, reason="task.cancel", before=before)
    return task


def task_reopen(*, task_id: int, actor: Actor, now: datetime) -> Task:
    """Open a completed or cancelled task again (done by mistake, or needed after all). It keeps
    its due date, so one due before today is overdue at once."""
    with transaction.atomic():
        task = _lock_task(task_id, actor)
        if task.is_open:
            raise ConflictError(
                ErrorCode.TASK_ALREADY_OPEN, "This task is open already.", extra={"state": "open"}
            )
        before = _snapshot(task)
        task.completed_at = task.completed_by = None
        task.cancelled_at = task.cancelled_by = None
        _save_audited(task, actor=actor, reason="task.reopen", before=before)
    return task


def task_reassign(*, task_id: int, actor: Actor, now: datetime, assignee_id: int) -> Task:
    """Give an open task to another active member of the complaint's firm."""
    with transaction.atomic():
        task = _lock_task(task_id, actor)
        _require_open(task, "reassigned")
        before = _snapshot(task)
        task.assignee = _member(task.firm_id, assignee_id)
        _save_audited(task, actor=actor, reason="task.reassign", before=before)
    return task


def move_open_tasks(
    complaint: Complaint, *, old_owner_id: int | None, new_owner_id: int | None, actor: Actor
) -> int:
    """The complaint was reassigned (its row is locked by the caller's transaction): its open
    tasks assigned to the old owner go to the new owner, each with a history entry
    (``task.reassign: complaint reassigned``). Unassigning the complaint leaves them with the
    old owner, so no diary date is left with nobody. Returns the tasks moved."""
    if old_owner_id is None or new_owner_id is None or old_owner_id == new_owner_id:
        return 0
    tasks = list(
        Task.objects.open()
        .filter(complaint_id=complaint.pk, assignee_id=old_owner_id)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    for task in tasks:
        before = _snapshot(task)
        task.assignee_id = new_owner_id
        _save_audited(
            task, actor=actor, reason="task.reassign: complaint reassigned", before=before
        )
    return len(tasks)
