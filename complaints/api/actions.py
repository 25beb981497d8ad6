"""One POST endpoint per lifecycle action. Each validates its input, calls the one service for
that use case and returns the complaint's new state, or the service's coded refusal: 409 with the
current status and version when the state machine, a DISP guard or a stale version refuses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers

from common.api import error_responses
from complaints import services
from complaints.access import Perm
from complaints.serializers import (
    AcknowledgeSerializer,
    ActionInputSerializer,
    AssignSerializer,
    ComplaintDetailSerializer,
    FinalResponseSerializer,
    ForwardSerializer,
    HoldingResponseSerializer,
    RejectTimeBarredSerializer,
    ReopenSerializer,
    ResolveSummarySerializer,
    WithdrawSerializer,
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
    service: Callable
    serializer: type[serializers.Serializer]
    perm: Perm
    summary: str
    description: str
    example: dict = field(default_factory=dict)


ACTIONS = [
    Action(
        "acknowledge",
        services.complaint_acknowledge,
        AcknowledgeSerializer,
        Perm.HANDLE_COMPLAINTS,
        "Acknowledge",
        "DISP 1.6.1R(1): record the prompt written acknowledgement.",
        {"sent_at": "2026-04-03T09:30:00+01:00", "method": "email"},
    ),
    Action(
        "start-investigation",
        services.complaint_start_investigation,
        ActionInputSerializer,
        Perm.HANDLE_COMPLAINTS,
        "Start investigation",
        "DISP 1.4.1R(1): acknowledged → investigating (needed before a holding response).",
        {"expected_version": 2},
    ),
    Action(
        "resolve-summary",
        services.complaint_resolve_summary,
        ResolveSummarySerializer,
        Perm.HANDLE_COMPLAINTS,
        "Resolve by summary resolution communication",
        "DISP 1.5: resolved by close of business on the 3rd business day after receipt, with "
        "the complainant's acceptance; refused with src_deadline_passed after that.",
        {"outcome": "upheld", "sent_at": "2026-04-06T15:00:00+01:00", "method": "email"},
    ),
    Action(
        "holding-response",
        services.complaint_send_holding_response,
        HoldingResponseSerializer,
        Perm.HANDLE_COMPLAINTS,
        "Send holding response",
        "DISP 1.6.2R(2) / 1.6.2AR(2): why there is no final response yet and when to expect it.",
        {
            "reasons": "We are waiting for the custodian's transaction report.",
            "expected_final_response_on": "2026-06-19",
        },
    ),
    Action(
        "final-response",
        services.complaint_send_final_response,
        FinalResponseSerializer,
        Perm.HANDLE_COMPLAINTS,
        "Send final response",
        "DISP 1.6.2R(1): the final response with its outcome. The FOS six-month window runs "
        "only if it carried the six-month wording (DISP 2.8.3G).",
        {"outcome": "partially_upheld", "six_month_wording": True, "expected_version": 4},
    ),
    Action(
        "reject-time-barred",
        services.complaint_reject_time_barred,
        RejectTimeBarredSerializer,
        Perm.HANDLE_COMPLAINTS,
        "Reject as time-barred",
        "DISP 1.8: reject a complaint outside the DISP 2.8.2R(2) limits without considering "
        "the merits; refused with not_time_barred when the limits are met.",
        {"summary": "Received more than six years after the event."},
    ),
    Action(
        "forward",
        services.complaint_forward,
        ForwardSerializer,
        Perm.HANDLE_COMPLAINTS,
        "Forward to another firm",
        "DISP 1.7: forward promptly, in writing, to the firm responsible, telling the "
        "complainant why.",
        {
            "to_firm": "Example Custody Ltd",
            "to_contact": "complaints@custody.example",
            "reason": "The custodian holds the assets and made the decision complained of.",
            "part": "whole",
        },
    ),
    Action(
        "withdraw",
        services.complaint_withdraw,
        WithdrawSerializer,
        Perm.HANDLE_COMPLAINTS,
        "Record withdrawal",
        "The complainant withdrew; still counted as received in returns.",
        {"reason": "Complainant confirmed by phone that the issue is resolved."},
    ),
    Action(
        "close",
        services.complaint_close,
        ActionInputSerializer,
        Perm.HANDLE_COMPLAINTS,
        "Close",
        "After the SRC or final response (or a forward or withdrawal); refused with "
        "disp_response_owed while a DISP response is still owed.",
        {"expected_version": 5},
    ),
    Action(
        "reopen",
        services.complaint_reopen,
        ReopenSerializer,
        Perm.REOPEN_COMPLAINTS,
        "Reopen",
        "Back to investigation, with the reason recorded; needs reopen_complaints (supervisors).",
        {"reason": "The complainant sent new evidence."},
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
