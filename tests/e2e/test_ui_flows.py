"""Browser flows for the complaint handler's UI (Playwright driving Debian's Chromium).

The live server runs in another thread, so time cannot be frozen: complaints are received
relative to the real now, and assertions are about what the handler sees, not fixed dates.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints.choices import Activity, Regime, Role
from tests.e2e.conftest import login, screenshot
from tests.factories import (
    ComplainantFactory,
    FirmFactory,
    MembershipFactory,
    make_complaint,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"


def _handler():
    firm = FirmFactory(name="Northgate Digital Exchange Ltd", reference_prefix="NDX")
    member = MembershipFactory(firm=firm, role=Role.HANDLER)
    user = member.user
    user.first_name, user.last_name = "Hannah", "Okafor"
    user.save()
    return firm, user


def _queue_data(firm, user):
    """A few complaints around the real now so the queue shows every urgency."""
    now = timezone.now()
    fragile = ComplainantFactory(
        firm=firm,
        name="Oliver Bennett",
        vulnerable_health=True,
        vulnerability_note="Carer",
        vulnerability_support_needs=True,
        vulnerability_consent=True,
    )
    for days, name, kwargs in (
        (70, "Freya Morgan", {}),
        (1, "Noah Patel", {}),
        (20, "Amelia Clarke", {"activity": Activity.SAFEGUARDING}),
        (3, "Grace Hughes", {"regime": Regime.PSD_EMD}),
    ):
        make_complaint(
            firm=firm,
            received_at=now - timedelta(days=days),
            complainant=ComplainantFactory(firm=firm, name=name),
            owner_id=user.pk,
            **kwargs,
        )
    make_complaint(
        firm=firm, received_at=now - timedelta(days=2), complainant=fragile, owner_id=user.pk
    )


def test_sign_in_log_acknowledge_resolve_by_src_and_see_the_timeline(page, live_server):
    firm, user = _handler()
    _queue_data(firm, user)

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    screenshot(page, "sign-in")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name=re.compile("Work queue"))).to_be_visible()
    expect(page.locator("table.queue")).to_contain_text("Breached")
    expect(page.locator("table.queue")).to_contain_text("Support needs recorded")
    screenshot(page, "queue")

    page.get_by_role("link", name="Log a complaint").first.click()
    expect(page.get_by_role("heading", name="Log a complaint")).to_be_visible()
    page.get_by_label("They allege they have suffered (or may suffer) financial loss").check()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("A complaint")
    page.get_by_label("Channel").select_option("email")
    page.get_by_label("Activity complained about").select_option("operating_catp")
    page.get_by_label("What is the complaint about?").fill(
        "I sold 0.4 BTC on Monday and the pounds have not arrived in my bank account."
    )
    page.get_by_label("Full name").fill("Imogen Castellano")
    page.get_by_label("E-mail").fill("imogen@example.test")
    page.get_by_label("Capability").check()
    page.get_by_label("The complainant consents to the detail being recorded").check()
    # Live deadlines (htmx) before saving: DISP 1.5.1R SRC and the 8-week final response.
    expect(preview).to_contain_text("DISP 1.5.1R")
    expect(preview).to_contain_text("close of business")
    expect(preview).to_contain_text("DISP 1.6.2R")
    screenshot(page, "log-complaint")
    page.get_by_role("button", name="Log complaint").click()

    expect(page.get_by_role("heading", name=re.compile(r"NDX-\d{4}-\d{5}"))).to_be_visible()
    deadlines = page.locator("table.deadlines")
    expect(deadlines).to_contain_text("DISP 1.5.1R")
    expect(deadlines).to_contain_text("business days left")
    expect(page.locator(".complainant")).to_contain_text("Capability")

    page.locator("#action-acknowledge > summary").click()
    page.locator("#action-acknowledge").get_by_role("button", name="Continue").click()
    # Issue 16: the letter is seen before it goes: its pages, its checks, focus on the heading.
    heading = page.get_by_role("heading", name="Confirm: Acknowledge")
    expect(heading).to_be_focused()
    expect(page.locator("img.letter-page").first).to_be_visible()
    expect(page.locator(".checks .fail")).to_have_count(0)
    screenshot(page, "letter-confirmation")
    page.get_by_role("button", name="Yes, acknowledge").click()
    expect(page.locator("h1 .status")).to_have_text("Acknowledged")

    page.locator("#action-resolve_summary > summary").click()
    page.locator("#id_resolve_summary_outcome").select_option("upheld")
    page.locator("#action-resolve_summary").get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm: Resolve by SRC")).to_be_visible()
    page.get_by_role("button", name="Yes, record the SRC as sent").click()
    expect(page.locator("h1 .status")).to_have_text("Resolved by SRC")

    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Logged the complaint")
    expect(timeline).to_contain_text("Acknowledged the complaint")
    expect(timeline).to_contain_text("Resolved by summary resolution communication")
    expect(timeline).to_contain_text("Summary resolution communication (DISP 1.5.4R) sent by Email")
    expect(timeline).to_contain_text("Hannah Okafor")
    screenshot(page, "complaint-page")

    page.get_by_role("link", name="Deadline calculator").click()
    page.get_by_label("Received (date and time, UK time)").fill("2026-04-02T16:00")
    page.get_by_label("Complaint-handling establishment in").select_option("scotland")
    results = page.locator("#calc-results")
    # disp-rules E2: Scotland has no Easter Monday holiday, so the SRC is Wed 8 Apr 2026.
    expect(results).to_contain_text("Wed 8 Apr 2026, close of business")
    expect(results).to_contain_text("Thu 28 May 2026")
    screenshot(page, "calculator")


def test_acknowledge_investigate_and_send_a_final_response(page, live_server):
    firm, user = _handler()
    complaint = make_complaint(
        firm=firm,
        received_at=timezone.now() - timedelta(days=10),
        owner_id=user.pk,
        complainant=ComplainantFactory(firm=firm, name="Arthur Jones"),
    )
    login(page, live_server, user)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    # Ten days after receipt the SRC window is closed: the button is disabled with the reason.
    expect(page.locator("#why-resolve_summary")).to_contain_text("SRC deadline passed on")

    page.locator("#action-acknowledge > summary").click()
    page.locator("#action-acknowledge").get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Yes, acknowledge").click()
    expect(page.locator("h1 .status")).to_have_text("Acknowledged")

    page.locator("#action-start_investigation > summary").click()
    page.locator("#action-start_investigation").get_by_role(
        "button", name="Start investigation"
    ).click()
    expect(page.locator("h1 .status")).to_have_text("Investigating")

    page.locator("#action-send_final_response > summary").click()
    form = page.locator("#action-send_final_response")
    form.get_by_label("Outcome").select_option("partially_upheld")
    form.get_by_label("Summary of the response").fill("We refund the withdrawal fee.")
    form.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm: Send final response")).to_be_visible()
    expect(page.locator(".summary")).to_contain_text("Partially upheld")
    expect(page.locator(".shown-letter")).to_contain_text("We refund the withdrawal fee.")
    page.get_by_role("button", name="Yes, record the final response as sent").click()

    expect(page.locator("h1 .status")).to_have_text("Final response sent")
    expect(page.locator("#deadline-final_response")).to_contain_text("Met: final response sent")
    expect(page.locator("#deadline-fos_six_month")).to_contain_text("DISP 2.8.2R(1)")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Sent the final response")
    expect(timeline).to_contain_text("We refund the withdrawal fee.")
    expect(timeline).to_contain_text("Partially upheld")

    # Issue 16: the side column (Letters, Outcome ...) never overflows from 1024 to 1920 px:
    # no element in it ends right of the column; its tables wrap within their cards.
    for width in (1024, 1280, 1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        overflowing = page.evaluate(SIDE_COLUMN_OVERFLOW)
        assert overflowing == [], (width, overflowing)


# The elements of the complaint page's side column whose right edge passes the column's.
SIDE_COLUMN_OVERFLOW = """() => {
  const side = document.querySelector('.detail__side');
  const edge = side.getBoundingClientRect().right + 0.5;
  const tables = side.querySelectorAll('table');
  if (tables.length < 2) return ['expected the Letters and Outcome tables'];
  return [...side.querySelectorAll('*')]
    .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > edge)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(
      el.getBoundingClientRect().right)} > ${Math.round(edge)}`);
}"""
