import pytest
from rest_framework.test import APIClient

from common.tokens import api_token_issue
from tests.factories import FirmFactory, MembershipFactory, london, make_complaint

NOW = london(2026, 4, 3, 10, 0)


@pytest.fixture
def other_firm(db):
    return FirmFactory(name="Elsewhere Crypto Ltd")


def client_for(user) -> APIClient:
    """An API client authenticated with a real token (the way integrations call the API)."""
    issued = api_token_issue(user=user, name="tests", actor=None, now=NOW)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.clear}")
    return client


@pytest.fixture
def api(handler):
    return client_for(handler)


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), actor=handler)


def member(firm, role):
    return MembershipFactory(firm=firm, role=role).user


@pytest.fixture(autouse=True)
def frozen(time_machine):
    """API tests run at Fri 3 Apr 2026 10:00 London (worked example E1's complaint is 1 day old)."""
    time_machine.move_to(NOW, tick=False)
