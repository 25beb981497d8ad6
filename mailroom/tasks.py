"""Celery tasks: the beat entry ``mailroom-poll`` queues one poll per enabled mailbox."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from common.queueing import enqueue

from . import poller
from .models import Mailbox


@shared_task(name="mailroom.poll_mailboxes")
def poll_mailboxes() -> int:
    ids = list(Mailbox.objects.filter(enabled=True).values_list("pk", flat=True))
    for pk in ids:
        enqueue(poll_mailbox, pk)
    return len(ids)


@shared_task(name="mailroom.poll_mailbox")
def poll_mailbox(mailbox_id: int) -> dict[str, object]:
    return poller.poll(mailbox_id, now=timezone.now()).as_dict()
