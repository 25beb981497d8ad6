"""The letter's status is a protected state machine: it moves only through its transitions,
each service refuses a move its state does not allow, and the four-eyes rule holds."""

import pytest
from django_fsm import TransitionNotAllowed

from common.errors import ConflictError, TransitionRefused
from complaints import services
from complaints.choices import Outcome
from letters import services as letters
from letters.choices import LetterStatus, LetterType
from letters.errors import LetterErrorCode
from letters.models import Letter
from tests.factories import MembershipFactory, london, make_complaint

from .scenarios import REASONS

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 4, 1, 9)
NOW = london(2026, 4, 2, 10)
DECIDED = london(2026, 4, 15, 12)


def _draft(firm, handler):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW)
    services.complaint_start_investigation(complaint_id=c.pk, actor=handler, now=NOW)
    return letters.letter_create_draft(
        complaint_id=c.pk,
        letter_type=LetterType.FINAL_REJECTED,
        actor=handler,
        now=DECIDED,
        outcome=Outcome.NOT_UPHELD,
        reasons=REASONS,
    )


def _status(letter) -> str:
    return Letter.objects.values_list("status", flat=True).get(pk=letter.pk)


# --- the field is protected -----------------------------------------------------------------


def test_status_cannot_be_assigned_directly(firm, handler):
    letter = Letter.objects.get(pk=_draft(firm, handler).pk)
    with pytest.raises(AttributeError, match="Direct status modification is not allowed"):
        letter.status = LetterStatus.APPROVED
    assert letter.status == LetterStatus.DRAFT


def test_status_cannot_be_bulk_updated(firm, handler):
    draft = _draft(firm, handler)
    with pytest.raises(AttributeError, match="only through its transitions"):
        Letter.objects.filter(pk=draft.pk).update(status=LetterStatus.APPROVED)
    assert _status(draft) == LetterStatus.DRAFT


def test_a_protected_letter_still_refreshes_from_the_database(firm, handler, supervisor):
    draft = _draft(firm, handler)
    letters.letter_approve(letter_id=draft.pk, actor=supervisor, now=DECIDED)
    draft.refresh_from_db()
    assert draft.status == LetterStatus.APPROVED


# --- the transitions refuse what their source state does not allow --------------------------


def test_transitions_refuse_a_move_from_the_wrong_state(firm, handler, supervisor):
    draft = _draft(firm, handler)
    with pytest.raises(TransitionNotAllowed):
        draft.return_to_drafter(note="A draft has nothing to return.")
    draft.submit(on=DECIDED)
    with pytest.raises(TransitionNotAllowed):
        draft.submit(on=DECIDED)
    draft.discard()
    for move in (
        lambda: draft.approve(by=supervisor, on=DECIDED, note=""),
        lambda: draft.edit(subject="New", body_text="Words", by=handler),
        lambda: draft.discard(),
    ):
        with pytest.raises(TransitionNotAllowed):
            move()
    assert draft.status == LetterStatus.DISCARDED


def test_a_sent_letter_has_no_transition_left(firm, handler):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW)
    sent = Letter.objects.get(complaint=c)
    assert sent.status == LetterStatus.SENT
    assert list(sent.get_available_status_transitions()) == []


# --- the services refuse the same moves, with coded errors, and change nothing ---------------


def test_only_a_draft_can_be_submitted(firm, handler):
    draft = _draft(firm, handler)
    letters.letter_submit_for_approval(letter_id=draft.pk, actor=handler, now=DECIDED)
    with pytest.raises(ConflictError) as exc:
        letters.letter_submit_for_approval(letter_id=draft.pk, actor=handler, now=DECIDED)
    assert exc.value.code == LetterErrorCode.NOT_EDITABLE
    assert _status(draft) == LetterStatus.AWAITING_APPROVAL


def test_only_a_letter_awaiting_approval_or_approved_can_be_returned(firm, handler, supervisor):
    draft = _draft(firm, handler)
    with pytest.raises(ConflictError) as exc:
        letters.letter_return_to_drafter(
            letter_id=draft.pk, actor=supervisor, now=DECIDED, note="Too early."
        )
    assert exc.value.code == LetterErrorCode.NOT_AWAITING_APPROVAL
    assert _status(draft) == LetterStatus.DRAFT


def test_a_discarded_letter_cannot_be_approved_edited_or_discarded_again(firm, handler, supervisor):
    draft = _draft(firm, handler)
    letters.letter_discard(letter_id=draft.pk, actor=handler, now=DECIDED)
    with pytest.raises(ConflictError) as exc:
        letters.letter_approve(letter_id=draft.pk, actor=supervisor, now=DECIDED)
    assert exc.value.code == LetterErrorCode.NOT_AWAITING_APPROVAL
    with pytest.raises(ConflictError) as exc:
        letters.letter_update_draft(
            letter_id=draft.pk, actor=handler, now=DECIDED, subject="S", body_text="B"
        )
    assert exc.value.code == LetterErrorCode.NOT_EDITABLE
    with pytest.raises(ConflictError):
        letters.letter_discard(letter_id=draft.pk, actor=handler, now=DECIDED)
    assert _status(draft) == LetterStatus.DISCARDED


def test_four_eyes_an_approver_who_edited_the_wording_cannot_approve_it(firm, handler, supervisor):
    """Firm policy: four-eyes approval. Editing makes the editor a drafter of those words."""
    draft = _draft(firm, handler)
    letters.letter_update_draft(
        letter_id=draft.pk,
        actor=supervisor,
        now=DECIDED,
        subject=draft.subject,
        body_text=draft.body_text + "\n\nWith our apologies.",
    )
    with pytest.raises(TransitionRefused) as exc:
        letters.letter_approve(letter_id=draft.pk, actor=supervisor, now=DECIDED)
    assert exc.value.code == LetterErrorCode.SELF_APPROVAL
    assert exc.value.rule == "Firm policy: four-eyes approval"
    assert _status(draft) == LetterStatus.DRAFT
    other = MembershipFactory(firm=firm, role="supervisor").user
    approved = letters.letter_approve(letter_id=draft.pk, actor=other, now=DECIDED)
    assert (approved.status, approved.approved_by) == (LetterStatus.APPROVED, other)


# --- each transition is one audited save ---------------------------------------------------


def test_every_transition_is_recorded_with_its_actor_and_use_case(firm, handler, supervisor):
    draft = _draft(firm, handler)
    letters.letter_submit_for_approval(letter_id=draft.pk, actor=handler, now=DECIDED)
    letters.letter_return_to_drafter(
        letter_id=draft.pk, actor=supervisor, now=DECIDED, note="Name the review."
    )
    letters.letter_submit_for_approval(letter_id=draft.pk, actor=handler, now=DECIDED)
    letters.letter_approve(letter_id=draft.pk, actor=supervisor, now=DECIDED, note="Fine.")
    history = Letter.history.filter(id=draft.pk).order_by("history_id")
    assert [(h.history_change_reason, h.status, h.history_user) for h in history] == [
        ("letter.draft", LetterStatus.DRAFT, handler),
        ("letter.submit", LetterStatus.AWAITING_APPROVAL, handler),
        ("letter.return", LetterStatus.DRAFT, supervisor),
        ("letter.submit", LetterStatus.AWAITING_APPROVAL, handler),
        ("letter.approve", LetterStatus.APPROVED, supervisor),
    ]
    returned = history[2]
    assert (returned.submitted_at, returned.approved_by, returned.review_note) == (
        None,
        None,
        "Name the review.",
    )
