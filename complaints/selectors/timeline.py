"""The complaint's timeline: who did what, when, and what changed, in readable words.

Each source (history, communications, notes, owners) loads in one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from common.dates import uk_datetime
from common.display import display_value

from ..choices import (
    Activity,
    Channel,
    DeliveryMethod,
    ForwardPart,
    Nation,
    Outcome,
    ReceivedVia,
    Regime,
    Relationship,
    Status,
)
from ..models import Communication, Complaint, Note

_REASONS = {
    "complaint.register": "Logged the complaint",
    "complaint.acknowledge": "Acknowledged the complaint",
    "complaint.start_investigation": "Started the investigation",
    "complaint.resolve_summary": "Resolved by summary resolution communication",
    "complaint.holding_response": "Sent a holding response",
    "complaint.final_response": "Sent the final response",
    "complaint.reject_time_barred": "Rejected as time-barred (DISP 1.8)",
    "complaint.forward": "Forwarded to another firm (DISP 1.7)",
    "complaint.withdraw": "Recorded the complainant's withdrawal",
    "complaint.close": "Closed the complaint",
    "complaint.reopen": "Reopened the complaint",
    "complaint.assign": "Changed the owner",
    "complaint.recompute_deadlines": "Recomputed the deadlines",
}
# Bookkeeping fields that change on every write and say nothing to a reader.
_TIMELINE_EXCLUDE = [
    "updated_at",
    "version",
    "deadlines_computed_at",
    "deadline_rules",
    "calendar_version",
    "created_at",
    "created_by",
]
_CHOICES: dict[str, dict[str, str]] = {
    "status": dict(Status.choices),
    "regime": dict(Regime.choices),
    "outcome": dict(Outcome.choices),
    "channel": dict(Channel.choices),
    "activity": dict(Activity.choices),
    "relationship": dict(Relationship.choices),
    "received_via": dict(ReceivedVia.choices),
    "forward_part": dict(ForwardPart.choices),
    "calendar_nation": dict(Nation.choices),
}


def readable_reason(reason: str | None) -> str:
    """``complaint.recompute_deadlines: bank holiday added`` → a sentence a supervisor reads."""
    if not reason:
        return "Changed the complaint"
    head, _, tail = reason.partition(":")
    text = _REASONS.get(head.strip())
    if text is None:
        text = head.replace(".", " ").replace("_", " ").strip().capitalize()
    return f"{text}: {tail.strip()}" if tail.strip() else text


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass
class TimelineEntry:
    at: datetime
    who: str
    what: str
    kind: str  # "history" | "communication" | "note"
    changes: list[Change] = field(default_factory=list)
    body: str = ""
    order: int = 0
    seq: int = 0


def _person(user: AbstractUser | None) -> str:
    if user is None:
        return "System"
    return user.get_full_name() or user.get_username()


def _format_value(name: str, value: Any, users: dict[int, Any]) -> str:
    if value in (None, ""):
        return "—"
    if name in _CHOICES:
        return _CHOICES[name].get(value, str(value))
    if name == "owner":
        return _person(users.get(value)) if value in users else f"user #{value}"
    return display_value(value)


def complaint_timeline(complaint: Complaint) -> list[TimelineEntry]:
    """Who did what, when, and what changed: newest first, in four queries whatever its length."""
    records = list(
        complaint.history.select_related("history_user").order_by("history_date", "history_id")
    )
    comms = list(Communication.objects.filter(complaint=complaint).select_related("sent_by"))
    notes = list(Note.objects.filter(complaint=complaint).select_related("author"))
    owner_ids = {r.owner_id for r in records if r.owner_id}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=owner_ids)}
    verbose = {f.attname: f.verbose_name for f in Complaint._meta.concrete_fields}
    verbose["owner_id"] = "owner"

    entries: list[TimelineEntry] = []
    previous = None
    for record in records:
        changes: list[Change] = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=_TIMELINE_EXCLUDE)
            for change in delta.changes:
                name = change.field
                changes.append(
                    Change(
                        str(verbose.get(name, name)).capitalize(),
                        _format_value(name, change.old, users),
                        _format_value(name, change.new, users),
                    )
                )
        entries.append(
            TimelineEntry(
                at=record.history_date,
                who=_person(record.history_user),
                what=readable_reason(record.history_change_reason),
                kind="history",
                changes=changes,
                seq=len(entries),
            )
        )
        previous = record
    for comm in comms:
        entries.append(
            TimelineEntry(
                at=comm.recorded_at,
                who=_person(comm.sent_by),
                what=f"{comm.get_kind_display()} sent by {DeliveryMethod(comm.method).label}"
                f" on {uk_datetime(comm.sent_at)}",
                kind="communication",
                body=comm.summary,
                order=1,
            )
        )
    for note in notes:
        entries.append(
            TimelineEntry(
                at=note.created_at,
                who=_person(note.author),
                what="Added an internal note",
                kind="note",
                body=note.body,
                order=2,
            )
        )
    # Same-instant entries (a frozen clock, one transaction) keep the order they were written.
    entries.sort(key=lambda e: (e.at, e.order, e.seq), reverse=True)
    return entries
