"""Reads for the audit review: every history row about a complaint, or by a user.

Sources are discovered from the app registry, not listed: any model with simple-history whose
model has a foreign key to Complaint (letters, redress, notes, the FOS referral...), any model
one foreign key further (a FOS stage row -> referral -> complaint), the complaint itself and
its complainant. Models with only a firm foreign key (firm settings, memberships, templates)
appear in a user's activity. A new capability's history therefore shows up without code here.

Each source costs two queries (its rows, then the previous versions the diffs need), plus one
for the users named in foreign keys: the count depends on the number of history tables, never
on the number of entries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from simple_history.models import HistoricalChanges

from common.dates import LONDON, uk_date, uk_datetime
from complaints.models import Complainant, Complaint, Firm

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
SYSTEM = "system"


def diff_ignored_fields() -> frozenset[str]:
    """Bookkeeping fields every write touches: listing them would bury the real changes."""
    return frozenset(getattr(settings, "AUDIT_DIFF_IGNORED_FIELDS", ("updated_at", "version")))


def truncate_at() -> int:
    return getattr(settings, "AUDIT_DIFF_TRUNCATE_CHARS", 300)


@dataclass(frozen=True)
class HistorySource:
    """One history table and how its rows relate to a complaint and to firms."""

    key: str  # app_label.modelname of the tracked model
    label: str
    model: type[models.Model]
    history_model: type[models.Model]
    # Q on history rows, given a complaint id; None: not about one complaint.
    complaint_q: Any = None
    # Q on history rows, given a list of firm ids.
    firm_q: Any = None
    # Expression giving a history row's complaint id (for links), or None.
    complaint_id_expr: Any = None
    order: int = 100

    def rows(self):
        return self.history_model.objects.all()


def _fks_to(model: type[models.Model], target: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model is target
    ]


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    for m in _all_history_models():
        if m.instance_type is model:
            return m
    return None


@cache
def _all_history_models() -> tuple[type[models.Model], ...]:
    from django.apps import apps

    return tuple(
        m
        for m in apps.get_models()
        if issubclass(m, HistoricalChanges) and getattr(m, "instance_type", None) is not None
    )


def _any_of(fields: Iterable[models.Field], value) -> Q:
    """Rows whose FK (any of ``fields``) is ``value``: an id, or a subquery of ids."""
    lookup = "__in" if isinstance(value, models.QuerySet) else ""
    q = Q()
    for f in fields:
        q |= Q(**{f"{f.attname}{lookup}": value})
    return q


def _label(model: type[models.Model]) -> str:
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


@cache
def history_sources() -> tuple[HistorySource, ...]:
    """All history tables the audit review reads, complaint-linked ones first."""
    history_complaint = _history_model(Complaint)
    history_complainant = _history_model(Complainant)
    sources: list[HistorySource] = []

    def firm_ids_q(attname: str):
        return lambda ids: Q(**{f"{attname}__in": ids})

    sources.append(
        HistorySource(
            key=Complaint._meta.label_lower,
            label=_label(Complaint),
            model=Complaint,
            history_model=history_complaint,
            complaint_q=lambda cid: Q(id=cid),
            firm_q=firm_ids_q("firm_id"),
            complaint_id_expr=F("id"),
            order=0,
        )
    )
    if history_complainant is not None:
        sources.append(
            HistorySource(
                key=Complainant._meta.label_lower,
                label=_label(Complainant),
                model=Complainant,
                history_model=history_complainant,
                # Every complainant the complaint has had (the history keeps earlier links).
                complaint_q=lambda cid: Q(
                    id__in=history_complaint.objects.filter(id=cid).values("complainant_id")
                ),
                firm_q=firm_ids_q("firm_id"),
                order=1,
            )
        )

    linked: dict[type, list[models.Field]] = {}
    for hm in _all_history_models():
        model = hm.instance_type
        if model in (Complaint, Complainant):
            continue
        fks = _fks_to(model, Complaint)
        if fks:
            linked[model] = fks

    def complaints_of_firms(ids):
        return Complaint.objects.filter(firm_id__in=ids).values("pk")

    for model, fks in sorted(linked.items(), key=lambda kv: kv[0]._meta.label_lower):
        hm = _history_model(model)
        firm_fk = _fks_to(model, Firm)
        sources.append(
            HistorySource(
                key=model._meta.label_lower,
                label=_label(model),
                model=model,
                history_model=hm,
                complaint_q=(lambda fks: lambda cid: _any_of(fks, cid))(fks),
                firm_q=(
                    firm_ids_q(firm_fk[0].attname)
                    if firm_fk
                    else (lambda fks: lambda ids: _any_of(fks, complaints_of_firms(ids)))(fks)
                ),
                complaint_id_expr=F(fks[0].attname),
                order=10,
            )
        )

    hop_keys = set()
    for hm in _all_history_models():
        model = hm.instance_type
        if model in linked or model in (Complaint, Complainant):
            continue
        for parent, parent_fks in linked.items():
            via = _fks_to(model, parent)
            if not via:
                continue
            parent_hm = _history_model(parent)

            def complaint_q(cid, via=via, parent_hm=parent_hm, parent_fks=parent_fks):
                parents = parent_hm.objects.filter(_any_of(parent_fks, cid)).values("id")
                return _any_of(via, parents)

            def firm_q(ids, via=via, parent_hm=parent_hm, parent_fks=parent_fks):
                parents = parent_hm.objects.filter(
                    _any_of(parent_fks, complaints_of_firms(ids))
                ).values("id")
                return _any_of(via, parents)

            sources.append(
                HistorySource(
                    key=model._meta.label_lower,
                    label=_label(model),
                    model=model,
                    history_model=hm,
                    complaint_q=complaint_q,
                    firm_q=firm_q,
                    complaint_id_expr=Subquery(
                        parent_hm.objects.filter(id=OuterRef(via[0].attname))
                        .order_by("-history_date")
                        .values(parent_fks[0].attname)[:1]
                    ),
                    order=20,
                )
            )
            hop_keys.add(model)
            break

    # Firm-level records (settings, memberships, templates): in a user's activity only.
    for hm in _all_history_models():
        model = hm.instance_type
        if model in linked or model in hop_keys or model in (Complaint, Complainant):
            continue
        if model is Firm:
            firm_q = firm_ids_q("id")
        elif firm_fks := _fks_to(model, Firm):
            firm_q = firm_ids_q(firm_fks[0].attname)
        else:
            continue
        sources.append(
            HistorySource(
                key=model._meta.label_lower,
                label=_label(model),
                model=model,
                history_model=hm,
                firm_q=firm_q,
                order=30,
            )
        )
    return tuple(sorted(sources, key=lambda s: (s.order, s.key)))


def complaint_sources() -> list[HistorySource]:
    return [s for s in history_sources() if s.complaint_q is not None]


# --- entries --------------------------------------------------------------------------------


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


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return f"{cut}… ({len(text)} characters)"


def _display(f: models.Field, value: Any, users: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation:
        if f.related_model is get_user_model():
            return users.get(value, f"user #{value}")
        return f"{_label(f.related_model)} #{value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return uk_datetime(value)
    if isinstance(value, date):
        return uk_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def _tracked(hm) -> list[models.Field]:
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


def _user_label(user) -> str:
    if user is None:
        return "System"
    return user.get_full_name() or user.get_username()


def _object_label(source: HistorySource, row) -> str:
    if source.model is Complaint:
        return row.reference
    return f"{source.label} #{row.id}"


def _with_prev(qs):
    """Annotate each history row with its object's previous version (same object, earlier)."""
    hm = qs.model
    earlier = hm.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    return qs.annotate(
        prev_history_id=Subquery(
            earlier.order_by("-history_date", "-history_id").values("history_id")[:1]
        )
    )


def _period_q(date_from: date | None, date_to: date | None) -> Q:
    """Europe/London calendar days, inclusive."""
    q = Q()
    if date_from:
        q &= Q(history_date__gte=datetime.combine(date_from, time.min, tzinfo=LONDON))
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=LONDON)
        q &= Q(history_date__lt=end)
    return q


def _actor_q(actor: int | str | None) -> Q:
    if actor in (None, ""):
        return Q()
    if actor == SYSTEM:
        return Q(history_user__isnull=True)
    return Q(history_user_id=int(actor))


def _build_entries(
    fetched: list[tuple[HistorySource, list, dict]], *, limit_chars: int
) -> list[AuditEntry]:
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
            changes = []
            if action != "deleted":
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


def _fetch(source: HistorySource, qs, limit: int | None = None):
    qs = _with_prev(qs.select_related("history_user")).order_by("history_date", "history_id")
    rows = list(qs[:limit] if limit else qs)
    prev_ids = {r.prev_history_id for r in rows if r.prev_history_id is not None}
    prevs = source.history_model.objects.in_bulk(prev_ids) if prev_ids else {}
    return rows, prevs


def _sort_key(entry: AuditEntry):
    return (entry.at, entry.source.order, entry.source.key, entry.history_id)


def complaint_timeline(
    complaint: Complaint,
    *,
    actor: int | str | None = None,
    kinds: Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit_chars: int | None = None,
) -> list[AuditEntry]:
    """Every change to the complaint and everything attached to it, oldest first."""
    kinds = set(kinds or [])
    fetched = []
    extra = _actor_q(actor) & _period_q(date_from, date_to)
    for source in complaint_sources():
        if kinds and source.key not in kinds:
            continue
        qs = source.rows().filter(source.complaint_q(complaint.pk)).filter(extra)
        rows, prevs = _fetch(source, qs)
        fetched.append((source, rows, prevs))
    entries = _build_entries(fetched, limit_chars=limit_chars or truncate_at())
    for e in entries:
        e.complaint_id = complaint.pk
        e.complaint_reference = complaint.reference
    return sorted(entries, key=_sort_key)


def user_activity(
    user_id: int,
    *,
    firm_ids: list[int],
    date_from: date | None,
    date_to: date | None,
    limit: int | None = None,
    limit_chars: int | None = None,
) -> tuple[list[AuditEntry], bool]:
    """Everything ``user_id`` did in the period within ``firm_ids``, oldest first.

    Returns the entries and whether the list was cut at ``limit``.
    """
    limit = limit or getattr(settings, "AUDIT_USER_ACTIVITY_LIMIT", 1000)
    fetched = []
    base = Q(history_user_id=user_id) & _period_q(date_from, date_to)
    for source in history_sources():
        qs = source.rows().filter(source.firm_q(firm_ids)).filter(base)
        if source.complaint_id_expr is not None:
            qs = qs.annotate(audit_complaint_id=source.complaint_id_expr)
        rows, prevs = _fetch(source, qs, limit + 1)
        fetched.append((source, rows, prevs))
    entries = sorted(
        _build_entries(fetched, limit_chars=limit_chars or truncate_at()), key=_sort_key
    )
    truncated = len(entries) > limit
    entries = entries[:limit]
    ids = {e.complaint_id for e in entries if e.complaint_id}
    refs = dict(Complaint.objects.filter(pk__in=ids).values_list("pk", "reference")) if ids else {}
    for e in entries:
        e.complaint_reference = refs.get(e.complaint_id, "")
    return entries, truncated
