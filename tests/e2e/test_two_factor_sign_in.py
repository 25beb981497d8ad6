"""Browser (issue 15 item 5): a member of a firm requiring two-factor sign-in enrols an
authenticator app, signs out, signs in with a code computed from the secret, and with a recovery
code; and a member signs in end to end through the firm's real OpenID Connect provider. No
page on the way raises a Content-Security-Policy violation."""

import pytest
from playwright.sync_api import expect

from complaints.choices import Role
from tests.audit.sso import IDP_PASSWORD, IDP_USERS, PROVIDER_ID, link_identity_provider
from tests.audit.two_factor import PASSWORD, totp
from tests.e2e.test_csp import _watch_csp
from tests.factories import FirmFactory, MembershipFactory, UserFactory
from tests.oidc_provider_project.running import oidc_provider

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _one_period_of_drift(settings):
    settings.MFA_TOTP_TOLERANCE = 1  # enrol with this period's code, sign in with the next


def _password_sign_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()


def test_enrol_sign_in_with_a_code_then_with_a_recovery_code(page, live_server):
    refused = _watch_csp(page)
    firm = FirmFactory(name="Strict Crypto Ltd", require_two_factor=True)
    user = MembershipFactory(firm=firm, role=Role.HANDLER).user

    _password_sign_in(page, live_server, user.username)
    # Sent to set it up; allauth asks for the password again before the change.
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    expect(page.get_by_text("Your firm requires two-factor sign-in")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    secret = page.get_by_label("Secret").input_value()
    page.locator("input[name=code]").fill(totp(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    _sign_out(page)

    _password_sign_in(page, live_server, user.username)
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    page.locator("input[name=code]").fill(totp(secret, step=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Work queue")).to_be_visible()
    _sign_out(page)

    _password_sign_in(page, live_server, user.username)
    page.locator("input[name=code]").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Work queue")).to_be_visible()
    _sign_out(page)

    # The same recovery code a second time: refused.
    _password_sign_in(page, live_server, user.username)
    page.locator("input[name=code]").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Incorrect code")).to_be_visible()
    assert refused == []


def test_sign_in_through_the_firms_openid_connect_provider(page, live_server, tmp_path):
    refused = _watch_csp(page)
    firm = FirmFactory(name="Strict Crypto Ltd")
    ann = UserFactory(username="ann.member", email="ann.member@strict.example")
    MembershipFactory(firm=firm, user=ann, role=Role.HANDLER)
    callback = f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/"
    with oidc_provider(tmp_path, redirect_uris=[callback], users=IDP_USERS) as provider:
        app = link_identity_provider(firm, provider)
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_role("link", name=f"Sign in with {app.name}").click()
        # At the identity provider: its own sign-in page.
        expect(page.get_by_role("heading", name="Example identity provider")).to_be_visible()
        page.get_by_label("Username").fill("ann")
        page.get_by_label("Password").fill(IDP_PASSWORD)
        page.get_by_role("button", name="Sign in to the identity provider").click()
        # Back in the product, signed in as the member.
        expect(page.get_by_role("heading", name="Work queue")).to_be_visible()
        expect(page.locator(".user-name")).to_have_text(ann.get_full_name())
    assert refused == []
