"""Reads behind the UI: deadline wording and urgency, readable audit reasons, duplicates."""

from __future__ import annotations

from datetime import date

import pytest

from complaints import selectors
from complaints.disp.calendar import BusinessCalendar
from complaints.models import Complaint
from tests.factories import ComplainantFactory, FirmFactory, london, make_complaint

pytestmark = pytest.mark.django_db

ENGLAND = BusinessCalendar.for_nation("england")
SCOTLAND = BusinessCalendar.for_nation("scotland")


def _next(complaint: Complaint, now, calendar=ENGLAND):
    today = now.date()
    row = Complaint.objects.with_next_deadline(today).get(pk=complaint.pk)
    return selectors.describe_next_deadline(row, now=now, today=today, calendar=calendar)


def test_src_deadline_reads_as_close_of_business(firm):
    """E1 (DISP 1.5.1R): received Thu 2 Apr 2026 16:00 → SRC by COB Thu 9 Apr 2026."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16))
    view = _next(c, london(2026, 4, 3, 9))
    assert view.text == "SRC by close of business Thu 9 Apr 2026"
    assert view.detail == "3 business days left"
    assert view.urgency == selectors.LATER and view.urgency_label == "On track"


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
    assert overdue.urgency == selectors.BREACHED and overdue.urgency_label == "Breached"
    assert overdue.detail == "Mon 8 Jun 2026 · 2 business days overdue"


def test_due_soon_counts_business_days_in_the_firms_calendar(firm):
    """Due within 2 business days is amber, counted in the firm's business days. On Thu 21 May
    2026 a deadline of Tue 26 May is 2 business days away (Fri 22, Tue 26: Mon 25 May is a bank
    holiday), so due soon; Thu 28 May is 4 business days away, so on track."""
    c = make_complaint(firm=firm, received_at=london(2026, 3, 31, 10))  # due Tue 26 May 2026
    assert _next(c, london(2026, 5, 21, 9)).urgency == selectors.SOON
    later = make_complaint(firm=firm, received_at=london(2026, 4, 2, 10))  # due Thu 28 May
    assert _next(later, london(2026, 5, 21, 9)).urgency == selectors.LATER


def test_feedback_has_no_deadline(firm):
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), alleged_financial_loss=False)
    view = _next(c, london(2026, 4, 3, 9))
    assert view.urgency == selectors.NONE
    assert view.text == "No DISP deadline (feedback or query)"


def test_business_countdown_is_signed():
    today = date(2026, 4, 3)  # Good Friday
    assert selectors.business_countdown(date(2026, 4, 9), today=today, calendar=ENGLAND) == (
        "3 business days left"
    )
    assert selectors.business_countdown(date(2026, 4, 9), today=today, calendar=SCOTLAND) == (
        "4 business days left"
    )
    assert selectors.business_countdown(today, today=today, calendar=ENGLAND) == "due today"
    assert (
        selectors.business_countdown(date(2026, 4, 1), today=today, calendar=ENGLAND)
        == "1 business day overdue"
    )


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ("complaint.acknowledge", "Acknowledged the complaint"),
        ("complaint.resolve_summary", "Resolved by summary resolution communication"),
        (
            "complaint.recompute_deadlines: bank holiday 2026-06-15 added",
            "Recomputed the deadlines: bank holiday 2026-06-15 added",
        ),
        ("letters.approve", "Letters approve"),
        (None, "Changed the complaint"),
    ],
)
def test_readable_reason(reason, text):
    assert selectors.readable_reason(reason) == text


def test_likely_duplicates_match_by_name_email_or_client_reference_in_the_firm(firm):
    now = london(2026, 4, 20, 9)
    person = ComplainantFactory(
        firm=firm, name="Jo Smith", email="jo@x.test", client_reference="C1"
    )
    recent = make_complaint(firm=firm, received_at=london(2026, 4, 1, 9), complainant=person)
    make_complaint(firm=firm, received_at=london(2026, 3, 1, 9), complainant=person)  # too old
    other_firm = FirmFactory()
    make_complaint(
        firm=other_firm,
        received_at=london(2026, 4, 1, 9),
        complainant=ComplainantFactory(firm=other_firm, name="Jo Smith"),
    )
    for kwargs in ({"name": "jo smith"}, {"email": "JO@x.test"}, {"client_reference": "C1"}):
        found = selectors.likely_duplicates(firm_id=firm.pk, now=now, **kwargs)
        assert found == [recent], kwargs
    assert selectors.likely_duplicates(firm_id=firm.pk, now=now, name="Someone else") == []
    assert selectors.likely_duplicates(firm_id=firm.pk, now=now) == []
