from datetime import timedelta
from decimal import Decimal

import pytest

from complaints import services as cs
from complaints.choices import Outcome
from remediation.models import RedressKind
from remediation.services.incidents import incident_create
from remediation.services.redress import RedressData, redress_offer
from remediation.services.root_causes import root_cause_create
from tests.factories import MembershipFactory, london, make_complaint

# Thu 2 Apr 2026 10:00 (disp-rules E1 date); the SRC window closes Tue 7 Apr at 17:00.
RECEIVED = london(2026, 4, 2, 10, 0)
OFFERED = london(2026, 4, 10, 11, 0)
ACCEPTED = london(2026, 4, 14, 9, 30)  # Tue 14 Apr 2026: due 28 days later, Tue 12 May
# An exchange outage on the evening of Sat 14 Mar 2026, recorded the next morning.
OUTAGE_START, OUTAGE_END = london(2026, 3, 14, 17, 40), london(2026, 3, 14, 22, 5)
OUTAGE_NOW = london(2026, 3, 15, 9, 0)


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


@pytest.fixture
def complaint(firm, handler):
    return investigating(firm, handler)


@pytest.fixture
def item(complaint, handler):
    """A financial-loss redress offer on the complaint, not yet answered."""
    return redress_offer(
        complaint_id=complaint.pk,
        actor=handler,
        now=OFFERED,
        data=RedressData(kind=RedressKind.FINANCIAL_LOSS, amount_gbp=Decimal("1487.25")),
    )


@pytest.fixture
def tree(firm, admin_user):
    platform = root_cause_create(firm=firm, actor=admin_user, name="Platform availability")
    outage = root_cause_create(firm=firm, actor=admin_user, name="Outage", parent_id=platform.pk)
    backlog = root_cause_create(firm=firm, actor=admin_user, name="Backlog", parent_id=platform.pk)
    comms = root_cause_create(firm=firm, actor=admin_user, name="Communication")
    return {"platform": platform, "outage": outage, "backlog": backlog, "comms": comms}


@pytest.fixture
def incident(firm, supervisor):
    return incident_create(
        firm=firm,
        actor=supervisor,
        now=OUTAGE_NOW,
        name="Exchange outage 14 Mar",
        started_at=OUTAGE_START,
        ended_at=OUTAGE_END,
        description="Matching engine down.",
    )


@pytest.fixture
def outage_complaints(firm, handler):
    return [
        make_complaint(
            firm=firm,
            received_at=OUTAGE_START + timedelta(minutes=20 * i),
            actor=handler,
            description=f"Outage: order {i} stuck",
            now=OUTAGE_NOW,
        )
        for i in range(4)
    ]
