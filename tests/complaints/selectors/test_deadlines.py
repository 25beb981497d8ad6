"""Deadline wording and urgency as the handler reads them."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.disp.calendar import BusinessCalendar
from complaints.models import Complaint
from complaints.selectors import deadlines
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

ENGLAND = BusinessCalendar.for_nation("england")
SCOTLAND = BusinessCalendar.for_nation("scotland")


def _next(complaint: Complaint, now, calendar=ENGLAND):
    today = now.date()
    row = Complaint.objects.with_next_deadline(today).get(pk=complaint.pk)
    return deadlines.describe_next_deadline(row, now=now, today=today, calendar=calendar)


def test_src_deadline_reads_as_close_of_business(firm):
    """E1 (DISP 1.5.1R): received Thu 2 Apr 2026 16:00 → SRC by COB Thu 9 Apr 2026."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16))
    view = _next(c, london(2026, 4, 3, 9))
    assert view.text == "SRC by close of business Thu 9 Apr 2026"
    assert view.detail == "3 business days left"
    assert view.urgency == deadlines.LATER and view.urgency_label == "On track"


def test_after_close_of_business_on_src_day_the_final_response_is_next(firm):
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16))
    view = _next(c, london(2026, 4, 9, 17, 1))
    assert view.text == "Final response due in 49 days"  # Thu 28 May 2026 (E17)


def test_final_response_wording_due_in_days_and_overdue_since(firm):
    """E16 (DISP 1.6.2R): received Mon 13 Apr 2026 → final response by end of Mon 8 Jun 2026."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 13, 10))
    assert _next(c, london(2026, 6, 4, 9)).text == "Final response due in 4 days"
    assert _next(c, london(2026, 6, 7, 9)).text == "Final response due tomorrow"
    assert _next(c, london(2026, 6, 8, 9)).text == "Final response due today"
    overdue = _next(c, london(2026, 6, 10, 9))
    assert overdue.text == "Final response overdue since Mon 8 Jun 2026"
    assert overdue.urgency == deadlines.BREACHED and overdue.urgency_label == "Breached"
    assert overdue.detail == "Mon 8 Jun 2026 · 2 business days overdue"


def test_due_soon_counts_business_days_in_the_firms_calendar(firm):
    """Due within 2 business days is amber, counted in the firm's business days. On Thu 21 May
    2026 a deadline of Tue 26 May is 2 business days away (Fri 22, Tue 26: Mon 25 May is a bank
    holiday), so due soon; Thu 28 May is 4 business days away, so on track."""
    c = make_complaint(firm=firm, received_at=london(2026, 3, 31, 10))  # due Tue 26 May 2026
    assert _next(c, london(2026, 5, 21, 9)).urgency == deadlines.SOON
    later = make_complaint(firm=firm, received_at=london(2026, 4, 2, 10))  # due Thu 28 May
    assert _next(later, london(2026, 5, 21, 9)).urgency == deadlines.LATER


def test_feedback_has_no_deadline(firm):
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), alleged_financial_loss=False)
    view = _next(c, london(2026, 4, 3, 9))
    assert view.urgency == deadlines.NONE
    assert view.text == "No DISP deadline (feedback or query)"


def test_business_countdown_is_signed():
    today = date(2026, 4, 3)  # Good Friday
    assert deadlines.business_countdown(date(2026, 4, 9), today=today, calendar=ENGLAND) == (
        "3 business days left"
    )
    assert deadlines.business_countdown(date(2026, 4, 9), today=today, calendar=SCOTLAND) == (
        "4 business days left"
    )
    assert deadlines.business_countdown(today, today=today, calendar=ENGLAND) == "due today"
    assert (
        deadlines.business_countdown(date(2026, 4, 1), today=today, calendar=ENGLAND)
        == "1 business day overdue"
    )
