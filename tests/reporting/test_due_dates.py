"""SUP 16.34.5R(1): a return is due 20 business days after its reference date, so a proclaimed
bank holiday change recomputes the due date stored on every return not yet submitted."""

from datetime import date

import pytest

from complaints.services.calendar import bank_holiday_proclaim
from reporting.models import Sup16Return
from reporting.services import return_approve, return_compute, return_submit
from tests.factories import FirmFactory, london
from tests.reporting.helpers import load_snapshot, position

pytestmark = pytest.mark.django_db

Q1 = date(2028, 3, 31)
NOW = london(2028, 4, 20, 9)


def _move_early_may(actor, region="england-and-wales"):
    """The Early May bank holiday moved from Mon 1 May 2028 to Fri 5 May 2028."""
    return bank_holiday_proclaim(
        region=region,
        day=date(2028, 5, 5),
        replaces=date(2028, 5, 1),
        name="Early May bank holiday",
        actor=actor,
        now=NOW,
    )


def test_sup_16_34_5R_1_moving_a_bank_holiday_recomputes_a_pending_returns_stored_due_date(
    firm, officer, admin_user
):
    """Q1 2028 ends Fri 31 Mar: the 20th business day after it is Wed 3 May with Good Friday,
    Easter Monday and Mon 1 May off; with the holiday moved to Fri 5 May, Tue 2 May."""
    filing = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW).sup16_return
    assert filing.due_date == date(2028, 5, 3)

    change = _move_early_may(admin_user)

    filing.refresh_from_db()
    assert filing.due_date == date(2028, 5, 2)
    assert change.returns_moved == 1
    entry = filing.history.first()
    assert entry.history_change_reason == (
        "return.recompute_due_date: England and Wales: bank holiday moved from Mon 1 May 2028 "
        "to Fri 5 May 2028 (Early May bank holiday)"
    )
    assert entry.history_user == admin_user


def test_sup_16_34_5R_1_a_submitted_return_and_other_nations_changes_leave_due_dates_alone(
    firm, officer, approver, admin_user
):
    """A submitted return keeps the date it was due by; a Scottish change does not touch the
    England submission calendar (A3)."""
    load_snapshot(firm, Q1, [position("A", "A1")])
    submitted = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    return_approve(return_id=submitted.sup16_return_id, version=1, actor=approver, now=NOW)
    return_submit(return_id=submitted.sup16_return_id, version=1, actor=officer, now=NOW)
    other = FirmFactory()
    pending = return_compute(firm=other, period_end=Q1, actor=None, now=NOW).sup16_return

    assert _move_early_may(admin_user, region="scotland").returns_moved == 0
    assert Sup16Return.objects.get(pk=pending.pk).due_date == date(2028, 5, 3)

    assert _move_early_may(admin_user).returns_moved == 1
    assert Sup16Return.objects.get(pk=submitted.sup16_return_id).due_date == date(2028, 5, 3)
    assert Sup16Return.objects.get(pk=pending.pk).due_date == date(2028, 5, 2)
