"""The watch and the retention job on a real Celery worker against the real Redis.

The worker runs in its own process, on this test's PostgreSQL database (committed rows, hence
``transaction=True``) and real time; tasks are sent with ``.delay()`` with eager mode off.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import Complainant
from complaints.services.retention import ANONYMISED_NAME
from notifications import tasks
from notifications.models import Notice, Notification, RetentionRecord
from tests.factories import make_complaint

from .conftest import wait_for


def _succeeded(proc, task: str) -> list[str]:
    return [
        line
        for line in proc.log.read_text().splitlines()
        if f"{task}[" in line and "succeeded" in line
    ]


pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_deadline_watch_runs_on_a_real_worker_once_only(celery_worker, firm, owner, supervisor):
    now = timezone.now()
    complaint = make_complaint(
        firm=firm, received_at=now - timedelta(days=60), now=now, owner_id=owner.pk
    )
    # Registering queued a per-complaint check on the worker too; start counting from here.
    wait_for(lambda: Notice.objects.count() == 2, what="the queued check", proc=celery_worker)

    Notice.objects.all().delete()
    tasks.run_deadline_watch.delay()
    tasks.run_deadline_watch.delay()  # a second run (or worker) sends nothing twice

    wait_for(
        lambda: Notice.objects.filter(complaint=complaint).count() == 2,
        what="notices written by the worker",
        proc=celery_worker,
    )
    finished = wait_for(
        lambda: len(_succeeded(celery_worker, "run_deadline_watch")) == 2
        and _succeeded(celery_worker, "run_deadline_watch"),
        what="both watch runs to finish",
        proc=celery_worker,
    )
    assert "'notices': 2" in finished[0] and "'notices': 0" in finished[1]
    assert set(Notice.objects.values_list("kind", "level")) == {
        ("acknowledgement", "breach"),
        ("final_response", "breach"),
    }
    assert Notification.objects.filter(recipient=owner).count() == 2
    assert Notification.objects.filter(recipient=supervisor).count() == 2


def test_retention_runs_on_a_real_worker(celery_worker, firm, owner):
    now = timezone.now()
    received = now - timedelta(days=3 * 366 + 30)
    complaint = make_complaint(firm=firm, received_at=received, now=received, owner_id=owner.pk)
    complaint_services.complaint_withdraw(
        complaint_id=complaint.pk, actor=owner, now=received + timedelta(days=2)
    )

    tasks.run_retention.delay()

    record = wait_for(
        lambda: RetentionRecord.objects.filter(complaint=complaint).first(),
        what="the retention record",
        proc=celery_worker,
    )
    assert record.complainant_anonymised
    assert Complainant.objects.get(pk=complaint.complainant_id).name == ANONYMISED_NAME
