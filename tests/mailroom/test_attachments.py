"""A filed e-mail's attachments become evidence on its complaint (after the filing commits,
through the outbox): kept once however often delivered, a refused file recorded on the message
with the reason and the e-mail kept, and a filing rolled back stores no evidence at all."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.models import OutboxMessage
from common.outbox import sweep
from common.uploads import size_label
from evidence.choices import Kind as EvidenceKind
from evidence.choices import Source
from evidence.models import Evidence
from mailroom import attachments, poller, services
from mailroom.models import InboundMessage
from tests.factories import make_complaint
from tests.mailservers import message

from .conftest import USER

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("mailroom")]

ARRIVED = datetime(2026, 11, 2, 9, 15, 7, tzinfo=UTC)
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _with_attachments(raw: bytes, *files: tuple[str, str, bytes]) -> bytes:
    from email import policy
    from email.parser import BytesParser

    msg = BytesParser(policy=policy.default).parsebytes(raw)
    for name, ctype, data in files:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(
        firm=firm, actor=handler, received_at=datetime(2026, 10, 1, 10, tzinfo=UTC)
    )


def test_a_filed_replys_attachments_become_evidence_once_and_a_refused_one_is_recorded(
    mailbox, inbox, complaint, client, handler, django_capture_on_commit_callbacks
):
    raw = message(
        sender="jo@example.test",
        subject=f"Re: {complaint.reference}",
        message_id="<with-files@example.test>",
        attachment=("statement.txt", "text/plain", b"balance 10 BTC\n"),
    )
    inbox.append(
        USER,
        _with_attachments(raw, ("invoice.pdf", "application/octet-stream", PROGRAM)),
        arrived=ARRIVED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert poller.poll(mailbox.pk, now=timezone.now()).filed == 1

    m = InboundMessage.objects.get()
    [row] = Evidence.objects.filter(complaint=complaint)
    assert (row.kind, row.source, row.title) == (
        EvidenceKind.CORRESPONDENCE,
        Source.EMAIL,
        "statement.txt",
    )
    assert row.uploaded_by_id is None and row.original_name == "statement.txt"
    kept, refused = m.attachment_evidence
    assert kept == {"name": "statement.txt", "evidence_id": row.pk, "refused": ""}
    assert refused["name"] == "invoice.pdf" and refused["evidence_id"] is None
    assert "its content is not a type evidence may be" in refused["refused"]
    # The e-mail is kept whole, the program inside it too.
    with m.raw.open("rb") as fh:
        assert b"invoice.pdf" in fh.read()

    client.force_login(handler)
    page = client.get(reverse("mailroom:message", args=[m.pk])).content.decode()
    assert "Attachment invoice.pdf not kept as evidence: its content is not a type" in page
    assert reverse("evidence:download", args=[row.pk]) in page

    # The outbox is at least once: delivered again, nothing is added twice.
    OutboxMessage.objects.filter(dedupe_key__startswith=attachments.KEY_PREFIX).update(
        state="pending"
    )
    sweep(now=timezone.now())
    assert Evidence.objects.filter(complaint=complaint).count() == 1


def test_a_poll_rolled_back_stores_no_evidence(
    mailbox, inbox, complaint, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(attachments, "evidence_add", lambda *a, **k: calls.append(k))
    inbox.append(
        USER,
        message(
            sender="jo@example.test",
            subject=f"Re: {complaint.reference}",
            message_id="<rolled-back@example.test>",
            attachment=("statement.txt", "text/plain", b"balance 10 BTC\n"),
        ),
        arrived=ARRIVED,
    )

    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        assert poller.poll(mailbox.pk, now=timezone.now()).filed == 1
        raise Boom

    # Evidence is added only after the filing commits: nothing was stored to orphan.
    assert calls == [] and not InboundMessage.objects.exists()
    assert not OutboxMessage.objects.filter(dedupe_key__startswith=attachments.KEY_PREFIX)


def test_opening_a_message_as_a_complaint_keeps_its_attachments_as_the_handlers_evidence(
    mailbox, inbox, firm, handler, settings, django_capture_on_commit_callbacks
):
    settings.EVIDENCE_MAX_BYTES = 2048
    inbox.append(
        USER,
        _with_attachments(
            message(
                sender="sam@example.test",
                subject="Withdrawal stuck",
                message_id="<new-with-files@example.test>",
                attachment=("note.txt", "text/plain", b"short note\n"),
            ),
            ("long.txt", "text/plain", b"x" * 3000),
        ),
        arrived=ARRIVED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        poller.poll(mailbox.pk, now=timezone.now())
    m = InboundMessage.objects.get()
    assert m.attachment_evidence == [] and not Evidence.objects.exists()  # unfiled: not yet

    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.inbound_file_as_complaint(
            message_id=m.pk,
            firm_id=firm.pk,
            actor=handler,
            now=timezone.now(),
            register=lambda: make_complaint(firm=firm, actor=handler, received_at=ARRIVED),
        )

    [row] = Evidence.objects.filter(complaint=complaint)
    assert (row.title, row.uploaded_by_id) == ("note.txt", handler.pk)
    m.refresh_from_db()
    assert attachments.refusals(m) == [
        "Attachment long.txt not kept as evidence: the file is larger than the limit of "
        f"{size_label(2048)}."
    ]
