"""Sending letters through the lifecycle: approval, immutability, the PDF, the six-month rule."""

import hashlib
import io
from datetime import date

import pytest
import time_machine
from django.db import connection, transaction
from django.db.utils import IntegrityError
from pypdf import PdfReader

from common.errors import (
    ConflictError,
    PermissionDeniedError,
    TransitionRefused,
    ValidationFailed,
)
from complaints import services
from complaints.choices import Outcome, Status
from complaints.models import Communication, Complaint
from letters import services as letters
from letters.choices import LetterStatus, LetterType
from letters.errors import LetterErrorCode
from letters.models import ImmutableRecordError, Letter, LetterDelivery
from tests.factories import london, make_complaint

from .scenarios import REASONS

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 4, 1, 9)
NOW = london(2026, 4, 2, 10)
E25_SENT = london(2026, 4, 15, 12)  # Wed 15 Apr 2026


def _investigating(firm, actor):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=actor)
    services.complaint_acknowledge(complaint_id=c.pk, actor=actor, now=NOW)
    return services.complaint_start_investigation(complaint_id=c.pk, actor=actor, now=NOW)


def _pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages
    )


# --- DISP 2.8.2R(1) / 2.8.3G: the six-month window comes from the letter -------------------


def test_disp_2_8_2r_1_final_response_with_six_month_wording_starts_the_window_e25(firm, handler):
    c = _investigating(firm, handler)
    c = services.complaint_send_final_response(
        complaint_id=c.pk, actor=handler, now=E25_SENT, outcome=Outcome.NOT_UPHELD, summary=REASONS
    )
    letter = c.letters.get(letter_type=LetterType.FINAL_REJECTED)
    assert letter.includes_six_month_wording is True
    assert c.communications.get(kind="final_response").includes_six_month_wording is True
    assert c.fos_six_month_deadline == date(2026, 10, 15)


def test_disp_2_8_3g_letter_without_six_month_wording_leaves_no_deadline_e28(firm, handler):
    """The firm consents to waive the time limits (Annex 3R consent wording): the letter does
    not carry the six-month wording, so the six-month limit is not triggered."""
    c = _investigating(firm, handler)
    c = services.complaint_send_final_response(
        complaint_id=c.pk,
        actor=handler,
        now=E25_SENT,
        outcome=Outcome.NOT_UPHELD,
        summary=REASONS,
        consents_to_waive=True,
    )
    letter = c.letters.get(letter_type=LetterType.FINAL_REJECTED)
    assert letter.includes_six_month_wording is False
    assert letter.includes_waiver_consent is True
    assert c.communications.get(kind="final_response").includes_six_month_wording is False
    assert c.fos_six_month_deadline is None
    assert c.consents_to_waive_time_limits is True


def test_disp_2_8_3g_a_caller_flag_cannot_claim_wording_the_letter_lacks(firm, handler):
    """six_month_wording=True from a caller does not start the window if the letter did not
    carry the wording (the flag can only withhold it)."""
    c = _investigating(firm, handler)
    c = services.complaint_send_final_response(
        complaint_id=c.pk,
        actor=handler,
        now=E25_SENT,
        outcome=Outcome.UPHELD,
        consents_to_waive=True,
        six_month_wording=True,
    )
    assert c.fos_six_month_deadline is None


def test_disp_2_8_3g_src_without_six_month_wording_does_not_start_the_window(firm, handler):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    c = services.complaint_resolve_summary(
        complaint_id=c.pk, actor=handler, now=NOW, outcome=Outcome.UPHELD, consents_to_waive=True
    )
    assert c.six_month_wording_included is False
    assert c.fos_six_month_deadline is None


# --- four-eyes approval ----------------------------------------------------------------------


@pytest.fixture
def approval_on_final(firm, admin_user):
    letters.approval_policy_set(
        firm_id=firm.pk,
        letter_type=LetterType.FINAL_REJECTED,
        required=True,
        actor=admin_user,
        now=NOW,
    )


def _draft_final(c, actor):
    return letters.letter_create_draft(
        complaint_id=c.pk,
        letter_type=LetterType.FINAL_REJECTED,
        actor=actor,
        now=E25_SENT,
        outcome=Outcome.NOT_UPHELD,
        reasons=REASONS,
    )


def test_approval_required_refuses_the_service_without_an_approved_letter(
    firm, handler, approval_on_final
):
    c = _investigating(firm, handler)
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_send_final_response(
            complaint_id=c.pk, actor=handler, now=E25_SENT, outcome=Outcome.NOT_UPHELD
        )
    assert exc.value.code == LetterErrorCode.APPROVAL_REQUIRED
    draft = _draft_final(c, handler)
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_send_letter(letter_id=draft.pk, actor=handler, now=E25_SENT)
    assert exc.value.code == LetterErrorCode.APPROVAL_REQUIRED
    assert Complaint.objects.get(pk=c.pk).status == Status.INVESTIGATING
    assert Letter.objects.get(pk=draft.pk).status == LetterStatus.DRAFT


def test_the_drafter_cannot_approve_their_own_letter(firm, approver, approval_on_final):
    """A supervisor may approve, but not a letter they drafted (four eyes)."""
    c = _investigating(firm, approver)
    draft = _draft_final(c, approver)
    with pytest.raises(TransitionRefused) as exc:
        letters.letter_approve(letter_id=draft.pk, actor=approver, now=E25_SENT)
    assert exc.value.code == LetterErrorCode.SELF_APPROVAL
    assert Letter.objects.get(pk=draft.pk).status == LetterStatus.DRAFT


def test_a_handler_cannot_approve(firm, handler, approval_on_final):
    from tests.factories import MembershipFactory

    other = MembershipFactory(firm=firm, role="handler").user
    c = _investigating(firm, handler)
    draft = _draft_final(c, handler)
    with pytest.raises(PermissionDeniedError):
        letters.letter_approve(letter_id=draft.pk, actor=other, now=E25_SENT)


def test_approved_letter_is_sent_and_editing_after_approval_needs_new_approval(
    firm, handler, approver, approval_on_final
):
    c = _investigating(firm, handler)
    draft = _draft_final(c, handler)
    letters.letter_submit_for_approval(letter_id=draft.pk, actor=handler, now=E25_SENT)
    letters.letter_approve(letter_id=draft.pk, actor=approver, now=E25_SENT)
    letters.letter_update_draft(
        letter_id=draft.pk,
        actor=handler,
        now=E25_SENT,
        subject="Our final response",
        body_text=Letter.objects.get(pk=draft.pk).body_text + "\n\nWith apologies for the delay.",
    )
    edited = Letter.objects.get(pk=draft.pk)
    assert (edited.status, edited.approved_by) == (LetterStatus.DRAFT, None)
    with pytest.raises(TransitionRefused):
        services.complaint_send_letter(letter_id=draft.pk, actor=handler, now=E25_SENT)
    letters.letter_approve(letter_id=draft.pk, actor=approver, now=E25_SENT)
    sent = services.complaint_send_letter(letter_id=draft.pk, actor=handler, now=E25_SENT)
    assert sent.status == LetterStatus.SENT
    assert sent.approved_by == approver
    c.refresh_from_db()
    assert c.status == Status.FINAL_RESPONSE_SENT
    assert c.communications.get(kind="final_response").letter == sent


def test_an_incomplete_draft_cannot_be_submitted_or_approved(firm, handler, approver):
    c = _investigating(firm, handler)
    draft = _draft_final(c, handler)
    letters.letter_update_draft(
        letter_id=draft.pk,
        actor=handler,
        now=E25_SENT,
        subject=draft.subject,
        body_text=draft.body_text.replace("www.financial-ombudsman.org.uk", "the FOS website"),
    )
    with pytest.raises(TransitionRefused) as exc:
        letters.letter_submit_for_approval(letter_id=draft.pk, actor=handler, now=E25_SENT)
    assert exc.value.code == LetterErrorCode.CONTENT_INCOMPLETE
    assert "DISP 1.6.2R(1)(da)" in exc.value.rule
    with pytest.raises(TransitionRefused):
        letters.letter_approve(letter_id=draft.pk, actor=approver, now=E25_SENT)


# --- atomicity ------------------------------------------------------------------------------


def test_a_failing_check_on_a_draft_leaves_complaint_communications_and_letters_unchanged(
    firm, handler
):
    c = _investigating(firm, handler)
    draft = _draft_final(c, handler)
    letters.letter_update_draft(
        letter_id=draft.pk,
        actor=handler,
        now=E25_SENT,
        subject=draft.subject,
        body_text=draft.body_text.replace("within six months of the date of this letter", ""),
    )
    before = Complaint.objects.get(pk=c.pk)
    counts = (Communication.objects.count(), Letter.objects.filter(status="sent").count())
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_send_letter(letter_id=draft.pk, actor=handler, now=E25_SENT)
    assert [f["key"] for f in exc.value.extra["failed_checks"]] == ["six_month_wording"]
    assert exc.value.extra["failed_checks"][0]["rule"] == "DISP 2.8.3G; DISP 1 Annex 3R(1)"
    after = Complaint.objects.get(pk=c.pk)
    assert (after.status, after.version, after.fos_six_month_deadline) == (
        before.status,
        before.version,
        None,
    )
    assert (Communication.objects.count(), Letter.objects.filter(status="sent").count()) == counts
    assert Letter.objects.get(pk=draft.pk).status == LetterStatus.DRAFT


def test_a_refused_transition_sends_no_letter(firm, handler):
    """Guard refusal (SRC after the deadline): no letter is stored or sent."""
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    with pytest.raises(TransitionRefused):
        services.complaint_resolve_summary(
            complaint_id=c.pk, actor=handler, now=london(2026, 4, 20, 9), outcome=Outcome.UPHELD
        )
    assert not Letter.objects.filter(complaint=c).exists()


def test_a_sent_draft_cannot_be_sent_twice(firm, handler):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    draft = letters.letter_create_draft(
        complaint_id=c.pk, letter_type=LetterType.ACKNOWLEDGEMENT, actor=handler, now=NOW
    )
    services.complaint_send_letter(letter_id=draft.pk, actor=handler, now=NOW)
    with pytest.raises(ConflictError):
        services.complaint_send_letter(letter_id=draft.pk, actor=handler, now=NOW)


# --- immutability ---------------------------------------------------------------------------


@pytest.fixture
def sent_letter(firm, handler):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW)
    return Letter.objects.get(complaint=c)


def test_a_sent_letter_keeps_its_html_pdf_and_hash(sent_letter, handler):
    assert sent_letter.status == LetterStatus.SENT
    assert sent_letter.sent_by == handler and sent_letter.sent_at == NOW
    assert sent_letter.pdf_sha256 == hashlib.sha256(bytes(sent_letter.pdf)).hexdigest()
    assert "We have received your complaint" in sent_letter.html
    assert sent_letter.communication.kind == "acknowledgement"


def test_a_sent_letter_cannot_be_changed_through_the_model(sent_letter):
    sent_letter.body_text = "Something else"
    with pytest.raises(ImmutableRecordError):
        sent_letter.save()
    with pytest.raises(ImmutableRecordError):
        Letter.objects.filter(pk=sent_letter.pk).update(subject="Changed")
    with pytest.raises(ImmutableRecordError):
        sent_letter.delete()
    with pytest.raises(ImmutableRecordError):
        Letter.objects.filter(pk=sent_letter.pk).delete()


def test_a_sent_letter_cannot_be_changed_in_the_database(sent_letter):
    """The PostgreSQL trigger refuses even raw SQL."""
    if connection.vendor != "postgresql":
        pytest.fail("the immutability trigger is tested on PostgreSQL (set DATABASE_URL)")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE letters_letter SET pdf_sha256 = 'x' WHERE id = %s", [sent_letter.pk])
    assert Letter.objects.get(pk=sent_letter.pk).pdf_sha256 == sent_letter.pdf_sha256


def test_sent_letter_services_refuse_edits(sent_letter, handler):
    with pytest.raises(ConflictError) as exc:
        letters.letter_update_draft(
            letter_id=sent_letter.pk, actor=handler, now=NOW, subject="x", body_text="y"
        )
    assert exc.value.code == LetterErrorCode.NOT_EDITABLE
    with pytest.raises(ConflictError):
        letters.letter_discard(letter_id=sent_letter.pk, actor=handler, now=NOW)


# --- the PDF and the email ---------------------------------------------------------------------


def test_the_pdf_is_a4_with_the_letter_text_and_embedded_fonts(firm, handler):
    c = _investigating(firm, handler)
    services.complaint_send_final_response(
        complaint_id=c.pk, actor=handler, now=E25_SENT, outcome=Outcome.NOT_UPHELD, summary=REASONS
    )
    letter = Letter.objects.get(complaint=c, letter_type=LetterType.FINAL_REJECTED)
    reader = PdfReader(io.BytesIO(bytes(letter.pdf)))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = _pdf_text(bytes(letter.pdf))
    assert "Wed 15 Apr 2026" in text
    assert c.reference in text
    assert "we do not uphold your complaint" in text
    assert REASONS in text
    assert "within six months of the date of this letter" in text
    assert "www.financial-ombudsman.org.uk" in text
    fonts = [
        font["/FontDescriptor"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/FontDescriptor" in font.get_object()
    ]
    descendant = [
        f.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        for f in font.get_object().get("/DescendantFonts", [])
    ]
    descriptors = fonts + [d["/FontDescriptor"] for d in descendant]
    assert descriptors and all(
        any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for d in descriptors
    )


def test_email_goes_after_commit_with_the_pdf_attached(
    firm, handler, mailoutbox, django_capture_on_commit_callbacks
):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW)
    assert mailoutbox == []  # nothing leaves before the commit
    with time_machine.travel(NOW, tick=False):
        for callback in callbacks:
            callback()
    letter = Letter.objects.get(complaint=c)
    (message,) = mailoutbox
    assert message.to == ["jo@example.test"]
    assert message.subject == letter.subject
    ((name, data, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and data == bytes(letter.pdf)
    assert LetterDelivery.objects.get(letter=letter).status == "sent"


def test_post_only_sends_no_email(firm, handler, mailoutbox, django_capture_on_commit_callbacks):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW, method="post")
    assert mailoutbox == []
    letter = Letter.objects.get(complaint=c)
    assert (letter.delivery, letter.communication.method) == ("post", "post")


def test_email_needs_an_address(firm, handler):
    from complaints.services import ComplainantData, complaint_register

    c = complaint_register(
        firm=firm,
        actor=handler,
        now=RECEIVED,
        received_at=RECEIVED,
        channel="letter",
        activity="operating_catp",
        description="Lost funds",
        alleged_financial_loss=True,
        complainant=ComplainantData(name="No Email", address="1 High Street\nYork"),
    )
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW, method="email")
    assert exc.value.code == LetterErrorCode.RECIPIENT_EMAIL_MISSING
    assert "method" in exc.value.fields
    assert not Letter.objects.filter(complaint=c).exists()
    # Without a choice the letter goes by post: never e-mail to a complainant with no address.
    ok = services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW)
    assert ok.status == Status.ACKNOWLEDGED
    assert Letter.objects.get(complaint=c).delivery == "post"


def test_forwarding_sends_the_notice_and_the_cover_letter_to_the_other_firm(
    firm, handler, mailoutbox, django_capture_on_commit_callbacks
):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    draft = letters.letter_create_draft(
        complaint_id=c.pk,
        letter_type=LetterType.FORWARDING_NOTICE,
        actor=handler,
        now=NOW,
        other_firm_name="Meridian Crypto Brokers Ltd",
        other_firm_contact="2 Dock Street, Leith EH6 6AA\ncomplaints@meridian.example",
        reasons="Meridian executed the disputed trade.",
        forward_part="part",
    )
    assert draft.companion.letter_type == LetterType.FORWARDING_COVER
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.complaint_send_letter(letter_id=draft.pk, actor=handler, now=NOW)
    c.refresh_from_db()
    # Part forwarded (DISP 1.7.1R): the rest stays with the firm, in its state.
    assert c.status == Status.RECEIVED
    assert c.forwarded_parts.get().to_firm == "Meridian Crypto Brokers Ltd"
    notice = Letter.objects.get(pk=draft.pk)
    cover = Letter.objects.get(pk=draft.companion_id)
    assert notice.status == cover.status == LetterStatus.SENT
    assert "We will continue to deal with the rest of your complaint" in notice.html
    assert sorted(m.to[0] for m in mailoutbox) == ["complaints@meridian.example", "jo@example.test"]


def test_a_letter_recorded_as_sent_days_ago_is_not_emailed_again(
    firm, handler, mailoutbox, django_capture_on_commit_callbacks
):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW)
    with time_machine.travel(london(2026, 4, 9, 10), tick=False):
        for callback in callbacks:
            callback()
    assert mailoutbox == []
    assert LetterDelivery.objects.get(letter__complaint=c).status == "skipped"
