"""Correspondence by e-mail on a complaint: a reply that arrived in the firm's complaints mailbox,
and a handler's e-mail back. Each is a ``Communication`` (the complaint's one record of what
passed between the firm and the complainant); the mailroom app keeps the messages themselves."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from common.audit import Actor, history_user
from common.audit import save_audited as _save_audited

from ..choices import CommunicationKind, DeliveryMethod
from ..models import Communication
from ._base import after_commit, lock_complaint

EMAIL_KINDS = (CommunicationKind.EMAIL_RECEIVED, CommunicationKind.EMAIL_SENT)


def complaint_record_email(
    *,
    complaint_id: int,
    actor: Actor,
    kind: str,
    at: datetime,
    summary: str,
    firm_ids: list[int] | None = None,
) -> Communication:
    """Record an e-mail received on (``at``: its arrival at the firm) or sent about the
    complaint. An e-mail received is announced (``email_received``) once committed, so its
    owner hears of it."""
    if kind not in EMAIL_KINDS:
        raise ValueError(f"{kind!r} is not an e-mail communication")
    with transaction.atomic():
        complaint = lock_complaint(complaint_id, firm_ids=firm_ids)
        comm = Communication(
            complaint=complaint,
            kind=kind,
            method=DeliveryMethod.EMAIL,
            sent_at=at,
            sent_by=history_user(actor),
            summary=summary,
        )
        _save_audited(comm, actor=actor, reason=f"communication.{kind}", before=None)
        if kind == CommunicationKind.EMAIL_RECEIVED:
            after_commit(complaint.pk, f"email_received:{comm.pk}")
    return comm
