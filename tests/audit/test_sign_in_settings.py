"""The firm administrator's sign-in settings, on the page and through the API (issue 15 item 5)."""

import pytest
from allauth.mfa.models import Authenticator

from complaints.choices import Role
from tests.api.conftest import client_for
from tests.factories import FirmFactory, MembershipFactory


@pytest.fixture
def firm(db):
    return FirmFactory(name="Strict Crypto Ltd")


@pytest.fixture
def admin(firm):
    return MembershipFactory(firm=firm, role=Role.ADMIN).user


@pytest.mark.django_db
def test_the_administrator_requires_two_factor_on_the_page_and_resets_a_member(client, firm, admin):
    member = MembershipFactory(firm=firm, role=Role.HANDLER)
    Authenticator.objects.create(user=member.user, type=Authenticator.Type.TOTP, data={})
    # The administrator has an app too: once required, the rule holds for them as well.
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={})
    client.force_login(admin)
    page = client.get("/audit/sign-in/")
    assert page.status_code == 200 and "Set up" in page.content.decode()
    saved = client.post("/audit/sign-in/", {"require_two_factor": "on"}, follow=True)
    assert "required of every member" in saved.content.decode()
    firm.refresh_from_db()
    assert firm.require_two_factor

    reset = client.post(f"/audit/sign-in/members/{member.pk}/reset-two-factor/", follow=True)
    assert "Two-factor sign-in reset" in reset.content.decode()
    assert not Authenticator.objects.filter(user=member.user).exists()


@pytest.mark.django_db
def test_the_api_reads_and_changes_the_requirement_for_administrators_only(firm, admin):
    url = f"/api/firms/{firm.pk}/sign-in-settings/"
    handler = MembershipFactory(firm=firm, role=Role.HANDLER).user
    assert client_for(handler).get(url).json() == {
        "require_two_factor": False,
        "identity_provider": None,
    }
    refused = client_for(handler).patch(url, {"require_two_factor": True}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    bad = client_for(admin).patch(url, {"require_two_factor": "maybe"}, format="json")
    assert bad.status_code == 400 and "require_two_factor" in bad.json()["fields"]
    ok = client_for(admin).patch(url, {"require_two_factor": True}, format="json")
    assert ok.status_code == 200 and ok.json()["require_two_factor"] is True
    other = FirmFactory()
    assert client_for(admin).get(f"/api/firms/{other.pk}/sign-in-settings/").status_code == 404
