"""Reactions to what the complaints lifecycle announces (connected in AppConfig.ready): the
lifecycle sits below this app and cannot call it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from common import outbox
from complaints.services.calendar import DeadlineMove

# Changes that can make a deadline near or due at once (a complaint logged late, a new owner,
# a recomputed clock, a reopened case; a data-protection record made late or its clock restarted).
_RECHECK = {
    "register",
    "assign",
    "recompute_deadlines",
    "reopen",
    "dpa_complaint.record",
    "sar.record",
    "sar.identity_received",
    "sar.clarification_received",
}

# Changes after which an open complaint may have no owner: the supervisors are told.
_OWNER_CHANGES = {"register", "assign", "reopen"}


def on_complaint_changed(
    sender: Any, *, complaint_id: int, action: str, now: datetime | None = None, **kwargs: Any
) -> None:
    # Announcements come through the outbox (delivered after commit, at least once): the check
    # runs here and now; the notice ledger makes a repeat issue nothing twice.
    if action in _RECHECK:
        from .services import deadline_watch_run

        deadline_watch_run(now=now or timezone.now(), complaint_ids=[complaint_id])
    if action in _OWNER_CHANGES:
        from .arrivals import complaint_unassigned

        complaint_unassigned(complaint_id, now=now or timezone.now())


def on_deadlines_moved(
    sender: Any, *, moves: list[DeadlineMove], holiday: Any, now: datetime, **kwargs: Any
) -> dict[str, int]:
    """A calendar change moved deadlines: tell the owners in the same transaction, and e-mail
    them through the outbox once it commits. Answers the number of notifications issued."""
    from .services import deadlines_moved_notify
    from .tasks import send_notification_emails

    notified = deadlines_moved_notify(moves=moves, holiday=holiday, now=now)
    if notified:
        outbox.write(send_notification_emails, key="notifications:send-pending-emails", now=now)
    return {"notified": notified}
