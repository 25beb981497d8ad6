"""Queueing background work without letting the broker fail the user's action.

A complaint logged or a letter sent is committed first; the task is queued after commit. If the
broker is unreachable the error is logged (task name and IDs only: no personal data) and the
request still succeeds. Nothing is lost: the periodic jobs are state-based, so the next deadline
watch issues whatever the queued task would have.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

# Fail fast: a request must not hang waiting for a broker that is down.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}


def enqueue(task: Any, *args: int | str | bool | None) -> bool:
    """Queue ``task`` with ID-like arguments now; True if the broker (or eager run) took it."""
    try:
        task.apply_async(args=args, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception as exc:
        logger.error(
            "Could not queue %s%r (%s); the next scheduled run will catch up.",
            task.name,
            args,
            type(exc).__name__,
        )
        return False
    return True


def enqueue_on_commit(task: Any, *args: int | str | bool | None) -> None:
    """Queue ``task`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(task, *args))
