"""The remediation panel on the complaint page, and the same panel on a page of its own."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from common.compiled import ANY_ID, Compiled
from common.dates import london_date
from complaints import access
from complaints.access import FirmRequest, Perm, require_perm
from complaints.models import Complaint
from complaints.redress_rules import redress_decision_enforced

from .. import selectors
from ..forms import RedressOfferForm
from ..models import Incident

# The firm's incidents to link, compiled once per process (issue 18): a firm id no row has marks
# where each page binds its own.
_INCIDENTS = Compiled(Incident.objects.filter(firm_id=ANY_ID).order_by("-started_at"), ANY_ID)


def panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any] | None:
    """Context of the remediation panel on the complaint page (complaints.panels)."""
    if not access.has_perm(request.user, complaint.firm_id, Perm.VIEW_COMPLAINTS):
        return None
    today = london_date(timezone.now())
    data = selectors.complaint_remediation(complaint, today)
    can_handle = access.has_perm(request.user, complaint.firm_id, Perm.HANDLE_COMPLAINTS)
    linked = {link.incident_id for link in data.incident_links}
    return {
        "complaint": complaint,
        "rem": data,
        "can_handle": can_handle,
        "offer_form": RedressOfferForm(prefix="redress"),
        "tree": selectors.root_cause_tree(complaint.firm_id, active_only=True),
        "incident_choices": [
            i for i in _INCIDENTS.objects(complaint.firm_id) if i.pk not in linked
        ],
        "next": request.get_full_path(),
        "enforced": redress_decision_enforced(),
    }


@require_perm({"read": Perm.VIEW_COMPLAINTS}, model=Complaint.objects.select_related("firm"))
def complaint_page(request: FirmRequest, pk: int) -> HttpResponse:
    """The remediation panel on a page of its own."""
    complaint: Complaint = request.scoped_object
    return render(
        request,
        "remediation/complaint.html",
        {"panel": panel_context(request, complaint), "complaint": complaint},
    )


def complainant_panel_context(request: HttpRequest, complainant, complaints) -> dict[str, Any]:
    """The redress items of every complaint of one complainant (complaints.panels): one
    query, newest offer first."""
    today = london_date(timezone.now())
    return {
        "items": list(selectors.ledger(complaints, today)),
        "totals": selectors.ledger_totals(complaints, today),
    }
