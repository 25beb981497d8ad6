import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(handler):
    client = APIClient()
    client.force_authenticate(handler)
    return client
