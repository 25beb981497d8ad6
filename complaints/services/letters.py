"""Sending an approved draft: the one lifecycle entry point the letters pages and API call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction

from common.audit import Actor
from common.errors import NotFound
from letters.choices import ACTION_FOR_TYPE, Delivery
from letters.content import default_delivery
from letters.errors import LetterErrorCode
from letters.models import Letter
from letters.services import (
    letter_prepare_send,
    require_delivery,
    require_perm,
    require_sendable,
)

from ..access import Perm
from ..choices import ForwardPart
from ._base import lock_complaint
from .preview import LetterPreview, response_preview
from .responses import RESPONSES

# What sending a draft takes from it, by the action its letter type performs (letters.choices
# ACTION_FOR_TYPE): the inputs of that action's response service (responses.RESPONSES).
_INPUTS: dict[str, Callable[[Letter], dict[str, Any]]] = {
    "acknowledge": lambda letter: {},
    "resolve_summary": lambda letter: {
        "outcome": letter.outcome,
        "consents_to_waive": letter.consents_to_waive,
        "summary": letter.reasons,
    },
    "send_holding_response": lambda letter: {
        "reasons": letter.reasons,
        "expected_final_response_on": letter.expected_final_response_on,
    },
    "send_progress_update": lambda letter: {
        "progress": letter.reasons,
        "expected_final_response_on": letter.expected_final_response_on,
    },
    "send_final_response": lambda letter: {
        "outcome": letter.outcome,
        "consents_to_waive": letter.consents_to_waive,
        "summary": letter.reasons,
        "redress_summary": letter.redress_summary,
    },
    "reject_time_barred": lambda letter: {"summary": letter.reasons},
    "forward": lambda letter: {
        "to_firm": letter.other_firm_name,
        "to_contact": letter.other_firm_contact,
        "reason": letter.reasons,
        "part": letter.forward_part or ForwardPart.WHOLE,
        "cover_letter_id": letter.companion_id,
    },
}


def _method(delivery: str) -> str:
    return "email" if Delivery(delivery).emails else delivery


def complaint_send_letter(
    *,
    letter_id: int,
    actor: Actor,
    now: datetime,
    delivery: str | None = None,
    expected_version: int | None = None,
    preview_digest: str | None = None,
) -> Letter:
    """Send a draft: the complaint transition it belongs to runs with it, in one transaction.
    Without a ``delivery`` it goes the complainant's preferred way (a reasonable adjustment).
    ``preview_digest``: the letters must be the ones the confirmation showed
    (``letter_send_preview``)."""
    if delivery is not None:
        require_delivery(delivery)
    with transaction.atomic():
        peek = Letter.objects.filter(pk=letter_id).values("complaint_id").first()
        if peek is None:
            raise NotFound(LetterErrorCode.NOT_FOUND, f"Letter {letter_id} not found.")
        lock_complaint(peek["complaint_id"])
        letter = letter_prepare_send(letter_id=letter_id, actor=actor, delivery=delivery)
        action = ACTION_FOR_TYPE[letter.letter_type]
        RESPONSES[action](
            complaint_id=letter.complaint_id,
            actor=actor,
            now=now,
            method=_method(delivery or default_delivery(letter)),
            letter_id=letter.pk,
            expected_version=expected_version,
            preview_digest=preview_digest,
            **_INPUTS[action](letter),
        )
    return Letter.objects.get(pk=letter_id)


def letter_send_preview(
    *, letter_id: int, actor: Actor, now: datetime, delivery: str | None = None
) -> LetterPreview:
    """What sending the draft would send (with its covering letter), rendered and checked as
    ``complaint_send_letter`` would, written nowhere: its confirmation page."""
    if delivery is not None:
        require_delivery(delivery)
    letter = Letter.objects.select_related("complaint__complainant").filter(pk=letter_id).first()
    if letter is None:
        raise NotFound(LetterErrorCode.NOT_FOUND, f"Letter {letter_id} not found.")
    require_perm(actor, letter.complaint.firm_id, Perm.HANDLE_COMPLAINTS)
    require_sendable(letter)
    action = ACTION_FOR_TYPE[letter.letter_type]
    return response_preview(
        action,
        complaint_id=letter.complaint_id,
        actor=actor,
        now=now,
        # The delivery as chosen: "email and post" stays itself, as sending stores it.
        method=delivery or default_delivery(letter),
        letter_id=letter.pk,
        **_INPUTS[action](letter),
    )
