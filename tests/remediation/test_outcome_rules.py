"""Outcome rules tied to the response transitions (DISP 1.4.1R(3)); closing with redress
outstanding (DISP 1.4.1R(5)) is in test_close_with_redress.py."""

from datetime import timedelta
from decimal import Decimal

import pytest

from common.errors import TransitionRefused
from complaints import redress_rules
from complaints import services as cs
from complaints.choices import CommunicationKind, Outcome, Status
from complaints.errors import ErrorCode
from complaints.models import Communication, Complaint
from remediation import selectors
from remediation.models import RedressKind
from remediation.services import redress as services
from tests.factories import make_complaint

from .conftest import RECEIVED, final, investigating

pytestmark = pytest.mark.django_db


def offer(c, actor, kind=RedressKind.FINANCIAL_LOSS, amount="100.00", now=None):
    return services.redress_offer(
        complaint_id=c.pk,
        actor=actor,
        now=now or c.received_at + timedelta(days=5),
        data=services.RedressData(
            kind=kind,
            amount_gbp=Decimal(amount) if amount else None,
            description="Restore the position." if kind == RedressKind.REMEDIAL_ACTION else "",
        ),
    )


@pytest.mark.parametrize("outcome", [Outcome.UPHELD, Outcome.PARTIALLY_UPHELD])
def test_disp_1_4_1r_3_upheld_final_response_refused_without_redress_decision(
    firm, handler, enforce, outcome
):
    c = investigating(firm, handler)
    with pytest.raises(TransitionRefused) as exc:
        final(c, handler, outcome)
    assert exc.value.code == ErrorCode.REDRESS_DECISION_REQUIRED
    assert exc.value.rule == "DISP 1.4.1R(3)"
    c.refresh_from_db()
    # Nothing was written: still investigating, no outcome, no final response letter.
    assert c.status == Status.INVESTIGATING and c.outcome == ""
    assert not Communication.objects.filter(
        complaint=c, kind=CommunicationKind.FINAL_RESPONSE
    ).exists()


def test_disp_1_4_1r_3_redress_offer_or_remedial_action_satisfies_the_rule(firm, handler, enforce):
    c = investigating(firm, handler)
    offer(c, handler, RedressKind.REMEDIAL_ACTION, amount=None)
    final(c, handler, Outcome.UPHELD)
    assert Complaint.objects.get(pk=c.pk).outcome == Outcome.UPHELD


def test_disp_1_4_1r_3_recorded_no_redress_reason_satisfies_the_rule(firm, handler, enforce):
    c = investigating(firm, handler)
    services.redress_record_none_appropriate(
        complaint_id=c.pk,
        actor=handler,
        now=RECEIVED + timedelta(days=3),
        reason="Apology and explanation; the withdrawal completed the same day, no loss.",
    )
    final(c, handler, Outcome.PARTIALLY_UPHELD)
    assert Complaint.objects.get(pk=c.pk).status == Status.FINAL_RESPONSE_SENT


def test_disp_1_4_1r_3_declined_offer_still_counts_as_offered(firm, handler, enforce):
    c = investigating(firm, handler)
    item = offer(c, handler)
    services.redress_decline(item_id=item.pk, actor=handler, now=RECEIVED + timedelta(days=6))
    final(c, handler, Outcome.UPHELD)
    assert Complaint.objects.get(pk=c.pk).outcome == Outcome.UPHELD


def test_disp_1_6_2r_1_b_goodwill_outcome_needs_a_goodwill_payment(firm, handler, enforce):
    c = investigating(firm, handler)
    services.redress_record_none_appropriate(
        complaint_id=c.pk, actor=handler, now=RECEIVED + timedelta(days=3), reason="n/a"
    )
    with pytest.raises(TransitionRefused) as exc:
        final(c, handler, Outcome.GOODWILL)
    assert exc.value.code == ErrorCode.GOODWILL_PAYMENT_REQUIRED
    offer(c, handler, RedressKind.GOODWILL, "25.00")
    final(c, handler, Outcome.GOODWILL)


def test_disp_1_4_1r_3_src_upheld_is_checked_too(firm, handler, enforce):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    with pytest.raises(TransitionRefused):
        cs.complaint_resolve_summary(
            complaint_id=c.pk,
            actor=handler,
            now=RECEIVED + timedelta(hours=3),
            outcome=Outcome.UPHELD,
        )
    offer(c, handler, now=RECEIVED + timedelta(hours=2))
    cs.complaint_resolve_summary(
        complaint_id=c.pk, actor=handler, now=RECEIVED + timedelta(hours=3), outcome=Outcome.UPHELD
    )


def test_not_upheld_needs_no_redress_decision(firm, handler, enforce):
    c = investigating(firm, handler)
    final(c, handler, Outcome.NOT_UPHELD)
    assert redress_rules.outcome_refusal(c, Outcome.NOT_UPHELD, RECEIVED) is None


def test_rule_off_by_default_flags_the_gap_instead(firm, handler):
    c = investigating(firm, handler)
    final(c, handler, Outcome.UPHELD)
    gaps = selectors.upheld_without_redress_decision(Complaint.objects.filter(firm=firm))
    assert list(gaps) == [Complaint.objects.get(pk=c.pk)]
    panel = selectors.complaint_remediation(Complaint.objects.get(pk=c.pk), RECEIVED.date())
    assert "needs redress or remedial action offered" in panel.decision_gap
    offer(c, handler, now=RECEIVED + timedelta(days=11))
    assert not gaps.all().exists()


def test_reopening_keeps_the_old_outcome_in_history(firm, handler, supervisor):
    c = investigating(firm, handler)
    final(c, handler, Outcome.NOT_UPHELD, at=RECEIVED + timedelta(days=10))
    cs.complaint_reopen(
        complaint_id=c.pk,
        actor=supervisor,
        now=RECEIVED + timedelta(days=20),
        reason="New evidence from the custodian",
    )
    offer(c, handler, now=RECEIVED + timedelta(days=25))
    final(c, handler, Outcome.UPHELD, at=RECEIVED + timedelta(days=30))
    history = selectors.outcome_history(Complaint.objects.get(pk=c.pk))
    assert [e.outcome for e in history] == [Outcome.NOT_UPHELD, Outcome.UPHELD]
    assert history[0].superseded_at is not None
    assert history[0].superseded_reason == "Complaint reopened"
    assert history[1].superseded_at is None and history[1].counted_as_upheld
    assert history[0].source == "final response"


def test_withdrawal_and_time_bar_outcomes_appear_in_history(firm, handler):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    cs.complaint_withdraw(complaint_id=c.pk, actor=handler, now=RECEIVED + timedelta(days=1))
    history = selectors.outcome_history(Complaint.objects.get(pk=c.pk))
    assert [e.outcome for e in history] == [Outcome.WITHDRAWN]
