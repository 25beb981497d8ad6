"""A complaint's timeline: every recorded change to it and to everything attached to it.

``complaint_timeline`` is the one read: the history rows of the complaint, its complainant and
every record the app registry links to it (``history``), each diffed field by field against its
previous version, oldest first. The supervisor's audit trail (and its CSV and PDF) shows it as
recorded; the complaint page reads it through ``readable_timeline``: the complaint's own
changes in words, and the communications and notes as they stand, newest first.

Each history table costs one query for its rows, a second only for previous versions outside
them (a filtered read), plus one for the users named in foreign keys: the count depends on the
number of history tables read, never on the number of entries.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL

from common.compiled import ANY_ID, Compiled
from common.dates import LONDON, uk_datetime

from ..choices import DeliveryMethod
from ..models import Communication, Complaint, Firm, ForwardedPart, Note
from ..models.vulnerability import DETAIL_FIELDS
from . import describers as _describers  # noqa: F401  (registers the case's describers)
from .describe import describe_entries, field_label, field_value, related_labels

# Re-exported: the timeline's readers take its entries from here.
from .entries import FieldChange as FieldChange
from .entries import TimelineEntry as TimelineEntry
from .entries import sort_key as sort_key
from .history import HistoryModel, HistorySource, ModelField, complaint_sources

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# The actor filter's value for changes made with no signed-in user.
SYSTEM = "system"

# One history table's fetched rows, and the versions they are compared with, by history id.
Fetched = tuple[HistorySource, list[Any], dict[Any, Any]]


def diff_ignored_fields() -> frozenset[str]:
    """Bookkeeping fields every write touches: listing them would bury the real changes."""
    return frozenset(getattr(settings, "AUDIT_DIFF_IGNORED_FIELDS", ("updated_at", "version")))


def truncate_at() -> int:
    return int(getattr(settings, "AUDIT_DIFF_TRUNCATE_CHARS", 300))


# --- reading the history tables --------------------------------------------------------------


def _with_prev(qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """Annotate each history row with its object's previous version (same object, earlier).
    Written as SQL of the row: as a Django ``Subquery`` it cost about 1 ms a table to build and
    compile, and the complaint page reads four tables (issue 18)."""
    row = connection.ops.quote_name(qs.model._meta.db_table)
    earlier = RawSQL(
        f"SELECT e.history_id FROM {row} e WHERE e.id = {row}.id AND (e.history_date < "
        f"{row}.history_date OR (e.history_date = {row}.history_date AND e.history_id < "
        f"{row}.history_id)) ORDER BY e.history_date DESC, e.history_id DESC LIMIT 1",
        [],
        output_field=models.IntegerField(),
    )
    annotated: models.QuerySet[Any] = qs.annotate(prev_history_id=earlier)
    return annotated


def period_q(date_from: date | None, date_to: date | None) -> Q:
    """Europe/London calendar days, inclusive."""
    q = Q()
    if date_from:
        q &= Q(history_date__gte=datetime.combine(date_from, time.min, tzinfo=LONDON))
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=LONDON)
        q &= Q(history_date__lt=end)
    return q


def _actor_q(actor: int | str | None) -> Q:
    if actor is None or actor == "":
        return Q()
    if actor == SYSTEM:
        return Q(history_user__isnull=True)
    return Q(history_user_id=int(actor))


def _oldest_first(qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return _with_prev(qs.select_related("history_user")).order_by("history_date", "history_id")


def fetch(source: HistorySource, qs: models.QuerySet[Any], limit: int | None = None) -> Fetched:
    """``qs``'s rows oldest first, with the previous versions they are diffed against."""
    qs = _oldest_first(qs)
    return _with_versions(source, list(qs[:limit] if limit else qs))


# Each source's rows of one complaint, compiled once per process (issue 18): a complaint id no
# row has marks where each page binds its own.
_COMPLAINT_ROWS: dict[str, Compiled[Any]] = {}


def _fetch_complaint(source: HistorySource, complaint_id: int) -> Fetched:
    """``fetch`` of every row of ``source`` about the complaint."""
    compiled = _COMPLAINT_ROWS.get(source.key)
    if compiled is None:
        assert source.complaint_q is not None
        qs = _oldest_first(source.rows().filter(source.complaint_q(ANY_ID)))
        compiled = _COMPLAINT_ROWS[source.key] = Compiled(qs, ANY_ID)
    return _with_versions(source, compiled.objects(complaint_id))


def _with_versions(source: HistorySource, rows: list[Any]) -> Fetched:
    versions = {r.history_id: r for r in rows}
    missing = {r.prev_history_id for r in rows} - versions.keys() - {None}
    if missing:
        versions.update(source.history_model.objects.in_bulk(missing))
    return source, rows, versions


# --- history rows as entries -----------------------------------------------------------------


# What only ``view_vulnerability_detail`` reads of a complainant's history (FG21/1 detail).
HIDDEN_DETAIL = frozenset({*DETAIL_FIELDS, "vulnerability_consent", "vulnerability_consent_at"})


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return f"{cut}… ({len(text)} characters)"


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
    """The record in words; a describer's ``subject`` says more (never an id)."""
    if source.model is Complaint:
        return str(row.reference)
    return source.label


def _changes(
    tracked: list[ModelField],
    row: Any,
    prev: Any,
    refs: dict[tuple[type, Any], str],
    limit_chars: int,
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
        b = field_value(f, before, refs) if prev is not None else ""
        a = field_value(f, after, refs)
        changes.append(
            FieldChange(
                name=f.name,
                label=field_label(f),
                before=b,
                after=a,
                before_short=_shorten(b, limit_chars),
                after_short=_shorten(a, limit_chars),
            )
        )
    return changes


def build_entries(
    fetched: list[Fetched],
    *,
    limit_chars: int,
    detail_firm_ids: Collection[int] = (),
    known: Collection[models.Model] = (),
) -> list[TimelineEntry]:
    """Diff each row against its previous version; one query resolves users named in FKs.

    FG21/1 vulnerability detail (drivers, note, how identified, consent) is left out of the
    changes of complainants outside ``detail_firm_ids`` (the firms where the reader holds
    ``view_vulnerability_detail``); "support needs" and the review date stay."""
    user_model = get_user_model()
    wanted: dict[type[models.Model], set[Any]] = {}
    for source, rows, versions in fetched:
        fks = [
            (f, f.related_model)
            for f in _tracked(source.history_model)
            if f.is_relation and isinstance(f.related_model, type)
        ]
        for row in [*rows, *versions.values()]:
            for f, related in fks:
                if (v := getattr(row, f.attname, None)) is not None:
                    wanted.setdefault(related, set()).add(v)
    user_ids = wanted.pop(user_model, set())
    users = (
        {u.pk: _user_label(u) for u in user_model.objects.filter(pk__in=user_ids)}
        if user_ids
        else {}
    )
    refs = related_labels(wanted, known)
    refs.update({(user_model, pk): name for pk, name in users.items()})
    entries = []
    for source, rows, versions in fetched:
        tracked = _tracked(source.history_model)
        for row in rows:
            action = ACTIONS.get(row.history_type, row.history_type)
            prev = versions.get(getattr(row, "prev_history_id", None))
            deleted = action == "deleted"
            changes = [] if deleted else _changes(tracked, row, prev, refs, limit_chars)
            if getattr(row, "firm_id", None) not in detail_firm_ids:
                changes = [c for c in changes if c.name not in HIDDEN_DETAIL]
            entries.append(
                TimelineEntry(
                    at=row.history_date,
                    actor_id=row.history_user_id,
                    actor=_user_label(row.history_user),
                    source=source,
                    object_id=row.id,
                    object_label=_object_label(source, row),
                    action=action,
                    reason=row.history_change_reason or "",
                    history_id=row.history_id,
                    record=row,
                    complaint_id=getattr(row, "audit_complaint_id", None),
                    changes=changes,
                    people=users,
                    refs=refs,
                )
            )
    describe_entries(entries)
    return entries


def complaint_timeline(
    complaint: Complaint,
    *,
    actor: int | str | None = None,
    kinds: Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit_chars: int | None = None,
    detail_firm_ids: Collection[int] = (),
) -> list[TimelineEntry]:
    """Every change to the complaint and everything attached to it, oldest first.

    ``kinds`` are source keys (``complaints.note``); none: every kind. Vulnerability detail
    only for ``detail_firm_ids`` (``build_entries``).
    """
    wanted = set(kinds or [])
    fetched = []
    extra = _actor_q(actor) & period_q(date_from, date_to)
    for source in complaint_sources():
        if (wanted and source.key not in wanted) or source.complaint_q is None:
            continue
        if not extra:
            fetched.append(_fetch_complaint(source, complaint.pk))
            continue
        qs = source.rows().filter(source.complaint_q(complaint.pk)).filter(extra)
        fetched.append(fetch(source, qs))
    # The complainant the page has loaded names itself in the changes without a query.
    known = [complaint.complainant] if Complaint.complainant.is_cached(complaint) else []
    entries = build_entries(
        fetched,
        limit_chars=limit_chars or truncate_at(),
        detail_firm_ids=detail_firm_ids,
        known=known,
    )
    for e in entries:
        e.complaint_id = complaint.pk
        e.complaint_reference = complaint.reference
    return sorted(entries, key=sort_key)


# --- the complaint page's reading ------------------------------------------------------------

_REASONS = {
    "complaint.register": "Logged the complaint",
    "complaint.acknowledge": "Acknowledged the complaint",
    "complaint.start_investigation": "Started the investigation",
    "complaint.resolve_summary": "Resolved by summary resolution communication",
    "complaint.holding_response": "Sent a holding response",
    "complaint.final_response": "Sent the final response",
    "complaint.reject_time_barred": "Rejected as time-barred (DISP 1.8)",
    "complaint.forward": "Forwarded to another firm (DISP 1.7)",
    "complaint.forward_part": "Recorded a part of the complaint forwarded to another firm",
    "complaint.withdraw": "Recorded the complainant's withdrawal",
    "complaint.close": "Closed the complaint",
    "complaint.reopen": "Reopened the complaint",
    "complaint.assign": "Changed the owner",
    "complaint.recompute_deadlines": "Recomputed the deadlines",
}
# Besides ``diff_ignored_fields``, the deadline bookkeeping a recomputation rewrites: the page
# shows the deadlines themselves changing, not how they were worked out.
_PAGE_HIDDEN = frozenset({"deadlines_computed_at", "deadline_rules", "calendar_version"})
# What the complaint page shows, and the entry class each kind is styled with.
_PAGE_KINDS: dict[type[models.Model], str] = {
    Complaint: "history",
    Communication: "communication",
    ForwardedPart: "communication",
    Note: "note",
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


@dataclass
class ReadableEntry:
    at: datetime
    who: str
    what: str
    kind: str  # "history" | "communication" | "note"
    changes: list[FieldChange] = field(default_factory=list)
    body: str = ""


def _readable(entry: TimelineEntry) -> ReadableEntry:
    row = entry.record
    kind = _PAGE_KINDS[entry.source.model]
    if entry.source.model is ForwardedPart:
        return ReadableEntry(
            at=entry.at,
            who=entry.actor,
            what=f"Forwarded part of the complaint to {row.to_firm} (DISP 1.7); we keep the rest",
            kind=kind,
            body=row.to_contact,
        )
    if kind == "communication":
        method = DeliveryMethod(row.method).label
        return ReadableEntry(
            at=row.recorded_at,
            who=entry.person(row.sent_by_id),
            what=f"{row.get_kind_display()} sent by {method} on {uk_datetime(row.sent_at)}",
            kind=kind,
            body=row.summary,
        )
    if kind == "note":
        return ReadableEntry(
            at=row.created_at,
            who=entry.person(row.author_id),
            what="Added an internal note",
            kind=kind,
            body=row.body,
        )
    # By field name, the order the page has always listed them in.
    shown = sorted((c for c in entry.changes if c.name not in _PAGE_HIDDEN), key=lambda c: c.name)
    return ReadableEntry(
        at=entry.at,
        who=entry.actor,
        what=readable_reason(entry.reason),
        kind=kind,
        changes=[] if entry.action == "created" else shown,
    )


def readable_timeline(complaint: Complaint) -> list[ReadableEntry]:
    """The complaint page's timeline, newest first: each change to the complaint in words with
    its field changes, and each communication and note as it stands now (a deleted note is
    gone)."""
    timeline = complaint_timeline(complaint, kinds=[m._meta.label_lower for m in _PAGE_KINDS])
    changes = [e for e in timeline if e.source.model is Complaint]
    latest = {(e.source.key, e.object_id): e for e in timeline if e.source.model is not Complaint}
    shown = changes + [e for e in latest.values() if e.action != "deleted"]
    readable = [(_readable(e), e) for e in shown]
    # Same-instant entries (a frozen clock, one transaction) keep the order they were written.
    readable.sort(key=lambda pair: (pair[0].at, *sort_key(pair[1])[1:]), reverse=True)
    return [r for r, _e in readable]
