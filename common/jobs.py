"""Upload jobs: the request stores the file and answers at once; a task imports it.

``start_upload_job`` hashes the upload, refuses the same file for the same purpose while a job
for it is queued, running or done (the partial unique index on ``UploadJob`` decides between
concurrent uploads), stores the file under a random name and writes an outbox intent that
publishes the task once the job is committed (``publish_upload_job``): with the broker down at
upload time the job stays ``queued`` and the outbox sweep publishes it when the broker is back.
``run_upload_job`` is the task's body: it claims the job, hands the app's ``work`` a
``JobRun`` (the file, progress, cancellation), records how it ended and always removes the
stored file: on success, failure and cancel. ``cancel_upload_job`` is the cancel use case.

Progress and the cancel check go through a second database connection of their own, so they are
seen while the import's own transaction is still open. The end of a job is written inside the
import's final transaction (``JobRun.succeed``) with the job row locked: a cancel that arrives
first rolls the import back, one that arrives later is refused ("already finished").
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import IO, TYPE_CHECKING, Any

from celery import current_app
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone

from . import outbox
from .audit import history_user
from .errors import ConflictError, DomainError, NotFound, ValidationFailed
from .models import JobState, UploadJob
from .queueing import enqueue
from .spreadsheets import SpreadsheetError
from .uploads import spreadsheet_format

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 500  # rows between progress writes (and cancel checks)
HASH_CHUNK = 1 << 20


class JobErrorCode(StrEnum):
    UPLOAD_INVALID = "upload_invalid"
    ALREADY_IN_PROGRESS = "upload_already_in_progress"
    ALREADY_IMPORTED = "upload_already_imported"
    JOB_FINISHED = "job_finished"
    NOT_FOUND = "not_found"


class JobCancelled(Exception):
    """Raised inside a job once someone cancelled it: the import's transaction rolls back."""


class DuplicateUpload(ConflictError):
    """The same file for the same purpose already has a job (``job``)."""

    def __init__(self, job: UploadJob) -> None:
        if job.is_active:
            code, message = (
                JobErrorCode.ALREADY_IN_PROGRESS,
                f"{job.filename}: this file is already being imported (job {job.pk}); "
                "nothing new was started.",
            )
        else:
            code, message = (
                JobErrorCode.ALREADY_IMPORTED,
                f"{job.filename}: this file was already imported (job {job.pk}); nothing changed.",
            )
        super().__init__(
            code,
            message,
            extra={"job_id": job.pk, "job_state": job.state, "result_url": job.result_url},
        )
        self.job = job


@dataclass(frozen=True)
class Upload:
    """What a request hands over: the uploaded file (Django's, streamed to disk when large)."""

    file: UploadedFile
    max_bytes: int
    max_bytes_setting: str


def _hash(upload: UploadedFile) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks(HASH_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(JobErrorCode.UPLOAD_INVALID, message, fields={"file": [message]})


def start_upload_job(
    *,
    kind: str,
    firm: Any,
    actor: Any,
    now: datetime,
    upload: Upload,
    task: Any,
    params: dict[str, Any] | None = None,
    dedupe: Callable[[str], str] | None = None,
) -> UploadJob:
    """Store the upload and queue ``task(job_id)`` through the outbox; the job, ``queued``.

    ``dedupe(sha256)`` gives the key under which a second upload is refused (``DuplicateUpload``,
    409) while the first is queued, running or finished; None never refuses."""
    file = upload.file
    name = (file.name or "").rsplit("/", 1)[-1][:255]
    file_format = spreadsheet_format(name)
    if not file_format:
        raise _refuse("Upload a .csv or .xlsx file.")
    if not file.size:
        raise _refuse("The file is empty.")
    if file.size > upload.max_bytes:
        raise _refuse(
            f"At most {upload.max_bytes // (1024 * 1024)} MB ({upload.max_bytes_setting})."
        )
    sha, size = _hash(file)
    key = dedupe(sha) if dedupe else ""
    existing = _existing(kind, firm, key)
    if existing is not None:
        raise DuplicateUpload(existing)
    stored = default_storage.save(f"uploads/{uuid.uuid4().hex}.{file_format}", file)
    job = UploadJob(
        kind=kind,
        firm=firm,
        uploaded_by=history_user(actor),
        uploaded_at=now,
        file=stored,
        filename=name,
        file_sha256=sha,
        file_size=size,
        params={**(params or {}), "format": file_format},
        dedupe_key=key,
    )
    return _save_and_queue(job, task)


def job_key(job_id: int) -> str:
    """The outbox key of a job's "publish my task" intent."""
    return f"upload-job:{job_id}"


def _queue(job: UploadJob, task: Any) -> None:
    outbox.write(publish_upload_job, key=job_key(job.pk), job=job.pk, task=task.name)


@outbox.handler
def publish_upload_job(payload: dict[str, Any], now: datetime) -> str | None:
    """Outbox handler: publish the job's task (found by name) while the job is still queued;
    a reason when the broker did not take it, so the sweep tries again later."""
    job_id = int(payload["job"])
    if not UploadJob.objects.filter(pk=job_id, state=JobState.QUEUED).exists():
        return None  # cancelled (or already picked up): nothing to publish
    app = current_app
    if payload["task"] not in app.tasks:  # e.g. `manage.py sweep_outbox`: not imported yet
        app.loader.import_default_modules()
    task = app.tasks[payload["task"]]
    if app.conf.task_always_eager:
        # No broker (the demo, tests): "publishing" runs the import right here, inside the
        # outbox delivery transaction. The import claims the job row in this transaction, then
        # writes progress to that same row through a second connection, which would wait on
        # this transaction forever. There is no broker that could be down, so nothing needs
        # retrying: run it once this transaction has committed, in autocommit as before.
        transaction.on_commit(partial(enqueue, task, job_id))
        return None
    if not enqueue(task, job_id):
        return f"The broker did not take {task.name} for job {job_id}."
    return None


def _existing(kind: str, firm: Any, key: str) -> UploadJob | None:
    if not key:
        return None
    return (
        UploadJob.objects.filter(
            kind=kind,
            firm=firm,
            dedupe_key=key,
            state__in=[JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED],
        )
        .order_by("-id")
        .first()
    )


def start_job(
    *,
    kind: str,
    firm: Any,
    actor: Any,
    now: datetime,
    task: Any,
    params: dict[str, Any],
    dedupe_key: str = "",
) -> UploadJob:
    """A job without a file (confirming a previewed register), queued through the outbox; a second
    one under the same ``dedupe_key`` is refused (``DuplicateUpload``)."""
    if (existing := _existing(kind, firm, dedupe_key)) is not None:
        raise DuplicateUpload(existing)
    job = UploadJob(
        kind=kind,
        firm=firm,
        uploaded_by=history_user(actor),
        uploaded_at=now,
        filename=str(params.get("filename", ""))[:255],
        params=params,
        dedupe_key=dedupe_key,
    )
    return _save_and_queue(job, task)


def _save_and_queue(job: UploadJob, task: Any) -> UploadJob:
    """Save ``job`` and queue its task in one transaction. A concurrent job for the same file or
    purpose that committed first (we waited on the partial unique index) makes this one a
    ``DuplicateUpload``, and its stored file, if any, is removed."""
    try:
        with transaction.atomic():
            job.save()
            _queue(job, task)
    except IntegrityError:
        stored = job.file.name
        if stored:
            default_storage.delete(stored)
        found = _existing(job.kind, job.firm, job.dedupe_key)
        if found is None:  # pragma: no cover - it committed, so it is there unless cancelled
            if stored:
                raise _refuse("The same file was uploaded at the same moment: try again.") from None
            raise
        raise DuplicateUpload(found) from None
    return job


class JobRun:
    """What a job's ``work`` gets: the file, ``progress`` (which also notices a cancel) and
    ``succeed`` (to call inside the import's last transaction)."""

    def __init__(self, job: UploadJob) -> None:
        self.job = job
        self.result_url = ""  # where a failure's details are (e.g. a rejection page)
        self._side: Any = None
        self._last = -PROGRESS_EVERY
        self._stage = job.stage

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def open(self) -> IO[bytes]:
        """A fresh binary stream over the stored file (call again to read it again)."""
        return default_storage.open(self.job.file.name or "", "rb")

    def progress(self, done: int, *, total: int | None = None, stage: str = "") -> None:
        """Record how far the job has got, now and then; raise ``JobCancelled`` once cancelled."""
        stage = stage or self._stage
        if done - self._last < PROGRESS_EVERY and stage == self._stage:
            return
        self._last, self._stage = done, stage
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = UploadJob._meta.db_table
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_done = %s, rows_total = COALESCE(%s, rows_total), "
                "stage = %s WHERE id = %s RETURNING state",
                [done, total, stage, self.job.pk],
            )
            found = cursor.fetchone()
        # No row: the job row is not committed yet (the task ran inside the request's own
        # transaction, as in eager mode); nobody else can have cancelled it.
        if found is not None and found[0] == JobState.CANCELLED:
            raise JobCancelled

    def succeed(self, *, result_url: str, note: str = "", rows: int | None = None) -> None:
        """Inside the import's final transaction: lock the job; a cancel that came first rolls
        the import back (``JobCancelled``), else the job is recorded as finished with it."""
        job = UploadJob.objects.select_for_update().get(pk=self.job.pk)
        if job.state == JobState.CANCELLED:
            raise JobCancelled
        done = rows if rows is not None else job.rows_done
        UploadJob.objects.filter(pk=job.pk).update(
            state=JobState.SUCCEEDED,
            stage="",
            result_url=result_url[:200],
            result_note=note[:300],
            rows_done=done,
            rows_total=done,
            error="",
            finished_at=timezone.now(),
        )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def run_upload_job(job_id: int, work: Callable[[JobRun], None]) -> str:
    """The body of every upload task: claim the job, run ``work``, record the end, remove the
    file. Returns the job's final state. A job already finished or cancelled is left alone; one
    still ``running`` (its worker died, the broker redelivered it) is run again: the imports are
    idempotent."""
    claimed = UploadJob.objects.filter(
        pk=job_id, state__in=[JobState.QUEUED, JobState.RUNNING]
    ).update(state=JobState.RUNNING, started_at=timezone.now())
    job = UploadJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    if not claimed:
        _remove_file(job)
        return job.state
    run = JobRun(job)
    try:
        work(run)
    except JobCancelled:
        pass
    except (DomainError, SpreadsheetError) as exc:
        _fail(job, exc.message, run.result_url)
    except Exception:
        logger.exception("Upload job %s (%s) stopped on an unexpected error.", job.pk, job.kind)
        _fail(job, f"The import stopped on an unexpected error (logged as job {job.pk}).", "")
    finally:
        run.close()
        _remove_file(job)
    job.refresh_from_db()
    return job.state


def _fail(job: UploadJob, message: str, result_url: str) -> None:
    UploadJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
        state=JobState.FAILED,
        error=message[:5000],
        result_url=result_url[:200],
        finished_at=timezone.now(),
    )


def _remove_file(job: UploadJob) -> None:
    name = job.file.name
    if not name:
        return
    try:
        default_storage.delete(name)
    except OSError:  # pragma: no cover - logged with the job's id for an operator to remove
        logger.exception("Could not remove the upload of job %s.", job.pk)
        return
    UploadJob.objects.filter(pk=job.pk).update(file="")
    job.file.name = ""


def cancel_upload_job(
    *, job_id: int, kinds: tuple[str, ...], actor: Any, now: datetime
) -> UploadJob:
    """Cancel a queued or running job. A queued one's file goes at once; a running one stops at
    its next progress check and rolls back, and its task removes the file."""
    with transaction.atomic():
        job = UploadJob.objects.select_for_update().filter(pk=job_id, kind__in=kinds).first()
        if job is None:
            raise NotFound(JobErrorCode.NOT_FOUND, "No such job.")
        if not job.is_active:
            ended = {"succeeded": "finished", "failed": "failed"}
            raise ConflictError(
                JobErrorCode.JOB_FINISHED,
                f"This job has already {ended.get(job.state, 'been cancelled')}: "
                "nothing to cancel.",
                extra={"job_id": job.pk, "job_state": job.state},
            )
        was_queued = job.state == JobState.QUEUED
        job.state = JobState.CANCELLED
        job.finished_at = now
        job.cancelled_by = history_user(actor)
        job.error = "Cancelled before it finished: nothing was imported."
        job.save(update_fields=["state", "finished_at", "cancelled_by", "error"])
        if was_queued:
            transaction.on_commit(lambda: _remove_file(job))
    return job
