"""Report reminders: returns due within 10 business days, and overdue, through a source hook."""

import pytest

from notifications import sources
from notifications.due import ReminderItem
from notifications.models import Level, Notification
from notifications.services import report_reminders_send
from tests.factories import london

pytestmark = pytest.mark.django_db


@pytest.fixture
def returns_source(firm, monkeypatch):
    """Stands in for reporting.selectors.returns_due: E33, quarter ending Fri 31 Dec 2027 with
    ARD 31 March, due Mon 31 Jan 2028 (SUP 16.34.5R)."""
    calls = []

    def returns_due(firm_ids, today, within):
        calls.append((sorted(firm_ids), today, within))
        due = london(2028, 1, 31).date()
        if firm.pk in firm_ids:
            yield ReminderItem(
                object_key=f"return:{firm.pk}:2027-12-31",
                firm_id=firm.pk,
                label="SUP 16.34 return for the quarter ending Fri 31 Dec 2027",
                due=due,
                level=Level.BREACH if due < today else Level.NEAR,
            )

    # Only this stand-in speaks for returns here (the real reporting source has its own test).
    monkeypatch.setattr(sources, "REMINDER_SOURCES", {"test.returns": returns_due})
    yield calls


def test_sup_16_34_5r_return_due_soon_reminds_reporting_officers_once(
    firm, reporting_officer, supervisor, returns_source
):
    assert report_reminders_send(now=london(2028, 1, 17, 8)) == 1
    assert report_reminders_send(now=london(2028, 1, 18, 8)) == 0
    assert returns_source[0] == ([firm.pk], london(2028, 1, 17).date(), 10)
    (n,) = Notification.objects.all()
    assert n.recipient == reporting_officer  # supervisors hear only about overdue returns
    assert n.title == (
        "SUP 16.34 return for the quarter ending Fri 31 Dec 2027: due Mon 31 Jan 2028"
    )


def test_sup_16_34_5r_overdue_return_also_goes_to_supervisors(
    firm, reporting_officer, supervisor, returns_source
):
    report_reminders_send(now=london(2028, 2, 1, 8))
    recipients = set(
        Notification.objects.filter(level=Level.BREACH).values_list("recipient", flat=True)
    )
    assert recipients == {reporting_officer.pk, supervisor.pk}
    assert Notification.objects.get(recipient=supervisor).title.endswith(
        "overdue since Mon 31 Jan 2028"
    )


def test_reminder_window_is_a_setting(settings, firm, reporting_officer, returns_source):
    settings.REPORT_REMINDER_BUSINESS_DAYS = 15
    report_reminders_send(now=london(2028, 1, 10, 8))
    assert returns_source[-1][2] == 15


def test_sup_16_34_5r_reminder_from_the_reporting_calendar(firm, reporting_officer):
    """The real reporting source: ARD 31 March, quarter ending Fri 31 Dec 2027 (first after
    go-live 25 Oct 2027) is due Mon 31 Jan 2028 (E33); reminded within 10 business days."""
    assert report_reminders_send(now=london(2028, 1, 10, 8)) == 0
    assert report_reminders_send(now=london(2028, 1, 17, 8)) == 1
    (n,) = Notification.objects.filter(recipient=reporting_officer)
    assert n.title == (
        "SUP 16.34 return for the quarter ending Fri 31 Dec 2027: due Mon 31 Jan 2028"
    )
