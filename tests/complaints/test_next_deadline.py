"""``next_deadline_of`` (a complaint in memory: the API create's body) gives what
``ComplaintQuerySet.with_next_deadline`` annotates in SQL (the queue, the API reads), in every
state: DISP 1.5.1R's SRC date while its window is open, then the DISP 1.6.2R final response
date, DISP 1.6.2AR's extended date after a PSD/EMD holding response, or the date an 8-week
holding response promised (DISP 1.6.2R(2)(a))."""

from datetime import date, timedelta
from itertools import product

import pytest

from complaints.choices import Regime, Status
from complaints.deadlines import next_deadline_of
from complaints.models import Complaint
from tests.factories import london, make_complaint


@pytest.mark.django_db
def test_next_deadline_in_memory_equals_the_sql_annotation_in_every_state(firm, handler):
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), actor=handler)
    src = complaint.src_deadline
    kinds = set()
    for status, regime, is_complaint, promised in product(
        Status.values, Regime.values, (True, False), (None, date(2026, 6, 1))
    ):
        Complaint.objects.filter(pk=complaint.pk).update(
            status=status,
            regime=regime,
            is_complaint=is_complaint,
            expected_final_response_on=promised,
            response_deadline=date(2026, 5, 28),
        )
        for today in (src - timedelta(days=1), src, src + timedelta(days=1)):
            row = Complaint.objects.with_next_deadline(today).get(pk=complaint.pk)
            expected = (row.next_deadline, row.next_deadline_kind)
            assert next_deadline_of(row, today) == expected, (status, regime, today)
            kinds.add(expected[1])
    assert kinds == {
        "src",
        "final_response",
        "extended_final_response",
        "promised_final_response",
        "",
    }
