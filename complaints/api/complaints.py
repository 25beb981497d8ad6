"""List and retrieve complaints; read a complaint's history. (Logging one through the API is
the intake app's: intake.api.)"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import (
    extend_schema,
)

from common.api import BoundedCountPagination, StandardPagination, error_responses
from common.compiled import Compiled, any_ids
from common.dates import london_date
from complaints import access
from complaints.access import Perm
from complaints.filters import DEFAULT_ORDERING, ComplaintFilter, FilterBackend
from complaints.models import Complaint
from complaints.models.vulnerability import DRIVER_FIELDS
from complaints.serializers import (
    ComplaintDetailSerializer,
    ComplaintListSerializer,
    HistoryRecordSerializer,
)

from .base import (
    ID_PARAM,
    ComplaintApiView,
    ComplaintsApiView,
    detail_context,
    detail_response,
    fetch_detail,
    with_next_deadline_on,
)
from .examples import COMPLAINT_DETAIL_EXAMPLE, COMPLAINT_LIST_EXAMPLE

# The columns ComplaintListSerializer renders (the complainant's is_vulnerable reads its support
# needs and drivers; the owner's name its first and last name). Selecting the four tables' ~130
# columns was most of a page's time in compiling the query and loading the rows (issue 18). A
# field rendered but not listed here would cost a query per row:
# tests/complaints/test_read_query_counts.py sees it as more queries at 20 rows than at 5.
LIST_COLUMNS = (
    *(
        f
        for f in ComplaintListSerializer.Meta.fields
        if f not in ("next_deadline", "next_deadline_kind", "firm", "complainant", "owner")
    ),
    "firm__id",
    "firm__frn",
    "firm__name",
    "complainant__id",
    "complainant__name",
    "complainant__vulnerability_support_needs",
    *(f"complainant__{name}" for name in DRIVER_FIELDS),
    "owner__id",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


@lru_cache(maxsize=2)
def _list_queryset(today: date):
    return with_next_deadline_on(today).only(*LIST_COLUMNS).order_by(*DEFAULT_ORDERING)


def list_queryset(now: datetime):
    """What the list reads: the listed columns in the default order, as at ``now``'s London
    date. Like ``complaints_with_next_deadline``, shaped once per date in each process (the
    ``only`` and ``order_by`` cost about a millisecond of CPU a page); a copy, never the cached
    one, is filtered and evaluated."""
    return _list_queryset(london_date(now)).all()


@lru_cache(maxsize=8)
def _compiled_count(firms: int, limit: int) -> Compiled:
    rows = Complaint.objects.filter(firm_id__in=any_ids(firms)).order_by()
    return Compiled(rows.values("pk")[:limit], *any_ids(firms), prepared=True)


@lru_cache(maxsize=32)
def _compiled_page(today: date, firms: int, start: int, stop: int) -> Compiled:
    rows = _list_queryset(today).filter(firm_id__in=any_ids(firms))[start:stop]
    return Compiled(rows, *any_ids(firms), prepared=True)


class UnfilteredList:
    """The unfiltered list of ``firm_ids``' complaints in the default order, for the paginator:
    its bounded count and its pages read by SQL compiled once per date, number of firms and
    page (issue 18; building the count's and the page's SQL cost about 2 ms of CPU a page), the
    queries ``list_queryset`` scoped to the firms would send."""

    ordered = True

    def __init__(self, firm_ids: list[int], now: datetime) -> None:
        self.firm_ids, self.today = firm_ids, london_date(now)

    def bounded_count(self, limit: int) -> int:
        return _compiled_count(len(self.firm_ids), limit).count(*self.firm_ids)

    def __getitem__(self, rows: slice) -> list:
        start, stop = rows.start or 0, rows.stop
        if stop <= start:  # an empty first page: no query, as a queryset's empty slice
            return []
        compiled = _compiled_page(self.today, len(self.firm_ids), start, stop)
        return compiled.objects(*self.firm_ids)


class ComplaintList(ComplaintsApiView):
    """GET /complaints/; POST (logging a complaint) is the intake app's, which extends this."""

    required_perm: Any = Perm.VIEW_COMPLAINTS
    serializer_class = ComplaintListSerializer
    filter_backends = [FilterBackend]
    filterset_class = ComplaintFilter
    # The one read that grew with the table was COUNT(*) over every complaint of the firm.
    pagination_class = BoundedCountPagination

    def get_queryset(self):
        return access.scope_queryset(
            list_queryset(timezone.now()), self.request.user, Perm.VIEW_COMPLAINTS
        )

    @extend_schema(
        operation_id="complaints_list",
        summary="List complaints",
        description="Complaints of your firms, newest first unless `ordering` says otherwise. "
        "`count` is exact up to 10,000 matches (`count_exact`); pages reach that far, so "
        "narrow the filters (e.g. `received_from`/`received_to`) to go further. "
        "`deadline_before`/`deadline_after` filter on `next_deadline`: the SRC deadline while "
        "the SRC window is open, then the final response date (the extended PSD/EMD date after "
        "a holding response); complaints that already had their DISP response have none.",
        responses={
            200: ComplaintListSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
        examples=[COMPLAINT_LIST_EXAMPLE],
        tags=["complaints"],
    )
    def get(self, request):
        scoped = self.get_queryset()
        rows: Any = self.filter_queryset(scoped)
        firm_ids = access.firm_ids(request.user, Perm.VIEW_COMPLAINTS)
        if rows is scoped and firm_ids:  # no filter named: the default order, compiled once
            rows = UnfilteredList(firm_ids, timezone.now())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ComplaintListSerializer(page, many=True).data)


class ComplaintDetail(ComplaintApiView):
    required_perm = {"read": Perm.VIEW_COMPLAINTS}
    serializer_class = ComplaintDetailSerializer

    def initial(self, request, *args, **kwargs):
        self.now = timezone.now()
        super().initial(request, *args, **kwargs)

    def scoped_fetch(self, pk: int) -> Complaint | None:
        """The access check loads the complaint the view renders: one fetch, not two, by SQL
        compiled once per date (``fetch_detail``)."""
        return fetch_detail(pk, self.now)

    @extend_schema(
        operation_id="complaints_retrieve",
        summary="Retrieve a complaint",
        description="The complaint with its DISP deadlines (each with the rule and basis) and "
        "the actions the state machine allows now, disabled with the reason where a DISP rule "
        "refuses. The ETag is the version: send it back as If-Match on an action.",
        parameters=[ID_PARAM],
        responses={200: ComplaintDetailSerializer, **error_responses(401, 403, 404)},
        examples=[COMPLAINT_DETAIL_EXAMPLE],
        tags=["complaints"],
    )
    def get(self, request, pk: str):
        complaint = self.scoped_object
        context = detail_context(complaint, request.user, self.now)
        body = ComplaintDetailSerializer(complaint, context=context).data
        return detail_response(body)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


_HISTORY_FIELDS = [f.attname for f in Complaint._meta.concrete_fields if f.attname != "updated_at"]


def _changes(record, previous) -> list[dict[str, Any]]:
    if previous is None:
        return []
    return [
        {"field": name, "old": _jsonable(getattr(previous, name)), "new": _jsonable(new)}
        for name in _HISTORY_FIELDS
        if (new := getattr(record, name)) != getattr(previous, name)
    ]


class ComplaintHistory(ComplaintApiView):
    required_perm = {"read": Perm.VIEW_COMPLAINTS}
    serializer_class = HistoryRecordSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        return Complaint.history.none()

    @extend_schema(
        operation_id="complaints_history",
        summary="A complaint's audit history",
        description="Every recorded change, oldest first: when, who, the change reason (the "
        "use case, e.g. complaint.acknowledge) and the fields that changed with old and new "
        "values.",
        parameters=[ID_PARAM],
        responses={200: HistoryRecordSerializer(many=True), **error_responses(401, 403, 404)},
        tags=["complaints"],
    )
    def get(self, request, pk: str):
        complaint = self.scoped_object
        records = (
            Complaint.history.filter(id=complaint.pk)
            .select_related("history_user")
            .order_by("history_id")
        )
        page = self.paginate_queryset(records) or []
        previous = (
            records.filter(history_id__lt=page[0].history_id).order_by("-history_id").first()
            if page
            else None
        )
        for record in page:
            record.changed_fields = _changes(record, previous)
            previous = record
        return self.get_paginated_response(HistoryRecordSerializer(page, many=True).data)
