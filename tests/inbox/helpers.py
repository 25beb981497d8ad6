"""Builders for the inbox tests: rows made through the owning apps' services."""

from __future__ import annotations

from datetime import datetime, timedelta

from complaints import services
from complaints.choices import Outcome
from letters import services as letters
from letters.choices import LetterType
from tests.factories import make_complaint
from tests.letters.scenarios import REASONS


def letter_draft(firm, handler, received: datetime):
    """A final response drafted by ``handler`` on a complaint it acknowledged and investigates."""
    c = make_complaint(firm=firm, received_at=received, actor=handler, owner_id=handler.pk)
    services.complaint_acknowledge(
        complaint_id=c.pk, actor=handler, now=received + timedelta(hours=1)
    )
    services.complaint_start_investigation(
        complaint_id=c.pk, actor=handler, now=received + timedelta(hours=2)
    )
    return letters.letter_create_draft(
        complaint_id=c.pk,
        letter_type=LetterType.FINAL_REJECTED,
        actor=handler,
        now=received + timedelta(days=10),
        outcome=Outcome.NOT_UPHELD,
        reasons=REASONS,
    )


def submitted_letter(firm, handler, received: datetime):
    draft = letter_draft(firm, handler, received)
    return letters.letter_submit_for_approval(
        letter_id=draft.pk, actor=handler, now=received + timedelta(days=10, hours=1)
    )
