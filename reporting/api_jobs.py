"""/api/reporting/jobs/<id>/: a snapshot upload job, and cancelling it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from common.api_jobs import JobCancelApi, JobDetailApi
from common.models import UploadJob
from complaints.access import Perm
from complaints.api.converters import path_param

from .api import ReportingApiView
from .tasks import JOB_KINDS

_PK = path_param("id", "The job's id (another firm's is a 404).")


@extend_schema(parameters=[_PK], tags=["reporting"])
class SnapshotJobView(JobDetailApi, ReportingApiView):
    scoped_model = UploadJob.objects.filter(kind__in=JOB_KINDS).select_related("uploaded_by")
    required_perm = {"read": Perm.VIEW_RETURNS}


@extend_schema(parameters=[_PK], tags=["reporting"])
class SnapshotJobCancelView(JobCancelApi, ReportingApiView):
    scoped_model = UploadJob.objects.filter(kind__in=JOB_KINDS)
    required_perm = {"POST": Perm.PREPARE_RETURNS}
    job_kinds = JOB_KINDS
