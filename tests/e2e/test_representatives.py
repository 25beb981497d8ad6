"""Browser: a handler records a claims management company acting for the complainant, with its
letter of authority; the letter workspace then addresses the acknowledgement to it, and the sent
e-mail goes to the company with the complainant's copy (DISP 2.7.2R)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from letters.models import Letter, LetterDelivery
from tests.e2e.conftest import login, screenshot
from tests.factories import FirmFactory, MembershipFactory, make_complaint


@pytest.fixture
def locmem_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.mark.django_db(transaction=True)
def test_representative_receives_the_letters_with_a_copy_to_the_complainant(
    page, live_server, locmem_mail, mailoutbox
):
    firm = FirmFactory(name="Northgate Digital Exchange Ltd")
    handler = MembershipFactory(firm=firm, role="handler").user
    complaint = make_complaint(
        firm=firm, received_at=timezone.now() - timedelta(hours=2), actor=handler
    )
    login(page, live_server, handler, firm_id=firm.pk)

    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.get_by_role("link", name="Record a representative").click()
    page.get_by_label("Kind").select_option("claims_manager")
    page.get_by_label("Name", exact=True).fill("ClaimRight Ltd")
    page.get_by_label("Postal address").fill("2 Claim Street\nLeeds\nLS2 2BB")
    page.get_by_label("E-mail address").fill("cases@claimright.example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").first).to_contain_text("FCA reference")
    page.get_by_label("FCA/SRA reference").fill("FRN 830000")
    page.get_by_label("The authority says the complainant gets a copy").check()
    page.get_by_label("Evidence of authority").fill("Letter of authority signed by Jo Bloggs")
    page.get_by_label("Evidence reference").fill("EV-2026-0042")
    page.get_by_label("Received on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Representative recorded.")).to_be_visible()
    panel = page.locator(".panel--representatives")
    expect(panel).to_contain_text("ClaimRight Ltd")
    expect(panel).to_contain_text("Letters go to them")
    screenshot(page, "representative-panel")

    page.goto(f"{live_server.url}/letters/complaint/{complaint.pk}/")
    page.get_by_label("Letter", exact=True).select_option("acknowledgement")
    page.get_by_role("button", name="Draft letter").click()
    expect(page.get_by_text("ClaimRight Ltd, the complainant's representative")).to_be_visible()
    expect(page.get_by_text("with a copy to Jo Bloggs")).to_be_visible()
    page.get_by_label("Delivery").select_option("email")
    page.get_by_role("button", name="Send letter").click()
    page.get_by_role("button", name="Yes, send the letter").click()
    expect(page.get_by_text("Sent. The complaint has moved on")).to_be_visible()

    letter = Letter.objects.get(complaint=complaint)
    page.goto(f"{live_server.url}/letters/{letter.pk}/")
    expect(page.get_by_text("copy to jo@example.test")).to_be_visible()
    expect(page.get_by_text("Sent to jo@example.test (the complainant's copy)")).to_be_visible()
    screenshot(page, "representative-letter")

    assert [m.to for m in mailoutbox] == [["cases@claimright.example"], ["jo@example.test"]]
    assert LetterDelivery.objects.filter(letter=letter, is_copy=True, status="sent").exists()
    pdf = page.request.get(f"{live_server.url}/letters/{letter.pk}/pdf/")
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.body())).pages)
    text = " ".join(text.split())
    assert "ClaimRight Ltd 2 Claim Street Leeds LS2 2BB" in text
    assert "Dear ClaimRight Ltd," in text and "Your client: Jo Bloggs" in text
