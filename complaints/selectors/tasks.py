"""Reads of tasks and diary dates: a complaint's tasks, a user's own ("My tasks"), and the next
open task of each complaint for the queue (one subquery, no query per row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from ..models import Task
from ..models.tasks import URGENCY_LABELS, task_urgency

# What a task's row shows: its complaint's reference and complainant (a call back shows their
# contact adjustments), and who it is for.
_RELATED = ("complaint", "complaint__complainant", "assignee")


def complaint_tasks(complaint_id: int) -> QuerySet[Task]:
    """The complaint's tasks: open ones first by due date, then the done and cancelled."""
    return (
        Task.objects.filter(complaint_id=complaint_id)
        .select_related(*_RELATED, "completed_by", "cancelled_by")
        .order_by(
            F("completed_at").asc(nulls_first=True),
            F("cancelled_at").asc(nulls_first=True),
            "due_on",
            "due_time",
            "id",
        )
    )


def user_open_tasks(user: Any, firm_ids: list[int]) -> QuerySet[Task]:
    """The open tasks assigned to ``user`` in ``firm_ids`` (the firms they may see), by due."""
    return (
        Task.objects.open()
        .filter(assignee=user, firm_id__in=firm_ids)
        .select_related(*_RELATED)
        .order_by("due_on", "due_time", "id")
    )


WHEN_OVERDUE, WHEN_TODAY, WHEN_UPCOMING = "overdue", "today", "upcoming"
WHENS = [(WHEN_OVERDUE, "Overdue"), (WHEN_TODAY, "Due today"), (WHEN_UPCOMING, "Upcoming")]


def filter_when(tasks: QuerySet[Task], when: str, today: date) -> QuerySet[Task]:
    if when == WHEN_OVERDUE:
        return tasks.filter(due_on__lt=today)
    if when == WHEN_TODAY:
        return tasks.filter(due_on=today)
    if when == WHEN_UPCOMING:
        return tasks.filter(due_on__gt=today)
    return tasks


@dataclass(frozen=True)
class TaskCounts:
    overdue: int
    today: int
    upcoming: int


def task_counts(tasks: QuerySet[Task], today: date) -> TaskCounts:
    """How many of ``tasks`` are overdue, due today and upcoming (one query)."""
    got = tasks.order_by().aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        today=Count("pk", filter=Q(due_on=today)),
        upcoming=Count("pk", filter=Q(due_on__gt=today)),
    )
    return TaskCounts(**got)


def next_task_due() -> Subquery:
    """The due date of the complaint's (``OuterRef("pk")``) next open task: annotate with it."""
    return Subquery(
        Task.objects.open()
        .filter(complaint_id=OuterRef("pk"))
        .order_by("due_on")
        .values("due_on")[:1]
    )


def has_task_due_by(today: date) -> Exists:
    """The complaint (``OuterRef("pk")``) has an open task due today or overdue."""
    return Exists(Task.objects.due_by(today).filter(complaint_id=OuterRef("pk")))


@dataclass(frozen=True)
class NextTask:
    """The queue's "Next task" cell."""

    due_on: date | None
    urgency: str

    @property
    def label(self) -> str:
        return URGENCY_LABELS[self.urgency]


def next_task(due_on: date | None, today: date) -> NextTask:
    return NextTask(due_on, task_urgency(due_on, today))
