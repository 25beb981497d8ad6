"""How the API shows an upload job (``common.models.UploadJob``); each app serves its own kinds."""

from __future__ import annotations

from rest_framework import serializers

from .models import UploadJob


class UploadJobSerializer(serializers.ModelSerializer):
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
