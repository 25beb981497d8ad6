"""Reading one raw message: its threading headers, sender, text and attachments, and whether it
is an automatic reply or a bounce (never a complaint).

Auto-replies are recognised by their headers only (RFC 3834 ``Auto-Submitted`` other than
``no``, ``X-Autoreply``, ``X-Autorespond``, ``Precedence: bulk/junk/auto_reply``): a subject
saying "Out of office" without them is a person writing. Bounces are delivery status reports
(``multipart/report; report-type=delivery-status``) or mail from the null sender or
MAILER-DAEMON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

from letters.checks.text import html_to_text

from .choices import Kind

MSGID = re.compile(r"<[^<>\s]+>")
MAX_TEXT = 100_000
MAX_REFERENCES = 50
AUTO_PRECEDENCE = {"bulk", "junk", "auto_reply"}
DAEMONS = {"mailer-daemon", "postmaster"}


@dataclass
class Attachment:
    name: str
    content_type: str
    content: bytes


@dataclass
class Parsed:
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    from_address: str = ""
    from_name: str = ""
    subject: str = ""
    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    kind: str = Kind.NEW
    reason: str = ""


def message_ids(value: str | None) -> list[str]:
    """The Message-IDs in a header (``<id@host>``), in order."""
    return MSGID.findall(str(value or ""))


def _header(msg: EmailMessage, name: str) -> str:
    try:
        return str(msg.get(name, "") or "").strip()
    except (ValueError, IndexError, AttributeError):  # a header the parser cannot decode
        raw = msg.get_all(name) or [""]
        return str(raw[0]).strip()


def _sender(msg: EmailMessage) -> tuple[str, str]:
    pairs = getaddresses([_header(msg, "From")])
    if not pairs:
        return "", ""
    name, address = pairs[0]
    return address.strip().lower()[:320], name.strip()[:200]


def _text(msg: EmailMessage) -> str:
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, ValueError):  # unknown charset or broken transfer encoding
        payload = body.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if body.get_content_subtype() == "html":
        content = html_to_text(content)
    return content.strip()[:MAX_TEXT]


def _attachments(msg: EmailMessage) -> list[Attachment]:
    found: list[Attachment] = []
    for part in msg.iter_attachments():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        name = part.get_filename() or f"attachment-{len(found) + 1}"
        found.append(Attachment(name[:200], part.get_content_type(), payload))
    return found


def classify(msg: EmailMessage, from_address: str) -> tuple[str, str]:
    """(kind, reason) for an automatic reply or a bounce; (NEW, "") otherwise."""
    if msg.get_content_type() == "multipart/report" and (
        str(msg.get_param("report-type", "", header="content-type")).lower() == "delivery-status"
    ):
        return Kind.BOUNCE, "A delivery status report (multipart/report)."
    return_path = _header(msg, "Return-Path")
    if return_path == "<>":
        return Kind.BOUNCE, "Sent from the null sender (Return-Path: <>)."
    local = from_address.partition("@")[0]
    if local in DAEMONS:
        return Kind.BOUNCE, f"Sent by {local.upper()}."
    auto = _header(msg, "Auto-Submitted").lower()
    if auto and auto.split(";")[0].strip() != "no":
        return Kind.AUTO_REPLY, f"Auto-Submitted: {auto[:100]}."
    for name in ("X-Autoreply", "X-Autorespond"):
        if _header(msg, name):
            return Kind.AUTO_REPLY, f"{name} header."
    precedence = _header(msg, "Precedence").lower()
    if precedence in AUTO_PRECEDENCE:
        return Kind.AUTO_REPLY, f"Precedence: {precedence}."
    return Kind.NEW, ""


def parse(raw: bytes, *, with_attachments: bool = True) -> Parsed:
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    address, name = _sender(msg)
    kind, reason = classify(msg, address)
    ids = message_ids(_header(msg, "Message-ID"))
    return Parsed(
        message_id=ids[0] if ids else "",
        in_reply_to=(message_ids(_header(msg, "In-Reply-To")) or [""])[-1],
        references=message_ids(_header(msg, "References"))[-MAX_REFERENCES:],
        from_address=address,
        from_name=name,
        subject=_header(msg, "Subject")[:998],
        text=_text(msg),
        attachments=_attachments(msg) if with_attachments else [],
        kind=kind,
        reason=reason,
    )


def display_address(name: str, address: str) -> str:
    if not name:
        return address
    user, _, domain = address.partition("@")
    return str(Address(display_name=name, username=user, domain=domain))
