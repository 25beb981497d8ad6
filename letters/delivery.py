"""How a sent letter reaches its recipient by e-mail: the outbox handler that e-mails it, what a
person sees of that (queued, sent, retrying or failed with the reason), and the retry.

Sending a letter writes its e-mail to the outbox (``common.outbox``) in the sending transaction;
``deliver_letter_email`` runs once it commits, again after a failure (with backoff), and again
on a person's retry. It is idempotent: a letter e-mailed (or skipped as sent earlier by other
means) is never e-mailed twice. Each attempt is a ``LetterDelivery`` beside the letter;
composing the message is ``letters.services.letter_deliver_email``'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from common import outbox
from common.audit import Actor
from common.errors import TransitionRefused
from common.models import OutboxMessage, OutboxState
from complaints.access import Perm

from .choices import Delivery, DeliveryStatus
from .errors import LetterErrorCode
from .models import Letter, LetterDelivery
from .services import _lock_letter, letter_deliver_email

DONE = (DeliveryStatus.SENT, DeliveryStatus.SKIPPED)


def email_key(letter_id: int) -> str:
    """The outbox key of a letter's e-mail: one intent per letter, whatever the retries."""
    return f"letter-email:{letter_id}"


def emails(letter: Letter) -> bool:
    return letter.is_sent and bool(letter.delivery) and Delivery(letter.delivery).emails


@outbox.handler
def deliver_letter_email(payload: dict[str, Any], now: datetime) -> str | None:
    """E-mail the letter unless that is done already; the reason when the e-mail failed (the
    attempt is recorded either way as a ``LetterDelivery``)."""
    letter_id = payload["letter_id"]
    if not Letter.objects.filter(pk=letter_id).exists():
        return None  # gone (retention): nothing left to deliver
    if LetterDelivery.objects.filter(letter_id=letter_id, status__in=DONE).exists():
        return None
    delivery = letter_deliver_email(letter_id=letter_id, now=now)
    if delivery.status == DeliveryStatus.FAILED:
        return delivery.error or "The e-mail could not be sent."
    return None


def queue_email(letter: Letter, *, now: datetime | None = None, retry: bool = False) -> None:
    """Write the letter's e-mail to the outbox in the caller's transaction."""
    outbox.write(
        deliver_letter_email, key=email_key(letter.pk), now=now, rearm=retry, letter_id=letter.pk
    )


def letter_retry_email(*, letter_id: int, actor: Actor, now: datetime) -> Letter:
    """A person (handler or supervisor) asks for a sent letter's e-mail to be tried again now,
    with a fresh count of attempts. Refused once it is delivered, or if it was never e-mailed."""
    with transaction.atomic():
        letter = _lock_letter(letter_id, actor, Perm.HANDLE_COMPLAINTS)
        require_retryable(letter)
        queue_email(letter, now=now, retry=True)
    return letter


# --- what a person sees ---------------------------------------------------------------------

QUEUED, RETRYING, SENT, FAILED, SKIPPED = "queued", "retrying", "sent", "failed", "skipped"
STATE_LABELS = {
    QUEUED: "Queued to be e-mailed",
    RETRYING: "E-mail failed, retrying",
    SENT: "E-mailed",
    FAILED: "E-mail failed",
    SKIPPED: "Not e-mailed: recorded as sent earlier",
}
NEVER_QUEUED = "The e-mail was never queued (the letter was sent before the outbox existed)."


@dataclass(frozen=True)
class EmailDelivery:
    """The e-mail of one sent letter, as the letter page, the complaint page and the API show
    it. ``retryable`` while it has not been delivered."""

    state: str
    attempts: int = 0
    error: str = ""
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def retryable(self) -> bool:
        return self.state in (QUEUED, RETRYING, FAILED)


def email_deliveries(letters: Iterable[Letter]) -> dict[int, EmailDelivery]:
    """The e-mail state of each sent, e-mailed letter in ``letters`` (two queries)."""
    emailed = [letter for letter in letters if emails(letter)]
    if not emailed:
        return {}
    ids = [letter.pk for letter in emailed]
    attempts: dict[int, list[LetterDelivery]] = {pk: [] for pk in ids}
    for d in LetterDelivery.objects.filter(letter_id__in=ids).order_by("-attempted_at", "-id"):
        attempts[d.letter_id].append(d)
    messages = {
        m.dedupe_key: m
        for m in OutboxMessage.objects.filter(dedupe_key__in=[email_key(pk) for pk in ids])
    }
    return {pk: _state(attempts[pk], messages.get(email_key(pk))) for pk in ids}


def email_delivery(letter: Letter) -> EmailDelivery | None:
    return email_deliveries([letter]).get(letter.pk)


def _state(attempts: list[LetterDelivery], message: OutboxMessage | None) -> EmailDelivery:
    count = sum(1 for d in attempts if d.status != DeliveryStatus.SKIPPED)
    done = next((d for d in attempts if d.status in DONE), None)
    if done is not None:
        state = SENT if done.status == DeliveryStatus.SENT else SKIPPED
        return EmailDelivery(state, attempts=count, delivered_at=done.attempted_at)
    failed = next((d.error for d in attempts if d.status == DeliveryStatus.FAILED), "")
    if message is None:
        return EmailDelivery(FAILED, attempts=count, error=failed or NEVER_QUEUED)
    if message.state == OutboxState.SENT:  # delivered with nothing left to send
        return EmailDelivery(SENT, attempts=count, delivered_at=message.delivered_at)
    error = message.last_error or failed
    if message.state == OutboxState.FAILED:
        return EmailDelivery(FAILED, attempts=count, error=error)
    if message.attempts:
        return EmailDelivery(
            RETRYING, attempts=count, error=error, next_attempt_at=message.next_attempt_at
        )
    return EmailDelivery(QUEUED, attempts=count, next_attempt_at=message.next_attempt_at)


def require_retryable(letter: Letter) -> None:
    """Refuse a retry of a letter that is not e-mailed, or whose e-mail was delivered."""
    state = email_delivery(letter)
    if state is None:
        raise TransitionRefused(
            LetterErrorCode.NOT_EMAILED,
            "This letter was not sent by e-mail, so there is no e-mail to retry.",
        )
    if not state.retryable:
        raise TransitionRefused(
            LetterErrorCode.ALREADY_DELIVERED,
            f"This letter's e-mail needs no retry: {state.label.lower()}.",
        )
