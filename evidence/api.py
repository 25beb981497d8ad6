"""/api/complaints/{id}/evidence/: list a complaint's evidence, add a file or a link, download a
file. Thin views over ``evidence.services``; a file's bytes go out with its detected type and
SHA-256 (``X-Content-SHA256``)."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from common.api import error_responses
from common.inputs import JSONParser
from complaints.access import Perm
from complaints.api.base import ID_PARAM, ComplaintApiView
from complaints.api.converters import path_int

from . import services
from .choices import Kind
from .models import Evidence
from .selectors import complaint_evidence
from .views import serve

TAG = ["evidence"]
EVIDENCE_PARAM = OpenApiParameter(
    "evidence_id", int, OpenApiParameter.PATH, description="The evidence's id on this complaint."
)


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "title",
            "url",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "page_count",
            "source",
            "uploaded_by",
            "uploaded_at",
            "state",
            "removed_at",
            "removed_reason",
            "download",
        ]
        read_only_fields = fields

    def get_uploaded_by(self, obj: Evidence) -> str | None:
        user = obj.uploaded_by
        return (user.get_full_name() or user.get_username()) if user else None

    def get_download(self, obj: Evidence) -> str | None:
        """The API address of the file's bytes (null for a link)."""
        if not obj.file:
            return None
        return f"/api/complaints/{obj.complaint_id}/evidence/{obj.pk}/download/"


class EvidenceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField(
        required=False, help_text="The file (multipart/form-data); not for a link."
    )
    url = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="For kind chain_explorer_link: an https:// address (never fetched).",
    )


class _EvidenceView(ComplaintApiView):
    required_perm: Any = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.HANDLE_COMPLAINTS}


class EvidenceList(_EvidenceView):
    parser_classes = [MultiPartParser, JSONParser]
    serializer_class = EvidenceSerializer

    @extend_schema(
        operation_id="evidence_list",
        summary="A complaint's evidence",
        description="Files and links, oldest first, with each file's detected type, size and "
        "SHA-256, who added it and when; removed items are listed with their state.",
        parameters=[ID_PARAM],
        responses={200: EvidenceSerializer(many=True), **error_responses(401, 403, 404)},
        tags=TAG,
    )
    def get(self, request, pk: str):
        rows = complaint_evidence(self.scoped_object.pk)
        return Response(EvidenceSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="evidence_create",
        summary="Add evidence to a complaint",
        description="A file (multipart/form-data) of a type its kind allows, judged by its "
        "content: the name's extension must agree; at most EVIDENCE_MAX_BYTES. Or, for kind "
        "chain_explorer_link, an https:// address (JSON or form). Refusals name the field: "
        "evidence_empty, evidence_too_large, evidence_type_not_allowed, "
        "evidence_extension_mismatch, evidence_url_invalid, evidence_duplicate.",
        parameters=[ID_PARAM],
        request={"multipart/form-data": EvidenceInput, "application/json": EvidenceInput},
        responses={201: EvidenceSerializer, **error_responses(400, 401, 403, 404)},
        tags=TAG,
    )
    def post(self, request, pk: str):
        data = EvidenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.evidence_add(
            self.scoped_object,
            user=request.user,
            kind=data.validated_data["kind"],
            title=data.validated_data["title"],
            upload=data.validated_data.get("file"),
            url=data.validated_data["url"] or None,
            now=timezone.now(),
        )
        return Response(EvidenceSerializer(row).data, status=status.HTTP_201_CREATED)


class _FileRenderer(renderers.BaseRenderer):
    """Lets a client ask for the bytes (``Accept: application/octet-stream``); the file itself
    goes out as a plain response with its own type, and a refusal as the JSON error shape."""

    media_type = "application/octet-stream"
    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class EvidenceDownload(_EvidenceView):
    renderer_classes = [renderers.JSONRenderer, _FileRenderer]

    @extend_schema(
        operation_id="evidence_download",
        summary="Download an evidence file",
        description="The stored bytes, with the type detected at upload as Content-Type, "
        "X-Content-Type-Options: nosniff, Content-Disposition: attachment and the SHA-256 "
        "recorded at upload as X-Content-SHA256.",
        parameters=[ID_PARAM, EVIDENCE_PARAM],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file"
            ),
            **error_responses(401, 403, 404),
        },
        tags=TAG,
    )
    def get(self, request, pk: str, evidence_id: str):
        row = (
            Evidence.objects.filter(complaint=self.scoped_object, pk=path_int(evidence_id))
            .exclude(file="")
            .first()
        )
        if row is None:
            raise Http404("No such evidence file on this complaint.")
        return serve(row, inline=False)
