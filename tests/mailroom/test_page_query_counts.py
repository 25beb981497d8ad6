"""An e-mail's page issues the same queries for a message with 2 attachments and one with 6
(issue 18: query-count tests guard every page). The page lists the attachments' names and each
one not kept as evidence with the reason; the inbox itself: tests/mailroom/test_pages.py. No
mail server is needed: the messages are stored as the poller stores them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mailroom.choices import Security
from mailroom.models import InboundMessage
from mailroom.services import MailboxData, mailbox_save
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

ARRIVED = datetime(2026, 11, 2, 9, 15, 42, tzinfo=UTC)


def _message(firm, mailbox, complaint, n: int) -> InboundMessage:
    names = [f"statement-{i}.exe" for i in range(n)]
    return InboundMessage.objects.create(
        firm=firm,
        mailbox=mailbox,
        uidvalidity=1,
        uid=n,
        from_address="jo@example.test",
        subject=f"My complaint, {n} attachments",
        arrived_at=ARRIVED,
        size=10,
        kind="new",
        imported_at=ARRIVED,
        complaint=complaint,
        attachment_names=names,
        attachment_evidence=[{"name": name, "refused": "not an allowed type"} for name in names],
    )


def test_message_page_same_queries_at_2_and_6_attachments(client, firm, handler):
    mailbox = mailbox_save(
        firm=firm,
        actor=None,
        data=MailboxData(
            host="127.0.0.1",
            port=143,
            security=Security.NONE,
            username="complaints",
            folder="INBOX",
            address="complaints@firm.test",
            password="not used",
        ),
    )
    complaint = make_complaint(firm=firm, received_at=ARRIVED)
    client.force_login(handler)
    counts = []
    for n in (2, 6):
        url = reverse("mailroom:message", args=[_message(firm, mailbox, complaint, n).pk])
        client.get(url)  # warm the session and user caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert body.count("not kept as evidence: not an allowed type") == n
        assert complaint.reference in body
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
