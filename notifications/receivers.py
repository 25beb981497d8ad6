"""Reactions to what the complaints lifecycle announces (connected in AppConfig.ready): the
lifecycle sits below this app and cannot call it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.queueing import enqueue, enqueue_on_commit
from complaints.services.calendar import DeadlineMove

# Changes that can make a deadline near or due at once (a complaint logged late, a new owner,
# a recomputed clock, a reopened case).
_RECHECK = {"register", "assign", "recompute_deadlines", "reopen"}


def on_complaint_changed(sender: Any, *, complaint_id: int, action: str, **kwargs: Any) -> None:
    # complaint_changed is sent after commit, so the task is queued straight away.
    if action in _RECHECK:
        from .tasks import check_complaint_deadlines

        enqueue(check_complaint_deadlines, complaint_id)


def on_deadlines_moved(
    sender: Any, *, moves: list[DeadlineMove], holiday: Any, now: datetime, **kwargs: Any
) -> dict[str, int]:
    """A calendar change moved deadlines: tell the owners in the same transaction, and e-mail
    once it commits. Answers the number of notifications issued."""
    from .services import deadlines_moved_notify
    from .tasks import send_pending_emails

    notified = deadlines_moved_notify(moves=moves, holiday=holiday, now=now)
    if notified:
        enqueue_on_commit(send_pending_emails)
    return {"notified": notified}
