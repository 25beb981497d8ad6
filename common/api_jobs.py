"""How the API shows an upload job (``common.models.UploadJob``); each app serves its own kinds."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from common.api import BlankChoices

from .api import error_responses
from .jobs import cancel_upload_job
from .models import UploadJob


class UploadJobSerializer(BlankChoices):
    uploaded_by = serializers.CharField(source="uploaded_by.username", default=None)
    progress = serializers.SerializerMethodField(
        help_text="Percent done when the row count is known, else null."
    )

    class Meta:
        model = UploadJob
        fields = [
            "id",
            "kind",
            "firm",
            "filename",
            "file_sha256",
            "file_size",
            "uploaded_by",
            "uploaded_at",
            "state",
            "stage",
            "rows_done",
            "rows_total",
            "progress",
            "error",
            "result_url",
            "result_note",
            "params",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job: UploadJob) -> int | None:
        if not job.rows_total:
            return None
        return min(100, job.rows_done * 100 // job.rows_total)


class JobDetailApi:
    """GET one job. The app's view adds its permission class, ``scoped_model`` (its own kinds)
    and ``required_perm``; the job is ``self.scoped_object``."""

    scoped_object: UploadJob

    @extend_schema(
        summary="An upload job: state, progress, error and result",
        responses={200: UploadJobSerializer, **error_responses(403, 404)},
    )
    def get(self, request, pk: int):
        return Response(UploadJobSerializer(self.scoped_object).data)


class JobCancelApi:
    """POST: cancel a queued or running job of the app's ``job_kinds``."""

    scoped_object: UploadJob
    job_kinds: tuple[str, ...]

    @extend_schema(
        summary="Cancel a queued or running upload job",
        description="Nothing is imported and the stored file is removed. A job that has "
        "already finished answers 409 job_finished.",
        request=None,
        responses={200: UploadJobSerializer, **error_responses(403, 404, 409)},
    )
    def post(self, request, pk: int):
        job = cancel_upload_job(
            job_id=self.scoped_object.pk,
            kinds=self.job_kinds,
            actor=request.user,
            now=timezone.now(),
        )
        return Response(UploadJobSerializer(job).data)
