"""The state machines of the redress ledger and the action register: a status changes only
through a transition, and each transition only from the states its table allows."""

from datetime import date

import pytest
from django_fsm import TransitionNotAllowed, can_proceed

from remediation.models import ActionStatus, RedressItem, RedressStatus, RemediationAction
from remediation.services.actions import action_create
from tests.factories import london

AT = london(2026, 4, 14, 9, 30)

# (from, transition) → to; every pair not listed is refused.
REDRESS_MOVES = {
    (RedressStatus.OFFERED, "accept"): RedressStatus.ACCEPTED,
    (RedressStatus.OFFERED, "decline"): RedressStatus.DECLINED,
    (RedressStatus.ACCEPTED, "pay"): RedressStatus.PAID,
}
REDRESS_ARGS = {
    "accept": {"at": AT, "payment_target_days": 28},
    "decline": {"at": AT, "reason": "Too low"},
    "pay": {"at": AT, "reference": "FPS-1"},
}
ACTION_MOVES = {
    (ActionStatus.OPEN, "start_work"): ActionStatus.IN_PROGRESS,
    (ActionStatus.OPEN, "complete"): ActionStatus.DONE,
    (ActionStatus.IN_PROGRESS, "stop_work"): ActionStatus.OPEN,
    (ActionStatus.IN_PROGRESS, "complete"): ActionStatus.DONE,
    (ActionStatus.DONE, "start_work"): ActionStatus.IN_PROGRESS,
    (ActionStatus.DONE, "record_effective"): ActionStatus.VERIFIED_EFFECTIVE,
    (ActionStatus.DONE, "record_not_effective"): ActionStatus.NOT_EFFECTIVE,
    # A fix that did not work goes back to work; the failed review stays in the history.
    (ActionStatus.NOT_EFFECTIVE, "start_work"): ActionStatus.IN_PROGRESS,
}
ACTION_ARGS = {
    "start_work": {},
    "stop_work": {},
    "complete": {"fix_date": date(2026, 4, 14)},
    "record_effective": {"note": "Fewer complaints", "at": AT, "by": None},
    "record_not_effective": {"note": "No change", "at": AT, "by": None},
}


@pytest.mark.parametrize("transition", list(REDRESS_ARGS))
@pytest.mark.parametrize("status", RedressStatus.values)
def test_redress_transition_table(status, transition):
    item = RedressItem(status=status, offered_at=AT)
    target = REDRESS_MOVES.get((status, transition))
    assert can_proceed(getattr(item, transition)) is (target is not None)
    if target is None:
        with pytest.raises(TransitionNotAllowed):
            getattr(item, transition)(**REDRESS_ARGS[transition])
        assert item.status == status
    else:
        getattr(item, transition)(**REDRESS_ARGS[transition])
        assert item.status == target


@pytest.mark.parametrize("transition", list(ACTION_ARGS))
@pytest.mark.parametrize("status", ActionStatus.values)
def test_action_transition_table(status, transition):
    action = RemediationAction(status=status)
    target = ACTION_MOVES.get((status, transition))
    assert can_proceed(getattr(action, transition)) is (target is not None)
    if target is None:
        with pytest.raises(TransitionNotAllowed):
            getattr(action, transition)(**ACTION_ARGS[transition])
        assert action.status == status
    else:
        getattr(action, transition)(**ACTION_ARGS[transition])
        assert action.status == target


def test_disp_1_4_1r_5_paid_and_declined_redress_are_final():
    for status in (RedressStatus.PAID, RedressStatus.DECLINED):
        item = RedressItem(status=status, offered_at=AT)
        assert not any(can_proceed(getattr(item, t)) for t in REDRESS_ARGS)


def test_disp_1_3_3r_a_verified_effective_action_is_final():
    action = RemediationAction(status=ActionStatus.VERIFIED_EFFECTIVE)
    assert not any(can_proceed(getattr(action, t)) for t in ACTION_ARGS)


@pytest.mark.django_db
def test_redress_status_cannot_be_assigned_directly(item):
    with pytest.raises(AttributeError):
        item.status = RedressStatus.PAID
    item.refresh_from_db()
    with pytest.raises(AttributeError):
        item.status = RedressStatus.ACCEPTED
    assert RedressItem.objects.get(pk=item.pk).status == RedressStatus.OFFERED


@pytest.mark.django_db
def test_action_status_cannot_be_assigned_directly(tree, firm, handler, supervisor):
    action = action_create(
        firm=firm,
        actor=supervisor,
        now=AT,
        title="Failover",
        root_cause_id=tree["outage"].pk,
        owner_id=handler.pk,
        due_on=date(2026, 5, 1),
        review_on=date(2026, 6, 1),
    )
    with pytest.raises(AttributeError):
        action.status = ActionStatus.VERIFIED_EFFECTIVE
    action.refresh_from_db()
    with pytest.raises(AttributeError):
        action.status = ActionStatus.DONE
    assert RemediationAction.objects.get(pk=action.pk).status == ActionStatus.OPEN
