"""Browser flow for the bank holidays page: an administrator records a proclamation that moves
a bank holiday, entered once for England and Wales (Glossary "business day" (1)(a))."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from complaints.choices import Role
from tests.e2e.conftest import login
from tests.factories import FirmFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_records_a_moved_bank_holiday(page, live_server):
    firm = FirmFactory(name="Northgate Digital Exchange Ltd", reference_prefix="NDX")
    admin = MembershipFactory(firm=firm, role=Role.ADMIN).user
    login(page, live_server, admin)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Bank holidays").click()
    expect(page.get_by_role("heading", name="Bank holidays", level=1)).to_be_visible()
    expect(page.get_by_text("No proclaimed days recorded.")).to_be_visible()

    page.get_by_label("Applies in").select_option("england-and-wales")
    page.get_by_label("New bank holiday").fill("2028-05-05")
    page.get_by_label("Replaces (when the proclamation moves a bank holiday)").fill("2028-05-01")
    page.get_by_label("Name").fill("Early May bank holiday (VE Day)")
    page.get_by_role("button", name="Record and recompute").click()

    expect(
        page.get_by_text("England and Wales: bank holiday moved from Mon 1 May 2028")
    ).to_be_visible()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("England and Wales")
    expect(row).to_contain_text("Fri 5 May 2028")
    expect(row).to_contain_text("Mon 1 May 2028 (now a business day)")
