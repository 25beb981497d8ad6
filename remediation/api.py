"""REST API: outcomes (read), the redress ledger, root causes and incidents.

Thin views: an input serializer types the request, a service acts, an output serializer renders.
Objects are fetched through ``complaints.access`` (another firm's object is a 404); errors use
the one shape of ``common.api``.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import StandardPagination, error_responses, paginated
from common.dates import london_date
from complaints import access
from complaints.access import HasFirmPerm, Perm, ensure_perm
from complaints.api.converters import path_int, path_param
from complaints.choices import Activity, DeliveryMethod, Outcome
from complaints.models import Complaint

from . import selectors, services
from .models import (
    BulkRun,
    ComplaintRootCause,
    Incident,
    InterestBasis,
    InterestPurpose,
    RedressItem,
    RedressKind,
    RedressStatus,
)
from .rules import redress_decision_gap

# --- serializers ------------------------------------------------------------------------------


class OutcomeEventSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    label = serializers.CharField()
    at = serializers.DateTimeField()
    source = serializers.CharField(help_text="The use case that recorded it.")
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


class RedressItemSerializer(serializers.ModelSerializer):
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


class RootCauseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="node.pk")
    name = serializers.CharField(source="node.name")
    parent = serializers.IntegerField(source="node.parent_id", allow_null=True)
    path = serializers.CharField()
    depth = serializers.IntegerField()
    active = serializers.BooleanField(source="node.active")
    description = serializers.CharField(source="node.description")


class ComplaintRootCauseSerializer(serializers.ModelSerializer):
    path = serializers.CharField(source="root_cause.path", read_only=True)

    class Meta:
        model = ComplaintRootCause
        fields = ["root_cause", "path", "note", "assigned_at"]
        read_only_fields = fields


class AssignRootCauseInput(serializers.Serializer):
    root_cause = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IncidentSerializer(serializers.ModelSerializer):
    linked = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Incident
        fields = ["id", "name", "description", "started_at", "ended_at", "created_at", "linked"]
        read_only_fields = ["id", "created_at", "linked"]


class IncidentInput(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    firm = serializers.IntegerField(
        required=False, help_text="Firm id; needed only if you belong to more than one."
    )


class SearchInput(serializers.Serializer):
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    received_from = serializers.DateField(required=False, allow_null=True, default=None)
    received_to = serializers.DateField(required=False, allow_null=True, default=None)
    activity = serializers.ChoiceField(
        choices=Activity.choices, required=False, allow_blank=True, default=""
    )


class LinkInput(serializers.Serializer):
    complaint_ids = serializers.ListField(child=serializers.IntegerField(), required=False)
    search = SearchInput(required=False, help_text="Link every complaint the search finds.")

    def validate(self, attrs):
        if not attrs.get("complaint_ids") and not attrs.get("search"):
            raise serializers.ValidationError(
                {"complaint_ids": ["Give complaint_ids or a search."]}
            )
        return attrs


class UnlinkInput(serializers.Serializer):
    complaint_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1)


class LinkResultSerializer(serializers.Serializer):
    linked = serializers.IntegerField()
    already_linked = serializers.IntegerField()


class UnlinkResultSerializer(serializers.Serializer):
    unlinked = serializers.IntegerField()


class BulkInput(serializers.Serializer):
    complaint_ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Only these linked complaints (default: all the incident's complaints).",
    )


class BulkAssignInput(BulkInput):
    owner_id = serializers.IntegerField()


class BulkAcknowledgeInput(BulkInput):
    method = serializers.ChoiceField(choices=DeliveryMethod.choices, default="email")


class BulkResultSerializer(serializers.Serializer):
    complaint_id = serializers.IntegerField()
    reference = serializers.CharField()
    ok = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)


class BulkRunSerializer(serializers.ModelSerializer):
    results = BulkResultSerializer(many=True)

    class Meta:
        model = BulkRun
        fields = [
            "id",
            "incident",
            "action",
            "parameters",
            "started_at",
            "finished_at",
            "succeeded",
            "failed",
            "results",
        ]
        read_only_fields = fields


class ComplaintBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = ["id", "reference", "status", "received_at", "activity", "owner"]
        read_only_fields = fields


# --- helpers ----------------------------------------------------------------------------------


class FirmApiView(APIView):
    """complaints.access's HasFirmPerm: each view declares ``required_perm`` per method; a view
    about one object names its ``scoped_model`` and reads ``self.scoped_object`` (another
    firm's is a 404, a colleague's beyond the role a 403)."""

    permission_classes = [HasFirmPerm]
    required_perm: dict = {}


@extend_schema(parameters=[path_param("id", "The complaint's id (another firm's is a 404).")])
class ComplaintScoped(FirmApiView):
    scoped_model = Complaint.objects.select_related("firm")


@extend_schema(parameters=[path_param("id", "The redress item's id (another firm's is a 404).")])
class ItemScoped(FirmApiView):
    scoped_model = RedressItem.objects.select_related("complaint")
    firm_path = "complaint__firm_id"


@extend_schema(parameters=[path_param("id", "The incident's id (another firm's is a 404).")])
class IncidentScoped(FirmApiView):
    scoped_model = Incident


READ = {"read": Perm.VIEW_COMPLAINTS}
READ_HANDLE = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.HANDLE_COMPLAINTS}
MANAGE = {"POST": Perm.MANAGE_REMEDIATION}


def _today():
    return london_date(timezone.now())


def _render_item(item_id: int) -> dict:
    item = RedressItem.objects.with_overdue(_today()).select_related("complaint").get(pk=item_id)
    return RedressItemSerializer(item).data


def _single_firm(request: Request, perm: Perm, firm_id: int | None) -> int:
    ids = access.firm_ids(request.user, perm)
    if firm_id is not None:
        if firm_id not in access.firm_ids(request.user):
            raise Http404
        ensure_perm(request.user, firm_id, perm)
        return firm_id
    if len(ids) == 1:
        return ids[0]
    raise serializers.ValidationError({"firm": ["You belong to several firms: say which."]})


# --- outcome ------------------------------------------------------------------------------------


class OutcomeView(ComplaintScoped):
    required_perm = READ

    @extend_schema(
        summary="A complaint's outcome and outcome history",
        responses={200: OutcomeSerializer, **error_responses(403, 404)},
        tags=["remediation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        complaint = self.scoped_object
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


# --- redress ------------------------------------------------------------------------------------


class ComplaintRedressView(ComplaintScoped):
    required_perm = READ_HANDLE

    @extend_schema(
        summary="Redress items on a complaint",
        responses={200: RedressItemSerializer(many=True), **error_responses(403, 404)},
        tags=["remediation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        complaint = self.scoped_object
        items = selectors.redress_items(complaint, _today())
        return Response(RedressItemSerializer(items, many=True).data)

    @extend_schema(
        summary="Offer redress or remedial action (DISP 1.4.1R(3))",
        request=RedressOfferInput,
        responses={201: RedressItemSerializer, **error_responses(400, 403, 404, 409)},
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
        tags=["remediation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        complaint = self.scoped_object
        body = RedressOfferInput(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.redress_offer(
            complaint_id=complaint.pk,
            actor=request.user,
            now=timezone.now(),
            data=services.RedressData(**body.validated_data),
        )
        return Response(_render_item(item.pk), status=status.HTTP_201_CREATED)


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
            complaints, _today(), status=request.query_params.get("status", ""), overdue=overdue
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(RedressItemSerializer(page, many=True).data)


class RedressDetailView(ItemScoped):
    required_perm = READ

    @extend_schema(
        summary="One redress item",
        responses={200: RedressItemSerializer, **error_responses(403, 404)},
        tags=["remediation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_render_item(self.scoped_object.pk))


def _step_view(name: str, input_cls, summary: str):
    class StepView(ItemScoped):
        required_perm = {"POST": Perm.HANDLE_COMPLAINTS}

        @extend_schema(
            summary=summary,
            request=input_cls,
            responses={200: RedressItemSerializer, **error_responses(400, 403, 404, 409)},
            tags=["remediation"],
        )
        def post(self, request: Request, pk: int) -> Response:
            item = self.scoped_object
            body = input_cls(data=request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
            kwargs = {
                "item_id": item.pk,
                "actor": request.user,
                "now": timezone.now(),
                "expected_version": data.pop("expected_version", None),
            }
            at = data.pop("at", None)
            if name == "accept":
                services.redress_accept(accepted_at=at, **kwargs)
            elif name == "decline":
                services.redress_decline(declined_at=at, reason=data["reason"], **kwargs)
            else:
                services.redress_pay(
                    paid_at=at, payment_reference=data["payment_reference"], **kwargs
                )
            return Response(_render_item(item.pk))

    StepView.__name__ = f"Redress{name.title()}View"
    return StepView


RedressAcceptView = _step_view(
    "accept", StepInput, "Record the complainant's acceptance (payment falls due)"
)
RedressDeclineView = _step_view("decline", DeclineInput, "Record the complainant's decline")
RedressPayView = _step_view("pay", PayInput, "Record payment (or completion) of accepted redress")


# --- root causes --------------------------------------------------------------------------------


class RootCauseListView(FirmApiView):
    required_perm = READ

    @extend_schema(
        summary="Root-cause taxonomy of your firms, in tree order",
        responses={200: RootCauseSerializer(many=True)},
        tags=["remediation"],
    )
    def get(self, request: Request) -> Response:
        nodes = [
            n
            for firm_id in access.firm_ids(request.user, Perm.VIEW_COMPLAINTS)
            for n in selectors.root_cause_tree(firm_id)
        ]
        return Response(RootCauseSerializer(nodes, many=True).data)


class ComplaintRootCauseView(ComplaintScoped):
    required_perm = READ_HANDLE

    @extend_schema(
        summary="Root causes recorded on a complaint",
        responses={200: ComplaintRootCauseSerializer(many=True), **error_responses(403, 404)},
        tags=["remediation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        complaint = self.scoped_object
        return Response(
            ComplaintRootCauseSerializer(selectors.root_cause_links(complaint), many=True).data
        )

    @extend_schema(
        summary="Record a root cause on a complaint",
        request=AssignRootCauseInput,
        responses={201: ComplaintRootCauseSerializer, **error_responses(400, 403, 404)},
        tags=["remediation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        complaint = self.scoped_object
        body = AssignRootCauseInput(data=request.data)
        body.is_valid(raise_exception=True)
        link = services.complaint_root_cause_assign(
            complaint_id=complaint.pk,
            root_cause_id=body.validated_data["root_cause"],
            note=body.validated_data["note"],
            actor=request.user,
            now=timezone.now(),
        )
        return Response(ComplaintRootCauseSerializer(link).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[path_param("root_cause_id", "The root cause's id.")])
class ComplaintRootCauseDeleteView(ComplaintScoped):
    required_perm = {"DELETE": Perm.HANDLE_COMPLAINTS}

    @extend_schema(
        summary="Remove a root cause from a complaint",
        responses={204: None, **error_responses(403, 404)},
        tags=["remediation"],
    )
    def delete(self, request: Request, pk: int, root_cause_id: int) -> Response:
        complaint = self.scoped_object
        services.complaint_root_cause_remove(
            complaint_id=complaint.pk,
            root_cause_id=path_int(root_cause_id),
            actor=request.user,
            now=timezone.now(),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- incidents ----------------------------------------------------------------------------------


class IncidentListView(FirmApiView):
    pagination_class = StandardPagination
    required_perm = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.MANAGE_REMEDIATION}

    @extend_schema(
        summary="Incidents of your firms",
        operation_id="remediation_incidents_list",
        responses={200: paginated(IncidentSerializer)},
        tags=["remediation"],
    )
    def get(self, request: Request) -> Response:
        qs = selectors.incidents(access.firm_ids(request.user, Perm.VIEW_COMPLAINTS))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(IncidentSerializer(page, many=True).data)

    @extend_schema(
        summary="Record an incident",
        request=IncidentInput,
        responses={201: IncidentSerializer, **error_responses(400, 403)},
        examples=[
            OpenApiExample(
                "Outage",
                value={
                    "name": "Exchange outage 14 Mar",
                    "description": "Matching engine down; withdrawals and orders stuck.",
                    "started_at": "2026-03-14T17:40:00Z",
                    "ended_at": "2026-03-14T22:05:00Z",
                },
                request_only=True,
            )
        ],
        tags=["remediation"],
    )
    def post(self, request: Request) -> Response:
        body = IncidentInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        firm_id = _single_firm(request, Perm.MANAGE_REMEDIATION, data.pop("firm", None))
        incident = services.incident_create(
            firm=access.get_firm_or_404(request.user, firm_id),
            actor=request.user,
            now=timezone.now(),
            **data,
        )
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)


class IncidentDetailView(IncidentScoped):
    required_perm = {"read": Perm.VIEW_COMPLAINTS, "write": Perm.MANAGE_REMEDIATION}

    @extend_schema(
        summary="One incident",
        responses={200: IncidentSerializer, **error_responses(403, 404)},
        tags=["remediation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        incident = self.scoped_object
        return Response(IncidentSerializer(selectors.incidents([incident.firm_id]).get(pk=pk)).data)

    @extend_schema(
        summary="Change an incident (send every field)",
        request=IncidentInput,
        responses={200: IncidentSerializer, **error_responses(400, 403, 404)},
        tags=["remediation"],
    )
    def put(self, request: Request, pk: int) -> Response:
        incident = self.scoped_object
        body = IncidentInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("firm", None)
        services.incident_update(
            incident_id=incident.pk, actor=request.user, now=timezone.now(), **data
        )
        return Response(IncidentSerializer(selectors.incidents([incident.firm_id]).get(pk=pk)).data)

    @extend_schema(
        summary="Delete an incident recorded by mistake (nothing linked to it)",
        responses={204: None, **error_responses(403, 404, 409)},
        tags=["remediation"],
    )
    def delete(self, request: Request, pk: int) -> Response:
        incident = self.scoped_object
        services.incident_delete(incident_id=incident.pk, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class IncidentComplaintsView(IncidentScoped):
    pagination_class = StandardPagination
    required_perm = READ

    @extend_schema(
        summary="Complaints linked to an incident",
        responses={200: paginated(ComplaintBriefSerializer), **error_responses(404)},
        tags=["remediation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        incident = self.scoped_object
        paginator = StandardPagination()
        page = paginator.paginate_queryset(
            selectors.incident_complaints(incident), request, view=self
        )
        return paginator.get_paginated_response(ComplaintBriefSerializer(page, many=True).data)


class IncidentLinkView(IncidentScoped):
    required_perm = MANAGE

    @extend_schema(
        summary="Link complaints: by id, or every complaint a search finds",
        request=LinkInput,
        responses={200: LinkResultSerializer, **error_responses(400, 403, 404)},
        examples=[
            OpenApiExample(
                "From a search",
                value={
                    "search": {
                        "received_from": "2026-03-14",
                        "received_to": "2026-03-15",
                        "text": "outage",
                        "activity": "operating_catp",
                    }
                },
                request_only=True,
            )
        ],
        tags=["remediation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        incident = self.scoped_object
        body = LinkInput(data=request.data)
        body.is_valid(raise_exception=True)
        ids = list(body.validated_data.get("complaint_ids") or [])
        if search := body.validated_data.get("search"):
            ids += list(
                selectors.complaint_search(
                    Complaint.objects.filter(firm_id=incident.firm_id), **search
                ).values_list("pk", flat=True)
            )
        result = services.incident_link(
            incident_id=incident.pk, complaint_ids=ids, actor=request.user, now=timezone.now()
        )
        return Response(LinkResultSerializer(result).data)


class IncidentUnlinkView(IncidentScoped):
    required_perm = MANAGE

    @extend_schema(
        summary="Unlink complaints from an incident",
        request=UnlinkInput,
        responses={200: UnlinkResultSerializer, **error_responses(400, 403, 404)},
        tags=["remediation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        incident = self.scoped_object
        body = UnlinkInput(data=request.data)
        body.is_valid(raise_exception=True)
        count = services.incident_unlink(
            incident_id=incident.pk,
            complaint_ids=body.validated_data["complaint_ids"],
            actor=request.user,
            now=timezone.now(),
        )
        return Response({"unlinked": count})


class IncidentBulkAssignView(IncidentScoped):
    required_perm = MANAGE

    @extend_schema(
        summary="Assign the incident's complaints, one at a time, each audited",
        request=BulkAssignInput,
        responses={200: BulkRunSerializer, **error_responses(400, 403, 404)},
        tags=["remediation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        incident = self.scoped_object
        ensure_perm(request.user, incident.firm_id, Perm.ASSIGN_COMPLAINTS)
        body = BulkAssignInput(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.incident_bulk_assign(
            incident_id=incident.pk,
            owner_id=body.validated_data["owner_id"],
            complaint_ids=body.validated_data.get("complaint_ids"),
            actor=request.user,
            now=timezone.now(),
        )
        return Response(BulkRunSerializer(run).data)


class IncidentBulkAcknowledgeView(IncidentScoped):
    required_perm = MANAGE

    @extend_schema(
        summary="Acknowledge the incident's complaints with the standard letter (DISP 1.6.1R)",
        description="Each complaint goes through the acknowledge service in its own "
        "transaction; a refusal on one (e.g. already acknowledged) is reported in `results` "
        "and the others go ahead.",
        request=BulkAcknowledgeInput,
        responses={200: BulkRunSerializer, **error_responses(400, 403, 404)},
        tags=["remediation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        incident = self.scoped_object
        ensure_perm(request.user, incident.firm_id, Perm.HANDLE_COMPLAINTS)
        body = BulkAcknowledgeInput(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.incident_bulk_acknowledge(
            incident_id=incident.pk,
            complaint_ids=body.validated_data.get("complaint_ids"),
            method=body.validated_data["method"],
            actor=request.user,
            now=timezone.now(),
        )
        return Response(BulkRunSerializer(run).data)
