"""Bank holidays as they are proclaimed (Glossary "business day" (1)(a)): a day entered once
for England and Wales, a proclamation moving a bank holiday recorded as one change, and every
change recomputing the open complaints' DISP 1.5.1R / DISP 1.6.2R deadlines."""

from datetime import date

import pytest

from common.errors import ValidationFailed
from complaints.deadlines import calendar_for_nation
from complaints.disp.calendar import BusinessCalendar
from complaints.models import BankHoliday, Complaint
from complaints.services import calendar as calendar_service
from complaints.services.calendar import bank_holiday_proclaim
from tests.factories import FirmFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2028, 4, 20, 9)
EARLY_MAY = date(2028, 5, 1)  # Mon: the Early May bank holiday in every part of the UK
MOVED_TO = date(2028, 5, 5)  # Fri (as in 2020, when it moved to VE Day)


def _move(actor, day=MOVED_TO, replaces=EARLY_MAY, name="Early May bank holiday (VE Day)"):
    return bank_holiday_proclaim(
        region="england-and-wales", day=day, replaces=replaces, name=name, actor=actor, now=NOW
    )


def test_disp_1_5_1R_and_1_6_2R_moving_a_bank_holiday_is_one_audited_change_that_moves_open_deadlines(  # noqa: E501
    firm, admin_user
):
    """Received Fri 28 Apr 2028 16:00 in England: the SRC deadline (DISP 1.5.1R, day 3) is
    Thu 4 May with Mon 1 May a holiday, Wed 3 May once the holiday moves to Fri 5 May.
    Received the same day at 20:00 in Wales by a firm deferring after-hours receipt: day 0 is
    Tue 2 May and the 8-week date (DISP 1.6.2R) Tue 27 Jun; once Mon 1 May is a business day,
    day 0 is Mon 1 May and the 8-week date Mon 26 Jun. One entry covers both nations."""
    welsh = FirmFactory(nation="wales", defer_after_hours_receipt=True)
    scottish = FirmFactory(nation="scotland")
    english = make_complaint(firm=firm, received_at=london(2028, 4, 28, 16))
    deferred = make_complaint(firm=welsh, received_at=london(2028, 4, 28, 20))
    untouched = make_complaint(firm=scottish, received_at=london(2028, 4, 28, 16))
    assert english.src_deadline == date(2028, 5, 4)
    assert (deferred.receipt_date, deferred.final_response_due) == (
        date(2028, 5, 2),
        date(2028, 6, 27),
    )

    change = _move(admin_user)

    english.refresh_from_db()
    deferred.refresh_from_db()
    assert english.src_deadline == date(2028, 5, 3)
    assert deferred.receipt_date == date(2028, 5, 1)
    assert deferred.final_response_due == date(2028, 6, 26)
    assert deferred.src_deadline == date(2028, 5, 4)
    assert Complaint.objects.get(pk=untouched.pk).src_deadline == untouched.src_deadline
    assert sorted(change.recomputed) == sorted([english.pk, deferred.pk])
    assert english.history.first().history_change_reason == (
        "complaint.recompute_deadlines: bank holiday 2028-05-01 moved to 2028-05-05"
    )
    # One change, one row, one audit entry.
    (holiday,) = BankHoliday.objects.all()
    (entry,) = holiday.history.all()
    assert entry.history_change_reason == "calendar.move_bank_holiday"
    assert entry.history_user == admin_user
    assert holiday.describe() == (
        "England and Wales: bank holiday moved from Mon 1 May 2028 to Fri 5 May 2028 "
        "(Early May bank holiday (VE Day))"
    )
    for nation in ("england", "wales"):
        calendar = calendar_for_nation(nation)
        assert calendar.is_business_day(EARLY_MAY) and not calendar.is_business_day(MOVED_TO)
    scotland = calendar_for_nation("scotland")
    assert not scotland.is_business_day(EARLY_MAY) and scotland.is_business_day(MOVED_TO)


def test_glossary_business_day_an_england_and_wales_day_is_entered_once_for_both(firm, admin_user):
    """A day proclaimed for England and Wales is one entry that both calendars count; entering
    it again for England alone is refused as already a bank holiday there."""
    day = date(2028, 6, 9)
    bank_holiday_proclaim(
        region="england-and-wales", day=day, name="Proclaimed day", actor=admin_user, now=NOW
    )
    assert not calendar_for_nation("england").is_business_day(day)
    assert not calendar_for_nation("wales").is_business_day(day)
    assert calendar_for_nation("scotland").is_business_day(day)
    with pytest.raises(ValidationFailed) as refused:
        bank_holiday_proclaim(region="england", day=day, name="Again", actor=admin_user, now=NOW)
    assert refused.value.fields == {"day": ["Fri 9 Jun 2028 is already a bank holiday in England."]}
    assert BankHoliday.objects.count() == 1


@pytest.mark.parametrize(
    ("replaces", "day", "field", "message"),
    [
        (
            date(2028, 5, 2),
            MOVED_TO,
            "replaces",
            "Tue 2 May 2028 is not a bank holiday in England.",
        ),
        (
            date(2028, 12, 25),
            date(2028, 12, 29),
            "replaces",
            "Christmas Day is never a business day (Glossary); it cannot be moved.",
        ),
        (
            date(2028, 4, 14),
            date(2028, 4, 19),
            "replaces",
            "Good Friday is never a business day (Glossary); it cannot be moved.",
        ),
        (EARLY_MAY, date(10, 5, 5), "day", "Give a date from 1971 to 2038."),
        (date(10, 5, 1), MOVED_TO, "replaces", "Give a date from 1971 to 2038."),
        (
            EARLY_MAY,
            date(2028, 5, 29),
            "day",
            "Mon 29 May 2028 is already a bank holiday in England.",
        ),
    ],
)
def test_glossary_business_day_a_move_that_is_no_proclamation_is_refused_and_nothing_saved(
    firm, admin_user, replaces, day, field, message
):
    complaint = make_complaint(firm=firm, received_at=london(2028, 4, 28, 16))
    with pytest.raises(ValidationFailed) as refused:
        _move(admin_user, day=day, replaces=replaces, name="Moved")
    assert refused.value.fields == {field: [message]}
    assert not BankHoliday.objects.exists()
    complaint.refresh_from_db()
    assert complaint.src_deadline == date(2028, 5, 4)


def test_the_same_day_recorded_twice_at_once_is_a_field_error_not_a_500(admin_user, monkeypatch):
    """Two administrators recording one day together: the second meets the unique row."""
    day = date(2028, 6, 9)
    bank_holiday_proclaim(region="scotland", day=day, name="First", actor=admin_user, now=NOW)
    # The second checked the calendar before the first committed, so saw no such day.
    monkeypatch.setattr(
        calendar_service,
        "calendars_by_nation",
        lambda nations: {n: BusinessCalendar.for_nation(n) for n in nations},
    )
    with pytest.raises(ValidationFailed) as refused:
        bank_holiday_proclaim(region="scotland", day=day, name="Second", actor=admin_user, now=NOW)
    assert refused.value.fields == {"day": ["Fri 9 Jun 2028 has just been recorded."]}
    assert BankHoliday.objects.get().name == "First"
