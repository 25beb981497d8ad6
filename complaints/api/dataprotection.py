"""The data-protection records of a complaint: GET them with their clocks, POST one action each
(DPA 2018 s.164A complaints, subject access requests; docs/data-protection.md). Thin views: the
actions' inputs and services are declared once in ``complaints.dpa_inputs``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from common.api import error_responses
from common.api_actions import ActionCall, ApiAction, ApiActions
from common.dates import london_date
from complaints.access import Perm
from complaints.dpa_inputs import DPA_ACTIONS, arguments
from complaints.models import Complaint
from complaints.selectors.dataprotection import data_protection_summary

from .base import ID_PARAM, ComplaintApiView


class DpaComplaintOut(serializers.Serializer):
    id = serializers.IntegerField(source="record.pk")
    summary = serializers.CharField(source="record.summary")
    received_on = serializers.DateField(source="record.received_on")
    acknowledgement_due = serializers.DateField(
        source="record.acknowledgement_due",
        help_text="DPA 2018 s.164A(3): day 30 counting the day of receipt (conservative).",
    )
    acknowledged_on = serializers.DateField(allow_null=True)
    last_progress_on = serializers.DateField(source="record.last_progress_on", allow_null=True)
    outcome_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    urgency = serializers.CharField(help_text="breached, soon, later or none.")


class SubjectAccessRequestOut(serializers.Serializer):
    id = serializers.IntegerField(source="record.pk")
    scope = serializers.CharField(source="record.scope")
    received_on = serializers.DateField(source="record.received_on")
    identity_requested_on = serializers.DateField(
        source="record.identity_requested_on", allow_null=True
    )
    identity_received_on = serializers.DateField(
        source="record.identity_received_on", allow_null=True
    )
    starts_on = serializers.DateField(
        source="clock.starts_on", allow_null=True, help_text="UK GDPR Art 12(3) relevant time."
    )
    paused_days = serializers.IntegerField(source="clock.paused_days")
    stopped = serializers.BooleanField(source="clock.stopped")
    extended = serializers.BooleanField(source="record.extended")
    extension_reason = serializers.CharField(source="record.extension_reason")
    extension_notice_due = serializers.DateField(
        source="clock.extension_notice_due", allow_null=True
    )
    response_due = serializers.DateField(source="clock.response_due", allow_null=True)
    answered_on = serializers.DateField(source="record.answered_on", allow_null=True)
    status = serializers.CharField()
    urgency = serializers.CharField(help_text="breached, soon, later or none.")


class DataProtectionOut(serializers.Serializer):
    complaints = DpaComplaintOut(many=True)
    subject_access_requests = SubjectAccessRequestOut(many=True, source="requests")


def render(complaint: Complaint, now: datetime) -> dict[str, Any]:
    summary = data_protection_summary(complaint, london_date(now))
    return dict(DataProtectionOut(summary).data)


class DataProtectionDetail(ComplaintApiView):
    required_perm = {"read": Perm.VIEW_COMPLAINTS}

    @extend_schema(
        operation_id="complaints_data_protection",
        summary="A complaint's data-protection complaints and subject access requests",
        description="Each with its own clock: the s.164A acknowledgement date, and the subject "
        "access request's one-month date (extended, or stopped while the scope is clarified).",
        parameters=[ID_PARAM],
        responses={200: DataProtectionOut, **error_responses(401, 403, 404)},
        tags=["data protection"],
    )
    def get(self, request, pk: str) -> Response:
        return Response(render(self.scoped_object, timezone.now()))


def _arguments(call: ActionCall, data: dict[str, Any]) -> dict[str, Any]:
    return arguments(data)


ACTIONS = ApiActions(
    [
        ApiAction(
            path,
            a.service,
            a.summary,
            input=a.serializer,
            perm=Perm.HANDLE_COMPLAINTS,
            description=f"{a.rule}. Needs the handle_complaints permission in the complaint's "
            "firm. A record of another complaint is a 404.",
            examples=[OpenApiExample(a.summary, value=a.example, request_only=True)],
            errors=(400, 401, 403, 404, 409),
            operation_id="complaints_data_protection_" + path.replace("-", "_"),
            arguments=_arguments,
            atomic=True,
        )
        for path, a in DPA_ACTIONS.items()
    ],
    base=ComplaintApiView,
    id_keyword="complaint_id",
    response=DataProtectionOut,
    render=lambda call, _: render(
        Complaint.objects.select_related("firm").get(pk=call.obj.pk), call.now
    ),
    name="DataProtection",
    tags=["data protection"],
    parameters=[ID_PARAM],
)
