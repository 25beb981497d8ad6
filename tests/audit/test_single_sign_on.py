"""Single sign-on (issue 15 item 5): a firm's OpenID Connect identity provider signs in an
existing member of that firm by a verified e-mail address, and nobody else; tested against a
real provider the suite runs (tests/oidc_provider_project)."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from complaints.choices import Role
from complaints.models import Membership
from tests.audit.sso import link_identity_provider, sign_in_through_idp
from tests.factories import FirmFactory, MembershipFactory, UserFactory

User = get_user_model()


@pytest.fixture
def firm(db):
    return FirmFactory(name="Strict Crypto Ltd")


@pytest.fixture
def linked(firm, oidc_idp):
    return link_identity_provider(firm, oidc_idp)


@pytest.fixture
def ann(firm):
    user = UserFactory(username="ann.member", email="ann.member@strict.example")
    MembershipFactory(firm=firm, user=user, role=Role.HANDLER)
    return user


@pytest.mark.django_db
def test_a_member_signs_in_through_the_firms_provider_by_verified_email(client, linked, ann):
    response = sign_in_through_idp(client, "ann")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(ann.pk)
    assert SocialAccount.objects.get(user=ann).provider == linked.provider_id
    # The next sign-in finds the member by the provider's subject.
    client.post("/accounts/logout/")
    assert sign_in_through_idp(client, "ann").status_code == 302
    assert client.session["_auth_user_id"] == str(ann.pk)


@pytest.mark.django_db
def test_an_unknown_email_is_refused_and_no_account_is_made(client, linked, ann):
    users_before = User.objects.count()
    response = sign_in_through_idp(client, "stranger")
    assert response.status_code == 403
    assert "did not give a verified e-mail address of a member" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before and not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_an_email_the_provider_has_not_verified_is_refused(client, linked, firm):
    user = UserFactory(username="unv", email="unverified@strict.example")
    MembershipFactory(firm=firm, user=user)
    assert sign_in_through_idp(client, "unverified").status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_member_of_another_firm_with_that_email_is_refused(client, linked):
    other = UserFactory(username="ann.elsewhere", email="ann.member@strict.example")
    MembershipFactory(firm=FirmFactory(), user=other)
    assert sign_in_through_idp(client, "ann").status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_linked_account_is_refused_once_the_membership_ends(client, linked, ann):
    sign_in_through_idp(client, "ann")
    client.post("/accounts/logout/")
    Membership.objects.filter(user=ann).delete()
    response = sign_in_through_idp(client, "ann")
    assert response.status_code == 403 and "no longer a member" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_firm_requiring_two_factor_asks_it_of_members_signing_in_through_the_provider(
    client, firm, linked, ann
):
    firm.require_two_factor = True
    firm.save(update_fields=["require_two_factor"])
    sign_in_through_idp(client, "ann")
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.django_db
def test_the_sign_in_page_offers_each_linked_provider(client, linked):
    page = client.get("/accounts/login/").content.decode()
    assert f"Sign in with {linked.name}" in page
    assert f'href="/accounts/oidc/{linked.provider_id}/login/"' in page
