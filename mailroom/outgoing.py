"""A handler's e-mail from the case page: stored with our own Message-ID and the thread's
In-Reply-To and References, recorded on the complaint as a communication, and sent through the
transactional outbox once it commits (``deliver_outbound_email``: idempotent, retried with
backoff; a failure is shown on the message)."""

from __future__ import annotations

from datetime import datetime
from email.utils import make_msgid
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction

from common import outbox
from common.audit import Actor, history_user, save_audited
from common.errors import ValidationFailed
from complaints.choices import CommunicationKind
from complaints.models import Complaint, Representative
from complaints.services import complaint_record_email, lock_complaint

from .errors import MailErrorCode
from .models import InboundMessage, Mailbox, OutboundEmail

MAX_REFERENCES = 20


def recipient_for(complaint: Complaint) -> str:
    """Where the complaint's e-mail goes: the representative who receives its letters, if one
    does, else the complainant."""
    rep = Representative.objects.correspondent_for(complaint.complainant_id)
    if rep is not None and rep.email:
        return rep.email
    return complaint.complainant.email


def thread_of(complaint: Complaint) -> tuple[str, str, str]:
    """(subject, In-Reply-To, References) answering the newest message on the complaint."""
    inbound = (
        InboundMessage.objects.filter(complaint=complaint)
        .order_by("-arrived_at", "-id")
        .values_list("arrived_at", "message_id", "references", "subject")
        .first()
    )
    outbound = (
        OutboundEmail.objects.filter(complaint=complaint)
        .order_by("-created_at", "-id")
        .values_list("created_at", "message_id", "references", "subject")
        .first()
    )
    latest = max((m for m in (inbound, outbound) if m and m[1]), default=None, key=lambda m: m[0])
    if latest is None:
        return f"Your complaint {complaint.reference}", "", ""
    _, message_id, references, subject = latest
    chain = [*references.split(), message_id][-MAX_REFERENCES:]
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}"
    return subject, message_id, " ".join(chain)


def reply_send(
    *, complaint_id: int, firm_ids: list[int], actor: Actor, now: datetime, body: str
) -> OutboundEmail:
    if not body.strip():
        raise ValidationFailed(
            MailErrorCode.VALIDATION, "The e-mail is empty.", fields={"body": ["Required."]}
        )
    with transaction.atomic():
        complaint = lock_complaint(complaint_id, firm_ids=firm_ids)
        mailbox = Mailbox.objects.filter(firm_id=complaint.firm_id).first()
        if mailbox is None or not mailbox.address:
            raise ValidationFailed(
                MailErrorCode.NO_MAILBOX,
                "The firm's complaints mailbox is not set up: a firm administrator sets it up "
                "under E-mail settings.",
                fields={"body": ["No mailbox to send from."]},
            )
        to = recipient_for(complaint)
        if not to:
            raise ValidationFailed(
                MailErrorCode.NO_RECIPIENT,
                "Neither the complainant nor a representative receiving letters has an e-mail "
                "address.",
                fields={"to": ["No e-mail address."]},
            )
        subject, in_reply_to, references = thread_of(complaint)
        if complaint.reference.lower() not in subject.lower():
            subject = f"{subject} [{complaint.reference}]"
        domain = mailbox.address.rpartition("@")[2] or "localhost"
        email = OutboundEmail(
            firm_id=complaint.firm_id,
            complaint=complaint,
            message_id=make_msgid(domain=domain),
            in_reply_to=in_reply_to,
            references=references,
            from_address=mailbox.address,
            to_address=to,
            subject=subject[:998],
            body=body.strip(),
            created_by=history_user(actor),
            created_at=now,
        )
        email.communication = complaint_record_email(
            complaint_id=complaint.pk,
            actor=actor,
            kind=CommunicationKind.EMAIL_SENT,
            at=now,
            summary=f"To {to}: {subject}\n\n{email.body}"[:4000],
        )
        save_audited(email, actor=actor, reason="mailroom.reply")
        outbox.write(
            deliver_outbound_email, key=f"mailroom-email:{email.pk}", now=now, email_id=email.pk
        )
    return email


@outbox.handler
def deliver_outbound_email(payload: dict[str, Any], now: datetime) -> str | None:
    email = OutboundEmail.objects.select_for_update().filter(pk=payload["email_id"]).first()
    if email is None or email.sent_at is not None:
        return None  # gone, or sent by an earlier attempt
    headers = {"Message-ID": email.message_id}
    if email.in_reply_to:
        headers["In-Reply-To"] = email.in_reply_to
    if email.references:
        headers["References"] = email.references
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=email.from_address,
        to=[email.to_address],
        headers=headers,
    )
    try:
        message.send()
    except Exception as exc:  # any transport failure: shown on the message, retried
        email.error = f"{type(exc).__name__}: {exc}"[:2000]
        email.save(update_fields=["error"])
        return email.error
    email.sent_at, email.error = now, ""
    save_audited(email, actor=None, reason="mailroom.sent", update_fields=["sent_at", "error"])
    return None
