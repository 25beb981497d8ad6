"""The root-cause taxonomy and the causes recorded on a complaint."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import BlankChoices, error_responses
from common.api_actions import ApiAction, action_post
from complaints import access
from complaints.access import Perm
from complaints.api.converters import path_int, path_param
from complaints.models import Complaint

from .. import selectors
from ..models import ComplaintRootCause
from ..services.root_causes import complaint_root_cause_assign, complaint_root_cause_remove
from ._base import READ, READ_HANDLE, ComplaintScoped, FirmApiView


class RootCauseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="node.pk")
    name = serializers.CharField(source="node.name")
    # DRF's serializer metaclass takes declared fields off the class, so this does not shadow
    # Field.parent; the stubs cannot see that.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="node.parent_id", allow_null=True
    )
    path = serializers.CharField()
    depth = serializers.IntegerField()
    active = serializers.BooleanField(source="node.active")
    description = serializers.CharField(source="node.description")


class ComplaintRootCauseSerializer(BlankChoices):
    path = serializers.CharField(source="root_cause.path", read_only=True)

    class Meta:
        model = ComplaintRootCause
        fields = ["root_cause", "path", "note", "assigned_at"]
        read_only_fields = fields


class AssignRootCauseInput(serializers.Serializer):
    root_cause = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


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
        complaint: Complaint = self.scoped_object
        return Response(
            ComplaintRootCauseSerializer(selectors.root_cause_links(complaint), many=True).data
        )

    post = action_post(
        ApiAction(
            "root-causes",
            complaint_root_cause_assign,
            "Record a root cause on a complaint",
            input=AssignRootCauseInput,
            errors=(400, 403, 404),
            status=status.HTTP_201_CREATED,
            arguments=lambda _, data: {"root_cause_id": data["root_cause"], "note": data["note"]},
            response=ComplaintRootCauseSerializer,
            render=lambda _, link: ComplaintRootCauseSerializer(link).data,
        ),
        id_keyword="complaint_id",
        tags=["remediation"],
    )


@extend_schema(parameters=[path_param("root_cause_id", "The root cause's id.")])
class ComplaintRootCauseDeleteView(ComplaintScoped):
    required_perm = {"DELETE": Perm.HANDLE_COMPLAINTS}

    @extend_schema(
        summary="Remove a root cause from a complaint",
        responses={204: None, **error_responses(403, 404)},
        tags=["remediation"],
    )
    def delete(self, request: Request, pk: int, root_cause_id: int) -> Response:
        complaint: Complaint = self.scoped_object
        complaint_root_cause_remove(
            complaint_id=complaint.pk,
            root_cause_id=path_int(root_cause_id),
            actor=self.actor,
            now=timezone.now(),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
