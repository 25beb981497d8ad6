"""Background work: thin tasks that take IDs and call services."""

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def email_letter(letter_id: int) -> str:
    """Kept for messages queued before the outbox: the same idempotent delivery
    (``letters.delivery``)."""
    from .choices import DeliveryStatus
    from .delivery import deliver_letter_email

    error = deliver_letter_email({"letter_id": letter_id}, timezone.now())
    return DeliveryStatus.FAILED if error else DeliveryStatus.SENT
