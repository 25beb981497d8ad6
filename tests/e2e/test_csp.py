"""Browser: the main pages run under the Content-Security-Policy with nothing refused (issue 15
item 7). Chromium reports every refused script, style, frame or eval on the console; the
scripts that replaced inline code (firm switcher, template editor) still work."""

from datetime import timedelta
from typing import cast

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints.choices import Role
from complaints.models import Firm
from tests.e2e.conftest import login
from tests.factories import FirmFactory, MembershipFactory, make_complaint

pytestmark = pytest.mark.django_db(transaction=True)

# As a supervisor of one firm, then (after the firm switcher) as the other firm's administrator.
SUPERVISOR_PAGES = [
    "/",
    "/complaints/new/",
    "/complaints/{complaint}/",
    "/letters/complaint/{complaint}/",
    "/calculator/",
    "/remediation/",
    "/remediation/incidents/",
    "/fos/",
    "/reporting/",
    "/notifications/",
    "/audit/",
    "/audit/complaints/{complaint}/",
    "/api/docs/",
    "/accounts/password_reset/",
    # The user's own two-factor page. (The Django admin has no sign-in page of its own any more:
    # /admin/login/ sends to the product's sign-in, tests/e2e/test_two_factor_sign_in.py.)
    "/accounts/2fa/",
]
ADMIN_PAGES = ["/bank-holidays/", "/letters/templates/", "/letters/templates/acknowledgement/"]


def _watch_csp(page) -> list[str]:
    """Console messages and securitypolicyviolation events: anything the policy refused."""
    refused: list[str] = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            refused.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return refused


def _visit(page, live_server, paths, **kwargs):
    for path in paths:
        response = page.goto(live_server.url + path.format(**kwargs))
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")


def test_the_main_pages_raise_no_content_security_policy_violation(page, live_server):
    firm = cast(Firm, FirmFactory(name="Northgate Digital Exchange Ltd"))
    other = cast(Firm, FirmFactory(name="Caledonian Crypto Ltd"))
    user = MembershipFactory(firm=firm, role=Role.SUPERVISOR).user
    MembershipFactory(firm=other, role=Role.ADMIN, user=user)
    complaint = make_complaint(
        firm=firm, received_at=timezone.now() - timedelta(hours=2), actor=user
    )
    refused = _watch_csp(page)

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    login(page, live_server, user, firm_id=firm.pk)
    _visit(page, live_server, SUPERVISOR_PAGES, complaint=complaint.pk)

    # The letter page shows the letter in a frame, under the same policy.
    page.goto(f"{live_server.url}/letters/complaint/{complaint.pk}/")
    page.get_by_label("Letter", exact=True).select_option("acknowledgement")
    page.get_by_role("button", name="Draft letter").click()
    expect(page.get_by_role("heading", name="Mandatory content")).to_be_visible()
    page.wait_for_load_state("networkidle")

    # The firm switcher submits on change without an inline handler.
    page.goto(f"{live_server.url}/")
    page.get_by_label("Firm").select_option(str(other.pk))
    expect(page.locator(".topbar__user")).to_contain_text("Caledonian Crypto Ltd")
    _visit(page, live_server, ADMIN_PAGES)

    # The template editor's script (a static file now) still loads the standard wording, and
    # its live preview (a srcdoc frame with the letter layout) renders.
    page.goto(f"{live_server.url}/letters/templates/acknowledgement/")
    page.get_by_label("Subject").fill("Changed")
    page.get_by_role("button", name="Load the standard wording").click()
    expect(page.get_by_label("Subject")).not_to_have_value("Changed")
    page.wait_for_load_state("networkidle")

    assert refused == [], "\n".join(refused)
