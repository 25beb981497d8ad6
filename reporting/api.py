"""REST API for SUP 16.34 reporting: thin views over selectors and services (common.api
conventions: one error shape, page-number pagination, another firm's object is a 404)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import BlankChoices, StandardPagination, error_responses, page_response, paginated
from common.api_actions import ApiAction, ApiActions, action_post
from common.api_jobs import UploadJobSerializer
from common.errors import ValidationFailed
from common.inputs import JSONParser
from complaints.access import HasFirmPerm, Perm
from complaints.api.converters import path_int, path_param
from complaints.models import Firm

from . import exports, selectors, services
from .choices import UpheldBasis
from .errors import ErrorCode
from .models import ClientPositionSnapshot, ReturnVersion, Sup16Return
from .tasks import snapshot_upload_start

# --- serializers -----------------------------------------------------------------------------


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(help_text="The reporting reference date.")
    due = serializers.DateField(help_text="20 business days after the end (SUP 16.34.5R).")
    is_stub = serializers.BooleanField()
    is_trial = serializers.BooleanField(help_text="Ends before the firm's reporting starts.")
    return_id = serializers.IntegerField(allow_null=True)
    latest_version = serializers.IntegerField(allow_null=True)
    latest_status = serializers.CharField(allow_null=True)
    submitted = serializers.BooleanField()


class SnapshotSerializer(BlankChoices):
    loaded_by = serializers.CharField(source="loaded_by.username", default=None)

    class Meta:
        model = ClientPositionSnapshot
        fields = [
            "id",
            "firm",
            "as_at",
            "is_nil",
            "nil_statement",
            "file_name",
            "file_format",
            "file_sha256",
            "file_size",
            "row_count",
            "loaded_by",
            "loaded_at",
            "load_seconds",
        ]


class SnapshotUploadSerializer(serializers.Serializer):
    as_at = serializers.DateField()
    file = serializers.FileField()


class VersionSerializer(BlankChoices):
    computed_by = serializers.CharField(source="computed_by.username", default=None)
    approved_by = serializers.CharField(source="approved_by.username", default=None)
    submitted_by = serializers.CharField(source="submitted_by.username", default=None)

    class Meta:
        model = ReturnVersion
        fields = [
            "number",
            "status",
            "complaints_received",
            "complaints_upheld",
            "active_clients",
            "vulnerable_active_retail_customers",
            "upheld_basis",
            "complaints_upheld_event",
            "complaints_upheld_cohort",
            "exempt_client_metrics",
            "snapshot",
            "exclusions",
            "flags",
            "changes",
            "reference_date_convention",
            "calendar_version",
            "computed_by",
            "computed_at",
            "approved_by",
            "approved_at",
            "submitted_by",
            "submitted_at",
            "submission_reference",
        ]


class ReturnSerializer(BlankChoices):
    latest_version = VersionSerializer()
    submitted_version = serializers.IntegerField(source="submitted_version.number", default=None)

    class Meta:
        model = Sup16Return
        fields = [
            "id",
            "firm",
            "period_start",
            "period_end",
            "due_date",
            "is_stub",
            "is_trial",
            "latest_version",
            "submitted_version",
        ]


class ReturnDetailSerializer(ReturnSerializer):
    versions = serializers.SerializerMethodField()

    class Meta(ReturnSerializer.Meta):
        fields = [*ReturnSerializer.Meta.fields, "versions"]

    def get_versions(self, obj) -> list[dict]:
        return [
            {"number": v.number, "status": v.status, "computed_at": v.computed_at}
            for v in selectors.versions_of(obj)
        ]


class ComputeSerializer(serializers.Serializer):
    period_end = serializers.DateField(help_text="A reporting reference date that has passed.")
    basis = serializers.ChoiceField(
        choices=UpheldBasis.choices, required=False, help_text="Override SUP16_UPHELD_BASIS."
    )


class SubmitSerializer(serializers.Serializer):
    submission_reference = serializers.CharField(max_length=100, required=False, default="")


# --- views -----------------------------------------------------------------------------------


# Access is complaints.access's HasFirmPerm: reading needs view_returns, computing and
# uploading prepare_returns, approving and recording the submission approve_returns. The firm,
# return or snapshot in the URL is ``self.scoped_object`` (another firm's is a 404).
READ = {"read": Perm.VIEW_RETURNS}
READ_PREPARE = {"read": Perm.VIEW_RETURNS, "POST": Perm.PREPARE_RETURNS}


class ReportingApiView(APIView):
    permission_classes = [HasFirmPerm]
    required_perm = READ
    scoped_object: Any  # set by HasFirmPerm before the handler runs


@extend_schema(parameters=[path_param("firm_id", "The firm's id (another firm's is a 404).")])
class FirmScoped(ReportingApiView):
    scoped_object: Firm
    scoped_model = Firm.objects.prefetch_related("activities")
    scoped_kwarg = "firm_id"
    firm_path = "pk"


@extend_schema(parameters=[path_param("id", "The return's id (another firm's is a 404).")])
class ReturnScoped(ReportingApiView):
    scoped_object: Sup16Return
    scoped_model = Sup16Return.objects.select_related("firm", "latest_version", "submitted_version")


def _date_param(request, name: str, default: date) -> date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(
            ErrorCode.VALIDATION, f"{name}: not a date.", fields={name: ["Use YYYY-MM-DD."]}
        ) from None


class PeriodsView(FirmScoped):
    @extend_schema(
        summary="Reporting periods of a firm",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="Default: a year ago"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Default: in six months"),
        ],
        responses={200: PeriodSerializer(many=True), **error_responses(400, 403, 404)},
        examples=[
            OpenApiExample(
                "E33 stub",
                response_only=True,
                value=[
                    {
                        "start": "2027-10-25",
                        "end": "2027-12-31",
                        "due": "2028-01-31",
                        "is_stub": True,
                        "is_trial": False,
                        "return_id": None,
                        "latest_version": None,
                        "latest_status": None,
                        "submitted": False,
                    }
                ],
            )
        ],
    )
    def get(self, request, firm_id: int):
        firm = self.scoped_object
        today = selectors.london_today()
        start = _date_param(request, "from", today - timedelta(days=365))
        end = _date_param(request, "to", today + timedelta(days=183))
        if end < start or (end - start).days > 3660:
            raise ValidationFailed(
                ErrorCode.VALIDATION,
                "from/to: up to ten years, from before to.",
                fields={"to": ["Must be after from and within ten years of it."]},
            )
        periods = list(selectors.firm_reporting_calendar(firm).periods_between(start, end))
        filings = {
            r.period_end: r
            for r in selectors.returns_of_firm(firm).filter(period_end__in=[p.end for p in periods])
        }
        data = []
        for p in periods:
            filing = filings.get(p.end)
            latest = filing.latest_version if filing else None
            data.append(
                {
                    "start": p.start,
                    "end": p.end,
                    "due": p.due,
                    "is_stub": p.is_stub,
                    "is_trial": p.is_trial,
                    "return_id": filing.pk if filing else None,
                    "latest_version": latest.number if latest else None,
                    "latest_status": latest.status if latest else None,
                    "submitted": bool(filing and filing.submitted_version_id),
                }
            )
        return Response(PeriodSerializer(data, many=True).data)


class SnapshotsView(FirmScoped):
    pagination_class = StandardPagination
    required_perm = READ_PREPARE
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Client position snapshots of a firm",
        responses={200: paginated(SnapshotSerializer), **error_responses(404)},
    )
    def get(self, request, firm_id: int):
        firm = self.scoped_object
        snapshots = selectors.snapshots_of_firm(firm).order_by("-as_at", "-loaded_at", "-id")
        return page_response(self, snapshots, SnapshotSerializer)

    @extend_schema(
        summary="Upload a client position snapshot (CSV or XLSX): queued as a job",
        description="Answers 202 at once with the upload job (its `Location`); poll "
        "GET /api/reporting/jobs/{id}/ for progress. The job checks every row first (all or "
        "nothing): a rejected file ends `failed` with the error and, in `result_url`, the "
        "rejection page listing every error. The same file for the same date answers 409 "
        "`upload_already_in_progress` while its job runs, `upload_already_imported` after.",
        request={"multipart/form-data": SnapshotUploadSerializer},
        responses={202: UploadJobSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, firm_id: int):
        firm = self.scoped_object
        form = SnapshotUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        job = snapshot_upload_start(
            firm=firm,
            as_at=form.validated_data["as_at"],
            file=form.validated_data["file"],
            actor=request.user,
            now=timezone.now(),
        )
        return Response(
            UploadJobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": f"/api/reporting/jobs/{job.pk}/"},
        )


class NilDeclarationSerializer(serializers.Serializer):
    as_at = serializers.DateField(help_text="A reporting reference date that has passed.")
    confirm = serializers.BooleanField(
        help_text="Must be true: the firm had no client with a qualifying cryptoasset activity "
        "arrangement at the end of that day."
    )
    note = serializers.CharField(max_length=1000, required=False, default="", allow_blank=True)


class NilDeclarationView(FirmScoped):
    required_perm = {"POST": Perm.PREPARE_RETURNS}
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        summary="Declare that the firm had no client arrangements at a period end (nil)",
        description="SUP 16.34.6R(3)-(4) are then 0 and the return can be approved. 201 with "
        "the declaration; 200 with the existing one when it is already the latest for that "
        "date; 400 with a code when refused (no confirmation, not a reference date, the "
        "period has not ended).",
        request=NilDeclarationSerializer,
        examples=[
            OpenApiExample("Nil", request_only=True, value={"as_at": "2028-03-31", "confirm": True})
        ],
        responses={
            201: SnapshotSerializer,
            200: SnapshotSerializer,
            **error_responses(400, 403, 404),
        },
    )
    def post(self, request, firm_id: int):
        form = NilDeclarationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        result = services.snapshot_declare_nil(
            firm=self.scoped_object, actor=request.user, now=timezone.now(), **form.validated_data
        )
        return Response(
            SnapshotSerializer(result.snapshot).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


@extend_schema(parameters=[path_param("number", "The version number (1, 2, ...) of the return.")])
class VersionScoped(ReturnScoped):
    pass


@extend_schema(parameters=[path_param("id", "The snapshot's id (another firm's is a 404).")])
class SnapshotDetailView(ReportingApiView):
    scoped_object: ClientPositionSnapshot
    scoped_model = ClientPositionSnapshot.objects.select_related("firm", "loaded_by")

    @extend_schema(
        summary="One snapshot", responses={200: SnapshotSerializer, **error_responses(403, 404)}
    )
    def get(self, request, pk: int):
        return Response(SnapshotSerializer(self.scoped_object).data)


class ReturnsView(FirmScoped):
    pagination_class = StandardPagination
    required_perm = READ_PREPARE
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        summary="Returns of a firm",
        responses={200: paginated(ReturnSerializer), **error_responses(404)},
    )
    def get(self, request, firm_id: int):
        firm = self.scoped_object
        qs = selectors.returns_of_firm(firm).select_related(
            "latest_version__computed_by",
            "latest_version__approved_by",
            "latest_version__submitted_by",
        )
        return page_response(self, qs.order_by("-period_end", "-id"), ReturnSerializer)

    post = action_post(
        ApiAction(
            "returns",
            services.return_compute,
            "Compute a return (a new version)",
            input=ComputeSerializer,
            examples=[
                OpenApiExample("Quarter", request_only=True, value={"period_end": "2028-03-31"})
            ],
            status=status.HTTP_201_CREATED,
        ),
        id_keyword=lambda call: {"firm": call.obj},
        response=ReturnSerializer,
        render=lambda call, version: ReturnSerializer(
            selectors.get_return_or_404(call.request.user, version.sup16_return_id)
        ).data,
    )


class ReturnDetailView(ReturnScoped):
    @extend_schema(
        summary="A return, its latest version and its version list",
        responses={200: ReturnDetailSerializer, **error_responses(403, 404)},
    )
    def get(self, request, pk: int):
        return Response(ReturnDetailSerializer(self.scoped_object).data)


class VersionDetailView(VersionScoped):
    @extend_schema(
        summary="One version of a return",
        responses={200: VersionSerializer, **error_responses(403, 404)},
    )
    def get(self, request, pk: int, number: int):
        number = path_int(number)
        filing = self.scoped_object
        return Response(VersionSerializer(selectors.get_version_or_404(filing, number)).data)


VERSION_ACTIONS = ApiActions(
    [
        ApiAction(
            "approve",
            services.return_approve,
            "Approve (freeze) the latest version: not by the person who computed it",
            perm=Perm.APPROVE_RETURNS,
            errors=(403, 404, 409),
        ),
        ApiAction(
            "submit",
            services.return_submit,
            "Record that an approved version was submitted to the FCA",
            input=SubmitSerializer,
            perm=Perm.APPROVE_RETURNS,
            parsers=[JSONParser, FormParser],
        ),
    ],
    base=VersionScoped,
    # The return and its version number: a bad number is a 404 before a bad body is a 400.
    id_keyword=lambda call: {"return_id": call.obj.pk, "version": path_int(call.kwargs["number"])},
    response=VersionSerializer,
    render=lambda _, version: VersionSerializer(version).data,
)


class ExportView(VersionScoped):
    @extend_schema(
        summary="Export a version with the SUP 16.34.6R data item references",
        parameters=[
            OpenApiParameter(
                "fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["json", "csv", "xlsx"]
            )
        ],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): OpenApiTypes.BINARY,
            **error_responses(403, 404),
        },
    )
    def get(self, request, pk: int, number: int, fmt: str):
        number = path_int(number)
        filing = self.scoped_object
        version = selectors.get_version_or_404(filing, number)
        if fmt == "json":
            return Response(exports.return_payload(version))
        return exports.download(version, fmt)
