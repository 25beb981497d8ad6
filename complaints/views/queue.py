"""The work queue: the handler's day, sorted by the nearest DISP deadline (or a column the
handler picks), with saved views, bulk actions and an export of what it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.shortcuts import render
from django.utils import timezone

from common.api import BoundedCountPaginator
from common.dates import london_date
from complaints import access, selectors
from complaints.access import Perm, require_perm
from complaints.deadlines import calendar_for_firm
from complaints.disp.calendar import BusinessCalendar
from complaints.models import Membership
from complaints.queue_forms import BulkReassignForm, QueueForm, SavedFilterForm, view_query
from complaints.selectors.queue import Queue, SortedQueue
from complaints.selectors.queue_sort import SORT_DEFAULT, sort_headers
from complaints.selectors.saved_filters import saved_filters_for

from .base import firm_required

PAGE_SIZE = 50


class SearchPaginator(BoundedCountPaginator):
    """A broad search's pages: its matches are counted only to the end of the page asked for
    and one past it, which says whether another page follows. Counting them all would read
    every row of the view (a word in one complaint in twenty, at a million complaints). The
    count is the length of the queue's first ids up to there (``head``), the query the page is
    then cut from: the matches are read once, in queue order, not a second time to count."""

    def __init__(self, object_list: Queue | SortedQueue, per_page: int, *, page: int):
        super().__init__(object_list, per_page)
        self.work = object_list
        self.limit = min(page * per_page, BoundedCountPaginator.limit)

    @cached_property
    def _counted(self) -> int:
        return len(self.work.head(self.limit + 1))

    @property
    def open_ended(self) -> bool:
        """More match than were counted, and the pages go on (up to the usual cap)."""
        return not self.count_exact and self.limit < BoundedCountPaginator.limit

    @cached_property
    def count(self) -> int:
        # One past the counted when more match: Paginator then offers the next page.
        return self._counted if self.open_ended else min(self._counted, self.limit)


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


@dataclass
class QueueView:
    """What the request asks the queue for: its form, filters and the firm's calendar."""

    membership: Membership
    members: list[Membership]
    form: QueueForm
    filters: selectors.QueueFilters
    today: date
    calendar: BusinessCalendar
    can_handle: bool

    def kwargs(self, request) -> dict[str, Any]:
        """The selector's arguments."""
        return {
            "user": request.user,
            "membership": self.membership,
            "filters": self.filters,
            "today": self.today,
            "calendar": self.calendar,
        }


def queue_view(request, today: date) -> QueueView:
    """The queue's view from the request's query string (the page, its export, the bulk)."""
    membership = request.membership
    members = selectors.firm_members(membership.firm_id)
    form = QueueForm(request.GET or None, members=members)
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
        sort=data.get("sort") or SORT_DEFAULT,
    )
    # One calendar per request: the per-row business-day countdown never queries.
    calendar = calendar_for_firm(membership.firm)
    return QueueView(membership, members, form, filters, today, calendar, can_handle)


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS})
def queue(request):
    now = timezone.now()
    view = queue_view(request, london_date(now))
    membership = view.membership
    work = selectors.queue_complaints(**view.kwargs(request))
    # Counted up to a cap, like the API list: a broad view's count stops there.
    paginator = (
        SearchPaginator(work, PAGE_SIZE, page=_page_number(request.GET.get("page")))
        if work.broad
        else BoundedCountPaginator(work, PAGE_SIZE, counted=work.counted)
    )
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.queue_rows(list(page.object_list), now=now, calendar=view.calendar, links=True)
    params = request.GET.copy()
    params.pop("page", None)
    tab_params = params.copy()
    tab_params.pop("tab", None)
    sort_params = params.copy()
    sort_params.pop("sort", None)
    query = params.urlencode()
    can_assign = access.has_perm(request.user, membership.firm_id, Perm.ASSIGN_COMPLAINTS)
    context = {
        "form": view.form,
        "filters": view.filters,
        "tabs": selectors.TABS,
        "page": page,
        "rows": rows,
        "query": query,
        "tab_query": tab_params.urlencode(),
        "sort_query": sort_params.urlencode(),
        "sorts": sort_headers(view.filters.sort),
        "today": view.today,
        "can_handle": view.can_handle,
        "can_assign": can_assign,
        "bulk_form": BulkReassignForm(members=view.members, auto_id="id_bulk_%s"),
        "save_form": SavedFilterForm(initial={"query": view_query(params)}, auto_id="id_saved_%s"),
    }
    if not request.htmx:
        context["other_deadlines"] = selectors.other_deadlines([membership.firm_id], view.today)
        context["saved_filters"] = saved_filters_for(request.user, membership.firm_id)
    template = "complaints/_queue_results.html" if request.htmx else "complaints/queue.html"
    return render(request, template, context)
