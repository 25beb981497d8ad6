"""The working day's objects of the URL isolation test's context (``UrlContext``, in
tests/audit/url_objects.py): a saved queue view, a task, evidence, a notification and an unfiled
e-mail of the owning firm. A mixin so url_objects.py stays one idea per module."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from tests.factories import london

# Text that only exists in the owning firm's data: if a user of another firm ever sees it,
# something leaked.
LEAK_NAME = "Zebedee Leakcheck"
LEAK_EMAIL = "zebedee.leakcheck@example.test"


class WorkdayObjects:
    """Needs ``firm``, ``now``, ``complaint``, ``member`` and ``actor`` (UrlContext has them)."""

    firm: Any
    now: datetime
    complaint: Any
    member: Any
    actor: Any

    @cached_property
    def saved_filter(self):
        from complaints.services.saved_filters import saved_filter_create

        return saved_filter_create(
            firm_id=self.firm.pk,
            actor=self.member,
            now=self.now,
            name="Leakcheck view",
            query="tab=team",
            shared=True,
        )

    @cached_property
    def task(self):
        from complaints.services import task_create

        return task_create(
            self.complaint,
            user=self.actor,
            now=self.now,
            kind="call_back",
            due_on=self.now.date(),
            note="Leakcheck call back",
            assignee=self.member,
        )

    @cached_property
    def evidence(self):
        """A PDF on the complaint: its file, download and page preview all answer."""
        from evidence.services import evidence_add
        from tests.factories import tiny_pdf

        return evidence_add(
            self.complaint,
            user=self.member,
            kind="statement",
            title="Leakcheck statement",
            content=tiny_pdf("Leakcheck statement"),
            file_name="statement.pdf",
            now=self.now,
        )

    @cached_property
    def notification(self):
        from notifications.models import Notification
        from notifications.services import deadline_watch_run

        # Nobody owns the complaint, so its missed deadlines notify the firm's supervisor.
        deadline_watch_run(
            now=london(2026, 6, 9, 10), complaint_ids=[self.complaint.pk], send_emails=False
        )
        return Notification.objects.filter(recipient=self.actor).first()

    @cached_property
    def inbound_message(self):
        """An unfiled e-mail in the firm's complaints mailbox, from the leak marker."""
        from django.core.files.base import ContentFile

        from mailroom.models import InboundMessage, Mailbox

        mailbox = Mailbox.objects.create(
            firm=self.firm,
            host="imap.leak.test",
            username="complaints",
            address="complaints@leak.test",
        )
        message = InboundMessage(
            firm=self.firm,
            mailbox=mailbox,
            uidvalidity=1,
            uid=1,
            message_id="<leak@example.test>",
            from_address=LEAK_EMAIL,
            from_name=LEAK_NAME,
            subject=f"Complaint from {LEAK_NAME}",
            text=f"{LEAK_NAME} writes about a withdrawal.",
            arrived_at=self.now,
            size=100,
            kind="new",
            imported_at=self.now,
        )
        raw = f"From: {LEAK_NAME} <{LEAK_EMAIL}>\r\n\r\n{LEAK_NAME} writes.\r\n".encode()
        message.raw.save("leak.eml", ContentFile(raw), save=False)
        message.save()
        return message
