"""Celery tasks of the common app (found by ``autodiscover_tasks``): the outbox's delivery of
one message and its periodic sweep (``common.outbox``)."""

from .outbox import deliver_outbox_message, sweep_outbox

__all__ = ["deliver_outbox_message", "sweep_outbox"]
