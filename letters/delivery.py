"""How a sent letter reaches its recipient by e-mail: the outbox handler that e-mails it, what a
person sees of that (queued, sent, retrying or failed with the reason), and the retry.

Sending a letter writes its e-mail to the outbox (``common.outbox``) in the sending transaction;
``deliver_letter_email`` runs once it commits, again after a failure (with backoff), and again
on a person's retry. It is idempotent: a letter e-mailed (or skipped as sent earlier by other
means) is never e-mailed twice. Each attempt is a ``LetterDelivery`` beside the letter;
composing the message is ``letter_deliver_email``'s (below).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from common import outbox
from common.audit import Actor, save_audited
from common.errors import TransitionRefused
from common.models import OutboxMessage, OutboxState
from complaints.access import Perm

from .checks.text import html_to_text
from .choices import Delivery, DeliveryStatus, Recipient
from .errors import LetterErrorCode
from .models import Letter, LetterDelivery
from .services import lock_letter

DONE = (DeliveryStatus.SENT, DeliveryStatus.SKIPPED)


EMAIL_KEY_PREFIX = "letter-email:"


def email_key(letter_id: int) -> str:
    """The outbox key of a letter's e-mail: one intent per letter, whatever the retries."""
    return f"{EMAIL_KEY_PREFIX}{letter_id}"


def emails(letter: Letter) -> bool:
    return letter.is_sent and bool(letter.delivery) and Delivery(letter.delivery).emails


@outbox.handler
def deliver_letter_email(payload: dict[str, Any], now: datetime) -> str | None:
    """E-mail the letter, and the complainant's copy of a letter to their representative,
    unless each is done already; the reasons when an e-mail failed (each attempt is recorded
    either way as a ``LetterDelivery``)."""
    letter_id = payload["letter_id"]
    copy_email = Letter.objects.filter(pk=letter_id).values_list("copy_email", flat=True).first()
    if copy_email is None:
        return None  # gone (retention): nothing left to deliver
    failures = []
    for is_copy in (False, True) if copy_email else (False,):
        done = LetterDelivery.objects.filter(letter_id=letter_id, is_copy=is_copy)
        if done.filter(status__in=DONE).exists():
            continue
        delivery = letter_deliver_email(letter_id=letter_id, now=now, copy=is_copy)
        if delivery.status == DeliveryStatus.FAILED:
            failures.append(delivery.error or "The e-mail could not be sent.")
    return "; ".join(failures) or None


def queue_email(letter: Letter, *, now: datetime | None = None, retry: bool = False) -> None:
    """Write the letter's e-mail to the outbox in the caller's transaction."""
    outbox.write(
        deliver_letter_email, key=email_key(letter.pk), now=now, rearm=retry, letter_id=letter.pk
    )


def letter_retry_email(*, letter_id: int, actor: Actor, now: datetime) -> Letter:
    """A person (handler or supervisor) asks for a sent letter's e-mail to be tried again now,
    with a fresh count of attempts. Refused once it is delivered, or if it was never e-mailed."""
    with transaction.atomic():
        letter = lock_letter(letter_id, actor, Perm.HANDLE_COMPLAINTS)
        require_retryable(letter)
        queue_email(letter, now=now, retry=True)
    return letter


# --- what a person sees ---------------------------------------------------------------------

QUEUED, RETRYING, SENT, FAILED, SKIPPED = "queued", "retrying", "sent", "failed", "skipped"
STATE_LABELS = {
    QUEUED: "Queued to be e-mailed",
    RETRYING: "E-mail failed, retrying",
    SENT: "E-mailed",
    FAILED: "E-mail failed",
    SKIPPED: "Not e-mailed: recorded as sent earlier",
}
NEVER_QUEUED = "The e-mail was never queued (the letter was sent before the outbox existed)."


@dataclass(frozen=True)
class EmailDelivery:
    """The e-mail of one sent letter, as the letter page, the complaint page and the API show
    it. ``retryable`` while it has not been delivered."""

    state: str
    attempts: int = 0
    error: str = ""
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def retryable(self) -> bool:
        return self.state in (QUEUED, RETRYING, FAILED)


def with_email_state(qs: QuerySet[Letter]) -> QuerySet[Letter]:
    """``qs`` carrying what ``email_deliveries`` reads, in the same query (the complaint page's
    letters panel costs no query more). Written as SQL subqueries of the letter row: the same
    nine built as Django ``Subquery`` expressions cost about 6 ms a query to build and compile,
    most of the panel's time (issue 18)."""
    letter = f'"{Letter._meta.db_table}"."id"'
    message = (
        f"SELECT {{}} FROM {OutboxMessage._meta.db_table} "
        f"WHERE dedupe_key = %s || {letter}::text LIMIT 1"
    )
    return qs.annotate(
        email_done_status=_delivery_sql("status", DONE),
        email_done_at=_delivery_sql("attempted_at", DONE),
        email_failed_error=_delivery_sql("error", [DeliveryStatus.FAILED]),
        email_tries=RawSQL(
            f"SELECT COUNT(*) FROM {LetterDelivery._meta.db_table} "
            f"WHERE letter_id = {letter} AND NOT is_copy AND status <> %s",
            [DeliveryStatus.SKIPPED],
            output_field=IntegerField(),
        ),
        **{
            f"email_message_{name}": RawSQL(message.format(column), [EMAIL_KEY_PREFIX])
            for name, column in _MESSAGE_COLUMNS
        },
    )


_MESSAGE_COLUMNS = (
    ("state", "state"),
    ("attempts", "attempts"),
    ("error", "last_error"),
    ("next", "next_attempt_at"),
    ("delivered", "delivered_at"),
)


def _delivery_sql(column: str, statuses) -> RawSQL:
    """The latest non-copy delivery attempt's ``column`` among those in ``statuses``."""
    marks = ", ".join(["%s"] * len(statuses))
    return RawSQL(
        f"SELECT {column} FROM {LetterDelivery._meta.db_table} "
        f'WHERE letter_id = "{Letter._meta.db_table}"."id" AND NOT is_copy '
        f"AND status IN ({marks}) ORDER BY attempted_at DESC, id DESC LIMIT 1",
        list(statuses),
    )


_ANNOTATIONS = (
    "email_done_status",
    "email_done_at",
    "email_failed_error",
    "email_tries",
    "email_message_state",
    "email_message_attempts",
    "email_message_error",
    "email_message_next",
    "email_message_delivered",
)


def email_deliveries(letters: Iterable[Letter]) -> dict[int, EmailDelivery]:
    """The e-mail state of each sent, e-mailed letter in ``letters``: from their annotations
    (``with_email_state``) or else one query."""
    emailed = [letter for letter in letters if emails(letter)]
    if not emailed:
        return {}
    if all(hasattr(letter, "email_tries") for letter in emailed):
        rows = {letter.pk: {k: getattr(letter, k) for k in _ANNOTATIONS} for letter in emailed}
    else:
        qs = with_email_state(Letter.objects.filter(pk__in=[letter.pk for letter in emailed]))
        rows = {row["pk"]: row for row in qs.values("pk", *_ANNOTATIONS)}
    return {pk: _state(row) for pk, row in rows.items()}


def email_delivery(letter: Letter) -> EmailDelivery | None:
    return email_deliveries([letter]).get(letter.pk)


def _state(row: dict[str, Any]) -> EmailDelivery:
    count = row["email_tries"]
    if row["email_done_status"]:
        state = SENT if row["email_done_status"] == DeliveryStatus.SENT else SKIPPED
        return EmailDelivery(state, attempts=count, delivered_at=row["email_done_at"])
    failed = row["email_failed_error"] or ""
    message_state = row["email_message_state"]
    if message_state is None:
        return EmailDelivery(FAILED, attempts=count, error=failed or NEVER_QUEUED)
    if message_state == OutboxState.SENT:  # delivered with nothing left to send
        return EmailDelivery(SENT, attempts=count, delivered_at=row["email_message_delivered"])
    error = row["email_message_error"] or failed
    if message_state == OutboxState.FAILED:
        return EmailDelivery(FAILED, attempts=count, error=error)
    if row["email_message_attempts"]:
        return EmailDelivery(
            RETRYING, attempts=count, error=error, next_attempt_at=row["email_message_next"]
        )
    return EmailDelivery(QUEUED, attempts=count, next_attempt_at=row["email_message_next"])


def require_retryable(letter: Letter) -> None:
    """Refuse a retry of a letter that is not e-mailed, or whose e-mail was delivered."""
    state = email_delivery(letter)
    if state is None:
        raise TransitionRefused(
            LetterErrorCode.NOT_EMAILED,
            "This letter was not sent by e-mail, so there is no e-mail to retry.",
        )
    if not state.retryable:
        raise TransitionRefused(
            LetterErrorCode.ALREADY_DELIVERED,
            f"This letter's e-mail needs no retry: {state.label.lower()}.",
        )


def letter_deliver_email(*, letter_id: int, now: datetime, copy: bool = False) -> LetterDelivery:
    """Email a sent letter with its PDF and its enclosures (the FOS leaflet it was sent with)
    attached, and record the attempt (the letter itself is immutable; deliveries are a log
    beside it). ``copy``: the complainant's copy of a letter sent to their representative."""
    letter = Letter.objects.select_related(
        "complaint__firm", "complaint__complainant", "fos_leaflet", "representative"
    ).get(pk=letter_id)
    firm = letter.complaint.firm
    recipient = letter.copy_email if copy else letter.recipient_email
    backdated = timedelta(hours=getattr(settings, "LETTERS_EMAIL_BACKDATED_HOURS", 24))
    if letter.sent_at is not None and now - letter.sent_at > backdated:
        # A letter recorded as sent well before now (backfilled records, demo data) went out
        # by other means then; emailing it today would be a surprise duplicate.
        delivery = LetterDelivery(
            letter=letter,
            recipient=recipient,
            is_copy=copy,
            attempted_at=now,
            status=DeliveryStatus.SKIPPED,
        )
        save_audited(delivery, actor=None, reason="letter.email.skipped")
        return delivery
    about = (
        f"a copy of our letter to {letter.representative.display_name}, who acts for you,"
        if copy and letter.representative is not None
        else "our letter"
    )
    body = (
        f"Please find attached {about} about your complaint {letter.complaint.reference}.\n\n"
        f"{html_to_text(letter.html).strip()}\n"
    )
    sender = getattr(settings, "LETTERS_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    # Our own Message-ID, kept on the attempt: a reply naming it (In-Reply-To or References)
    # threads onto the complaint in the mailroom, whatever its subject says.
    message_id = make_msgid(domain=_domain(firm.complaints_email or sender))
    message = EmailMultiAlternatives(
        subject=f"Copy: {letter.subject}" if copy else letter.subject,
        body=body,
        from_email=sender,
        to=[recipient],
        reply_to=[firm.complaints_email] if firm.complaints_email else None,
        headers={"Message-ID": message_id},
    )
    # A complainant who asked for plain-text e-mail (a reasonable adjustment) gets a text/plain
    # body only; the PDF and its enclosures are attached either way.
    person = letter.complaint.complainant
    if letter.recipient != Recipient.COMPLAINANT or not person.plain_text_email:
        message.attach_alternative(letter.html, "text/html")
    message.attach(
        f"{letter.complaint.reference}-{letter.letter_type}.pdf",
        letter.sent_pdf,
        "application/pdf",
    )
    for name, data, mimetype in letter.enclosures():
        message.attach(name, data, mimetype)
    delivery = LetterDelivery(
        letter=letter,
        recipient=recipient,
        is_copy=copy,
        attempted_at=now,
        status="",
        message_id=message_id,
    )
    try:
        message.send()
        delivery.status = DeliveryStatus.SENT
    except Exception as exc:  # any transport failure is recorded for the handler to see
        delivery.status = DeliveryStatus.FAILED
        delivery.error = f"{type(exc).__name__}: {exc}"[:2000]
    save_audited(delivery, actor=None, reason=f"letter.email.{delivery.status}")
    return delivery


def _domain(address: str) -> str:
    """The domain of an address ("Firm <complaints@firm.test>" → "firm.test")."""
    domain = address.strip().rstrip(">").rpartition("@")[2].strip()
    return domain or "localhost"
