"""The action register (DISP 1.3.3R): raise actions, move them on, review their effect."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from common.dates import london_date
from common.pageactions import PageAction, form_page, form_page_or_perform
from complaints import access
from complaints.access import FirmRequest, Perm, require_perm

from .. import selectors
from ..forms import ActionForm, ActionStatusForm
from ..models import ActionStatus, Incident, RemediationAction
from ..services.actions import action_create, action_set_status
from ._base import READ_OR_MANAGE, firm_form_view, members

_ACTION = RemediationAction.objects.select_related(
    "owner", "root_cause__parent__parent", "incident"
)


def _register(request: FirmRequest, firm_id: int, forms: dict, status: int) -> HttpResponse:
    initial = {k: request.GET.get(k) for k in ("root_cause", "incident") if request.GET.get(k)}
    status_filter = request.GET.get("status", "")
    qs = selectors.actions([firm_id])
    if status_filter == "active":
        qs = qs.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
    elif status_filter in ActionStatus.values:
        qs = qs.filter(status=status_filter)
    return render(
        request,
        "remediation/actions.html",
        {
            "actions": list(qs),
            "form": forms.get("form") or ActionForm(initial=initial),
            "can_manage": access.has_perm(request.user, firm_id, Perm.MANAGE_REMEDIATION),
            "status": status_filter,
            "statuses": ActionStatus.choices,
            "tree": selectors.root_cause_tree(firm_id),
            "incidents": Incident.objects.filter(firm_id=firm_id).order_by("-started_at"),
            "members": members(firm_id),
            "today": london_date(timezone.now()),
        },
        status=status,
    )


def _detail(
    request: FirmRequest, action: RemediationAction, forms: dict, status: int
) -> HttpResponse:
    today = london_date(timezone.now())
    return render(
        request,
        "remediation/action_detail.html",
        {
            "action": action,
            "form": forms.get("form") or ActionStatusForm(initial={"version": action.version}),
            "can_manage": access.has_perm(request.user, action.firm_id, Perm.MANAGE_REMEDIATION),
            "effect": selectors.action_effectiveness(action, today),
            "history": list(
                action.history.select_related("history_user").order_by("-history_date")
            ),
        },
        status=status,
    )


def _to_action(request: FirmRequest, obj: object, action: RemediationAction) -> HttpResponse:
    return redirect("remediation:action", pk=action.pk)


_RAISE = PageAction(
    action_create,
    "Action raised.",
    ActionForm,
    arguments=lambda data: {
        "title": data["title"],
        "description": data["description"],
        "root_cause_id": data["root_cause"],
        "incident_id": data["incident"],
        "owner_id": data["owner"],
        "due_on": data["due_on"],
        "review_on": data["review_on"],
    },
)
_SET_STATUS = PageAction(
    action_set_status,
    "Action updated.",
    ActionStatusForm,
    id_kwarg="action_id",
    arguments=lambda data: {
        "status": data["status"],
        "fix_date": data["fix_date"],
        "review_note": data["review_note"],
        "expected_version": data["version"],
    },
)
_REGISTER = form_page(landing=_to_action, rerender=_register)
# Updating an action lands on its own page again, so it needs no result.
_DETAIL = form_page(
    landing=lambda request, action, result: _to_action(request, None, action), rerender=_detail
)


register = firm_form_view(READ_OR_MANAGE, _RAISE, _REGISTER)


@require_perm(READ_OR_MANAGE, model=_ACTION)
def detail(request: FirmRequest, pk: int) -> HttpResponse:
    return form_page_or_perform(request, _SET_STATUS, request.scoped_object, _DETAIL)
