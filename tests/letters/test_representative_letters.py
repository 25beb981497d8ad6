"""Letters to a complainant's representative (DISP 2.7.2R): addressed to them while their
authority is valid (addressee, salutation and address on the PDF, the e-mail recipient), the
complainant's copy e-mailed where the authority says so (a second delivery recorded), the
complainant written to when no valid authority is on file, and a draft refused at sending when
its addressee is no longer right."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from common.errors import TransitionRefused
from complaints import services
from complaints.services import Authority, RepresentativeData, representative_add
from letters.models import Letter, LetterDelivery
from letters.services import letter_create_draft
from tests.api.conftest import client_for
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 4, 2, 10)
NOW = london(2026, 4, 2, 11)
LOA = Authority(
    document="Letter of authority",
    reference="EV-7",
    received_on=date(2026, 4, 1),
    expires_on=date(2026, 4, 30),
)


def _rep(complaint, actor, *, copy=True, authority=LOA, now=NOW):
    return representative_add(
        complaint_id=complaint.pk,
        actor=actor,
        now=now,
        data=RepresentativeData(
            kind="claims_manager",
            name="ClaimRight Ltd",
            organisation="ClaimRight Ltd",
            address="2 Claim Street\nLeeds\nLS2 2BB",
            email="cases@claimright.example",
            regulator_reference="FRN 830000",
            copy_to_complainant=copy,
            authority=authority,
        ),
    )


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(firm=firm, received_at=RECEIVED, actor=handler)


def _acknowledge(complaint, actor, capture, now=NOW) -> Letter:
    # The outbox e-mails it at the real "now": travel there, or it is a backdated letter.
    with time_machine.travel(now, tick=False), capture(execute=True):
        services.complaint_acknowledge(complaint_id=complaint.pk, actor=actor, now=now)
    return Letter.objects.get(complaint=complaint)


def _pdf_text(letter: Letter) -> str:
    pages = PdfReader(io.BytesIO(letter.sent_pdf)).pages
    return " ".join(" ".join((p.extract_text() or "") for p in pages).split())


def test_disp_2_7_2r_letter_goes_to_the_representative_with_a_copy_to_the_complainant(
    complaint, handler, mailoutbox, django_capture_on_commit_callbacks
):
    rep = _rep(complaint, handler)
    letter = _acknowledge(complaint, handler, django_capture_on_commit_callbacks)

    assert letter.recipient == "representative" and letter.representative == rep
    assert letter.recipient_email == "cases@claimright.example"
    assert letter.copy_email == "jo@example.test"
    text = _pdf_text(letter)
    assert "ClaimRight Ltd 2 Claim Street Leeds LS2 2BB" in text
    assert "Dear ClaimRight Ltd," in text and "Your client: Jo Bloggs" in text

    assert [m.to for m in mailoutbox] == [["cases@claimright.example"], ["jo@example.test"]]
    assert mailoutbox[1].subject.startswith("Copy: ")
    assert "a copy of our letter to ClaimRight Ltd, who acts for you" in mailoutbox[1].body
    body = client_for(handler).get(reverse("api-letter", args=[letter.pk])).json()
    assert (body["recipient"], body["representative"]) == ("representative", rep.pk)
    assert body["copy_email"] == "jo@example.test"
    deliveries = LetterDelivery.objects.filter(letter=letter).order_by("id")
    assert [(d.recipient, d.is_copy, d.status) for d in deliveries] == [
        ("cases@claimright.example", False, "sent"),
        ("jo@example.test", True, "sent"),
    ]


def test_disp_2_7_2r_no_copy_to_the_complainant_unless_the_authority_says_so(
    complaint, handler, mailoutbox, django_capture_on_commit_callbacks
):
    _rep(complaint, handler, copy=False)
    letter = _acknowledge(complaint, handler, django_capture_on_commit_callbacks)
    assert letter.copy_email == ""
    assert [m.to for m in mailoutbox] == [["cases@claimright.example"]]


def test_disp_2_7_2r_without_valid_authority_the_letter_goes_to_the_complainant(
    complaint, handler, mailoutbox, django_capture_on_commit_callbacks
):
    _rep(complaint, handler, authority=Authority())  # recorded, no evidence of authority yet
    letter = _acknowledge(complaint, handler, django_capture_on_commit_callbacks)
    assert letter.recipient == "complainant" and letter.representative is None
    assert "Dear Jo Bloggs," in _pdf_text(letter)
    assert [m.to for m in mailoutbox] == [["jo@example.test"]]


def test_disp_2_7_2r_a_draft_to_a_representative_whose_authority_expired_is_not_sent(
    complaint, handler
):
    _rep(complaint, handler)
    draft = letter_create_draft(
        complaint_id=complaint.pk, letter_type="acknowledgement", actor=handler, now=NOW
    )
    assert draft.recipient == "representative"
    after_expiry = london(2026, 5, 1, 9)
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_send_letter(letter_id=draft.pk, actor=handler, now=after_expiry)
    assert exc.value.code == "representative_authority_invalid"
    assert "authority_expires_on" in exc.value.fields and exc.value.rule == "DISP 2.7.2R"
    assert Letter.objects.get(pk=draft.pk).status == "draft"


def test_disp_2_7_2r_a_draft_to_the_complainant_is_not_sent_once_a_representative_acts(
    complaint, handler
):
    draft = letter_create_draft(
        complaint_id=complaint.pk, letter_type="acknowledgement", actor=handler, now=NOW
    )
    _rep(complaint, handler)
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_send_letter(letter_id=draft.pk, actor=handler, now=NOW)
    assert "recipient" in exc.value.fields
