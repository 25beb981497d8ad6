"""What every complaints endpoint shares: access checks, version preconditions, rendering."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.db.models import Exists, OuterRef
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from common.compiled import ANY_ID, Compiled
from common.dates import london_date
from common.inputs import JSONParser
from complaints import access
from complaints.access import HasFirmPerm, Perm
from complaints.deadlines import calendar_at, holidays_version, next_deadline_of
from complaints.disp.calendar import BusinessCalendar
from complaints.models import Complaint, ForwardedPart
from complaints.models.vulnerability import DRIVER_FIELDS
from complaints.redress_rules import unsettled_redress_annotations
from complaints.selectors.intake import IMPORTED_FROM
from complaints.serializers import ComplainantDetailSerializer, ComplaintDetailSerializer

from .converters import path_int


class ComplaintsApiView(GenericAPIView):
    """GenericAPIView so the schema shows pagination and filters; views stay explicit.

    Access is complaints.access's ``HasFirmPerm``: each view declares ``required_perm``; views
    about one complaint set ``scoped_model`` and find it on ``self.scoped_object`` (another
    firm's complaint is a 404, a colleague's beyond the role a 403)."""

    parser_classes = [JSONParser]
    filter_backends: list[Any] = []
    pagination_class: Any = None
    permission_classes = [HasFirmPerm]
    required_perm: Any = None
    scoped_object: Any  # set by HasFirmPerm on views with a scoped_model


class ComplaintApiView(ComplaintsApiView):
    scoped_model = Complaint.objects.select_related("firm")


ID_PARAM = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The complaint's id (another firm's is a 404)."
)


def parse_pk(value: int | str) -> int:
    """A path id as an integer; anything else (or beyond bigint) is a 404, never a 500."""
    return path_int(value)


@lru_cache(maxsize=2)
def with_next_deadline_on(today: date):
    """Complaints annotated with their next deadline on ``today``, with firm, complainant and
    owner: built once per date in each process and never evaluated (callers take a copy)."""
    return Complaint.objects.with_next_deadline(today).select_related(
        "firm", "complainant", "owner"
    )


def complaints_with_next_deadline(now: datetime):
    """Complaints annotated with their next deadline as at ``now``'s London date, with firm,
    complainant and owner. Resolving the annotation's CASE expressions cost a millisecond of
    CPU on every detail and list request, so it is done once per date in each process (issue
    18); this returns a copy, which callers filter and evaluate, never the cached one."""
    return with_next_deadline_on(london_date(now)).all()


# The firm's, complainant's and owner's columns the detail reads: its body (the firm's and
# owner's references, the complainant's detail with the support needs and drivers is_vulnerable
# reads and the firm its vulnerability detail is checked in) and the firm's calendar nation.
# The rest of their ~70 columns were half the detail's SQL and columns loaded into models. A
# column read but left out here would be a query per request:
# tests/remediation/test_detail_reads.py counts the queries of details in several states.
DETAIL_RELATED_COLUMNS = {
    "firm": ("id", "frn", "name", "nation"),
    "complainant": (
        *(f for f in ComplainantDetailSerializer.Meta.fields if f != "vulnerability_drivers"),
        "firm",
        "vulnerability_support_needs",
        *DRIVER_FIELDS,
    ),
    "owner": ("id", "username", "first_name", "last_name"),
}


def _deferred_related_columns() -> list[str]:
    deferred = []
    for relation, kept in DETAIL_RELATED_COLUMNS.items():
        model: Any = Complaint._meta.get_field(relation).related_model
        deferred += [
            f"{relation}__{f.name}" for f in model._meta.concrete_fields if f.name not in kept
        ]
    return deferred


@lru_cache(maxsize=2)
def _detail_queryset(today: date):
    parts = ForwardedPart.objects.filter(complaint=OuterRef("pk"))
    return (
        with_next_deadline_on(today)
        .annotate(
            has_forwarded_parts=Exists(parts),
            holidays_version=holidays_version(),
            **unsettled_redress_annotations(),
            **IMPORTED_FROM,
        )
        .defer(*_deferred_related_columns())
    )


def detail_queryset(now: datetime):
    """What the detail body reads: the row with its next deadline, the firm's, complainant's
    and owner's columns it shows (``DETAIL_RELATED_COLUMNS``), whether any part of it was
    forwarded (DISP 1.7; the parts are read only then), the bank holidays' version
    (``detail_context`` reads the calendar only when it changed), the redress still
    unsettled (DISP 1.4.1R(5), which the close action's availability reads) and, for a
    complaint imported from a register, its batch, file and row (``IMPORTED_FROM``).
    Built once per London date in each process, like ``complaints_with_next_deadline``."""
    return _detail_queryset(london_date(now)).all()


@lru_cache(maxsize=2)
def _compiled_detail(today: date) -> Compiled:
    return Compiled(_detail_queryset(today).filter(pk=ANY_ID), ANY_ID, prepared=True)


def fetch_detail(pk: int, now: datetime) -> Complaint | None:
    """``detail_queryset``'s row of complaint ``pk`` (or None), whatever the firm: the caller
    checks access. Its SQL is compiled once per London date in each process (about 2 ms of CPU
    a request, issue 18); each request binds the id."""
    rows = _compiled_detail(london_date(now)).objects(pk)
    return rows[0] if rows else None


def detail_context(complaint: Any, user, now: datetime) -> dict:
    """The detail serializer's context for a row of ``detail_queryset``: its firm's calendar
    as at the row's ``holidays_version`` (no query until a proclamation changes it)."""
    calendar = calendar_at(complaint.firm.nation, complaint.holidays_version)
    return {"now": now, "user": user, "calendar": calendar}


def render_detail(user, pk: int | str, now: datetime) -> dict:
    complaint = fetch_detail(parse_pk(pk), now)
    if complaint is None or complaint.firm_id not in access.firm_ids(user, Perm.VIEW_COMPLAINTS):
        raise Http404
    return ComplaintDetailSerializer(complaint, context=detail_context(complaint, user, now)).data


def render_created(
    user, complaint: Complaint, now: datetime, calendar: BusinessCalendar | None = None
) -> dict:
    """``render_detail`` of a complaint this request has just registered, from the objects in
    hand instead of reading the row back: the same body (the access check, then the next
    deadline as ``with_next_deadline`` computes it; a new complaint has no forwarded parts)."""
    if not access.has_perm(user, complaint.firm_id, Perm.VIEW_COMPLAINTS):
        raise Http404
    # What detail_queryset annotates: a new complaint has no forwarded parts, so the body asks
    # for none (building and compiling an empty queryset of them cost about a millisecond).
    annotated: Any = complaint
    annotated.next_deadline, annotated.next_deadline_kind = next_deadline_of(
        complaint, london_date(now)
    )
    annotated.has_forwarded_parts = False
    for name in IMPORTED_FROM:  # typed in, not imported
        setattr(annotated, name, None)
    context = {"now": now, "user": user, "calendar": calendar}
    return ComplaintDetailSerializer(complaint, context=context).data


def etag(version: int) -> str:
    return f'"{version}"'


def detail_response(body: dict, *, status: int = 200, headers: dict | None = None) -> Response:
    return Response(body, status=status, headers={"ETag": etag(body["version"]), **(headers or {})})


def expected_version(request: Request, from_body: int | None) -> int | None:
    """``If-Match: "<version>"`` (the ETag of GET) or ``expected_version`` in the body."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return from_body
    value = header.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isdigit() or int(value) < 1:
        raise exceptions.ValidationError({"If-Match": ['Give the ETag from GET, e.g. "3".']})
    version = int(value)
    if from_body is not None and from_body != version:
        raise exceptions.ValidationError(
            {"expected_version": ["Differs from If-Match; give one or make them agree."]}
        )
    return version
