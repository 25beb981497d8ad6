"""Background work: the client position snapshot upload job (docs/jobs.md "Upload jobs")."""

from __future__ import annotations

from datetime import date, datetime

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from common.errors import ConflictError
from common.jobs import JobErrorCode, JobRun, Upload, run_upload_job, start_upload_job
from common.models import UploadJob
from complaints.access import Perm

from . import services
from .imports import Source
from .models import ClientPositionSnapshot
from .services.permissions import require_firm_perm
from .services.snapshots import require_reference_date

SNAPSHOT_JOB = "snapshot"
JOB_KINDS = (SNAPSHOT_JOB,)


def max_bytes() -> int:
    limit: int = getattr(settings, "REPORTING_SNAPSHOT_MAX_BYTES", 512 * 1024 * 1024)
    return limit


def snapshot_upload_start(*, firm, as_at: date, file, actor, now: datetime) -> UploadJob:
    """Store an uploaded snapshot and queue its import; the job (``queued``) at once.

    Refused at once: no permission, not a reference date, not CSV/XLSX, too large. The same
    file for the same firm and date while its job is queued or running answers
    ``upload_already_in_progress``; once imported, ``upload_already_imported`` (409, both)."""
    require_firm_perm(actor, firm, Perm.PREPARE_RETURNS)
    require_reference_date(firm, as_at)

    def dedupe(sha: str) -> str:
        loaded = ClientPositionSnapshot.objects.filter(firm=firm, as_at=as_at, file_sha256=sha)
        if (snapshot := loaded.first()) is not None:
            raise ConflictError(
                JobErrorCode.ALREADY_IMPORTED,
                f"This file was already imported for {as_at.isoformat()}; nothing changed.",
                extra={"result_url": reverse("reporting:snapshot_detail", args=[snapshot.pk])},
            )
        return f"{as_at.isoformat()}:{sha}"

    return start_upload_job(
        kind=SNAPSHOT_JOB,
        firm=firm,
        actor=actor,
        now=now,
        upload=Upload(file, max_bytes(), "REPORTING_SNAPSHOT_MAX_BYTES"),
        task=import_snapshot,
        params={"as_at": as_at.isoformat()},
        dedupe=dedupe,
    )


class _SnapshotJob:
    """The job's hooks as the snapshot import wants them."""

    def __init__(self, run: JobRun) -> None:
        self.run = run

    def progress(self, done: int, *, total: int | None = None, stage: str = "") -> None:
        self.run.progress(done, total=total, stage=stage)

    def succeed(self, snapshot, *, created: bool) -> None:
        note = (
            f"Imported {snapshot.row_count:,} rows."
            if created
            else "This file was already imported for that date; nothing changed."
        )
        self.run.succeed(
            result_url=reverse("reporting:snapshot_detail", args=[snapshot.pk]),
            note=note,
            rows=snapshot.row_count,
        )


def _import_snapshot(run: JobRun) -> None:
    from complaints.models import Firm

    job = run.job
    source = Source(name=job.filename, format=run.params["format"], open=run.open)
    try:
        services.snapshot_import(
            firm=Firm.objects.get(pk=job.firm_id),
            as_at=date.fromisoformat(run.params["as_at"]),
            source=source,
            actor=job.uploaded_by,
            now=timezone.now(),
            job=_SnapshotJob(run),
        )
    except services.ImportRejected as exc:
        run.result_url = reverse("reporting:rejection_detail", args=[exc.rejection.pk])
        raise


@shared_task(acks_late=True, name="reporting.import_snapshot")
def import_snapshot(job_id: int) -> str:
    return run_upload_job(job_id, _import_snapshot)
