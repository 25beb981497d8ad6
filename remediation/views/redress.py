"""The redress ledger: offers and their steps from the complaint panel, and the ledger page."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.dates import london_date
from common.pageactions import ActionPage, PageAction, perform
from complaints.access import FirmRequest, Perm, require_perm
from complaints.models import Complaint

from .. import selectors
from ..forms import NoRedressForm, RedressOfferForm, RedressStepForm
from ..models import RedressItem, RedressStatus
from ..services.redress import (
    RedressData,
    redress_accept,
    redress_decline,
    redress_offer,
    redress_pay,
    redress_record_none_appropriate,
)
from ._base import HANDLE, PANEL, back

_COMPLAINT = Complaint.objects.select_related("firm")
_ITEM = RedressItem.objects.select_related("complaint")


_OFFER = PageAction(
    redress_offer,
    "Redress offer recorded.",
    partial(RedressOfferForm, prefix="redress"),
    id_kwarg="complaint_id",
    arguments=lambda data: {"data": RedressData(**data)},
)
_NO_REDRESS = PageAction(
    redress_record_none_appropriate, "Reason recorded.", NoRedressForm, id_kwarg="complaint_id"
)


def _step(service: Callable[..., Any], success: str, *texts: str) -> PageAction:
    """A step of an offer: the version the page showed, and the step's own text fields."""
    return PageAction(
        service,
        success,
        id_kwarg="item_id",
        arguments=lambda data: {
            "expected_version": data.get("version"),
            **{name: data.get(name) or "" for name in texts},
        },
    )


# The steps of an offer, by the form's ``op``; each lands back on the item's complaint.
_ON_ITEM = ActionPage(landing=lambda request, item, result: back(request, item.complaint_id))
_STEPS = {
    "accept": _step(redress_accept, "Acceptance recorded: payment is now due."),
    "decline": _step(redress_decline, "Decline recorded.", "reason"),
    "pay": _step(redress_pay, "Payment recorded.", "payment_reference"),
}


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def offer(request: FirmRequest, pk: int) -> HttpResponse:
    return perform(request, _OFFER, request.scoped_object, PANEL)


@require_POST
@require_perm(HANDLE, model=_ITEM, kwarg="item_id", firm_path="complaint__firm_id")
def step(request: FirmRequest, item_id: int) -> HttpResponse:
    form = RedressStepForm(request.POST)
    op = form.cleaned_data["op"] if form.is_valid() else "pay"
    return perform(request, _STEPS[op], request.scoped_object, _ON_ITEM, form=form)


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def no_redress(request: FirmRequest, pk: int) -> HttpResponse:
    return perform(request, _NO_REDRESS, request.scoped_object, PANEL)


@require_perm({"read": Perm.VIEW_COMPLAINTS})
def ledger(request: FirmRequest) -> HttpResponse:
    firm_id = request.firm_id
    today = london_date(timezone.now())
    complaints = Complaint.objects.filter(firm_id=firm_id)
    overdue = request.GET.get("overdue") == "1"
    status = request.GET.get("status", "")
    items = selectors.ledger(complaints, today, status=status, overdue=overdue)[:500]
    return render(
        request,
        "remediation/ledger.html",
        {
            "items": list(items),
            "totals": selectors.ledger_totals(complaints, today),
            "overdue": overdue,
            "status": status,
            "statuses": RedressStatus.choices,
            "gaps": list(
                selectors.upheld_without_redress_decision(complaints).select_related("owner")[:200]
            ),
        },
    )
