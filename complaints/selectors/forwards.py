"""The parts of a complaint forwarded to other firms (DISP 1.7), as the page and API list them."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Complaint, ForwardedPart


def forwarded_parts(complaint: Complaint) -> QuerySet[ForwardedPart]:
    """Each part forwarded while the firm kept the rest, oldest first, with its notice (when it
    was sent, by whom, why, and whether it carried the six-month wording) in the same query."""
    return complaint.forwarded_parts.select_related("notice__sent_by").order_by("id")
