"""Root causes: recorded on a complaint from its panel, and the firm's taxonomy page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from common.errors import DomainError
from common.pageactions import PageAction, form_page, perform, with_rule
from complaints import access
from complaints.access import FirmRequest, Perm, require_perm
from complaints.models import Complaint

from .. import selectors
from ..forms import RootCauseAssignForm, RootCauseForm
from ..models import RootCause
from ..services.root_causes import (
    complaint_root_cause_assign,
    complaint_root_cause_remove,
    root_cause_create,
    root_cause_update,
)
from ._base import HANDLE, PANEL, firm_form_view

_COMPLAINT = Complaint.objects.select_related("firm")


_ASSIGN = PageAction(
    complaint_root_cause_assign,
    "Root cause recorded.",
    RootCauseAssignForm,
    id_kwarg="complaint_id",
    arguments=lambda data: {"root_cause_id": data["root_cause"], "note": data["note"]},
)
_REMOVE = PageAction(complaint_root_cause_remove, "Root cause removed.", id_kwarg="complaint_id")
_ADD = PageAction(
    root_cause_create,
    lambda firm_id, node: f"Root cause '{node.name}' added.",
    RootCauseForm,
    arguments=lambda data: {
        "name": data["name"],
        "parent_id": data["parent"],
        "description": data["description"],
    },
    timed=False,
)


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def assign(request: FirmRequest, pk: int) -> HttpResponse:
    return perform(request, _ASSIGN, request.scoped_object, PANEL)


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def remove(request: FirmRequest, pk: int, root_cause_id: int) -> HttpResponse:
    return perform(request, _REMOVE, request.scoped_object, PANEL, root_cause_id=root_cause_id)


def _taxonomy(request: FirmRequest, firm_id: int, forms: dict, status: int) -> HttpResponse:
    return render(
        request,
        "remediation/root_causes.html",
        {
            "tree": selectors.root_cause_tree(firm_id),
            "form": forms.get("form") or RootCauseForm(),
            "can_manage": access.has_perm(request.user, firm_id, Perm.MANAGE_FIRM),
        },
        status=status,
    )


_TAXONOMY = form_page(
    landing=lambda request, firm_id, node: redirect("remediation:root_causes"), rerender=_taxonomy
)


# The taxonomy is firm configuration (administrators); using it on complaints is handling.
taxonomy = firm_form_view({"read": Perm.VIEW_COMPLAINTS, "POST": Perm.MANAGE_FIRM}, _ADD, _TAXONOMY)


@require_POST
@require_perm({"POST": Perm.MANAGE_FIRM}, model=RootCause)
def edit(request: FirmRequest, pk: int) -> HttpResponse:
    node: RootCause = request.scoped_object
    try:
        if "active" in request.POST:
            root_cause_update(
                root_cause_id=node.pk, actor=request.user, active=request.POST["active"] == "1"
            )
        else:
            parent = request.POST.get("parent", "")
            root_cause_update(
                root_cause_id=node.pk,
                actor=request.user,
                name=request.POST.get("name", node.name),
                parent_id=int(parent) if parent.isdigit() else None,
            )
        messages.success(request, "Taxonomy updated.")
    except DomainError as exc:
        messages.error(request, with_rule(exc))
    return redirect("remediation:root_causes")
