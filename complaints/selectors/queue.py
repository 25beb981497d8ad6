"""The handler's work queue: rows scoped to the user's firm, nearest DISP deadline first.

Query counts are fixed per page: rows come with their complainant and owner joined.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from common.dates import london_date

from .. import access
from ..choices import Status
from ..disp.calendar import BusinessCalendar
from ..models import Complaint, Membership
from .deadlines import SOON_BUSINESS_DAYS, DeadlineView, describe_next_deadline


class QueueDeadline(Protocol):
    """A deadline another app sets the firm, as the queue lists it (``state``: breached, soon
    or later)."""

    @property
    def complaint_id(self) -> int: ...
    @property
    def complaint_reference(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def due(self) -> date: ...
    @property
    def due_display(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def url(self) -> str: ...


QueueDeadlineProvider = Callable[[list[int], date], Iterable[QueueDeadline]]

# A registry kept on purpose: the FOS tracker, above this app, adds rows to the handler's queue
# (the response dates the FOS sets the firm).
_QUEUE_DEADLINE_PROVIDERS: list[QueueDeadlineProvider] = []


def register_queue_deadlines(provider: QueueDeadlineProvider) -> None:
    if provider not in _QUEUE_DEADLINE_PROVIDERS:
        _QUEUE_DEADLINE_PROVIDERS.append(provider)


def other_deadlines(firm_ids: list[int], today: date) -> list[QueueDeadline]:
    """Every registered provider's open deadlines, nearest first."""
    rows = [row for provider in _QUEUE_DEADLINE_PROVIDERS for row in provider(firm_ids, today)]
    return sorted(rows, key=lambda row: (row.due, row.complaint_reference))


TAB_MINE, TAB_TEAM, TAB_UNASSIGNED = "mine", "team", "unassigned"
TABS = [(TAB_MINE, "My complaints"), (TAB_TEAM, "My team's"), (TAB_UNASSIGNED, "Unassigned")]
STATUS_OPEN, STATUS_ALL = "", "all"
WINDOW_OVERDUE, WINDOW_2BD, WINDOW_7D = "overdue", "2bd", "7d"
WINDOWS = [
    (WINDOW_OVERDUE, "Overdue"),
    (WINDOW_2BD, "Due in the next 2 business days"),
    (WINDOW_7D, "Due in the next 7 days"),
]


@dataclass
class QueueFilters:
    tab: str = TAB_MINE
    status: str = STATUS_OPEN
    activity: str = ""
    owner: str = ""
    window: str = ""
    vulnerable: bool = False
    q: str = ""


def firm_members(firm_id: int) -> list[Membership]:
    return list(
        Membership.objects.filter(firm_id=firm_id, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def queue_complaints(
    *,
    user: Any,
    membership: Membership,
    filters: QueueFilters,
    today: date,
    calendar: BusinessCalendar,
) -> QuerySet[Complaint]:
    """The work queue: nearest DISP deadline first (none last), then oldest receipt, then id."""
    qs = (
        access.complaints_for(user)
        .filter(firm_id=membership.firm_id)
        .with_next_deadline(today)
        .select_related("complainant", "owner")
    )
    if filters.tab == TAB_MINE:
        qs = qs.filter(owner=user)
    elif filters.tab == TAB_UNASSIGNED:
        qs = qs.filter(owner__isnull=True)
    elif filters.tab == TAB_TEAM and membership.team:
        # A team is the members of the firm sharing the user's Membership.team.
        same_team = Membership.objects.filter(
            user_id=OuterRef("owner_id"), firm_id=membership.firm_id, team=membership.team
        )
        qs = qs.filter(Exists(same_team))

    if filters.status == STATUS_OPEN:
        qs = qs.filter(status__in=Status.open_states())
    elif filters.status != STATUS_ALL:
        qs = qs.filter(status=filters.status)
    if filters.activity:
        qs = qs.filter(activity=filters.activity)
    if filters.owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif filters.owner.isdigit():
        qs = qs.filter(owner_id=int(filters.owner))
    # next_deadline is with_next_deadline()'s annotation, which django-stubs cannot see through
    # a custom QuerySet method: hence the ignores.
    if filters.window == WINDOW_OVERDUE:
        qs = qs.filter(next_deadline__lt=today)  # type: ignore[misc]  # annotation, see above
    elif filters.window == WINDOW_2BD:
        last = calendar.nth_business_day_after(today, SOON_BUSINESS_DAYS)
        qs = qs.filter(next_deadline__gte=today, next_deadline__lte=last)  # type: ignore[misc]
    elif filters.window == WINDOW_7D:
        last = today + timedelta(days=7)
        qs = qs.filter(next_deadline__gte=today, next_deadline__lte=last)  # type: ignore[misc]
    if filters.vulnerable:
        qs = qs.vulnerable()
    if q := filters.q.strip():
        qs = qs.filter(
            Q(reference__icontains=q)
            | Q(complainant__name__icontains=q)
            | Q(description__icontains=q)
        )
    return qs.order_by(F("next_deadline").asc(nulls_last=True), "received_at", "id")


@dataclass(frozen=True)
class QueueRow:
    complaint: Complaint
    deadline: DeadlineView


def queue_rows(
    complaints: list[Complaint], *, now: datetime, calendar: BusinessCalendar
) -> list[QueueRow]:
    today = london_date(now)
    return [
        QueueRow(c, describe_next_deadline(c, now=now, today=today, calendar=calendar))
        for c in complaints
    ]
