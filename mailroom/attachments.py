"""A filed message's attachments become evidence on its complaint.

Filing a message (a reply the poll threads onto a complaint, or an unfiled message opened as a
complaint) writes an intent to the transactional outbox in the filing transaction;
``keep_attachments`` runs once that commits. So the poll's (or the page's) transaction is never
held up or failed by evidence, and a rollback of it cannot leave stored evidence files behind
(``evidence_add`` stores the file before its row: docs/evidence.md). The handler reads the
attachments back from the stored .eml and adds each with ``evidence_add`` (kind
"Correspondence attachment", source e-mail): idempotent, so a delivery run twice adds nothing.
A file evidence refuses (its type, its size, empty) is recorded on the message with the reason;
the e-mail itself is kept either way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from common import outbox
from common.errors import ValidationFailed
from evidence.choices import Kind as EvidenceKind
from evidence.choices import Source
from evidence.services import evidence_add

from .models import InboundMessage
from .parsing import parse

KEY_PREFIX = "mailroom-attachments:"


def queue_attachments(message: InboundMessage, *, actor_id: int | None, now: datetime) -> None:
    """In the filing transaction: keep the message's attachments as evidence once it commits."""
    if not message.attachment_names or not message.raw:
        return
    outbox.write(
        keep_attachments,
        key=f"{KEY_PREFIX}{message.pk}",
        now=now,
        message_id=message.pk,
        actor_id=actor_id,
    )


def _reason(exc: ValidationFailed) -> str:
    for messages in (exc.fields or {}).values():
        if messages:
            return str(messages[0])
    return exc.message


@outbox.handler
def keep_attachments(payload: dict[str, Any], now: datetime) -> str | None:
    message = (
        InboundMessage.objects.select_for_update(of=("self",))
        .select_related("complaint")
        .filter(pk=payload["message_id"])
        .first()
    )
    if message is None or message.complaint is None or not message.raw:
        return None  # gone (retention) or no longer on a complaint: nothing to keep
    actor = None
    if payload.get("actor_id"):
        actor = get_user_model().objects.filter(pk=payload["actor_id"]).first()
    with message.raw.open("rb") as fh:
        parsed = parse(fh.read())
    outcomes: list[dict[str, Any]] = []
    for attachment in parsed.attachments:
        outcome: dict[str, Any] = {"name": attachment.name, "evidence_id": None, "refused": ""}
        try:
            with transaction.atomic():
                row = evidence_add(
                    message.complaint,
                    user=actor,
                    kind=EvidenceKind.CORRESPONDENCE,
                    title=attachment.name,
                    content=attachment.content,
                    file_name=attachment.name,
                    source=Source.EMAIL,
                    now=now,
                )
            outcome["evidence_id"] = row.pk
        except ValidationFailed as exc:
            outcome["refused"] = _reason(exc)[:300]
        outcomes.append(outcome)
    # Bookkeeping of what the handler did (each evidence row has its own history): no history
    # row per delivery.
    InboundMessage.objects.filter(pk=message.pk).update(attachment_evidence=outcomes)
    return None


def refusals(message: InboundMessage) -> list[str]:
    """What the message page says of each attachment not kept as evidence."""
    return [
        f"Attachment {o.get('name', '')} not kept as evidence: {o['refused']}"
        for o in message.attachment_evidence or []
        if o.get("refused")
    ]
