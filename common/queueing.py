"""Publishing a task without letting the broker fail the user's action.

Services never queue work themselves: they write the intent to the outbox (``common.outbox``)
in their own transaction, and its on-commit attempt publishes through ``enqueue``. If the broker
is unreachable the error is logged (task name and IDs only: no personal data) and the request
still succeeds; the outbox sweep delivers the message later. Periodic jobs are state-based, so
a missed run is caught up by the next.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

# Fail fast: a request must not hang waiting for a broker that is down.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}


def enqueue(task: Any, *args: int | str | bool | None) -> bool:
    """Queue ``task`` with ID-like arguments now; True if the broker (or eager run) took it."""
    try:
        task.apply_async(args=args, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception as exc:
        logger.error(
            "Could not queue %s%r (%s); the outbox sweep or the next scheduled run will catch up.",
            task.name,
            args,
            type(exc).__name__,
        )
        return False
    return True
