"""The root-cause taxonomy and the causes recorded on a complaint."""

import pytest

from common.errors import ValidationFailed
from remediation import selectors
from remediation.models import ComplaintRootCause
from remediation.services.root_causes import (
    complaint_root_cause_assign,
    complaint_root_cause_remove,
    root_cause_create,
    root_cause_update,
)
from tests.factories import FirmFactory, london, make_complaint

pytestmark = pytest.mark.django_db
NOW = london(2026, 6, 1, 9)


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
        root_cause_update(
            root_cause_id=tree["platform"].pk, actor=admin_user, parent_id=tree["outage"].pk
        )
    assert exc.value.code == "root_cause_cycle"
    with pytest.raises(ValidationFailed) as exc:
        root_cause_create(firm=firm, actor=admin_user, name="Outage", parent_id=tree["platform"].pk)
    assert "name" in exc.value.fields
    with pytest.raises(ValidationFailed):
        root_cause_create(firm=firm, actor=admin_user, name="Communication")


def test_assign_several_root_causes_audited_and_inactive_refused(tree, firm, handler, admin_user):
    c = make_complaint(firm=firm, received_at=NOW, actor=handler)
    complaint_root_cause_assign(
        complaint_id=c.pk, root_cause_id=tree["outage"].pk, actor=handler, now=NOW
    )
    complaint_root_cause_assign(
        complaint_id=c.pk, root_cause_id=tree["comms"].pk, actor=handler, now=NOW
    )
    assert ComplaintRootCause.objects.filter(complaint=c).count() == 2
    assert ComplaintRootCause.history.filter(history_change_reason="root_cause.assign").count() == 2
    root_cause_update(root_cause_id=tree["backlog"].pk, actor=admin_user, active=False)
    with pytest.raises(ValidationFailed) as exc:
        complaint_root_cause_assign(
            complaint_id=c.pk, root_cause_id=tree["backlog"].pk, actor=handler, now=NOW
        )
    assert exc.value.code == "root_cause_inactive"
    complaint_root_cause_remove(
        complaint_id=c.pk, root_cause_id=tree["comms"].pk, actor=handler, now=NOW
    )
    assert ComplaintRootCause.history.filter(history_change_reason="root_cause.remove").count() == 1


def test_another_firms_root_cause_cannot_be_assigned(tree, handler):
    other = make_complaint(firm=FirmFactory(), received_at=NOW)
    with pytest.raises(ValidationFailed):
        complaint_root_cause_assign(
            complaint_id=other.pk, root_cause_id=tree["outage"].pk, actor=handler, now=NOW
        )
