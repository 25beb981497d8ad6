from datetime import timedelta

import pytest

from complaints import services as cs
from complaints.choices import Outcome
from tests.factories import MembershipFactory, london, make_complaint

# Thu 2 Apr 2026 10:00 (disp-rules E1 date); the SRC window closes Tue 7 Apr at 17:00.
RECEIVED = london(2026, 4, 2, 10, 0)


@pytest.fixture
def enforce(settings):
    settings.REMEDIATION_ENFORCE_REDRESS_DECISION = True


@pytest.fixture
def reporting_officer(firm):
    return MembershipFactory(firm=firm, role="reporting_officer").user


@pytest.fixture
def admin_user(firm):
    return MembershipFactory(firm=firm, role="admin").user


def investigating(firm, actor, received=RECEIVED, **kwargs):
    c = make_complaint(firm=firm, received_at=received, actor=actor, **kwargs)
    cs.complaint_acknowledge(complaint_id=c.pk, actor=actor, now=received + timedelta(hours=1))
    cs.complaint_start_investigation(
        complaint_id=c.pk, actor=actor, now=received + timedelta(hours=2)
    )
    return c


def final(c, actor, outcome=Outcome.UPHELD, at=None):
    at = at or c.received_at + timedelta(days=10)
    return cs.complaint_send_final_response(
        complaint_id=c.pk,
        actor=actor,
        now=at,
        outcome=outcome,
        # A partly upheld response must give reasons for the part not upheld (DISP 1.4.1R(4)).
        summary="The delay was ours; the market loss was not caused by it.",
    )
