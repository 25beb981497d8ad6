"""A proclaimed bank holiday moves business-day deadlines: recomputed, audited, owner told."""

import pytest

from complaints.models import Complaint
from complaints.services import bank_holiday_add_and_recompute
from notifications.models import Category, Notification
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 4, 3, 9)


def test_bank_holiday_recomputes_open_complaints_and_notifies_owners(
    firm,
    owner,
    supervisor,
    scottish_firm,
    admin_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """E1: received Thu 2 Apr 2026, SRC due Thu 9 Apr; a holiday on Wed 8 Apr (England) moves
    it to Fri 10 Apr. The 8-week date is calendar-based and does not move (DISP 1.6.2R)."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)
    scot_owner = MembershipFactory(firm=scottish_firm).user
    other = make_complaint(
        firm=scottish_firm, received_at=london(2026, 4, 2, 16), owner_id=scot_owner.pk
    )

    with django_capture_on_commit_callbacks(execute=True):
        change = bank_holiday_add_and_recompute(
            nation="england",
            day=london(2026, 4, 8).date(),
            name="Proclaimed day",
            actor=admin_user,
            now=NOW,
        )

    c.refresh_from_db()
    assert change.recomputed == [c.pk]
    assert c.src_deadline == london(2026, 4, 10).date()
    assert c.final_response_due == london(2026, 5, 28).date()
    assert c.history.first().history_change_reason == (
        "complaint.recompute_deadlines: bank holiday 2026-04-08 added"
    )
    (n,) = Notification.objects.filter(recipient=owner, category=Category.CALENDAR)
    assert n.complaint_id == c.pk
    assert "Summary resolution deadline (DISP 1.5.1R): Thu 9 Apr 2026 → Fri 10 Apr 2026" in n.body
    assert "Final response" not in n.body
    calendar = Notification.objects.filter(category=Category.CALENDAR)
    assert not calendar.filter(recipient__in=[supervisor, scot_owner]).exists()
    assert Complaint.objects.get(pk=other.pk).src_deadline == london(2026, 4, 8).date()
    # E-mailed after commit. (The recomputation also queued a deadline check of the moved
    # complaint, which at today's real date finds its deadlines long missed.)
    moved_mail = [m for m in mailoutbox if "deadlines moved" in m.subject]
    assert [m.to for m in moved_mail] == [[owner.email]]


def test_unmoved_complaints_get_no_calendar_notice(firm, owner, admin_user):
    make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)
    change = bank_holiday_add_and_recompute(
        nation="england",
        day=london(2026, 4, 20).date(),
        name="Later day",
        actor=admin_user,
        now=NOW,
    )
    assert change.recomputed == [] and change.notified == 0
    assert not Notification.objects.exists()
