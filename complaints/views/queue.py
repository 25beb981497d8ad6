"""The work queue: the handler's day, sorted by the nearest DISP deadline."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from common.dates import london_date
from complaints import access, selectors
from complaints.access import Perm, require_perm
from complaints.deadlines import calendar_for_firm
from complaints.forms import QueueFilterForm
from complaints.models import Complaint

from .base import firm_required

PAGE_SIZE = 50


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS})
def queue(request):
    now = timezone.now()
    today = london_date(now)
    membership = request.membership
    members = selectors.firm_members(membership.firm_id)
    form = QueueFilterForm(request.GET or None, members=members)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    can_handle = access.has_perm(request.user, membership.firm_id, Perm.HANDLE_COMPLAINTS)
    # Handlers start on their own complaints; read-only roles on the whole team's.
    default_tab = selectors.TAB_MINE if can_handle else selectors.TAB_TEAM
    filters = selectors.QueueFilters(
        tab=data.get("tab") or default_tab,
        status=data.get("status", ""),
        activity=data.get("activity", ""),
        owner=data.get("owner", ""),
        window=data.get("window", ""),
        vulnerable=bool(data.get("vulnerable")),
        vulnerability_failure=bool(data.get("vulnerability_failure")),
        tasks_due=bool(data.get("tasks_due")),
        q=data.get("q", ""),
    )
    # One calendar per request: the per-row business-day countdown never queries.
    calendar = calendar_for_firm(membership.firm)
    work = selectors.queue_complaints(
        user=request.user, membership=membership, filters=filters, today=today, calendar=calendar
    )
    paginator: Paginator[Complaint] = Paginator(work, PAGE_SIZE)  # type: ignore[arg-type]
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.queue_rows(list(page.object_list), now=now, calendar=calendar)
    params = request.GET.copy()
    params.pop("page", None)
    tab_params = params.copy()
    tab_params.pop("tab", None)
    context = {
        "form": form,
        "filters": filters,
        "tabs": selectors.TABS,
        "page": page,
        "rows": rows,
        "query": params.urlencode(),
        "tab_query": tab_params.urlencode(),
        "today": today,
        "can_handle": can_handle,
    }
    if not request.htmx:
        context["other_deadlines"] = selectors.other_deadlines([membership.firm_id], today)
    template = "complaints/_queue_results.html" if request.htmx else "complaints/queue.html"
    return render(request, template, context)
