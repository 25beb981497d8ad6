"""The handler's work queue: rows scoped to the user's firm, nearest DISP deadline first.

Query counts are fixed per page: rows come with their complainant and owner joined.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.query import EmptyQuerySet

from common.compiled import ANY_ID, Compiled, CompiledByIds
from common.dates import london_date
from common.links import pk_links

from .. import access
from ..choices import Status
from ..disp.calendar import BusinessCalendar
from ..models import Complaint, Membership
from .dataprotection import open_data_protection_deadlines
from .deadlines import SOON_BUSINESS_DAYS, DeadlineView, describe_next_deadline
from .queue_search import search_ids
from .queue_sort import SORT_DEFAULT, SORTS, ordered
from .tasks import NextTask, has_task_due_by, next_task, next_task_due


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
# The data-protection dates (DPA 2018 s.164A(3), UK GDPR Art 12(3)) are this app's own.
_QUEUE_DEADLINE_PROVIDERS: list[QueueDeadlineProvider] = [open_data_protection_deadlines]


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
    vulnerability_failure: bool = False
    q: str = ""
    tasks_due: bool = False  # an open task due today or overdue
    sort: str = ""


# Compiled once per process (issue 18): the queue and the complaint page read it every time.
_MEMBERS = Compiled(
    Membership.objects.filter(firm_id=ANY_ID, user__is_active=True)
    .select_related("user")
    .order_by("user__first_name", "user__last_name", "user__username"),
    ANY_ID,
)


def firm_members(firm_id: int) -> list[Membership]:
    return _MEMBERS.objects(firm_id)


EARLY_STATES = tuple(Status.early_states())
SEARCH_IDS = 5_000
# A search matching at least SEARCH_PROBE_BROAD of the view's first SEARCH_PROBE rows is broad.
SEARCH_PROBE, SEARCH_PROBE_BROAD = 200, 4


def _src_open(today: date) -> Q:
    """Rows whose next deadline is the SRC one (``with_next_deadline``'s first branch)."""
    return Q(status__in=EARLY_STATES, is_complaint=True, src_deadline__gte=today)


class Queue:
    """The queue in deadline order, read from two index-ordered streams and merged.

    A complaint's next deadline is its SRC date while that window is open, else the stored
    ``response_deadline``: only the first depends on today, and it covers the few complaints
    received in the last business days. Each page reads the first ``stop`` keys of each stream
    (both in index order, nulls last), merges them, then loads that page's rows: no query sorts
    or counts more than the filters select, whatever the table holds. Paginator takes it as its
    object list (``count()`` and slices). ``broad``: a broad search, whose matches the view
    counts only as far as the page it shows.
    """

    def __init__(
        self,
        src: QuerySet[Complaint],
        rest: QuerySet[Complaint],
        today: date,
        counted: QuerySet[Complaint],
        broad: bool = False,
    ):
        self.src, self.rest, self.today, self.counted = src, rest, today, counted
        self.broad = broad
        self._head: tuple[int, list[int]] | None = None

    def head(self, n: int) -> list[int]:
        """Ids of the first ``n`` rows in queue order (fewer when the queue is shorter), one
        query, kept: a broad search's paginator counts them and the page is cut from them."""
        if self._head is None or self._head[0] < n:
            self._head = (n, [pk for _due, _at, pk in self.keys(n)[:n]])
        return self._head[1]

    def count(self) -> int:
        """Both streams' rows in one COUNT (the queue's filters only: an index-only scan)."""
        return self.counted.count()

    def __len__(self) -> int:
        return self.count()

    def keys(self, stop: int) -> QuerySet[Any]:
        """(next deadline, received_at, id) of the first ``stop`` rows in queue order: the first
        ``stop`` of each stream, each read in its index's order, merged."""
        src = (
            self.src.annotate(due=F("src_deadline"))
            .order_by("src_deadline", "received_at", "id")
            .values_list("due", "received_at", "id")
        )
        rest = (
            self.rest.annotate(due=F("response_deadline"))
            .order_by(F("response_deadline").asc(nulls_last=True), "received_at", "id")
            .values_list("due", "received_at", "id")
        )
        if isinstance(self.src, EmptyQuerySet):  # e.g. the overdue window: no SRC stream
            return rest
        order = (F("due").asc(nulls_last=True), "received_at", "id")
        if not connections[src.db].features.supports_slicing_ordering_in_compound:
            # SQLite (the demo database) cannot LIMIT inside a UNION: merge the whole streams.
            return src.order_by().union(rest.order_by(), all=True).order_by(*order)
        return src[:stop].union(rest[:stop], all=True).order_by(*order)

    def __getitem__(self, index: slice) -> list[Complaint]:  # Paginator takes slices only
        start, stop = index.start or 0, index.stop
        if stop <= start:  # an empty queue's only page
            return []
        if self._head is not None and stop <= self._head[0]:
            return load_rows(self._head[1][start:stop], self.today)
        return load_rows([pk for _due, _at, pk in self.keys(stop)[start:stop]], self.today)


# The columns a queue row shows (the page and its export) and ``describe_next_deadline`` reads:
# a row loads these, not the complaint's sixty-odd columns and its joins' every column.
ROW_FIELDS = (
    "reference",
    "received_at",
    "complainant_id",
    "complainant__name",
    "complainant__vulnerability_review_on",
    "complainant_vulnerable",
    "vulnerability_failure",
    "likely_duplicate_of_id",
    "is_complaint",
    "activity",
    "status",
    "regime",
    "outcome",
    "src_deadline_at",
    "final_response_due",
    "owner_id",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def _rows_of(today: date, ids: list[int]) -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(pk__in=ids)
        .with_next_deadline(today)
        .annotate(next_task_due=next_task_due())
        .select_related("complainant", "owner")
        .only(*ROW_FIELDS)
    )


# Compiled once per day and number of rows in each process (issue 18: building this query,
# its CASE annotations and its joins cost more than the database took to answer it).
_ROWS = CompiledByIds(_rows_of)


def load_rows(ids: list[int], today: date) -> list[Complaint]:
    """One page's complaints, in ``ids``' order, with what a row shows: one query."""
    rows = {row.pk: row for row in _ROWS.objects(today, ids)}
    return [rows[pk] for pk in ids]


class SortedQueue:
    """The queue in another whitelisted order (``SORTS``): the ids of one page in that order
    (ties by id), then the page's rows. Paginator takes it as its object list."""

    def __init__(self, ordered: QuerySet[Complaint], today: date, broad: bool = False):
        # Not ``ordered``: Paginator reads that attribute as the queryset's own and would
        # evaluate this one to test it.
        self.rows, self.today = ordered, today
        self.counted = ordered
        self.broad = broad
        self._head: tuple[int, list[int]] | None = None

    def head(self, n: int) -> list[int]:
        """Ids of the first ``n`` rows in this order, one query, kept (``Queue.head``)."""
        if self._head is None or self._head[0] < n:
            self._head = (n, list(self.rows.values_list("pk", flat=True)[:n]))
        return self._head[1]

    def count(self) -> int:
        return self.rows.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Complaint]:
        start, stop = index.start or 0, index.stop
        if stop <= start:
            return []
        if self._head is not None and stop <= self._head[0]:
            return load_rows(self._head[1][start:stop], self.today)
        return load_rows(list(self.rows.values_list("pk", flat=True)[start:stop]), self.today)


def queue_complaints(
    *,
    user: Any,
    membership: Membership,
    filters: QueueFilters,
    today: date,
    calendar: BusinessCalendar,
) -> Queue | SortedQueue:
    """The work queue: nearest DISP deadline first (none last), then oldest receipt, then id;
    or in the order ``filters.sort`` names (``SORTS``)."""
    src, rest, counted, broad = _select(user, membership, filters, today, calendar)
    if filters.sort in ("", SORT_DEFAULT) or filters.sort not in SORTS:
        return Queue(src, rest, today, counted, broad)
    return SortedQueue(ordered(counted, filters.sort, today), today, broad)


def queue_ordered(
    *,
    user: Any,
    membership: Membership,
    filters: QueueFilters,
    today: date,
    calendar: BusinessCalendar,
) -> QuerySet[Complaint]:
    """Every complaint of the queue's current view, in its order (exports read it whole)."""
    _src, _rest, counted, _broad = _select(user, membership, filters, today, calendar)
    return ordered(counted, filters.sort or SORT_DEFAULT, today)


def _select(
    user: Any,
    membership: Membership,
    filters: QueueFilters,
    today: date,
    calendar: BusinessCalendar,
) -> tuple[QuerySet[Complaint], QuerySet[Complaint], QuerySet[Complaint], bool]:
    """The view's rows as the deadline order's two streams and the whole (``Queue``), and
    whether its search is broad."""
    qs = access.complaints_for(user).filter(firm_id=membership.firm_id)
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

    in_status = Q()
    if filters.status == STATUS_OPEN:
        in_status = Q(status__in=Status.open_states())
    elif filters.status != STATUS_ALL:
        in_status = Q(status=filters.status)
    qs = qs.filter(in_status)
    if filters.activity:
        qs = qs.filter(activity=filters.activity)
    if filters.owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif filters.owner.isdigit():
        qs = qs.filter(owner_id=int(filters.owner))
    if filters.vulnerable:
        qs = qs.vulnerable()
    if filters.vulnerability_failure:
        qs = qs.filter(vulnerability_failure=True)
    if filters.tasks_due:
        qs = qs.filter(has_task_due_by(today))
    broad = False
    if q := filters.q.strip():
        # A selective search is matched once through the trigram indexes and its ids go to the
        # count and both streams. A broad one is a filter on the rows instead: the queue's index
        # order then finds a page of matches within a few hundred rows, where the trigram
        # indexes would first gather every match in the table. Broad: common among the view's
        # first rows (a bounded probe), or more than SEARCH_IDS matches in the view's statuses.
        matches = (
            Q(reference__icontains=q)
            | Q(description__icontains=q)
            | Q(complainant__name__icontains=q)
        )
        ids: set[int] = set()
        broad = _common_in(qs, matches)
        if not broad:
            ids = set(search_ids(q, membership.firm_id, in_status)[: SEARCH_IDS + 1])
            broad = len(ids) > SEARCH_IDS
        qs = qs.filter(matches) if broad else qs.filter(pk__in=ids)

    src_open = _src_open(today)
    in_src, in_rest = Q(), Q()
    if filters.window == WINDOW_OVERDUE:
        # An open SRC window is never overdue (and its response date is later still).
        in_src, in_rest = Q(pk__in=[]), Q(response_deadline__lt=today)
    elif filters.window in (WINDOW_2BD, WINDOW_7D):
        last = (
            calendar.nth_business_day_after(today, SOON_BUSINESS_DAYS)
            if filters.window == WINDOW_2BD
            else today + timedelta(days=7)
        )
        in_src = Q(src_deadline__lte=last)
        in_rest = Q(response_deadline__gte=today, response_deadline__lte=last)
    src = qs.none() if filters.window == WINDOW_OVERDUE else qs.filter(src_open & in_src)
    rest = qs.exclude(src_open).filter(in_rest)
    if filters.window == WINDOW_OVERDUE:
        counted = qs.filter(in_rest)
    elif filters.window:
        counted = qs.filter((src_open & in_src) | (~src_open & in_rest))
    else:
        counted = qs
    return src, rest, counted, broad


def _common_in(qs: QuerySet[Complaint], matches: Q) -> bool:
    """Do at least SEARCH_PROBE_BROAD of the first SEARCH_PROBE rows of ``qs`` (in no order:
    an index-only scan that stops there) match? One query reading at most SEARCH_PROBE rows."""
    sample = qs.order_by().values("pk")[:SEARCH_PROBE]
    hits = Complaint.objects.filter(pk__in=sample).filter(matches).values("pk")
    return hits[:SEARCH_PROBE_BROAD].count() >= SEARCH_PROBE_BROAD


@dataclass(frozen=True)
class QueueRow:
    complaint: Complaint
    deadline: DeadlineView
    next_task: NextTask | None = None
    # The page's links (``queue_rows(..., links=True)``); exports leave them empty.
    url: str = ""
    complainant_url: str = ""
    duplicate_url: str = ""


def queue_rows(
    complaints: list[Complaint],
    *,
    now: datetime,
    calendar: BusinessCalendar,
    links: bool = False,
) -> list[QueueRow]:
    today = london_date(now)
    detail = pk_links("complaints:detail") if links else _no_link
    person = pk_links("complaints:complainant") if links else _no_link
    return [
        QueueRow(
            c,
            describe_next_deadline(c, now=now, today=today, calendar=calendar),
            next_task(getattr(c, "next_task_due", None), today),
            url=detail(c.pk),
            complainant_url=person(c.complainant_id),
            duplicate_url=detail(c.likely_duplicate_of_id) if c.likely_duplicate_of_id else "",
        )
        for c in complaints
    ]


def _no_link(pk: int) -> str:
    return ""
