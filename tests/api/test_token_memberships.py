"""The API's token authentication reads the token, its user and the user's memberships in one
query (issue 18), with the memberships complaints.access would have read, and nothing kept
between requests: a membership removed or changed counts on the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory

from complaints import access
from complaints.api.authentication import ApiTokenMembershipAuthentication
from complaints.choices import Role
from complaints.models import Membership
from tests.api.conftest import NOW, client_for
from tests.factories import FirmFactory, MembershipFactory, UserFactory, make_complaint

pytestmark = pytest.mark.django_db


def _authenticate(clear):
    request = APIRequestFactory().get("/api/complaints/", HTTP_AUTHORIZATION=f"Bearer {clear}")
    return ApiTokenMembershipAuthentication().authenticate(request)


def _issue(user):
    from common.tokens import api_token_issue

    return api_token_issue(user=user, name="tests", actor=None, now=NOW).clear


@pytest.mark.parametrize("firms", [0, 1, 3])
def test_one_query_reads_the_token_user_and_the_memberships_access_would_read(firms):
    user = UserFactory()
    for _ in range(firms):
        MembershipFactory(user=user, firm=FirmFactory(), role=Role.SUPERVISOR)
    clear = _issue(user)
    _authenticate(clear)  # the last-used stamp is written at most once a minute
    with CaptureQueriesContext(connection) as ctx:
        found, token = _authenticate(clear)
        got = access.memberships(found)
        [(m.firm.name, m.user.username) for m in got]
    assert len(ctx.captured_queries) == 1
    assert token.user is found and found.pk == user.pk
    # The query's membership and firm columns are taken off the token, none left on it.
    assert not [name for name in vars(token) if name[0] in "mf" and name[1:].isdigit()]
    expected = list(Membership.objects.select_related("firm").filter(user=user).order_by("id"))
    assert [(m.pk, m.role, m.team, m.firm_id, m.firm.name, m.firm.frn) for m in got] == [
        (m.pk, m.role, m.team, m.firm_id, m.firm.name, m.firm.frn) for m in expected
    ]
    assert len(got) == firms


def test_a_removed_membership_loses_access_on_the_next_request(firm, handler):
    complaint = make_complaint(firm=firm, received_at=NOW)
    api = client_for(handler)
    url = f"/api/complaints/{complaint.pk}/"
    assert api.get(url).status_code == 200
    Membership.objects.filter(user=handler, firm=firm).update(role=Role.ADMIN)
    assert api.get(url).status_code == 200  # an admin reads complaints
    assert api.get(url).json()["complainant"].get("vulnerable_health") is None
    Membership.objects.filter(user=handler, firm=firm).delete()
    assert api.get(url).status_code == 404


def test_the_token_errors_are_the_parents(handler):
    from rest_framework.exceptions import AuthenticationFailed

    with pytest.raises(AuthenticationFailed, match="Invalid token."):
        _authenticate("dcm_" + "x" * 40)
    response = client_for(handler)
    response.credentials(HTTP_AUTHORIZATION="Bearer dcm_" + "y" * 40)
    answer = response.get("/api/complaints/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == 'Bearer realm="api"'
