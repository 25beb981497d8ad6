"""The one way every app saves, deletes or creates a row with its audit entry
(django-simple-history).

Who acted (``actor``) and why (``reason``, the use case such as ``complaint.acknowledge``) go on
the history record written in the same transaction. An existing row saves only the fields that
changed since ``before`` (a ``snapshot`` taken after locking it), or the ``update_fields`` the
caller names.
"""

from __future__ import annotations

from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Field
from django.utils import timezone

from .bulk import CopyRows, columns, copy_prepare, insert_row_and_history, insert_rows

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

_SNAPSHOT_EXCLUDE = {"updated_at"}

# Who acts in a use case: a signed-in user, or None for the system (tasks, commands, demo data).
type Actor = AbstractBaseUser | AnonymousUser | None


def history_user(actor: Actor) -> Any:
    """The user a history row names: ``None`` for the system or an anonymous caller."""
    return actor if getattr(actor, "pk", None) else None


def snapshot(obj: Any) -> dict[str, Any]:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in _SNAPSHOT_EXCLUDE
    }


def _mark(obj: Any, actor: Any, reason: str) -> None:
    obj._change_reason = reason
    obj._history_user = history_user(actor)


def save_audited(
    obj: Any,
    *,
    actor: Any,
    reason: str,
    before: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """Save with history: who (``actor``) and why (``reason``).

    With neither ``before`` nor ``update_fields`` the row is saved whole (an insert, usually);
    with ``before`` only the fields changed since that snapshot are written; with
    ``update_fields`` exactly those."""
    _mark(obj, actor, reason)
    if before is None and update_fields is None:
        obj.save()
        return
    if update_fields is None:
        assert before is not None
        update_fields = [k for k, v in snapshot(obj).items() if before.get(k) != v]
    else:
        update_fields = list(update_fields)
    if "updated_at" not in update_fields and any(
        f.attname == "updated_at" for f in obj._meta.concrete_fields
    ):
        update_fields.append("updated_at")
    obj.save(update_fields=update_fields)


def delete_audited(obj: Any, *, actor: Any, reason: str) -> None:
    """Delete with a history entry naming who and why."""
    _mark(obj, actor, reason)
    obj.delete()


def record_creation(obj: Any, *, actor: Any, reason: str) -> None:
    """One "created" history entry holding the record's final values.

    For rows saved first (their child rows need the key), finished inside the same transaction
    and only then written to history, so the audit trail shows each as created once, complete,
    by the actor, for the use case. The model's history must skip the plain save
    (``obj.skip_history_when_saving``) or this doubles it."""
    type(obj).history.bulk_history_create(
        [obj], default_user=history_user(actor), default_change_reason=reason
    )


_HISTORY_OF: dict[Any, tuple[type[Any], list[str]]] = {}


def _history_of(model: type[Any]) -> tuple[type[Any], list[str]]:
    """``model``'s history model and the columns a history row names. Once per model:
    reading ``model.history`` builds a manager class each time (0.6 ms)."""
    found = _HISTORY_OF.get(model)
    if found is None:
        history = model.history.model
        found = _HISTORY_OF[model] = (history, columns(history, skip=("history_id",)))
    return found


class HistoryRows:
    """History rows of ``model`` as simple-history writes them on save (every tracked field,
    then when, why, how and who), as tuples for ``common.bulk.insert_rows``: plain INSERTs,
    so the history tables' triggers (the audit chain) run for each row as on save."""

    def __init__(self, model: type[Any], user_id: int | None, at: datetime) -> None:
        self.model, self.names = _history_of(model)
        self.fixed = {"history_date": at, "history_user_id": user_id}
        self._pick = itemgetter(*self.names)

    def row(self, values: dict[str, Any], reason: str, kind: str = "+") -> tuple[Any, ...]:
        """The history row of ``values`` (attname to value; when, who, why and how override
        any of the same name), picked in column order by one ``itemgetter``."""
        extra = {**self.fixed, "history_change_reason": reason, "history_type": kind}
        row: tuple[Any, ...] = self._pick({**values, **extra})
        return row

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        insert_rows(self.model, self.names, rows)

    def prepare(self, rows: list[tuple[Any, ...]]) -> CopyRows:
        """The same rows by ``COPY``, made ready (``common.bulk.copy_prepare``: Python only)
        for a caller that writes them later (``copy_write``: a register import's chunks)."""
        return copy_prepare(self.model, self.names, rows)


_INSERT_FIELDS: dict[Any, tuple[list[str], list[tuple[str, Any]]]] = {}


def _insert_fields(model: type[Any]) -> tuple[list[str], list[tuple[str, Any]]]:
    """``model``'s columns but its key, each with the field if its ``pre_save`` sets a value
    (``auto_now``, ``auto_now_add``), else None: a plain field's value is its attribute, what
    ``Field.pre_save`` returns. Once per model (a create wrote ~95 ``pre_save`` calls)."""
    found = _INSERT_FIELDS.get(model)
    if found is None:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
        stamped = [(f.attname, None if type(f).pre_save is Field.pre_save else f) for f in fields]
        found = _INSERT_FIELDS[model] = ([f.attname for f in fields], stamped)
    return found


def insert_audited(obj: Any, *, actor: Any, reason: str) -> None:
    """``save_audited(obj, actor=..., reason=..., before=None)`` of a new row, without the ORM:
    the row (its ``auto_now`` stamps set as ``save`` sets them) and its "created" history row
    holding the same values, who and why, as simple-history writes it. On PostgreSQL one
    statement writes both (``common.bulk.insert_row_and_history``: the history row copies the
    row as written), elsewhere two plain INSERTs. The same rows, the same triggers, without
    the ORM compiling two wide INSERTs per row (issue 18: a quarter of an API create).

    Only for models whose ``save`` adds nothing the caller has not done (the caller sets what
    an overriding ``save`` would) and with no ``post_save`` receiver but simple-history's."""
    meta = obj._meta
    names, stamped = _insert_fields(type(obj))
    values = [getattr(obj, n) if f is None else f.pre_save(obj, True) for n, f in stamped]
    user = history_user(actor)
    at = getattr(obj, "_history_date", None) or timezone.now()
    history = HistoryRows(type(obj), getattr(user, "pk", None), at)
    if connection.vendor == "postgresql":
        extra = {**history.fixed, "history_change_reason": reason, "history_type": "+"}
        pk = insert_row_and_history(type(obj), names, values, history.model, history.names, extra)
        setattr(obj, meta.pk.attname, pk)
    else:
        [pk] = insert_rows(type(obj), names, [values], returning=meta.pk.attname)
        setattr(obj, meta.pk.attname, pk)
        snapshot = {f.attname: getattr(obj, f.attname) for f in meta.concrete_fields}
        history.insert([history.row(snapshot, reason)])
    obj._state.adding = False
    obj._state.db = DEFAULT_DB_ALIAS
