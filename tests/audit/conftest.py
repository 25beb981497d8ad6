import pytest

from complaints.choices import Role
from tests.factories import FirmFactory, MembershipFactory, UserFactory


@pytest.fixture
def firm_b(db):
    return FirmFactory(name="Other Firm Ltd")


@pytest.fixture
def role_users(firm):
    """One user per role in ``firm``."""
    return {
        role.value: MembershipFactory(
            firm=firm, role=role, user=UserFactory(first_name=role.label, last_name="User")
        ).user
        for role in Role
    }


@pytest.fixture(scope="session")
def oidc_idp(tmp_path_factory):
    """A real OpenID Connect provider (django-oidc-provider, tests/oidc_provider_project) in a
    subprocess for the session, knowing the users the single sign-on tests sign in as."""
    from tests.audit.sso import IDP_USERS, PROVIDER_ID
    from tests.oidc_provider_project.running import oidc_provider

    callback = f"http://testserver/accounts/oidc/{PROVIDER_ID}/login/callback/"
    with oidc_provider(
        tmp_path_factory.mktemp("oidc"), redirect_uris=[callback], users=IDP_USERS
    ) as provider:
        yield provider
