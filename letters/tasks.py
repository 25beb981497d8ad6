"""Background work: thin tasks that take IDs and call services, and the outbox handler that
e-mails a sent letter (``common.outbox``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from celery import shared_task
from django.utils import timezone

from common import outbox

from .choices import DeliveryStatus


def email_key(letter_id: int) -> str:
    """The outbox key of a letter's e-mail: one intent per letter, whatever the retries."""
    return f"letter-email:{letter_id}"


@outbox.handler
def deliver_letter_email(payload: dict[str, Any], now: datetime) -> str | None:
    """E-mail the letter unless that is done already (idempotent: a letter e-mailed, or skipped
    as sent earlier by other means, is never e-mailed again). The reason when the e-mail failed;
    the attempt is recorded either way as a ``LetterDelivery``."""
    from .models import Letter, LetterDelivery
    from .services import letter_deliver_email

    letter_id = payload["letter_id"]
    if not Letter.objects.filter(pk=letter_id).exists():
        return None  # gone (retention): nothing left to deliver
    done = (DeliveryStatus.SENT, DeliveryStatus.SKIPPED)
    if LetterDelivery.objects.filter(letter_id=letter_id, status__in=done).exists():
        return None
    delivery = letter_deliver_email(letter_id=letter_id, now=now)
    if delivery.status == DeliveryStatus.FAILED:
        return delivery.error or "The e-mail could not be sent."
    return None


@shared_task(acks_late=True)
def email_letter(letter_id: int) -> str:
    """Kept for messages queued before the outbox: the same idempotent delivery."""
    error = deliver_letter_email({"letter_id": letter_id}, timezone.now())
    return DeliveryStatus.FAILED if error else DeliveryStatus.SENT
