"""A sent letter's e-mail as people see it (issue #15 item 1): queued, failed with the reason and
retrying, retried by a handler or supervisor, sent exactly once, on the letter page, the
complaint page and the API. The mail server that refuses is a real closed TCP port."""

from __future__ import annotations

import socket

import pytest
from django.urls import reverse

from common.models import OutboxMessage, OutboxState
from complaints import services
from letters.delivery import deliver_letter_email, email_key
from letters.models import Letter, LetterDelivery
from tests.api.conftest import client_for
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 4, 2, 10)
NOW = london(2026, 4, 2, 11)
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again once the socket is: connections are refused


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 5},
        }
    }


@pytest.fixture
def sent_letter(firm, handler, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(NOW, tick=False)
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
    return Letter.objects.get(complaint=complaint)


def _state(api, letter) -> dict:
    return api.get(reverse("api-letter", args=[letter.pk])).json()["email_delivery"]


def test_a_refused_email_shows_the_reason_and_a_retry_sends_it_exactly_once(
    mail_server_down,
    sent_letter,
    handler,
    supervisor,
    settings,
    mailoutbox,
    client,
    django_capture_on_commit_callbacks,
):
    api = client_for(handler)
    state = _state(api, sent_letter)
    assert state["state"] == "retrying" and state["retryable"] is True
    assert state["attempts"] == 1
    assert state["error"].startswith("ConnectionRefusedError")
    assert LetterDelivery.objects.get(letter=sent_letter).status == "failed"

    client.force_login(handler)
    page = client.get(reverse("letters:letter", args=[sent_letter.pk])).content.decode()
    assert "E-mail failed, retrying" in page and "Reason: ConnectionRefusedError" in page
    assert "Retry the e-mail now" in page
    detail = client.get(reverse("complaints:detail", args=[sent_letter.complaint_id]))
    assert "E-mail failed, retrying" in detail.content.decode()

    settings.MAILERS = LOCMEM  # the mail server is back; a supervisor retries from the API
    with django_capture_on_commit_callbacks(execute=True):
        retry = client_for(supervisor).post(
            reverse("api-letter-retry-email", args=[sent_letter.pk]), {}, format="json"
        )
        assert retry.status_code == 200, retry.content
        assert retry.json()["email_delivery"]["state"] == "queued"  # a fresh count
    assert [m.to for m in mailoutbox] == [["jo@example.test"]]
    assert _state(api, sent_letter)["state"] == "sent"

    again = api.post(reverse("api-letter-retry-email", args=[sent_letter.pk]), {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "letter_already_delivered"
    # Delivered at least once means the handler may run again: it sends nothing twice.
    assert deliver_letter_email({"letter_id": sent_letter.pk}, NOW) is None
    assert len(mailoutbox) == 1
    assert LetterDelivery.objects.filter(letter=sent_letter, status="sent").count() == 1
    page = client.get(reverse("letters:letter", args=[sent_letter.pk])).content.decode()
    assert "E-mailed" in page and "Retry the e-mail now" not in page


def test_a_retry_from_the_letter_page_sends_the_email(
    mail_server_down,
    sent_letter,
    handler,
    settings,
    mailoutbox,
    client,
    django_capture_on_commit_callbacks,
):
    settings.MAILERS = LOCMEM
    client.force_login(handler)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("letters:action", args=[sent_letter.pk, "retry_email"]))
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = OutboxMessage.objects.get(dedupe_key=email_key(sent_letter.pk))
    assert (message.state, message.attempts) == (OutboxState.SENT, 1)


def test_only_a_handler_or_supervisor_may_retry_and_only_an_emailed_letter(
    firm, mail_server_down, sent_letter, handler, django_capture_on_commit_callbacks
):
    officer = MembershipFactory(firm=firm, role="reporting_officer").user
    response = client_for(officer).post(
        reverse("api-letter-retry-email", args=[sent_letter.pk]), {}, format="json"
    )
    assert response.status_code == 403
    posted = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_acknowledge(
            complaint_id=posted.pk, actor=handler, now=NOW, method="post"
        )
    letter = Letter.objects.get(complaint=posted)
    api = client_for(handler)
    assert _state(api, letter) is None
    refused = api.post(reverse("api-letter-retry-email", args=[letter.pk]), {}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "letter_not_emailed"


def test_a_letter_whose_email_was_never_queued_can_be_retried(
    firm, handler, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    """Letters sent before the outbox, lost while the broker was down, are not stuck."""
    time_machine.move_to(NOW, tick=False)
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
    letter = Letter.objects.get(complaint=complaint)
    OutboxMessage.objects.filter(dedupe_key=email_key(letter.pk)).delete()
    api = client_for(handler)
    state = _state(api, letter)
    assert (state["state"], state["retryable"]) == ("failed", True)
    assert "never queued" in state["error"]
    with django_capture_on_commit_callbacks(execute=True):
        retry = api.post(reverse("api-letter-retry-email", args=[letter.pk]), {}, format="json")
    assert retry.status_code == 200
    assert len(mailoutbox) == 1
