"""Issue 16 on one letter's page: sending and discarding a draft ask for confirmation, and
approving a letter (four eyes) shows its rendered PDF pages and its checks first. Nothing is
written until confirmed; a letter changed after it was shown is refused with a message."""

import pytest
from django.urls import reverse

from complaints.choices import Status
from complaints.models import Complaint
from letters.choices import LetterStatus, LetterType
from letters.models import Letter
from letters.services import (
    approval_policy_set,
    letter_create_draft,
    letter_submit_for_approval,
    letter_update_draft,
)
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 4, 2, 10)


@pytest.fixture
def submitted(firm, handler, admin_user):
    """An acknowledgement the firm requires a second person to approve, submitted."""
    approval_policy_set(
        firm_id=firm.pk, letter_type="acknowledgement", required=True, actor=admin_user, now=NOW
    )
    complaint = make_complaint(firm=firm, received_at=NOW, actor=handler)
    draft = letter_create_draft(
        complaint_id=complaint.pk, letter_type=LetterType.ACKNOWLEDGEMENT, actor=handler, now=NOW
    )
    return letter_submit_for_approval(letter_id=draft.pk, actor=handler, now=NOW)


def _post(client, letter, action, data=None):
    return client.post(reverse("letters:action", args=[letter.pk, action]), data or {})


def _state(letter):
    fresh = Letter.objects.get(pk=letter.pk)
    return (
        fresh.status,
        fresh.history.count(),
        Complaint.objects.get(pk=letter.complaint_id).version,
    )


def test_issue_16_approving_shows_the_pdf_pages_and_checks_first(
    client, handler, approver, submitted
):
    client.force_login(approver)
    before = _state(submitted)
    shown = _post(client, submitted, "approve", {"note": "Fine"})
    assert shown.status_code == 200
    html = shown.content.decode()
    assert "Confirm: approve this letter" in html and "Your note: Fine" in html
    assert 'src="data:image/png;base64,' in html and "Every check passes." in html
    assert "We have received your complaint" in html  # the letter's text, for screen readers
    assert _state(submitted) == before
    # The drafter edits the wording before the approver confirms: not what was approved.
    letter_update_draft(
        letter_id=submitted.pk,
        actor=handler,
        now=NOW,
        subject=submitted.subject,
        body_text=submitted.body_text + "\n\nOne more sentence.",
    )
    changed = _post(
        client,
        submitted,
        "approve",
        {"note": "Fine", "confirmed": "yes", "letter_digest": shown.context["digest"]},
    )
    assert changed.status_code == 409
    assert "The letter changed after you reviewed it" in changed.content.decode()
    assert Letter.objects.get(pk=submitted.pk).status == LetterStatus.DRAFT


def test_issue_16_the_drafter_is_refused_at_the_first_step(client, firm, submitted):
    """Four eyes: an approver who edited the letter cannot even reach the confirmation."""
    editor = MembershipFactory(firm=firm, role="supervisor").user
    letter_update_draft(
        letter_id=submitted.pk,
        actor=editor,
        now=NOW,
        subject=submitted.subject,
        body_text=submitted.body_text + "\n\nEdited.",
    )
    client.force_login(editor)
    refused = _post(client, submitted, "approve")
    assert refused.status_code == 409
    assert "You drafted or edited this letter" in refused.content.decode()
    assert "digest" not in refused.context


def test_issue_16_sending_a_draft_shows_it_then_sends_only_what_was_shown(
    client, handler, approver, submitted
):
    client.force_login(approver)
    shown = _post(client, submitted, "approve")
    _post(
        client, submitted, "approve", {"confirmed": "yes", "letter_digest": shown.context["digest"]}
    )
    assert Letter.objects.get(pk=submitted.pk).status == LetterStatus.APPROVED
    client.force_login(handler)
    before = _state(submitted)
    asked = _post(client, submitted, "send", {"delivery": "post"})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Confirm: send this letter" in html and "Post (marked as posted)" in html
    assert "Yes, send the letter" in html and 'alt="Page 1 of' in html
    assert _state(submitted) == before
    stale = _post(client, submitted, "send", {"delivery": "post", "confirmed": "yes"})
    assert stale.status_code == 409 and _state(submitted) == before
    sent = _post(
        client,
        submitted,
        "send",
        {"delivery": "post", "confirmed": "yes", "letter_digest": asked.context["digest"]},
    )
    assert sent.status_code == 302
    assert Letter.objects.get(pk=submitted.pk).status == LetterStatus.SENT
    assert Complaint.objects.get(pk=submitted.complaint_id).status == Status.ACKNOWLEDGED


def test_issue_16_discarding_asks_first_and_cancel_writes_nothing(client, handler, submitted):
    client.force_login(handler)
    before = _state(submitted)
    asked = _post(client, submitted, "discard")
    assert asked.status_code == 200
    assert "Yes, discard the draft" in asked.content.decode()
    assert client.get(asked.context["cancel_url"]).status_code == 200
    assert _state(submitted) == before
    assert _post(client, submitted, "discard", {"confirmed": "yes"}).status_code == 302
    assert Letter.objects.get(pk=submitted.pk).status == LetterStatus.DISCARDED
