"""The mailroom's writes: a firm's mailbox settings, testing them, and what a handler does with
an unfiled message (open it as a complaint draft, or set it aside)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from common.audit import Actor, history_user, save_audited, snapshot
from common.errors import NotFound, TransitionRefused, ValidationFailed
from complaints.models import Complaint, Firm

from .attachments import queue_attachments
from .choices import Kind, Security, State
from .crypto import encrypt
from .errors import MailErrorCode
from .imap import MailboxError, session
from .models import InboundMessage, Mailbox


@dataclass
class MailboxData:
    host: str
    port: int
    security: str
    username: str
    folder: str
    address: str
    enabled: bool = True
    password: str = ""  # blank: keep the stored one


def _validate(data: MailboxData, *, has_password: bool) -> None:
    fields: dict[str, list[str]] = {}
    for name in ("host", "username", "folder", "address"):
        if not str(getattr(data, name) or "").strip():
            fields[name] = ["Required."]
    if not 1 <= int(data.port or 0) <= 65535:
        fields["port"] = ["A port is 1 to 65535."]
    if data.security not in Security.values:
        fields["security"] = [f"Choose one of {', '.join(Security.values)}."]
    if not has_password and not data.password:
        fields["password"] = ["Required."]
    ValidationFailed.check(MailErrorCode.VALIDATION, "The mailbox settings are incomplete", fields)


def mailbox_save(*, firm: Firm, actor: Actor, data: MailboxData) -> Mailbox:
    """Create or change the firm's mailbox. A new server, user or folder starts the poll
    afresh (Message-IDs keep it from importing anything twice)."""
    with transaction.atomic():
        mailbox = Mailbox.objects.select_for_update().filter(firm=firm).first()
        before = snapshot(mailbox) if mailbox else None
        _validate(data, has_password=bool(mailbox and mailbox.password_encrypted))
        mailbox = mailbox or Mailbox(firm=firm)
        moved = (mailbox.host, mailbox.username, mailbox.folder) != (
            data.host.strip(),
            data.username.strip(),
            data.folder.strip(),
        )
        mailbox.host, mailbox.port = data.host.strip(), int(data.port)
        mailbox.security, mailbox.username = data.security, data.username.strip()
        mailbox.folder, mailbox.address = data.folder.strip(), data.address.strip().lower()
        mailbox.enabled = data.enabled
        if data.password:
            mailbox.password_encrypted = encrypt(data.password)
        if moved:
            mailbox.uidvalidity, mailbox.last_uid = None, 0
        if before is None:
            save_audited(mailbox, actor=actor, reason="mailroom.mailbox.create")
        else:
            save_audited(mailbox, actor=actor, reason="mailroom.mailbox.change", before=before)
    return mailbox


def mailbox_test(*, mailbox: Mailbox, password: str | None = None) -> str:
    """Log in and open the folder; a sentence saying how many messages wait beyond the last
    poll. Refused (with the server's reason) when that fails."""
    try:
        with session(mailbox, password=password) as conn:
            waiting = len(
                conn.uids_after(mailbox.last_uid if mailbox.uidvalidity == conn.uidvalidity else 0)
            )
    except MailboxError as exc:
        raise ValidationFailed(
            MailErrorCode.CONNECTION_FAILED, str(exc), fields={"host": [str(exc)]}
        ) from exc
    return f"Connected to {mailbox.host}: {waiting} message(s) waiting in {mailbox.folder}."


def lock_message(message_id: int, *, firm_id: int) -> InboundMessage:
    message = (
        InboundMessage.objects.select_for_update().filter(pk=message_id, firm_id=firm_id).first()
    )
    if message is None:
        raise NotFound(MailErrorCode.NOT_FOUND, f"Message {message_id} not found.")
    return message


def require_unfiled_new(message: InboundMessage) -> None:
    if message.state != State.UNFILED:
        raise TransitionRefused(
            MailErrorCode.ALREADY_FILED, "This message has been filed or set aside already."
        )
    if message.kind not in (Kind.NEW, Kind.UNREADABLE):
        raise TransitionRefused(
            MailErrorCode.NOT_FILEABLE,
            f"An {message.get_kind_display().lower()} is never a complaint.",
        )


def inbound_file_as_complaint(
    *,
    message_id: int,
    firm_id: int,
    actor: Actor,
    now: datetime,
    register: Callable[[], Complaint],
) -> Complaint:
    """Open an unfiled message as a complaint: ``register`` logs it (the complaint log form's
    one path, ``complaints.services.complaint_register``) in this transaction, and the
    message is filed on it, so its thread's later replies find the complaint; its attachments
    become evidence on the complaint once this commits (``mailroom.attachments``)."""
    with transaction.atomic():
        message = lock_message(message_id, firm_id=firm_id)
        require_unfiled_new(message)
        complaint = register()
        before = snapshot(message)
        message.complaint, message.state = complaint, State.FILED
        message.filed_by, message.filed_at = history_user(actor), now
        save_audited(message, actor=actor, reason="mailroom.file.complaint", before=before)
        queue_attachments(message, actor_id=getattr(history_user(actor), "pk", None), now=now)
    return complaint


def inbound_set_aside(
    *, message_id: int, firm_id: int, actor: Actor, now: datetime
) -> InboundMessage:
    """Not a complaint and not about one (spam, a misdirected message): off the unfiled list,
    kept with who set it aside and when."""
    with transaction.atomic():
        message = lock_message(message_id, firm_id=firm_id)
        if message.state != State.UNFILED:
            raise TransitionRefused(
                MailErrorCode.ALREADY_FILED, "This message has been filed or set aside already."
            )
        before = snapshot(message)
        message.state = State.SET_ASIDE
        message.filed_by, message.filed_at = history_user(actor), now
        save_audited(message, actor=actor, reason="mailroom.set_aside", before=before)
    return message
