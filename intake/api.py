"""Logging a complaint through the API: POST /complaints/, idempotent with an Idempotency-Key.

The list at the same address is the complaints app's; this view extends it with the create.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions

from common.api import error_responses
from complaints import access, services
from complaints.access import Perm
from complaints.api.base import detail_response, render_created
from complaints.api.complaints import ComplaintList
from complaints.api.examples import COMPLAINT_CREATE_EXAMPLES, COMPLAINT_DETAIL_EXAMPLE
from complaints.deadlines import calendar_now
from complaints.models import Complaint, Firm
from complaints.serializers import ComplaintCreateSerializer, ComplaintDetailSerializer

from .idempotency import complaint_create_idempotent, request_hash

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


class ComplaintListCreate(ComplaintList):
    required_perm: Any = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.HANDLE_COMPLAINTS}

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

        calendar = calendar_now(firm.nation)  # the DISP clock's and the body's countdowns'

        def create() -> tuple[Complaint, dict]:
            # In a transaction of its own (below): a refusal rolls all of it back, key included.
            complaint = services.complaint_register(
                firm=firm, actor=user, now=now, calendar=calendar, savepoint=False, **data
            )
            return complaint, render_created(user, complaint, now, calendar)

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
