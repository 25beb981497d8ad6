"""One POST endpoint per lifecycle action. Each validates its input, calls the one service for
that use case and returns the complaint's new state, or the service's coded refusal: 409 with the
current status and version when the state machine, a DISP guard or a stale version refuses."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from common.api_actions import ActionCall, ApiAction, ApiActions
from complaints import services
from complaints.access import Perm
from complaints.action_inputs import AssignSerializer
from complaints.actions import INTERFACES
from complaints.serializers import ComplaintDetailSerializer

from .base import ID_PARAM, ComplaintApiView, detail_response, expected_version, render_detail
from .examples import CONFLICT_EXAMPLE, REFUSAL_EXAMPLE


def _versioned(call: ActionCall, data: dict[str, Any]) -> dict[str, Any]:
    """The body, with the version the client saw from If-Match or ``expected_version``."""
    version = expected_version(call.request, data.pop("expected_version", None))
    return {"expected_version": version, **data}


def _action(
    path: str,
    service: Any,
    serializer: Any,
    perm: Perm,
    summary: str,
    description: str,
    example: dict[str, Any],
) -> ApiAction:
    return ApiAction(
        path,
        service,
        summary,
        input=serializer,
        perm=perm,
        description=f"{description} Needs the {perm.value} permission in the complaint's firm.",
        examples=[OpenApiExample(summary, value=example, request_only=True)],
        errors=(400, 401, 403, 404, 409),
        operation_id="complaints_" + path.replace("-", "_"),
        arguments=_versioned,
        atomic=True,  # the answer is the state this action left, never a later writer's
    )


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag from GET (e.g. "3"); a stale version is a 409 stale_version.',
)

# Every lifecycle action from the one table, and assignment (not a state change).
ACTIONS = ApiActions(
    [
        *(
            _action(
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
        _action(
            "assign",
            services.complaint_assign,
            AssignSerializer,
            Perm.ASSIGN_COMPLAINTS,
            "Assign an owner",
            "Assign to an active member of the complaint's firm, or unassign with null.",
            {"owner_id": 7},
        ),
    ],
    base=ComplaintApiView,
    id_keyword="complaint_id",
    response=ComplaintDetailSerializer,
    render=lambda call, _: detail_response(render_detail(call.request.user, call.obj.pk, call.now)),
    name="Complaint",
    tags=["lifecycle"],
    parameters=[ID_PARAM, IF_MATCH],
    examples=[CONFLICT_EXAMPLE, REFUSAL_EXAMPLE],
)
