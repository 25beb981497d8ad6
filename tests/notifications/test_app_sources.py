"""The deadline watch and retention see the FOS tracker and the redress ledger (registered in
their apps' ready()), with the same once-only notices as the DISP deadlines."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fos.services import fos_deadline_add
from notifications.models import Notice
from notifications.retention import retention_plan
from notifications.services import deadline_watch_run
from remediation.services import RedressData, redress_accept, redress_offer
from tests.factories import london
from tests.fos.helpers import at, log, responded_complaint
from tests.remediation.conftest import investigating

pytestmark = pytest.mark.django_db


def _notices(kind):
    return list(Notice.objects.filter(kind=kind).values_list("level", flat=True))


def test_fos_response_deadline_is_watched_near_then_breached(firm, handler):
    complaint = responded_complaint(firm=firm, actor=handler, received=london(2026, 1, 5, 10))
    referral = log(complaint, handler, referred_on=date(2026, 3, 2))
    fos_deadline_add(
        referral_id=referral.pk,
        actor=handler,
        now=at(date(2026, 3, 2)),
        description="Send the case file",
        due_on=date(2026, 3, 6),
    )
    deadline_watch_run(now=london(2026, 3, 3, 9), send_emails=False)
    assert _notices("fos_response") == ["near"]
    deadline_watch_run(now=london(2026, 3, 3, 10), send_emails=False)  # once only
    assert _notices("fos_response") == ["near"]
    deadline_watch_run(now=london(2026, 3, 9, 9), send_emails=False)
    assert sorted(_notices("fos_response")) == ["breach", "near"]


def test_disp_1_4_1r_5_accepted_redress_past_its_payment_target_is_a_breach(firm, handler):
    """DISP 1.4.1R(5): accepted redress must be paid promptly (firm target, default 28 days)."""
    c = investigating(firm, handler)
    item = redress_offer(
        complaint_id=c.pk,
        actor=handler,
        now=london(2026, 4, 10, 10),
        data=RedressData(kind="goodwill", amount_gbp=Decimal("50.00"), description="Apology"),
    )
    redress_accept(item_id=item.pk, actor=handler, now=london(2026, 4, 11, 10))
    # Accepted Sat 11 Apr + 28 days: due Sat 9 May 2026.
    deadline_watch_run(now=london(2026, 4, 20, 9), send_emails=False)
    assert _notices("redress_payment") == []
    deadline_watch_run(now=london(2026, 5, 1, 9), send_emails=False)  # within 5 business days
    assert _notices("redress_payment") == ["near"]
    deadline_watch_run(now=london(2026, 5, 11, 9), send_emails=False)
    assert sorted(_notices("redress_payment")) == ["breach", "near"]


def test_disp_1_9_retention_keeps_a_complaint_with_an_open_fos_referral(firm, handler):
    complaint = responded_complaint(firm=firm, actor=handler, received=london(2026, 1, 5, 10))
    log(complaint, handler, referred_on=date(2026, 3, 2))
    from complaints import services

    services.complaint_close(complaint_id=complaint.pk, actor=handler, now=london(2026, 3, 3, 9))
    plan = retention_plan(today=date(2026, 1, 5) + timedelta(days=3 * 366 + 10))
    decision = next(d for d in plan if d.complaint_id == complaint.pk)
    assert not decision.anonymise
    assert "open FOS referral" in decision.reason
