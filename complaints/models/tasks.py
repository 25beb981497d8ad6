"""Tasks and diary dates on a complaint: "chase on …", "call back on …", "review on …".

A task belongs to one complaint and one firm, is due on a UK day (optionally at a time) and is
assigned to a member of the firm (the complaint's owner by default). It is open until it is
completed or cancelled. Overdue (due before today, UK date) is flagged red, due today amber,
with the deadline CSS classes the queue already uses (``urgency``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.dates import uk_date
from common.models import actor_field

from ..choices import ContactChannel, TaskKind
from .complaints import Complaint
from .firms import Firm

OPEN_Q = Q(completed_at__isnull=True, cancelled_at__isnull=True)

# The deadline classes (static/css/app.css): red, amber, plain.
OVERDUE, DUE_TODAY, UPCOMING, DONE = "breached", "soon", "later", "none"


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> TaskQuerySet:
        return self.filter(OPEN_Q)

    def due_by(self, day: date) -> TaskQuerySet:
        """Open tasks due on or before ``day`` (overdue and due that day)."""
        return self.open().filter(due_on__lte=day)


class Task(models.Model):
    """A diary date on a complaint, for one member of the firm."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="tasks")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    note = models.CharField(
        max_length=500, blank=True, help_text="What to do, e.g. chase the exchange for logs."
    )
    due_on = models.DateField(help_text="The UK day it is due.")
    due_time = models.TimeField(null=True, blank=True, help_text="Blank: any time that day.")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaint_tasks",
    )
    created_by = actor_field(blank=True)
    created_at = models.DateTimeField()
    completed_by = actor_field(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = actor_field(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()
    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "due_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(cancelled_at__isnull=True),
                name="task_not_both_completed_and_cancelled",
            )
        ]
        indexes = [
            # "My tasks", the digest: a user's open tasks by due date.
            models.Index(
                fields=["assignee", "due_on"], condition=OPEN_Q, name="task_open_assignee_due"
            ),
            # The queue's "Next task" column and "tasks due" filter: a complaint's next one.
            models.Index(
                fields=["complaint", "due_on"], condition=OPEN_Q, name="task_open_complaint_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {uk_date(self.due_on)}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and self.cancelled_at is None

    @property
    def state(self) -> str:
        if self.completed_at is not None:
            return "Done"
        if self.cancelled_at is not None:
            return "Cancelled"
        return "Open"

    @property
    def title(self) -> str:
        """How the task reads in lists: "Call back: ask about the statement"."""
        kind = self.get_kind_display()
        return f"{kind}: {self.note}" if self.note else kind

    @property
    def contact_adjustments(self) -> list[str]:
        """A call back honours the complainant's reasonable adjustments (FG21/1; Equality Act
        2010 s.20): how and when they ask to be contacted, said with the task; one who asks
        not to be phoned is flagged. Reads ``complaint.complainant`` (select it with the task).
        """
        if self.kind != TaskKind.CALL_BACK:
            return []
        person = self.complaint.complainant
        said = person.contact_adjustments
        if person.preferred_channel and person.preferred_channel != ContactChannel.PHONE:
            # "Contact by e-mail" says it for a call back: they prefer it to being phoned.
            said[0] = f"Prefers {person.get_preferred_channel_display().lower()} to a call"
        return said

    def urgency(self, today: date) -> str:
        """Overdue (due before ``today``, the UK date) red, due today amber, else plain."""
        return task_urgency(self.due_on, today, is_open=self.is_open)


def task_urgency(due_on: date | None, today: date, *, is_open: bool = True) -> str:
    if due_on is None or not is_open:
        return DONE
    if due_on < today:
        return OVERDUE
    if due_on == today:
        return DUE_TODAY
    return UPCOMING


URGENCY_LABELS = {OVERDUE: "Overdue", DUE_TODAY: "Due today", UPCOMING: "", DONE: ""}
