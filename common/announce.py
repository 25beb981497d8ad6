"""Announcements from an app to the apps above it that it may not import: "a letter is awaiting
approval", "a return is awaiting approval".

A service calls ``announce`` inside its transaction; the intent commits with the change (or not
at all) and the outbox (``common.outbox``) sends the ``announced`` signal once it has committed,
at least once. Receivers (connected in an app's ``ready``) are therefore idempotent: the
notifications app issues each notice through its once-only ledger. The payload carries IDs only.

The complaints lifecycle has its own announcement, ``complaints.services.complaint_changed``,
keyed by complaint and action; this one is for things that are not a complaint's state.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.dispatch import Signal

from . import outbox

logger = logging.getLogger(__name__)

# Sent with ``event`` (e.g. "letter.submitted"), ``object_id`` and ``now`` once the change that
# announced it has committed.
announced = Signal()


def announce(event: str, object_id: int) -> None:
    """Write the announcement of ``event`` about ``object_id`` to the outbox in the caller's
    transaction. Announcing it again re-arms the one intent (a letter submitted a second time
    is announced a second time)."""
    outbox.write(
        deliver_announcement,
        key=f"announce:{event}:{object_id}",
        event=event,
        object_id=object_id,
    )


@outbox.handler
def deliver_announcement(payload: dict[str, Any], now: datetime) -> str | None:
    """The outbox handler: send ``announced``. A failing receiver is logged (IDs only) and the
    announcement retried."""
    event, object_id = payload["event"], payload["object_id"]
    return send_robustly(
        announced, f"{event} {object_id}", sender=None, event=event, object_id=object_id, now=now
    )


def send_robustly(signal: Signal, about: str, **kwargs: Any) -> str | None:
    """Send ``signal`` to every receiver even if one fails (an outbox handler's delivery): a
    failing receiver is logged with ``about`` (IDs only, never personal data), and the failures
    are answered as one line, which makes the outbox retry the delivery; None when all succeeded.
    """
    failed = []
    for receiver, result in signal.send_robust(**kwargs):
        if isinstance(result, Exception):
            name = getattr(receiver, "__qualname__", str(receiver))
            failed.append(f"{name}: {type(result).__name__}")
            logger.error(
                "receiver %s failed for %s: %s",
                name,
                about,
                type(result).__name__,
                exc_info=result,
            )
    return "; ".join(failed) or None
