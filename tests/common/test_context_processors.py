import pytest
from django.conf import settings
from django.test import RequestFactory

from complaints import context_processors
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_firm_context_names_the_current_membership_and_firm():
    m = MembershipFactory()
    request = RequestFactory().get("/")
    request.user = m.user
    request.session = {}
    ctx = context_processors.firm_context(request)
    assert ctx["current_membership"] == m
    assert ctx["current_firm"] == m.firm
    assert ctx["memberships"] == [m]


def test_every_template_gets_the_firm_and_the_unread_count():
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    assert "complaints.context_processors.firm_context" in processors
    assert "notifications.selectors.unread_context" in processors
