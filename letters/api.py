"""REST API for letters: thin views over the services; access through complaints.access's
HasFirmPerm (another firm's letter or complaint is a 404, beyond the role a 403)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, renderers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import error_responses
from common.api_actions import ApiAction, ApiActions, action_post
from common.inputs import JSONParser
from complaints import services as complaint_services
from complaints.access import HasFirmPerm, Perm
from complaints.models import Complaint, Firm

from . import content, delivery, leaflets, selectors, services
from .leaflet_views import print_pack_response, upload_arguments
from .models import Letter
from .serializers import (
    DraftCreateSerializer,
    EditSerializer,
    FosLeafletSerializer,
    FosLeafletUploadSerializer,
    LetterSerializer,
    LetterSettingsSerializer,
    LetterSettingsUpdateSerializer,
    NoteSerializer,
    PreviewSerializer,
    SendSerializer,
    WelshSettingSerializer,
)

READ = {"GET": Perm.VIEW_COMPLAINTS}
HANDLE = {"POST": Perm.HANDLE_COMPLAINTS}


class _LetterAPI(APIView):
    """One letter: reading needs view_complaints; each view declares what else it allows. The
    services check the role again and keep the four-eyes rule (the drafter never approves)."""

    permission_classes = [HasFirmPerm]
    required_perm: dict = READ
    scoped_model = Letter.objects.select_related(
        "complaint__firm", "complaint__complainant", "template_version__template"
    )
    scoped_kwarg = "letter_id"
    firm_path = "complaint__firm_id"
    scoped_object: Letter  # put there by HasFirmPerm


def _fresh(letter_id: int) -> dict:
    letter = delivery.with_email_state(
        Letter.objects.select_related(
            "created_by", "approved_by", "sent_by", "template_version__template"
        )
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
    permission_classes = [HasFirmPerm]
    required_perm = {**READ, **HANDLE}
    scoped_model = Complaint.objects.select_related("firm")
    scoped_kwarg = "complaint_id"
    scoped_object: Complaint  # put there by HasFirmPerm

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no complaint
            return Letter.objects.none()
        return delivery.with_email_state(selectors.letters_for_complaint(self.scoped_object))

    @extend_schema(responses={200: LetterSerializer(many=True), **error_responses(404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    post = action_post(
        ApiAction(
            "letters",
            services.letter_create_draft,
            "Draft a letter from the firm's current template",
            input=DraftCreateSerializer,
            examples=[DRAFT_EXAMPLE],
            errors=(400, 403, 404),
            status=status.HTTP_201_CREATED,
        ),
        id_keyword="complaint_id",
        response=LetterSerializer,
        render=lambda _, letter: _fresh(letter.pk),
    )


class LetterDetailView(_LetterAPI):
    required_perm = {**READ, "PATCH": Perm.HANDLE_COMPLAINTS}

    @extend_schema(responses={200: LetterSerializer, **error_responses(404)})
    def get(self, request, letter_id: int):
        return Response(_fresh(letter_id))

    @extend_schema(
        request=EditSerializer,
        responses={200: LetterSerializer, **error_responses(400, 403, 404, 409)},
        summary="Edit a draft's wording (any approval lapses)",
    )
    def patch(self, request, letter_id: int):
        data = EditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.letter_update_draft(
            letter_id=letter_id, actor=request.user, now=timezone.now(), **data.validated_data
        )
        return Response(_fresh(letter_id))


class LetterPreviewView(_LetterAPI):
    @extend_schema(
        responses={200: PreviewSerializer, **error_responses(404)},
        summary="The letter as HTML (as sent, or as it would go today) with its checks",
    )
    def get(self, request, letter_id: int):
        letter = self.scoped_object
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


class LetterPdfView(_LetterAPI):
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
        letter = self.scoped_object
        data = letter.sent_pdf if letter.is_sent else content.draft_pdf(letter, now=timezone.now())
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{letter.complaint.reference}-{letter.letter_type}.pdf"'
        )
        if letter.is_sent:
            response["X-Content-SHA256"] = letter.pdf_sha256
        return response


class LetterPrintPackView(_LetterAPI):
    renderer_classes = [PDFRenderer, renderers.JSONRenderer]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
            **error_responses(404),
        },
        summary="The letter's print pack: its PDF, then the FOS leaflet it encloses",
    )
    def get(self, request, letter_id: int):
        return print_pack_response(self.scoped_object)


class FirmFosLeafletsView(APIView):
    """The firm's FOS standard explanatory leaflet, versioned (DISP 1.6.2R(1)(d), (2)(c)): any
    member reads the versions, a firm administrator uploads a new one."""

    permission_classes = [HasFirmPerm]
    required_perm = {**READ, "POST": Perm.MANAGE_FIRM}
    scoped_model = Firm.objects.all()
    scoped_kwarg = "firm_id"
    firm_path = "pk"
    parser_classes = [MultiPartParser, FormParser]
    scoped_object: Firm  # put there by HasFirmPerm

    @extend_schema(
        summary="The firm's FOS leaflet versions, newest (the one letters enclose) first",
        responses={200: FosLeafletSerializer(many=True), **error_responses(404)},
    )
    def get(self, request, firm_id: int):
        versions = leaflets.leaflet_versions(self.scoped_object.pk)
        return Response(FosLeafletSerializer(versions, many=True).data)

    post = action_post(
        ApiAction(
            "fos-leaflets",
            leaflets.leaflet_upload,
            "Upload a new version of the FOS leaflet (a PDF, checked by its content)",
            input=FosLeafletUploadSerializer,
            description="From then on, letters that say the leaflet is enclosed carry it. A file "
            "that is not a PDF, too large, or a future `checked_on` answers 400 with code "
            "`fos_leaflet_invalid` and the field at fault.",
            errors=(400, 403, 404),
            status=status.HTTP_201_CREATED,
            arguments=lambda call, body: upload_arguments(body),
        ),
        id_keyword="firm_id",
        response=FosLeafletSerializer,
        render=lambda _, leaflet: FosLeafletSerializer(leaflet).data,
    )


class FirmLetterSettingsView(APIView):
    """The firm's letter settings: what letters say about the Ombudsman when the event date is
    unknown (CP26/4 para 3.24). Any member reads them; a firm administrator changes them."""

    permission_classes = [HasFirmPerm]
    required_perm = {**READ, "PATCH": Perm.MANAGE_FIRM}
    scoped_model = Firm.objects.all()
    scoped_kwarg = "firm_id"
    firm_path = "pk"
    parser_classes = [JSONParser]
    scoped_object: Firm  # put there by HasFirmPerm

    @extend_schema(
        summary="The firm's letter settings, with what each choice makes letters say",
        responses={200: LetterSettingsSerializer, **error_responses(404)},
    )
    def get(self, request, firm_id: int):
        return Response(LetterSettingsSerializer(self.scoped_object).data)

    patch = action_post(
        ApiAction(
            "letter-settings",
            complaint_services.firm_set_unknown_event_date_wording,
            "Choose what letters say when the event date is unknown (CP26/4 para 3.24)",
            input=LetterSettingsUpdateSerializer,
            description="`offer_fos`: letters offer the Financial Ombudsman Service as if the "
            "act were after commencement; `fos_may_not`: they say it may not be able to consider "
            "the complaint. Letters drafted from then on follow it. A value that is not a choice "
            "answers 400 naming `unknown_event_date_wording`; only a firm administrator may "
            "change it (403 `permission_denied`); another firm is a 404. Kept in the firm's "
            "history.",
            errors=(400, 403, 404),
            arguments=lambda call, body: {"wording": body["unknown_event_date_wording"]},
        ),
        id_keyword="firm_id",
        response=LetterSettingsSerializer,
        render=lambda _, firm: LetterSettingsSerializer(firm).data,
    )


class FirmWelshView(APIView):
    """Whether the firm offers letters in Welsh. Any member reads it; a firm administrator
    changes it."""

    permission_classes = [HasFirmPerm]
    required_perm = {**READ, "PATCH": Perm.MANAGE_FIRM}
    scoped_model = Firm.objects.all()
    scoped_kwarg = "firm_id"
    firm_path = "pk"
    parser_classes = [JSONParser]
    scoped_object: Firm  # put there by HasFirmPerm

    @extend_schema(
        summary="Whether the firm offers letters in Welsh",
        responses={200: WelshSettingSerializer, **error_responses(404)},
    )
    def get(self, request, firm_id: int):
        return Response(WelshSettingSerializer(self.scoped_object).data)

    patch = action_post(
        ApiAction(
            "welsh",
            complaint_services.firm_set_offers_welsh,
            "Offer (or stop offering) letters in Welsh",
            input=WelshSettingSerializer,
            description="While on, a complainant who chose Welsh gets the Welsh template of each "
            "letter sent to them; off, their letters are in English (their choice is kept). "
            "Only a firm administrator may change it (403 `permission_denied`); another firm is "
            "a 404. Kept in the firm's history.",
            errors=(400, 403, 404),
        ),
        id_keyword="firm_id",
        response=WelshSettingSerializer,
        render=lambda _, firm: WelshSettingSerializer(firm).data,
    )


# Submitting checks the body as approving does (an optional note) but records no note.
ACTIONS = ApiActions(
    [
        ApiAction(
            "submit",
            services.letter_submit_for_approval,
            "Submit for approval",
            input=NoteSerializer,
            perm=Perm.HANDLE_COMPLAINTS,
            document_input=False,
            arguments=lambda call, note: {},
        ),
        ApiAction(
            "approve",
            services.letter_approve,
            "Approve (four eyes: not the drafter)",
            input=NoteSerializer,
            perm=Perm.APPROVE_LETTERS,
        ),
        ApiAction(
            "send",
            complaint_services.complaint_send_letter,
            "Send: runs the complaint transition and files the letter, in one transaction",
            input=SendSerializer,
            perm=Perm.HANDLE_COMPLAINTS,
            examples=[OpenApiExample("By email", value={"delivery": "email"}, request_only=True)],
        ),
        ApiAction(
            "retry-email",
            delivery.letter_retry_email,
            "Try a sent letter's e-mail again now (not yet delivered: queued, retrying or failed)",
            perm=Perm.HANDLE_COMPLAINTS,
            errors=(403, 404, 409),
        ),
    ],
    base=_LetterAPI,
    id_keyword="letter_id",
    response=LetterSerializer,
    render=lambda call, _: _fresh(call.obj.pk),
    name="Letter",
)
