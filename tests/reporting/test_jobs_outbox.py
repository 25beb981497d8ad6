"""Issue #15 item 1: an upload job is queued through the outbox, so a job uploaded while the
broker is down is not stuck ``queued``: the sweep publishes its task once the broker is back.

Real parts only: a broker URL with nothing listening, a private ``redis-server`` the worker test
starts, stops and starts again, and a real ``celery -A config worker``. Committed rows are
shared with the sweep and the worker, hence ``transaction=True``.
"""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
import redis
from django.core.management import call_command
from django.utils import timezone

from common import outbox
from common.jobs import job_key
from common.models import OutboxMessage, OutboxState, UploadJob
from common.outbox import sweep_outbox
from reporting.models import ClientPositionSnapshot
from tests.letters.test_broker_outage import _redis_server, _succeeded
from tests.notifications.conftest import broker, wait_for, worker_env, worker_process
from tests.reporting.helpers import csv_bytes, position
from tests.reporting.test_snapshot_jobs import api_url, eager_tasks, shared_media, upload

__all__ = ["eager_tasks", "shared_media"]  # fixtures shared with the job tests

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _upload_with_the_broker_down(client, firm, url: str) -> UploadJob:
    with broker(url):
        response = client.post(
            api_url(firm),
            {"as_at": "2028-03-31", "file": upload(csv_bytes([position("A", "A1")]))},
        )
    assert response.status_code == 202, response.content  # not a 500 after the commit
    assert response.json()["state"] == "queued"
    return UploadJob.objects.get(pk=response.json()["id"])


def test_issue_15_a_snapshot_uploaded_with_the_broker_down_is_imported_by_the_sweep(
    eager_tasks, client, firm, officer
):
    """The job's task is an outbox intent: with the broker down the upload still answers 202,
    each sweep records why publishing failed and backs off; once tasks can run again the next
    due sweep imports the file, and later sweeps import nothing twice."""
    client.force_login(officer)
    url = f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there
    job = _upload_with_the_broker_down(client, firm, url)
    message = OutboxMessage.objects.get(dedupe_key=job_key(job.pk))
    assert (message.state, message.attempts) == (OutboxState.PENDING, 0)
    now = timezone.now()
    with broker(url):
        assert outbox.sweep(now=now).retrying == 1  # still down: published nothing
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING and message.attempts == 1
    assert "reporting.import_snapshot" in message.last_error
    job.refresh_from_db()
    assert job.state == "queued" and not ClientPositionSnapshot.objects.exists()

    # Tasks run again (in-process here, as in the demo): the import runs once the outbox's
    # delivery has committed, not inside it (no wait on its own job row).
    assert outbox.sweep(now=now).delivered == 0  # backing off: not due yet
    assert outbox.sweep(now=now + timedelta(hours=2)).delivered == 1
    job.refresh_from_db()
    assert (job.state, job.rows_done) == ("succeeded", 1)
    assert ClientPositionSnapshot.objects.count() == 1
    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    call_command("sweep_outbox")
    assert ClientPositionSnapshot.objects.count() == 1


def test_issue_15_a_job_cancelled_while_the_broker_was_down_is_never_published(
    eager_tasks, client, firm, officer
):
    """The outbox publishes a job's task only while the job is still queued."""
    client.force_login(officer)
    job = _upload_with_the_broker_down(client, firm, f"redis://127.0.0.1:{_free_port()}/0")
    assert client.post(f"/api/reporting/jobs/{job.pk}/cancel/").status_code == 200
    assert outbox.sweep(now=timezone.now()).delivered == 1
    job.refresh_from_db()
    assert job.state == "cancelled" and job.started_at is None
    assert not ClientPositionSnapshot.objects.exists()
    assert OutboxMessage.objects.get(dedupe_key=job_key(job.pk)).state == OutboxState.SENT


@pytest.mark.worker
def test_issue_15_a_real_worker_imports_an_upload_made_with_the_broker_down_exactly_once(
    shared_media, client, firm, officer, tmp_path
):
    """A private broker goes down; the upload answers 202 and the job waits ``queued``. The
    broker comes back, two sweeps run on a real worker: the job's task is published once and
    the worker imports the file once."""
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    client.force_login(officer)
    with _redis_server(port) as server:
        redis.Redis(host="127.0.0.1", port=port).ping()  # the broker is up ...
        server.terminate()  # ... and goes down before the upload
        server.wait(10)
        job = _upload_with_the_broker_down(client, firm, url)
    assert OutboxMessage.objects.get(dedupe_key=job_key(job.pk)).state == OutboxState.PENDING

    with (
        _redis_server(port),
        worker_process(worker_env(url), tmp_path / "worker.log") as worker,
        broker(url),
    ):
        sweep_outbox.delay()  # what the beat schedule sends every minute
        sweep_outbox.delay()  # a second sweep publishes nothing twice
        wait_for(
            lambda: UploadJob.objects.get(pk=job.pk).state == "succeeded",
            what="the worker to import the upload",
            proc=worker,
        )
        wait_for(
            lambda: _succeeded(worker, "common.sweep_outbox") == 2,
            what="both sweeps on the worker",
            proc=worker,
        )
    assert _succeeded(worker, "reporting.import_snapshot") == 1
    call_command("sweep_outbox")  # nothing left for the command
    assert ClientPositionSnapshot.objects.count() == 1
    assert OutboxMessage.objects.get(dedupe_key=job_key(job.pk)).state == OutboxState.SENT
    job.refresh_from_db()
    assert job.rows_done == 1 and job.file.name == ""
