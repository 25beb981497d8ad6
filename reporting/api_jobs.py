"""/api/reporting/jobs/<id>/: a snapshot upload job, and cancelling it."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from common.api import error_responses
from common.api_jobs import UploadJobSerializer
from common.jobs import cancel_upload_job
from common.models import UploadJob
from complaints.access import Perm
from complaints.api.converters import path_param

from .api import ReportingApiView
from .tasks import JOB_KINDS


@extend_schema(parameters=[path_param("id", "The job's id (another firm's is a 404).")])
class SnapshotJobView(ReportingApiView):
    scoped_object: UploadJob
    scoped_model = UploadJob.objects.filter(kind__in=JOB_KINDS).select_related("uploaded_by")
    required_perm = {"read": Perm.VIEW_RETURNS}

    @extend_schema(
        summary="A snapshot upload job: state, progress, error, result",
        responses={200: UploadJobSerializer, **error_responses(403, 404)},
        tags=["reporting"],
    )
    def get(self, request, pk: int):
        return Response(UploadJobSerializer(self.scoped_object).data)


@extend_schema(parameters=[path_param("id", "The job's id (another firm's is a 404).")])
class SnapshotJobCancelView(ReportingApiView):
    scoped_object: UploadJob
    scoped_model = UploadJob.objects.filter(kind__in=JOB_KINDS)
    required_perm = {"POST": Perm.PREPARE_RETURNS}

    @extend_schema(
        summary="Cancel a queued or running snapshot upload job",
        description="Nothing is imported and the stored file is removed. A job that has "
        "already finished answers 409 job_finished.",
        request=None,
        responses={200: UploadJobSerializer, **error_responses(403, 404, 409)},
        tags=["reporting"],
    )
    def post(self, request, pk: int):
        job = cancel_upload_job(
            job_id=self.scoped_object.pk, kinds=JOB_KINDS, actor=request.user, now=timezone.now()
        )
        return Response(UploadJobSerializer(job).data)
