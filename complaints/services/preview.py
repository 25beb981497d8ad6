"""The letters a responding action would send, shown before it is confirmed (issue 16).

``response_preview`` runs the first half of the action's one path (``responses._response``)
without its transaction: the version the page was read at, the dates given, the action's own
inputs, its DISP guards, then ``letters.lifecycle.prepare`` renders and checks each letter as
``issue`` would, written nowhere (no letter row, no history, no lock). The confirmation carries
the letters' ``digest``; sending refuses another (``responses.require_as_shown``), so what goes
is what was seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from common.audit import Actor
from common.errors import NotFound
from letters import lifecycle
from letters.lifecycle import Issued
from letters.rendering import LetterInputs

from .. import guards
from ..errors import ErrorCode
from ..models import Complaint
from ._base import check_version, require_given_dates
from .responses import DESCRIBE


@dataclass(frozen=True)
class LetterPreview:
    """The letters an action would send (the notice first, then any companion) and the digest
    its confirmation must carry."""

    action: str
    letters: list[Issued]
    digest: str

    @property
    def sendable(self) -> bool:
        """Every mandatory-content check passes on every letter."""
        return not any(issued.letter.failed_checks for issued in self.letters)


def response_preview(
    action: str,
    *,
    complaint_id: int,
    actor: Actor,
    now: datetime,
    expected_version: int | None = None,
    sent_at: datetime | None = None,
    method: str | None = None,
    letter_id: int | None = None,
    **inputs: Any,
) -> LetterPreview:
    """The letters ``action`` would send with these inputs (the response service's keyword
    arguments); the same refusals as the service for a stale version, a bad date or input, or
    a guard, raised before anything is rendered."""
    complaint = (
        Complaint.objects.select_related("firm", "complainant", "owner")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise NotFound(ErrorCode.NOT_FOUND, f"Complaint {complaint_id} not found.")
    check_version(complaint, expected_version)
    require_given_dates(complaint, now, {**inputs, "sent_at": sent_at})
    sent = sent_at or now
    response = DESCRIBE[action](sent, **inputs)
    guards.check(complaint, action, response.at or sent, outcome=response.outcome)

    def prepare(letter: int | None, letter_type: str | None = None) -> Issued:
        return lifecycle.prepare(
            complaint=complaint,
            action=action,
            letter_id=letter,
            actor=actor,
            now=now,
            sent_at=sent,
            method=method,
            inputs=LetterInputs(**response.letter),
            letter_type=letter_type,
            preview=True,
        )

    letters = [prepare(letter_id)]
    if companion := response.companion:
        letters.append(prepare(companion.letter_id, companion.letter_type))
    return LetterPreview(action, letters, lifecycle.digest(letters))
