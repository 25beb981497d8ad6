"""The action register: raising actions, their status rules and the effectiveness review
(DISP 1.3.3R)."""

from datetime import date, timedelta

import pytest

from common.errors import ConflictError, ValidationFailed
from remediation import selectors
from remediation.models import ActionStatus, RemediationAction
from remediation.services.actions import action_create, action_set_status
from remediation.services.root_causes import complaint_root_cause_assign
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db
NOW = london(2026, 6, 1, 9)


def test_disp_1_3_3r_effectiveness_counts_equal_windows_before_and_after_the_fix(
    tree, firm, handler, supervisor
):
    fix = date(2026, 5, 1)
    # Hand-counted: window = fix → review (30 days). Before: 1–30 Apr 2026; after: 1–30 May.
    received = {
        date(2026, 3, 31): "outage",  # before the before-window: not counted
        date(2026, 4, 1): "outage",  # before
        date(2026, 4, 20): "outage",  # before
        date(2026, 4, 30): "platform",  # before (parent node counts)
        date(2026, 4, 25): "comms",  # other cause: not counted
        date(2026, 5, 1): "outage",  # after (fix day is in the after-window)
        date(2026, 5, 30): "outage",  # after
        date(2026, 5, 31): "outage",  # beyond the after-window
    }
    for day, cause in received.items():
        c = make_complaint(
            firm=firm, received_at=london(day.year, day.month, day.day, 12), actor=handler, now=NOW
        )
        complaint_root_cause_assign(
            complaint_id=c.pk, root_cause_id=tree[cause].pk, actor=handler, now=NOW
        )
    action = action_create(
        firm=firm,
        actor=supervisor,
        now=london(2026, 4, 10, 9),
        title="Failover",
        root_cause_id=tree["platform"].pk,
        owner_id=handler.pk,
        due_on=date(2026, 4, 30),
        review_on=date(2026, 5, 31),
    )
    action_set_status(
        action_id=action.pk, actor=supervisor, now=NOW, status=ActionStatus.DONE, fix_date=fix
    )
    action.refresh_from_db()
    effect = selectors.action_effectiveness(action, today=date(2026, 6, 1))
    assert (effect.window_days, effect.before, effect.after, effect.complete) == (30, 3, 2, True)
    assert effect.change_pct == -33
    # Before the review date the window is the days elapsed so far, marked incomplete.
    early = selectors.action_effectiveness(action, today=date(2026, 5, 11))
    assert (early.window_days, early.complete) == (10, False)


def test_action_status_rules(tree, firm, handler, supervisor):
    action = action_create(
        firm=firm,
        actor=supervisor,
        now=NOW,
        title="Fix",
        root_cause_id=tree["outage"].pk,
        owner_id=handler.pk,
        due_on=date(2026, 6, 10),
        review_on=date(2026, 8, 1),
    )
    with pytest.raises(ConflictError):
        action_set_status(
            action_id=action.pk,
            actor=supervisor,
            now=NOW,
            status=ActionStatus.VERIFIED_EFFECTIVE,
            review_note="ok",
        )
    action_set_status(action_id=action.pk, actor=supervisor, now=NOW, status=ActionStatus.DONE)
    with pytest.raises(ValidationFailed) as exc:
        action_set_status(
            action_id=action.pk, actor=supervisor, now=NOW, status=ActionStatus.NOT_EFFECTIVE
        )
    assert "review_note" in exc.value.fields
    action_set_status(
        action_id=action.pk,
        actor=supervisor,
        now=NOW + timedelta(days=60),
        status=ActionStatus.NOT_EFFECTIVE,
        review_note="No change",
    )
    action_set_status(
        action_id=action.pk,
        actor=supervisor,
        now=NOW + timedelta(days=61),
        status=ActionStatus.IN_PROGRESS,
    )
    reasons = list(
        action.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["action.create", "action.done", "action.not_effective", "action.in_progress"]


def test_action_needs_a_root_cause_or_incident_and_a_member_owner(firm, supervisor, handler):
    with pytest.raises(ValidationFailed) as exc:
        action_create(
            firm=firm,
            actor=supervisor,
            now=NOW,
            title="x",
            owner_id=handler.pk,
            due_on=date(2026, 6, 2),
            review_on=date(2026, 7, 1),
        )
    assert "root_cause" in exc.value.fields


# Each status, and the statuses an action in it may move to.
ACTION_TABLE = {
    ActionStatus.OPEN: {ActionStatus.IN_PROGRESS, ActionStatus.DONE},
    ActionStatus.IN_PROGRESS: {ActionStatus.OPEN, ActionStatus.DONE},
    ActionStatus.DONE: {
        ActionStatus.IN_PROGRESS,
        ActionStatus.VERIFIED_EFFECTIVE,
        ActionStatus.NOT_EFFECTIVE,
    },
    ActionStatus.VERIFIED_EFFECTIVE: set(),
    ActionStatus.NOT_EFFECTIVE: {ActionStatus.IN_PROGRESS},
}
# The service calls that bring a new (open) action to each status.
PATH = {
    ActionStatus.OPEN: [],
    ActionStatus.IN_PROGRESS: [ActionStatus.IN_PROGRESS],
    ActionStatus.DONE: [ActionStatus.DONE],
    ActionStatus.VERIFIED_EFFECTIVE: [ActionStatus.DONE, ActionStatus.VERIFIED_EFFECTIVE],
    ActionStatus.NOT_EFFECTIVE: [ActionStatus.DONE, ActionStatus.NOT_EFFECTIVE],
}


@pytest.mark.parametrize("target", ActionStatus.values)
@pytest.mark.parametrize("status", ActionStatus.values)
def test_disp_1_3_3r_action_status_table(tree, firm, handler, supervisor, status, target):
    action = action_create(
        firm=firm,
        actor=supervisor,
        now=NOW,
        title="Fix",
        root_cause_id=tree["outage"].pk,
        owner_id=handler.pk,
        due_on=date(2026, 6, 10),
        review_on=date(2026, 8, 1),
    )
    for step in PATH[status]:
        action_set_status(
            action_id=action.pk, actor=supervisor, now=NOW, status=step, review_note="Seen"
        )
    version = RemediationAction.objects.get(pk=action.pk).version
    move = {
        "action_id": action.pk,
        "actor": supervisor,
        "now": NOW,
        "status": target,
        "review_note": "Reviewed",
    }
    if target in ACTION_TABLE[status]:
        assert action_set_status(**move).status == target
    else:
        with pytest.raises(ConflictError) as exc:
            action_set_status(**move)
        assert exc.value.code == "invalid_state" and exc.value.extra["status"] == status
        after = RemediationAction.objects.get(pk=action.pk)
        assert (after.status, after.version) == (status, version)
