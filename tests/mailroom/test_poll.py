"""The poller against a real Dovecot: what becomes a complaint draft, what threads onto a
complaint, what is never a complaint, and that nothing is imported twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from complaints.choices import CommunicationKind
from complaints.models import Communication
from complaints.services import RepresentativeData, representative_add
from mailroom import poller
from mailroom.choices import Kind, State
from mailroom.models import InboundMessage, OutboundEmail
from tests.factories import make_complaint
from tests.mailservers import message

from .conftest import USER

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("mailroom")]

ARRIVED = datetime(2026, 11, 2, 9, 15, 7, tzinfo=UTC)


def poll(mailbox):
    return poller.poll(mailbox.pk, now=timezone.now())


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(
        firm=firm, actor=handler, received_at=datetime(2026, 10, 1, 10, tzinfo=UTC)
    )


def test_a_new_message_is_an_unfiled_draft_arriving_when_the_server_received_it(mailbox, inbox):
    raw = message(
        sender="Sam Doe <Sam@Example.test>",
        subject="My withdrawal is stuck",
        body="I lost money because my withdrawal has been pending for ten days.",
        message_id="<new-1@example.test>",
        attachment=("statement.txt", "text/plain", b"balance 10 BTC"),
    )
    inbox.append(USER, raw, arrived=ARRIVED)

    result = poll(mailbox)

    assert result.as_dict() == {"imported": 1, "skipped": 0, "filed": 0, "errors": 0}
    m = InboundMessage.objects.get()
    assert (m.kind, m.state, m.complaint_id) == (Kind.NEW, State.UNFILED, None)
    # The arrival is the firm's server's INTERNALDATE, not the sender's Date header.
    assert m.arrived_at == ARRIVED
    assert (m.from_address, m.from_name) == ("sam@example.test", "Sam Doe")
    assert m.message_id == "<new-1@example.test>"
    assert "pending for ten days" in m.text
    assert m.attachment_names == ["statement.txt"]
    with m.raw.open("rb") as stored:
        assert b"pending for ten days" in stored.read()  # the .eml as the server holds it


def test_a_reply_threads_by_in_reply_to_onto_the_complaint_as_correspondence(
    mailbox, inbox, complaint, handler
):
    OutboundEmail.objects.create(
        firm=complaint.firm,
        complaint=complaint,
        message_id="<ours-1@firm.test>",
        from_address="complaints@firm.test",
        to_address="jo@example.test",
        subject=f"Your complaint {complaint.reference}",
        body="We are looking into it.",
        created_at=timezone.now(),
    )
    inbox.append(
        USER,
        message(
            sender="someone-else@example.test",
            subject="Re: your letter",
            body="Thank you, here is more detail.",
            message_id="<reply-1@example.test>",
            headers={"In-Reply-To": "<ours-1@firm.test>"},
        ),
        arrived=ARRIVED,
    )

    assert poll(mailbox).filed == 1

    m = InboundMessage.objects.get()
    assert (m.kind, m.state, m.complaint_id) == (Kind.REPLY, State.FILED, complaint.pk)
    assert m.reason == "Threaded by In-Reply-To."
    comm = Communication.objects.get(complaint=complaint, kind=CommunicationKind.EMAIL_RECEIVED)
    assert comm.sent_at == ARRIVED and m.communication_id == comm.pk
    assert "here is more detail" in comm.summary


def test_a_reply_threads_by_references_to_an_earlier_message_on_the_complaint(
    mailbox, inbox, complaint
):
    inbox.append(
        USER,
        message(
            sender="jo@example.test",
            subject=f"About {complaint.reference}",
            message_id="<first@example.test>",
        ),
        arrived=ARRIVED,
    )
    poll(mailbox)
    assert InboundMessage.objects.get().complaint_id == complaint.pk  # by subject: the complainant
    inbox.append(
        USER,
        message(
            sender="colleague@elsewhere.test",
            subject="Fwd: more",
            message_id="<second@elsewhere.test>",
            headers={"References": "<unknown@x.test> <first@example.test>"},
        ),
        arrived=ARRIVED,
    )

    poll(mailbox)

    second = InboundMessage.objects.get(message_id="<second@elsewhere.test>")
    assert (second.complaint_id, second.reason) == (complaint.pk, "Threaded by References.")


def test_subject_reference_fallback_is_accepted_from_the_complainant_and_a_representative(
    mailbox, inbox, complaint, handler
):
    representative_add(
        complaint_id=complaint.pk,
        actor=handler,
        now=timezone.now(),
        data=RepresentativeData(kind="attorney", name="Pat Adviser", email="pat@advice.test"),
    )
    for i, sender in enumerate(["JO@example.test", "pat@advice.test"]):
        inbox.append(
            USER,
            message(
                sender=sender,
                subject=f"Update on {complaint.reference.lower()}",
                message_id=f"<fallback-{i}@example.test>",
            ),
            arrived=ARRIVED,
        )

    assert poll(mailbox).filed == 2
    assert set(InboundMessage.objects.values_list("complaint_id", flat=True)) == {complaint.pk}


def test_subject_reference_fallback_is_refused_for_a_stranger(mailbox, inbox, complaint):
    inbox.append(
        USER,
        message(
            sender="stranger@example.test",
            subject=f"Re: {complaint.reference}",
            message_id="<stranger@example.test>",
        ),
        arrived=ARRIVED,
    )

    assert poll(mailbox).filed == 0

    m = InboundMessage.objects.get()
    assert (m.kind, m.state, m.complaint_id) == (Kind.NEW, State.UNFILED, None)
    assert "neither the complainant nor a current representative" in m.reason
    assert not Communication.objects.filter(kind=CommunicationKind.EMAIL_RECEIVED).exists()


BOUNCE = (
    b"From: MAILER-DAEMON@mx.example.test\r\n"
    b"To: complaints@firm.test\r\n"
    b"Subject: Undelivered Mail Returned to Sender\r\n"
    b"Message-ID: <bounce-1@mx.example.test>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
    b"--b1\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
    b"--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
    b"Reporting-MTA: dns; mx.example.test\r\n\r\nFinal-Recipient: rfc822; jo@example.test\r\n"
    b"Action: failed\r\nStatus: 5.1.1\r\n\r\n--b1--\r\n"
)


@pytest.mark.parametrize(
    "headers, kind",
    [
        ({"Auto-Submitted": "auto-replied"}, Kind.AUTO_REPLY),
        ({"X-Autoreply": "yes"}, Kind.AUTO_REPLY),
        ({"X-Autorespond": "yes"}, Kind.AUTO_REPLY),
        ({"Precedence": "auto_reply"}, Kind.AUTO_REPLY),
        ({"Precedence": "bulk"}, Kind.AUTO_REPLY),
        ({"Auto-Submitted": "no"}, Kind.NEW),
        ({}, Kind.NEW),  # "Out of office" in the subject alone: a person wrote it
    ],
)
def test_auto_replies_are_recognised_by_their_headers_only(
    mailbox, inbox, complaint, headers, kind
):
    inbox.append(
        USER,
        message(
            sender="jo@example.test",
            subject=f"Out of office: {complaint.reference}",
            message_id="<ooo@example.test>",
            headers=headers,
        ),
        arrived=ARRIVED,
    )
    poll(mailbox)
    m = InboundMessage.objects.get()
    if kind == Kind.AUTO_REPLY:
        # Never a complaint, never correspondence, even naming the complaint from its sender.
        assert (m.kind, m.complaint_id) == (Kind.AUTO_REPLY, None)
    else:
        assert (m.kind, m.complaint_id) == (Kind.REPLY, complaint.pk)


def test_bounces_are_never_complaints(mailbox, inbox):
    inbox.append(USER, BOUNCE, arrived=ARRIVED)
    inbox.append(
        USER,
        message(
            sender="<>",
            subject="Delivery failure",
            message_id="<b2@x.test>",
            headers={"Return-Path": "<>"},
        ),
        arrived=ARRIVED,
    )
    poll(mailbox)
    assert list(InboundMessage.objects.values_list("kind", flat=True)) == [Kind.BOUNCE] * 2


def test_polling_again_imports_nothing_twice(mailbox, inbox):
    for i in range(2):
        inbox.append(
            USER,
            message(
                sender="a@example.test", subject=f"m{i}", message_id=f"<once-{i}@example.test>"
            ),
            arrived=ARRIVED,
        )
    assert poll(mailbox).imported == 2
    assert poll(mailbox).as_dict()["imported"] == 0
    # The server renumbered the folder (a new UIDVALIDITY): the Message-IDs keep the copies out.
    mailbox.refresh_from_db()
    mailbox.uidvalidity, mailbox.last_uid = 1, 0
    mailbox.save()
    again = poll(mailbox)
    assert (again.imported, again.skipped) == (0, 2)
    assert InboundMessage.objects.count() == 2


def test_a_bad_message_is_recorded_with_its_error_and_never_blocks_the_others(
    mailbox, inbox, settings, monkeypatch
):
    real_parse = poller.parse

    def parse(raw, **kwargs):
        if b"Subject: poison" in raw and kwargs.get("with_attachments", True):
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
        return real_parse(raw, **kwargs)

    monkeypatch.setattr(poller, "parse", parse)
    settings.MAILROOM_MAX_MESSAGE_BYTES = 2000
    inbox.append(
        USER,
        message(sender="a@example.test", subject="poison", message_id="<p@example.test>"),
        arrived=ARRIVED,
    )
    inbox.append(
        USER,
        message(
            sender="b@example.test",
            subject="huge",
            body="x" * 5000,
            message_id="<huge@example.test>",
        ),
        arrived=ARRIVED,
    )
    inbox.append(
        USER,
        message(sender="c@example.test", subject="fine", message_id="<fine@example.test>"),
        arrived=ARRIVED,
    )

    result = poll(mailbox)

    assert result.imported == 2 and len(result.errors) == 1
    rows = {m.subject or m.error[:16]: m for m in InboundMessage.objects.all()}
    bad = InboundMessage.objects.get(uid=min(m.uid for m in rows.values()))
    assert bad.kind == Kind.UNREADABLE and "UnicodeDecodeError" in bad.error
    huge = InboundMessage.objects.get(subject="huge")
    assert huge.kind == Kind.UNREADABLE and "over the 2000-byte limit" in huge.error
    assert not huge.raw
    assert InboundMessage.objects.get(subject="fine").kind == Kind.NEW
    # Nothing is fetched again on the next poll.
    assert poll(mailbox).imported == 0


def test_a_wrong_password_is_recorded_on_the_mailbox(mailbox):
    from mailroom.crypto import encrypt

    mailbox.password_encrypted = encrypt("wrong")
    mailbox.save()
    result = poll(mailbox)
    mailbox.refresh_from_db()
    assert result.errors == ["The server refused the username or password."]
    assert mailbox.last_error == "The server refused the username or password."


def test_a_filed_reply_notifies_the_complaints_owner_once(
    mailbox, inbox, complaint, handler, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    complaint.owner = handler
    complaint.save(update_fields=["owner"])
    inbox.append(
        USER,
        message(
            sender="jo@example.test",
            subject=f"Re: {complaint.reference}",
            message_id="<notify@example.test>",
        ),
        arrived=ARRIVED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        poll(mailbox)
    [note] = Notification.objects.filter(recipient=handler, category="correspondence")
    assert note.complaint_id == complaint.pk
    assert note.title == f"{complaint.reference}: new e-mail"
    # Delivered again (the outbox is at least once): still one notification.
    from common.models import OutboxMessage
    from common.outbox import sweep

    OutboxMessage.objects.filter(dedupe_key__startswith="complaint-changed:").update(
        state="pending"
    )
    sweep(now=timezone.now())
    assert Notification.objects.filter(recipient=handler, category="correspondence").count() == 1


def test_the_command_polls_every_enabled_mailbox(mailbox, inbox, firm):
    from io import StringIO

    from django.core.management import call_command

    inbox.append(
        USER, message(sender="a@example.test", subject="s", message_id="<cmd@x>"), arrived=ARRIVED
    )
    out = StringIO()
    call_command("poll_mailboxes", stdout=out)
    assert (
        out.getvalue().strip()
        == f"{firm.name}: 1 imported, 0 filed on complaints, 0 already imported."
    )


def test_a_connection_lost_mid_poll_loses_nothing(mailbox, inbox, monkeypatch):
    import imaplib

    from mailroom.imap import Session

    for i in range(3):
        inbox.append(
            USER,
            message(sender="a@example.test", subject=f"m{i}", message_id=f"<drop-{i}@x>"),
            arrived=ARRIVED,
        )
    real_body = Session.body
    calls = []

    def body(self, uid):
        calls.append(uid)
        if len(calls) == 2:
            raise imaplib.IMAP4.abort("socket error: EOF")
        return real_body(self, uid)

    monkeypatch.setattr(Session, "body", body)
    first = poll(mailbox)
    assert first.imported == 1 and first.errors[0].startswith("The IMAP session failed")
    assert list(InboundMessage.objects.values_list("subject", flat=True)) == ["m0"]

    monkeypatch.setattr(Session, "body", real_body)
    assert poll(mailbox).imported == 2  # carries on from the message that failed
    assert sorted(InboundMessage.objects.values_list("subject", flat=True)) == ["m0", "m1", "m2"]
