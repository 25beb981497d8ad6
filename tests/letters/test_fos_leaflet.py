"""DISP 1.6.2R(1)(d) and (2)(c): a letter that says the FOS leaflet is enclosed carries it,
attached to the e-mail and after the letter in the print pack for post; until the firm has a
leaflet on file such a letter is neither approved nor sent; "enclosed" is checked against the
delivery, not read as a phrase (issue 14 items 6 and 8)."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import User
from pypdf import PdfReader

from common.errors import ConflictError
from complaints import services
from complaints.choices import Outcome, Status
from letters import leaflets
from letters import services as letters
from letters.choices import LetterStatus, LetterType
from letters.errors import LetterErrorCode
from letters.models import FosLeaflet, Letter
from tests.factories import MembershipFactory, london, make_complaint, tiny_pdf

from .scenarios import REASONS

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 4, 1, 9)
NOW = london(2026, 4, 2, 10)
SENT = london(2026, 4, 15, 12)
LEAFLET = tiny_pdf("Your complaint and the ombudsman 2026 edition")


def upload(firm, new_firm_admin, data=LEAFLET, label="2026 edition", checked_on=date(2026, 4, 1)):
    return leaflets.leaflet_upload(
        firm_id=firm.pk,
        actor=new_firm_admin,
        now=NOW,
        file_name="fos-leaflet.pdf",
        data=data,
        label=label,
        checked_on=checked_on,
    )


def investigating(firm, actor):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=actor)
    services.complaint_acknowledge(complaint_id=c.pk, actor=actor, now=NOW, method="post")
    return services.complaint_start_investigation(complaint_id=c.pk, actor=actor, now=NOW)


def send_final(c, actor, method="email"):
    return services.complaint_send_final_response(
        complaint_id=c.pk,
        actor=actor,
        now=SENT,
        outcome=Outcome.NOT_UPHELD,
        summary=REASONS,
        method=method,
    )


def test_disp_1_6_2r_1_d_emailed_final_response_attaches_the_uploaded_leaflet(
    new_firm, new_firm_admin, new_firm_owner, mailoutbox, django_capture_on_commit_callbacks
):
    """The e-mail that leaves (Django's mail outbox) carries the letter's PDF and, as a second
    PDF attachment, exactly the bytes the administrator uploaded; the letter records the
    version it went with."""
    leaflet = upload(new_firm, new_firm_admin)
    c = investigating(new_firm, new_firm_owner)
    with time_machine.travel(SENT, tick=False), django_capture_on_commit_callbacks(execute=True):
        send_final(c, new_firm_owner)
    letter = Letter.objects.get(complaint=c, letter_type=LetterType.FINAL_REJECTED)
    assert letter.fos_leaflet == leaflet
    assert leaflet.describe() == "FOS leaflet v1 (2026 edition), checked Wed 1 Apr 2026"
    sent = letter.history.filter(status=LetterStatus.SENT).get()
    assert sent.history_change_reason == (
        "letter.send: enclosed FOS leaflet v1 (2026 edition), checked Wed 1 Apr 2026"
    )
    (message,) = mailoutbox
    (letter_pdf, enclosed) = message.attachments
    assert letter_pdf[1] == letter.sent_pdf
    assert enclosed == ("fos-leaflet-v1.pdf", LEAFLET, "application/pdf")


def test_disp_1_6_2r_1_d_final_response_is_refused_until_the_firm_has_a_leaflet(
    new_firm, new_firm_owner
):
    """ "We have enclosed a copy of the leaflet" with no leaflet to enclose is untrue: refused
    with a code and a message saying what to do, and nothing changes."""
    c = investigating(new_firm, new_firm_owner)
    for method in ("email", "post"):
        with pytest.raises(ConflictError) as exc:
            send_final(c, new_firm_owner, method)
        assert exc.value.code == LetterErrorCode.FOS_LEAFLET_MISSING
        assert exc.value.http_status == 409
        assert "upload" in exc.value.message and "fos_leaflet" in exc.value.fields
        assert exc.value.rule == "DISP 1.6.2R(1)(d); DISP 1.6.2R(2)(c)"
    c.refresh_from_db()
    assert c.status == Status.INVESTIGATING
    assert not Letter.objects.filter(complaint=c, status=LetterStatus.SENT).exclude(
        letter_type=LetterType.ACKNOWLEDGEMENT
    )


def test_disp_1_6_2r_2_c_holding_response_is_refused_until_the_firm_has_a_leaflet(
    new_firm, new_firm_admin, new_firm_owner
):
    c = investigating(new_firm, new_firm_owner)
    eight_weeks = london(2026, 5, 27, 10)  # the FOS may consider it (DISP 2.8.1R(2))

    def holding():
        return services.complaint_send_holding_response(
            complaint_id=c.pk,
            actor=new_firm_owner,
            now=eight_weeks,
            reasons="We are waiting for the custodian's report.",
            expected_final_response_on=date(2026, 6, 30),
            method="post",
        )

    with pytest.raises(ConflictError) as exc:
        holding()
    assert exc.value.code == LetterErrorCode.FOS_LEAFLET_MISSING
    upload(new_firm, new_firm_admin)
    holding()
    letter = Letter.objects.get(complaint=c, letter_type=LetterType.HOLDING)
    assert letter.fos_leaflet == FosLeaflet.objects.get(firm=new_firm, version=1)


def test_disp_1_6_2r_1_d_approving_for_sending_is_refused_until_the_firm_has_a_leaflet(
    new_firm, new_firm_admin, new_firm_owner
):
    MembershipFactory(firm=new_firm, role="supervisor")
    approver = User.objects.get(memberships__firm=new_firm, memberships__role="supervisor")
    c = investigating(new_firm, new_firm_owner)
    draft = letters.letter_create_draft(
        complaint_id=c.pk,
        letter_type=LetterType.FINAL_REJECTED,
        actor=new_firm_owner,
        now=SENT,
        outcome=Outcome.NOT_UPHELD,
        reasons=REASONS,
    )
    with pytest.raises(ConflictError) as exc:
        letters.letter_approve(letter_id=draft.pk, actor=approver, now=SENT)
    assert exc.value.code == LetterErrorCode.FOS_LEAFLET_MISSING
    upload(new_firm, new_firm_admin)
    assert letters.letter_approve(letter_id=draft.pk, actor=approver, now=SENT).status == (
        LetterStatus.APPROVED
    )


def test_disp_1_6_2r_1_d_enclosed_check_passes_only_with_the_leaflet_in_the_delivery(
    new_firm, new_firm_admin, new_firm_owner
):
    """Item 8: the fos_leaflet check reads the delivery, not only the phrase: the sentence is
    there, but with nothing to enclose the check fails and says why."""
    c = investigating(new_firm, new_firm_owner)
    draft = letters.letter_create_draft(
        complaint_id=c.pk,
        letter_type=LetterType.FINAL_REJECTED,
        actor=new_firm_owner,
        now=SENT,
        outcome=Outcome.NOT_UPHELD,
        reasons=REASONS,
    )
    assert "We have enclosed a copy" in draft.body_text
    (check,) = [r for r in draft.check_results if r["key"] == "fos_leaflet"]
    assert check["passed"] is False and "no FOS leaflet is on file" in check["detail"]
    assert check["rule"] == "DISP 1.6.2R(1)(d)"
    upload(new_firm, new_firm_admin)
    edited = letters.letter_update_draft(
        letter_id=draft.pk,
        actor=new_firm_owner,
        now=SENT,
        subject=draft.subject,
        body_text=draft.body_text,
    )
    (check,) = [r for r in edited.check_results if r["key"] == "fos_leaflet"]
    assert check["passed"] is True


def test_disp_1_6_2r_1_d_posted_letter_print_pack_is_the_letter_then_the_leaflet(
    client, new_firm, new_firm_admin, new_firm_owner
):
    upload(new_firm, new_firm_admin)
    c = investigating(new_firm, new_firm_owner)
    send_final(c, new_firm_owner, method="post")
    letter = Letter.objects.get(complaint=c, letter_type=LetterType.FINAL_REJECTED)
    assert letter.delivery == "post" and letter.fos_leaflet is not None
    client.force_login(new_firm_owner)
    for url in (f"/letters/{letter.pk}/print-pack/", f"/api/letters/{letter.pk}/print-pack/"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        pages = PdfReader(io.BytesIO(response.content)).pages
        letter_pages = len(PdfReader(io.BytesIO(letter.sent_pdf)).pages)
        assert len(pages) == letter_pages + 1
        assert "Your complaint and the ombudsman" in pages[-1].extract_text()
    page = client.get(f"/letters/{letter.pk}/")
    assert "FOS leaflet v1 (2026 edition), checked Wed 1 Apr 2026" in page.content.decode()


def test_a_new_leaflet_version_goes_with_later_letters_and_sent_letters_keep_theirs(
    new_firm, new_firm_admin, new_firm_owner
):
    upload(new_firm, new_firm_admin)
    first = investigating(new_firm, new_firm_owner)
    send_final(first, new_firm_owner, method="post")
    upload(new_firm, new_firm_admin, data=tiny_pdf("2027 edition"), label="2027 edition")
    second = investigating(new_firm, new_firm_owner)
    send_final(second, new_firm_owner, method="post")
    kept = Letter.objects.get(complaint=first, letter_type=LetterType.FINAL_REJECTED)
    later = Letter.objects.get(complaint=second, letter_type=LetterType.FINAL_REJECTED)
    assert [kept.fos_leaflet, later.fos_leaflet] == list(
        FosLeaflet.objects.filter(firm=new_firm).order_by("version")
    )
    assert kept.enclosures()[0][1] == LEAFLET


def test_a_letter_that_encloses_nothing_needs_no_leaflet(new_firm, new_firm_owner):
    """The acknowledgement does not say the leaflet is enclosed: it goes without one."""
    c = investigating(new_firm, new_firm_owner)
    ack = Letter.objects.get(complaint=c, letter_type=LetterType.ACKNOWLEDGEMENT)
    assert ack.status == LetterStatus.SENT and ack.fos_leaflet is None
    assert ack.enclosures() == []
