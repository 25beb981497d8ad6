"""The DISP clock as a page: "when is this due?" for compliance staff."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from complaints.access import Perm, require_perm
from complaints.deadlines import calendar_for_nation
from complaints.disp.clock import Regime, compute_deadlines
from complaints.forms import DATETIME_LOCAL, CalculatorForm, local_now_minute

from .base import firm_required


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS})
def calculator(request):
    """A GET form, so results can be bookmarked and it works without JavaScript."""
    firm = request.membership.firm
    # First visit: the deadlines of a complaint received now in the current firm's calendar.
    data = (
        request.GET
        if "received_at" in request.GET
        else {
            "received_at": local_now_minute(timezone.now()).strftime(DATETIME_LOCAL),
            "nation": firm.nation,
            "regime": Regime.STANDARD.value,
            "close_of_business": firm.close_of_business.strftime("%H:%M"),
            "six_month_wording": "on",
        }
    )
    form = CalculatorForm(data)
    result = calendar = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        calendar = calendar_for_nation(d["nation"])
        result = compute_deadlines(
            received_at=d["received_at"],
            calendar=calendar,
            regime=Regime(d["regime"]),
            close_of_business=d["close_of_business"],
            event_date=d["event_date"],
            awareness_date=d["awareness_date"],
            final_response_sent=d["final_response_sent"],
            six_month_wording=d["six_month_wording"],
            holding_response_sent=d["holding_response_sent"],
            final_response_day_count=getattr(settings, "DISP_FINAL_RESPONSE_DAY_COUNT", 56),
        )
    rows = []
    if result is not None:
        for deadline in (
            result.summary_resolution,
            result.final_response,
            result.extended_final_response,
            result.fos_referral_open_from,
            result.time_bar,
            result.fos_six_month,
        ):
            if deadline is not None:
                rows.append(deadline)
    context = {
        "form": form,
        "result": result,
        "rows": rows,
        "calendar": calendar,
        "holidays": calendar.holidays_between(result.receipt_date, max(r.date for r in rows[:3]))
        if result and calendar
        else [],
    }
    template = (
        "complaints/_calculator_results.html" if request.htmx else "complaints/calculator.html"
    )
    return render(request, template, context)
