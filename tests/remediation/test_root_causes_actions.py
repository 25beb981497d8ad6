"""Root-cause taxonomy, assignment, and the action register's effectiveness review."""

from datetime import date, timedelta

import pytest

from common.errors import ConflictError, ValidationFailed
from remediation import selectors, services
from remediation.models import ActionStatus, ComplaintRootCause, RootCause
from tests.factories import FirmFactory, london, make_complaint

pytestmark = pytest.mark.django_db
NOW = london(2026, 6, 1, 9)


@pytest.fixture
def tree(firm, admin_user):
    platform = services.root_cause_create(firm=firm, actor=admin_user, name="Platform availability")
    outage = services.root_cause_create(
        firm=firm, actor=admin_user, name="Outage", parent_id=platform.pk
    )
    backlog = services.root_cause_create(
        firm=firm, actor=admin_user, name="Backlog", parent_id=platform.pk
    )
    comms = services.root_cause_create(firm=firm, actor=admin_user, name="Communication")
    return {"platform": platform, "outage": outage, "backlog": backlog, "comms": comms}


def test_tree_order_and_paths(tree, firm):
    nodes = selectors.root_cause_tree(firm.pk)
    assert [(t.path, t.depth) for t in nodes] == [
        ("Communication", 0),
        ("Platform availability", 0),
        ("Platform availability › Backlog", 1),
        ("Platform availability › Outage", 1),
    ]


def test_no_loops_and_no_duplicates(tree, admin_user, firm):
    with pytest.raises(ValidationFailed) as exc:
        services.root_cause_update(
            root_cause_id=tree["platform"].pk, actor=admin_user, parent_id=tree["outage"].pk
        )
    assert exc.value.code == "root_cause_cycle"
    with pytest.raises(ValidationFailed) as exc:
        services.root_cause_create(
            firm=firm, actor=admin_user, name="Outage", parent_id=tree["platform"].pk
        )
    assert "name" in exc.value.fields
    with pytest.raises(ValidationFailed):
        services.root_cause_create(firm=firm, actor=admin_user, name="Communication")


def test_assign_several_root_causes_audited_and_inactive_refused(tree, firm, handler, admin_user):
    c = make_complaint(firm=firm, received_at=NOW, actor=handler)
    services.complaint_root_cause_assign(
        complaint_id=c.pk, root_cause_id=tree["outage"].pk, actor=handler, now=NOW
    )
    services.complaint_root_cause_assign(
        complaint_id=c.pk, root_cause_id=tree["comms"].pk, actor=handler, now=NOW
    )
    assert ComplaintRootCause.objects.filter(complaint=c).count() == 2
    assert ComplaintRootCause.history.filter(history_change_reason="root_cause.assign").count() == 2
    services.root_cause_update(root_cause_id=tree["backlog"].pk, actor=admin_user, active=False)
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_root_cause_assign(
            complaint_id=c.pk, root_cause_id=tree["backlog"].pk, actor=handler, now=NOW
        )
    assert exc.value.code == "root_cause_inactive"
    services.complaint_root_cause_remove(
        complaint_id=c.pk, root_cause_id=tree["comms"].pk, actor=handler, now=NOW
    )
    assert ComplaintRootCause.history.filter(history_change_reason="root_cause.remove").count() == 1


def test_another_firms_root_cause_cannot_be_assigned(tree, handler):
    other = make_complaint(firm=FirmFactory(), received_at=NOW)
    with pytest.raises(ValidationFailed):
        services.complaint_root_cause_assign(
            complaint_id=other.pk, root_cause_id=tree["outage"].pk, actor=handler, now=NOW
        )


def test_only_administrators_manage_the_taxonomy(client, supervisor, admin_user, firm):
    client.force_login(supervisor)
    assert client.post("/remediation/root-causes/", {"name": "X"}).status_code == 403
    client.force_login(admin_user)
    assert client.post("/remediation/root-causes/", {"name": "X"}).status_code == 302
    assert RootCause.objects.filter(firm=firm, name="X").exists()


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
        services.complaint_root_cause_assign(
            complaint_id=c.pk, root_cause_id=tree[cause].pk, actor=handler, now=NOW
        )
    action = services.action_create(
        firm=firm,
        actor=supervisor,
        now=london(2026, 4, 10, 9),
        title="Failover",
        root_cause_id=tree["platform"].pk,
        owner_id=handler.pk,
        due_on=date(2026, 4, 30),
        review_on=date(2026, 5, 31),
    )
    services.action_set_status(
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
    action = services.action_create(
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
        services.action_set_status(
            action_id=action.pk,
            actor=supervisor,
            now=NOW,
            status=ActionStatus.VERIFIED_EFFECTIVE,
            review_note="ok",
        )
    services.action_set_status(
        action_id=action.pk, actor=supervisor, now=NOW, status=ActionStatus.DONE
    )
    with pytest.raises(ValidationFailed) as exc:
        services.action_set_status(
            action_id=action.pk, actor=supervisor, now=NOW, status=ActionStatus.NOT_EFFECTIVE
        )
    assert "review_note" in exc.value.fields
    services.action_set_status(
        action_id=action.pk,
        actor=supervisor,
        now=NOW + timedelta(days=60),
        status=ActionStatus.NOT_EFFECTIVE,
        review_note="No change",
    )
    services.action_set_status(
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
        services.action_create(
            firm=firm,
            actor=supervisor,
            now=NOW,
            title="x",
            owner_id=handler.pk,
            due_on=date(2026, 6, 2),
            review_on=date(2026, 7, 1),
        )
    assert "root_cause" in exc.value.fields
