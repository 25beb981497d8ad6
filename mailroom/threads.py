"""Which complaint a message belongs to.

First by the thread: the message's In-Reply-To and References against the Message-IDs of the
firm's own e-mails (from case pages, and each DISP letter e-mailed: ``LetterDelivery``) and of
the messages already filed on complaints. Only when
the thread names none, by a complaint reference in the subject, and then only when the sender
is the complainant or one of their current representatives: anyone can type a reference, and a
stranger's message must not land on someone's case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from complaints.models import Complaint, Firm, Representative
from letters.models import LetterDelivery

from .models import InboundMessage, OutboundEmail
from .parsing import Parsed


@dataclass(frozen=True)
class Match:
    complaint_id: int
    how: str


def by_thread(firm_id: int, parsed: Parsed) -> Match | None:
    ids = [i for i in [parsed.in_reply_to, *reversed(parsed.references)] if i]
    if not ids:
        return None
    sent = dict(
        OutboundEmail.objects.filter(firm_id=firm_id, message_id__in=ids).values_list(
            "message_id", "complaint_id"
        )
    )
    received = dict(
        InboundMessage.objects.filter(
            firm_id=firm_id, message_id__in=ids, complaint__isnull=False
        ).values_list("message_id", "complaint_id")
    )
    letters = dict(
        LetterDelivery.objects.filter(
            letter__complaint__firm_id=firm_id, message_id__in=ids
        ).values_list("message_id", "letter__complaint_id")
    )
    for mid in ids:  # the nearest ancestor first
        complaint_id = sent.get(mid) or letters.get(mid) or received.get(mid)
        if complaint_id:
            header = "In-Reply-To" if mid == parsed.in_reply_to else "References"
            return Match(complaint_id, f"Threaded by {header}.")
    return None


def references_in(firm: Firm, subject: str) -> list[str]:
    pattern = rf"\b{re.escape(firm.reference_prefix)}-\d{{4}}-\d{{3,}}\b"
    return re.findall(pattern, subject, flags=re.IGNORECASE)


def sender_acts_for(complaint: Complaint, address: str) -> bool:
    """The sender is the complainant or a current representative (by e-mail address)."""
    address = address.strip().lower()
    if not address:
        return False
    if complaint.complainant.email.strip().lower() == address:
        return True
    reps = Representative.objects.active().filter(complainant_id=complaint.complainant_id)
    return any(rep.email.strip().lower() == address for rep in reps if rep.email)


def by_subject(firm: Firm, parsed: Parsed) -> tuple[Match | None, str]:
    """(match, why not) by a reference in the subject, for the complainant's own messages."""
    refs = [r.upper() for r in references_in(firm, parsed.subject)]
    if not refs:
        return None, ""
    complaints = Complaint.objects.filter(firm=firm, reference__in=refs).select_related(
        "complainant"
    )
    for complaint in complaints:
        if sender_acts_for(complaint, parsed.from_address):
            return Match(
                complaint.pk,
                f"Subject names {complaint.reference}; sent by the "
                "complainant or their representative.",
            ), ""
    if complaints:
        return None, (
            "The subject names a complaint reference, but the sender is neither the "
            "complainant nor a current representative: left unfiled."
        )
    return None, ""


def find_complaint(firm: Firm, parsed: Parsed) -> tuple[Match | None, str]:
    match = by_thread(firm.pk, parsed)
    if match is not None:
        return match, ""
    return by_subject(firm, parsed)
