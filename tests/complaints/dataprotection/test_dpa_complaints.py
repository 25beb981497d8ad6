"""Data-protection complaints (DPA 2018 s.164A) recorded on a DISP complaint: their own clock,
their own checked letters, and an outcome that never waits for the DISP complaint."""

from __future__ import annotations

from datetime import date

import pytest

from common.errors import ConflictError, NotFound, TransitionRefused, ValidationFailed
from complaints import services
from complaints.choices import CommunicationKind, Status
from complaints.errors import ErrorCode
from complaints.models import Complaint
from complaints.services.dataprotection import (
    dpa_complaint_acknowledge,
    dpa_complaint_outcome,
    dpa_complaint_progress,
    dpa_complaint_record,
)
from letters.checks.text import html_to_text, normalise
from letters.choices import LetterStatus, LetterType
from letters.dpa_wording import ICO_CONTACT_DEFAULTS
from letters.errors import LetterErrorCode
from letters.models import Letter
from letters.services import letter_template_save
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 7, 3, 10)  # DPA2: acknowledgement due Sat 1 Aug 2026
SUMMARY = "You shared my wallet address with a marketing partner without my consent."
OUTCOME = "We found that your wallet address was shared in error and have asked for it back."


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(firm=firm, received_at=RECEIVED, actor=handler, owner_id=handler.pk)


@pytest.fixture
def dpa(complaint, handler):
    return dpa_complaint_record(
        complaint_id=complaint.pk, actor=handler, now=london(2026, 7, 3, 12), summary=SUMMARY
    )


def _text(letter: Letter) -> str:
    return normalise(html_to_text(letter.html))


def test_dpa_s164a_acknowledgement_due_is_stored_from_receipt(dpa):
    """DPA 2018 s.164A(3): tagged on the day it arrived, the acknowledgement is due on day 30
    counting the day of receipt (DPA2: Sat 1 August 2026)."""
    assert (dpa.received_on, dpa.acknowledgement_due) == (date(2026, 7, 3), date(2026, 8, 1))


def test_dpa_s164a_a_later_part_has_its_own_receipt_date(complaint, handler):
    """A data-protection complaint raised later in the case counts from its own receipt."""
    later = dpa_complaint_record(
        complaint_id=complaint.pk,
        actor=handler,
        now=london(2026, 7, 20, 9),
        summary=SUMMARY,
        received_on=date(2026, 7, 17),
    )
    assert later.acknowledgement_due == date(2026, 8, 15)


def test_dpa_s164a_not_before_commencement(firm, handler):
    """s.164A is in force from 19 June 2026: a complaint received before cannot be recorded
    under it, refused on the field."""
    early = make_complaint(firm=firm, received_at=london(2026, 6, 18, 10), actor=handler)
    with pytest.raises(ValidationFailed) as err:
        dpa_complaint_record(
            complaint_id=early.pk, actor=handler, now=london(2026, 6, 20, 9), summary=SUMMARY
        )
    assert err.value.code == ErrorCode.DPA_BEFORE_COMMENCEMENT
    assert "received_on" in err.value.fields


@pytest.mark.parametrize(
    ("received_on", "message"),
    [(date(2026, 7, 2), "before the complaint arrived"), (date(2026, 7, 5), "later than today")],
)
def test_dpa_received_on_is_checked(complaint, handler, received_on, message):
    with pytest.raises(ValidationFailed) as err:
        dpa_complaint_record(
            complaint_id=complaint.pk,
            actor=handler,
            now=london(2026, 7, 4, 9),
            summary=SUMMARY,
            received_on=received_on,
        )
    assert message in err.value.fields["received_on"][0]


def test_dpa_s164a_acknowledgement_letter_is_checked_and_sent(dpa, handler):
    """DPA 2018 s.164A(3): the acknowledgement is a rendered, checked letter recorded as its own
    communication; the DISP acknowledgement is not sent by it."""
    done = dpa_complaint_acknowledge(dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 6, 9))
    letter = Letter.objects.get(communication=done.acknowledgement)
    assert letter.letter_type == LetterType.DPA_ACKNOWLEDGEMENT
    assert letter.status == LetterStatus.SENT and letter.pdf
    assert all(c["passed"] for c in letter.check_results)
    assert {c["key"] for c in letter.check_results} >= {"dpa_receipt", "dpa_looking_into"}
    assert "received your complaint about how we use your personal data" in _text(letter)
    assert done.acknowledgement.kind == CommunicationKind.DPA_ACKNOWLEDGEMENT
    complaint = Complaint.objects.get(pk=dpa.complaint_id)
    assert complaint.acknowledged_at is None


def test_dpa_s164a_outcome_sent_while_disp_complaint_open(dpa, complaint, handler):
    """DPA 2018 s.164A(4)(b): the outcome, with the right to complain to the Information
    Commissioner and its contact details, is sent while the DISP complaint is still open; the
    DISP status and every DISP date stay as they were."""
    before = Complaint.objects.get(pk=complaint.pk)
    done = dpa_complaint_outcome(
        dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 10, 9), outcome=OUTCOME
    )
    after = Complaint.objects.get(pk=complaint.pk)
    assert after.status == before.status != Status.CLOSED
    assert after.final_response_due == before.final_response_due
    assert after.final_response_sent_at is None
    letter = Letter.objects.get(communication=done.outcome)
    text = _text(letter)
    assert "right to complain to the information commissioner" in text
    for value in ICO_CONTACT_DEFAULTS.values():
        assert normalise(value) in text
    assert normalise(OUTCOME) in text
    assert all(c["passed"] for c in letter.check_results)
    assert {c["key"] for c in letter.check_results} >= {"dpa_outcome", "dpa_ico_right"}


def test_dpa_s164a_outcome_refused_without_ico_right(dpa, firm, handler):
    """A firm template that drops the Information Commissioner paragraph fails the content
    check: the outcome is refused and nothing is recorded."""
    letter_template_save(
        firm_id=firm.pk,
        letter_type=LetterType.DPA_OUTCOME,
        subject="Outcome ({{ reference }})",
        body="Dear {{ complainant_name }},\n\nThe outcome about your personal data: "
        "{{ reasons }}\n\n{{ handler_name }}",
        actor=MembershipFactory(firm=firm, role="admin").user,
        now=london(2026, 7, 9, 9),
    )
    with pytest.raises(TransitionRefused) as err:
        dpa_complaint_outcome(
            dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 10, 9), outcome=OUTCOME
        )
    assert err.value.code == LetterErrorCode.CONTENT_INCOMPLETE
    assert "dpa_ico_right" in str(err.value.fields["letter"])
    dpa.refresh_from_db()
    assert dpa.outcome_id is None


def test_dpa_s164a_progress_and_only_one_outcome(dpa, handler):
    """s.164A(5)(b): progress is recorded; a second outcome is a conflict, and so is progress
    after the outcome."""
    done = dpa_complaint_progress(
        dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 8, 9), summary="Asked our partner."
    )
    assert done.last_progress_on == date(2026, 7, 8)
    dpa_complaint_outcome(dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 9, 9), outcome=OUTCOME)
    for call in (
        lambda: dpa_complaint_outcome(
            dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 9, 10), outcome=OUTCOME
        ),
        lambda: dpa_complaint_progress(
            dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 9, 10), summary="More."
        ),
    ):
        with pytest.raises(ConflictError) as err:
            call()
        assert err.value.code == ErrorCode.DPA_ALREADY_SENT


def test_dpa_outcome_needs_text(dpa, handler):
    with pytest.raises(ValidationFailed) as err:
        dpa_complaint_outcome(dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 9, 9), outcome=" ")
    assert "outcome" in err.value.fields


def test_dpa_other_firms_record_is_not_found(dpa, handler):
    with pytest.raises(NotFound) as err:
        dpa_complaint_acknowledge(
            dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 6, 9), firm_ids=[0]
        )
    assert err.value.code == ErrorCode.DPA_NOT_FOUND


def test_dpa_disp_final_response_unaffected(dpa, complaint, handler):
    """The DISP final response is sent as ever after the data-protection outcome."""
    dpa_complaint_outcome(dpa_id=dpa.pk, actor=handler, now=london(2026, 7, 9, 9), outcome=OUTCOME)
    at = london(2026, 7, 10, 9)
    services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=at)
    services.complaint_start_investigation(complaint_id=complaint.pk, actor=handler, now=at)
    done = services.complaint_send_final_response(
        complaint_id=complaint.pk,
        actor=handler,
        now=london(2026, 7, 20, 9),
        outcome="not_upheld",
    )
    assert done.status == Status.FINAL_RESPONSE_SENT
