"""A supervisor reviews a complaint's history in the browser and exports it for an auditor."""

from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from complaints import services
from tests.e2e.conftest import login, screenshot
from tests.factories import MembershipFactory, london, make_complaint


@pytest.mark.django_db(transaction=True)
def test_supervisor_reviews_filters_and_exports_a_complaints_audit_trail(
    page, live_server, firm, handler
):
    supervisor = MembershipFactory(firm=firm, role="supervisor").user
    with time_machine.travel(london(2026, 4, 6, 10), tick=False):
        complaint = make_complaint(firm=firm, received_at=london(2026, 4, 6, 9), actor=handler)
    services.complaint_acknowledge(
        complaint_id=complaint.pk,
        actor=handler,
        now=london(2026, 4, 7, 11),
        sent_at=london(2026, 4, 7, 11),
    )
    services.complaint_add_note(
        complaint_id=complaint.pk,
        actor=supervisor,
        now=london(2026, 4, 8, 12),
        body="Ledger checked: withdrawal delayed by the custodian.",
    )

    login(page, live_server, supervisor, firm_id=firm.pk)
    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("Complaint reference").fill(complaint.reference)
    page.get_by_role("button", name="Open audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Audit trail: {complaint.reference}")
    rows = page.locator("tr.audit-entry")
    # register, complainant, acknowledge, communication, letter created + sent, the letter's
    # delivery attempt (written after commit, so only in a transactional test like this), note
    expect(rows).to_have_count(8)
    expect(page.get_by_text(f"Acknowledgement sent by {handler.get_full_name()}")).to_be_visible()
    screenshot(page, "audit-timeline")

    # Only notes, by the supervisor.
    page.get_by_label("Person").select_option(str(supervisor.pk))
    page.get_by_label("Note").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ledger checked")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Export CSV").click()
    csv_file = csv_download.value
    assert csv_file.suggested_filename.startswith(f"audit-{complaint.reference}-")
    content = Path(csv_file.path()).read_text(encoding="utf-8")
    assert "Internal note added by" in content and "Complaint logged" not in content

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Export PDF").click()
    pdf_file = pdf_download.value
    assert pdf_file.suggested_filename.endswith(".pdf")
    assert Path(pdf_file.path()).read_bytes()[:5] == b"%PDF-"
