"""What the timeline reads out of the history: an entry (one history row: when, who, the record,
what happened in words) and its field changes, and the order entries are told in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from common.dates import uk_datetime

from .history import HistorySource


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    before_short: str
    after_short: str

    @property
    def truncated(self) -> bool:
        return self.before_short != self.before or self.after_short != self.after


@dataclass
class TimelineEntry:
    at: datetime
    actor_id: int | None
    actor: str
    source: HistorySource
    object_id: Any
    object_label: str
    action: str  # created / changed / deleted
    reason: str
    history_id: Any
    # The history row: the record as it stood after this change.
    record: Any = None
    complaint_id: int | None = None
    complaint_reference: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    # The names of the users the rows' foreign keys point at, by id (shared by every entry).
    people: dict[int, str] = field(default_factory=dict, repr=False)
    # What the rows' foreign keys point at, in words, by (model, id) (shared by every entry).
    refs: dict[tuple[type, Any], str] = field(default_factory=dict, repr=False)
    # What happened, in words (``describe``): "Final response sent by Ann Lee, upheld".
    sentence: str = ""

    @property
    def kind(self) -> str:
        return self.source.label

    @property
    def at_display(self) -> str:
        return uk_datetime(self.at)

    def person(self, user_id: int | None) -> str:
        if user_id is None:
            return "System"
        return self.people.get(user_id, f"user #{user_id}")


def sort_key(entry: TimelineEntry) -> tuple[datetime, int, str, Any]:
    return (entry.at, entry.source.order, entry.source.key, entry.history_id)
