"""The e-mail outbox of notifications (``Notification.email_status``): a sender claims the
pending ones with ``SELECT .. FOR UPDATE SKIP LOCKED``, so every e-mail goes once."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction

from common.compiled import Compiled

from .models import EmailStatus, Notification

logger = logging.getLogger(__name__)


def _email_for(n: Notification) -> EmailMessage:
    site = getattr(settings, "NOTIFICATIONS_SITE_URL", "").rstrip("/")
    url = n.url
    link = f"\n\nOpen: {site}{url}" if url else ""
    return EmailMessage(
        subject=f"[Complaints] {n.title}",
        body=f"{n.body}{link}\n\n-- \nDISP case manager. You receive this because of your "
        "role in the firm; see all notifications in the application.",
        to=[n.recipient.email],
    )


@lru_cache(maxsize=4)
def _pending(limit: int) -> Compiled[Notification]:
    """The e-mails a sender claims, compiled once per process: every run of the watch, and so
    every announced change, asks (issue 18)."""
    return Compiled(
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(email_status=EmailStatus.PENDING)
        .select_related("recipient")
        .order_by("created_at", "id")[:limit]
    )


def emails_send_pending(*, now: datetime, limit: int = 200) -> int:
    """Send queued notification e-mails. Concurrent senders skip each other's locked rows, so
    every e-mail goes once; a failed one is retried by later runs up to a limit."""
    max_attempts = int(getattr(settings, "NOTIFICATIONS_EMAIL_MAX_ATTEMPTS", 3))
    sent = 0
    with transaction.atomic():
        batch = _pending(limit).objects()
        if not batch:
            return 0
        try:
            connection = mailers.default
            connection.open()
        except Exception as exc:
            logger.warning("Mail server unavailable (%s); e-mails stay queued.", type(exc).__name__)
            return 0
        try:
            for n in batch:
                try:
                    connection.send_messages([_email_for(n)])
                except Exception as exc:
                    n.email_attempts += 1
                    n.email_status = (
                        EmailStatus.FAILED
                        if n.email_attempts >= max_attempts
                        else EmailStatus.PENDING
                    )
                    logger.warning("Notification %s e-mail failed (%s)", n.pk, type(exc).__name__)
                    continue
                n.email_attempts += 1
                n.email_status = EmailStatus.SENT
                n.emailed_at = now
                sent += 1
        finally:
            connection.close()
        Notification.objects.bulk_update(batch, ["email_status", "email_attempts", "emailed_at"])
    return sent
