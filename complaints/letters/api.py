"""REST API for letters: thin views over the services, scoped with complaints.access."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, renderers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import error_responses
from complaints import access
from complaints.access import Perm

from . import content, selectors, services
from .models import Letter
from .serializers import (
    DraftCreateSerializer,
    EditSerializer,
    LetterSerializer,
    NoteSerializer,
    PreviewSerializer,
    SendSerializer,
)


def _letter(request, letter_id: int, perm: Perm = Perm.VIEW_COMPLAINTS) -> Letter:
    letter = (
        Letter.objects.select_related(
            "complaint__firm", "complaint__complainant", "template_version__template"
        )
        .filter(pk=letter_id, complaint__firm_id__in=access.firm_ids(request.user, perm))
        .first()
    )
    if letter is None:
        raise Http404
    return letter


def _fresh(letter_id: int) -> dict:
    letter = Letter.objects.select_related(
        "created_by", "approved_by", "sent_by", "template_version__template"
    ).get(pk=letter_id)
    return LetterSerializer(letter).data


DRAFT_EXAMPLE = OpenApiExample(
    "Final response rejecting the complaint",
    value={
        "letter_type": "final_rejected",
        "outcome": "not_upheld",
        "reasons": "The withdrawal was held for a routine security review under our terms.",
        "consents_to_waive": False,
    },
    request_only=True,
)


class ComplaintLettersView(generics.ListCreateAPIView):
    """The complaint's letters (drafts, awaiting approval, sent), newest first."""

    serializer_class = LetterSerializer

    def get_complaint(self, perm: Perm = Perm.VIEW_COMPLAINTS):
        return access.get_complaint_or_404(self.request.user, self.kwargs["complaint_id"], perm)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no complaint
            return Letter.objects.none()
        return selectors.letters_for_complaint(self.get_complaint())

    @extend_schema(responses={200: LetterSerializer(many=True), **error_responses(404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=DraftCreateSerializer,
        responses={201: LetterSerializer, **error_responses(400, 403, 404)},
        examples=[DRAFT_EXAMPLE],
        summary="Draft a letter from the firm's current template",
    )
    def post(self, request, *args, **kwargs):
        complaint = self.get_complaint(Perm.HANDLE_COMPLAINTS)
        data = DraftCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        letter = services.letter_create_draft(
            complaint_id=complaint.pk, actor=request.user, now=timezone.now(), **data.validated_data
        )
        return Response(_fresh(letter.pk), status=status.HTTP_201_CREATED)


class LetterDetailView(APIView):
    @extend_schema(responses={200: LetterSerializer, **error_responses(404)})
    def get(self, request, letter_id: int):
        _letter(request, letter_id)
        return Response(_fresh(letter_id))

    @extend_schema(
        request=EditSerializer,
        responses={200: LetterSerializer, **error_responses(400, 403, 404, 409)},
        summary="Edit a draft's wording (any approval lapses)",
    )
    def patch(self, request, letter_id: int):
        _letter(request, letter_id)
        data = EditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.letter_update_draft(
            letter_id=letter_id, actor=request.user, now=timezone.now(), **data.validated_data
        )
        return Response(_fresh(letter_id))


class LetterPreviewView(APIView):
    @extend_schema(
        responses={200: PreviewSerializer, **error_responses(404)},
        summary="The letter as HTML (as sent, or as it would go today) with its checks",
    )
    def get(self, request, letter_id: int):
        letter = _letter(request, letter_id)
        if letter.is_sent:
            html = letter.html
        else:
            html = content.letter_document(letter, letter_date=timezone.now(), draft=True)
        return Response({"html": html, "checks": letter.check_results})


class PDFRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class LetterPdfView(APIView):
    # PDF for the letter; JSON for the error shape.
    renderer_classes = [PDFRenderer, renderers.JSONRenderer]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
            **error_responses(404),
        },
        summary="The letter as PDF (the stored evidence once sent; a DRAFT copy before)",
    )
    def get(self, request, letter_id: int):
        from .rendering import pdf_bytes

        letter = _letter(request, letter_id)
        if letter.is_sent:
            data = bytes(letter.pdf)
        else:
            data = pdf_bytes(
                content.letter_document(letter, letter_date=timezone.now(), draft=True)
            )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{letter.complaint.reference}-{letter.letter_type}.pdf"'
        )
        if letter.is_sent:
            response["X-Content-SHA256"] = letter.pdf_sha256
        return response


class _LetterAction(APIView):
    request_serializer = NoteSerializer

    def act(self, request, letter_id: int, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, letter_id: int):
        # Scoped by firm (another firm's letter is a 404); the service checks the role (403).
        _letter(request, letter_id)
        data = self.request_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.act(request, letter_id, data.validated_data)
        return Response(_fresh(letter_id))


ACTION_RESPONSES = {200: LetterSerializer, **error_responses(400, 403, 404, 409)}


class LetterSubmitView(_LetterAction):
    @extend_schema(request=None, responses=ACTION_RESPONSES, summary="Submit for approval")
    def post(self, request, letter_id: int):
        return super().post(request, letter_id)

    def act(self, request, letter_id, data):
        services.letter_submit_for_approval(
            letter_id=letter_id, actor=request.user, now=timezone.now()
        )


class LetterApproveView(_LetterAction):
    @extend_schema(
        request=NoteSerializer,
        responses=ACTION_RESPONSES,
        summary="Approve (four eyes: not the drafter)",
    )
    def post(self, request, letter_id: int):
        return super().post(request, letter_id)

    def act(self, request, letter_id, data):
        services.letter_approve(
            letter_id=letter_id, actor=request.user, now=timezone.now(), note=data["note"]
        )


class LetterSendView(_LetterAction):
    request_serializer = SendSerializer

    @extend_schema(
        request=SendSerializer,
        responses=ACTION_RESPONSES,
        summary="Send: runs the complaint transition and files the letter, in one transaction",
        examples=[OpenApiExample("By email", value={"delivery": "email"}, request_only=True)],
    )
    def post(self, request, letter_id: int):
        return super().post(request, letter_id)

    def act(self, request, letter_id, data):
        services.letter_send(letter_id=letter_id, actor=request.user, now=timezone.now(), **data)
