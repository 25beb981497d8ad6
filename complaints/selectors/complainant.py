"""One complainant's record across the firm: every complaint and every letter of theirs.

The redress items sit in remediation, above this app: its panel adds them to the page
(``complaints.panels.register_complainant_panel``). Each list is one query, whatever it holds.
"""

from __future__ import annotations

from datetime import date

from letters.choices import LetterStatus
from letters.models import Letter

from ..models import Complainant, Complaint, ComplaintQuerySet


def complainant_complaints(complainant: Complainant) -> ComplaintQuerySet:
    """Their complaints (the firm's: a complainant is one firm's), for a panel to filter by."""
    return Complaint.objects.filter(complainant=complainant, firm_id=complainant.firm_id)


def complainant_complaint_rows(complainant: Complainant, today: date) -> list[Complaint]:
    """Their complaints, newest receipt first, with the next DISP deadline and the owner."""
    return list(
        complainant_complaints(complainant)
        .with_next_deadline(today)
        .select_related("owner", "complainant")
        .order_by("-received_at", "-id")
    )


def complainant_letters(complainant: Complainant) -> list[Letter]:
    """Every letter to them or about their complaints (drafts too; discarded ones left out),
    newest first; the content and the PDF are not loaded."""
    return list(
        Letter.objects.filter(complaint__complainant=complainant)
        .exclude(status=LetterStatus.DISCARDED)
        .select_related("complaint", "representative")
        .only(
            "pk",
            "letter_type",
            "status",
            "recipient",
            "subject",
            "created_at",
            "sent_at",
            "delivery",
            "complaint__id",
            "complaint__reference",
            "representative__id",
            "representative__name",
        )
        .order_by("-created_at", "-id")
    )
