"""Letters honour the complainant's reasonable adjustments (FG21/1; Equality Act 2010 s.20):
the preferred channel, large print, an accessible (tagged, PDF/UA-1) PDF, plain-text e-mail and
Welsh. Each is a real PDF or a real message: pdftotext, pdfinfo and pypdf read what was sent."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile

import pytest
from pypdf import PdfReader

from complaints import services
from complaints.models import Complainant
from letters.choices import LetterType
from letters.models import Letter
from letters.services import letter_create_draft
from tests.factories import ComplainantFactory, london, make_complaint
from tests.letters.pdf import pdf_text, pdfinfo
from tests.letters.scenarios import SOON, member, prepare, scenario_named, send
from tests.letters.welsh import ask_for, ask_for_welsh, offer_welsh

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 4, 1, 9)
NOW = london(2026, 4, 2, 10)


def _word_heights(data: bytes, word: str) -> list[float]:
    """The height, in points, of each occurrence of ``word`` on the PDF's pages (pdftotext's
    bounding boxes): the type size as printed."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["pdftotext", "-bbox", f.name, "-"], capture_output=True, check=True)
    boxes = re.findall(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">' + word + "<", out.stdout.decode()
    )
    return [float(y2) - float(y1) for y1, y2 in boxes]


def _acknowledged(firm, handler, **adjustments) -> Letter:
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    if adjustments:
        ask_for(complaint, handler, **adjustments)
    services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
    return Letter.objects.get(complaint=complaint)


def test_every_letter_pdf_is_tagged_with_its_title_and_language(firm, handler):
    """Accessible PDF: every letter is a tagged PDF (a structure screen readers follow) with the
    subject as its title and the letter's language."""
    letter = _acknowledged(firm, handler)
    info = pdfinfo(bytes(letter.pdf))
    assert info["Tagged"] == "yes"
    assert info["Title"] == letter.subject
    root = PdfReader(io.BytesIO(bytes(letter.pdf))).trailer["/Root"]
    assert root["/Lang"] == "en-GB" and "/StructTreeRoot" in root


def test_reasonable_adjustment_accessible_pdf_declares_pdf_ua_1(firm, handler):
    plain = _acknowledged(firm, handler)
    accessible = _acknowledged(firm, handler, accessible_pdf=True)

    def declares_ua(letter) -> bool:
        metadata = PdfReader(io.BytesIO(bytes(letter.pdf))).trailer["/Root"].get("/Metadata")
        return metadata is not None and b"pdfuaid" in metadata.get_object().get_data()

    assert declares_ua(accessible) and not declares_ua(plain)
    assert pdfinfo(bytes(accessible.pdf))["Tagged"] == "yes"


def test_reasonable_adjustment_large_print_letter_is_set_in_16pt_and_passes_the_checks(
    firm, handler
):
    """Large print (RNIB clear print guidance: 16pt or more for large print): the body of the
    letter as printed is at least 16pt high, against 10pt for the standard layout."""
    standard = _acknowledged(firm, handler)
    large = _acknowledged(firm, handler, large_print=True)
    assert all(c["passed"] for c in large.check_results)
    assert "we have received your complaint" in pdf_text(bytes(large.pdf)).lower()
    # DejaVu Sans glyph boxes are ~1.16 em: 16pt type is over 18pt high, 10pt under 12.
    assert min(_word_heights(bytes(large.pdf), "Thank")) >= 16 * 1.1
    assert max(_word_heights(bytes(standard.pdf), "Thank")) < 12 * 1.2
    assert int(pdfinfo(bytes(large.pdf))["Pages"]) > int(pdfinfo(bytes(standard.pdf))["Pages"])


def test_welsh_large_print_final_response_renders_to_pdf_and_passes_the_checks(firm):
    """A Welsh final response in large print: a real PDF in Welsh (language cy), with DISP 1
    Annex 3R in English word for word, every content check passed."""
    offer_welsh(firm)
    scenario = scenario_named("final-rejected")
    handler = member(firm, "handler")
    complaint = prepare(scenario, firm, handler)
    ask_for_welsh(complaint, handler, large_print=True)
    send(scenario, complaint, handler)
    letter = Letter.objects.get(complaint=complaint, letter_type=scenario.letter_type)
    assert all(c["passed"] for c in letter.check_results)
    text = pdf_text(bytes(letter.pdf))
    assert "Annwyl Jo Bloggs" in text
    assert "nid ydym yn cadarnhau eich cwyn" in text
    assert "Gwasanaeth yr Ombwdsmon Ariannol" in text
    assert "but you must do so within six months of the date of this letter" in text
    assert "Tudalen 1 o" in text and "Ein cyfeirnod" in text
    assert re.search(r"(Llun|Maw|Mer|Iau|Gwe|Sad|Sul) \d+ Mehefin 2026", text)
    assert PdfReader(io.BytesIO(bytes(letter.pdf))).trailer["/Root"]["/Lang"] == "cy"
    assert pdfinfo(bytes(letter.pdf))["Tagged"] == "yes"
    assert min(_word_heights(bytes(letter.pdf), "Annwyl")) >= 16 * 1.1


def test_reasonable_adjustment_preferred_channel_post_is_the_default_delivery(firm, handler):
    letter = _acknowledged(firm, handler, preferred_channel="post")
    assert (letter.delivery, letter.communication.method) == ("post", "post")


def test_reasonable_adjustment_preferred_channel_on_a_draft_and_its_send(firm, handler, client):
    """The letter page offers the preferred channel, and sending without a choice uses it."""
    person = ComplainantFactory(firm=firm, phone="07700 900123")
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler, complainant=person)
    ask_for(complaint, handler, preferred_channel="phone", contact_times="Evenings after 6pm")
    draft = letter_create_draft(
        complaint_id=complaint.pk,
        letter_type=LetterType.ACKNOWLEDGEMENT,
        actor=handler,
        now=NOW,
    )
    client.force_login(handler)
    page = client.get(f"/letters/{draft.pk}/").content.decode()
    assert re.search(r'<option value="phone" selected>', page)
    assert "Contact times: Evenings after 6pm" in page
    services.complaint_send_letter(letter_id=draft.pk, actor=handler, now=NOW)
    draft.refresh_from_db()
    assert draft.delivery == "phone"


def test_never_email_to_a_complainant_without_an_email_address(firm, handler):
    person = ComplainantFactory(firm=firm, email="", address="1 High Street\nCardiff CF10 1AA")
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler, complainant=person)
    services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
    assert Letter.objects.get(complaint=complaint).delivery == "post"


def test_reasonable_adjustment_plain_text_email_has_no_html_part(
    firm, handler, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(NOW, tick=False)
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    ask_for(complaint, handler, plain_text_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
    (message,) = mailoutbox
    assert message.alternatives == []
    assert message.message().get_content_type() == "multipart/mixed"
    parts = [p.get_content_type() for p in message.message().walk()]
    assert "text/html" not in parts and "text/plain" in parts
    assert "We have received your complaint" in message.body
    assert [a[2] for a in message.attachments] == ["application/pdf"]


def test_an_html_email_without_the_adjustment(
    firm, handler, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(NOW, tick=False)
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
    (message,) = mailoutbox
    assert [mimetype for _, mimetype in message.alternatives] == ["text/html"]


def test_adjustments_are_kept_on_the_complainant_for_all_their_complaints(firm, handler):
    first = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    ask_for(first, handler, large_print=True, contact_times="Mornings")
    second = make_complaint(
        firm=firm, received_at=RECEIVED, actor=handler, complainant=first.complainant
    )
    services.complaint_acknowledge(complaint_id=second.pk, actor=handler, now=SOON)
    letter = Letter.objects.get(complaint=second)
    assert 'class="large-print"' in letter.html
    person = Complainant.objects.get(pk=first.complainant_id)
    assert person.history.first().history_change_reason == "complainant.adjustments"
