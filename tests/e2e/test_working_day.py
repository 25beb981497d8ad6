"""Issue 16's working days in Chromium: a handler's (e-mail arrives → draft → logged → reply →
task → evidence → final response → FOS case file) and a supervisor's (inbox → approve with the
preview → audit trail and its PDF → a colleague's activity). Data is built through the services;
only the steps the issue names are clicked. Screenshots go to docs/screenshots/day-*.png and
axe-core checks every page the day opens."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from complaints import services
from complaints.models import Complaint
from complaints.services.saved_filters import saved_filter_create
from fos.services import referral_log
from letters.choices import LetterStatus
from letters.models import Letter
from mailroom.tasks import poll_mailbox
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import make_complaint, tiny_pdf
from tests.inbox.helpers import submitted_letter
from tests.mailservers import USER, message

A4 = (595, 842)  # points, rounded


@pytest.mark.django_db(transaction=True)
def test_a_handlers_day(page, live_server, firm, handler, mailbox, inbox, smtp):
    now = timezone.now()
    arrived = (now - timedelta(hours=2)).replace(microsecond=0)
    inbox.append(
        USER,
        message(
            sender="Sam Doe <sam@example.test>",
            subject="Withdrawal stuck for ten days",
            body="I have lost money: my withdrawal of 0.3 BTC has been pending for ten days.",
            message_id="<day-1@example.test>",
            attachment=("wallet-history.pdf", "application/pdf", tiny_pdf("Wallet history")),
        ),
        arrived=arrived,
    )
    # The beat's task for one mailbox, run here rather than queued.
    assert poll_mailbox(mailbox.pk)["imported"] == 1
    earlier = make_complaint(firm=firm, received_at=now - timedelta(days=3), owner_id=handler.pk)

    login(page, live_server, handler, firm_id=firm.pk)
    page.goto(f"{live_server.url}/mail/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("E-mail")
    screenshot(page, "day-handler-email")
    assert_accessible(page)

    page.get_by_role("link", name="Withdrawal stuck for ten days").click()
    page.get_by_role("link", name="Open as a complaint").click()
    expect(page.get_by_label("Full name")).to_have_value("Sam Doe")
    local = timezone.localtime(arrived).strftime("%Y-%m-%dT%H:%M")
    expect(page.locator("[name=received_at]")).to_have_value(re.compile(f"^{local}"))
    page.get_by_label("They allege they have suffered (or may suffer) financial loss").check()
    page.get_by_label("Activity complained about").select_option("operating_catp")
    page.get_by_label("The date of the event is not known").check()
    expect(page.locator("#preview")).to_contain_text("DISP 1.5.1R")
    screenshot(page, "day-handler-draft")
    assert_accessible(page)
    page.get_by_role("button", name="Log complaint").click()
    expect(page.get_by_role("heading", name=re.compile(r"[A-Z]+-\d{4}-\d{5}"))).to_be_visible()
    complaint = Complaint.objects.exclude(pk=earlier.pk).get()
    assert complaint.received_at == arrived  # the DISP clock starts when the e-mail arrived

    # A reply from the case page reaches the complainant, threaded on the e-mail.
    page.get_by_label(re.compile("E-mail to sam@example.test")).fill("We are looking into it.")
    page.get_by_role("button", name="Send e-mail").click()
    expect(page.locator(".email--out .tag")).to_contain_text("Sent")
    [sent] = [m for m in smtp.received if m["In-Reply-To"] == "<day-1@example.test>"]
    assert sent["To"] == "sam@example.test" and sent["Subject"].startswith("Re: ")

    tasks = page.locator(".panel--tasks")
    tasks.get_by_label("Task").select_option("call_back")
    tasks.get_by_label("Due on").fill(timezone.localdate().isoformat())
    tasks.get_by_label("Note").fill("Call Sam back about the custodian.")
    tasks.get_by_role("button", name="Add task").click()
    expect(page.locator(".panel--tasks table.tasks")).to_contain_text("Call back")

    evidence = page.locator(".panel--evidence")
    evidence.get_by_label("Kind of evidence").select_option("statement")
    evidence.get_by_label("Title").fill("Wallet statement")
    evidence.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "statement.pdf",
                "mimeType": "application/pdf",
                "buffer": tiny_pdf("Wallet statement"),
            }
        ]
    )
    evidence.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".panel--evidence img.evidence-preview").first).to_be_visible()
    # The e-mail's attachment became evidence when the e-mail was filed on the complaint.
    from_email = page.locator(".panel--evidence li.evidence", has_text="from an e-mail")
    expect(from_email).to_contain_text("wallet-history.pdf")
    screenshot(page, "day-handler-complaint")
    assert_accessible(page)

    page.goto(f"{live_server.url}/tasks/")
    expect(page.get_by_role("main")).to_contain_text("Call back")
    expect(page.get_by_role("main")).to_contain_text(complaint.reference)
    assert_accessible(page)

    # Acknowledged and investigated (the earlier steps of the day), then the final response.
    services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=timezone.now())
    services.complaint_start_investigation(
        complaint_id=complaint.pk, actor=handler, now=timezone.now()
    )
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.locator("#action-send_final_response > summary").click()
    page.locator("#id_send_final_response_outcome").select_option("not_upheld")
    page.locator("#id_send_final_response_summary").fill("The delay was the custodian's.")
    page.locator("#action-send_final_response").get_by_role("button", name="Continue").click()
    expect(page.locator("img.letter-page").first).to_be_visible()
    screenshot(page, "day-handler-final-response")
    assert_accessible(page)
    page.locator("form.confirm-actions button[type=submit]").click()
    expect(page.locator("h1 .status")).to_have_text(re.compile("Final response", re.I))

    referral = referral_log(
        complaint_id=complaint.pk,
        actor=handler,
        now=timezone.now(),
        referred_on=timezone.localdate(),
    )
    page.goto(f"{live_server.url}/fos/{referral.pk}/")
    with page.expect_download() as download:
        page.locator(f'a[href$="/fos/{referral.pk}/case-file/"]').first.click()
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert any(n.endswith("-statement.pdf") and "/evidence/" in n for n in names), names
    assert any(n.endswith("-wallet-history.pdf") and "/evidence/" in n for n in names), names
    assert any("/letters/" in n and "final" in n.lower() for n in names), names

    # The queue with a saved view and a bulk selection, and the complainant's page.
    saved_filter_create(
        firm_id=firm.pk, actor=handler, now=timezone.now(), name="Mine", query="tab=mine"
    )
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Mine", exact=True)).to_be_visible()
    page.get_by_label(f"Choose {earlier.reference}").check()
    page.locator("details.queue-tools__save > summary").click()
    screenshot(page, "day-handler-queue")
    assert_accessible(page)
    page.goto(f"{live_server.url}/complaints/complainants/{complaint.complainant_id}/")
    expect(page.get_by_role("main")).to_contain_text(complaint.reference)
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_supervisors_day(page, live_server, firm, handler, supervisor):
    now = timezone.now()
    letter = submitted_letter(firm, handler, now - timedelta(days=12))  # awaiting approval
    breached = make_complaint(firm=firm, received_at=now - timedelta(days=70), actor=handler)
    # A colleague's busy day: more changes than one page of activity holds (50 a page).
    for i in range(51):
        services.complaint_add_note(
            complaint_id=breached.pk, actor=handler, now=now, body=f"Chased the custodian ({i})."
        )

    login(page, live_server, supervisor, firm_id=firm.pk)
    page.goto(f"{live_server.url}/inbox/")
    nav_count = page.locator(".inbox-count .badge")
    # The letter, the breach (unassigned too: one complaint, two sections): three need attention.
    expect(nav_count).to_have_text("3")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inbox")
    screenshot(page, "day-supervisor-inbox")
    assert_accessible(page)

    page.locator(f'a[href*="/letters/{letter.pk}/"]').first.click()
    page.get_by_label("Approval note (optional)").fill("Reasons read against the file.")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("approve")
    expect(page.locator("img.letter-page").first).to_be_visible()
    expect(page.get_by_text("Every check passes.")).to_be_visible()
    screenshot(page, "day-supervisor-approval-preview")
    assert_accessible(page)
    page.locator("form.confirm-actions button[type=submit]").click()
    expect(page.get_by_text("Approved", exact=True).first).to_be_visible()
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.APPROVED

    page.goto(f"{live_server.url}/audit/complaints/{letter.complaint_id}/")
    approved = page.locator("tr.audit-entry", has_text="approved")
    expect(approved.first).to_be_visible()
    acknowledged = f"Acknowledgement sent by {handler.get_full_name()}"
    expect(page.get_by_text(acknowledged)).to_be_visible()
    screenshot(page, "day-supervisor-audit")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export PDF").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert acknowledged in text and letter.complaint.reference in text

    page.goto(f"{live_server.url}/audit/users/{handler.pk}/")
    expect(page.get_by_text("Page 1 of 2", exact=True)).to_be_visible()
    expect(page.get_by_text("Chased the custodian (50).")).to_be_visible()
    page.get_by_role("link", name="Older").click()
    expect(page.get_by_text("Page 2 of 2", exact=True)).to_be_visible()
    screenshot(page, "day-supervisor-activity")
    assert_accessible(page)
