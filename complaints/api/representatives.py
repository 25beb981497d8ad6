"""A complaint's complainant's representatives: list and record them, record evidence of their
authority, record that they stopped acting. Thin views over ``complaints.services``."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api import error_responses
from common.dates import london_date
from complaints import services
from complaints.access import Perm
from complaints.choices import RepresentativeKind
from complaints.models import Representative
from complaints.services import Authority, RepresentativeData

from .base import ID_PARAM, ComplaintApiView
from .converters import path_int

TAG = ["representatives"]
REP_PARAM = OpenApiParameter(
    "rep", int, OpenApiParameter.PATH, description="The representative's id."
)


class RepresentativeSerializer(serializers.ModelSerializer):
    is_professional = serializers.BooleanField(read_only=True)
    letters_go_to_them = serializers.SerializerMethodField()
    authority_problem = serializers.SerializerMethodField()

    class Meta:
        model = Representative
        fields = [
            "id",
            "kind",
            "name",
            "organisation",
            "address",
            "email",
            "regulator_reference",
            "is_professional",
            "receives_letters",
            "copy_to_complainant",
            "authority_document",
            "authority_reference",
            "authority_received_on",
            "authority_checked_by",
            "authority_checked_on",
            "authority_expires_on",
            "ended_on",
            "ended_reason",
            "letters_go_to_them",
            "authority_problem",
        ]
        read_only_fields = fields

    def _problem(self, rep: Representative) -> tuple[str, str] | None:
        return rep.authority_problem(self.context["today"])

    def get_letters_go_to_them(self, rep: Representative) -> bool:
        return rep.receives_letters and self._problem(rep) is None

    def get_authority_problem(self, rep: Representative) -> dict[str, str] | None:
        problem = self._problem(rep)
        return {"field": problem[0], "reason": problem[1]} if problem else None


class AuthorityInput(serializers.Serializer):
    authority_document = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    authority_reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100
    )
    authority_received_on = serializers.DateField(required=False, allow_null=True, default=None)
    authority_expires_on = serializers.DateField(required=False, allow_null=True, default=None)

    def authority(self) -> Authority:
        d = self.validated_data
        return Authority(
            document=d["authority_document"],
            reference=d["authority_reference"],
            received_on=d["authority_received_on"],
            expires_on=d["authority_expires_on"],
        )


class RepresentativeInput(AuthorityInput):
    kind = serializers.ChoiceField(choices=RepresentativeKind.choices)
    name = serializers.CharField(max_length=200)
    organisation = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    regulator_reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40
    )
    receives_letters = serializers.BooleanField(required=False, default=True)
    copy_to_complainant = serializers.BooleanField(required=False, default=False)

    def data(self) -> RepresentativeData:  # type: ignore[override]
        d = self.validated_data
        names = ("kind", "name", "organisation", "address", "email", "regulator_reference")
        return RepresentativeData(
            **{n: d[n] for n in names},
            receives_letters=d["receives_letters"],
            copy_to_complainant=d["copy_to_complainant"],
            authority=self.authority(),
        )


class EndInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)


def _body(rep: Representative, now) -> dict[str, Any]:
    return RepresentativeSerializer(rep, context={"today": london_date(now)}).data


class _RepresentativesView(ComplaintApiView):
    required_perm: Any = {"read": Perm.VIEW_COMPLAINTS, "write": Perm.HANDLE_COMPLAINTS}

    def rep_id(self, rep: str) -> int:
        pk = path_int(rep)
        complaint = self.scoped_object
        if not Representative.objects.filter(pk=pk, complainant_id=complaint.complainant_id):
            raise Http404
        return pk


class RepresentativeList(_RepresentativesView):
    serializer_class = RepresentativeSerializer

    @extend_schema(
        operation_id="representatives_list",
        summary="The complainant's representatives",
        description="Everyone recorded as acting for the complaint's complainant, with whether "
        "letters go to them today (authority on file, checked, unexpired: DISP 2.7.2R) and "
        "whether they are a professional representative for the FOS case fee.",
        parameters=[ID_PARAM],
        responses={200: RepresentativeSerializer(many=True), **error_responses(401, 403, 404)},
        tags=TAG,
    )
    def get(self, request, pk: str):
        reps = self.scoped_object.complainant.representatives.order_by("ended_on", "-created_at")
        today = london_date(timezone.now())
        return Response(RepresentativeSerializer(reps, many=True, context={"today": today}).data)

    @extend_schema(
        operation_id="representatives_create",
        summary="Record a representative",
        description="Evidence of authority given here is recorded as checked by the caller "
        "today. A claims management company or solicitor needs its FCA/SRA reference; one "
        "representative at a time receives the letters.",
        parameters=[ID_PARAM],
        request=RepresentativeInput,
        responses={201: RepresentativeSerializer, **error_responses(400, 401, 403, 404)},
        tags=TAG,
    )
    def post(self, request, pk: str):
        data = RepresentativeInput(data=request.data)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        rep = services.representative_add(
            complaint_id=self.scoped_object.pk, actor=request.user, now=now, data=data.data()
        )
        return Response(_body(rep, now), status=status.HTTP_201_CREATED)


class RepresentativeAuthority(_RepresentativesView):
    serializer_class = RepresentativeSerializer

    @extend_schema(
        operation_id="representatives_record_authority",
        summary="Record (renewed) evidence of a representative's authority",
        parameters=[ID_PARAM, REP_PARAM],
        request=AuthorityInput,
        responses={200: RepresentativeSerializer, **error_responses(400, 401, 403, 404)},
        tags=TAG,
    )
    def post(self, request, pk: str, rep: str):
        data = AuthorityInput(data=request.data)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        result = services.representative_record_authority(
            complaint_id=self.scoped_object.pk,
            representative_id=self.rep_id(rep),
            actor=request.user,
            now=now,
            authority=data.authority(),
        )
        return Response(_body(result, now))


class RepresentativeEnd(_RepresentativesView):
    serializer_class = RepresentativeSerializer

    @extend_schema(
        operation_id="representatives_end",
        summary="Record that a representative stopped acting",
        parameters=[ID_PARAM, REP_PARAM],
        request=EndInput,
        responses={200: RepresentativeSerializer, **error_responses(400, 401, 403, 404)},
        tags=TAG,
    )
    def post(self, request, pk: str, rep: str):
        data = EndInput(data=request.data)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        result = services.representative_end(
            complaint_id=self.scoped_object.pk,
            representative_id=self.rep_id(rep),
            actor=request.user,
            now=now,
            **data.validated_data,
        )
        return Response(_body(result, now))
