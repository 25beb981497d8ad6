"""Tasks and diary dates on a complaint: the services' rules, and tasks following the complaint
when it is reassigned."""

from __future__ import annotations

from datetime import date, time

import pytest

from common.errors import ConflictError, PermissionDeniedError, ValidationFailed
from complaints.models import Task
from complaints.models.tasks import DUE_TODAY, OVERDUE, UPCOMING
from complaints.services import (
    complaint_assign,
    complaint_withdraw,
    task_cancel,
    task_complete,
    task_create,
    task_reassign,
    task_reopen,
)
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 4, 8, 10)  # Wed 8 Apr 2026


@pytest.fixture
def owner(firm):
    return MembershipFactory(firm=firm, role="handler").user


@pytest.fixture
def complaint(firm, owner):
    return make_complaint(firm=firm, received_at=london(2026, 4, 6, 10), owner_id=owner.pk)


def _task(complaint, user, **kwargs) -> Task:
    params = {"kind": "chase", "due_on": date(2026, 4, 10), "now": NOW, **kwargs}
    return task_create(complaint, user=user, **params)


def test_task_defaults_to_the_complaints_owner_and_is_audited(complaint, owner, handler):
    task = _task(complaint, handler, note="  Chase the  exchange for logs ", due_time=time(14))
    assert task.assignee == owner and task.firm_id == complaint.firm_id
    assert task.note == "Chase the exchange for logs"
    assert task.title == "Chase: Chase the exchange for logs"
    record = task.history.get()
    assert (record.history_change_reason, record.history_user) == ("task.create", handler)


def test_task_on_an_unowned_complaint_goes_to_whoever_adds_it(firm, handler):
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    assert _task(complaint.pk, handler).assignee == handler


def test_task_due_date_in_the_past_is_refused_by_the_uk_date(complaint, handler):
    # 23:30 UTC on 8 Apr is 00:30 on Thu 9 Apr in London: 8 Apr is yesterday there.
    late = london(2026, 4, 9, 0, 30)
    with pytest.raises(ValidationFailed) as refused:
        _task(complaint, handler, due_on=date(2026, 4, 8), now=late)
    assert refused.value.code == "task_due_in_past" and "due_on" in refused.value.fields
    assert _task(complaint, handler, due_on=date(2026, 4, 9), now=late).due_on == date(2026, 4, 9)


def test_task_assignee_outside_the_firm_is_refused(complaint, handler, scottish_firm):
    outsider = MembershipFactory(firm=scottish_firm, role="handler").user
    with pytest.raises(ValidationFailed) as refused:
        _task(complaint, handler, assignee=outsider)
    assert refused.value.code == "task_assignee_not_member"
    assert list(refused.value.fields) == ["assignee"]
    task = _task(complaint, handler)
    with pytest.raises(ValidationFailed) as refused:
        task_reassign(task_id=task.pk, actor=handler, now=NOW, assignee_id=outsider.pk)
    assert refused.value.code == "task_assignee_not_member"


def test_task_kind_and_note_are_checked(complaint, handler):
    with pytest.raises(ValidationFailed) as refused:
        _task(complaint, handler, kind="lunch", note="x" * 501)
    assert set(refused.value.fields) == {"kind", "note"}


def test_task_not_added_to_a_withdrawn_complaint(complaint, handler):
    complaint_withdraw(complaint_id=complaint.pk, actor=handler, now=NOW, reason="By phone")
    with pytest.raises(ConflictError) as refused:
        _task(complaint, handler)
    assert refused.value.code == "task_complaint_closed"


def test_task_needs_a_role_that_handles_complaints(complaint, firm):
    officer = MembershipFactory(firm=firm, role="reporting_officer").user
    with pytest.raises(PermissionDeniedError):
        _task(complaint, officer)


def test_task_completed_reopened_cancelled_each_once(complaint, handler):
    task = _task(complaint, handler)
    done = task_complete(task_id=task.pk, actor=handler, now=NOW)
    assert (done.state, done.completed_by) == ("Done", handler)
    with pytest.raises(ConflictError) as refused:
        task_complete(task_id=task.pk, actor=handler, now=NOW)
    assert refused.value.code == "task_not_open"
    assert task_reopen(task_id=task.pk, actor=handler, now=NOW).is_open
    with pytest.raises(ConflictError) as refused:
        task_reopen(task_id=task.pk, actor=handler, now=NOW)
    assert refused.value.code == "task_already_open"
    assert task_cancel(task_id=task.pk, actor=handler, now=NOW).state == "Cancelled"
    assert [h.history_change_reason for h in task.history.order_by("history_id")] == [
        "task.create",
        "task.complete",
        "task.reopen",
        "task.cancel",
    ]


def test_reassigning_the_complaint_moves_its_open_tasks_from_the_old_owner(
    firm, complaint, owner, handler, supervisor
):
    mine = _task(complaint, handler)
    done = _task(complaint, handler)
    task_complete(task_id=done.pk, actor=handler, now=NOW)
    someone_elses = _task(complaint, handler, assignee=supervisor)
    complaint_assign(complaint_id=complaint.pk, actor=supervisor, now=NOW, owner_id=handler.pk)
    assert Task.objects.get(pk=mine.pk).assignee == handler
    assert Task.objects.get(pk=done.pk).assignee == owner  # done: stays with who did it
    assert Task.objects.get(pk=someone_elses.pk).assignee == supervisor
    moved = Task.objects.get(pk=mine.pk).history.first()
    assert moved.history_change_reason == "task.reassign: complaint reassigned"
    assert moved.history_user == supervisor
    # Unassigning the complaint leaves the tasks with the last owner, never with nobody.
    complaint_assign(complaint_id=complaint.pk, actor=supervisor, now=NOW, owner_id=None)
    assert Task.objects.get(pk=mine.pk).assignee == handler


def test_task_overdue_red_due_today_amber(complaint, handler):
    task = _task(complaint, handler, due_on=date(2026, 4, 8))
    assert task.urgency(date(2026, 4, 7)) == UPCOMING
    assert task.urgency(date(2026, 4, 8)) == DUE_TODAY
    assert task.urgency(date(2026, 4, 9)) == OVERDUE
    task_complete(task_id=task.pk, actor=handler, now=NOW)
    task.refresh_from_db()
    assert task.urgency(date(2026, 4, 9)) == "none"
