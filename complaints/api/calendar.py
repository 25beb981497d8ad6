"""Bank holidays as proclaimed: list the recorded days, record a new proclamation."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from common.api import error_responses
from complaints import selectors
from complaints.access import Perm
from complaints.choices import HolidayRegion
from complaints.serializers import UserRefSerializer
from complaints.services import bank_holiday_proclaim

from .base import ComplaintsApiView


class BankHolidaySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.CharField(source="nation")
    day = serializers.DateField(source="date")
    replaces = serializers.DateField(allow_null=True)
    name = serializers.CharField()
    description = serializers.CharField(source="describe")
    created_by = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class ProclamationSerializer(serializers.Serializer):
    region = serializers.ChoiceField(
        choices=HolidayRegion.choices,
        help_text="england-and-wales covers both (one calendar); scotland; northern-ireland.",
    )
    day = serializers.DateField(help_text="The new bank holiday.")
    replaces = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="When the proclamation moves a bank holiday: the day that stops being one.",
    )
    name = serializers.CharField(max_length=120)


class ProclamationResultSerializer(serializers.Serializer):
    holiday = BankHolidaySerializer()
    complaints_recomputed = serializers.ListField(child=serializers.IntegerField())
    notifications = serializers.IntegerField()
    returns_moved = serializers.IntegerField()


class BankHolidays(ComplaintsApiView):
    """Anyone who sees complaints may list the days; recording one is firm administration."""

    required_perm = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.MANAGE_FIRM}
    serializer_class = BankHolidaySerializer

    @extend_schema(
        operation_id="bank_holidays_list",
        summary="Proclaimed bank holidays",
        description="Days added to, or moved within, the published calendars, newest first.",
        responses={200: BankHolidaySerializer(many=True), **error_responses(401, 403)},
        tags=["calendar"],
    )
    def get(self, request):
        rows = selectors.proclaimed_bank_holidays()
        return Response(BankHolidaySerializer(rows, many=True).data)

    @extend_schema(
        operation_id="bank_holidays_proclaim",
        summary="Record a proclamation",
        description=(
            "One change: `day` becomes a bank holiday in `region` and, when given, `replaces` "
            "stops being one. Open complaints' business-day deadlines (DISP 1.5.1R, 1.6.2AR) "
            "and the due dates of returns not yet submitted (SUP 16.34.5R(1)) are recomputed."
        ),
        request=ProclamationSerializer,
        responses={201: ProclamationResultSerializer, **error_responses(400, 401, 403)},
        examples=[
            OpenApiExample(
                "The Early May bank holiday moved to VE Day (2020)",
                value={
                    "region": "england-and-wales",
                    "day": "2020-05-08",
                    "replaces": "2020-05-04",
                    "name": "Early May bank holiday (VE Day)",
                },
                request_only=True,
            )
        ],
        tags=["calendar"],
    )
    def post(self, request):
        body = ProclamationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = bank_holiday_proclaim(
            **body.validated_data, actor=request.user, now=timezone.now()
        )
        result = {
            "holiday": change.holiday,
            "complaints_recomputed": change.recomputed,
            "notifications": change.notified,
            "returns_moved": change.returns_moved,
        }
        return Response(ProclamationResultSerializer(result).data, status=201)
