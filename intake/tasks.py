"""Background work: register import jobs (docs/jobs.md "Upload jobs").

``register_preview``: the uploaded file is read, every row judged by the lifecycle's rules in
memory (``intake.services.plan``), and the preview batch recorded. ``register_commit``: a
confirmed batch is imported (every row judged again, then written set-based). Both report
progress and can be cancelled until they finish.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from common.jobs import JobRun, Upload, run_upload_job, start_job, start_upload_job
from common.models import UploadJob
from complaints.models import Firm

from .models import ImportBatch, ImportStatus
from .services import import_commit, import_preview

PREVIEW_JOB = "register_preview"
COMMIT_JOB = "register_commit"
JOB_KINDS = (PREVIEW_JOB, COMMIT_JOB)


def max_bytes() -> int:
    limit: int = getattr(settings, "INTAKE_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
    return limit


class _BatchJob:
    def __init__(self, run: JobRun, committing: bool) -> None:
        self.run, self.committing = run, committing

    def progress(self, done: int, *, total: int | None = None, stage: str = "") -> None:
        self.run.progress(done, total=total, stage=stage)

    def succeed(self, batch: ImportBatch) -> None:
        if not self.committing:
            note = (
                f"Preview ready: {batch.rows_ok} row(s) ready to import, "
                f"{batch.rows_duplicate} already in the register, {batch.rows_error} with errors."
            )
        elif batch.pk != self.run.params.get("batch_id"):
            note = "This file was imported before: nothing new was created."
        elif batch.status == ImportStatus.REJECTED:
            note = "Nothing was imported: some rows have errors (all-or-nothing)."
        else:
            note = f"Imported {batch.rows_ok} complaint(s)."
        self.run.succeed(
            result_url=reverse("intake:detail", args=[batch.pk]), note=note, rows=batch.rows_total
        )


def register_preview_start(*, firm: Firm, actor, now, file) -> UploadJob:
    """Store an uploaded register and queue its preview; the job (``queued``) at once."""
    return start_upload_job(
        kind=PREVIEW_JOB,
        firm=firm,
        actor=actor,
        now=now,
        upload=Upload(file, max_bytes(), "INTAKE_IMPORT_MAX_BYTES"),
        task=preview_register,
    )


def register_commit_start(*, batch: ImportBatch, actor, now, all_or_nothing: bool) -> UploadJob:
    """Queue the import of a previewed batch; a second confirm finds the first job."""
    return start_job(
        kind=COMMIT_JOB,
        firm=batch.firm,
        actor=actor,
        now=now,
        task=commit_register,
        params={
            "batch_id": batch.pk,
            "all_or_nothing": all_or_nothing,
            "filename": batch.filename,
        },
        dedupe_key=f"batch:{batch.pk}",
    )


def _preview(run: JobRun) -> None:
    job = run.job
    with run.open() as stream:
        content = stream.read(max_bytes() + 1)  # at most the upload cap: checked on upload
    import_preview(
        firm=Firm.objects.get(pk=job.firm_id),
        actor=job.uploaded_by,
        now=timezone.now(),
        filename=job.filename,
        content=content,
        job=_BatchJob(run, committing=False),
    )


def _commit(run: JobRun) -> None:
    import_commit(
        batch_id=run.params["batch_id"],
        actor=run.job.uploaded_by,
        now=timezone.now(),
        all_or_nothing=bool(run.params.get("all_or_nothing")),
        job=_BatchJob(run, committing=True),
    )


@shared_task(acks_late=True, name="intake.preview_register")
def preview_register(job_id: int) -> str:
    return run_upload_job(job_id, _preview)


@shared_task(acks_late=True, name="intake.commit_register")
def commit_register(job_id: int) -> str:
    return run_upload_job(job_id, _commit)
