"""The mailroom's pages: the mailbox settings (password encrypted at rest, a real connection
test), an unfiled e-mail opened as a complaint (received at its arrival), and a reply from the
case page sent through a real SMTP server, threaded, whose answer threads back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.choices import Channel, CommunicationKind
from complaints.models import Communication, Complaint
from mailroom import poller
from mailroom.choices import State
from mailroom.crypto import decrypt
from mailroom.models import InboundMessage, Mailbox, OutboundEmail
from tests.factories import MembershipFactory, make_complaint
from tests.mailservers import message

from .conftest import PASSWORD, USER

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("mailroom")]

ARRIVED = datetime(2026, 11, 2, 9, 15, 42, tzinfo=UTC)


@pytest.fixture
def admin(firm):
    return MembershipFactory(firm=firm, role="admin").user


def test_a_firm_admin_sets_up_the_mailbox_with_the_password_encrypted_at_rest(
    client, admin, handler, firm, inbox
):
    url = reverse("mailroom:settings")
    client.force_login(handler)
    assert client.get(url).status_code == 403  # settings are the firm admin's
    client.force_login(admin)
    form = {
        "address": "Complaints@Firm.test",
        "host": "127.0.0.1",
        "port": inbox.port,
        "security": "none",
        "username": USER,
        "password": PASSWORD,
        "folder": "INBOX",
        "enabled": "on",
    }
    assert client.post(url, form).status_code == 302
    mailbox = Mailbox.objects.get(firm=firm)
    assert PASSWORD not in mailbox.password_encrypted
    assert decrypt(mailbox.password_encrypted) == PASSWORD
    assert mailbox.address == "complaints@firm.test"
    # Saved again without a password: the stored one is kept.
    client.post(url, {**form, "password": ""})
    mailbox.refresh_from_db()
    assert decrypt(mailbox.password_encrypted) == PASSWORD

    inbox.append(
        USER, message(sender="a@example.test", subject="x", message_id="<t@x>"), arrived=ARRIVED
    )
    page = client.post(reverse("mailroom:test"), follow=True).content.decode()
    assert "1 message(s) waiting in INBOX" in page

    client.post(url, {**form, "password": "wrong"})
    page = client.post(reverse("mailroom:test"), follow=True).content.decode()
    assert "The connection failed: The server refused the username or password." in page


def test_a_mailbox_without_a_password_is_refused_naming_the_field(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("mailroom:settings"),
        {
            "address": "c@firm.test",
            "host": "imap.firm.test",
            "port": 993,
            "security": "ssl",
            "username": "c",
            "password": "",
            "folder": "INBOX",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["Required."]
    assert not Mailbox.objects.exists()


def test_an_unfiled_email_opens_as_a_complaint_received_when_it_arrived(
    client, handler, mailbox, inbox
):
    inbox.append(
        USER,
        message(
            sender="Sam Doe <sam@example.test>",
            subject="Withdrawal stuck",
            body="I have lost money: my withdrawal is pending.",
            message_id="<draft@example.test>",
        ),
        arrived=ARRIVED,
    )
    poller.poll(mailbox.pk, now=timezone.now())
    m = InboundMessage.objects.get()
    client.force_login(handler)
    assert "Withdrawal stuck" in client.get(reverse("mailroom:inbox")).content.decode()
    original = client.get(reverse("mailroom:raw", args=[m.pk]))
    assert original["Content-Type"] == "message/rfc822"
    assert b"my withdrawal is pending" in b"".join(original.streaming_content)

    url = reverse("mailroom:to_complaint", args=[m.pk])
    form = client.get(url).context["form"]
    initial = {name: form.get_initial_for_field(f, name) for name, f in form.fields.items()}
    assert initial["channel"] == Channel.EMAIL
    assert (initial["name"], initial["email"]) == ("Sam Doe", "sam@example.test")
    assert "my withdrawal is pending" in initial["description"]
    assert (
        timezone.localtime(ARRIVED).strftime("%Y-%m-%dT%H:%M")
        in form["received_at"].value().isoformat()
    )

    response = client.post(
        url,
        {
            "expression_of_dissatisfaction": "on",
            "alleged_financial_loss": "on",
            "regime": "standard",
            "received_at": timezone.localtime(ARRIVED).strftime("%Y-%m-%dT%H:%M"),
            "channel": Channel.EMAIL,
            "received_via": "direct",
            "activity": "operating_catp",
            "relationship": "customer",
            "description": initial["description"],
            "event_date_unknown": "on",
            "complainant_mode": "new",
            "name": "Sam Doe",
            "email": "sam@example.test",
            "complainant_type": "consumer",
            "is_retail": "on",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302, response.context["form"].errors
    # The DISP clock starts at the firm's server's arrival, to the second.
    assert complaint.received_at == ARRIVED
    m.refresh_from_db()
    assert (m.state, m.complaint_id, m.filed_by_id) == (State.FILED, complaint.pk, handler.pk)
    # Filed once: opening it again is refused.
    again = client.get(url, follow=True).content.decode()
    assert "filed or set aside already" in again


def test_a_reply_from_the_case_page_is_stored_sent_threaded_and_its_answer_threads_back(
    client, handler, mailbox, inbox, smtp, firm, django_capture_on_commit_callbacks
):
    complaint = make_complaint(
        firm=firm, actor=handler, received_at=datetime(2026, 10, 1, 10, tzinfo=UTC)
    )
    inbox.append(
        USER,
        message(
            sender="jo@example.test",
            subject=f"My complaint {complaint.reference}",
            message_id="<jo-1@example.test>",
            headers={"References": "<older@example.test>"},
        ),
        arrived=ARRIVED,
    )
    poller.poll(mailbox.pk, now=timezone.now())
    client.force_login(handler)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "E-mail to jo@example.test" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mailroom:reply", args=[complaint.pk]), {"body": "We are on it."})

    ours = OutboundEmail.objects.get()
    assert ours.sent_at is not None and ours.error == ""
    assert Communication.objects.filter(
        complaint=complaint, kind=CommunicationKind.EMAIL_SENT, pk=ours.communication_id
    ).exists()
    [sent] = smtp.received
    assert sent["Message-ID"] == ours.message_id and ours.message_id.endswith("@firm.test>")
    assert sent["In-Reply-To"] == "<jo-1@example.test>"
    assert sent["References"] == "<older@example.test> <jo-1@example.test>"
    assert sent["Subject"] == f"Re: My complaint {complaint.reference}"
    assert sent["From"] == "complaints@firm.test" and sent["To"] == "jo@example.test"
    assert sent.get_content().strip() == "We are on it."

    # The complainant answers our e-mail (from another address, no reference): threaded.
    inbox.append(
        USER,
        message(
            sender="jo.other@example.test",
            subject="Re: thanks",
            message_id="<jo-2@x.test>",
            headers={"In-Reply-To": ours.message_id},
        ),
        arrived=ARRIVED,
    )
    poller.poll(mailbox.pk, now=timezone.now())
    assert InboundMessage.objects.get(message_id="<jo-2@x.test>").complaint_id == complaint.pk
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "We are on it." in page and "jo.other@example.test" in page


def test_a_reply_without_a_recipient_address_is_refused(client, handler, mailbox, firm):
    complaint = make_complaint(
        firm=firm,
        actor=handler,
        received_at=datetime(2026, 10, 1, 10, tzinfo=UTC),
        complainant=None,
    )
    complaint.complainant.email = ""
    complaint.complainant.save()
    client.force_login(handler)
    page = client.post(
        reverse("mailroom:reply", args=[complaint.pk]), {"body": "Hello"}, follow=True
    ).content.decode()
    assert "has an e-mail address" in page
    assert not OutboundEmail.objects.exists()


def test_the_inbox_lists_automatic_replies_apart_in_constant_queries(
    client, handler, mailbox, firm, django_assert_max_num_queries
):
    def add(n: int, kind: str) -> None:
        for i in range(n):
            InboundMessage.objects.create(
                firm=firm,
                mailbox=mailbox,
                uidvalidity=1,
                uid=InboundMessage.objects.count() + 1,
                from_address=f"{kind}{i}@example.test",
                subject=f"{kind} {i}",
                arrived_at=ARRIVED,
                size=10,
                kind=kind,
                imported_at=ARRIVED,
            )

    add(2, "new")
    add(1, "auto_reply")
    client.force_login(handler)
    client.get(reverse("mailroom:inbox"))  # warm the session and the membership caches
    with django_assert_max_num_queries(14) as few:
        page = client.get(reverse("mailroom:inbox")).content.decode()
    assert "new 1" in page and "auto_reply 0" not in page
    add(20, "new")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("mailroom:inbox"))
    page = client.get(reverse("mailroom:inbox") + "?show=automatic").content.decode()
    assert "auto_reply 0" in page and "new 1" not in page


def test_a_message_from_a_known_complainant_drafts_onto_them_and_one_not_a_complaint_is_set_aside(
    client, handler, mailbox, firm, supervisor
):
    known = make_complaint(
        firm=firm, actor=handler, received_at=datetime(2026, 10, 1, 10, tzinfo=UTC)
    ).complainant
    m = InboundMessage.objects.create(
        firm=firm,
        mailbox=mailbox,
        uidvalidity=1,
        uid=1,
        from_address=known.email,
        subject="Another problem",
        text="Something else went wrong.",
        arrived_at=ARRIVED,
        size=10,
        kind="new",
        imported_at=ARRIVED,
    )
    client.force_login(handler)
    form = client.get(reverse("mailroom:to_complaint", args=[m.pk])).context["form"]
    assert form.initial["complainant_mode"] == "existing"
    assert form.initial["complainant_id"] == known.pk

    detail = client.get(reverse("mailroom:message", args=[m.pk])).content.decode()
    assert "Something else went wrong." in detail and "Open as a complaint" in detail
    client.post(reverse("mailroom:set_aside", args=[m.pk]))
    m.refresh_from_db()
    assert (m.state, m.filed_by_id) == (State.SET_ASIDE, handler.pk)
    refused = client.get(reverse("mailroom:to_complaint", args=[m.pk]), follow=True)
    assert "filed or set aside already" in refused.content.decode()


def test_an_automatic_reply_cannot_be_opened_as_a_complaint(client, handler, mailbox, firm):
    m = InboundMessage.objects.create(
        firm=firm,
        mailbox=mailbox,
        uidvalidity=1,
        uid=1,
        from_address="x@example.test",
        subject="Out of office",
        arrived_at=ARRIVED,
        size=10,
        kind="auto_reply",
        imported_at=ARRIVED,
    )
    client.force_login(handler)
    page = client.post(reverse("mailroom:to_complaint", args=[m.pk]), {}, follow=True)
    assert "An automatic reply is never a complaint." in page.content.decode()
    assert not Complaint.objects.exists()


def test_disp_1_9_1r_an_anonymised_complaint_takes_its_emails_personal_data_with_it(
    firm, handler, mailbox, django_capture_on_commit_callbacks
):
    """DISP 1.9.1R: after the retention period the complaint's e-mails lose their personal
    data, in their history too, and the stored .eml goes."""
    from django.core.files.base import ContentFile

    from complaints.services import complaints_anonymise
    from complaints.services.retention import REDACTED

    complaint = make_complaint(
        firm=firm, actor=handler, received_at=datetime(2022, 10, 1, 10, tzinfo=UTC)
    )
    Complaint.objects.filter(pk=complaint.pk).update(status="closed")
    m = InboundMessage(
        firm=firm,
        mailbox=mailbox,
        uidvalidity=1,
        uid=1,
        from_address="jo@example.test",
        from_name="Jo Bloggs",
        subject="My account",
        text="Jo Bloggs, 1 High St",
        attachment_names=["passport.pdf"],
        arrived_at=ARRIVED,
        size=10,
        kind="reply",
        imported_at=ARRIVED,
        complaint=complaint,
        state=State.FILED,
    )
    m.raw.save("retention.eml", ContentFile(b"From: jo@example.test\r\n\r\nJo"), save=False)
    m.save()
    stored = m.raw.name
    OutboundEmail.objects.create(
        firm=firm,
        complaint=complaint,
        message_id="<r@firm.test>",
        to_address="jo@example.test",
        from_address="complaints@firm.test",
        subject="Re: My account",
        body="Dear Jo Bloggs",
        created_at=ARRIVED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        complaints_anonymise(complaint_ids=[complaint.pk], actor=None, now=timezone.now())

    m.refresh_from_db()
    assert (m.from_address, m.from_name, m.subject, m.text) == ("", "", REDACTED, REDACTED)
    assert m.attachment_names == [] and not m.raw
    assert not m.raw.storage.exists(stored)
    assert not InboundMessage.history.filter(text__contains="Jo Bloggs").exists()
    ours = OutboundEmail.objects.get()
    assert (ours.to_address, ours.body) == ("", REDACTED)
    assert not OutboundEmail.history.filter(body__contains="Jo Bloggs").exists()
