"""The redress ledger: offers and their steps from the complaint panel, and the ledger page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.dates import london_date
from common.errors import DomainError
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
from ._base import HANDLE, back, flash_error, flash_form

_COMPLAINT = Complaint.objects.select_related("firm")
_ITEM = RedressItem.objects.select_related("complaint")


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def offer(request: FirmRequest, pk: int) -> HttpResponse:
    complaint: Complaint = request.scoped_object
    form = RedressOfferForm(request.POST, prefix="redress")
    if not form.is_valid():
        flash_form(request, form)
        return back(request, complaint.pk)
    try:
        redress_offer(
            complaint_id=complaint.pk,
            actor=request.user,
            now=timezone.now(),
            data=RedressData(**form.cleaned_data),
        )
        messages.success(request, "Redress offer recorded.")
    except DomainError as exc:
        flash_error(request, exc)
    return back(request, complaint.pk)


@require_POST
@require_perm(HANDLE, model=_ITEM, kwarg="item_id", firm_path="complaint__firm_id")
def step(request: FirmRequest, item_id: int) -> HttpResponse:
    item: RedressItem = request.scoped_object
    form = RedressStepForm(request.POST)
    if not form.is_valid():
        flash_form(request, form)
        return back(request, item.complaint_id)
    data, now = form.cleaned_data, timezone.now()
    version = data.get("version")
    try:
        if data["op"] == "accept":
            redress_accept(item_id=item.pk, actor=request.user, now=now, expected_version=version)
            messages.success(request, "Acceptance recorded: payment is now due.")
        elif data["op"] == "decline":
            redress_decline(
                item_id=item.pk,
                actor=request.user,
                now=now,
                reason=data.get("reason") or "",
                expected_version=version,
            )
            messages.success(request, "Decline recorded.")
        else:
            redress_pay(
                item_id=item.pk,
                actor=request.user,
                now=now,
                payment_reference=data.get("payment_reference") or "",
                expected_version=version,
            )
            messages.success(request, "Payment recorded.")
    except DomainError as exc:
        flash_error(request, exc)
    return back(request, item.complaint_id)


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def no_redress(request: FirmRequest, pk: int) -> HttpResponse:
    complaint: Complaint = request.scoped_object
    form = NoRedressForm(request.POST)
    if not form.is_valid():
        flash_form(request, form)
        return back(request, complaint.pk)
    try:
        redress_record_none_appropriate(
            complaint_id=complaint.pk,
            actor=request.user,
            now=timezone.now(),
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "Reason recorded.")
    except DomainError as exc:
        flash_error(request, exc)
    return back(request, complaint.pk)


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
