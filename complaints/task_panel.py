"""The tasks panel on the complaint page: the complaint's diary dates ("chase on …", "call back
on …") with their state, and the form to add one (posted to ``complaints.views.tasks``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import HttpRequest
from django.utils import timezone

from common.compiled import ANY_ID, Compiled
from common.dates import london_date

from . import access
from .access import Perm
from .choices import TaskKind
from .models import Complaint, Membership
from .page_reads import firm_members_once
from .selectors.tasks import complaint_tasks

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what type=date reads
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# The panel's read, compiled once per process and planned once per connection (issue 18: its
# plan cost the server 0.6 ms a page): a complaint id no row has marks where each page binds
# its own.
_TASKS = Compiled(complaint_tasks(ANY_ID), ANY_ID, prepared=True)


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label="Task", choices=TaskKind.choices)
    due_on = forms.DateField(label="Due on", widget=DATE, help_text="Today or later (UK date).")
    due_time = forms.TimeField(
        label="At (optional)", widget=TIME, required=False, help_text="UK time, e.g. 14:00."
    )
    note = forms.CharField(
        label="Note",
        max_length=500,
        required=False,
        help_text="What to do, e.g. chase the exchange for the withdrawal logs.",
    )
    assignee = forms.ChoiceField(
        label="For", required=False, help_text="Blank: the complaint's owner."
    )

    def __init__(self, *args: Any, members: list[Membership] = (), **kwargs: Any):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            ("", "The complaint's owner"),
            *[(str(m.user_id), m.user.get_full_name() or m.user.username) for m in members],
        ]


def task_arguments(data: Any) -> dict[str, Any]:
    """The form's fields as ``task_create``'s keywords."""
    return {
        "kind": data["kind"],
        "due_on": data["due_on"],
        "due_time": data["due_time"],
        "note": data["note"],
        "assignee": int(data["assignee"]) if data["assignee"] else None,
    }


def panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any] | None:
    """Context of the tasks panel (complaints.panels)."""
    if not access.has_perm(request.user, complaint.firm_id, Perm.VIEW_COMPLAINTS):
        return None
    membership = getattr(request, "membership", None)
    can_handle = (
        membership is not None
        and membership.firm_id == complaint.firm_id
        and access.has_perm(request.user, complaint.firm_id, Perm.HANDLE_COMPLAINTS)
    )
    today = london_date(timezone.now())
    tasks = _TASKS.objects(complaint.pk)
    form = None
    if can_handle:
        form = TaskForm(
            members=firm_members_once(request, complaint.firm_id),
            initial={"due_on": today},
            auto_id="id_task_%s",
        )
    return {
        "complaint": complaint,
        "rows": [(task, task.urgency(today)) for task in tasks],
        "can_handle": can_handle,
        "task_form": form,
        "today": today,
    }
