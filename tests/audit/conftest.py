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
