"""Nothing is lost when the broker is down: the write succeeds, the next watch catches up."""

import logging

import pytest
from django.core.management import call_command

from common.models import OutboxMessage, OutboxState
from complaints import services as complaint_services
from complaints.services import ComplainantData
from notifications.models import Notice, Notification
from tests.factories import london

from .conftest import broker

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.mark.django_db(transaction=True)
def test_logging_a_complaint_succeeds_with_the_broker_down_and_the_watch_catches_up(
    firm, owner, supervisor, settings, caplog
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = CLOSED_PORT
    caplog.set_level(logging.ERROR)
    with broker(CLOSED_PORT):
        complaint = complaint_services.complaint_register(
            firm=firm,
            actor=owner,
            now=london(2026, 6, 9, 10),
            received_at=london(2026, 4, 13, 10),
            channel="email",
            activity="operating_catp",
            description="My withdrawal never arrived.",
            alleged_financial_loss=True,
            complainant=ComplainantData(name="Persephone Quill", email="pq@example.test"),
            owner_id=owner.pk,
        )

    assert complaint.pk and complaint.reference
    assert "Could not queue common.deliver_outbox_message" in caplog.text
    assert "Persephone" not in caplog.text and "pq@example.test" not in caplog.text
    assert Notification.objects.count() == 0  # the announced check never ran
    announced = OutboxMessage.objects.get(dedupe_key=f"complaint-changed:{complaint.pk}:register")
    assert announced.state == OutboxState.PENDING  # kept for the sweep

    call_command("run_deadline_watch")  # the next scheduled run (real time: long overdue)

    kinds = set(Notice.objects.filter(complaint=complaint).values_list("kind", "level"))
    assert kinds == {("acknowledgement", "breach"), ("final_response", "breach")}
    assert Notification.objects.filter(recipient=owner, complaint=complaint).count() == 2

    call_command("sweep_outbox")  # the outbox delivers the announcement late: nothing twice
    announced.refresh_from_db()
    assert announced.state == OutboxState.SENT
    assert Notification.objects.filter(recipient=owner, complaint=complaint).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_receiver_failing_after_commit_never_fails_the_write(firm, owner, caplog):
    """Any after-commit side effect (letters, notifications) is isolated from the write."""
    from complaints.services import complaint_changed

    def broken(sender, **kwargs):
        raise ConnectionRefusedError("broker down")

    complaint_changed.connect(broken, dispatch_uid="test.broken")
    try:
        complaint = complaint_services.complaint_register(
            firm=firm,
            actor=owner,
            now=london(2026, 6, 9, 10),
            received_at=london(2026, 6, 9, 9),
            channel="email",
            activity="operating_catp",
            description="Late.",
            alleged_financial_loss=True,
            complainant=ComplainantData(name="A Person"),
        )
    finally:
        complaint_changed.disconnect(dispatch_uid="test.broken")
    assert complaint.pk
    assert "ConnectionRefusedError" in caplog.text
