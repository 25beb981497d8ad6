"""/api/imports/jobs/<id>/: a register preview or import job, and cancelling it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from common.api_jobs import JobCancelApi, JobDetailApi
from common.models import UploadJob
from complaints.access import HasFirmPerm, Perm
from complaints.api.converters import path_param

from .tasks import JOB_KINDS

_PK = path_param("id", "The job's id (another firm's is a 404).")


class _RegisterJobScoped(APIView):
    permission_classes = [HasFirmPerm]
    scoped_model = UploadJob.objects.filter(kind__in=JOB_KINDS).select_related("uploaded_by")
    scoped_object: Any


@extend_schema(parameters=[_PK], tags=["imports"])
class RegisterJobView(JobDetailApi, _RegisterJobScoped):
    required_perm = {"read": Perm.HANDLE_COMPLAINTS}


@extend_schema(parameters=[_PK], tags=["imports"])
class RegisterJobCancelView(JobCancelApi, _RegisterJobScoped):
    required_perm = {"POST": Perm.HANDLE_COMPLAINTS}
    job_kinds = JOB_KINDS
