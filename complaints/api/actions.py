"""One POST endpoint per lifecycle action. Each validates its input, calls the one service for
that use case and returns the complaint's new state, or the service's coded refusal: 409 with the
current status and version when the state machine, a DISP guard or a stale version refuses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers

from common.api import error_responses
from complaints import services
from complaints.access import Perm
from complaints.actions import INTERFACES
from complaints.serializers import (
    AssignSerializer,
    ComplaintDetailSerializer,
)

from .base import (
    ID_PARAM,
    ComplaintApiView,
    detail_response,
    expected_version,
    render_detail,
)
from .examples import CONFLICT_EXAMPLE, REFUSAL_EXAMPLE


@dataclass(frozen=True)
class Action:
    path: str
    service: Callable[..., Any]
    serializer: type[serializers.Serializer[Any]]
    perm: Perm
    summary: str
    description: str
    example: dict[str, Any] = field(default_factory=dict)


# Every lifecycle action from the one table, and assignment (not a state change).
ACTIONS = [
    *(
        Action(
            i.spec.api_path,
            i.service,
            i.serializer,
            i.spec.perm,
            i.spec.summary,
            i.spec.api_description,
            i.spec.api_example,
        )
        for i in INTERFACES.values()
    ),
    Action(
        "assign",
        services.complaint_assign,
        AssignSerializer,
        Perm.ASSIGN_COMPLAINTS,
        "Assign an owner",
        "Assign to an active member of the complaint's firm, or unassign with null.",
        {"owner_id": 7},
    ),
]

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag from GET (e.g. "3"); a stale version is a 409 stale_version.',
)


def _make_view(action: Action) -> type[ComplaintApiView]:
    operation_id = "complaints_" + action.path.replace("-", "_")

    class ActionView(ComplaintApiView):
        required_perm = {"POST": action.perm}
        serializer_class = action.serializer

        @extend_schema(
            operation_id=operation_id,
            summary=action.summary,
            description=action.description
            + f" Needs the {action.perm.value} permission in the complaint's firm.",
            parameters=[ID_PARAM, IF_MATCH],
            request=action.serializer,
            responses={
                200: ComplaintDetailSerializer,
                **error_responses(400, 401, 403, 404, 409),
            },
            examples=[
                OpenApiExample(f"{action.summary}", value=action.example, request_only=True),
                CONFLICT_EXAMPLE,
                REFUSAL_EXAMPLE,
            ],
            tags=["lifecycle"],
        )
        def post(self, request, pk: str):
            now = timezone.now()
            complaint = self.scoped_object
            serializer = action.serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            version = expected_version(request, data.pop("expected_version", None))
            action.service(
                complaint_id=complaint.pk,
                actor=request.user,
                now=now,
                expected_version=version,
                **data,
            )
            return detail_response(render_detail(request.user, complaint.pk, now))

    ActionView.__name__ = ActionView.__qualname__ = (
        "".join(p.title() for p in action.path.split("-")) + "ActionView"
    )
    return ActionView


ACTION_VIEWS = {action.path: _make_view(action) for action in ACTIONS}
