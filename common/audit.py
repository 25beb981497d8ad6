"""The one way every app saves, deletes or creates a row with its audit entry
(django-simple-history).

Who acted (``actor``) and why (``reason``, the use case such as ``complaint.acknowledge``) go on
the history record written in the same transaction. An existing row saves only the fields that
changed since ``before`` (a ``snapshot`` taken after locking it), or the ``update_fields`` the
caller names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
