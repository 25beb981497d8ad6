"""REST endpoints for FOS referrals (common.api conventions). Thin: the input serializer
validates, the service acts, the output serializer renders; every object is fetched through a
firm-scoped selector, so another firm's referral is a 404."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import error_responses
from common.api_actions import ActionCall, ApiAction, ApiActions, action_post
from common.dates import london_date
from complaints import access
from complaints.access import HasFirmPerm, Perm, get_scoped_object_or_404
from complaints.api.converters import path_param
from complaints.models import Complaint

from . import guards, selectors, services
from .choices import Stage
from .exports import build_case_file
from .fees import firm_ledger
from .models import FosDeadline, Referral
from .serializers import (
    AwardSerializer,
    ChargeableSerializer,
    ConsentSerializer,
    DeadlineCreateSerializer,
    DeadlineSerializer,
    LedgerYearSerializer,
    OpenDeadlineSerializer,
    ReferenceSerializer,
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    ReferralSerializer,
    action_serializer,
)

TAG = ["FOS referrals"]


# Access is complaints.access's HasFirmPerm: reading needs view_complaints, acting manage_fos;
# views about one referral (or deadline) get it as ``self.scoped_object``, another firm's
# being a 404.
READ = {"read": Perm.VIEW_COMPLAINTS}
MANAGE = {"POST": Perm.MANAGE_FOS}
READ_MANAGE = {**READ, **MANAGE}


class FosApiView(APIView):
    permission_classes = [HasFirmPerm]
    required_perm: dict = READ


@extend_schema(parameters=[path_param("id", "The FOS referral's id (another firm's is a 404).")])
class ReferralScoped(FosApiView):
    scoped_model = Referral.objects.select_related(
        "firm", "complaint", "complaint__complainant", "complaint__firm"
    )
    scoped_object: Referral  # set by HasFirmPerm
    required_perm = MANAGE


def _detail(referral_id: int) -> dict:
    referral = (
        Referral.objects.select_related("complaint")
        .prefetch_related("stages", "deadlines")
        .get(pk=referral_id)
    )
    today = london_date(timezone.now())
    return ReferralDetailSerializer(referral, context={"today": today}).data


class ReferralListCreate(GenericAPIView):
    permission_classes = [HasFirmPerm]
    required_perm = READ_MANAGE
    serializer_class = ReferralSerializer

    def get_queryset(self):
        stage = self.request.query_params.get("stage")
        if stage and stage not in Stage.values:
            raise exceptions.ValidationError(
                {"stage": [f"Choose one of {', '.join(Stage.values)}."]}
            )
        firm_ids = access.firm_ids(self.request.user, Perm.VIEW_COMPLAINTS)
        return selectors.referral_list(firm_ids, stage=stage)

    @extend_schema(
        tags=TAG,
        summary="List FOS referrals",
        parameters=[OpenApiParameter("stage", str, enum=Stage.values, required=False)],
        responses={200: ReferralSerializer(many=True), **error_responses(400, 403, 404)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Log a FOS referral and run the jurisdiction checklist",
        request=ReferralCreateSerializer,
        responses={201: ReferralDetailSerializer, **error_responses(400, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Referred by a claims management company",
                value={
                    "complaint": 42,
                    "referred_on": "2028-03-01",
                    "referred_by": "professional_representative",
                    "representative_name": "ClaimBack Ltd",
                    "fos_reference": "PNX-1234567",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        # The complaint comes in the body: the same 404 / 403 as a URL's object.
        complaint = get_scoped_object_or_404(
            Complaint.objects.all(), request.user, values.pop("complaint"), Perm.MANAGE_FOS
        )
        referral = services.referral_log(
            complaint_id=complaint.pk, actor=request.user, now=timezone.now(), **values
        )
        return Response(_detail(referral.pk), status=status.HTTP_201_CREATED)


class ReferralDetail(ReferralScoped):
    required_perm = READ

    @extend_schema(
        tags=TAG,
        summary="A FOS referral with its checklist, stages and deadlines",
        responses={200: ReferralDetailSerializer, **error_responses(403, 404)},
    )
    def get(self, request, pk: int):
        return Response(_detail(self.scoped_object.pk))


def _detail_of(call: ActionCall, _: object) -> dict:
    return _detail(call.obj.pk)


def _stage_action(action: str) -> ApiAction:
    spec = guards.ACTIONS[action]
    return ApiAction(
        action.replace("_", "-"),
        services.STAGE_SERVICES[action],
        f"Stage: {spec.label}",
        input=action_serializer(action),
        description=spec.help,
        operation_id=f"fos_referral_{action}",
    )


REFERRAL_ACTIONS = ApiActions(
    [
        *(_stage_action(action) for action in guards.ACTIONS),
        ApiAction(
            "award",
            services.referral_record_award,
            "Record the money award, interest basis and directions",
            input=AwardSerializer,
            description="The limit comes from the table keyed by referral date (DISP 3.7.4R); "
            "any excess is recorded as a recommendation (FSMA s.229(5)).",
            examples=[
                OpenApiExample(
                    "Award with directions",
                    value={"amount": "3400.00", "directions": "Refund the fee and pay £150."},
                    request_only=True,
                )
            ],
        ),
        ApiAction(
            "consent",
            services.referral_record_time_limit_consent,
            "Consent to the FOS considering the complaint out of time",
            input=ConsentSerializer,
            description="DISP 2.8.2R(5). Irrevocable (DISP 2.8.2AR): `consents: false` after "
            "consent is refused with `consent_irrevocable`.",
        ),
        ApiAction(
            "chargeable-date",
            services.referral_set_chargeable_date,
            "Record when the FOS made this a chargeable case",
            input=ChargeableSerializer,
            url_name="chargeable",
        ),
        ApiAction(
            "reference",
            services.referral_set_reference,
            "Set the FOS case reference",
            input=ReferenceSerializer,
        ),
        ApiAction(
            "checklist",
            services.referral_recompute_checklist,
            "Recompute the jurisdiction checklist from the complaint",
            errors=(403, 404),
        ),
    ],
    base=ReferralScoped,
    id_keyword="referral_id",
    response=ReferralDetailSerializer,
    render=_detail_of,
    name="Referral",
    tags=TAG,
)


class ReferralDeadlines(ReferralScoped):
    required_perm = READ_MANAGE

    @extend_schema(
        tags=TAG,
        summary="A referral's FOS deadlines",
        responses={200: DeadlineSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request, pk: int):
        referral = self.scoped_object
        return Response(DeadlineSerializer(referral.deadlines.all(), many=True).data)

    post = action_post(
        ApiAction(
            "deadlines",
            services.fos_deadline_add,
            "Record a deadline the FOS set the firm",
            input=DeadlineCreateSerializer,
            examples=[
                OpenApiExample(
                    "Case file request",
                    value={
                        "description": "Send the case file",
                        "due_on": "2028-03-15",
                        "source": "FOS email of 1 Mar 2028",
                    },
                    request_only=True,
                )
            ],
            errors=(400, 403, 404),
            status=status.HTTP_201_CREATED,
            response=DeadlineSerializer,
            render=lambda _, deadline: DeadlineSerializer(deadline).data,
        ),
        id_keyword="referral_id",
        tags=TAG,
    )


@extend_schema(parameters=[path_param("id", "The FOS deadline's id (another firm's is a 404).")])
class DeadlineScoped(FosApiView):
    scoped_model = FosDeadline
    scoped_object: FosDeadline  # set by HasFirmPerm
    required_perm = MANAGE


DEADLINE_ACTIONS = ApiActions(
    [
        ApiAction(
            "complete",
            services.fos_deadline_complete,
            "Mark a FOS deadline as met",
            errors=(403, 404, 409),
        )
    ],
    base=DeadlineScoped,
    id_keyword="deadline_id",
    response=DeadlineSerializer,
    render=lambda _, deadline: DeadlineSerializer(deadline).data,
    name="Deadline",
    tags=TAG,
)


class OpenDeadlines(FosApiView):
    @extend_schema(
        tags=TAG,
        summary="Open FOS deadlines across the user's firms, nearest first",
        responses={200: OpenDeadlineSerializer(many=True), **error_responses(403)},
    )
    def get(self, request):
        rows = selectors.open_fos_deadlines(request.firm_ids, london_date(timezone.now()))
        return Response(OpenDeadlineSerializer(rows, many=True).data)


class FeeLedger(FosApiView):
    @extend_schema(
        tags=TAG,
        summary="A firm's FOS case-fee ledger by financial year",
        parameters=[OpenApiParameter("firm", int, required=True)],
        responses={200: LedgerYearSerializer(many=True), **error_responses(400, 403, 404)},
    )
    def get(self, request):
        raw = request.query_params.get("firm", "")
        if not raw.isdigit():
            raise exceptions.ValidationError({"firm": ["Give the firm's id."]})
        firm = access.get_firm_or_404(request.user, int(raw), Perm.VIEW_COMPLAINTS)
        return Response(LedgerYearSerializer(firm_ledger(firm.pk), many=True).data)


class CaseFile(ReferralScoped):
    required_perm = READ

    @extend_schema(
        tags=TAG,
        summary="Download the FOS case file (ZIP)",
        responses={(200, "application/zip"): OpenApiTypes.BINARY, **error_responses(403, 404)},
    )
    def get(self, request, pk: int):
        referral = self.scoped_object
        filename, data = build_case_file(referral, now=timezone.now())
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
