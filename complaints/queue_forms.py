"""The work queue's own forms: its view (the filters and the sort), a saved view's name, and
the bulk actions' choices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from django import forms
from django.http import QueryDict

from common.dates import uk_date
from common.widgets import PlainSelect

from .choices import TaskKind
from .forms import QueueFilterForm
from .models import Membership
from .selectors.queue_sort import clean_sort
from .task_panel import TaskForm


class QueueForm(QueueFilterForm):
    """The queue's filters and its sort: what the URL, a saved view and an export carry."""

    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_sort(self) -> str:
        # An unknown key is the default order, not an error that would drop the filters.
        return clean_sort(self.cleaned_data.get("sort") or "")


def view_query(query: str | QueryDict) -> str:
    """``query`` reduced to the queue form's own keys with a value (no page, nothing else):
    what a saved view keeps. Unknown keys are dropped, so a saved view cannot carry anything
    the queue does not read."""
    data = QueryDict(query) if isinstance(query, str) else query
    kept = QueryDict(mutable=True)
    for name in QueueForm.base_fields:
        values = [v for v in data.getlist(name) if v.strip()]
        if values:
            kept.setlist(name, values[:1])
    return kept.urlencode()


class SavedFilterForm(forms.Form):
    name = forms.CharField(label="Name this view", max_length=80)
    shared = forms.BooleanField(label="Share with my team", required=False)
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=1000)


def _member_choices(members: Iterable[Membership]) -> list[tuple[str, str]]:
    return [(str(m.user_id), m.user.get_full_name() or m.user.username) for m in members]


class BulkReassignForm(forms.Form):
    """Who the chosen complaints go to ("" leaves them unassigned)."""

    owner = forms.ChoiceField(label="Reassign to", required=False, widget=PlainSelect)

    def __init__(self, *args, members: Iterable[Membership] = (), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", "Nobody (unassigned)"),
            *_member_choices(members),
        ]

    def owner_id(self) -> int | None:
        value = self.cleaned_data["owner"]
        return int(value) if value else None

    def describe(self) -> str:
        """What will happen to each chosen complaint, in words."""
        value = self.cleaned_data["owner"]
        if not value:
            return "Each will be left unassigned."
        choices = cast(list[tuple[str, str]], self.fields["owner"].choices)  # type: ignore[attr-defined]
        return f"Each will be reassigned to {dict(choices)[value]}."


class BulkTaskForm(TaskForm):
    """The task each chosen complaint gets (the complaint page's task form); "For" left blank
    gives each to its own owner. A due date before today is refused here, once, rather than
    once per complaint by ``task_create``."""

    def __init__(self, *args: Any, today: date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_due_on(self) -> date:
        due_on: date = self.cleaned_data["due_on"]
        if due_on < self.today:
            raise forms.ValidationError(f"Must be today ({uk_date(self.today)}) or later.")
        return due_on

    def describe(self) -> str:
        """What each chosen complaint will get, in words."""
        data = self.cleaned_data
        when = uk_date(data["due_on"])
        if data["due_time"]:
            when += f" at {data['due_time']:%H:%M}"
        choices = dict(cast(list[tuple[str, str]], self.fields["assignee"].choices))  # type: ignore[attr-defined]
        who = (
            choices[data["assignee"]]
            if data["assignee"]
            else "its owner (you, where nobody owns it)"
        )
        note = f" Note: “{data['note']}”." if data["note"] else ""
        return f"Each will get a task: {TaskKind(data['kind']).label}, due {when}, for {who}.{note}"
