"""The transactional outbox: how every after-commit side effect leaves the building.

A service that changes state and wants something done once the change is committed (a letter
e-mailed, a change announced to the deadline watch) calls ``write`` inside its transaction. The
intent is an ``OutboxMessage`` row, committed with the change or not at all. Then:

- **on commit**, one attempt is published to the broker (``deliver_outbox_message``). It fails
  fast and never raises into the request: with the broker down the row simply stays pending.
  Without a broker (the demo) Celery runs it eagerly, in-process.
- **the sweep** (``sweep_outbox``: a Celery beat entry every minute, and
  ``manage.py sweep_outbox`` for cron or by hand, which needs no broker) delivers every pending
  message that is due.

Delivering claims one row with ``SELECT .. FOR UPDATE SKIP LOCKED`` and runs its handler in the
same transaction: two workers, sweeps or retries never run one message at the same moment. It is
**at least once**: a process killed after the handler's effect but before the commit runs it
again. Handlers are therefore idempotent (a letter already e-mailed is not e-mailed twice).

A handler is a function marked ``@handler``, taking ``(payload, now)``; ``kind`` stores its
dotted path, so every process (web, worker, command) finds it without registration. It answers
None when done, or a short reason when delivery failed (its own writes, e.g. a failed-attempt
record, are kept); an exception rolls its writes back. Either failure is retried with
exponential backoff (``OUTBOX_RETRY_BASE_SECONDS`` doubling up to ``OUTBOX_RETRY_MAX_SECONDS``)
until ``OUTBOX_MAX_ATTEMPTS``, when the message is ``failed`` and waits for a person to retry it.
Payloads and log lines carry IDs only, never personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .bulk import CopyRows, copy_prepare, insert_rows
from .models import OutboxMessage, OutboxState
from .queueing import enqueue

logger = logging.getLogger(__name__)

Payload = dict[str, Any]
Handler = Callable[[Payload, datetime], str | None]


def handler[F: Handler](func: F) -> F:
    """Mark ``func`` as an outbox handler (only marked functions are ever run)."""
    func.outbox_handler = True  # type: ignore[attr-defined]
    return func


def kind_of(func: Handler) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def _fresh(now: datetime) -> dict[str, Any]:
    """A new message's state: pending, due now, never tried."""
    return {
        "state": OutboxState.PENDING,
        "attempts": 0,
        "last_error": "",
        "next_attempt_at": now,
        "created_at": now,
        "delivered_at": None,
    }


_COLUMNS = ["kind", "payload", "dedupe_key", "state", "attempts", "last_error"]
_COLUMNS += ["next_attempt_at", "created_at", "delivered_at"]


def write(
    func: Handler,
    *,
    key: str,
    now: datetime | None = None,
    rearm: bool = False,
    **payload: int | str | bool | None,
) -> OutboxMessage:
    """Record, in the caller's transaction, that ``func(payload)`` must run once it commits.

    ``key`` names the intent. Writing a key again re-arms its one row: a delivered or failed
    message is pending again; a pending one keeps its count of attempts unless ``rearm`` (a
    person's retry), which makes it due now with a fresh count."""
    now = now or timezone.now()
    kind = kind_of(func)
    # Most intents are new: one INSERT that skips a key already written (no lock, no savepoint;
    # a key a concurrent transaction is writing waits for it to end).
    message = OutboxMessage(kind=kind, payload=payload, dedupe_key=key, **_fresh(now))
    inserted = insert_rows(
        OutboxMessage,
        _COLUMNS,
        [[getattr(message, name) for name in _COLUMNS]],
        returning="id",
        unless_exists=["dedupe_key"],
    )
    if inserted:
        message.pk = inserted[0]
        message._state.adding = False
    else:
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update().get(dedupe_key=key)
            rearmed = _rearm(message, now, rearm)
            if rearmed or message.kind != kind or message.payload != payload:
                message.kind, message.payload = kind, payload
                message.save()
    transaction.on_commit(partial(attempt, message.pk), robust=True)
    return message


def prepare_many(func: Handler, intents: list[tuple[str, Payload]], *, now: datetime) -> CopyRows:
    """``write`` for many new intents at once (a bulk import's announcements, in the caller's
    transaction), made ready to copy (``common.bulk.copy_prepare``: Python only) for the caller
    to write with its own rows (``copy_write``, a register import's chunks) and then call
    ``sweep_on_commit`` once, after the last: one sweep published on commit instead of one
    attempt per message (the minute's sweep delivers them anyway if the broker is down). The
    keys must be new (a bulk import's new rows): a key written before is an error."""
    kind = kind_of(func)
    fresh = [_fresh(now)[name] for name in _COLUMNS[3:]]
    return copy_prepare(
        OutboxMessage, _COLUMNS, [(kind, payload, key, *fresh) for key, payload in intents]
    )


def sweep_on_commit() -> None:
    """One sweep published once the caller's transaction commits (``prepare_many``)."""
    transaction.on_commit(partial(enqueue, sweep_outbox), robust=True)


def _rearm(message: OutboxMessage, now: datetime, force: bool) -> bool:
    if message.state == OutboxState.PENDING and not force:
        return False
    message.state = OutboxState.PENDING
    message.attempts = 0
    message.last_error = ""
    message.next_attempt_at = now
    message.delivered_at = None
    return True


def find(key: str) -> OutboxMessage | None:
    return OutboxMessage.objects.filter(dedupe_key=key).first()


def attempt(message_id: int) -> bool:
    """The on-commit attempt: publish the delivery. Never raises; False if the broker did not
    take it (the row stays pending for the sweep)."""
    try:
        return enqueue(deliver_outbox_message, message_id)
    except Exception as exc:  # enqueue already guards; this is the request's last line
        logger.error("Outbox message %s: attempt failed (%s)", message_id, type(exc).__name__)
        return False


# --- delivery -------------------------------------------------------------------------------


def deliver(message_id: int, *, now: datetime) -> str | None:
    """Deliver one pending message if nobody else holds it; its new state (None if skipped)."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, state=OutboxState.PENDING)
            .first()
        )
        if message is None:
            return None
        return _run(message, now)


@dataclass
class SweepResult:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"delivered": self.delivered, "retrying": self.retrying, "failed": self.failed}


def sweep(*, now: datetime, limit: int = 500) -> SweepResult:
    """Deliver every pending message due by ``now`` (up to ``limit``), one per transaction.
    Rows another worker holds are skipped, not waited for; a message that fails is due again
    only after its backoff, so one sweep tries each message once."""
    result = SweepResult()
    for _ in range(limit):
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id")
                .first()
            )
            if message is None:
                break
            state = _run(message, now)
        if state == OutboxState.SENT:
            result.delivered += 1
        elif state == OutboxState.FAILED:
            result.failed += 1
        else:
            result.retrying += 1
    return result


def backoff(attempts: int) -> timedelta:
    base = int(getattr(settings, "OUTBOX_RETRY_BASE_SECONDS", 60))
    cap = int(getattr(settings, "OUTBOX_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def _resolve(kind: str) -> Handler:
    func = import_string(kind)
    if not getattr(func, "outbox_handler", False):
        raise LookupError(f"{kind} is not an outbox handler")
    return func


def _run(message: OutboxMessage, now: datetime) -> str:
    """Run the locked ``message``'s handler and record the outcome on it."""
    try:
        with transaction.atomic():
            error = _resolve(message.kind)(dict(message.payload), now)
    except Exception as exc:  # any failure is recorded on the message and retried
        error = f"{type(exc).__name__}: {exc}"
    message.attempts += 1
    if error is None:
        message.state = OutboxState.SENT
        message.delivered_at = now
        message.last_error = ""
    else:
        message.last_error = error[:2000]
        if message.attempts >= int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 10)):
            message.state = OutboxState.FAILED
        else:
            message.next_attempt_at = now + backoff(message.attempts)
        # The reason may name a recipient: the log gets the message and its kind only.
        logger.warning(
            "Outbox message %s (%s) attempt %s failed; %s",
            message.pk,
            message.kind,
            message.attempts,
            "giving up" if message.state == OutboxState.FAILED else "will retry",
        )
    message.save()
    return message.state


# --- Celery tasks (common.tasks exposes them to autodiscovery) ------------------------------


@shared_task(name="common.deliver_outbox_message", acks_late=True)
def deliver_outbox_message(message_id: int) -> str | None:
    return deliver(message_id, now=timezone.now())


@shared_task(name="common.sweep_outbox")
def sweep_outbox() -> dict[str, int]:
    return sweep(now=timezone.now()).as_dict()
