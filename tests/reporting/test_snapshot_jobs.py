"""Snapshot uploads are background jobs (issue 15 item 2): the request stores the file and
answers at once; the job imports it, shows its progress, can be cancelled, and removes the
file on success, failure and cancel. Ten concurrent uploads of one file make one import."""

import io
import threading
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from common.errors import ConflictError
from common.models import UploadJob
from reporting import tasks
from reporting.imports import HEADER
from reporting.models import ClientPositionRow, ClientPositionSnapshot, ImportRejection
from tests.factories import FirmFactory, MembershipFactory
from tests.notifications.conftest import celery_worker, wait_for
from tests.reporting.helpers import csv_bytes, position

__all__ = ["celery_worker"]  # the real worker fixture, shared with tests/notifications

AS_AT = date(2028, 3, 31)


def api_url(firm):
    return f"/api/reporting/firms/{firm.pk}/snapshots/"


def upload(data: bytes, name: str = "positions.csv"):
    file = io.BytesIO(data)
    file.name = name
    return file


def stored(job: UploadJob) -> bool:
    return bool(job.file.name) and default_storage.exists(job.file.name)


def big_csv(rows: int) -> bytes:
    lines = [",".join(HEADER)]
    lines += [f"C{i},true,false,no,A{i},operating_catp,open,1.5" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.django_db
class TestJobLifecycle:
    def test_the_upload_answers_at_once_with_a_queued_job_and_the_file_goes_on_success(
        self, client, firm, officer, django_capture_on_commit_callbacks
    ):
        client.force_login(officer)
        data = csv_bytes([position("A", "A1"), position("B", "B1")])
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = client.post(api_url(firm), {"as_at": "2028-03-31", "file": upload(data)})
        assert response.status_code == 202
        body = response.json()
        assert body["state"] == "queued" and body["rows_done"] == 0
        assert body["uploaded_by"] == officer.username and body["filename"] == "positions.csv"
        job = UploadJob.objects.get(pk=body["id"])
        assert stored(job) and not ClientPositionSnapshot.objects.exists()
        assert len(queued) == 1
        with django_capture_on_commit_callbacks(execute=True):  # the outbox publishes
            queued[0]()  # the worker picks the job up
        job.refresh_from_db()
        snapshot = ClientPositionSnapshot.objects.get()
        assert (job.state, job.rows_done, job.rows_total) == ("succeeded", 2, 2)
        assert job.result_url == reverse("reporting:snapshot_detail", args=[snapshot.pk])
        assert job.file.name == "" and not list(default_storage.listdir("uploads")[1])
        got = client.get(response["Location"]).json()
        assert got["state"] == "succeeded" and got["progress"] == 100

    def test_a_rejected_file_fails_its_job_with_every_error_and_the_file_goes(
        self, client, firm, officer, django_capture_on_commit_callbacks
    ):
        client.force_login(officer)
        bad = csv_bytes([("A", "maybe", "false", "no", "A1", "mining", "open", "1")])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(api_url(firm), {"as_at": "2028-03-31", "file": upload(bad)})
        job = UploadJob.objects.get(pk=response.json()["id"])
        rejection = ImportRejection.objects.get()
        assert job.state == "failed" and "2 error(s) in 1 row(s)" in job.error
        assert job.result_url == reverse("reporting:rejection_detail", args=[rejection.pk])
        assert job.file.name == "" and not list(default_storage.listdir("uploads")[1])

    def test_cancelling_a_queued_job_removes_its_file_and_imports_nothing(
        self, client, firm, officer, django_capture_on_commit_callbacks
    ):
        client.force_login(officer)
        data = csv_bytes([position("A", "A1")])
        with django_capture_on_commit_callbacks(execute=False) as queued:
            job_id = client.post(api_url(firm), {"as_at": "2028-03-31", "file": upload(data)})
        job = UploadJob.objects.get(pk=job_id.json()["id"])
        with django_capture_on_commit_callbacks(execute=True):
            cancelled = client.post(f"/api/reporting/jobs/{job.pk}/cancel/")
        assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
        job.refresh_from_db()
        assert job.file.name == "" and not list(default_storage.listdir("uploads")[1])
        with django_capture_on_commit_callbacks(execute=True):  # the outbox publishes
            queued[0]()  # the outbox finds the job cancelled: no task is published
        job.refresh_from_db()
        assert job.state == "cancelled" and not ClientPositionSnapshot.objects.exists()
        again = client.post(f"/api/reporting/jobs/{job.pk}/cancel/")
        assert again.status_code == 409 and again.json()["code"] == "job_finished"

    def test_the_job_page_shows_the_result_and_another_firms_job_is_a_404(
        self, client, firm, officer, django_capture_on_commit_callbacks
    ):
        client.force_login(officer)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("reporting:snapshot_upload", args=[firm.pk]),
                {"as_at": "2028-03-31", "file": upload(csv_bytes([position("A", "A1")]))},
            )
        job = UploadJob.objects.get()
        page = client.get(response.url).content.decode()
        assert 'role="status"' in page and "Imported 1 rows." in page
        assert "every 2s" not in page  # finished: the job status no longer polls
        outsider = MembershipFactory(firm=FirmFactory(), role="reporting_officer").user
        client.force_login(outsider)
        for url in (
            reverse("reporting:job_detail", args=[job.pk]),
            reverse("reporting:job_status", args=[job.pk]),
            f"/api/reporting/jobs/{job.pk}/",
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/api/reporting/jobs/{job.pk}/cancel/").status_code == 404

    def test_no_upload_or_a_bad_one_is_a_clear_error_never_a_500(self, client, firm, officer):
        client.force_login(officer)
        cases = [
            ({"as_at": "2028-03-31"}, "file"),
            ({"as_at": "2028-03-31", "file": upload(b"", "empty.csv")}, "file"),
            ({"as_at": "2028-03-31", "file": upload(b"x", "notes.txt")}, "file"),
            ({"file": upload(csv_bytes([position("A", "A1")]))}, "as_at"),
        ]
        for data, field in cases:
            answer = client.post(api_url(firm), data)
            assert answer.status_code == 400, (data, answer.content)
            assert field in answer.json()["fields"], answer.json()
        page = client.post(reverse("reporting:snapshot_upload", args=[firm.pk]), {})
        assert page.status_code == 200 and "This field is required." in page.content.decode()
        assert not UploadJob.objects.exists()


@pytest.fixture
def eager_tasks():
    """Tasks run in-process, as the test settings say. (tests/notifications' ``celery_worker``
    fixture saves the Celery config after changing the settings it reads from, so it can leave
    eager mode off behind it for the rest of the process.)"""
    from config.celery import app

    app.conf.update(task_always_eager=True, broker_url="", task_default_queue="celery")
    app._after_fork()
    return app


@pytest.fixture
def shared_media(tmp_path, settings, monkeypatch):
    """The worker process stores and reads uploads where this test does."""
    media = tmp_path / "shared-media"
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    settings.MEDIA_ROOT = media
    return media


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_shows_progress_and_a_cancel_rolls_the_running_job_back(
    shared_media, celery_worker, client, firm, officer
):
    """On a real worker: the job's progress is visible (API and page) while it runs; a cancel
    is seen at its next progress check, the import rolls back and the file goes."""
    client.force_login(officer)
    response = client.post(
        api_url(firm), {"as_at": "2028-03-31", "file": upload(big_csv(400_000), "big.csv")}
    )
    assert response.status_code == 202
    job_url = response["Location"]
    job = UploadJob.objects.get(pk=response.json()["id"])
    assert (shared_media / job.file.name).exists()
    running = wait_for(
        lambda: (body := client.get(job_url).json())["rows_done"] > 0 and body,
        what="progress from the worker",
        proc=celery_worker,
    )
    assert running["state"] == "running" and running["stage"] == "checking"
    fragment = client.get(reverse("reporting:job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and 'aria-live="polite"' in fragment
    cancelled = client.post(f"{job_url}cancel/")
    assert cancelled.status_code == 200, cancelled.content
    wait_for(
        lambda: UploadJob.objects.get(pk=job.pk).file.name == "",
        what="the worker to stop and remove the file",
        proc=celery_worker,
    )
    job.refresh_from_db()
    assert job.state == "cancelled" and job.finished_at is not None
    assert not ClientPositionSnapshot.objects.exists()
    assert not ClientPositionRow.objects.exists()
    assert not any((shared_media / "uploads").iterdir())


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_uploads_of_one_snapshot_make_one_import_and_nine_clear_answers(
    eager_tasks, firm, officer, settings, tmp_path
):
    """Ten threads, ten connections, the same file for the same firm and date at once: the
    unique index on the job makes nine wait for the first, then answer "already in progress"
    (or "already imported" once it has finished); one snapshot is loaded."""
    settings.MEDIA_ROOT = tmp_path / "media"
    data = csv_bytes([position(f"C{i}", f"A{i}") for i in range(50)])
    barrier = threading.Barrier(10)
    answers: list[object] = []

    def one_upload():
        try:
            barrier.wait()
            job = tasks.snapshot_upload_start(
                firm=firm,
                as_at=AS_AT,
                file=SimpleUploadedFile("positions.csv", data),
                actor=officer,
                now=timezone.now(),
            )
            answers.append(job.pk)
        except ConflictError as exc:
            answers.append(exc.code)
        except Exception as exc:
            answers.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=one_upload) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    started = [a for a in answers if isinstance(a, int)]
    refused = sorted(a for a in answers if not isinstance(a, int))
    assert len(started) == 1, answers
    assert len(refused) == 9 and set(refused) <= {
        "upload_already_in_progress",
        "upload_already_imported",
    }, refused
    job = UploadJob.objects.get()
    assert job.state == "succeeded", (job.state, job.error)
    assert ClientPositionSnapshot.objects.get().row_count == 50
    assert ClientPositionRow.objects.count() == 50
    assert not any((tmp_path / "media" / "uploads").iterdir())
