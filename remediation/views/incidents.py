"""Incidents: the list, one incident with its search and bulk actions, and a bulk run's
report; also linking one complaint from its panel."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.pageactions import (
    ActionPage,
    PageAction,
    flash_form_errors,
    form_page,
    perform,
)
from complaints import access
from complaints.access import FirmRequest, Perm, ensure_perm, require_perm
from complaints.choices import Status
from complaints.models import Complaint

from .. import selectors
from ..forms import BulkForm, IncidentChoiceForm, IncidentForm, SearchForm
from ..models import BulkRun, Incident
from ..services.incidents import (
    incident_bulk_acknowledge,
    incident_bulk_assign,
    incident_create,
    incident_link,
    incident_unlink,
    incident_update,
)
from ._base import HANDLE, MANAGE, READ_OR_MANAGE, back, firm_form_view, members

_COMPLAINT = Complaint.objects.select_related("firm")
_RUN = BulkRun.objects.select_related("incident", "actor")


# Linking one complaint from its panel: the incident is the object, the complaint rides along.
_PANEL_LINK = PageAction(
    incident_link, lambda incident, _: f"Linked to {incident.name}.", id_kwarg="incident_id"
)
_PANEL_UNLINK = PageAction(
    incident_unlink, lambda incident, _: f"Unlinked from {incident.name}.", id_kwarg="incident_id"
)


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def from_panel(request: FirmRequest, pk: int) -> HttpResponse:
    """Link (or with ``unlink``, unlink) one complaint and an incident from the panel."""
    complaint: Complaint = request.scoped_object
    form = IncidentChoiceForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return back(request, complaint.pk)
    incident = get_object_or_404(
        Incident, pk=form.cleaned_data["incident"], firm_id=complaint.firm_id
    )
    return perform(
        request,
        _PANEL_UNLINK if request.POST.get("unlink") else _PANEL_LINK,
        incident,
        ActionPage(landing=lambda request, incident, result: back(request, complaint.pk)),
        complaint_ids=[complaint.pk],
    )


def _index(request: FirmRequest, firm_id: int, forms: dict, status: int) -> HttpResponse:
    return render(
        request,
        "remediation/incidents.html",
        {
            "incidents": selectors.incidents([firm_id]),
            "form": forms.get("form") or IncidentForm(),
            "can_manage": access.has_perm(request.user, firm_id, Perm.MANAGE_REMEDIATION),
        },
        status=status,
    )


_TO_INCIDENT = ActionPage(
    landing=lambda request, incident, result: redirect("remediation:incident", pk=incident.pk)
)
_INDEX = form_page(
    landing=lambda request, firm_id, incident: redirect("remediation:incident", pk=incident.pk),
    rerender=_index,
)
_CREATE = PageAction(
    incident_create, lambda firm_id, incident: f"Incident '{incident.name}' recorded.", IncidentForm
)
_EDIT = PageAction(incident_update, "Incident updated.", IncidentForm, id_kwarg="incident_id")


index = firm_form_view(READ_OR_MANAGE, _CREATE, _INDEX)


@require_perm({"read": Perm.VIEW_COMPLAINTS}, model=Incident)
def detail(request: FirmRequest, pk: int) -> HttpResponse:
    incident: Incident = request.scoped_object
    search = SearchForm(request.GET or None)
    results = None
    firm_complaints = Complaint.objects.filter(firm_id=incident.firm_id)
    if search.is_bound and search.is_valid() and any(search.cleaned_data.values()):
        results = list(
            selectors.complaint_search(firm_complaints, **search.cleaned_data).exclude(
                incident_links__incident=incident
            )[:500]
        )
    edit_form = IncidentForm(
        initial={
            "name": incident.name,
            "description": incident.description,
            "started_at": timezone.localtime(incident.started_at),
            "ended_at": timezone.localtime(incident.ended_at) if incident.ended_at else None,
        }
    )
    return render(
        request,
        "remediation/incident_detail.html",
        {
            "incident": incident,
            "complaints": list(selectors.incident_complaints(incident)),
            "search": search,
            "results": results,
            "edit": edit_form,
            "members": members(incident.firm_id),
            "runs": list(incident.bulk_runs.select_related("actor")[:5]),
            "actions": list(incident.actions.select_related("owner")),
            "can_manage": access.has_perm(request.user, incident.firm_id, Perm.MANAGE_REMEDIATION),
            "received": Status.RECEIVED,
        },
    )


@require_POST
@require_perm(MANAGE, model=Incident)
def edit(request: FirmRequest, pk: int) -> HttpResponse:
    return perform(request, _EDIT, request.scoped_object, _TO_INCIDENT)


_LINK = PageAction(
    incident_link,
    lambda incident, result: f"Linked {result.linked} complaint(s)"
    + (f"; {result.already_linked} were already linked." if result.already_linked else "."),
    id_kwarg="incident_id",
)


def _ticked(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("complaint") if v.isdigit()]


@require_POST
@require_perm(MANAGE, model=Incident)
def link(request: FirmRequest, pk: int) -> HttpResponse:
    """Link the ticked search results, or with ``all_results`` every complaint the search
    finds (re-run here, so the link matches the search and not a stale page)."""
    incident: Incident = request.scoped_object
    if request.POST.get("all_results"):
        search = SearchForm(request.POST)
        if not search.is_valid() or not any(search.cleaned_data.values()):
            messages.error(request, "Search first: linking every complaint needs a filter.")
            return redirect("remediation:incident", pk=incident.pk)
        ids = list(
            selectors.complaint_search(
                Complaint.objects.filter(firm_id=incident.firm_id), **search.cleaned_data
            ).values_list("pk", flat=True)
        )
    else:
        ids = _ticked(request)
    if not ids:
        messages.error(request, "Tick at least one complaint to link.")
        return redirect("remediation:incident", pk=incident.pk)
    return perform(request, _LINK, incident, _TO_INCIDENT, complaint_ids=ids)


@require_POST
@require_perm(MANAGE, model=Incident)
def unlink(request: FirmRequest, pk: int) -> HttpResponse:
    incident: Incident = request.scoped_object
    count = incident_unlink(
        incident_id=incident.pk,
        complaint_ids=_ticked(request),
        actor=request.user,
        now=timezone.now(),
    )
    messages.success(request, f"Unlinked {count} complaint(s).")
    return redirect("remediation:incident", pk=incident.pk)


def _bulk(
    service: Callable[..., Any],
    perm: Perm,
    arguments: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> tuple[Perm, PageAction]:
    """A bulk action over the incident's complaints: it also needs ``perm``, and lands on the
    run's report, which says how it went."""
    return perm, PageAction(
        service,
        None,
        id_kwarg="incident_id",
        arguments=arguments,
        landing=lambda request, incident, run: redirect("remediation:bulk_run", pk=run.pk),
    )


_BULK = {
    "assign": _bulk(
        incident_bulk_assign, Perm.ASSIGN_COMPLAINTS, lambda data: {"owner_id": data["owner"]}
    ),
    "acknowledge": _bulk(
        incident_bulk_acknowledge,
        Perm.HANDLE_COMPLAINTS,
        lambda data: {"method": data["method"] or ""},
    ),
}


@require_POST
@require_perm(MANAGE, model=Incident)
def bulk(request: FirmRequest, pk: int) -> HttpResponse:
    incident: Incident = request.scoped_object
    form = BulkForm(request.POST)
    perm, action = _BULK[form.cleaned_data["action"] if form.is_valid() else "acknowledge"]
    if form.is_valid():
        ensure_perm(request.user, incident.firm_id, perm)
    ids = _ticked(request) or None
    return perform(request, action, incident, _TO_INCIDENT, form=form, complaint_ids=ids)


@require_perm({"read": Perm.VIEW_COMPLAINTS}, model=_RUN, firm_path="incident__firm_id")
def bulk_run(request: FirmRequest, pk: int) -> HttpResponse:
    return render(request, "remediation/bulk_run.html", {"run": request.scoped_object})
