"""Polling one firm's mailbox: every message above the last UID seen is imported once.

Idempotent twice over: by (UIDVALIDITY, UID) (a unique constraint; a new UIDVALIDITY means the
server renumbered the folder, so the poll starts again from UID 1) and by Message-ID (a message
already imported, or one of our own e-mails, is skipped, so a renumbered folder imports nothing
twice). Each message is imported in its own savepoint: one the parser cannot read is recorded
with its error and the poll carries on. A message over ``MAILROOM_MAX_MESSAGE_BYTES`` is
recorded from its headers without being downloaded. Arrival is the server's INTERNALDATE: when
the firm received it, which starts the DISP clock (not the Date header, which the sender sets).
"""

from __future__ import annotations

import imaplib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from common.audit import save_audited
from complaints.choices import CommunicationKind
from complaints.services import complaint_record_email
from letters.models import LetterDelivery

from .attachments import queue_attachments
from .choices import Kind, State
from .imap import Envelope, MailboxError, Session, session
from .models import InboundMessage, Mailbox, OutboundEmail
from .parsing import Parsed, parse
from .threads import find_complaint

logger = logging.getLogger(__name__)


@dataclass
class PollResult:
    imported: int = 0
    skipped: int = 0
    filed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "imported": self.imported,
            "skipped": self.skipped,
            "filed": self.filed,
            "errors": len(self.errors),
        }


def summary_of(parsed: Parsed | InboundMessage, limit: int = 2000) -> str:
    text = parsed.text.strip()
    if len(text) > limit:
        text = text[:limit].rstrip() + " …"
    return f"From {parsed.from_address}: {parsed.subject}\n\n{text}".strip()


def _known(firm_id: int, message_id: str) -> bool:
    if not message_id:
        return False
    return (
        InboundMessage.objects.filter(firm_id=firm_id, message_id=message_id).exists()
        or OutboundEmail.objects.filter(firm_id=firm_id, message_id=message_id).exists()
        or LetterDelivery.objects.filter(
            letter__complaint__firm_id=firm_id, message_id=message_id
        ).exists()
    )


def _record(mailbox: Mailbox, env: Envelope, validity: int, now: datetime) -> InboundMessage:
    return InboundMessage(
        firm_id=mailbox.firm_id,
        mailbox=mailbox,
        uidvalidity=validity,
        uid=env.uid,
        arrived_at=env.arrived_at,
        size=env.size,
        imported_at=now,
    )


def _fill(message: InboundMessage, parsed: Parsed) -> None:
    message.message_id = parsed.message_id[:998]
    message.in_reply_to = parsed.in_reply_to[:998]
    message.references = " ".join(parsed.references)
    message.from_address = parsed.from_address
    message.from_name = parsed.from_name
    message.subject = parsed.subject
    message.text = parsed.text
    message.attachment_names = [a.name for a in parsed.attachments]
    message.kind = parsed.kind
    message.reason = parsed.reason[:300]


def _file_reply(message: InboundMessage, complaint_id: int, how: str) -> None:
    message.kind = Kind.REPLY
    message.reason = how[:300]
    message.complaint_id = complaint_id
    message.state = State.FILED
    message.filed_at = message.imported_at
    message.communication = complaint_record_email(
        complaint_id=complaint_id,
        actor=None,
        kind=CommunicationKind.EMAIL_RECEIVED,
        at=message.arrived_at,
        summary=summary_of(message),
        firm_ids=[message.firm_id],
    )


def import_message(
    mailbox: Mailbox, conn: Session, env: Envelope, *, now: datetime
) -> tuple[InboundMessage | None, bool]:
    """Import one message (the caller's savepoint); (message, filed), or (None, False) when it
    was imported before under another UID."""
    header = parse(env.header, with_attachments=False)
    seen = InboundMessage.objects.filter(mailbox=mailbox, uidvalidity=conn.uidvalidity, uid=env.uid)
    if seen.exists() or _known(mailbox.firm_id, header.message_id):
        return None, False
    message = _record(mailbox, env, conn.uidvalidity, now)
    cap = int(getattr(settings, "MAILROOM_MAX_MESSAGE_BYTES", 25 * 1024 * 1024))
    if env.size > cap:
        _fill(message, header)
        message.kind = Kind.UNREADABLE
        message.error = f"{env.size} bytes: over the {cap}-byte limit, not downloaded."
        save_audited(message, actor=None, reason="mailroom.import.too_large")
        return message, False
    raw = conn.body(env.uid)
    parsed = parse(raw)
    _fill(message, parsed)
    filed = False
    if parsed.kind == Kind.NEW:
        match, why_not = find_complaint(mailbox.firm, parsed)
        if match is not None:
            _file_reply(message, match.complaint_id, match.how)
            filed = True
        elif why_not:
            message.reason = why_not[:300]
    name = f"{mailbox.firm_id}-{conn.uidvalidity}-{env.uid}.eml"
    message.raw.save(name, ContentFile(raw), save=False)
    try:
        save_audited(message, actor=None, reason=f"mailroom.import.{message.kind}")
    except Exception:
        message.raw.delete(save=False)  # no row, no file
        raise
    if filed:
        queue_attachments(message, actor_id=None, now=now)
    return message, filed


def _unreadable(
    mailbox: Mailbox, env: Envelope, validity: int, now: datetime, exc: Exception
) -> None:
    message = _record(mailbox, env, validity, now)
    message.kind = Kind.UNREADABLE
    message.error = f"{type(exc).__name__}: {exc}"[:2000]
    save_audited(message, actor=None, reason="mailroom.import.unreadable")


def poll(mailbox_id: int, *, now: datetime) -> PollResult:
    """Import what is new in one mailbox. Two polls of one mailbox never overlap (the row is
    locked, and a poll that finds it locked leaves it to the one running)."""
    result = PollResult()
    batch = int(getattr(settings, "MAILROOM_BATCH", 50))
    with transaction.atomic():
        mailbox = (
            Mailbox.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("firm")
            .filter(pk=mailbox_id, enabled=True)
            .first()
        )
        if mailbox is None:
            return result
        try:
            with session(mailbox) as conn:
                if mailbox.uidvalidity != conn.uidvalidity:
                    mailbox.uidvalidity, mailbox.last_uid = conn.uidvalidity, 0
                for uid in conn.uids_after(mailbox.last_uid)[:batch]:
                    _one(mailbox, conn, uid, now, result)
                    mailbox.last_uid = uid
            mailbox.last_error = ""
        except MailboxError as exc:
            result.errors.append(str(exc))
            mailbox.last_error = str(exc)[:2000]
            logger.warning("Mailbox %s: poll failed", mailbox.pk)
        # The poll position is bookkeeping, not a change of settings: no history row per poll.
        Mailbox.objects.filter(pk=mailbox.pk).update(
            uidvalidity=mailbox.uidvalidity,
            last_uid=mailbox.last_uid,
            last_polled_at=now,
            last_error=mailbox.last_error,
        )
    return result


def _one(mailbox: Mailbox, conn: Session, uid: int, now: datetime, result: PollResult) -> None:
    env = conn.envelope(uid)
    if env is None:
        return
    try:
        with transaction.atomic():
            message, filed = import_message(mailbox, conn, env, now=now)
    except (MailboxError, OSError, imaplib.IMAP4.error):
        # The connection (or the storage) failed, not the message: the poll stops here and
        # the next one starts again from this message.
        raise
    except Exception as exc:  # a message we cannot read is recorded, never blocks the rest
        logger.warning(
            "Mailbox %s: message UID %s unreadable (%s)", mailbox.pk, uid, type(exc).__name__
        )
        result.errors.append(f"UID {uid}: {type(exc).__name__}")
        with transaction.atomic():
            _unreadable(mailbox, env, conn.uidvalidity, now, exc)
        return
    if message is None:
        result.skipped += 1
        return
    result.imported += 1
    result.filed += int(filed)
