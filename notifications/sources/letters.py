"""Sent letters whose e-mail has not been delivered, for the deadline watch."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from common.dates import london_date
from letters.choices import Delivery, LetterStatus, LetterType
from letters.delivery import DONE
from letters.models import Letter
from notifications.due import DueItem, WatchContext
from notifications.models import Level


def undelivered_letters(ctx: WatchContext) -> Iterable[DueItem]:
    """A letter sent by e-mail and not delivered within ``LETTERS_UNDELIVERED_ALERT_MINUTES``
    (an hour) of being sent: the record says the complainant was answered, but the e-mail has
    not left (broker or mail server down, an address refused). Flagged as missed, to the owner
    and the firm's supervisors, once per letter (one query)."""
    minutes = int(getattr(settings, "LETTERS_UNDELIVERED_ALERT_MINUTES", 60))
    letters = (
        Letter.objects.filter(
            complaint__firm_id__in=ctx.firm_ids,
            status=LetterStatus.SENT,
            delivery__in=[d for d in Delivery if d.emails],
            sent_at__lte=ctx.now - timedelta(minutes=minutes),
        )
        .exclude(deliveries__status__in=DONE)
        .select_related("complaint")
        .order_by("sent_at", "id")
    )
    for letter in ctx.watched(letters, "complaint_id"):
        complaint = letter.complaint
        yield DueItem(
            source="letters.undelivered",
            object_key=f"letter:{letter.pk}",
            kind="letter_email",
            label=f"{LetterType(letter.letter_type).label}: e-mail",
            rule=f"delivered within {minutes} minutes of sending",
            level=Level.BREACH,
            due=london_date(letter.sent_at or ctx.now),
            firm_id=complaint.firm_id,
            complaint_id=complaint.pk,
            reference=complaint.reference,
            owner_id=complaint.owner_id,
            link=reverse("letters:letter", args=[letter.pk]),
        )
