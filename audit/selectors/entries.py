"""History rows as audit entries: who, when, what, why, and each field's change in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from common.dates import uk_datetime
from common.display import display_value
from complaints.models import Complaint, Firm

from .sources import HistoryModel, HistorySource, ModelField, label

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}

# One history table's fetched rows, and the previous versions they are compared with by id.
Fetched = tuple[HistorySource, list[Any], dict[Any, Any]]


def diff_ignored_fields() -> frozenset[str]:
    """Bookkeeping fields every write touches: listing them would bury the real changes."""
    return frozenset(getattr(settings, "AUDIT_DIFF_IGNORED_FIELDS", ("updated_at", "version")))


def truncate_at() -> int:
    return int(getattr(settings, "AUDIT_DIFF_TRUNCATE_CHARS", 300))


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
class AuditEntry:
    at: datetime
    actor_id: int | None
    actor: str
    source: HistorySource
    object_id: Any
    object_label: str
    action: str  # created / changed / deleted
    reason: str
    history_id: Any
    complaint_id: int | None = None
    complaint_reference: str = ""
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.source.label

    @property
    def at_display(self) -> str:
        return uk_datetime(self.at)


def sort_key(entry: AuditEntry) -> tuple[datetime, int, str, Any]:
    return (entry.at, entry.source.order, entry.source.key, entry.history_id)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return f"{cut}… ({len(text)} characters)"


def _display(f: ModelField, value: Any, users: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation and f.related_model is not None:
        if f.related_model is get_user_model():
            return users.get(value, f"user #{value}")
        return f"{label(f.related_model)} #{value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return display_value(value)


def _tracked(hm: HistoryModel) -> list[ModelField]:
    ignored = diff_ignored_fields()
    pk_name = hm.instance_type._meta.pk.name
    # The firm and the complaint a record belongs to are the scope of the review, not changes.
    return [
        f
        for f in hm.tracked_fields
        if f.name not in ignored
        and f.name != pk_name
        and not (f.is_relation and f.related_model in (Firm, Complaint))
    ]


def _user_label(user: AbstractUser | None) -> str:
    if user is None:
        return "System"
    return user.get_full_name() or user.get_username()


def _object_label(source: HistorySource, row: Any) -> str:
    if source.model is Complaint:
        return str(row.reference)
    return f"{source.label} #{row.id}"


def _changes(
    tracked: list[ModelField], row: Any, prev: Any, users: dict[int, str], limit_chars: int
) -> list[FieldChange]:
    """The fields ``row`` changed since ``prev`` (every field it set, if it is the first)."""
    changes = []
    for f in tracked:
        after = getattr(row, f.attname)
        before = getattr(prev, f.attname) if prev is not None else None
        if prev is not None and before == after:
            continue
        if prev is None and after in (None, "", False, {}, []):
            continue
        b = _display(f, before, users) if prev is not None else ""
        a = _display(f, after, users)
        changes.append(
            FieldChange(
                name=f.name,
                label=str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:],
                before=b,
                after=a,
                before_short=_shorten(b, limit_chars),
                after_short=_shorten(a, limit_chars),
            )
        )
    return changes


def build_entries(fetched: list[Fetched], *, limit_chars: int) -> list[AuditEntry]:
    """Diff each row against its previous version; one query resolves users named in FKs."""
    user_model = get_user_model()
    user_ids: set[int] = set()
    for source, rows, prevs in fetched:
        user_fks = [f for f in _tracked(source.history_model) if f.related_model is user_model]
        for row in [*rows, *prevs.values()]:
            user_ids.update(v for f in user_fks if (v := getattr(row, f.attname, None)) is not None)
    users = (
        {u.pk: _user_label(u) for u in user_model.objects.filter(pk__in=user_ids)}
        if user_ids
        else {}
    )
    entries = []
    for source, rows, prevs in fetched:
        tracked = _tracked(source.history_model)
        for row in rows:
            action = ACTIONS.get(row.history_type, row.history_type)
            prev = prevs.get(getattr(row, "prev_history_id", None))
            deleted = action == "deleted"
            changes = [] if deleted else _changes(tracked, row, prev, users, limit_chars)
            entries.append(
                AuditEntry(
                    at=row.history_date,
                    actor_id=row.history_user_id,
                    actor=_user_label(row.history_user),
                    source=source,
                    object_id=row.id,
                    object_label=_object_label(source, row),
                    action=action,
                    reason=row.history_change_reason or "",
                    history_id=row.history_id,
                    complaint_id=getattr(row, "audit_complaint_id", None),
                    changes=changes,
                )
            )
    return entries
