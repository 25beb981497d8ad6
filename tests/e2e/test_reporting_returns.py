"""Browser: a reporting officer loads a snapshot, computes a return, drills into a figure; a
supervisor approves it and the page shows it frozen."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from tests.e2e.conftest import login, screenshot
from tests.factories import MembershipFactory, london, make_complaint
from tests.reporting.helpers import csv_bytes, position


@pytest.mark.django_db(transaction=True)
def test_reporting_officer_prepares_and_supervisor_approves_a_return(
    page, live_server, tmp_path, settings, firm
):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = MembershipFactory(firm=firm, role="reporting_officer").user
    supervisor = MembershipFactory(firm=firm, role="supervisor").user
    for day in (3, 4):
        make_complaint(firm=firm, received_at=london(2028, 2, day, 10))
    good = tmp_path / "positions.csv"
    good.write_bytes(
        csv_bytes(
            [
                position("A", "A1"),
                position("A", "A2"),
                position("B", "B1", vulnerable=True),
                position("C", "C1", balance="0"),
            ]
        )
    )
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_bytes([position("A", "A1"), ("B", "maybe", "no", "no", "B1", "arranging", "open", "1")])
    )

    with time_machine.travel(london(2028, 4, 8, 9), tick=True):
        login(page, live_server, officer)
        page.goto(f"{live_server.url}/reporting/")
        expect(
            page.get_by_role("heading", name=re.compile("SUP 16.34 quarterly returns"))
        ).to_be_visible()
        page.get_by_role("link", name="Load a snapshot").click()
        page.get_by_label("Positions as at (period end)").fill("2028-03-31")
        page.get_by_label("Client position file (.csv or .xlsx)").set_input_files(str(bad))
        page.get_by_role("button", name="Check and import").click()
        # The upload answers with its job's page; the job (run in-process here) has finished.
        expect(
            page.get_by_role("heading", name="Loading a client position snapshot")
        ).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("Failed")
        page.get_by_role("link", name="See every error").click()
        expect(page.get_by_role("heading", name="bad.csv was not imported")).to_be_visible()
        expect(page.get_by_role("cell", name="is_retail")).to_be_visible()
        screenshot(page, "reporting-import-rejected")

        page.get_by_role("link", name=re.compile("Returns for")).click()
        page.get_by_role("link", name="Load a snapshot").click()
        page.get_by_label("Positions as at (period end)").fill("2028-03-31")
        page.get_by_label("Client position file (.csv or .xlsx)").set_input_files(str(good))
        page.get_by_role("button", name="Check and import").click()
        expect(page.get_by_role("status")).to_contain_text("Imported 4 rows.")
        page.get_by_role("link", name="See the result").click()
        expect(
            page.get_by_role("heading", name="Client positions as at Fri 31 Mar 2028")
        ).to_be_visible()

        page.get_by_role("link", name=re.compile("Returns for")).click()
        page.get_by_role("button", name=re.compile("for the period ending Fri 31 Mar 2028")).click()
        expect(page.get_by_text("Computed version 1.")).to_be_visible()
        figures = page.locator("table.figures")
        expect(figures.locator("tr", has_text="SUP 16.34.6R(1)")).to_contain_text("2")
        expect(figures.locator("tr", has_text="SUP 16.34.6R(3)")).to_contain_text("2")
        expect(page.get_by_text("another approver must approve it")).to_be_visible()
        screenshot(page, "reporting-return-draft")

        page.get_by_role("link", name="See the clients behind SUP 16.34.6R(4)").click()
        expect(page.get_by_role("cell", name="B", exact=True)).to_be_visible()

        page.context.clear_cookies()
        login(page, live_server, supervisor)
        page.goto(f"{live_server.url}/reporting/")
        page.get_by_role("link", name="Version 1").first.click()
        page.get_by_role("button", name="Approve version 1").click()
        expect(page.get_by_text("Version 1 approved and frozen.")).to_be_visible()
        expect(page.get_by_text("Frozen: these figures")).to_be_visible()
        screenshot(page, "reporting-return-approved")
