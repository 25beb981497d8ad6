"""One letter's page actions and the template pages' as a browser posts them: each answer's
status, its flash and where it lands (common.pageactions runs them)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from letters.choices import LetterStatus, LetterType
from letters.models import Letter
from letters.services import approval_policy_set, letter_create_draft
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 4, 2, 10)


def _flashes(response) -> list[str]:
    """The messages the response flashed (read, so the next request starts with none)."""
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    response.client.cookies.pop("messages", None)
    return shown


@pytest.fixture
def draft(firm, handler, admin_user):
    approval_policy_set(
        firm_id=firm.pk, letter_type="acknowledgement", required=True, actor=admin_user, now=NOW
    )
    complaint = make_complaint(firm=firm, received_at=NOW, actor=handler)
    return letter_create_draft(
        complaint_id=complaint.pk, letter_type=LetterType.ACKNOWLEDGEMENT, actor=handler, now=NOW
    )


def _act(client, letter, action, data=None):
    return client.post(reverse("letters:action", args=[letter.pk, action]), data or {})


def test_edit_submit_return_approve_on_the_letter_page(client, handler, approver, draft):
    page = reverse("letters:letter", args=[draft.pk])
    client.force_login(handler)
    blank = _act(client, draft, "edit", {"subject": "", "body_text": "x"})
    assert blank.status_code == 400 and "This field is required." in blank.content.decode()
    saved = _act(client, draft, "edit", {"subject": "Your complaint", "body_text": draft.body_text})
    assert saved.status_code == 302 and saved["Location"] == page
    assert _flashes(saved) == ["Wording saved. Any approval has lapsed."]
    submitted = _act(client, draft, "submit")
    assert submitted.status_code == 302 and _flashes(submitted) == ["Submitted for approval."]
    again = _act(client, draft, "submit")
    assert again.status_code == 409 and len(_flashes(again)) == 1
    client.force_login(approver)
    no_note = _act(client, draft, "return", {"note": "  "})
    assert no_note.status_code == 400 and _flashes(no_note) == ["Say what needs to change."]
    returned = _act(client, draft, "return", {"note": "Shorter please"})
    assert returned.status_code == 302 and _flashes(returned) == ["Returned to the drafter."]
    assert Letter.objects.get(pk=draft.pk).review_note == "Shorter please"
    client.force_login(handler)
    _flashes(_act(client, draft, "submit"))
    client.force_login(approver)
    shown = _act(client, draft, "approve", {"note": " fine "})
    assert shown.status_code == 200 and "Confirm: approve this letter" in shown.content.decode()
    assert Letter.objects.get(pk=draft.pk).status == LetterStatus.AWAITING_APPROVAL
    confirmed = {"note": " fine ", "confirmed": "yes", "letter_digest": shown.context["digest"]}
    approved = _act(client, draft, "approve", confirmed)
    assert approved.status_code == 302
    assert _flashes(approved) == ["Approved: the letter can now be sent."]
    assert Letter.objects.get(pk=draft.pk).status == LetterStatus.APPROVED


def test_send_discard_and_unknown_actions(client, handler, draft):
    client.force_login(handler)
    assert _act(client, draft, "send", {"delivery": "pigeon"}).status_code == 404
    assert _act(client, draft, "frobnicate").status_code == 404
    asked = _act(client, draft, "discard")
    assert asked.status_code == 200 and "Confirm: discard this draft" in asked.content.decode()
    assert Letter.objects.get(pk=draft.pk).status == LetterStatus.DRAFT
    discarded = _act(client, draft, "discard", {"confirmed": "yes"})
    workspace = reverse("letters:workspace", args=[draft.complaint_id])
    assert discarded.status_code == 302 and discarded["Location"] == workspace
    assert _flashes(discarded) == ["Draft discarded."]
    edit = _act(client, draft, "edit", {"subject": "Late", "body_text": "Too late"})
    assert edit.status_code == 409 and len(_flashes(edit)) == 1


def test_template_pages_answer_bad_input_and_refusals(client, firm, admin_user):
    client.force_login(admin_user)
    url = reverse("letters:template_edit", args=["acknowledgement"])
    blank = client.post(url, {"subject": "", "body": ""})
    assert blank.status_code == 400
    broken = client.post(url, {"subject": "Hi {{ nonsense }}", "body": "Dear {{ reference"})
    assert broken.status_code == 400
    saved = client.post(url, {"subject": "Hi", "body": "Dear {{ complainant_name }}"})
    assert saved.status_code == 302 and saved["Location"] == url
    assert _flashes(saved) == ["Saved as version 1."]
    policy = reverse("letters:approval_policy", args=["final_rejected"])
    on = client.post(policy, {"requires_approval": "on"})
    assert on.status_code == 302 and on["Location"] == reverse("letters:templates")
    assert _flashes(on) == [
        "Approval setting saved for Final response: rejected with reasons (DISP 1.6.2R(1)(c))."
    ]
    unknown = client.post(reverse("letters:approval_policy", args=["nonsense"]))
    assert unknown.status_code == 302 and _flashes(unknown) == ["Unknown letter type."]
