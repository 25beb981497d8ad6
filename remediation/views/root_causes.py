"""Root causes: recorded on a complaint from its panel, and the firm's taxonomy page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.errors import DomainError
from complaints import access
from complaints.access import FirmRequest, Perm, require_perm
from complaints.forms import apply_service_errors
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
from ._base import HANDLE, back, flash_error, flash_form

_COMPLAINT = Complaint.objects.select_related("firm")


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def assign(request: FirmRequest, pk: int) -> HttpResponse:
    complaint: Complaint = request.scoped_object
    form = RootCauseAssignForm(request.POST)
    if not form.is_valid():
        flash_form(request, form)
        return back(request, complaint.pk)
    try:
        complaint_root_cause_assign(
            complaint_id=complaint.pk,
            root_cause_id=form.cleaned_data["root_cause"],
            note=form.cleaned_data["note"],
            actor=request.user,
            now=timezone.now(),
        )
        messages.success(request, "Root cause recorded.")
    except DomainError as exc:
        flash_error(request, exc)
    return back(request, complaint.pk)


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def remove(request: FirmRequest, pk: int, root_cause_id: int) -> HttpResponse:
    complaint: Complaint = request.scoped_object
    try:
        complaint_root_cause_remove(
            complaint_id=complaint.pk,
            root_cause_id=root_cause_id,
            actor=request.user,
            now=timezone.now(),
        )
        messages.success(request, "Root cause removed.")
    except DomainError as exc:
        flash_error(request, exc)
    return back(request, complaint.pk)


# The taxonomy is firm configuration (administrators); using it on complaints is handling.
@require_perm({"read": Perm.VIEW_COMPLAINTS, "POST": Perm.MANAGE_FIRM})
def taxonomy(request: FirmRequest) -> HttpResponse:
    firm_id = request.firm_id
    can_manage = access.has_perm(request.user, firm_id, Perm.MANAGE_FIRM)
    form = RootCauseForm()
    if request.method == "POST":
        form = RootCauseForm(request.POST)
        if form.is_valid():
            try:
                node = root_cause_create(
                    firm=access.get_firm_or_404(request.user, firm_id),
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    parent_id=form.cleaned_data["parent"],
                    description=form.cleaned_data["description"],
                )
                messages.success(request, f"Root cause '{node.name}' added.")
                return redirect("remediation:root_causes")
            except DomainError as exc:
                apply_service_errors(form, exc)
    return render(
        request,
        "remediation/root_causes.html",
        {"tree": selectors.root_cause_tree(firm_id), "form": form, "can_manage": can_manage},
        status=400 if form.errors else 200,
    )


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
        flash_error(request, exc)
    return redirect("remediation:root_causes")
