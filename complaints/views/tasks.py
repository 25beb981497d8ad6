"""Tasks and diary dates: adding one from the complaint page, completing, cancelling or
reopening one (from the complaint page or "My tasks"), and "My tasks": the signed-in user's open
tasks, overdue first. Writes go through ``complaints.services.tasks``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.dates import london_date, uk_date
from common.pageactions import ActionPage, PageAction, perform
from complaints import selectors, services
from complaints.access import Perm, require_perm
from complaints.models import Complaint, Task
from complaints.selectors import tasks as task_selectors
from complaints.task_panel import TaskForm, task_arguments

from .base import firm_required

PAGE_SIZE = 50
_COMPLAINT = Complaint.objects.select_related("firm")
_TASK = Task.objects.select_related("complaint__firm")

_ADD = PageAction(
    lambda *, complaint_id, actor, now, **data: services.task_create(
        complaint_id, user=actor, now=now, **data
    ),
    lambda complaint, task: f"Task added: {task.title}, due {uk_date(task.due_on)}.",
    form_name="task_form",
    id_kwarg="complaint_id",
    arguments=task_arguments,
)
# The panel cannot show its form again: bad input and refusals are flashed on the complaint.
_COMPLAINT_PAGE = ActionPage(
    landing=lambda request, complaint, result: redirect("complaints:detail", pk=complaint.pk)
)
TASK_ACTIONS = {
    "complete": PageAction(services.task_complete, "Task done.", id_kwarg="task_id"),
    "cancel": PageAction(services.task_cancel, "Task cancelled.", id_kwarg="task_id"),
    "reopen": PageAction(services.task_reopen, "Task reopened.", id_kwarg="task_id"),
}


def _task_landing(request, task: Task, result):
    # Back where the button was: "My tasks" (with its filter) or the complaint's page.
    if request.POST.get("back") == "mine":
        return redirect("complaints:my_tasks")
    return redirect("complaints:detail", pk=task.complaint_id)


_TASK_PAGE = ActionPage(landing=_task_landing)


def _require_current_firm(request, firm_id: int, firm_name: str) -> None:
    if request.membership.firm_id != firm_id:
        raise PermissionDenied(f"Switch to {firm_name} to act on this complaint.")


@firm_required
@require_POST
@require_perm({"POST": Perm.HANDLE_COMPLAINTS}, model=_COMPLAINT)
def task_add(request, pk: int):
    complaint = request.scoped_object
    _require_current_firm(request, complaint.firm_id, complaint.firm.name)
    form = TaskForm(request.POST, members=selectors.firm_members(complaint.firm_id))
    return perform(request, _ADD, complaint, _COMPLAINT_PAGE, form=form)


@firm_required
@require_POST
@require_perm({"POST": Perm.HANDLE_COMPLAINTS}, model=_TASK)
def task_act(request, pk: int, action: str):
    task = request.scoped_object
    if action not in TASK_ACTIONS:
        raise Http404("Unknown action.")
    _require_current_firm(request, task.firm_id, task.complaint.firm.name)
    return perform(request, TASK_ACTIONS[action], task, _TASK_PAGE)


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS}, any_firm=True)
def my_tasks(request):
    """The user's own open tasks in the firms they may see: overdue, due today, upcoming."""
    today = london_date(timezone.now())
    when = request.GET.get("when", "")
    if when not in dict(task_selectors.WHENS):
        when = ""
    mine = task_selectors.user_open_tasks(request.user, request.firm_ids)
    counts = task_selectors.task_counts(mine, today)
    paginator: Paginator[Task] = Paginator(task_selectors.filter_when(mine, when, today), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(task, task.urgency(today)) for task in page.object_list],
        "counts": counts,
        "whens": task_selectors.WHENS,
        "when": when,
        "today": today,
        "current_firm_id": request.membership.firm_id,
    }
    return render(request, "complaints/my_tasks.html", context)
