"""Browser: a supervisor links outage complaints to an incident from a search, acknowledges
them in bulk, and opens the MI dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from remediation import services
from remediation.models import IncidentLink
from tests.e2e.conftest import login, screenshot
from tests.factories import FirmFactory, MembershipFactory, make_complaint


@pytest.mark.django_db(transaction=True)
def test_link_complaints_to_an_incident_and_open_the_dashboard(page, live_server):
    firm = FirmFactory(name="Northgate Digital Exchange Ltd")
    supervisor = MembershipFactory(firm=firm, role="supervisor").user
    now = timezone.now()
    start = now - timedelta(days=2)
    outage = [
        make_complaint(
            firm=firm,
            received_at=start + timedelta(minutes=15 * i),
            now=now,
            description=f"Outage: my order {i} was stuck while the platform was down",
        )
        for i in range(5)
    ]
    make_complaint(firm=firm, received_at=start, now=now, description="Staking rewards short")
    incident = services.incident_create(
        firm=firm,
        actor=supervisor,
        now=now,
        name="Exchange outage",
        started_at=start - timedelta(minutes=5),
        ended_at=start + timedelta(hours=3),
    )

    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/remediation/incidents/")
    page.get_by_role("link", name="Exchange outage").click()
    page.get_by_label("Text").fill("outage")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-results tbody tr")).to_have_count(5)
    page.get_by_role("button", name="Link all 5 results").click()
    expect(page.get_by_text("Linked 5 complaint(s).")).to_be_visible()
    expect(page.locator("#linked-complaints tbody tr")).to_have_count(5)
    assert IncidentLink.objects.filter(incident=incident).count() == 5

    page.get_by_label("Action", exact=True).select_option("acknowledge")
    page.get_by_role("button", name="Run bulk action").click()
    expect(page.get_by_role("heading", name="5 succeeded, 0 failed")).to_be_visible()
    assert all(c.reference in page.content() for c in outage)

    page.get_by_role("link", name="MI").click()
    expect(page.get_by_role("heading", name="Complaints MI")).to_be_visible()
    expect(page.locator("#mi-totals")).to_contain_text("6")
    expect(page.locator("#table-incident")).to_contain_text("Exchange outage")
    expect(page.locator("svg#chart-incident title").first).to_contain_text("Complaints by incident")
    screenshot(page, "remediation-dashboard")
