"""One complainant's page: every complaint (status, next deadline), every letter, and what the
apps above add (the redress ledger's items), linked from the queue and the complaint page."""

from __future__ import annotations

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from common.dates import london_date
from complaints.access import Perm, require_perm
from complaints.deadlines import calendar_for_firm
from complaints.models import Complainant
from complaints.panels import complainant_panels
from complaints.selectors import queue_rows
from complaints.selectors.complainant import (
    complainant_complaint_rows,
    complainant_complaints,
    complainant_letters,
)

from .base import firm_required

_COMPLAINANT = Complainant.objects.select_related("firm")


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS}, model=_COMPLAINANT)
def complainant_detail(request, pk: int):
    complainant: Complainant = request.scoped_object
    now = timezone.now()
    complaints = complainant_complaint_rows(complainant, london_date(now))
    calendar = calendar_for_firm(complainant.firm)
    panels = [
        # Read-only lists: rendered without the request (its context processors would query
        # again for each panel).
        (panel, mark_safe(render_to_string(panel.template, {**ctx, "panel": panel})))
        for panel, ctx in complainant_panels(
            request, complainant, complainant_complaints(complainant)
        )
    ]
    return render(
        request,
        "complaints/complainant.html",
        {
            "complainant": complainant,
            "rows": queue_rows(complaints, now=now, calendar=calendar),
            "letters": complainant_letters(complainant),
            "panels": panels,
        },
    )
