"""The IMAP side of the poller: connect to a firm's mailbox, list what is new since the last
poll, and fetch one message at a time (headers first, so a message already imported or over
the size cap is never downloaded)."""

from __future__ import annotations

import imaplib
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from .choices import Security
from .crypto import decrypt
from .models import Mailbox

_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_UID = re.compile(rb"UID (\d+)")


class MailboxError(Exception):
    """The server refused or failed: the message names what, never the password."""


@dataclass
class Envelope:
    uid: int
    arrived_at: datetime
    size: int
    header: bytes


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(typ: str, data: list, what: str) -> list:
    if typ != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode(errors="replace")
        raise MailboxError(f"{what} failed: {detail[:200]}")
    return data


@contextmanager
def session(mailbox: Mailbox, *, password: str | None = None) -> Iterator[Session]:
    """A logged-in session on the mailbox's folder (read-only: nothing is marked or moved)."""
    timeout = int(getattr(settings, "MAILROOM_IMAP_TIMEOUT_SECONDS", 30))
    context = ssl.create_default_context()
    conn: imaplib.IMAP4
    try:
        if mailbox.security == Security.SSL:
            conn = imaplib.IMAP4_SSL(
                mailbox.host, mailbox.port, ssl_context=context, timeout=timeout
            )
        else:
            conn = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=timeout)
            if mailbox.security == Security.STARTTLS:
                conn.starttls(ssl_context=context)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"Could not connect to {mailbox.host}:{mailbox.port}: {exc}") from exc
    try:
        try:
            conn.login(
                mailbox.username,
                decrypt(mailbox.password_encrypted) if password is None else password,
            )
        except imaplib.IMAP4.error as exc:
            raise MailboxError("The server refused the username or password.") from exc
        typ, data = conn.select(_quote(mailbox.folder), readonly=True)
        _check(typ, data, f"Opening the folder {mailbox.folder!r}")
        _, validity = conn.response("UIDVALIDITY")
        yield Session(conn, int(validity[0]) if validity and validity[0] else 0)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"The IMAP session failed: {exc}") from exc
    finally:
        with suppress(OSError, imaplib.IMAP4.error):
            conn.logout()


class Session:
    def __init__(self, conn: imaplib.IMAP4, uidvalidity: int) -> None:
        self.conn = conn
        self.uidvalidity = uidvalidity

    def uids_after(self, last_uid: int) -> list[int]:
        """UIDs above ``last_uid``, oldest first (``n:*`` always names the newest message,
        even when it is older than ``n``: filtered)."""
        typ, data = self.conn.uid("SEARCH", f"UID {last_uid + 1}:*")
        _check(typ, data, "Searching the folder")
        found = (data[0] or b"").split()
        return sorted(uid for uid in (int(u) for u in found) if uid > last_uid)

    def envelope(self, uid: int) -> Envelope | None:
        typ, data = self.conn.uid(
            "FETCH", str(uid), "(UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER])"
        )
        _check(typ, data, f"Reading message {uid}")
        for item in data:
            if not isinstance(item, tuple):
                continue
            meta, header = item
            found_uid, when, size = (
                _UID.search(meta),
                _INTERNALDATE.search(meta),
                _SIZE.search(meta),
            )
            if found_uid is None or int(found_uid.group(1)) != uid or when is None:
                continue
            arrived = datetime.strptime(when.group(1).decode(), "%d-%b-%Y %H:%M:%S %z")
            return Envelope(uid, arrived, int(size.group(1)) if size else len(header), header)
        return None  # expunged since the search

    def body(self, uid: int) -> bytes:
        typ, data = self.conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
        _check(typ, data, f"Downloading message {uid}")
        for item in data:
            if isinstance(item, tuple):
                return item[1]
        raise MailboxError(f"Message {uid} has no body.")
