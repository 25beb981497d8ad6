import pytest

from tests.factories import MembershipFactory


@pytest.fixture
def officer(firm):
    """Prepares returns (and could approve others' work)."""
    return MembershipFactory(firm=firm, role="reporting_officer").user


@pytest.fixture
def approver(firm):
    return MembershipFactory(firm=firm, role="supervisor").user
