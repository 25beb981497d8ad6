"""The one way services save a row with its audit entry (django-simple-history).

Who acted (``actor``) and why (``reason``, the use case such as ``complaint.acknowledge``) go on
the history record written in the same transaction. An existing row saves only the fields that
changed since ``before`` (a ``snapshot`` taken after locking it).
"""

from __future__ import annotations

from typing import Any

_SNAPSHOT_EXCLUDE = {"updated_at"}


def snapshot(obj: Any) -> dict[str, Any]:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in _SNAPSHOT_EXCLUDE
    }


def save_audited(obj: Any, *, actor: Any, reason: str, before: dict | None) -> None:
    """Save with history: who (``actor``) and why (``reason``). ``before=None`` inserts."""
    obj._change_reason = reason
    obj._history_user = actor if getattr(actor, "pk", None) else None
    if before is None:
        obj.save()
        return
    changed = [k for k, v in snapshot(obj).items() if before.get(k) != v]
    if any(f.attname == "updated_at" for f in obj._meta.concrete_fields):
        changed.append("updated_at")
    obj.save(update_fields=changed)
