"""Incidents: record, change, link complaints and run bulk actions on them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import BlankChoices, StandardPagination, error_responses, page_response, paginated
from common.api_actions import ActionCall, ApiAction, ApiActions
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
from ._base import READ, FirmApiView, IncidentScoped, single_firm


class IncidentSerializer(BlankChoices):
    linked = serializers.IntegerField(
        read_only=True, help_text="How many complaints are linked to it (selectors.incidents)."
    )

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
    method = serializers.ChoiceField(
        choices=DeliveryMethod.choices,
        default="",
        allow_blank=True,
        help_text="Blank (the default): each complainant's own letter channel, post where "
        "there is no e-mail address.",
    )


class BulkResultSerializer(serializers.Serializer):
    complaint_id = serializers.IntegerField()
    reference = serializers.CharField()
    ok = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)


class BulkRunSerializer(BlankChoices):
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


class ComplaintBriefSerializer(BlankChoices):
    class Meta:
        model = Complaint
        fields = ["id", "reference", "status", "received_at", "activity", "owner"]
        read_only_fields = fields


def _recorded(data: dict[str, Any]) -> dict[str, Any]:
    """What the incident services record from an IncidentInput (its firm is chosen apart)."""
    return {key: data[key] for key in ("name", "description", "started_at", "ended_at")}


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
        return page_response(self, qs, IncidentSerializer)

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
            **_recorded(data),
        )
        # Read back through the selector, so the answer carries ``linked`` as the schema says.
        created = selectors.incidents([incident.firm_id]).get(pk=incident.pk)
        return Response(IncidentSerializer(created).data, status=status.HTTP_201_CREATED)


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
            **_recorded(data),
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
        return page_response(
            self, selectors.incident_complaints(incident), ComplaintBriefSerializer
        )


def _linked_ids(call: ActionCall, data: dict[str, Any]) -> dict[str, Any]:
    """The complaints named, and every complaint of the incident's firm the search finds."""
    ids = list(data.get("complaint_ids") or [])
    if search := data.get("search"):
        ids += list(
            selectors.complaint_search(
                Complaint.objects.filter(firm_id=call.obj.firm_id), **search
            ).values_list("pk", flat=True)
        )
    return {"complaint_ids": ids}


def _also_needs(perm: Perm) -> Callable[[ActionCall], None]:
    """A bulk action also needs the permission of the action it runs, in the incident's firm."""
    return lambda call: ensure_perm(call.request.user, call.obj.firm_id, perm)


ACTIONS = ApiActions(
    [
        ApiAction(
            "link",
            incident_link,
            "Link complaints: by id, or every complaint a search finds",
            input=LinkInput,
            perm=Perm.MANAGE_REMEDIATION,
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
            errors=(400, 403, 404),
            arguments=_linked_ids,
            response=LinkResultSerializer,
            render=lambda _, result: LinkResultSerializer(result).data,
        ),
        ApiAction(
            "unlink",
            incident_unlink,
            "Unlink complaints from an incident",
            input=UnlinkInput,
            perm=Perm.MANAGE_REMEDIATION,
            errors=(400, 403, 404),
            response=UnlinkResultSerializer,
            render=lambda _, count: {"unlinked": count},
        ),
        ApiAction(
            "bulk-assign",
            incident_bulk_assign,
            "Assign the incident's complaints, one at a time, each audited",
            input=BulkAssignInput,
            perm=Perm.MANAGE_REMEDIATION,
            errors=(400, 403, 404),
            check=_also_needs(Perm.ASSIGN_COMPLAINTS),
        ),
        ApiAction(
            "bulk-acknowledge",
            incident_bulk_acknowledge,
            "Acknowledge the incident's complaints with the standard letter (DISP 1.6.1R)",
            input=BulkAcknowledgeInput,
            perm=Perm.MANAGE_REMEDIATION,
            description="Each complaint goes through the acknowledge service in its own "
            "transaction; a refusal on one (e.g. already acknowledged) is reported in `results` "
            "and the others go ahead.",
            errors=(400, 403, 404),
            check=_also_needs(Perm.HANDLE_COMPLAINTS),
        ),
    ],
    base=IncidentScoped,
    id_keyword="incident_id",
    response=BulkRunSerializer,
    render=lambda _, run: BulkRunSerializer(run).data,
    name="Incident",
    tags=["remediation"],
)
