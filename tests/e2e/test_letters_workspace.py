"""Browser: a handler sends an acknowledgement and a final response from the letters
workspace, then downloads the final response PDF."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from complaints import services
from complaints.choices import Status
from complaints.models import Complaint
from letters.models import Letter
from tests.e2e.conftest import login, screenshot
from tests.factories import FirmFactory, MembershipFactory, make_complaint

REASONS = "The withdrawal was held for a routine security review, as our terms allow."


@pytest.mark.django_db(transaction=True)
def test_send_acknowledgement_and_final_response_and_open_the_pdf(page, live_server):
    firm = FirmFactory(
        name="Northgate Digital Exchange Ltd",
        address="1 Exchange Square\nLondon\nEC2A 2AA",
        complaints_email="complaints@northgate.example",
    )
    handler = MembershipFactory(firm=firm, role="handler").user
    complaint = make_complaint(
        firm=firm, received_at=timezone.now() - timedelta(hours=2), actor=handler
    )
    login(page, live_server, handler, firm_id=firm.pk)

    page.goto(f"{live_server.url}/letters/complaint/{complaint.pk}/")
    expect(page.get_by_role("heading", name=f"Letters for {complaint.reference}")).to_be_visible()
    page.get_by_label("Letter", exact=True).select_option("acknowledgement")
    page.get_by_role("button", name="Draft letter").click()
    expect(page.get_by_role("heading", name="Mandatory content")).to_be_visible()
    expect(page.locator(".checks .fail")).to_have_count(0)
    screenshot(page, "letters-draft")
    page.get_by_label("Delivery").select_option("email")
    page.get_by_role("button", name="Send letter").click()
    page.get_by_role("button", name="Yes, send the letter").click()
    expect(page.get_by_text("Sent. The complaint has moved on")).to_be_visible()
    assert Complaint.objects.get(pk=complaint.pk).status == Status.ACKNOWLEDGED

    services.complaint_start_investigation(
        complaint_id=complaint.pk, actor=handler, now=timezone.now()
    )
    page.goto(f"{live_server.url}/letters/complaint/{complaint.pk}/")
    page.get_by_label("Letter", exact=True).select_option("final_rejected")
    page.get_by_label("Outcome").select_option("not_upheld")
    page.get_by_label("Reasons").fill(REASONS)
    page.get_by_role("button", name="Draft letter").click()
    expect(page.locator(".checks .pass")).not_to_have_count(0)
    expect(page.locator(".checks .fail")).to_have_count(0)
    page.get_by_label("Delivery").select_option("post")
    page.get_by_role("button", name="Send letter").click()
    page.get_by_role("button", name="Yes, send the letter").click()
    expect(page.get_by_text("SHA-256 of the PDF")).to_be_visible()
    screenshot(page, "letters-sent")

    complaint.refresh_from_db()
    assert complaint.status == Status.FINAL_RESPONSE_SENT
    assert complaint.fos_six_month_deadline is not None
    letter = Letter.objects.get(complaint=complaint, letter_type="final_rejected")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        downloaded = fh.read()
    assert downloaded == bytes(letter.pdf)

    response = page.request.get(f"{live_server.url}/letters/{letter.pk}/pdf/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(response.body())).pages)
    text = " ".join(text.split())
    assert "we do not uphold your complaint" in text
    assert REASONS in text
    assert "within six months of the date of this letter" in text

    page.goto(f"{live_server.url}/letters/complaint/{complaint.pk}/")
    expect(page.get_by_role("heading", name="Sent")).to_be_visible()
    screenshot(page, "letters-workspace")
