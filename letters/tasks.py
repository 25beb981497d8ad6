"""Background work: thin tasks that take IDs and call services."""

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def email_letter(letter_id: int) -> str:
    from .services import letter_deliver_email

    return letter_deliver_email(letter_id=letter_id, now=timezone.now()).status
