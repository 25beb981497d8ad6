"""The API complaint detail reads everything its body and its available actions need with the
row (issue 18): the redress still unsettled (DISP 1.4.1R(5), which the close action's
availability reads) and only the firm's, complainant's and owner's columns it shows. Every
detail sends the token's query and the complaint's, whatever the complaint's state, and the
body is the one the full row renders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from complaints.api.base import complaints_with_next_deadline
from complaints.choices import Outcome
from complaints.models import Complainant
from complaints.serializers import ComplaintDetailSerializer
from remediation.services import redress as services
from tests.api.conftest import client_for
from tests.factories import MembershipFactory, make_complaint

from .conftest import RECEIVED, final, investigating
from .test_outcome_rules import offer

pytestmark = pytest.mark.django_db

NOW = RECEIVED + timedelta(days=12)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def _complaints(firm, handler):
    """A complaint in each state the detail words differently, with and without redress owed."""
    received = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    vulnerable = investigating(firm, handler, owner_id=handler.pk)
    Complainant.objects.filter(complaints=vulnerable).update(
        vulnerability_support_needs=True, vulnerable_health=True, vulnerability_note="Large print"
    )
    offered = investigating(firm, handler)
    offer(offered, handler)
    final(offered, handler, Outcome.UPHELD)
    accepted = investigating(firm, handler)
    item = offer(accepted, handler)
    final(accepted, handler, Outcome.UPHELD)
    services.redress_accept(item_id=item.pk, actor=handler, now=RECEIVED + timedelta(days=11))
    settled = investigating(firm, handler)
    final(settled, handler, Outcome.NOT_UPHELD)
    return [received, vulnerable, offered, accepted, settled]


def _close(body: dict) -> dict:
    return next(a for a in body["available_actions"] if a["name"] == "close")


def test_each_detail_is_the_full_rows_body_in_two_queries(firm, handler):
    complaints = _complaints(firm, handler)
    readers = [handler, MembershipFactory(firm=firm, role="reporting_officer").user]
    for reader in readers:
        api = client_for(reader)
        api.get(f"/api/complaints/{complaints[0].pk}/")  # last_used_at, once a minute
        for complaint in complaints:
            with CaptureQueriesContext(connection) as sent:
                response = api.get(f"/api/complaints/{complaint.pk}/")
            assert response.status_code == 200
            assert len(sent) == 2, [q["sql"][:120] for q in sent]  # the token's, the row's
            row = complaints_with_next_deadline(NOW).get(pk=complaint.pk)  # every column
            full = ComplaintDetailSerializer(row, context={"now": NOW, "user": reader}).data
            assert response.content == JSONRenderer().render(full)


def test_the_close_action_says_what_redress_is_still_owed(firm, handler):
    """DISP 1.4.1R(5): read with the row, the counts say the same as the ledger's query."""
    _, _, offered, accepted, settled = _complaints(firm, handler)
    api = client_for(handler)
    needs = {
        c.pk: _close(api.get(f"/api/complaints/{c.pk}/").json())["needs"]
        for c in (offered, accepted, settled)
    }
    assert needs[offered.pk].startswith("1 redress offer still waiting for the complainant's")
    assert needs[accepted.pk].startswith("1 accepted redress item still to be paid")
    assert needs[settled.pk] == ""
