"""Reactions to complaint changes (connected in AppConfig.ready)."""

from __future__ import annotations

from .dispatch import enqueue

# Changes that can make a deadline near or due at once (a complaint logged late, a new owner,
# a recomputed clock, a reopened case).
_RECHECK = {"register", "assign", "recompute_deadlines", "reopen"}


def on_complaint_changed(sender, *, complaint_id: int, action: str, **kwargs) -> None:
    # complaint_changed is sent after commit, so the task is queued straight away.
    if action in _RECHECK:
        from .tasks import check_complaint_deadlines

        enqueue(check_complaint_deadlines, complaint_id)
