"""Browser: a handler logs a FOS referral from a complaint, moves it through a stage, adds a FOS
deadline and sees it on the referrals list."""

from datetime import date

import pytest
from playwright.sync_api import expect

from fos.models import Referral
from tests.e2e.conftest import login, screenshot
from tests.factories import FirmFactory, MembershipFactory, london
from tests.fos.helpers import responded_complaint


@pytest.mark.django_db(transaction=True)
def test_log_referral_act_and_see_deadline(page, live_server):
    firm = FirmFactory(name="Northgate Digital Exchange Ltd")
    handler = MembershipFactory(firm=firm, role="handler").user
    complaint = responded_complaint(firm=firm, actor=handler, received=london(2025, 11, 3, 10))
    login(page, live_server, handler)

    page.goto(f"{live_server.url}/fos/log/{complaint.pk}/")
    page.get_by_label("Date referred to the FOS").fill("2026-01-12")
    page.get_by_label("FOS case reference").fill("PNX-4242424")
    page.get_by_label("Referred by").select_option("professional_representative")
    page.get_by_role("button", name="Log referral").click()
    expect(page.get_by_role("alert")).to_contain_text("Name the professional representative")
    page.get_by_label("Representative's name").fill("ClaimRight Solutions Ltd")
    page.get_by_role("button", name="Log referral").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("FOS referral PNX-4242424")
    expect(page.get_by_text("Within six months of the final response")).to_be_visible()
    referral = Referral.objects.get()

    page.get_by_text("Investigation started", exact=True).click()
    page.locator("#id_start_investigation_on").fill("2026-01-20")
    page.get_by_role("button", name="Record: Investigation started").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded: Investigation started")
    expect(page.locator("#summary-h + table")).to_contain_text("Investigation")

    page.get_by_text("Add a deadline from FOS correspondence").click()
    page.get_by_label("What the FOS asked for").fill("Send the complaint file")
    page.get_by_label("Due").fill(date(2026, 2, 3).isoformat())
    page.get_by_role("button", name="Add deadline").click()
    expect(page.get_by_role("status")).to_contain_text("FOS deadline added")
    screenshot(page, "fos-referral-detail")

    page.goto(f"{live_server.url}/fos/")
    expect(page.get_by_role("link", name="FOS: Send the complaint file")).to_be_visible()
    expect(page.get_by_role("link", name="PNX-4242424")).to_be_visible()
    screenshot(page, "fos-referrals")
    referral.refresh_from_db()
    assert referral.stage == "investigation"
    assert referral.chargeable_on == date(2026, 1, 20)
