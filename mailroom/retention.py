"""Retention of e-mail.

A complaint's e-mail (DISP 1.9.1R): when the complaint is anonymised (``complaints_anonymised``,
inside its transaction), its messages lose their sender, subject, text, attachment names and
raw .eml, in their history too; the files are deleted once it commits. The records stay (when,
which mailbox, what kind), as the complaint's do.

E-mail never filed on a complaint (unfiled, set aside, automatic replies, bounces, unreadable)
is no complaint record: data minimisation says it goes once ``MAILROOM_UNFILED_RETENTION_DAYS``
(default 365) have passed since it arrived. The retention job (``retention_job_ran``) deletes
those rows (each with a history entry), scrubs what they said from their history, and deletes
the stored .eml once that commits (a rollback keeps them)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from common.audit import delete_audited, history_user
from common.history_guard import allow_history_rewrite
from complaints.services.retention import REASON, REDACTED

from .choices import State
from .models import InboundMessage, OutboundEmail

REASON_UNFILED = "retention.unfiled_email"

INBOUND_SCRUB: dict[str, Any] = {
    "from_address": "",
    "from_name": "",
    "subject": REDACTED,
    "text": REDACTED,
    "attachment_names": [],
    "attachment_evidence": [],
    "raw": "",
}
# A message deleted loses its thread headers too (they name the sender's machine and mail).
UNFILED_SCRUB: dict[str, Any] = {
    **INBOUND_SCRUB,
    "message_id": "",
    "in_reply_to": "",
    "references": "",
    "error": "",
}
OUTBOUND_SCRUB: dict[str, Any] = {"to_address": "", "subject": REDACTED, "body": REDACTED}


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _scrub(model: Any, rows: list, fields: dict[str, Any], actor: Any) -> None:
    for row in rows:
        for name, value in fields.items():
            setattr(row, name, value)
    if rows:
        bulk_update_with_history(
            rows,
            model,
            list(fields),
            default_user=history_user(actor),
            default_change_reason=REASON,
        )


def on_complaints_anonymised(
    sender: Any, *, complaint_ids: list[int], actor: Any, **kwargs: Any
) -> None:
    inbound = list(InboundMessage.objects.filter(complaint_id__in=complaint_ids))
    files = [m.raw.name for m in inbound if m.raw and m.raw.name]
    _scrub(InboundMessage, inbound, INBOUND_SCRUB, actor)
    InboundMessage.history.filter(complaint_id__in=complaint_ids).update(**INBOUND_SCRUB)
    outbound = list(OutboundEmail.objects.filter(complaint_id__in=complaint_ids))
    _scrub(OutboundEmail, outbound, OUTBOUND_SCRUB, actor)
    OutboundEmail.history.filter(complaint_id__in=complaint_ids).update(**OUTBOUND_SCRUB)
    if files:
        transaction.on_commit(partial(_delete_files, files))


def unfiled_retention_days() -> int:
    return int(getattr(settings, "MAILROOM_UNFILED_RETENTION_DAYS", 365))


def unfiled_due(now: datetime) -> Any:
    """E-mail never filed on a complaint that arrived before the retention period."""
    cutoff = now - timedelta(days=unfiled_retention_days())
    return InboundMessage.objects.filter(
        complaint__isnull=True,
        state__in=[State.UNFILED, State.SET_ASIDE],
        arrived_at__lt=cutoff,
    )


def unfiled_purge(*, now: datetime, actor: Any = None, batch_size: int = 500) -> int:
    """Delete e-mail never filed on a complaint once its retention period is over; how many.
    One transaction per batch; a message someone is filing at this moment (locked) is left
    for the next run, and one filed meanwhile no longer qualifies (re-checked under lock)."""
    user = history_user(actor)
    who = f"{user.get_username()} (user {user.pk})" if user is not None else "system"
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                unfiled_due(now).select_for_update(skip_locked=True).order_by("pk")[:batch_size]
            )
            if not rows:
                return total
            files = [m.raw.name for m in rows if m.raw and m.raw.name]
            ids = [m.pk for m in rows]  # a deleted row forgets its key
            for row in rows:
                for name, value in UNFILED_SCRUB.items():
                    setattr(row, name, value)  # the deletion's history entry keeps none of it
                delete_audited(row, actor=actor, reason=REASON_UNFILED)
            with allow_history_rewrite(reason="retention", actor=who):
                InboundMessage.history.filter(id__in=ids).update(**UNFILED_SCRUB)
            if files:
                transaction.on_commit(partial(_delete_files, files))
        total += len(rows)
        if len(rows) < batch_size:
            return total


def on_retention_job(
    sender: Any, *, now: datetime, actor: Any, dry_run: bool, **kwargs: Any
) -> list[str]:
    days = unfiled_retention_days()
    if dry_run:
        count = unfiled_due(now).count()
        return [
            f"E-mail never filed on a complaint, older than {days} days: {count} would be deleted."
        ]
    count = unfiled_purge(now=now, actor=actor)
    return [f"E-mail never filed on a complaint, older than {days} days: {count} deleted."]
