"""DISP 1.9.1R retention of a complaint's e-mail: when the complaint is anonymised
(``complaints_anonymised``, inside its transaction), its messages lose their sender, subject,
text, attachment names and raw .eml, in their history too; the files are deleted once it
commits. The records stay (when, which mailbox, what kind), as the complaint's do."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from common.audit import history_user
from complaints.services.retention import REASON, REDACTED

from .models import InboundMessage, OutboundEmail

INBOUND_SCRUB: dict[str, Any] = {
    "from_address": "",
    "from_name": "",
    "subject": REDACTED,
    "text": REDACTED,
    "attachment_names": [],
    "raw": "",
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
