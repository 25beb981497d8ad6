"""The DISP deadline calculator: the same inputs and output as ``manage.py disp_deadlines``."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from common.api import error_responses
from complaints.access import Perm
from complaints.choices import Nation
from complaints.deadlines import calendar_for_nation
from complaints.disp.clock import Regime, compute_deadlines, dates_out_of_order

from .base import ComplaintsApiView

CALCULATOR_REGIME_CHOICES = [
    ("standard", "Standard"),
    ("psd", "PSD"),
    ("emd", "EMD"),
    ("psd_emd", "PSD/EMD"),
]


class DeadlineQuerySerializer(serializers.Serializer):
    """The same inputs as ``manage.py disp_deadlines``."""

    received = serializers.DateTimeField(
        help_text="Receipt date-time, ISO 8601 (Europe/London if no offset)."
    )
    nation = serializers.ChoiceField(choices=Nation.choices)
    regime = serializers.ChoiceField(
        choices=CALCULATOR_REGIME_CHOICES, required=False, default="standard"
    )
    event_date = serializers.DateField(required=False, allow_null=True)
    awareness_date = serializers.DateField(required=False, allow_null=True)
    final_response_sent = serializers.DateField(
        required=False, allow_null=True, help_text="Date the final response or SRC was sent."
    )
    six_month_wording = serializers.BooleanField(required=False, default=True)
    close_of_business = serializers.TimeField(required=False, default=None, allow_null=True)
    defer_after_hours = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        event, awareness = attrs.get("event_date"), attrs.get("awareness_date")
        if event and awareness and awareness < event:
            raise serializers.ValidationError({"awareness_date": ["Cannot be before event_date."]})
        out_of_order = dates_out_of_order(
            attrs["received"],
            event_date=event,
            awareness_date=awareness,
            final_response_sent=attrs.get("final_response_sent"),
        )
        if out_of_order:
            raise serializers.ValidationError(
                {
                    field: [f"Cannot be {relation} the complaint was received."]
                    for field, relation in out_of_order.items()
                }
            )
        return attrs


class DeadlineResultSerializer(serializers.Serializer):
    summary_resolution_deadline = serializers.DateField(allow_null=True)
    final_response_due = serializers.DateField(allow_null=True)
    extended_final_response_due = serializers.DateField(allow_null=True)
    fos_referral_open_from = serializers.DateField(allow_null=True)
    time_bar_date = serializers.DateField(allow_null=True)
    fos_six_month_deadline = serializers.DateField(allow_null=True)
    summary_resolution_close_of_business = serializers.CharField(allow_null=True)
    receipt_date = serializers.DateField()
    receipt_basis = serializers.CharField()
    nation = serializers.CharField()
    regime = serializers.CharField()
    calendar_version = serializers.CharField()
    rules = serializers.DictField(child=serializers.CharField(allow_null=True))
    fos_jurisdiction_commencement = serializers.DateField()
    event_on_or_after_commencement = serializers.BooleanField(required=False)


REGIMES = {
    "standard": Regime.STANDARD,
    "psd": Regime.PSD_EMD,
    "emd": Regime.PSD_EMD,
    "psd_emd": Regime.PSD_EMD,
}
RESULT_EXAMPLE = OpenApiExample(
    "E1: received Thu 2 Apr 2026 16:00, England",
    value={
        "summary_resolution_deadline": "2026-04-09",
        "final_response_due": "2026-05-28",
        "extended_final_response_due": None,
        "fos_referral_open_from": "2026-05-29",
        "time_bar_date": None,
        "fos_six_month_deadline": None,
        "summary_resolution_close_of_business": "17:00",
        "receipt_date": "2026-04-02",
        "receipt_basis": "local calendar date of receipt (Europe/London)",
        "nation": "england",
        "regime": "standard",
        "calendar_version": "holidays 0.108; england",
        "rules": {"summary_resolution_deadline": "DISP 1.5.1R"},
        "fos_jurisdiction_commencement": "2027-10-25",
    },
    response_only=True,
)


def _calculate(data: dict) -> dict:
    result = compute_deadlines(
        received_at=data["received"],
        calendar=calendar_for_nation(data["nation"]),
        regime=REGIMES[data["regime"]],
        close_of_business=data.get("close_of_business") or time(17, 0),
        defer_after_hours=data["defer_after_hours"],
        event_date=data.get("event_date"),
        awareness_date=data.get("awareness_date"),
        final_response_sent=data.get("final_response_sent"),
        six_month_wording=data["six_month_wording"],
        final_response_day_count=settings.DISP_FINAL_RESPONSE_DAY_COUNT,
    )
    payload = result.as_json_dict()
    payload["fos_jurisdiction_commencement"] = settings.CRYPTO_COMMENCEMENT_DATE.isoformat()
    if data.get("event_date"):
        payload["event_on_or_after_commencement"] = (
            data["event_date"] >= settings.CRYPTO_COMMENCEMENT_DATE
        )
    return payload


class DeadlineCalculator(ComplaintsApiView):
    # A calculation: POST only carries the inputs as JSON, it changes nothing.
    required_perm = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.VIEW_COMPLAINTS}
    serializer_class = DeadlineResultSerializer
    _description = (
        "Every DISP deadline for a complaint received at `received` (Europe/London if no "
        "offset) under the `nation`'s business-day calendar, with the rule behind each."
    )

    @extend_schema(
        operation_id="deadlines_calculate",
        summary="Calculate DISP deadlines (query string)",
        description=_description,
        parameters=[DeadlineQuerySerializer],
        responses={200: DeadlineResultSerializer, **error_responses(400, 401, 403)},
        examples=[RESULT_EXAMPLE],
        tags=["deadlines"],
    )
    def get(self, request):
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(_calculate(query.validated_data))

    @extend_schema(
        operation_id="deadlines_calculate_post",
        summary="Calculate DISP deadlines (JSON body)",
        description=_description,
        request=DeadlineQuerySerializer,
        responses={200: DeadlineResultSerializer, **error_responses(400, 401, 403)},
        examples=[
            OpenApiExample(
                "Received Thu 2 Apr 2026 16:00",
                value={"received": "2026-04-02T16:00:00+01:00", "nation": "england"},
                request_only=True,
            ),
            RESULT_EXAMPLE,
        ],
        tags=["deadlines"],
    )
    def post(self, request):
        query = DeadlineQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        return Response(_calculate(query.validated_data))
