"""Subject access requests raised in a complaint: the UK GDPR Art 12(3) month, the month that
waits for identity, the stopped clock while scope is clarified, the extension by two further
months with its notice in the first month, and the answer (worked examples of
docs/data-protection.md)."""

from __future__ import annotations

from datetime import date

import pytest

from common.errors import ConflictError, TransitionRefused, ValidationFailed
from complaints.choices import CommunicationKind
from complaints.errors import ErrorCode
from complaints.services.subject_access import (
    sar_answer,
    sar_clarification_ask,
    sar_clarification_received,
    sar_extend,
    sar_identity_received,
    sar_record,
)
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

SCOPE = "Every record of my withdrawals and the notes your staff made about them."


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(firm=firm, received_at=london(2026, 8, 10, 9), actor=handler)


def _record(complaint, handler, received_on, now, **kw):
    return sar_record(
        complaint_id=complaint.pk,
        actor=handler,
        now=now,
        scope=SCOPE,
        received_on=received_on,
        **kw,
    )


def test_uk_gdpr_art_12_3_sar_due_stored_on_record(complaint, handler):
    """DPA4: received Thu 3 September 2026, due Mon 5 October (3 October is a Saturday)."""
    sar = _record(complaint, handler, date(2026, 9, 3), london(2026, 9, 3, 12))
    assert (sar.response_due, sar.extension_notice_due) == (date(2026, 10, 5), date(2026, 10, 3))


def test_uk_gdpr_art_12_3_sar_identity_starts_the_month(complaint, handler):
    """DPA9: identity asked for on 11 August, received on the 20th: due Mon 21 September; no
    due date while it is awaited."""
    sar = _record(
        complaint,
        handler,
        date(2026, 8, 10),
        london(2026, 8, 11, 12),
        identity_requested_on=date(2026, 8, 11),
    )
    assert sar.response_due is None
    sar = sar_identity_received(
        sar_id=sar.pk, actor=handler, now=london(2026, 8, 20, 12), received_on=date(2026, 8, 20)
    )
    assert sar.response_due == date(2026, 9, 21)
    with pytest.raises(ConflictError) as err:
        sar_identity_received(
            sar_id=sar.pk, actor=handler, now=london(2026, 8, 21, 12), received_on=date(2026, 8, 21)
        )
    assert err.value.code == ErrorCode.SAR_CLOCK_STATE


def test_uk_gdpr_art_12_3_sar_stop_the_clock_recorded(firm, handler):
    """DPA10: received Tue 2 March 2027; clarification asked Fri 5 March, answered Sun 14
    March: due Mon 12 April 2027. While the question is open there is no due date."""
    complaint = make_complaint(firm=firm, received_at=london(2027, 3, 2, 9), actor=handler)
    sar = _record(complaint, handler, date(2027, 3, 2), london(2027, 3, 2, 12))
    sar = sar_clarification_ask(
        sar_id=sar.pk,
        actor=handler,
        now=london(2027, 3, 5, 12),
        question="Which account?",
        asked_on=date(2027, 3, 5),
    )
    assert sar.response_due is None
    with pytest.raises(ConflictError):
        sar_clarification_ask(
            sar_id=sar.pk,
            actor=handler,
            now=london(2027, 3, 6, 12),
            question="And?",
            asked_on=date(2027, 3, 6),
        )
    sar = sar_clarification_received(
        sar_id=sar.pk, actor=handler, now=london(2027, 3, 15, 9), received_on=date(2027, 3, 14)
    )
    assert sar.response_due == date(2027, 4, 12)


def test_uk_gdpr_art_12_3_sar_extension_with_notice_in_first_month(complaint, handler):
    """DPA11: received 15 October 2026, extended on 2 November with the reason: due 15 January
    2027; the notice is recorded as a communication with its reason."""
    sar = _record(complaint, handler, date(2026, 10, 15), london(2026, 10, 15, 12))
    with pytest.raises(ValidationFailed) as err:
        sar_extend(sar_id=sar.pk, actor=handler, now=london(2026, 11, 2, 9), reason=" ")
    assert err.value.code == ErrorCode.REASON_REQUIRED
    sar = sar_extend(
        sar_id=sar.pk,
        actor=handler,
        now=london(2026, 11, 2, 9),
        reason="Your request covers six years of trading records held in three systems.",
    )
    assert sar.response_due == date(2027, 1, 15)
    assert sar.extension_notice.kind == CommunicationKind.SAR_EXTENSION_NOTICE
    assert "six years" in sar.extension_notice.summary


def test_uk_gdpr_art_12_3_sar_extension_refused_after_first_month(complaint, handler):
    """The notice must be given within the first month (DPA11: by Sun 15 November 2026): on
    Mon 16 November it is refused and the request keeps its one-month date."""
    sar = _record(complaint, handler, date(2026, 10, 15), london(2026, 10, 15, 12))
    with pytest.raises(TransitionRefused) as err:
        sar_extend(
            sar_id=sar.pk, actor=handler, now=london(2026, 11, 16, 9), reason="Complex request."
        )
    assert err.value.code == ErrorCode.SAR_EXTENSION_LATE
    assert "sent_at" in err.value.fields
    sar.refresh_from_db()
    assert (sar.extension_notice_id, sar.response_due) == (None, date(2026, 11, 16))


def test_uk_gdpr_art_12_3_sar_answered_late_is_overdue(complaint, handler):
    """DPA12: due Mon 5 October 2026; answered on Tue 6 October it was late, and an
    unanswered request is overdue from that day."""
    sar = _record(complaint, handler, date(2026, 9, 3), london(2026, 9, 3, 12))
    assert sar.is_overdue(date(2026, 10, 6)) and not sar.is_overdue(date(2026, 10, 5))
    sar = sar_answer(
        sar_id=sar.pk, actor=handler, now=london(2026, 10, 6, 12), answered_on=date(2026, 10, 6)
    )
    assert sar.is_overdue(date(2026, 12, 1))
    with pytest.raises(ConflictError):
        sar_answer(
            sar_id=sar.pk, actor=handler, now=london(2026, 10, 7, 12), answered_on=date(2026, 10, 7)
        )


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("received_on", {"received_on": date(2026, 8, 9)}),
        ("received_on", {"received_on": date(2026, 8, 30)}),
        (
            "identity_requested_on",
            {"received_on": date(2026, 8, 12), "identity_requested_on": date(2026, 8, 11)},
        ),
    ],
)
def test_sar_dates_refused_on_their_field(complaint, handler, field, kwargs):
    with pytest.raises(ValidationFailed) as err:
        sar_record(
            complaint_id=complaint.pk,
            actor=handler,
            now=london(2026, 8, 20, 9),
            scope=SCOPE,
            **kwargs,
        )
    assert field in err.value.fields
