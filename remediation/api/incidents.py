"""Incidents: record, change, link complaints and run bulk actions on them."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import StandardPagination, error_responses, paginated
from complaints import access
from complaints.access import Perm, ensure_perm
from complaints.choices import Activity, DeliveryMethod
from complaints.models import Complaint

from .. import selectors
from ..models import BulkRun, Incident
from ..services.incidents import (
    incident_bulk_acknowledge,
    incident_bulk_assign,
    incident_create,
    incident_delete,
    incident_link,
    incident_unlink,
    incident_update,
)
from ._base import MANAGE, READ, FirmApiView, IncidentScoped, single_firm


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

    def validate(self, attrs: dict[str, object]) -> dict[str, object]:
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
        data = body.validated_data
        firm_id = single_firm(request, Perm.MANAGE_REMEDIATION, data.get("firm"))
        incident = incident_create(
            firm=access.get_firm_or_404(request.user, firm_id),
            actor=self.actor,
            now=timezone.now(),
            name=data["name"],
            description=data["description"],
            started_at=data["started_at"],
            ended_at=data["ended_at"],
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
        incident: Incident = self.scoped_object
        return Response(IncidentSerializer(selectors.incidents([incident.firm_id]).get(pk=pk)).data)

    @extend_schema(
        summary="Change an incident (send every field)",
        request=IncidentInput,
        responses={200: IncidentSerializer, **error_responses(400, 403, 404)},
        tags=["remediation"],
    )
    def put(self, request: Request, pk: int) -> Response:
        incident: Incident = self.scoped_object
        body = IncidentInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        incident_update(
            incident_id=incident.pk,
            actor=self.actor,
            now=timezone.now(),
            name=data["name"],
            description=data["description"],
            started_at=data["started_at"],
            ended_at=data["ended_at"],
        )
        return Response(IncidentSerializer(selectors.incidents([incident.firm_id]).get(pk=pk)).data)

    @extend_schema(
        summary="Delete an incident recorded by mistake (nothing linked to it)",
        responses={204: None, **error_responses(403, 404, 409)},
        tags=["remediation"],
    )
    def delete(self, request: Request, pk: int) -> Response:
        incident: Incident = self.scoped_object
        incident_delete(incident_id=incident.pk, actor=self.actor)
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
        incident: Incident = self.scoped_object
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
        incident: Incident = self.scoped_object
        body = LinkInput(data=request.data)
        body.is_valid(raise_exception=True)
        ids = list(body.validated_data.get("complaint_ids") or [])
        if search := body.validated_data.get("search"):
            ids += list(
                selectors.complaint_search(
                    Complaint.objects.filter(firm_id=incident.firm_id), **search
                ).values_list("pk", flat=True)
            )
        result = incident_link(
            incident_id=incident.pk, complaint_ids=ids, actor=self.actor, now=timezone.now()
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
        incident: Incident = self.scoped_object
        body = UnlinkInput(data=request.data)
        body.is_valid(raise_exception=True)
        count = incident_unlink(
            incident_id=incident.pk,
            complaint_ids=body.validated_data["complaint_ids"],
            actor=self.actor,
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
        incident: Incident = self.scoped_object
        ensure_perm(request.user, incident.firm_id, Perm.ASSIGN_COMPLAINTS)
        body = BulkAssignInput(data=request.data)
        body.is_valid(raise_exception=True)
        run = incident_bulk_assign(
            incident_id=incident.pk,
            owner_id=body.validated_data["owner_id"],
            complaint_ids=body.validated_data.get("complaint_ids"),
            actor=self.actor,
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
        incident: Incident = self.scoped_object
        ensure_perm(request.user, incident.firm_id, Perm.HANDLE_COMPLAINTS)
        body = BulkAcknowledgeInput(data=request.data)
        body.is_valid(raise_exception=True)
        run = incident_bulk_acknowledge(
            incident_id=incident.pk,
            complaint_ids=body.validated_data.get("complaint_ids"),
            method=body.validated_data["method"],
            actor=self.actor,
            now=timezone.now(),
        )
        return Response(BulkRunSerializer(run).data)
