"""Issue 16: every letter seen before it goes. Each action that sends a letter (acknowledge,
SRC, holding response, progress update, final response, time-bar, forward) first shows the
letter as it will go (its pages, its text, recipient, delivery and content checks) and writes
nothing; confirming sends it through the same service, and only if it is still the letter shown
(its digest). A confirmation gone stale is refused with a message, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from complaints import services
from complaints.choices import Outcome, Status
from complaints.errors import ErrorCode
from complaints.models import Communication, Complaint
from letters.models import Letter
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 4, 2, 16, 0)
NOW = london(2026, 4, 3, 10, 0)
LONG_AGO = date(2018, 1, 10)  # more than six years before receipt: time-barred (DISP 2.8.2R(2))
FORWARD = {
    "to_firm": "Example Custody Ltd",
    "to_contact": "complaints@custody.example",
    "reason": "The custodian holds the assets and made the decision complained of.",
    "part": "whole",
}


def _acknowledged(c, actor):
    services.complaint_acknowledge(complaint_id=c.pk, actor=actor, now=RECEIVED)


# action: (inputs posted, set-up before, kwargs of make_complaint, text the letter shows)
ACTIONS = {
    "acknowledge": ({}, None, {}, "Jo Bloggs"),
    "resolve_summary": ({"outcome": Outcome.UPHELD}, None, {}, "Jo Bloggs"),
    "send_final_response": (
        {"outcome": Outcome.NOT_UPHELD, "summary": "No fault found."},
        _acknowledged,
        {},
        "No fault found.",
    ),
    "reject_time_barred": (
        {"summary": "Received too late."},
        None,
        {"event_date": LONG_AGO, "awareness_date": LONG_AGO},
        "Received too late.",
    ),
    "forward": (FORWARD, _acknowledged, {}, "Example Custody Ltd"),
}


def _complaint(firm, handler, action):
    inputs, before, kwargs, _ = ACTIONS[action]
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler, **kwargs)
    if before:
        before(c, handler)
    return Complaint.objects.get(pk=c.pk)


def _written(c) -> tuple[int, int, int, int]:
    c = Complaint.objects.get(pk=c.pk)
    return (
        c.version,
        Letter.objects.filter(complaint=c).count(),
        Communication.objects.filter(complaint=c).count(),
        Complaint.history.filter(id=c.pk).count(),
    )


@pytest.mark.parametrize("action", list(ACTIONS))
@time_machine.travel(NOW, tick=False)
def test_issue_16_each_letter_is_shown_first_and_sent_only_when_confirmed(
    client, firm, handler, action
):
    c = _complaint(firm, handler, action)
    inputs, _, _, says = ACTIONS[action]
    url = reverse("complaints:act", args=[c.pk, action])
    data = {"expected_version": c.version, "method": "email", **inputs}
    client.force_login(handler)
    before = _written(c)
    before_pk = Letter.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    shown = client.post(url, data)

    assert shown.status_code == 200
    assert _written(c) == before  # no letter row, no communication, no history, no version
    html = shown.content.decode()
    assert "data-focus-on-load" in html and "Confirm:" in html
    assert "Mandatory content checks" in html and "Every check passes." in html
    assert 'src="data:image/png;base64,' in html and 'alt="Page 1 of' in html
    assert "The letter as text" in html and says in html
    assert "Email (PDF attached) to jo@example.test" in html
    letters = shown.context["shown"]
    assert len(letters) == (2 if action == "forward" else 1)  # the notice and its cover
    assert all(s.checks and not s.failed_checks for s in letters)

    cancel = client.get(shown.context["cancel_url"])
    assert cancel.status_code == 200 and _written(c) == before

    sent = client.post(url, {**data, "confirmed": "yes", "letter_digest": shown.context["digest"]})

    assert sent.status_code == 302
    c.refresh_from_db()
    assert c.version == before[0] + 1
    new = Letter.objects.filter(complaint=c, pk__gt=before_pk, communication__isnull=False)
    assert new.count() == len(letters)
    # What went is what was shown: the same words, the same recipient.
    notice = new.order_by("pk").first()
    assert letters[0].text.split("\n")[-1] in notice.html
    assert notice.letter_type == letters[0].letter.letter_type


@time_machine.travel(NOW, tick=False)
def test_issue_16_a_confirmation_without_the_letter_shown_is_refused(client, firm, handler):
    c = _complaint(firm, handler, "acknowledge")
    url = reverse("complaints:act", args=[c.pk, "acknowledge"])
    client.force_login(handler)
    before = _written(c)
    response = client.post(
        url, {"expected_version": c.version, "method": "email", "confirmed": "yes"}
    )
    assert response.status_code == 200
    assert "The letter changed after you reviewed it" in response.content.decode()
    assert response.context["banner"].code == ErrorCode.LETTER_CHANGED
    assert _written(c) == before


@time_machine.travel(NOW, tick=False)
def test_issue_16_a_letter_changed_after_it_was_shown_is_refused_not_sent(client, firm, handler):
    """The letter is rendered again when confirmed: a new template wording since the preview
    means the handler did not see what would go, so it is refused with a message."""
    from letters.services import letter_template_save

    c = _complaint(firm, handler, "acknowledge")
    url = reverse("complaints:act", args=[c.pk, "acknowledge"])
    data = {"expected_version": c.version, "method": "email"}
    client.force_login(handler)
    shown = client.post(url, data)
    digest = shown.context["digest"]
    version = shown.context["shown"][0].letter.template_version
    letter_template_save(
        firm_id=firm.pk,
        letter_type="acknowledgement",
        actor=MembershipFactory(firm=firm, role="admin").user,
        now=NOW,
        subject=version.subject,
        body=version.body + "\n\nA sentence added after the preview.",
    )
    before = _written(c)
    refused = client.post(url, {**data, "confirmed": "yes", "letter_digest": digest})
    assert refused.status_code == 200
    assert "The letter changed after you reviewed it" in refused.content.decode()
    assert _written(c) == before


@time_machine.travel(NOW, tick=False)
def test_issue_16_a_stale_confirmation_is_refused_with_a_message(client, firm, handler):
    """The complaint changed between the preview and the confirmation (someone else
    acknowledged it): the stale version is refused with the banner, not a 500."""
    c = _complaint(firm, handler, "acknowledge")
    url = reverse("complaints:act", args=[c.pk, "acknowledge"])
    data = {"expected_version": c.version, "method": "email"}
    client.force_login(handler)
    shown = client.post(url, data)
    _acknowledged(c, handler)
    refused = client.post(
        url, {**data, "confirmed": "yes", "letter_digest": shown.context["digest"]}
    )
    assert refused.status_code == 200
    assert "Someone else changed this complaint after you opened it" in refused.content.decode()
    assert Communication.objects.filter(complaint=c).count() == 1
    # A preview from a stale page is not shown either: the fresh page is.
    again = client.post(url, data)
    assert again.status_code == 200 and "digest" not in again.context
    assert "Someone else changed this complaint" in again.content.decode()


@time_machine.travel(london(2026, 4, 10, 9), tick=False)
def test_issue_16_a_refusal_is_shown_before_any_letter(client, firm, handler):
    """DISP 1.5.1R: an SRC after its deadline is refused at the first step, as the action
    would be: the page with the rule, no confirmation page."""
    c = _complaint(firm, handler, "resolve_summary")
    client.force_login(handler)
    before = _written(c)
    response = client.post(
        reverse("complaints:act", args=[c.pk, "resolve_summary"]),
        {"expected_version": c.version, "method": "email", "outcome": Outcome.UPHELD},
    )
    assert response.status_code == 200 and "digest" not in response.context
    assert "SRC deadline passed" in response.content.decode()
    assert _written(c) == before
    assert Complaint.objects.get(pk=c.pk).status == Status.RECEIVED
