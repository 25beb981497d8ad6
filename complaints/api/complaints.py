"""List, create and retrieve complaints; read a complaint's history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions

from common.api import StandardPagination, error_responses
from common.dates import london_date
from complaints import access, services
from complaints.access import Perm
from complaints.filters import DEFAULT_ORDERING, ComplaintFilter
from intake.idempotency import complaint_create_idempotent, request_hash
from complaints.models import Complaint, Firm
from complaints.serializers import (
    ComplaintCreateSerializer,
    ComplaintDetailSerializer,
    ComplaintListSerializer,
    HistoryRecordSerializer,
)

from .base import (
    ID_PARAM,
    ComplaintApiView,
    ComplaintsApiView,
    detail_response,
    render_detail,
)
from .examples import COMPLAINT_CREATE_EXAMPLES, COMPLAINT_DETAIL_EXAMPLE, COMPLAINT_LIST_EXAMPLE

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (e.g. a UUID) per intended complaint. Retrying with the same "
    "key and body returns the original complaint (200) and never creates a second; the same key "
    "with a different body is 409 idempotency_key_reused. Keys are scoped to the calling user.",
)


def _resolve_firm(user, firm_id: int | None, firm_frn: str | None) -> Firm:
    """The target firm among the user's firms; HANDLE_COMPLAINTS there or 403. (HasFirmPerm
    already refused a user who handles complaints in no firm.)"""
    members = access.memberships(user)
    if firm_id is None and firm_frn is None:
        handling = access.firm_ids(user, Perm.HANDLE_COMPLAINTS)
        if len(handling) == 1:
            return next(m.firm for m in members if m.firm_id == handling[0])
        raise exceptions.ValidationError(
            {"firm_id": ["You handle complaints for several firms: give firm_id or firm_frn."]}
        )
    match = next(
        (m for m in members if m.firm_id == firm_id or (firm_frn and m.firm.frn == firm_frn)),
        None,
    )
    if match is None:
        field = "firm_id" if firm_id is not None else "firm_frn"
        raise exceptions.ValidationError({field: ["Not one of your firms."]})
    if not access.has_perm(user, match.firm_id, Perm.HANDLE_COMPLAINTS):
        raise exceptions.PermissionDenied(
            f"Your role in {match.firm.name} does not allow logging complaints."
        )
    return match.firm


class ComplaintListCreate(ComplaintsApiView):
    required_perm = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.HANDLE_COMPLAINTS}
    serializer_class = ComplaintListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ComplaintFilter
    pagination_class = StandardPagination

    def get_queryset(self):
        now = timezone.now()
        return (
            access.complaints_for(self.request.user)
            .with_next_deadline(london_date(now))
            .select_related("firm", "complainant", "owner")
            .order_by(*DEFAULT_ORDERING)
        )

    @extend_schema(
        operation_id="complaints_list",
        summary="List complaints",
        description="Complaints of your firms, newest first unless `ordering` says otherwise. "
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
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ComplaintListSerializer(page, many=True).data)

    @extend_schema(
        operation_id="complaints_create",
        summary="Log a complaint",
        description="Registers a complaint (or feedback/query, when no detriment is alleged) "
        "and computes its DISP deadlines. Needs the handle_complaints permission in the firm.",
        parameters=[IDEMPOTENCY_HEADER],
        request=ComplaintCreateSerializer,
        responses={
            201: ComplaintDetailSerializer,
            200: OpenApiResponse(
                ComplaintDetailSerializer, description="Replay of an earlier identical request."
            ),
            **error_responses(400, 401, 403, 409),
        },
        examples=[*COMPLAINT_CREATE_EXAMPLES, COMPLAINT_DETAIL_EXAMPLE],
        tags=["complaints"],
    )
    def post(self, request):
        now = timezone.now()
        serializer = ComplaintCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        firm = _resolve_firm(request.user, data.pop("firm_id", None), data.pop("firm_frn", None))
        if "complainant" in data:
            data["complainant"] = services.ComplainantData(**data["complainant"])
        data.setdefault("received_at", now)
        user = request.user

        def create() -> tuple[Complaint, dict]:
            complaint = services.complaint_register(firm=firm, actor=user, now=now, **data)
            return complaint, render_detail(user, complaint.pk, now)

        key = request.headers.get("Idempotency-Key")
        if key is None:
            with transaction.atomic():
                complaint, body = create()
            replayed = False
        else:
            result = complaint_create_idempotent(
                user=user, key=key, body_hash=request_hash(request.data), now=now, create=create
            )
            body, replayed = result.body, result.replayed
        location = reverse("api-complaint-detail", args=[body["id"]])
        headers = {"Location": location}
        if replayed:
            headers["Idempotent-Replayed"] = "true"
        return detail_response(body, status=200 if replayed else 201, headers=headers)


class ComplaintDetail(ComplaintApiView):
    required_perm = {"read": Perm.VIEW_COMPLAINTS}
    serializer_class = ComplaintDetailSerializer

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
        now = timezone.now()
        return detail_response(render_detail(request.user, pk, now))


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
        page = self.paginate_queryset(records)
        previous = (
            records.filter(history_id__lt=page[0].history_id).order_by("-history_id").first()
            if page
            else None
        )
        for record in page:
            record.changed_fields = _changes(record, previous)
            previous = record
        return self.get_paginated_response(HistoryRecordSerializer(page, many=True).data)
