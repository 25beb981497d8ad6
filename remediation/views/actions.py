"""The action register (DISP 1.3.3R): raise actions, move them on, review their effect."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from common.dates import london_date
from common.errors import DomainError
from complaints import access
from complaints.access import FirmRequest, Perm, require_perm
from complaints.forms import apply_service_errors

from .. import selectors
from ..forms import ActionForm, ActionStatusForm
from ..models import ActionStatus, Incident, RemediationAction
from ..services.actions import action_create, action_set_status
from ._base import READ_OR_MANAGE, members

_ACTION = RemediationAction.objects.select_related(
    "owner", "root_cause__parent__parent", "incident"
)


@require_perm(READ_OR_MANAGE)
def register(request: FirmRequest) -> HttpResponse:
    firm_id = request.firm_id
    can_manage = access.has_perm(request.user, firm_id, Perm.MANAGE_REMEDIATION)
    initial = {k: request.GET.get(k) for k in ("root_cause", "incident") if request.GET.get(k)}
    form = ActionForm(initial=initial)
    if request.method == "POST":
        form = ActionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = action_create(
                    firm=access.get_firm_or_404(request.user, firm_id),
                    actor=request.user,
                    now=timezone.now(),
                    title=data["title"],
                    description=data["description"],
                    root_cause_id=data["root_cause"],
                    incident_id=data["incident"],
                    owner_id=data["owner"],
                    due_on=data["due_on"],
                    review_on=data["review_on"],
                )
                messages.success(request, "Action raised.")
                return redirect("remediation:action", pk=action.pk)
            except DomainError as exc:
                apply_service_errors(form, exc)
    status = request.GET.get("status", "")
    qs = selectors.actions([firm_id])
    if status == "active":
        qs = qs.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
    elif status in ActionStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "remediation/actions.html",
        {
            "actions": list(qs),
            "form": form,
            "can_manage": can_manage,
            "status": status,
            "statuses": ActionStatus.choices,
            "tree": selectors.root_cause_tree(firm_id),
            "incidents": Incident.objects.filter(firm_id=firm_id).order_by("-started_at"),
            "members": members(firm_id),
            "today": london_date(timezone.now()),
        },
        status=400 if form.errors else 200,
    )


@require_perm(READ_OR_MANAGE, model=_ACTION)
def detail(request: FirmRequest, pk: int) -> HttpResponse:
    action: RemediationAction = request.scoped_object
    can_manage = access.has_perm(request.user, action.firm_id, Perm.MANAGE_REMEDIATION)
    form = ActionStatusForm(initial={"version": action.version})
    if request.method == "POST":
        form = ActionStatusForm(request.POST)
        if form.is_valid():
            try:
                action_set_status(
                    action_id=action.pk,
                    actor=request.user,
                    now=timezone.now(),
                    status=form.cleaned_data["status"],
                    fix_date=form.cleaned_data["fix_date"],
                    review_note=form.cleaned_data["review_note"],
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, "Action updated.")
                return redirect("remediation:action", pk=action.pk)
            except DomainError as exc:
                apply_service_errors(form, exc)
    today = london_date(timezone.now())
    return render(
        request,
        "remediation/action_detail.html",
        {
            "action": action,
            "form": form,
            "can_manage": can_manage,
            "effect": selectors.action_effectiveness(action, today),
            "history": list(
                action.history.select_related("history_user").order_by("-history_date")
            ),
        },
        status=400 if form.errors else 200,
    )
