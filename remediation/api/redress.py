"""The outcome read and the redress ledger (DISP 1.4.1R(3) and (5))."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import BlankChoices, StandardPagination, error_responses, page_response, paginated
from common.api_actions import ActionCall, ApiAction, ApiActions, action_post
from complaints import access
from complaints.access import Perm
from complaints.choices import Outcome
from complaints.models import Complaint
from complaints.redress_rules import redress_decision_gap

from .. import selectors
from ..models import InterestBasis, InterestPurpose, RedressItem, RedressKind, RedressStatus
from ..services.redress import (
    RedressData,
    redress_accept,
    redress_decline,
    redress_offer,
    redress_pay,
)
from ._base import READ, READ_HANDLE, ComplaintScoped, FirmApiView, ItemScoped, today

# DRF's serializer metaclass takes declared fields off the class, so a field named like a Field
# attribute (label, source, parent) does not shadow it; the stubs cannot see that.


class OutcomeEventSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    label = serializers.CharField()  # type: ignore[assignment]  # see the note above
    at = serializers.DateTimeField()
    source = serializers.CharField(  # type: ignore[assignment]  # see the note above
        help_text="The use case that recorded it."
    )
    recorded_by = serializers.CharField()
    superseded_at = serializers.DateTimeField(allow_null=True)
    superseded_reason = serializers.CharField()
    counted_as_upheld = serializers.BooleanField()


class OutcomeSerializer(serializers.Serializer):
    complaint_id = serializers.IntegerField()
    reference = serializers.CharField()
    outcome = serializers.CharField(allow_blank=True)
    outcome_at = serializers.DateTimeField(allow_null=True)
    counted_as_upheld = serializers.BooleanField()
    redress_decision_outstanding = serializers.CharField(
        allow_blank=True, help_text="DISP 1.4.1R(3): what is missing, empty when nothing."
    )
    no_redress_reason = serializers.CharField(allow_blank=True)
    history = OutcomeEventSerializer(many=True)


class RedressItemSerializer(BlankChoices):
    complaint_reference = serializers.CharField(source="complaint.reference", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = RedressItem
        fields = [
            "id",
            "complaint",
            "complaint_reference",
            "kind",
            "status",
            "description",
            "amount_gbp",
            "asset",
            "quantity",
            "valuation_date",
            "unit_price_gbp",
            "price_source",
            "interest_basis",
            "interest_purpose",
            "interest_from",
            "interest_to",
            "fos_referred_on",
            "interest_direction",
            "offered_at",
            "accepted_at",
            "payment_due_on",
            "is_overdue",
            "declined_at",
            "decline_reason",
            "paid_at",
            "payment_reference",
            "version",
        ]
        read_only_fields = fields


class RedressOfferInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RedressKind.choices)
    amount_gbp = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    asset = serializers.CharField(required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(
        max_digits=38, decimal_places=18, required=False, allow_null=True
    )
    valuation_date = serializers.DateField(required=False, allow_null=True)
    unit_price_gbp = serializers.DecimalField(
        max_digits=24, decimal_places=8, required=False, allow_null=True
    )
    price_source = serializers.CharField(required=False, allow_blank=True, default="")
    interest_basis = serializers.ChoiceField(
        choices=InterestBasis.choices, required=False, allow_blank=True, default=""
    )
    interest_purpose = serializers.ChoiceField(
        choices=InterestPurpose.choices, required=False, allow_blank=True, default=""
    )
    interest_from = serializers.DateField(required=False, allow_null=True)
    interest_to = serializers.DateField(required=False, allow_null=True)
    fos_referred_on = serializers.DateField(required=False, allow_null=True)
    interest_direction = serializers.CharField(required=False, allow_blank=True, default="")


class StepInput(serializers.Serializer):
    at = serializers.DateTimeField(required=False, help_text="When it happened (default now).")
    expected_version = serializers.IntegerField(required=False)


class DeclineInput(StepInput):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PayInput(StepInput):
    payment_reference = serializers.CharField(required=False, allow_blank=True, default="")


def _render_item(item_id: int) -> dict[str, Any]:
    item = RedressItem.objects.with_overdue(today()).select_related("complaint").get(pk=item_id)
    return dict(RedressItemSerializer(item).data)


class OutcomeView(ComplaintScoped):
    required_perm = READ

    @extend_schema(
        summary="A complaint's outcome and outcome history",
        responses={200: OutcomeSerializer, **error_responses(403, 404)},
        tags=["remediation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        complaint: Complaint = self.scoped_object
        gap = redress_decision_gap(complaint, complaint.outcome) if complaint.outcome else None
        no_redress = getattr(complaint, "no_redress_decision", None)
        data = {
            "complaint_id": complaint.pk,
            "reference": complaint.reference,
            "outcome": complaint.outcome,
            "outcome_at": complaint.outcome_at,
            "counted_as_upheld": complaint.outcome in Outcome.counted_as_upheld(),
            "redress_decision_outstanding": gap.message if gap else "",
            "no_redress_reason": no_redress.reason if no_redress else "",
            "history": [
                {**e.__dict__, "counted_as_upheld": e.counted_as_upheld}
                for e in selectors.outcome_history(complaint)
            ],
        }
        return Response(OutcomeSerializer(data).data)


class ComplaintRedressView(ComplaintScoped):
    required_perm = READ_HANDLE

    @extend_schema(
        summary="Redress items on a complaint",
        responses={200: RedressItemSerializer(many=True), **error_responses(403, 404)},
        tags=["remediation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        complaint: Complaint = self.scoped_object
        items = selectors.redress_items(complaint, today())
        return Response(RedressItemSerializer(items, many=True).data)

    post = action_post(
        ApiAction(
            "redress",
            redress_offer,
            "Offer redress or remedial action (DISP 1.4.1R(3))",
            input=RedressOfferInput,
            status=status.HTTP_201_CREATED,
            examples=[
                OpenApiExample(
                    "Crypto loss",
                    value={
                        "kind": "financial_loss",
                        "amount_gbp": "3412.50",
                        "asset": "BTC",
                        "quantity": "0.05",
                        "valuation_date": "2026-03-14",
                        "unit_price_gbp": "68250.00",
                        "price_source": "Firm order book mid, 14 Mar 2026 18:00",
                    },
                    request_only=True,
                ),
                OpenApiExample(
                    "Interest",
                    value={
                        "kind": "interest",
                        "amount_gbp": "41.20",
                        "interest_basis": "8pc_simple",
                        "interest_from": "2026-03-14",
                        "interest_to": "2026-05-01",
                    },
                    request_only=True,
                ),
            ],
            arguments=lambda _, data: {"data": RedressData(**data)},
            response=RedressItemSerializer,
            render=lambda _, item: _render_item(item.pk),
        ),
        id_keyword="complaint_id",
        tags=["remediation"],
    )


class RedressListView(FirmApiView):
    required_perm = READ
    pagination_class = StandardPagination

    @extend_schema(
        summary="The redress ledger across your firms",
        parameters=[
            OpenApiParameter(
                "overdue",
                bool,
                description="Only accepted redress past its payment target (DISP 1.4.1R(5)).",
            ),
            OpenApiParameter("status", str, enum=RedressStatus.values),
        ],
        operation_id="remediation_redress_list",
        responses={200: paginated(RedressItemSerializer)},
        tags=["remediation"],
    )
    def get(self, request: Request) -> Response:
        complaints = access.complaints_for(request.user, Perm.VIEW_COMPLAINTS)
        overdue = request.query_params.get("overdue") in ("1", "true", "True")
        qs = selectors.ledger(
            complaints, today(), status=request.query_params.get("status", ""), overdue=overdue
        )
        return page_response(self, qs, RedressItemSerializer)


class RedressDetailView(ItemScoped):
    required_perm = READ

    @extend_schema(
        summary="One redress item",
        responses={200: RedressItemSerializer, **error_responses(403, 404)},
        tags=["remediation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_render_item(self.scoped_object.pk))


def _at_as(keyword: str) -> Callable[[ActionCall, dict[str, Any]], dict[str, Any]]:
    """The body, its ``at`` (default now) under the keyword the service takes it by."""
    return lambda call, data: {keyword: data.pop("at", None), **data}


STEPS = ApiActions(
    [
        ApiAction(
            "accept",
            redress_accept,
            "Record the complainant's acceptance (payment falls due)",
            input=StepInput,
            perm=Perm.HANDLE_COMPLAINTS,
            arguments=_at_as("accepted_at"),
        ),
        ApiAction(
            "decline",
            redress_decline,
            "Record the complainant's decline",
            input=DeclineInput,
            perm=Perm.HANDLE_COMPLAINTS,
            arguments=_at_as("declined_at"),
        ),
        ApiAction(
            "pay",
            redress_pay,
            "Record payment (or completion) of accepted redress",
            input=PayInput,
            perm=Perm.HANDLE_COMPLAINTS,
            arguments=_at_as("paid_at"),
        ),
    ],
    base=ItemScoped,
    id_keyword="item_id",
    response=RedressItemSerializer,
    render=lambda call, _: _render_item(call.obj.pk),
    name="Redress",
    tags=["remediation"],
)
