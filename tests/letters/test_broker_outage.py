"""Issue #15 item 1: a letter sent while the broker is down is not lost.

Real parts only: a private ``redis-server`` this test starts, stops mid-test and starts again; the
API in this process; a real ``celery -A config worker`` process on this test's PostgreSQL
database, writing e-mails with Django's file backend (the locmem outbox is not visible across
processes). Committed rows are shared with the worker, hence ``transaction=True``.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from common.models import OutboxMessage, OutboxState
from common.outbox import sweep_outbox
from letters.delivery import email_key
from letters.models import Letter, LetterDelivery
from tests.api.conftest import client_for
from tests.factories import make_complaint
from tests.notifications.conftest import broker, wait_for, worker_env, worker_process

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _redis_server(port: int):
    """A private ``redis-server`` on ``port`` (no persistence); stopped on the way out."""
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"redis-server did not start on port {port}")
                time.sleep(0.05)
        yield proc
    finally:
        client.close()
        proc.terminate()
        proc.wait(10)


def _emails(folder: Path) -> list[str]:
    """Every message the file backend wrote (one header block per message)."""
    return (
        [
            line
            for path in sorted(folder.glob("*.log"))
            for line in path.read_text(errors="replace").splitlines()
            if line.startswith("Message-ID:")
        ]
        if folder.exists()
        else []
    )


def _succeeded(proc, task: str) -> int:
    return sum(
        1
        for line in proc.log.read_text().splitlines()
        if f"{task}[" in line and "succeeded" in line
    )


def test_a_letter_acknowledged_by_email_with_the_broker_down_is_emailed_once_it_is_back(
    firm, handler, tmp_path
):
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    mail = tmp_path / "mail"
    complaint = make_complaint(
        firm=firm, received_at=timezone.now() - timedelta(hours=1), actor=handler
    )
    api = client_for(handler)

    with _redis_server(port) as server, broker(url):
        redis.Redis(host="127.0.0.1", port=port).ping()  # the broker is up ...
        server.terminate()  # ... and goes down mid-test
        server.wait(10)
        response = api.post(
            reverse("api-complaint-acknowledge", args=[complaint.pk]),
            {"method": "email"},
            format="json",
        )
        assert response.status_code == 200, response.content  # not a 500 after the commit
        assert response.json()["status"] == "acknowledged"

    letter = Letter.objects.get(complaint=complaint)
    body = api.get(reverse("api-letter", args=[letter.pk])).json()
    assert body["status"] == "sent"
    assert body["email_delivery"]["state"] == "queued"
    assert body["email_delivery"]["retryable"] is True
    assert OutboxMessage.objects.get(dedupe_key=email_key(letter.pk)).state == OutboxState.PENDING
    assert not LetterDelivery.objects.exists() and _emails(mail) == []
    # A retry of the action is still refused (the complaint moved on): the letter is not lost.
    again = api.post(
        reverse("api-complaint-acknowledge", args=[complaint.pk]),
        {"method": "email"},
        format="json",
    )
    assert again.status_code == 409

    env = worker_env(
        url,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail),
    )
    with (
        _redis_server(port),
        worker_process(env, tmp_path / "worker.log") as worker,
        broker(url),
    ):
        sweep_outbox.delay()  # what the beat schedule sends every minute
        sweep_outbox.delay()  # a second sweep (or a second beat) sends nothing twice
        wait_for(
            lambda: _succeeded(worker, "common.sweep_outbox") == 2,
            what="both sweeps on the worker",
            proc=worker,
        )

    (delivery,) = LetterDelivery.objects.filter(letter=letter)  # delivered by the worker
    call_command("sweep_outbox")  # and nothing left for the command
    assert LetterDelivery.objects.filter(letter=letter).count() == 1
    assert (delivery.status, delivery.recipient) == ("sent", "jo@example.test")
    assert len(_emails(mail)) == 1  # exactly once
    text = next(mail.glob("*.log")).read_text(errors="replace")
    assert "To: jo@example.test" in text and letter.subject in text
    body = api.get(reverse("api-letter", args=[letter.pk])).json()
    assert body["email_delivery"]["state"] == "sent"
    assert body["email_delivery"]["retryable"] is False
    assert OutboxMessage.objects.get(dedupe_key=email_key(letter.pk)).state == OutboxState.SENT
