"""The bank holidays page: the days proclaimed beyond the published calendars, and a form to
record a new proclamation (a day added, or a bank holiday moved) for an administrator."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render

from common.pageactions import PageAction, form_page, form_page_or_perform
from complaints import access, selectors
from complaints.access import FirmRequest, Perm, require_perm
from complaints.forms import BankHolidayForm
from complaints.services import bank_holiday_proclaim

from .base import firm_required


def _success(firm_id: int, change) -> str:
    moved = len(change.recomputed)
    complaints = "1 open complaint" if moved == 1 else f"{moved} open complaints"
    returns = change.returns_moved
    dues = "1 return due date" if returns == 1 else f"{returns} return due dates"
    return f"Recorded. {change.holiday.describe()}. Recomputed {complaints} and {dues}."


_PROCLAIM = PageAction(bank_holiday_proclaim, _success, BankHolidayForm)


def _page(request: FirmRequest, firm_id: int, forms: dict, status: int) -> HttpResponse:
    return render(
        request,
        "complaints/bank_holidays.html",
        {
            "holidays": selectors.proclaimed_bank_holidays(),
            "form": forms.get("form") or BankHolidayForm(),
            "can_manage": access.has_perm(request.user, firm_id, Perm.MANAGE_FIRM),
        },
        status=status,
    )


_PAGE = form_page(
    landing=lambda request, firm_id, change: redirect("complaints:bank_holidays"), rerender=_page
)


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS, "POST": Perm.MANAGE_FIRM})
def bank_holidays(request: FirmRequest) -> HttpResponse:
    """Everyone who sees complaints sees the proclaimed days; administrators record them."""
    return form_page_or_perform(request, _PROCLAIM, request.firm_id, _PAGE)
