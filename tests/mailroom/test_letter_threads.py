"""A complainant's reply to a DISP letter e-mail threads onto the complaint by its Message-ID
(kept on the letter's delivery), not only by a reference in the subject: the letter goes out
through the real SMTP server, the reply comes back through the real Dovecot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import services as complaint_services
from letters.models import LetterDelivery
from mailroom import poller
from mailroom.choices import Kind, State
from mailroom.models import InboundMessage
from tests.factories import make_complaint
from tests.mailservers import message

from .conftest import USER

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("mailroom")]


def test_a_reply_to_a_letter_email_threads_by_its_message_id(
    mailbox, inbox, smtp, firm, handler, django_capture_on_commit_callbacks
):
    now = timezone.now()
    complaint = make_complaint(firm=firm, actor=handler, received_at=now - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        complaint_services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=now)
    [sent] = smtp.received
    delivery = LetterDelivery.objects.get(letter__complaint=complaint, status="sent")
    assert sent["Message-ID"] == delivery.message_id and delivery.message_id.startswith("<")

    # Answered from another address, with a subject naming no reference: the thread files it.
    # A copy of our own letter e-mail landing in the mailbox is not imported.
    inbox.append(USER, sent.as_bytes(), arrived=now)
    inbox.append(
        USER,
        message(
            sender="jo.at.work@example.test",
            subject="Re: your letter",
            message_id="<answer-1@example.test>",
            headers={"In-Reply-To": delivery.message_id},
        ),
        arrived=now,
    )
    inbox.append(
        USER,
        message(
            sender="jo.at.work@example.test",
            subject="more",
            message_id="<answer-2@example.test>",
            headers={"References": f"{delivery.message_id} <elsewhere@example.test>"},
        ),
        arrived=now,
    )

    result = poller.poll(mailbox.pk, now=now)

    assert (result.imported, result.skipped, result.filed) == (2, 1, 2)
    rows = dict(InboundMessage.objects.values_list("message_id", "reason"))
    assert rows == {
        "<answer-1@example.test>": "Threaded by In-Reply-To.",
        "<answer-2@example.test>": "Threaded by References.",
    }
    assert set(InboundMessage.objects.values_list("kind", "state", "complaint_id")) == {
        (Kind.REPLY, State.FILED, complaint.pk)
    }
