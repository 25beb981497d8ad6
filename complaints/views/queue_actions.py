"""What the work queue posts: saving and deleting a view, and the bulk actions.

A bulk action goes in three steps, all POSTs to one URL: the queue sends the ticked complaints
and the action (``step=choose``); the confirmation page lists them and says what will happen
(asking for the action's details first if the queue did not give them); confirming runs the
service once per complaint and the page reports each complaint's outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.dates import london_date
from common.pageactions import ActionPage, PageAction, perform
from complaints import access, selectors
from complaints.access import Perm, ensure_perm, require_perm
from complaints.models import Complaint, SavedFilter
from complaints.queue_forms import BulkReassignForm, BulkTaskForm, SavedFilterForm, view_query
from complaints.services.bulk import (
    BULK_MAX,
    BulkOutcome,
    complaints_bulk_assign,
    complaints_bulk_task,
)
from complaints.services.saved_filters import saved_filter_create, saved_filter_delete
from complaints.task_panel import task_arguments

from .base import firm_required


def _to_queue(query: str) -> HttpResponse:
    url = reverse("complaints:queue")
    return redirect(f"{url}?{query}" if query else url)


# --- saved views ------------------------------------------------------------------------------

_SAVE = PageAction(
    saved_filter_create,
    lambda _obj, saved: f"Saved the view “{saved.name}”.",
    form=partial(SavedFilterForm, auto_id="id_saved_%s"),
    arguments=lambda data: {
        "name": data["name"],
        "shared": data["shared"],
        "query": view_query(data["query"]),
    },
)
_SAVE_PAGE = ActionPage(
    landing=lambda request, _obj, _result: _to_queue(view_query(request.POST.get("query", "")))
)


@firm_required
@require_POST
@require_perm({"POST": Perm.VIEW_COMPLAINTS})
def saved_filter_save(request):
    """Keep the queue's current filters and sort under a name (a refusal is flashed)."""
    return perform(request, _SAVE, None, _SAVE_PAGE, firm_id=request.membership.firm_id)


_DELETE = PageAction(
    saved_filter_delete,
    lambda saved, _result: f"Deleted the view “{saved.name}”.",
    id_kwarg="filter_id",
    timed=False,
)
_DELETE_PAGE = ActionPage(landing=lambda request, _obj, _result: _to_queue(""))


@firm_required
@require_POST
@require_perm({"POST": Perm.VIEW_COMPLAINTS}, model=SavedFilter)
def saved_filter_remove(request, pk: int):
    """Delete one of the user's own views; another member's private view is not theirs to
    see (404), a shared one is refused (only its owner deletes it)."""
    saved: SavedFilter = request.scoped_object
    if saved.owner_id != request.user.pk and not saved.shared:
        raise Http404("No such saved view.")
    return perform(request, _DELETE, saved, _DELETE_PAGE)


# --- bulk actions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkAction:
    """One bulk action: the permission it needs beyond handling complaints, the form of its
    details, and how it runs on the chosen complaints (through the per-complaint service)."""

    name: str
    verb: str  # "Reassign": the confirmation button says "Reassign 3 complaints"
    title: str  # the report's heading: "Reassigned: 3 done"
    perm: Perm
    form: Callable[[Any, Any], forms.Form]  # (request, data or None) -> the details' form
    run: Callable[[Any, forms.Form, list[int], datetime], list[BulkOutcome]]


def _reassign_form(request, data) -> forms.Form:
    members = selectors.firm_members(request.membership.firm_id)
    return BulkReassignForm(data, members=members, auto_id="id_bulk_%s")


def _reassign(request, form, ids: list[int], now: datetime) -> list[BulkOutcome]:
    return complaints_bulk_assign(
        firm_id=request.membership.firm_id,
        complaint_ids=ids,
        actor=request.user,
        now=now,
        owner_id=form.owner_id(),
    )


def _task_form(request, data) -> forms.Form:
    today = london_date(timezone.now())
    return BulkTaskForm(
        data,
        members=selectors.firm_members(request.membership.firm_id),
        today=today,
        initial={"due_on": today.isoformat()},
        auto_id="id_bulk_task_%s",
    )


def _task(request, form, ids: list[int], now: datetime) -> list[BulkOutcome]:
    return complaints_bulk_task(
        firm_id=request.membership.firm_id,
        complaint_ids=ids,
        actor=request.user,
        now=now,
        **task_arguments(form.cleaned_data),
    )


BULK_ACTIONS: dict[str, BulkAction] = {
    "reassign": BulkAction(
        "reassign", "Reassign", "Reassigned", Perm.ASSIGN_COMPLAINTS, _reassign_form, _reassign
    ),
    "task": BulkAction(
        "task", "Add a task to", "Tasks added", Perm.HANDLE_COMPLAINTS, _task_form, _task
    ),
}


def _ticked(request) -> list[int]:
    return list(dict.fromkeys(int(v) for v in request.POST.getlist("complaint") if v.isdigit()))


def _chosen(request, ids: list[int]) -> list[Complaint]:
    """The ticked complaints the user may see in the firm they work in, in the order ticked
    (another firm's id is dropped: it is not theirs to name)."""
    found = (
        access.complaints_for(request.user)
        .filter(firm_id=request.membership.firm_id, pk__in=ids)
        .select_related("complainant", "owner")
        .in_bulk()
    )
    return [found[pk] for pk in ids if pk in found]


@firm_required
@require_POST
@require_perm({"POST": Perm.HANDLE_COMPLAINTS})
def queue_bulk(request):
    back = view_query(request.POST.get("back", ""))
    action = BULK_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, "Choose what to do with the ticked complaints.")
        return _to_queue(back)
    ensure_perm(request.user, request.membership.firm_id, action.perm)
    chosen = _chosen(request, _ticked(request)[: BULK_MAX + 1])
    if not chosen:
        messages.error(request, "Tick at least one complaint first.")
        return _to_queue(back)
    if len(chosen) > BULK_MAX:
        messages.error(request, f"At most {BULK_MAX} complaints at a time.")
        return _to_queue(back)
    step = request.POST.get("step", "")
    form = action.form(request, request.POST)
    valid = form.is_valid()
    if not valid and step == "choose":
        # Sent from the queue without the details: ask for them, without errors yet.
        form = action.form(request, None)
    if not valid or request.POST.get("confirmed") != "yes":
        context = {
            "action": action,
            "complaints": chosen,
            "form": form,
            "ready": valid,
            "summary": form.describe() if valid else "",  # type: ignore[attr-defined]
            "back": back,
        }
        status = 400 if form.is_bound and not valid else 200
        return render(request, "complaints/queue_bulk_confirm.html", context, status=status)
    outcomes = action.run(request, form, [c.pk for c in chosen], timezone.now())
    return render(
        request,
        "complaints/queue_bulk_done.html",
        {
            "action": action,
            "outcomes": outcomes,
            "done": sum(1 for o in outcomes if o.ok),
            "refused": sum(1 for o in outcomes if not o.ok),
            "summary": form.describe(),  # type: ignore[attr-defined]
            "back": back,
        },
    )
