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
from common.dates import london_date
from complaints import access
from complaints.access import Perm

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


def _referral(request, pk: int, *, manage: bool = False) -> Referral:
    referral = selectors.get_referral_or_404(request.user, pk)
    if manage and not access.has_perm(request.user, referral.firm_id, Perm.MANAGE_FOS):
        raise exceptions.PermissionDenied("Your role cannot act on FOS referrals.")
    return referral


def _detail(referral_id: int) -> dict:
    referral = (
        Referral.objects.select_related("complaint")
        .prefetch_related("stages", "deadlines")
        .get(pk=referral_id)
    )
    referral.compliance_overdue = referral.compliance_overdue(london_date(timezone.now()))
    return ReferralDetailSerializer(referral).data


class ReferralListCreate(GenericAPIView):
    serializer_class = ReferralSerializer

    def get_queryset(self):
        stage = self.request.query_params.get("stage")
        if stage and stage not in Stage.values:
            raise exceptions.ValidationError(
                {"stage": [f"Choose one of {', '.join(Stage.values)}."]}
            )
        return selectors.referral_list(
            access.firm_ids(self.request.user, Perm.VIEW_COMPLAINTS), stage=stage
        )

    @extend_schema(
        tags=TAG,
        summary="List FOS referrals",
        parameters=[OpenApiParameter("stage", str, enum=Stage.values, required=False)],
        responses={200: ReferralSerializer(many=True), **error_responses(400)},
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
        complaint = access.get_complaint_or_404(request.user, values.pop("complaint"))
        if not access.has_perm(request.user, complaint.firm_id, Perm.MANAGE_FOS):
            raise exceptions.PermissionDenied("Your role cannot act on FOS referrals.")
        referral = services.referral_log(
            complaint_id=complaint.pk, actor=request.user, now=timezone.now(), **values
        )
        return Response(_detail(referral.pk), status=status.HTTP_201_CREATED)


class ReferralDetail(APIView):
    @extend_schema(
        tags=TAG,
        summary="A FOS referral with its checklist, stages and deadlines",
        responses={200: ReferralDetailSerializer, **error_responses(404)},
    )
    def get(self, request, pk: int):
        return Response(_detail(_referral(request, pk).pk))


def _action_view(action: str) -> type[APIView]:
    spec = guards.ACTIONS[action]
    serializer = action_serializer(action)

    class StageActionView(APIView):
        @extend_schema(
            tags=TAG,
            summary=f"Stage: {spec.label}",
            description=spec.help,
            request=serializer,
            responses={200: ReferralDetailSerializer, **error_responses(400, 403, 404, 409)},
            operation_id=f"fos_referral_{action}",
        )
        def post(self, request, pk: int):
            referral = _referral(request, pk, manage=True)
            data = serializer(data=request.data)
            data.is_valid(raise_exception=True)
            services.STAGE_SERVICES[action](
                referral_id=referral.pk,
                actor=request.user,
                now=timezone.now(),
                **data.validated_data,
            )
            return Response(_detail(referral.pk))

    StageActionView.__name__ = f"{''.join(p.title() for p in action.split('_'))}View"
    return StageActionView


ACTION_VIEWS = {action: _action_view(action) for action in guards.ACTIONS}


class AwardView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Record the money award, interest basis and directions",
        description="The limit comes from the table keyed by referral date (DISP 3.7.4R); any "
        "excess is recorded as a recommendation (FSMA s.229(5)).",
        request=AwardSerializer,
        responses={200: ReferralDetailSerializer, **error_responses(400, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Award with directions",
                value={"amount": "3400.00", "directions": "Refund the fee and pay £150."},
                request_only=True,
            )
        ],
    )
    def post(self, request, pk: int):
        referral = _referral(request, pk, manage=True)
        data = AwardSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.referral_record_award(
            referral_id=referral.pk, actor=request.user, now=timezone.now(), **data.validated_data
        )
        return Response(_detail(referral.pk))


class ConsentView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Consent to the FOS considering the complaint out of time",
        description="DISP 2.8.2R(5). Irrevocable (DISP 2.8.2AR): `consents: false` after consent "
        "is refused with `consent_irrevocable`.",
        request=ConsentSerializer,
        responses={200: ReferralDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        referral = _referral(request, pk, manage=True)
        data = ConsentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.referral_record_time_limit_consent(
            referral_id=referral.pk, actor=request.user, now=timezone.now(), **data.validated_data
        )
        return Response(_detail(referral.pk))


class ChargeableView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Record when the FOS made this a chargeable case",
        request=ChargeableSerializer,
        responses={200: ReferralDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        referral = _referral(request, pk, manage=True)
        data = ChargeableSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.referral_set_chargeable_date(
            referral_id=referral.pk, actor=request.user, now=timezone.now(), **data.validated_data
        )
        return Response(_detail(referral.pk))


class ReferenceView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Set the FOS case reference",
        request=ReferenceSerializer,
        responses={200: ReferralDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        referral = _referral(request, pk, manage=True)
        data = ReferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.referral_set_reference(
            referral_id=referral.pk, actor=request.user, now=timezone.now(), **data.validated_data
        )
        return Response(_detail(referral.pk))


class ChecklistView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Recompute the jurisdiction checklist from the complaint",
        request=None,
        responses={200: ReferralDetailSerializer, **error_responses(403, 404)},
    )
    def post(self, request, pk: int):
        referral = _referral(request, pk, manage=True)
        services.referral_recompute_checklist(
            referral_id=referral.pk, actor=request.user, now=timezone.now()
        )
        return Response(_detail(referral.pk))


class ReferralDeadlines(APIView):
    @extend_schema(
        tags=TAG,
        summary="A referral's FOS deadlines",
        responses={200: DeadlineSerializer(many=True), **error_responses(404)},
    )
    def get(self, request, pk: int):
        referral = _referral(request, pk)
        return Response(DeadlineSerializer(referral.deadlines.all(), many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Record a deadline the FOS set the firm",
        request=DeadlineCreateSerializer,
        responses={201: DeadlineSerializer, **error_responses(400, 403, 404)},
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
    )
    def post(self, request, pk: int):
        referral = _referral(request, pk, manage=True)
        data = DeadlineCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deadline = services.fos_deadline_add(
            referral_id=referral.pk, actor=request.user, now=timezone.now(), **data.validated_data
        )
        return Response(DeadlineSerializer(deadline).data, status=status.HTTP_201_CREATED)


class DeadlineComplete(APIView):
    @extend_schema(
        tags=TAG,
        summary="Mark a FOS deadline as met",
        request=None,
        responses={200: DeadlineSerializer, **error_responses(403, 404, 409)},
    )
    def post(self, request, pk: int):
        deadline = FosDeadline.objects.filter(
            pk=pk, firm_id__in=access.firm_ids(request.user, Perm.VIEW_COMPLAINTS)
        ).first()
        if deadline is None:
            raise exceptions.NotFound()
        if not access.has_perm(request.user, deadline.firm_id, Perm.MANAGE_FOS):
            raise exceptions.PermissionDenied("Your role cannot act on FOS referrals.")
        deadline = services.fos_deadline_complete(
            deadline_id=deadline.pk, actor=request.user, now=timezone.now()
        )
        return Response(DeadlineSerializer(deadline).data)


class OpenDeadlines(APIView):
    @extend_schema(
        tags=TAG,
        summary="Open FOS deadlines across the user's firms, nearest first",
        responses={200: OpenDeadlineSerializer(many=True)},
    )
    def get(self, request):
        rows = selectors.open_fos_deadlines(
            access.firm_ids(request.user, Perm.VIEW_COMPLAINTS), london_date(timezone.now())
        )
        return Response(OpenDeadlineSerializer(rows, many=True).data)


class FeeLedger(APIView):
    @extend_schema(
        tags=TAG,
        summary="A firm's FOS case-fee ledger by financial year",
        parameters=[OpenApiParameter("firm", int, required=True)],
        responses={200: LedgerYearSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request):
        raw = request.query_params.get("firm", "")
        if not raw.isdigit():
            raise exceptions.ValidationError({"firm": ["Give the firm's id."]})
        firm = access.get_firm_or_404(request.user, int(raw), Perm.VIEW_COMPLAINTS)
        return Response(LedgerYearSerializer(firm_ledger(firm.pk), many=True).data)


class CaseFile(APIView):
    @extend_schema(
        tags=TAG,
        summary="Download the FOS case file (ZIP)",
        responses={(200, "application/zip"): OpenApiTypes.BINARY, **error_responses(404)},
    )
    def get(self, request, pk: int):
        referral = _referral(request, pk)
        filename, data = build_case_file(referral, now=timezone.now())
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
