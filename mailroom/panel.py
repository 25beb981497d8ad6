"""The complaint page's e-mail panel: the thread (what arrived and what was sent, oldest first)
and, for those who handle complaints, the reply form."""

from __future__ import annotations

from common.compiled import ANY_ID, Compiled
from complaints import access
from complaints.access import Perm

from .models import InboundMessage, Mailbox, OutboundEmail
from .outgoing import recipient_for

# The panel's reads, compiled once per process (issue 18): an id no row has marks where each
# page binds its own.
_INBOUND = Compiled(
    InboundMessage.objects.filter(complaint_id=ANY_ID).only(
        "arrived_at", "from_address", "subject", "text", "attachment_names", "message_id"
    ),
    ANY_ID,
)
_OUTBOUND = Compiled(
    OutboundEmail.objects.filter(complaint_id=ANY_ID).select_related("created_by"), ANY_ID
)
_MAILBOX = Compiled(
    Mailbox.objects.filter(firm_id=ANY_ID).only("address").order_by("pk")[:1], ANY_ID
)


def complaint_panel_context(request, complaint) -> dict | None:
    inbound = _INBOUND.objects(complaint.pk)
    outbound = _OUTBOUND.objects(complaint.pk)
    mailbox = next(iter(_MAILBOX.objects(complaint.firm_id)), None)
    if not inbound and not outbound and mailbox is None:
        return None
    thread = sorted(
        [(m.arrived_at, "in", m) for m in inbound] + [(m.created_at, "out", m) for m in outbound],
        key=lambda row: row[0],
    )
    membership = getattr(request, "membership", None)
    can_reply = (
        membership is not None
        and membership.firm_id == complaint.firm_id
        and access.has_perm(request.user, complaint.firm_id, Perm.HANDLE_COMPLAINTS)
        and mailbox is not None
    )
    return {
        "complaint": complaint,
        "thread": thread,
        "can_reply": can_reply,
        "reply_to": recipient_for(complaint) if can_reply else "",
        "mailbox": mailbox,
    }
