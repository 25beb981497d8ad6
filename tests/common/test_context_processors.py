import pytest
from django.test import RequestFactory

from common import context_processors
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_registered_providers_add_to_every_template_context(monkeypatch):
    monkeypatch.setattr(context_processors, "_PROVIDERS", [])
    context_processors.register_context_provider(lambda request: {"unread_notifications": 7})
    m = MembershipFactory()
    request = RequestFactory().get("/")
    request.user = m.user
    request.session = {}
    ctx = context_processors.firm_context(request)
    assert ctx["unread_notifications"] == 7
    assert ctx["current_membership"] == m
